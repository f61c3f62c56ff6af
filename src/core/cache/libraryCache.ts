/**
 * The library cache file: what an assembled library cost to make (the papers, as a list whose
 * items are decoded one by one, and any plain value beside them: their topics, each source's
 * parse), its search index's arrays, and a description of what it was made from (`meta`, checked
 * by the caller against the current sources). Pure: the file is bytes in and out
 * (src/node/cacheFiles.ts reads and writes them).
 */
import type { EncodedIndex } from '../search/transfer';
import { CacheFormatError, decodeValue, encodeInSlices, encodeListInSlices, LazyList, type EncodedList, type EncodedValue } from './codec';
import { finished } from '../search/builder';
import { checkLength, checksum, headLength, readLayout, readSections, sectionsRange, writeContainer, type ContainerLayout } from './container';

/** Raised with every change of the file's layout or of what the cached value holds. */
export const LIBRARY_CACHE_FORMAT = 3;

export interface LibraryCacheContent {
  meta: unknown;
  value: unknown;
  /**
   * A small value read before `value` (any plain value: what the views show first), in the file's
   * first sections, so that it is at hand while the rest is read and decoded.
   */
  overview?: unknown;
  /**
   * The papers, each stored so that it can be decoded alone (`decodeCachedLibrary`): a search can
   * show the few it found before the others are decoded. `value` comes after them, and what it
   * shares with them (a file's parse of a paper: its authors, its record) comes back shared.
   */
  papers?: readonly unknown[];
  index?: EncodedIndex;
}

type IntArrayName = 'fieldStart' | 'fieldDocs' | 'abstractStart' | 'abstractDocs' | 'gramStart' | 'gramWords';
const INDEX_INT_ARRAYS: readonly IntArrayName[] = ['fieldStart', 'fieldDocs', 'abstractStart', 'abstractDocs', 'gramStart', 'gramWords'];
/** The sections of an encoded value, each name after its value's prefix (`overview.tape`, `library.tape`, …). */
const VALUE_SECTIONS = ['tape', 'numbers', 'shapes', 'stringLengths', 'stringOrder', 'chunkCounts', 'chunkBytes', 'text'] as const;
const INDEX_SECTIONS = [...INDEX_INT_ARRAYS, 'fieldMasks', 'vocabulary'].map((name) => `index.${name}`);
const sectionNames = (prefix: string) => VALUE_SECTIONS.map((name) => `${prefix}.${name}`);
/** The papers and the value after them: a value's sections, and where each paper starts. */
const LIBRARY_SECTIONS = [...sectionNames('library'), 'library.starts'];

interface StoredMeta {
  meta: unknown;
  overview?: boolean;
  index?: { paperCount: number; termCount: number };
}

