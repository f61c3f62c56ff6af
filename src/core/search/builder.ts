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
 * All that the builder reads of a paper: plain strings, so that it can be sent to a worker thread.
 * Topics are ids; their labels come with the topic list, once for the whole library.
 */
export interface SearchRecord {
  title: string;
  /** Given and family names, in turn. */
  names: string[];
  arxivId?: string;
  key: string;
  topics: string[];
  venue?: string;
  organization?: string;
  extra?: string;
  abstract: string;
}

export function searchRecordOf(paper: Paper, extraText?: (paper: Paper) => string): SearchRecord {
  // One array per paper, not one per author too: on a large library every allocation here adds to
  // the collector's work on the extension host's big heap.
  const names: string[] = [];
  for (const author of paper.authors) names.push(author.given, author.family);
  return {
    title: paper.title,
    names,
    arxivId: paper.arxivId,
    key: paper.key,
    topics: paper.topics,
    venue: paper.venue,
    organization: paper.organization,
    extra: extraText?.(paper),
    abstract: paper.abstract,
  };
}

/**
 * The built index, without the papers (document numbers are positions in the papers' list). Term
 * ids are ranks in the sorted vocabulary, so the terms sharing a prefix are a contiguous id range
 * whose postings are contiguous too. Abstracts, which hold most of the words, have postings of
 * their own without field masks.
 */
export interface IndexData {
  readonly paperCount: number;
  readonly vocabulary: readonly string[];
  /** Postings of term t in the short fields: `fieldDocs[fieldStart[t] .. fieldStart[t + 1]]`, with field masks. */
  readonly fieldStart: Int32Array;
  readonly fieldDocs: Int32Array;
  readonly fieldMasks: Uint8Array;
  readonly abstractStart: Int32Array;
  readonly abstractDocs: Int32Array;
  readonly grams: VocabularyGrams;
}

/** What a builder has taken in before `finish`, for another builder to `absorb`: its terms, and each paper's term ids. */
export interface BuilderPart {
  readonly paperCount: number;
  readonly terms: readonly string[];
  /** Paper p's field terms are `fieldTerms[fieldPaperStart[p] .. fieldPaperStart[p + 1]]`, with their masks. */
  readonly fieldTerms: Int32Array;
  readonly fieldMasks: Uint8Array;
  readonly fieldPaperStart: Int32Array;
  readonly abstractTerms: Int32Array;
  readonly abstractPaperStart: Int32Array;
}

/**
 * Takes the papers once each, in order, recording for each paper the distinct terms of its short
 * fields (with a mask of the fields holding each) and of its abstract; `finish` turns that into postings.
 */
export class IndexBuilder implements TokenSink {
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
    private readonly paperCount: number,
    topics: readonly Pick<Topic, 'id' | 'label'>[],
  ) {
    this.topicLabels = new Map(topics.map((topic) => [topic.id, topic.label]));
    this.fieldPaperStart = new Int32Array(paperCount + 1);
    this.abstractPaperStart = new Int32Array(paperCount + 1);
    // Grown by doubling rather than sized for the whole library up front: one allocation of hundreds of
    // megabytes forces a full garbage collection that stalls the event loop for a quarter of a second
    // at 100,000 papers, longer than any slice of the build.
    this.abstractTerms = new IntList(1 << 20);
    this.fieldTerms = new IntList(paperCount * 40);
    this.fieldMasks = new Uint8Array(this.fieldTerms.data.length);
  }

  /** Indexes paper number `index`; papers come in order, from 0 to the count given to the constructor. */
  add(index: number, paper: SearchRecord): void {
    this.fieldPaperStart[index] = this.fieldTerms.length;
    this.abstractPaperStart[index] = this.abstractTerms.length;
    this.addText(index, paper.title, TITLE);
    for (const name of paper.names) this.addText(index, name, AUTHORS);
    this.addText(index, paper.arxivId, ARXIV_ID);
    this.addText(index, paper.key, KEY);
    for (const topic of paper.topics) {
      this.addText(index, topic, TOPICS);
      this.addText(index, this.topicLabels.get(topic), TOPICS);
    }
    this.addText(index, paper.venue, VENUE);
    this.addText(index, paper.organization, ORGANIZATION);
    this.addText(index, paper.extra, EXTRA);
    this.addText(index, paper.abstract, ABSTRACT);
  }

  /** All taken in so far, when this builder took the first `papers` of its count: a share for another builder. */
  part(papers: number): BuilderPart {
    this.fieldPaperStart[papers] = this.fieldTerms.length;
    this.abstractPaperStart[papers] = this.abstractTerms.length;
    return {
      paperCount: papers,
      terms: this.table.terms,
      fieldTerms: this.fieldTerms.data,
      fieldMasks: this.fieldMasks,
      fieldPaperStart: this.fieldPaperStart.subarray(0, papers + 1),
      abstractTerms: this.abstractTerms.data,
      abstractPaperStart: this.abstractPaperStart.subarray(0, papers + 1),
    };
  }

  /**
   * Takes in the papers another builder took, as papers `first` …: what `add` would have recorded
   * for them, with the other builder's term ids mapped to this one's.
   */
  absorb(part: BuilderPart, first: number): void {
    const ids = Int32Array.from(part.terms, (term) => this.fit(this.table.find(term)));
    const { fieldTerms, fieldMasks, fieldPaperStart, abstractTerms, abstractPaperStart } = part;
    for (let paper = 0; paper < part.paperCount; paper++) {
      this.fieldPaperStart[first + paper] = this.fieldTerms.length;
      this.abstractPaperStart[first + paper] = this.abstractTerms.length;
      for (let i = fieldPaperStart[paper], end = fieldPaperStart[paper + 1]; i < end; i++) this.pushField(ids[fieldTerms[i]], fieldMasks[i]);
      for (let i = abstractPaperStart[paper], end = abstractPaperStart[paper + 1]; i < end; i++) this.abstractTerms.push(ids[abstractTerms[i]]);
    }
  }

  /** Turns the per-paper term lists into postings, yielding every `sliceSize` papers' worth of work. */
  *finish(sliceSize: number): Generator<void, IndexData, void> {
    const count = this.paperCount;
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
      paperCount: count,
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
    this.fieldSlot[id] = this.fieldTerms.length;
    this.pushField(id, bit);
  }

  private pushField(id: number, mask: number): void {
    const slot = this.fieldTerms.length;
    this.fieldTerms.push(id);
    if (slot === this.fieldMasks.length) this.fieldMasks = grow(this.fieldMasks, slot * 2);
    this.fieldMasks[slot] = mask;
  }

  private termId(text: string, start: number, end: number, hash: number, hash2: number): number {
    return this.fit(this.table.idOf(text, start, end, hash, hash2));
  }

  /** Makes room in the per-term arrays for a new term id. */
  private fit(id: number): number {
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

/** Runs steps to their end without pausing. */
export function finished<T>(steps: Generator<void, T, void>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Steps of a whole build; the caller decides whether to pause (yield to the event loop) between them. */
export function* buildSteps(
  papers: readonly Paper[],
  topics: readonly Topic[],
  options: SearchBuildOptions,
  sliceSize: number,
): Generator<void, IndexData, void> {
  const builder = new IndexBuilder(papers.length, topics);
  for (let index = 0; index < papers.length; index++) {
    builder.add(index, searchRecordOf(papers[index], options.extraText));
    if ((index + 1) % sliceSize === 0) yield;
  }
  return yield* builder.finish(sliceSize);
}
