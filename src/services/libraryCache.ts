import * as path from 'node:path';
import * as vscode from 'vscode';
import { CacheFormatError, type LazyList } from '../core/cache/codec';
import { type LibraryCacheContent, decodeCachedIndex, decodeCachedLibrary, decodeOverview, encodeLibraryCache, libraryCacheHeadLength, openLibraryCache } from '../core/cache/libraryCache';
import { Disposable } from '../core/dispose';
import { errorDetail } from '../core/errors';
import type { Paper } from '../core/model';
import type { SearchIndex } from '../core/search';
import { encodeIndex, type EncodedIndex } from '../core/search/transfer';
import { openIfAny, removeWithLeftovers, writeBytes, type OpenedFile } from '../node/cacheFiles';

const FILE_NAME = 'library-cache.bin';
/** A cache larger than this many times its sources is not written (it never should be: about 1× is usual). */
const MAX_SIZE_RATIO = 4;
/** … but a small library may always have a cache of this size: the bundled library alone is a few hundred kilobytes. */
const MIN_SIZE_LIMIT = 16 * 1024 * 1024;
const MB = 1024 * 1024;
/** The first read of the file: its head (a few kilobytes) and, for most libraries, the overview after it. */
const HEAD_BYTES = 64 * 1024;
/** Papers decoded between two turns of the event loop once the saved index answers. */
const PAPERS_PER_SLICE = 2000;

