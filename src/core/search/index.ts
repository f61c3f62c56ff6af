import Fuse from 'fuse.js';
import { authorName } from '../library';
import type { Paper, Topic } from '../model';
import { ABSTRACT, buildSteps, finished, SEARCH_FIELDS, type IndexData, type SearchBuildOptions, type SearchField } from './builder';
import { makeExcerpt, type Excerpt, type ExcerptWord } from './excerpt';
import { maxEditsFor } from './fuzzy';
import { fold, hasDigit, tokensOf } from './text';

export type { Excerpt } from './excerpt';
export type { IndexData, SearchBuildOptions, SearchField } from './builder';

export interface SearchResult {
  paper: Paper;
  /** In (0, 1]; higher is better. Comparable within one query only. */
  score: number;
  /** The fields where some query word matched, best first. */
  matchedFields: SearchField[];
  /** The part of the abstract that matched, when the abstract did. */
  excerpt?: Excerpt;
}

export interface SearchOptions {
  /** At most this many results (default 50). */
  limit?: number;
}

/**
 * The papers an index answers with, by position: an array, or a list that decodes each paper on
 * first use (the library cache's), so that a search can begin before every paper is decoded.
 */
export interface PaperList {
  readonly length: number;
  at(index: number): Paper | undefined;
}

export interface AsyncBuildOptions extends SearchBuildOptions {
  signal?: AbortSignal;
  /** Papers indexed between two pauses for the event loop (default 1,000). */
  yieldEvery?: number;
}

const DEFAULT_LIMIT = 50;
const DEFAULT_YIELD_EVERY = 1000;
/** Candidates taken from the index; fuse.js re-ranks the first of them (its cost grows with each). */
const CANDIDATES = 200;
const FUSE_CANDIDATES = 100;
/** fuse.js matches longer patterns in 32-character pieces, each costing as much again. */
const FUSE_PATTERN = 32;
/** More words than this are pasted text, not a search: the rest add cost, not precision. */
const MAX_WORDS = 12;
/** A shorter prefix would pull in most of the vocabulary (only the last word, being typed, may be shorter). */
const MIN_PREFIX = 3;

const FIELD_WEIGHTS: Record<SearchField, number> = {
  title: 3, authors: 2.5, arxivId: 3, key: 2, topics: 1.6, venue: 1.4, organization: 1.4, extra: 1.6, abstract: 1,
};
/** Weight of a posting by its mask of short fields: that of its best field. */
const MASK_WEIGHTS = Float32Array.from({ length: 256 }, (_, mask) =>
  Math.max(0, ...SEARCH_FIELDS.filter((_, bit) => mask & (1 << bit)).map((field) => FIELD_WEIGHTS[field])),
);
const ABSTRACT_WEIGHT = FIELD_WEIGHTS.abstract;
/** How much a fuse.js match on title, authors or id can lift a candidate within its tier. */
const FUSE_BOOST = 0.25;

const EXACT = 1;
/** 0.6-0.9: a prefix typed further along is closer to the word. */
function prefixQuality(typed: number, length: number): number {
  return 0.6 + (0.3 * typed) / length;
}
function fuzzyQuality(distance: number, prefix: boolean): number {
  return (distance === 1 ? 0.5 : 0.35) * (prefix ? 0.9 : 1);
}

interface QueryWord {
  text: string;
  /** Whether it may be the beginning of a word: the last word is being typed; others may be short for a word ("chip" for "ChipSeek"). */
  prefix: boolean;
  /** Vocabulary words it matched with a typo. */
  near: Set<string>;
}

function parseQuery(query: string): QueryWord[] {
  const texts = [...new Set(tokensOf(fold(query)).map((token) => token.text))].slice(0, MAX_WORDS);
  const last = texts.length - 1;
  return texts.map((text, index) => ({
    text,
    prefix: index === last || text.length >= MIN_PREFIX,
    near: new Set<string>(),
  }));
}

