/**
 * Building the index in other threads, as plain data in and out (the thread plumbing lives
 * elsewhere). The main thread sends each paper's searchable text in batches; on the other side the
 * one builder takes them in. Several builders may share the papers: each but the first hands its
 * share back as a part, which the first absorbs before it finishes. The index comes back as typed
 * arrays, which move between threads without a copy, and the vocabulary as one string: a single
 * string crosses far faster than hundreds of thousands of small ones.
 */
import type { Paper, Topic } from '../model';
import { finished, IndexBuilder, searchRecordOf, type BuilderPart, type IndexData, type SearchBuildOptions, type SearchRecord } from './builder';
import { VocabularyGrams } from './fuzzy';

export type BuildRequest =
  /** `paperCount`: the papers this builder takes in itself plus those of the parts it will absorb. */
  | { kind: 'start'; paperCount: number; topics: Pick<Topic, 'id' | 'label'>[] }
  /** Papers `first`, `first + 1` … in order. */
  | { kind: 'papers'; first: number; records: SearchRecord[] }
  /** Answered with a part holding all papers sent. */
  | { kind: 'part' }
  /** Absorbs the parts (the papers after this builder's own, in order) and answers with the index. */
  | { kind: 'finish'; parts: EncodedPart[] };

export type BuildReply =
  /** Every paper before `papers` is indexed: the sender's cue to send more. */
  | { kind: 'progress'; papers: number }
  | { kind: 'part'; part: EncodedPart }
  | { kind: 'built'; index: EncodedIndex };

export interface EncodedPart extends Omit<BuilderPart, 'terms'> {
  termCount: number;
  /** The terms joined by `SEPARATOR`. */
  terms: string;
}

export interface EncodedIndex {
  paperCount: number;
  termCount: number;
  /** The sorted vocabulary joined by `SEPARATOR`, which no term holds (terms are letters, digits and dots). */
  vocabulary: string;
  fieldStart: Int32Array;
  fieldDocs: Int32Array;
  fieldMasks: Uint8Array;
  abstractStart: Int32Array;
  abstractDocs: Int32Array;
  gramStart: Int32Array;
  gramWords: Int32Array;
}

const SEPARATOR = '\n';

export function startRequest(paperCount: number, topics: readonly Topic[]): BuildRequest {
  return { kind: 'start', paperCount, topics: topics.map(({ id, label }) => ({ id, label })) };
}

/** The papers as `papers` requests of at most `batchSize` papers each. */
export function* paperBatches(papers: readonly Paper[], options: SearchBuildOptions, batchSize: number): Generator<BuildRequest & { kind: 'papers' }> {
  for (let first = 0; first < papers.length; first += batchSize) {
    const records = papers.slice(first, first + batchSize).map((paper) => searchRecordOf(paper, options.extraText));
    yield { kind: 'papers', first, records };
  }
}

/** The receiving side of one build: feed it the requests in order; `finish` answers with the index and what to transfer. */
export class IndexBuildSession {
  private builder?: IndexBuilder;
  private paperCount = 0;
  private next = 0;

  handle(request: BuildRequest): { reply: BuildReply; transfer: ArrayBuffer[] } {
    switch (request.kind) {
      case 'start':
        this.builder = new IndexBuilder(request.paperCount, request.topics);
        this.paperCount = request.paperCount;
        this.next = 0;
        return { reply: { kind: 'progress', papers: 0 }, transfer: [] };
      case 'papers': {
        const builder = this.started();
        if (request.first !== this.next || this.next + request.records.length > this.paperCount) {
          throw new Error(`papers ${request.first}–${request.first + request.records.length} out of order (expected ${this.next} of ${this.paperCount})`);
        }
        for (const record of request.records) builder.add(this.next++, record);
        return { reply: { kind: 'progress', papers: this.next }, transfer: [] };
      }
      case 'part': {
        this.checkComplete();
        const { terms, ...arrays } = this.started().part(this.next);
        this.builder = undefined;
        const part: EncodedPart = { ...arrays, termCount: terms.length, terms: terms.join(SEPARATOR) };
        return { reply: { kind: 'part', part }, transfer: partTransferables([part]) };
      }
      case 'finish': {
        const builder = this.started();
        for (const { terms, termCount, ...arrays } of request.parts) {
          if (this.next + arrays.paperCount > this.paperCount) throw new Error(`a part of ${arrays.paperCount} papers after ${this.next} of ${this.paperCount}`);
          builder.absorb({ ...arrays, terms: finished(splitTerms(terms, termCount, Number.POSITIVE_INFINITY)) }, this.next);
          this.next += arrays.paperCount;
        }
        this.checkComplete();
        this.builder = undefined;
        const index = encodeIndex(finished(builder.finish(Number.POSITIVE_INFINITY)));
        return { reply: { kind: 'built', index }, transfer: transferablesOf(index) };
      }
    }
  }

  private checkComplete(): void {
    if (this.next !== this.paperCount) throw new Error(`finished after ${this.next} of ${this.paperCount} papers`);
  }

  private started(): IndexBuilder {
    if (!this.builder) throw new Error('no build started');
    return this.builder;
  }
}

export function encodeIndex(data: IndexData): EncodedIndex {
  return {
    paperCount: data.paperCount,
    termCount: data.vocabulary.length,
    vocabulary: data.vocabulary.join(SEPARATOR),
    fieldStart: data.fieldStart,
    fieldDocs: data.fieldDocs,
    fieldMasks: data.fieldMasks,
    abstractStart: data.abstractStart,
    abstractDocs: data.abstractDocs,
    gramStart: data.grams.gramStart,
    gramWords: data.grams.gramWords,
  };
}

export function transferablesOf(index: EncodedIndex): ArrayBuffer[] {
  return buffersOf([index.fieldStart, index.fieldDocs, index.fieldMasks, index.abstractStart, index.abstractDocs, index.gramStart, index.gramWords]);
}

export function partTransferables(parts: readonly EncodedPart[]): ArrayBuffer[] {
  return buffersOf(parts.flatMap((part) => [part.fieldTerms, part.fieldMasks, part.fieldPaperStart, part.abstractTerms, part.abstractPaperStart]));
}

function buffersOf(arrays: readonly (Int32Array | Uint8Array)[]): ArrayBuffer[] {
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))];
}

/** The `count` terms joined in `joined`, cut out `sliceSize` at a time between yields. */
function* splitTerms(joined: string, count: number, sliceSize: number): Generator<void, string[], void> {
  const terms = new Array<string>(count);
  for (let term = 0, start = 0; term < count; term++) {
    const end = term === count - 1 ? joined.length : joined.indexOf(SEPARATOR, start);
    if (end < 0) throw new Error(`the vocabulary holds ${term + 1} of ${count} terms`);
    terms[term] = joined.slice(start, end);
    start = end + 1;
    if ((term + 1) % sliceSize === 0) yield;
  }
  return terms;
}

/** The index data again, cutting the vocabulary out `sliceSize` terms at a time between yields. */
export function* decodeIndex(index: EncodedIndex, sliceSize: number): Generator<void, IndexData, void> {
  const vocabulary = yield* splitTerms(index.vocabulary, index.termCount, sliceSize);
  return {
    paperCount: index.paperCount,
    vocabulary,
    fieldStart: index.fieldStart,
    fieldDocs: index.fieldDocs,
    fieldMasks: index.fieldMasks,
    abstractStart: index.abstractStart,
    abstractDocs: index.abstractDocs,
    grams: VocabularyGrams.fromArrays(vocabulary, index.gramStart, index.gramWords),
  };
}
