/**
 * Typo tolerance over the vocabulary (not the documents): a trigram index finds the few words that
 * share enough trigrams with a query word, and an edit distance confirms them.
 */

// Trigrams over a 29-symbol alphabet (a-z, "anything else", word start, word end) fit in a flat array.
const OTHER = 26;
const BEGIN = 27;
const END = 28;
const ALPHABET = 29;
const GRAM_COUNT = ALPHABET * ALPHABET * ALPHABET;
/** An edit changes at most three trigrams of a word: the basis of the candidate filter. */
const GRAMS_PER_EDIT = 3;
const MAX_WORD = 40;
/** Room for the trigrams of any token (the scanner keeps tokens to 64 characters). */
const grams = new Int32Array(80);

function symbol(code: number): number {
  return code >= 0x61 && code <= 0x7a ? code - 0x61 : OTHER;
}

/** Distinct trigram ids of `^word$` (or `^word` for a prefix), into `out`; returns how many. */
function gramsOf(word: string, withEnd: boolean, out: Int32Array): number {
  let count = 0;
  const last = withEnd ? word.length : word.length - 1;
  let a = BEGIN;
  let b = symbol(word.charCodeAt(0));
  for (let i = 1; i <= last; i++) {
    const c = i < word.length ? symbol(word.charCodeAt(i)) : END;
    const gram = (a * ALPHABET + b) * ALPHABET + c;
    let seen = false;
    for (let k = 0; k < count && !seen; k++) seen = out[k] === gram;
    if (!seen) out[count++] = gram;
    a = b;
    b = c;
  }
  return count;
}

export function maxEditsFor(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}

export function isFuzzyTarget(word: string, hasDigit: boolean): boolean {
  // A word of two letters is never a typo target: queries that short allow no typo.
  return !hasDigit && word.length >= 3 && word.length <= MAX_WORD;
}

export class VocabularyGrams {
  private readonly counts: Uint8Array;

  private constructor(
    private readonly vocabulary: readonly string[],
    readonly gramStart: Int32Array,
    readonly gramWords: Int32Array,
  ) {
    this.counts = new Uint8Array(vocabulary.length);
  }

  /** The index `build` made, from its arrays (`gramStart`, `gramWords`) and the same vocabulary, e.g. after a transfer between threads. */
  static fromArrays(vocabulary: readonly string[], gramStart: Int32Array, gramWords: Int32Array): VocabularyGrams {
    if (gramStart.length !== GRAM_COUNT + 1 || gramStart[GRAM_COUNT] !== gramWords.length) throw new Error('not a trigram index');
    return new VocabularyGrams(vocabulary, gramStart, gramWords);
  }

  /** Indexes the vocabulary words that `targets` marks, yielding every `sliceSize` words. */
  static *build(vocabulary: readonly string[], targets: readonly boolean[], sliceSize: number): Generator<void, VocabularyGrams, void> {
    const gramStart = new Int32Array(GRAM_COUNT + 1);
    for (let w = 0; w < vocabulary.length; w++) {
      if (targets[w]) for (let i = 0, count = gramsOf(vocabulary[w], true, grams); i < count; i++) gramStart[grams[i] + 1]++;
      if ((w + 1) % sliceSize === 0) yield;
    }
    for (let g = 0; g < GRAM_COUNT; g++) gramStart[g + 1] += gramStart[g];
    const fill = gramStart.slice(0, GRAM_COUNT);
    const gramWords = new Int32Array(gramStart[GRAM_COUNT]);
    for (let w = 0; w < vocabulary.length; w++) {
      if (targets[w]) for (let i = 0, count = gramsOf(vocabulary[w], true, grams); i < count; i++) gramWords[fill[grams[i]]++] = w;
      if ((w + 1) % sliceSize === 0) yield;
    }
    return new VocabularyGrams(vocabulary, gramStart, gramWords);
  }

  /**
   * Calls `onMatch` for each vocabulary word within `maxEdits` of `query` (with `prefix`: whose
   * beginning is), with the distance. Does nothing when the trigram filter would be too weak to be cheap.
   */
  forEachNear(query: string, maxEdits: number, prefix: boolean, onMatch: (word: number, distance: number) => void): void {
    const gramCount = gramsOf(query, !prefix, grams);
    const needed = gramCount - GRAMS_PER_EDIT * maxEdits;
    if (needed < (prefix ? 2 : 1)) return;
    const { counts, gramStart, gramWords, vocabulary } = this;
    const touched: number[] = [];
    for (const gram of grams.subarray(0, gramCount)) {
      for (let i = gramStart[gram], end = gramStart[gram + 1]; i < end; i++) {
        const w = gramWords[i];
        if (counts[w] === 0) touched.push(w);
        if (counts[w] < 255) counts[w]++;
      }
    }
    for (const w of touched) {
      if (counts[w] >= needed) {
        const distance = editDistance(query, vocabulary[w], maxEdits, prefix);
        if (distance <= maxEdits) onMatch(w, distance);
      }
      counts[w] = 0;
    }
  }
}

let rows = new Int32Array(3 * 64);

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) from `a` to `b`, or
 * to the closest beginning of `b` when `prefix`; anything over `maxEdits` is reported as `maxEdits + 1`.
 */
export function editDistance(a: string, b: string, maxEdits: number, prefix: boolean): number {
  const over = maxEdits + 1;
  const n = a.length;
  const m = prefix ? Math.min(b.length, n + maxEdits) : b.length;
  if (!prefix && Math.abs(n - m) > maxEdits) return over;
  if (prefix && m < n - maxEdits) return over;
  const width = m + 1;
  if (rows.length < 3 * width) rows = new Int32Array(3 * width);
  let before = 0;
  let previous = width;
  let current = 2 * width;
  for (let j = 0; j <= m; j++) rows[previous + j] = j;
  for (let i = 1; i <= n; i++) {
    rows[current] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        d = Math.min(d, rows[before + j - 2] + 1);
      }
      rows[current + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > maxEdits) return over;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  let distance = rows[previous + m];
  if (prefix) for (let j = 0; j < m; j++) distance = Math.min(distance, rows[previous + j]);
  return Math.min(distance, over);
}
