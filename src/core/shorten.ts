/**
 * Text shortened for display: runs of whitespace become one space, and text longer than `max`
 * characters is cut at the last word boundary within them and ends in "…". Only what is shown is
 * cut; the data keeps the whole text.
 */
export function shortenText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  // The space may sit at `max` itself: a word that ends exactly at the limit is kept whole.
  const space = flat.lastIndexOf(' ', max);
  let end = space > 0 ? space : max;
  // Never split a character outside the Basic Multilingual Plane (a UTF-16 surrogate pair).
  if (/[\uD800-\uDBFF]/.test(flat.charAt(end - 1))) end--;
  return `${flat.slice(0, end)}…`;
}
