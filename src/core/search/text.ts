/** Text normalisation and tokenisation, shared by the index build, queries and excerpts so that all three agree. */

// Letters NFKD does not decompose into a base letter plus marks.
const EXTRA_FOLDS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i', þ: 'th', ð: 'd',
};
const NON_ASCII = /[^\u0000-\u007f]/;
const MARKS = /\p{M}+/gu;
const UNFOLDED = /[ßæœøłđıþð]/g;

export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** Lower-cases and strips accents ("Müller" → "muller"), so queries match however names were typed. */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  if (isAscii(lower)) return lower;
  return lower.normalize('NFKD').replace(MARKS, '').replace(UNFOLDED, (ch) => EXTRA_FOLDS[ch]);
}

const UNKNOWN = 0;
const WORD = 1;
const OTHER = 2;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
// Classified on first sight: a regex test per character would dominate the build over large libraries.
const charClass = new Uint8Array(0x10000);
for (let code = 0; code < 128; code++) {
  const ch = String.fromCharCode(code);
  charClass[code] = /[a-zA-Z0-9]/.test(ch) ? WORD : OTHER;
}

export function isWordChar(code: number): boolean {
  let cls = charClass[code];
  if (cls === UNKNOWN) {
    // Lone surrogate halves (emoji and the like) are not words.
    cls = code >= 0xd800 && code <= 0xdfff ? OTHER : WORD_CHAR.test(String.fromCharCode(code)) ? WORD : OTHER;
    charClass[code] = cls;
  }
  return cls === WORD;
}

const DOT = 0x2e;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** FNV-1a over every character: the hash `scanTokens` reports for a token. */
export function hashOf(token: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), FNV_PRIME);
  return hash;
}

/**
 * Calls `onToken` with the bounds and `hashOf` of each word (a run of letters, marks and digits)
 * of `text`, until it returns true; the hash lets the index look tokens up without cutting them
 * out of the text. An arXiv id ("2412.02685", "2412.026" while typing) stays one token so that ids
 * match as ids.
 */
export function scanTokens(text: string, onToken: (start: number, end: number, hash: number) => boolean | void): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    while (i < length && !isWordChar(text.charCodeAt(i))) i++;
    if (i >= length) return;
    const start = i;
    let hash = FNV_OFFSET;
    for (let dotted = false; ; ) {
      for (let code; i < length && isWordChar((code = text.charCodeAt(i))); i++) hash = Math.imul(hash ^ code, FNV_PRIME);
      if (
        dotted || i - start !== 4 || i + 1 >= length || text.charCodeAt(i) !== DOT || !isDigit(text.charCodeAt(i + 1)) ||
        !isDigit(text.charCodeAt(start)) || !isDigit(text.charCodeAt(start + 1)) ||
        !isDigit(text.charCodeAt(start + 2)) || !isDigit(text.charCodeAt(start + 3))
      ) {
        break;
      }
      dotted = true;
      hash = Math.imul(hash ^ DOT, FNV_PRIME);
      i++;
    }
    if (onToken(start, i, hash) === true) return;
  }
}

/** `scanTokens` with each token cut out of the text. */
export function forEachToken(text: string, onToken: (token: string, start: number, end: number) => boolean | void): void {
  scanTokens(text, (start, end) => onToken(text.slice(start, end), start, end));
}

export function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (isDigit(word.charCodeAt(i))) return true;
  return false;
}
