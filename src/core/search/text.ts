/** Text normalisation and tokenisation, shared by the index build, queries and excerpts so that all three agree. */

import { grow } from './growable';

// Letters NFKD does not decompose into a base letter plus marks.
const EXTRA_FOLDS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i', þ: 'th', ð: 'd',
};
const NON_ASCII = /[\u0080-\uffff]/;
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
for (let code = 0; code < 128; code++) charClass[code] = /[a-zA-Z0-9]/.test(String.fromCharCode(code)) ? WORD : OTHER;
/** For ASCII: the lower-cased character when it belongs to words, else 0 (one lookup in the scanner's hot loop). */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, code) => (charClass[code] === WORD ? lowerAscii(code) : 0));

export function isWordChar(code: number): boolean {
  const cls = charClass[code];
  return cls === UNKNOWN ? classify(code) : cls === WORD;
}

function classify(code: number): boolean {
  // Lone surrogate halves (emoji and the like) are not words.
  const word = !(code >= 0xd800 && code <= 0xdfff) && WORD_CHAR.test(String.fromCharCode(code));
  charClass[code] = word ? WORD : OTHER;
  return word;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** ASCII lower case, the only folding the scanner does itself. */
function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
}

const DOT = 0x2e;
/** Longer "words" are URLs, hashes or encoded data: nobody searches for them. */
const MAX_TERM_LENGTH = 64;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
const SECOND_OFFSET = 0x2545f491;
const SECOND_PRIME = 0x5bd1e995;

/** Receives the tokens `scanTokens` finds. */
export interface TokenSink {
  /**
   * `text[start .. end]` is a token; `hash` and `hash2` are two independent hashes of its
   * lower-cased characters (and length); `ascii` says whether lower-casing is all the folding it needs.
   */
  token(text: string, start: number, end: number, hash: number, hash2: number, ascii: boolean): void;
}

/** Tokens kept in reusable arrays. */
export class TokenSpans implements TokenSink {
  starts: Int32Array = new Int32Array(64);
  ends: Int32Array = new Int32Array(64);
  hashes: Int32Array = new Int32Array(64);
  hashes2: Int32Array = new Int32Array(64);
  count = 0;

  token(_text: string, start: number, end: number, hash: number, hash2: number): void {
    if (this.count === this.starts.length) {
      const size = this.count * 2;
      this.starts = grow(this.starts, size);
      this.ends = grow(this.ends, size);
      this.hashes = grow(this.hashes, size);
      this.hashes2 = grow(this.hashes2, size);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.hashes[this.count] = hash;
    this.hashes2[this.count++] = hash2;
  }

  /** The tokens of `text`, replacing those held. */
  scan(text: string): this {
    this.count = 0;
    scanTokens(text, this);
    return this;
  }
}

/**
 * Hands `sink` the words (runs of letters, marks and digits, at most 64) of `text`, with no
 * allocation per word: the build scans millions. An arXiv id ("2412.02685", "2412.026" while
 * typing) stays one token so that ids match as ids.
 */
export function scanTokens(text: string, sink: TokenSink): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80 ? ASCII_WORD[code] !== 0 : isWordChar(code)) break;
    }
    if (i >= length) break;
    const start = i;
    let hash = FNV_OFFSET;
    let hash2 = SECOND_OFFSET;
    let ascii = true;
    for (let dotted = false; ; ) {
      for (; i < length; i++) {
        let code = text.charCodeAt(i);
        if (code < 0x80) {
          code = ASCII_WORD[code];
          if (code === 0) break;
        } else if (isWordChar(code)) ascii = false;
        else break;
        hash = Math.imul(hash ^ code, FNV_PRIME);
        hash2 = Math.imul(hash2 + code, SECOND_PRIME);
      }
      if (
        dotted || i - start !== 4 || i + 1 >= length || text.charCodeAt(i) !== DOT || !isDigit(text.charCodeAt(i + 1)) ||
        !isDigit(text.charCodeAt(start)) || !isDigit(text.charCodeAt(start + 1)) ||
        !isDigit(text.charCodeAt(start + 2)) || !isDigit(text.charCodeAt(start + 3))
      ) {
        break;
      }
      dotted = true;
      hash = Math.imul(hash ^ DOT, FNV_PRIME);
      hash2 = Math.imul(hash2 + DOT, SECOND_PRIME);
      i++;
    }
    if (i - start <= MAX_TERM_LENGTH) sink.token(text, start, i, hash, hash2 ^ (i - start), ascii);
  }
}

/**
 * Term ids by open addressing on the scanner's two hashes (with the length, 64 bits in all): a
 * `Map` would need every token cut out of the text as a new string, and that dominated the build.
 * Two different words would have to agree on all 64 bits to be confused; among a million words
 * that is about one chance in ten million. It lives here, by the scanner, because an imported
 * function is reached through a getter per call when the code runs unbundled (tests, tsx).
 */
export class TermTable {
  readonly terms: string[] = [];
  /** Triples (hash, hash2, id + 1); id 0 marks a free slot. */
  private slots = new Int32Array(3 * 4096);
  private readonly lowered = new Uint16Array(MAX_TERM_LENGTH);
  private readonly spans = new TokenSpans();

  /** The id of the token `text[start .. end]` (lower-cased) with the scanner's hashes, adding it if new. */
  idOf(text: string, start: number, end: number, hash: number, hash2: number): number {
    const slots = this.slots;
    const mask = slots.length / 3 - 1;
    let slot = hash & mask;
    for (let entry = slots[3 * slot + 2]; entry !== 0; entry = slots[3 * slot + 2]) {
      if (slots[3 * slot] === hash && slots[3 * slot + 1] === hash2) return entry - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.terms.length;
    const length = end - start;
    for (let i = 0; i < length; i++) this.lowered[i] = lowerAscii(text.charCodeAt(start + i));
    // Made from the codes: a slice of `text` would keep the whole text alive in V8.
    this.terms.push(String.fromCharCode(...this.lowered.subarray(0, length)));
    slots[3 * slot] = hash;
    slots[3 * slot + 1] = hash2;
    slots[3 * slot + 2] = id + 1;
    if (2 * this.terms.length > slots.length / 3) this.rehash();
    return id;
  }

  /** The id of a term (a folded word) already in the table. */
  find(term: string): number {
    const { starts, ends, hashes, hashes2 } = this.spans.scan(term);
    return this.idOf(term, starts[0], ends[0], hashes[0], hashes2[0]);
  }

  /** Keeps the table at most half full. */
  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / 3 - 1;
    for (let from = 0; from < old.length; from += 3) {
      if (old[from + 2] === 0) continue;
      let slot = old[from] & mask;
      while (slots[3 * slot + 2] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(from, from + 3), 3 * slot);
    }
    this.slots = slots;
  }
}

export interface Token {
  text: string;
  start: number;
  end: number;
}

/** The words of `text`, cut out: for short texts (queries, excerpts), where allocation does not matter. */
export function tokensOf(text: string): Token[] {
  const { starts, ends, count } = new TokenSpans().scan(text);
  return Array.from({ length: count }, (_, i) => ({ text: text.slice(starts[i], ends[i]), start: starts[i], end: ends[i] }));
}

export function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (isDigit(word.charCodeAt(i))) return true;
  return false;
}
