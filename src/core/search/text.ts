import { grow } from './growable';

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

/** Bounds and `hashOf` of tokens, in reusable arrays: the build scans millions of tokens and allocates nothing per token. */
export class TokenSpans {
  starts: Int32Array = new Int32Array(512);
  ends: Int32Array = new Int32Array(512);
  hashes: Int32Array = new Int32Array(512);
  count = 0;

  push(start: number, end: number, hash: number): void {
    if (this.count === this.starts.length) {
      const size = this.count * 2;
      this.starts = grow(this.starts, size);
      this.ends = grow(this.ends, size);
      this.hashes = grow(this.hashes, size);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.hashes[this.count++] = hash;
  }
}

/**
 * Finds the words (runs of letters, marks and digits) of `text`, replacing what `spans` held. An
 * arXiv id ("2412.02685", "2412.026" while typing) stays one token so that ids match as ids.
 */
export function scanTokens(text: string, spans: TokenSpans): TokenSpans {
  spans.count = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    while (i < length && !isWordChar(text.charCodeAt(i))) i++;
    if (i >= length) break;
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
    spans.push(start, i, hash);
  }
  return spans;
}

export interface Token {
  text: string;
  start: number;
  end: number;
}

/** The words of `text`, cut out: for short texts (queries, excerpts), where allocation does not matter. */
export function tokensOf(text: string): Token[] {
  const { starts, ends, count } = scanTokens(text, new TokenSpans());
  return Array.from({ length: count }, (_, i) => ({ text: text.slice(starts[i], ends[i]), start: starts[i], end: ends[i] }));
}

export function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (isDigit(word.charCodeAt(i))) return true;
  return false;
}
