import type { Paper, Topic } from '../model';
import { isFuzzyTarget, VocabularyGrams } from './fuzzy';
import { grow, IntList } from './growable';
import { fold, hasDigit, hashOf, scanTokens, TokenSpans } from './text';

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
 * Term ids by open addressing on the scanner's hash, comparing characters in place: a `Map` would
 * need every token cut out of the text as a new string, which dominated the build.
 */
class TermTable {
  readonly terms: string[] = [];
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(2048);

  idOf(text: string, start: number, end: number, hash: number): number {
    const { slots, terms, hashes } = this;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (hashes[id] === hash && terms[id].length === length && sameChars(terms[id], text, start)) return id;
    }
    const id = terms.length;
    // A long slice is a view into the whole folded field in V8; a copy keeps only the word alive.
    const term = length < 13 ? text.slice(start, end) : (text.slice(start, end) + ' ').slice(0, -1);
    terms.push(term);
    if (id === hashes.length) this.hashes = grow(hashes, id * 2);
    this.hashes[id] = hash;
    if (2 * terms.length > slots.length) this.rehash();
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let id = 0; id < this.terms.length; id++) this.place(id);
  }
}

function sameChars(term: string, text: string, start: number): boolean {
  for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * Walks the papers once, recording for each paper the distinct terms of its short fields (with a
 * mask of the fields holding each) and of its abstract; `finish` turns that into postings.
 */
class IndexBuilder {
  private readonly table = new TermTable();
  private readonly topicLabels: Map<string, string>;
  // Per term: the last paper that used it, and where that paper's (term, mask) entry is.
  private lastFieldPaper = new Int32Array(1024).fill(-1);
  private fieldSlot = new Int32Array(1024);
  private lastAbstractPaper = new Int32Array(1024).fill(-1);
  private readonly fieldTerms = new IntList();
  private fieldMasks = new Uint8Array(1024);
  private readonly fieldPaperStart: Int32Array;
  private readonly abstractTerms = new IntList();
  private readonly abstractPaperStart: Int32Array;
  private readonly spans = new TokenSpans();

  constructor(
    private readonly papers: readonly Paper[],
    topics: readonly Topic[],
    private readonly options: SearchBuildOptions,
  ) {
    this.topicLabels = new Map(topics.map((topic) => [topic.id, topic.label]));
    this.fieldPaperStart = new Int32Array(papers.length + 1);
    this.abstractPaperStart = new Int32Array(papers.length + 1);
  }

  add(index: number): void {
    const paper = this.papers[index];
    this.fieldPaperStart[index] = this.fieldTerms.length;
    this.abstractPaperStart[index] = this.abstractTerms.length;
    this.addField(index, paper.title, TITLE);
    for (const author of paper.authors) {
      this.addField(index, author.given, AUTHORS);
      this.addField(index, author.family, AUTHORS);
    }
    this.addField(index, paper.arxivId, ARXIV_ID);
    this.addField(index, paper.key, KEY);
    for (const topic of paper.topics) {
      this.addField(index, topic, TOPICS);
      this.addField(index, this.topicLabels.get(topic), TOPICS);
    }
    this.addField(index, paper.venue, VENUE);
    this.addField(index, paper.organization, ORGANIZATION);
    this.addField(index, this.options.extraText?.(paper), EXTRA);
    this.addAbstract(index, paper.abstract);
  }

  /** Turns the per-paper term lists into postings; yields between the costly phases. */
  *finish(): Generator<void, IndexData, void> {
    const count = this.papers.length;
    this.fieldPaperStart[count] = this.fieldTerms.length;
    this.abstractPaperStart[count] = this.abstractTerms.length;
    const vocabulary = this.table.terms.slice().sort();
    const rank = new Int32Array(vocabulary.length);
    vocabulary.forEach((term, index) => {
      rank[this.table.idOf(term, 0, term.length, hashOf(term))] = index;
    });
    yield;
    const field = invert(this.fieldTerms, this.fieldPaperStart, rank, this.fieldMasks);
    yield;
    const abstract = invert(this.abstractTerms, this.abstractPaperStart, rank);
    yield;
    const grams = VocabularyGrams.build(vocabulary, (index) => isFuzzyTarget(vocabulary[index], hasDigit(vocabulary[index])));
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

  private addField(paper: number, text: string | undefined, bit: number): void {
    if (!text) return;
    const folded = fold(text);
    const { starts, ends, hashes, count } = scanTokens(folded, this.spans);
    for (let i = 0; i < count; i++) {
      const id = this.termId(folded, starts[i], ends[i], hashes[i]);
      if (this.lastFieldPaper[id] === paper) {
        this.fieldMasks[this.fieldSlot[id]] |= bit;
        continue;
      }
      this.lastFieldPaper[id] = paper;
      const slot = this.fieldTerms.length;
      this.fieldSlot[id] = slot;
      this.fieldTerms.push(id);
      if (slot === this.fieldMasks.length) this.fieldMasks = grow(this.fieldMasks, slot * 2);
      this.fieldMasks[slot] = bit;
    }
  }

  private addAbstract(paper: number, text: string): void {
    if (!text) return;
    const folded = fold(text);
    const { starts, ends, hashes, count } = scanTokens(folded, this.spans);
    for (let i = 0; i < count; i++) {
      const id = this.termId(folded, starts[i], ends[i], hashes[i]);
      if (this.lastAbstractPaper[id] === paper) continue;
      this.lastAbstractPaper[id] = paper;
      this.abstractTerms.push(id);
    }
  }

  private termId(text: string, start: number, end: number, hash: number): number {
    const id = this.table.idOf(text, start, end, hash);
    if (id === this.lastFieldPaper.length) {
      this.lastFieldPaper = grow(this.lastFieldPaper, id * 2).fill(-1, id);
      this.fieldSlot = grow(this.fieldSlot, id * 2);
      this.lastAbstractPaper = grow(this.lastAbstractPaper, id * 2).fill(-1, id);
    }
    return id;
  }
}

/** Counting sort of (paper, term) pairs by term rank; each term's papers come out in ascending order. */
function invert(terms: IntList, paperStart: Int32Array, rank: Int32Array, masks?: Uint8Array) {
  const termCount = rank.length;
  const start = new Int32Array(termCount + 1);
  const data = terms.data;
  for (let i = 0; i < terms.length; i++) {
    const term = rank[data[i]];
    data[i] = term;
    start[term + 1]++;
  }
  for (let t = 0; t < termCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, termCount);
  const docs = new Int32Array(terms.length);
  const outMasks = new Uint8Array(masks ? terms.length : 0);
  for (let paper = 0; paper + 1 < paperStart.length; paper++) {
    for (let i = paperStart[paper], end = paperStart[paper + 1]; i < end; i++) {
      const at = fill[data[i]]++;
      docs[at] = paper;
      if (masks) outMasks[at] = masks[i];
    }
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
  return yield* builder.finish();
}