/** First index whose entry is >= `text` (or, with `prefix`, past every entry that starts with it). */
function bound(sorted: readonly string[], text: string, prefix: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const entry = sorted[mid];
    if (entry < text || (prefix && entry.startsWith(text))) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Full-text search over a library, fast enough for every keystroke with 100,000 papers. An
 * inverted index over normalised words finds candidates (exact words, the prefix being typed, and
 * words within one or two typos), ranked first by how many query words they match, then by how
 * many of those matched without a typo, then by field weights; fuse.js re-ranks the best hundred
 * on title, authors and id, where it rewards the query's words appearing together.
 */
export class SearchIndex {
  readonly size: number;
  // Scratch per paper, reused across searches; every search resets what it touched.
  private readonly wordBest: Float32Array;
  private readonly wordMask: Uint16Array;
  private readonly wordExact: Uint8Array;
  private readonly wordTouched: Int32Array;
  private wordTouchedCount = 0;
  private readonly total: Float32Array;
  private readonly coverage: Uint8Array;
  private readonly exactCount: Uint8Array;
  private readonly matchMask: Uint16Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;

  private constructor(
    /** The papers it was built from, in their order. */
    private readonly papers: PaperList,
    private readonly data: IndexData,
  ) {
    const count = papers.length;
    this.size = count;
    this.wordBest = new Float32Array(count);
    this.wordMask = new Uint16Array(count);
    this.wordExact = new Uint8Array(count);
    this.wordTouched = new Int32Array(count);
    this.total = new Float32Array(count);
    this.coverage = new Uint8Array(count);
    this.exactCount = new Uint8Array(count);
    this.matchMask = new Uint16Array(count);
    this.touched = new Int32Array(count);
  }

  /** What the index is made of, to keep it (the library cache) or send it elsewhere. */
  get indexData(): IndexData {
    return this.data;
  }

  static build(papers: readonly Paper[], topics: readonly Topic[] = [], options: SearchBuildOptions = {}): SearchIndex {
    return new SearchIndex(papers, finished(buildSteps(papers, topics, options, Number.POSITIVE_INFINITY)));
  }

  /** The index of `papers` from data built elsewhere (a worker thread, the library cache) for the same papers in the same order. */
  static fromData(papers: PaperList, data: IndexData): SearchIndex {
    if (data.fieldStart.length !== data.vocabulary.length + 1 || data.paperCount !== papers.length) {
      throw new Error('the index data does not fit these papers');
    }
    return new SearchIndex(papers, data);
  }

  /** Builds in slices, pausing for the event loop between them so that a large library never blocks it. */
  static async buildAsync(
    papers: readonly Paper[],
    topics: readonly Topic[] = [],
    options: AsyncBuildOptions = {},
  ): Promise<SearchIndex> {
    const steps = buildSteps(papers, topics, options, Math.max(1, options.yieldEvery ?? DEFAULT_YIELD_EVERY));
    for (;;) {
      options.signal?.throwIfAborted();
      const step = steps.next();
      if (step.done) return new SearchIndex(papers, step.value);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The first `count` papers, in the library's order (what a search of nothing lists). */
  first(count: number): Paper[] {
    return Array.from({ length: Math.max(0, Math.min(count, this.size)) }, (_, doc) => this.paper(doc));
  }

  private paper(doc: number): Paper {
    const paper = this.papers.at(doc);
    if (!paper) throw new RangeError(`no paper ${doc} in an index of ${this.size}`);
    return paper;
  }

  /** Papers matching `query`, best first; nothing for a blank query. */
  search(query: string, options: SearchOptions = {}): SearchResult[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const words = parseQuery(query);
    if (words.length === 0 || limit <= 0 || this.size === 0) return [];
    try {
      for (const word of words) {
        this.matchWord(word);
        this.mergeWord();
      }
      return this.rank(query, words, limit);
    } finally {
      this.reset();
    }
  }

  /** Scores every paper against one query word, keeping per paper the best match over the word's terms. */
  private matchWord(word: QueryWord): void {
    const { vocabulary, grams } = this.data;
    const { text, prefix } = word;
    const first = bound(vocabulary, text, false);
    const last = prefix ? bound(vocabulary, text, true) : first + (vocabulary[first] === text ? 1 : 0);
    for (let term = first; term < last; term++) {
      const length = vocabulary[term].length;
      const exact = length === text.length;
      this.addTerm(term, exact ? EXACT : prefixQuality(text.length, length), true, exact || text.length >= MIN_PREFIX);
    }
    const maxEdits = hasDigit(text) ? 0 : maxEditsFor(text.length);
    if (maxEdits === 0) return;
    const addNear = (nearPrefix: boolean) => (term: number, distance: number) => {
      if (distance === 0) return;
      word.near.add(vocabulary[term]);
      this.addTerm(term, fuzzyQuality(distance, nearPrefix), false, true);
    };
    grams.forEachNear(text, maxEdits, false, addNear(false));
    if (prefix) grams.forEachNear(text, maxEdits, true, addNear(true));
  }

  private addTerm(term: number, quality: number, exact: boolean, inAbstract: boolean): void {
    const { fieldStart, fieldDocs, fieldMasks, abstractStart, abstractDocs } = this.data;
    for (let i = fieldStart[term], end = fieldStart[term + 1]; i < end; i++) {
      this.hit(fieldDocs[i], quality * MASK_WEIGHTS[fieldMasks[i]], fieldMasks[i], exact);
    }
    if (!inAbstract) return;
    const score = quality * ABSTRACT_WEIGHT;
    for (let i = abstractStart[term], end = abstractStart[term + 1]; i < end; i++) {
      this.hit(abstractDocs[i], score, ABSTRACT, exact);
    }
  }

  private hit(doc: number, score: number, mask: number, exact: boolean): void {
    const best = this.wordBest[doc];
    if (best === 0) this.wordTouched[this.wordTouchedCount++] = doc;
    if (score > best) this.wordBest[doc] = score;
    this.wordMask[doc] |= mask;
    if (exact) this.wordExact[doc] = 1;
  }

  private mergeWord(): void {
    for (let i = 0; i < this.wordTouchedCount; i++) {
      const doc = this.wordTouched[i];
      if (this.coverage[doc] === 0) this.touched[this.touchedCount++] = doc;
      this.coverage[doc]++;
      this.exactCount[doc] += this.wordExact[doc];
      this.total[doc] += this.wordBest[doc];
      this.matchMask[doc] |= this.wordMask[doc];
      this.wordBest[doc] = 0;
      this.wordMask[doc] = 0;
      this.wordExact[doc] = 0;
    }
    this.wordTouchedCount = 0;
  }

  /** Tier: papers matching more query words first, then those matching more of them without a typo. */
  private tier(doc: number, wordCount: number): number {
    return this.coverage[doc] * (wordCount + 1) + this.exactCount[doc];
  }

  private rank(query: string, words: readonly QueryWord[], limit: number): SearchResult[] {
    // Index scores stay below 3 per word, so a tier step of 64 keeps tiers apart.
    const candidates = topK(this.touched, this.touchedCount, Math.max(CANDIDATES, limit), (doc) =>
      this.tier(doc, words.length) * 64 + this.total[doc],
    );
    const fuseScores = fuseRank(query, candidates.slice(0, FUSE_CANDIDATES).map((doc) => this.paper(doc)));
    const ranked = candidates.map((doc, index) => ({
      doc,
      tier: this.tier(doc, words.length),
      relevance: this.total[doc] * (1 + FUSE_BOOST * (1 - (fuseScores[index] ?? 1))),
    }));
    ranked.sort((a, b) => b.tier - a.tier || b.relevance - a.relevance || a.doc - b.doc);

    const topRelevance = Math.max(...ranked.map((entry) => entry.relevance));
    const topTier = words.length * (words.length + 2);
    const excerptWords = excerptWordsOf(words);
    return ranked.slice(0, limit).map(({ doc, tier, relevance }) => {
      const mask = this.matchMask[doc];
      const paper = this.paper(doc);
      return {
        paper,
        // Keeps the order above: a tier is worth more than any relevance within it.
        score: (tier + (0.999 * relevance) / topRelevance) / (topTier + 1),
        matchedFields: SEARCH_FIELDS.filter((_, bit) => mask & (1 << bit)),
        excerpt: mask & ABSTRACT ? makeExcerpt(paper.abstract, excerptWords) : undefined,
      };
    });
  }

  private reset(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const doc = this.touched[i];
      this.coverage[doc] = 0;
      this.exactCount[doc] = 0;
      this.total[doc] = 0;
      this.matchMask[doc] = 0;
    }
    this.touchedCount = 0;
    for (let i = 0; i < this.wordTouchedCount; i++) {
      const doc = this.wordTouched[i];
      this.wordBest[doc] = 0;
      this.wordMask[doc] = 0;
      this.wordExact[doc] = 0;
    }
    this.wordTouchedCount = 0;
  }
}

/** Longest first: a long word says more about what was meant than "in" or "rl". */
function excerptWordsOf(words: readonly QueryWord[]): ExcerptWord[] {
  return [...words]
    .sort((a, b) => b.text.length - a.text.length)
    .map((word) => ({ forms: [word.text, ...word.near], prefix: word.prefix && word.text.length >= MIN_PREFIX }));
}

/** The `k` docs with the highest keys, best first: a bounded min-heap, so O(n log k). */
function topK(docs: Int32Array, count: number, k: number, key: (doc: number) => number): number[] {
  const heapDocs: number[] = [];
  const heapKeys: number[] = [];
  // Ties go to the earlier paper, as in the final order.
  const worse = (a: number, b: number) => heapKeys[a] < heapKeys[b] || (heapKeys[a] === heapKeys[b] && heapDocs[a] > heapDocs[b]);
  const swap = (a: number, b: number) => {
    [heapDocs[a], heapDocs[b]] = [heapDocs[b], heapDocs[a]];
    [heapKeys[a], heapKeys[b]] = [heapKeys[b], heapKeys[a]];
  };
  for (let i = 0; i < count; i++) {
    const doc = docs[i];
    const value = key(doc);
    if (heapDocs.length < k) {
      heapDocs.push(doc);
      heapKeys.push(value);
      for (let child = heapDocs.length - 1; child > 0; ) {
        const parent = (child - 1) >> 1;
        if (!worse(child, parent)) break;
        swap(child, parent);
        child = parent;
      }
      continue;
    }
    if (value < heapKeys[0] || (value === heapKeys[0] && doc > heapDocs[0])) continue;
    heapDocs[0] = doc;
    heapKeys[0] = value;
    for (let parent = 0; ; ) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < heapDocs.length && worse(left, smallest)) smallest = left;
      if (right < heapDocs.length && worse(right, smallest)) smallest = right;
      if (smallest === parent) break;
      swap(parent, smallest);
      parent = smallest;
    }
  }
  return heapDocs
    .map((doc, index) => ({ doc, key: heapKeys[index] }))
    .sort((a, b) => b.key - a.key || a.doc - b.doc)
    .map((entry) => entry.doc);
}

/** fuse.js scores (0 = perfect) of the query against each candidate's title, authors and id; undefined when no match. */
function fuseRank(query: string, papers: readonly Paper[]): (number | undefined)[] {
  const fuse = new Fuse(
    papers.map((paper) => ({
      title: paper.title,
      authors: paper.authors.map(authorName).join(', '),
      id: paper.arxivId ?? '',
    })),
    {
      keys: [
        { name: 'title', weight: 3 },
        { name: 'authors', weight: 2 },
        { name: 'id', weight: 1 },
      ],
      includeScore: true,
      ignoreLocation: true,
      ignoreFieldNorm: true,
      ignoreDiacritics: true,
      threshold: 0.3,
    },
  );
  const scores: (number | undefined)[] = new Array(papers.length);
  for (const result of fuse.search(query.trim().slice(0, FUSE_PATTERN))) scores[result.refIndex] = result.score;
  return scores;
}