/** One byte a character, copied: faster than UTF-8 decoding of the same ASCII text. */
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(bytes < MB ? 2 : 1)} MB`;

/**
 * The saved search index with the cache's papers, before they are all decoded: each is decoded
 * when a search first shows it.
 */
export interface EarlyIndex {
  papers: LazyList<Paper>;
  index: EncodedIndex;
  fingerprint: string;
}

/** What `restore` is given, in its order (see there). */
type RestoreSteps<Meta, Value> = [
  accept: (meta: unknown) => meta is Meta,
  mismatch: (meta: Meta) => string | undefined,
  isPaper: (item: unknown) => item is Paper,
  withPapers: (value: unknown, papers: Paper[]) => Value | undefined,
  overview?: (value: unknown) => void,
];

interface IndexWanted {
  papers: readonly Paper[];
  resolve(index: { index: EncodedIndex; fingerprint: string } | undefined): void;
}

/**
 * The assembled library kept on disk between sessions (src/core/cache/ holds the format): one
 * file in the folder VS Code gives this workspace, so that a reload with an unchanged library is
 * served at once. What it holds is whatever its user saves (LibrarySources: the sources' parses and
 * the assembled library), plus the search index of that library, which the search service hands
 * over when it has built it. A file that cannot be used is logged, removed and rebuilt.
 */
export class LibraryCache extends Disposable {
  private restored?: { papers: readonly Paper[]; index: EncodedIndex; fingerprint: string };
  /** While a restore runs: settles with the saved index as soon as it can answer, or undefined when there is none. */
  private early?: { promise: Promise<EarlyIndex | undefined>; resolve(index: EarlyIndex | undefined): void };
  private wanted?: IndexWanted;
  private saving: Promise<void> = Promise.resolve();
  private generation = 0;

  constructor(
    /** The folder to keep the file in; undefined keeps nothing. */
    private readonly folder: vscode.Uri | undefined,
    /** The extension's version: a cache from another version is not used. */
    readonly extensionVersion: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register({ dispose: () => this.release() });
  }

  /** The cache file's path; undefined when there is no folder to keep it in. */
  get file(): string | undefined {
    return this.folder && path.join(this.folder.fsPath, FILE_NAME);
  }

  /**
   * The value and papers saved last time, when the file is there, sound, and `accept` finds its
   * description fitting (`mismatch` returns why not otherwise); undefined otherwise, with a log
   * line saying why. `isPaper` checks each paper as it is decoded, `withPapers` the value with the
   * papers and makes what the caller keeps (undefined: of an unknown shape). The file's overview is
   * handed to `overview` as soon as it is read and checked; the saved search index is offered
   * (`earlyIndex`) as soon as it and the papers' bytes are checked, before the papers are decoded.
   */
  async restore<Meta, Value>(...steps: RestoreSteps<Meta, Value>): Promise<{ meta: Meta; value: Value } | undefined> {
    const file = this.file;
    if (!file) return undefined;
    let resolveEarly: (index: EarlyIndex | undefined) => void = () => undefined;
    const early = { promise: new Promise<EarlyIndex | undefined>((resolve) => (resolveEarly = resolve)), resolve: resolveEarly };
    this.early = early;
    try {
      return await this.read(file, ...steps);
    } finally {
      early.resolve(undefined);
      if (this.early === early) this.early = undefined;
    }
  }

  private async read<Meta, Value>(
    file: string,
    ...[accept, mismatch, isPaper, withPapers, overview]: RestoreSteps<Meta, Value>
  ): Promise<{ meta: Meta; value: Value } | undefined> {
    const started = performance.now();
    const reject = (why: string) => {
      this.log.warn(`Library cache ignored (${why}); the library is read from its files and the cache rebuilt`);
      void removeWithLeftovers(file).catch(() => undefined);
      return undefined;
    };
    let opened: OpenedFile | undefined;
    try {
      opened = await openIfAny(file);
      if (!opened) {
        this.log.info('Library cache: none yet, so the library is read from its files');
        return undefined;
      }
      const reader = opened;
      const prelude = await reader.read(0, HEAD_BYTES);
      const headLength = libraryCacheHeadLength(prelude);
      // The head's first read usually holds the overview too.
      const head = prelude.length >= headLength ? prelude : await reader.read(0, headLength);
      const read = (range: { from: number; to: number }) => (range.to <= head.length ? head.subarray(range.from, range.to) : reader.read(range.from, range.to));
      const layout = openLibraryCache(head, reader.size);
      const { meta } = layout;
      if (!accept(meta)) return reject('it describes its library in an unknown shape');
      const different = mismatch(meta);
      if (different) {
        this.log.info(`Library cache not used: ${different}; the library is read from its files`);
        return undefined;
      }
      if (overview && layout.overviewRange) overview(decodeOverview(layout, await read(layout.overviewRange), latin1));
      // The index in a buffer of its own, which its arrays keep alive: the rest of the file is freed once decoded.
      const [libraryBytes, indexBytes] = await Promise.all([read(layout.libraryRange), layout.indexRange && read(layout.indexRange)]);
      const list = decodeCachedLibrary(layout, libraryBytes, isPaper, latin1);
      const index = indexBytes && decodeCachedIndex(layout, indexBytes);
      const fingerprint = (meta as { indexFingerprint?: unknown }).indexFingerprint;
      const saved = index && index.paperCount === list.length && typeof fingerprint === 'string' ? { index, fingerprint } : undefined;
      // A search can answer from here on, each paper it shows decoded then; the others are decoded next, between turns of the event loop.
      if (saved) this.early?.resolve({ papers: list, ...saved });
      const steps = list.all(PAPERS_PER_SLICE);
      let step: IteratorResult<void, Paper[]>;
      // A turn first, so that the search takes the index before the papers' first slice.
      do {
        await nextTurn();
        if (this.isDisposed) return undefined;
        step = steps.next();
      } while (!step.done);
      const papers = step.value;
      // The rest (the library files' parses, sharing the papers' records) last, out of the search's way.
      const value = list.value();
      const kept = withPapers(value, papers);
      if (kept === undefined) return reject('its library has an unknown shape');
      if (saved) this.restored = { papers, ...saved };
      this.log.info(`Library cache: ${papers.length} papers read in ${Math.round(performance.now() - started)} ms${saved ? ', with their search index' : ''}`);
      return { meta, value: kept };
    } catch (error) {
      if (error instanceof CacheFormatError) return reject(error.message);
      this.log.warn(`Library cache: could not read ${file}, so the library is read from its files: ${errorDetail(error)}`);
      return undefined;
    } finally {
      await opened?.close().catch(() => undefined);
    }
  }

  /**
   * The saved search index with the papers not yet all decoded, while a start from the cache reads
   * them; undefined at once when no restore is under way, or when the file has no index for them.
   */
  earlyIndex(): Promise<EarlyIndex | undefined> {
    return this.early?.promise ?? Promise.resolve(undefined);
  }

  /**
   * The saved search index of exactly these papers built with the same searchable extras (`fingerprint`),
   * handed over once; undefined when there is none.
   */
  takeIndex(papers: readonly Paper[], fingerprint: string): EncodedIndex | undefined {
    const restored = this.restored;
    if (restored?.papers !== papers) return undefined;
    this.restored = undefined;
    if (restored.fingerprint !== fingerprint) {
      this.log.info('Library cache: the tags changed since the search index was saved, so it is built again');
      return undefined;
    }
    return restored.index;
  }

  /** Whether a save waits for the search index of these papers (the search service then builds it at once). */
  wantsIndex(papers: readonly Paper[]): boolean {
    return this.wanted?.papers === papers;
  }

  /** Hands over a search index built for `papers`; ignored unless a save waits for it. */
  indexBuilt(papers: readonly Paper[], index: SearchIndex | undefined, fingerprint: string): void {
    if (this.wanted?.papers !== papers) return;
    const wanted = this.wanted;
    this.wanted = undefined;
    wanted.resolve(index && { index: encodeIndex(index.indexData), fingerprint });
  }

  /**
   * Saves `value` (described by `meta`; without the papers) with `papers`, stored to be decoded one
   * by one, and their search index once it is built, in the background: encoded in slices between turns of the event loop, written by the file system's
   * threads through a temporary file. A later save supersedes one not yet written. `overview`
   * makes what the next start shows before the rest is read (see `restore`), when it is written.
   */
  save(meta: object, value: unknown, papers: readonly Paper[], sourceBytes: number, overview?: () => unknown): void {
    const file = this.file;
    if (!file || this.isDisposed) return;
    const generation = ++this.generation;
    this.wanted?.resolve(undefined);
    const index = new Promise<{ index: EncodedIndex; fingerprint: string } | undefined>((resolve) => (this.wanted = { papers, resolve }));
    this.saving = this.saving
      .then(() => index)
      .then((built) => (generation === this.generation && !this.isDisposed ? this.write(file, { meta: { ...meta, indexFingerprint: built?.fingerprint }, value, papers, overview: overview?.(), index: built?.index }, sourceBytes) : undefined))
      .catch((error: unknown) => this.log.warn(`Library cache: could not be written (${errorDetail(error)}); the next start reads the library files again`));
  }

  /** Settles when the saves asked for so far are written (tests). */
  get settled(): Promise<void> {
    return this.saving;
  }

  /** Removes the file; resolves with the bytes freed. */
  async clear(): Promise<number> {
    this.release();
    this.generation++;
    const file = this.file;
    if (!file) return 0;
    await this.saving;
    const freed = await removeWithLeftovers(file);
    this.log.info(`Library cache cleared: ${megabytes(freed)} freed; the next start reads the library files again`);
    return freed;
  }

  private release(): void {
    this.restored = undefined;
    this.early?.resolve(undefined);
    this.wanted?.resolve(undefined);
    this.wanted = undefined;
  }

  private async write(file: string, content: LibraryCacheContent, sourceBytes: number): Promise<void> {
    const started = performance.now();
    const steps = encodeLibraryCache(content);
    let step = steps.next();
    for (; !step.done; step = steps.next()) {
      await nextTurn();
      if (this.isDisposed) return;
    }
    const parts = step.value;
    const size = parts.reduce((sum, part) => sum + part.length, 0);
    const limit = Math.max(MIN_SIZE_LIMIT, MAX_SIZE_RATIO * sourceBytes);
    if (size > limit) {
      this.log.warn(`Library cache not written: ${megabytes(size)} is more than ${MAX_SIZE_RATIO}× the library files' ${megabytes(sourceBytes)}`);
      return;
    }
    await writeBytes(file, parts);
    this.log.info(
      `Library cache: wrote ${megabytes(size)} (${(size / Math.max(1, sourceBytes)).toFixed(2)}× the library files' ${megabytes(sourceBytes)}; one file per workspace, at most ${MAX_SIZE_RATIO}×) in ${Math.round(performance.now() - started)} ms to ${file}`,
    );
  }
}
