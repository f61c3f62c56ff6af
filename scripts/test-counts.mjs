// What `npm test` counts: mocha's closing lines of each runner, and the one summary line built from them.
// Skipped tests (mocha's "pending": `this.skip()`, `it.skip`, a test without a body) are counted apart,
// so a test that did not run is never silent.

function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/**
 * Counts from mocha's closing lines ("N passing", then "N pending" and "N failing" when there are any),
 * from the last such summary in `output`; undefined when there is none.
 */
export function mochaCounts(output) {
  const text = stripAnsi(output);
  const passing = [...text.matchAll(/^\s*(\d+) passing\b/gm)].at(-1);
  if (!passing) return undefined;
  const rest = text.slice(passing.index);
  const count = (word) => Number(rest.match(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm'))?.[1] ?? 0);
  return { passed: Number(passing[1]), failed: count('failing'), skipped: count('pending') };
}

/** `N passed, N failed, N skipped`: the words of every row and of the last line of `npm test`. */
export function countsText({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