const bytesOf = (array: Int32Array | Float64Array | Uint8Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

function* valueSections(prefix: string, encoding: Generator<void, EncodedValue, void>): Generator<void, { name: string; bytes: Uint8Array }[], void> {
  const encoded = yield* encoding;
  const encoder = new TextEncoder();
  const chunkBytes = encoded.chunks.map((chunk) => encoder.encode(chunk));
  yield;
  const text = new Uint8Array(chunkBytes.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunkBytes) {
    text.set(chunk, offset);
    offset += chunk.length;
  }
  const columns: Record<(typeof VALUE_SECTIONS)[number], Uint8Array> = {
    tape: bytesOf(encoded.tape),
    numbers: bytesOf(encoded.numbers),
    shapes: bytesOf(encoded.shapes),
    stringLengths: bytesOf(encoded.stringLengths),
    stringOrder: bytesOf(encoded.stringOrder),
    chunkCounts: bytesOf(encoded.chunkCounts),
    chunkBytes: bytesOf(Int32Array.from(chunkBytes, (chunk) => chunk.length)),
    text,
  };
  const sections = VALUE_SECTIONS.map((name) => ({ name: `${prefix}.${name}`, bytes: columns[name] }));
  if ('starts' in encoded) sections.push({ name: `${prefix}.starts`, bytes: bytesOf((encoded as EncodedList).starts) });
  return sections;
}

/** The file's bytes as parts to write in order (the overview first, then the papers and the value, the index); yields between slices of the encoding. */
export function* encodeLibraryCache(content: LibraryCacheContent, sliceValues?: number): Generator<void, Uint8Array[], void> {
  const stored: StoredMeta = { meta: content.meta };
  const sections: { name: string; bytes: Uint8Array }[] = [];
  if (content.overview !== undefined) {
    stored.overview = true;
    sections.push(...(yield* valueSections('overview', encodeInSlices(content.overview, sliceValues))));
  }
  sections.push(...(yield* valueSections('library', encodeListInSlices(content.papers ?? [], content.value, sliceValues))));
  const { index } = content;
  if (index) {
    stored.index = { paperCount: index.paperCount, termCount: index.termCount };
    for (const name of INDEX_INT_ARRAYS) sections.push({ name: `index.${name}`, bytes: bytesOf(index[name]) });
    sections.push({ name: 'index.fieldMasks', bytes: index.fieldMasks }, { name: 'index.vocabulary', bytes: new TextEncoder().encode(index.vocabulary) });
  }
  return writeContainer(LIBRARY_CACHE_FORMAT, stored, sections);
}

/**
 * An opened cache file: its description and where its parts lie, from its head alone. The parts
 * are read in the order they are needed (`overviewRange`, then `libraryRange` and `indexRange`),
 * each checked against its checksums when decoded.
 */
export interface LibraryCacheLayout {
  meta: unknown;
  layout: ContainerLayout;
  overviewRange?: { from: number; to: number };
  /** The papers and the value. */
  libraryRange: { from: number; to: number };
  indexRange?: { from: number; to: number };
}

/** Bytes from the file's start that hold its head (at least 16 must be given); throws `CacheFormatError`. */
export const libraryCacheHeadLength = (prelude: Uint8Array) => headLength(prelude, LIBRARY_CACHE_FORMAT);

/** The layout of a cache file of `fileLength` bytes from its head; throws `CacheFormatError` saying why it cannot be used. */
export function openLibraryCache(head: Uint8Array, fileLength: number): LibraryCacheLayout {
  const layout = readLayout(head, LIBRARY_CACHE_FORMAT);
  checkLength(layout, fileLength);
  const stored = layout.meta as StoredMeta | null;
  if (typeof stored !== 'object' || stored === null || !('meta' in stored)) throw new CacheFormatError('the header has no description of the library');
  const names = new Set(layout.sections.map((entry) => entry.name));
  const expected = [...(stored.overview ? sectionNames('overview') : []), ...LIBRARY_SECTIONS, ...(stored.index ? INDEX_SECTIONS : [])];
  const missing = expected.find((name) => !names.has(name));
  if (missing) throw new CacheFormatError(`the file lacks section ${missing}`);
  if (names.size !== layout.sections.length || names.size !== expected.length) throw new CacheFormatError('the file holds sections of another kind');
  return {
    meta: stored.meta,
    layout,
    overviewRange: stored.overview ? sectionsRange(layout, sectionNames('overview')) : undefined,
    libraryRange: sectionsRange(layout, LIBRARY_SECTIONS),
    indexRange: stored.index ? sectionsRange(layout, INDEX_SECTIONS) : undefined,
  };
}

function sectionsOf(opened: LibraryCacheLayout, range: { from: number; to: number }, bytes: Uint8Array) {
  if (bytes.length !== range.to - range.from) throw new CacheFormatError('the file is truncated in its sections');
  const sections = readSections(opened.layout, range.from, bytes);
  const section = (name: string): Uint8Array => {
    const found = sections.get(name);
    if (!found) throw new CacheFormatError(`the file lacks section ${name}`);
    return found;
  };
  const ints = (name: string): Int32Array => {
    const found = section(name);
    if (found.length % 4 !== 0) throw new CacheFormatError(`section ${name} is not whole 32-bit numbers`);
    return new Int32Array(found.buffer, found.byteOffset, found.length / 4);
  };
  return { section, ints };
}

/**
 * Text of bytes known to be ASCII (as many bytes as characters), where the platform has a faster
 * way than UTF-8 decoding (a one-byte copy); any byte may be given, and any string may come back.
 */
export type AsciiDecoder = (bytes: Uint8Array) => string;

function encodedOf(opened: LibraryCacheLayout, prefix: string, range: { from: number; to: number }, bytes: Uint8Array, ascii?: AsciiDecoder): EncodedValue & { starts?: Int32Array } {
  const { section, ints } = sectionsOf(opened, range, bytes);
  const numbersBytes = section(`${prefix}.numbers`);
  if (numbersBytes.length % 8 !== 0) throw new CacheFormatError(`section ${prefix}.numbers is not whole 64-bit numbers`);
  const encoded: Omit<EncodedValue, 'chunks'> = {
    tape: ints(`${prefix}.tape`),
    numbers: new Float64Array(numbersBytes.buffer, numbersBytes.byteOffset, numbersBytes.length / 8),
    shapes: ints(`${prefix}.shapes`),
    stringLengths: ints(`${prefix}.stringLengths`),
    stringOrder: ints(`${prefix}.stringOrder`),
    chunkCounts: ints(`${prefix}.chunkCounts`),
  };
  const { stringLengths, stringOrder, chunkCounts } = encoded;
  const decoder = new TextDecoder();
  const text = section(`${prefix}.text`);
  const chunks: string[] = [];
  let offset = 0;
  let string = 0;
  for (const [c, length] of ints(`${prefix}.chunkBytes`).entries()) {
    if (length < 0 || offset + length > text.length) throw new CacheFormatError('a chunk of text runs past its section');
    // A chunk's characters, from its strings' lengths (decodeValue checks them all): as many as its bytes when it is ASCII.
    let units = 0;
    for (let k = 0; k < (chunkCounts[c] ?? 0) && string < stringOrder.length; k++) units += stringLengths[stringOrder[string++]] ?? 0;
    const bytesOfChunk = text.subarray(offset, (offset += length));
    chunks.push(ascii && units === length ? ascii(bytesOfChunk) : decoder.decode(bytesOfChunk));
  }
  if (offset !== text.length) throw new CacheFormatError('text after the last chunk');
  return { ...encoded, chunks, ...(prefix === 'library' && { starts: ints(`${prefix}.starts`) }) };
}

/** The overview, from the file's bytes in `overviewRange`; undefined when the file has none. */
export function decodeOverview(opened: LibraryCacheLayout, bytes: Uint8Array, ascii?: AsciiDecoder): unknown {
  return opened.overviewRange && decodeValue(encodedOf(opened, 'overview', opened.overviewRange, bytes, ascii));
}

/**
 * The papers and the value after them (`value()`, last), from the file's bytes in `libraryRange`,
 * checked and made ready to decode one by one, each paper checked by `accept` when decoded. The
 * list keeps `bytes` until it has given its value.
 */
export function decodeCachedLibrary<T>(opened: LibraryCacheLayout, bytes: Uint8Array, accept: (item: unknown) => item is T, ascii?: AsciiDecoder): LazyList<T> {
  const { starts, ...encoded } = encodedOf(opened, 'library', opened.libraryRange, bytes, ascii);
  if (!starts) throw new CacheFormatError('the file lacks section library.starts');
  return new LazyList({ ...encoded, starts }, accept);
}

/**
 * The search index, from the file's bytes in `indexRange` (undefined when the file has none). Its
 * arrays are views into `bytes`, not copies: read that range into a buffer of its own.
 */
export function decodeCachedIndex(opened: LibraryCacheLayout, bytes: Uint8Array): EncodedIndex | undefined {
  const range = opened.indexRange;
  const size = (opened.layout.meta as StoredMeta).index;
  if (!range || !size) return undefined;
  const { paperCount, termCount } = size;
  if (!Number.isSafeInteger(paperCount) || !Number.isSafeInteger(termCount)) throw new CacheFormatError('the index has no size');
  const { section, ints } = sectionsOf(opened, range, bytes);
  return {
    paperCount,
    termCount,
    vocabulary: new TextDecoder().decode(section('index.vocabulary')),
    fieldStart: ints('index.fieldStart'),
    fieldDocs: ints('index.fieldDocs'),
    fieldMasks: section('index.fieldMasks'),
    abstractStart: ints('index.abstractStart'),
    abstractDocs: ints('index.abstractDocs'),
    gramStart: ints('index.gramStart'),
    gramWords: ints('index.gramWords'),
  };
}

/** The content of a whole cache file at once (tests); throws `CacheFormatError` saying why the file cannot be used. */
export function decodeLibraryCache(file: Uint8Array): LibraryCacheContent {
  const opened = openLibraryCache(file, file.length);
  const part = (range: { from: number; to: number }) => file.subarray(range.from, range.to);
  const overview = opened.overviewRange && decodeOverview(opened, part(opened.overviewRange));
  const list = decodeCachedLibrary(opened, part(opened.libraryRange), (_item): _item is unknown => true);
  const papers = finished(list.all(Number.POSITIVE_INFINITY));
  const value = list.value();
  const index = opened.indexRange && decodeCachedIndex(opened, part(opened.indexRange));
  return { meta: opened.meta, value, papers, ...(overview !== undefined && { overview }), ...(index && { index }) };
}

/**
 * What the search index holds beyond the papers themselves (the tags of the reading state, by
 * paper key), as a checksum: a saved index is used only with the same tags. It covers every key's
 * tags, not only the library's papers', so that it needs no paper to be decoded.
 */
export function extrasFingerprint(tagged: Iterable<readonly [key: string, tags: readonly string[]]>): string {
  const parts = [...tagged].filter(([, tags]) => tags.length > 0).map(([key, tags]) => JSON.stringify([key, tags]));
  parts.sort();
  return checksum(new TextEncoder().encode(parts.join('\n')));
}
