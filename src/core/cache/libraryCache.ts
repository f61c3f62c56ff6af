/**
 * The library cache file: what an assembled library cost to make (any plain value: the merged
 * records, their topics, each source's parse), its search index's arrays, and a description of
 * what it was made from (`meta`, checked by the caller against the current sources). Pure: the
 * file is bytes in and out (src/node/cacheFiles.ts reads and writes them).
 */
import type { EncodedIndex } from '../search/transfer';
import { CacheFormatError, decodeValue, encodeInSlices, type EncodedValue } from './codec';
import type { Paper } from '../model';
import { checksum, readContainer, writeContainer } from './container';

/** Raised with every change of the file's layout or of what the cached value holds. */
export const LIBRARY_CACHE_FORMAT = 1;

export interface LibraryCacheContent {
  meta: unknown;
  value: unknown;
  index?: EncodedIndex;
}

type IntArrayName = 'fieldStart' | 'fieldDocs' | 'abstractStart' | 'abstractDocs' | 'gramStart' | 'gramWords';
const INDEX_INT_ARRAYS: readonly IntArrayName[] = ['fieldStart', 'fieldDocs', 'abstractStart', 'abstractDocs', 'gramStart', 'gramWords'];

interface StoredMeta {
  meta: unknown;
  index?: { paperCount: number; termCount: number };
}

const bytesOf = (array: Int32Array | Float64Array | Uint8Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** The file's bytes as parts to write in order; yields between slices of the encoding. */
export function* encodeLibraryCache(content: LibraryCacheContent, sliceValues?: number): Generator<void, Uint8Array[], void> {
  const encoded = yield* encodeInSlices(content.value, sliceValues);
  const encoder = new TextEncoder();
  const chunkBytes = encoded.chunks.map((chunk) => encoder.encode(chunk));
  yield;
  const text = new Uint8Array(chunkBytes.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunkBytes) {
    text.set(chunk, offset);
    offset += chunk.length;
  }
  const sections = [
    { name: 'tape', bytes: bytesOf(encoded.tape) },
    { name: 'numbers', bytes: bytesOf(encoded.numbers) },
    { name: 'shapes', bytes: bytesOf(encoded.shapes) },
    { name: 'stringLengths', bytes: bytesOf(encoded.stringLengths) },
    { name: 'stringOrder', bytes: bytesOf(encoded.stringOrder) },
    { name: 'chunkCounts', bytes: bytesOf(encoded.chunkCounts) },
    { name: 'chunkBytes', bytes: bytesOf(Int32Array.from(chunkBytes, (chunk) => chunk.length)) },
    { name: 'text', bytes: text },
  ];
  const { index } = content;
  const stored: StoredMeta = { meta: content.meta };
  if (index) {
    stored.index = { paperCount: index.paperCount, termCount: index.termCount };
    for (const name of INDEX_INT_ARRAYS) sections.push({ name: `index.${name}`, bytes: bytesOf(index[name]) });
    sections.push({ name: 'index.fieldMasks', bytes: index.fieldMasks }, { name: 'index.vocabulary', bytes: encoder.encode(index.vocabulary) });
  }
  return writeContainer(LIBRARY_CACHE_FORMAT, stored, sections);
}

/** The content of a cache file; throws `CacheFormatError` saying why the file cannot be used. */
export function decodeLibraryCache(file: Uint8Array): LibraryCacheContent {
  const { meta, sections } = readContainer(file, LIBRARY_CACHE_FORMAT);
  const stored = meta as StoredMeta | null;
  if (typeof stored !== 'object' || stored === null || !('meta' in stored)) throw new CacheFormatError('the header has no description of the library');
  const section = (name: string): Uint8Array => {
    const bytes = sections.get(name);
    if (!bytes) throw new CacheFormatError(`the file lacks section ${name}`);
    return bytes;
  };
  const ints = (name: string): Int32Array => {
    const bytes = section(name);
    if (bytes.length % 4 !== 0) throw new CacheFormatError(`section ${name} is not whole 32-bit numbers`);
    return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  };
  const numbersBytes = section('numbers');
  if (numbersBytes.length % 8 !== 0) throw new CacheFormatError('section numbers is not whole 64-bit numbers');
  const decoder = new TextDecoder();
  const text = section('text');
  const chunks: string[] = [];
  let offset = 0;
  for (const length of ints('chunkBytes')) {
    if (length < 0 || offset + length > text.length) throw new CacheFormatError('a chunk of text runs past its section');
    chunks.push(decoder.decode(text.subarray(offset, (offset += length))));
  }
  if (offset !== text.length) throw new CacheFormatError('text after the last chunk');
  const encoded: EncodedValue = {
    tape: ints('tape'),
    numbers: new Float64Array(numbersBytes.buffer, numbersBytes.byteOffset, numbersBytes.length / 8),
    shapes: ints('shapes'),
    stringLengths: ints('stringLengths'),
    stringOrder: ints('stringOrder'),
    chunkCounts: ints('chunkCounts'),
    chunks,
  };
  const value = decodeValue(encoded);
  if (!stored.index) return { meta: stored.meta, value };
  const { paperCount, termCount } = stored.index;
  if (!Number.isSafeInteger(paperCount) || !Number.isSafeInteger(termCount)) throw new CacheFormatError('the index has no size');
  // Copied out of the file, so that the file's buffer is freed once it is read.
  const copy = (name: IntArrayName) => ints(`index.${name}`).slice();
  const index: EncodedIndex = {
    paperCount,
    termCount,
    vocabulary: decoder.decode(section('index.vocabulary')),
    fieldStart: copy('fieldStart'),
    fieldDocs: copy('fieldDocs'),
    // `new Uint8Array`, not `slice`: a Node Buffer's slice is a view, not a copy.
    fieldMasks: new Uint8Array(section('index.fieldMasks')),
    abstractStart: copy('abstractStart'),
    abstractDocs: copy('abstractDocs'),
    gramStart: copy('gramStart'),
    gramWords: copy('gramWords'),
  };
  return { meta: stored.meta, value, index };
}

/**
 * What the search index holds beyond the papers themselves (their tags, from `extraText`), as a
 * checksum: a saved index is used only with the same extras.
 */
export function extrasFingerprint(papers: readonly Paper[], extraText: ((paper: Paper) => string) | undefined): string {
  const parts: string[] = [];
  if (extraText) {
    for (const [at, paper] of papers.entries()) {
      const extra = extraText(paper);
      if (extra) parts.push(`${at}\u0000${extra}`);
    }
  }
  return checksum(new TextEncoder().encode(parts.join('\u0001')));
}
