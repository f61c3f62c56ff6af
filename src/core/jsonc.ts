/**
 * VS Code's settings files are JSON with comments and trailing commas. This reads them the way the
 * editor does, so the command line sees the same settings; a syntax error names its line and column.
 */
export class JsoncError extends Error {
  override name = 'JsoncError';
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${message} at line ${line}, column ${column}`);
  }
}

export function parseJsonc(text: string): unknown {
  // Comments become spaces and trailing commas are dropped, keeping every other offset, so that
  // JSON.parse's error position still points into the original text.
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      const start = i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, ++i);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  out = out.replace(/,(\s*[}\]])/g, ' $1');
  if (out.trim() === '') return undefined;
  try {
    return JSON.parse(out);
  } catch (error) {
    // "Unexpected end of JSON input" carries no position: the text ended too early.
    const offset = Number(/position (\d+)/.exec(String((error as Error).message))?.[1] ?? text.length);
    const before = text.slice(0, offset).split('\n');
    throw new JsoncError('not valid JSON', before.length, (before.at(-1)?.length ?? 0) + 1);
  }
}
