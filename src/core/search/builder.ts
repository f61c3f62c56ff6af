import type { Paper, Topic } from '../model';
import { isFuzzyTarget, VocabularyGrams } from './fuzzy';
import { grow, IntList } from './growable';
import { fold, hasDigit, scanTokens, TermTable, TokenSpans, type TokenSink } from './text';

/** The fields a query can match, best first; a bit per field in the match masks (`1 << index`). */
export const SEARCH_FIELDS = [
  'title', 'authors', 'arxivId', 'key', 'topics', 'venue', 'organization', 'extra', 'abstract',
] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

const TITLE = 1 << 0;
const AUTHORS = 1 << 1;
const ARXIV_ID = 1 << 2;
const KEY = 1 << 3;
const TOPICS = 1 << 4;
const VENUE = 1 << 5;
const ORGANIZATION = 1 << 6;
const EXTRA = 1 << 7;
export const ABSTRACT = 1 << 8;
/** Vocabulary words handled per slice for each paper of a slice: a word is far cheaper to handle than a paper. */
const WORDS_PER_PAPER = 20;

export interface SearchBuildOptions {
  /** More searchable text for a paper (e.g. its tags), matched as the field `extra`. */
  extraText?: (paper: Paper) => string;
}

/**
 * The built index. Term ids are ranks in the sorted vocabulary, so the terms sharing a prefix are a
 * contiguous id range whose postings are contiguous too. Abstracts, which hold most of the words,
 * have postings of their own without field masks.
 */
export interface IndexData {
  readonly papers: readonly Paper[];
  readonly vocabulary: readonly string[];
  /** Postings of term t in the short fields: `fieldDocs[fieldStart[t] .. fieldStart[t + 1]]`, with field masks. */
  readonly fieldStart: Int32Array;
  readonly fieldDocs: Int32Array;
  readonly fieldMasks: Uint8Array;
  readonly abstractStart: Int32Array;
  readonly abstractDocs: Int32Array;
  readonly grams: VocabularyGrams;
}

/**
 * Walks the papers once, recording for each paper the distinct terms of its short fields (with a
 * mask of the fields holding each) and of its abstract; `finish` turns that into postings.
 */
class IndexBuilder implements TokenSink {
  private readonly table = new TermTable();
  private readonly topicLabels: Map<string, string>;
  // Per term: the last paper that used it, and where that paper's (term, mask) entry is.
  private lastFieldPaper = new Int32Array(1024).fill(-1);
  private fieldSlot = new Int32Array(1024);
  private lastAbstractPaper = new Int32Array(1024).fill(-1);
  private readonly fieldTerms: IntList;
  private fieldMasks: Uint8Array;
  private readonly fieldPaperStart: Int32Array;
  private readonly abstractTerms: IntList;
  private readonly abstractPaperStart: Int32Array;
  private readonly foldedSpans = new TokenSpans();
  // The paper and field being scanned, for `token`.
  private paper = 0;
  private bit = 0;

  constructor(
    private readonly papers: readonly Paper[],
    topics: readonly Topic[],
    private readonly options: SearchBuildOptions,
  ) {
    this.topicLabels = new Map(topics.map((topic) => [topic.id, topic.label]));
    this.fieldPaperStart = new Int32Array(papers.length + 1);
    this.abstractPaperStart = new Int32Array(papers.length + 1);
    // Grown by doubling rather than sized for the whole library up front: one allocation of hundreds of
    // megabytes forces a full garbage collection that stalls the event loop for a quarter of a second
    // at 100,000 papers, longer than any slice of the build.
    this.abstractTerms = new IntList(1 << 20);
    this.fieldTerms = new IntList(papers.length * 40);
    this.fieldMasks = new Uint8Array(this.fieldTerms.data.length);
  }

  add(index: number): void {
    const paper = this.papers[index];
    this.fieldPaperStart[index] = this.fieldTerms.length;
    this.abstractPaperStart[index] = this.abstractTerms.length;
    this.addText(index, paper.title, TITLE);
    for (const author of paper.authors) {
      this.addText(index, author.given, AUTHORS);
      this.addText(index, author.family, AUTHORS);
    }
    this.addText(index, paper.arxivId, ARXIV_ID);
    this.addText(index, paper.key, KEY);
    for (const topic of paper.topics) {
      this.addText(index, topic, TOPICS);
      this.addText(index, this.topicLabels.get(topic), TOPICS);
    }
    this.addText(index, paper.venue, VENUE);
    this.addText(index, paper.organization, ORGANIZATION);
    this.addText(index, this.options.extraText?.(paper), EXTRA);
    this.addText(index, paper.abstract, ABSTRACT);
  }

  /** Turns the per-paper term lists into postings, yielding every `sliceSize` papers' worth of work. */
  *finish(sliceSize: number): Generator<void, IndexData, void> {
    const count = this.papers.length;
    this.fieldPaperStart[count] = this.fieldTerms.length;
    this.abstractPaperStart[count] = this.abstractTerms.length;
    const wordSlice = sliceSize * WORDS_PER_PAPER;
    const vocabulary = yield* sortInSlices(this.table.terms);
    const rank = new Int32Array(vocabulary.length);
    for (let index = 0; index < vocabulary.length; index++) {
      rank[this.table.find(vocabulary[index])] = index;
      if ((index + 1) % wordSlice === 0) yield;
    }
    const field = yield* invert(this.fieldTerms, this.fieldPaperStart, rank, sliceSize, this.fieldMasks);
    const abstract = yield* invert(this.abstractTerms, this.abstractPaperStart, rank, sliceSize);
    const targets = vocabulary.map((term) => isFuzzyTarget(term, hasDigit(term)));
    const grams = yield* VocabularyGrams.build(vocabulary, targets, wordSlice);
    return {
      papers: this.papers,
      vocabulary,
      fieldStart: field.start,
      fieldDocs: field.docs,
      fieldMasks: field.masks,
      abstractStart: abstract.start,
      abstractDocs: abstract.docs,
      grams,
    };
  }

  private addText(paper: number, text: string | undefined, bit: number): void {
    if (!text) return;
    this.paper = paper;
    this.bit = bit;
    scanTokens(text, this);
  }

  /** ASCII words are lower-cased by the scanner; the rare others are folded here (which may split them, as in a query). */
  token(text: string, start: number, end: number, hash: number, hash2: number, ascii: boolean): void {
    if (ascii) {
      this.record(this.termId(text, start, end, hash, hash2));
      return;
    }
    const folded = fold(text.slice(start, end));
    const { starts, ends, hashes, hashes2, count } = this.foldedSpans.scan(folded);
    for (let i = 0; i < count; i++) this.record(this.termId(folded, starts[i], ends[i], hashes[i], hashes2[i]));
  }

  private record(id: number): void {
    const { paper, bit } = this;
    if (bit === ABSTRACT) {
      if (this.lastAbstractPaper[id] === paper) return;
      this.lastAbstractPaper[id] = paper;
      this.abstractTerms.push(id);
      return;
    }
    if (this.lastFieldPaper[id] === paper) {
      this.fieldMasks[this.fieldSlot[id]] |= bit;
      return;
    }
    this.lastFieldPaper[id] = paper;
    const slot = this.fieldTerms.length;
    this.fieldSlot[id] = slot;
    this.fieldTerms.push(id);
    if (slot === this.fieldMasks.length) this.fieldMasks = grow(this.fieldMasks, slot * 2);
    this.fieldMasks[slot] = bit;
  }

  private termId(text: string, start: number, end: number, hash: number, hash2: number): number {
    const id = this.table.idOf(text, start, end, hash, hash2);
    if (id === this.lastFieldPaper.length) {
      this.lastFieldPaper = grow(this.lastFieldPaper, id * 2).fill(-1, id);
      this.fieldSlot = grow(this.fieldSlot, id * 2);
      this.lastAbstractPaper = grow(this.lastAbstractPaper, id * 2).fill(-1, id);
    }
    return id;
  }
}

/**
 * The order of `sort()` (by UTF-16 code units), in slices: terms are dealt out by their first two
 * characters and each pile is sorted on its own, so no single step sorts the whole vocabulary.
 */
function* sortInSlices(terms: readonly string[]): Generator<void, string[], void> {
  const piles = new Map<number, string[]>();
  for (const term of terms) {
    // A one-letter term has no second character (NaN): 0 puts it before its longer neighbours.
    const pileKey = term.charCodeAt(0) * 0x10000 + (term.charCodeAt(1) || 0);
    let pile = piles.get(pileKey);
    if (!pile) piles.set(pileKey, (pile = []));
    pile.push(term);
  }
  const sorted: string[] = [];
  for (const pileKey of [...piles.keys()].sort((a, b) => a - b)) {
    for (const term of (piles.get(pileKey) as string[]).sort()) sorted.push(term);
    yield;
  }
  return sorted;
}

/** Counting sort of (paper, term) pairs by term rank; each term's papers come out in ascending order. */
function* invert(terms: IntList, paperStart: Int32Array, rank: Int32Array, sliceSize: number, masks?: Uint8Array) {
  const termCount = rank.length;
  const paperCount = paperStart.length - 1;
  const start = new Int32Array(termCount + 1);
  const data = terms.data;
  for (let paper = 0; paper < paperCount; paper++) {
    for (let i = paperStart[paper], end = paperStart[paper + 1]; i < end; i++) {
      const term = rank[data[i]];
      data[i] = term;
      start[term + 1]++;
    }
    if ((paper + 1) % sliceSize === 0) yield;
  }
  for (let t = 0; t < termCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, termCount);
  const docs = new Int32Array(terms.length);
  const outMasks = new Uint8Array(masks ? terms.length : 0);
  for (let paper = 0; paper < paperCount; paper++) {
    for (let i = paperStart[paper], end = paperStart[paper + 1]; i < end; i++) {
      const at = fill[data[i]]++;
      docs[at] = paper;
      if (masks) outMasks[at] = masks[i];
    }
    if ((paper + 1) % sliceSize === 0) yield;
  }
  return { start, docs, masks: outMasks };
}

/** Steps of a whole build; the caller decides whether to pause (yield to the event loop) between them. */
export function* buildSteps(
  papers: readonly Paper[],
  topics: readonly Topic[],
  options: SearchBuildOptions,
  sliceSize: number,
): Generator<void, IndexData, void> {
  const builder = new IndexBuilder(papers, topics, options);
  for (let index = 0; index < papers.length; index++) {
    builder.add(index);
    if ((index + 1) % sliceSize === 0) yield;
  }
  return yield* builder.finish(sliceSize);
}
