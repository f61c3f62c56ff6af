import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { extrasFingerprint } from '../core/cache/libraryCache';
import { SearchIndex, type AsyncBuildOptions } from '../core/search';
import { paperTags } from '../core/readingState';
import type { LibraryCache } from './libraryCache';
import type { LibraryService } from './libraryService';
import type { ReadingStateService } from './readingStateService';
import { buildIndexInWorkers, indexFromEncoded } from './searchIndexBuild';
import { inWorkerOrHere } from './workerClient';

interface Build {
  readonly index: Promise<SearchIndex>;
  readonly controller: AbortController;
}

/**
 * Owns the search index: built on first use in a worker thread (in slices on this thread when the
 * worker is missing or fails), so a large library never blocks the editor, and rebuilt after a
 * library change or a change of tags (which are searchable). A build made obsolete is stopped.
 */
export class SearchService extends Disposable {
  private build: Build | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** The index given out so far no longer matches the library: whoever holds one asks `getIndex` again. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly library: LibraryService,
    private readonly readingState: ReadingStateService,
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    /** Where a saved index comes from, and where a built one goes (the library cache). */
    private readonly cache?: LibraryCache,
  ) {
    super();
    const invalidate = () => {
      this.build?.controller.abort();
      this.build = undefined;
    };
    const changed = () => {
      invalidate();
      this.changed.fire();
      // A library about to be cached is cached with its index: built now rather than on first use.
      if (this.cache?.wantsIndex(this.library.papers)) this.getIndex().catch(() => this.cache?.indexBuilt(this.library.papers, undefined, ''));
    };
    this._register({ dispose: invalidate });
    this._register(library.onDidChange(changed));
    this._register(readingState.onDidChange((change) => change.tags && changed()));
  }

  /**
   * The index of the current library. While the library loads, it waits for it, so that a search
   * right after start-up is not made in an empty library; a caller waiting on a build that a change
   * made obsolete gets the next one. Rejects with an AbortError when the service closes first.
   */
  async getIndex(): Promise<SearchIndex> {
    for (;;) {
      const build = (this.build ??= this.startBuild());
      try {
        return await build.index;
      } catch (error) {
        if (build.controller.signal.aborted && !this.isDisposed) continue;
        // The next call tries again.
        if (this.build === build) this.build = undefined;
        throw error;
      }
    }
  }

  private startBuild(): Build {
    const controller = new AbortController();
    const options: AsyncBuildOptions = {
      extraText: (paper) => paperTags(paper, this.readingState.get(paper.key)).join(' '),
      signal: controller.signal,
    };
    const index = this.earlyIndex(controller.signal).then((early) =>
      // A failed load leaves the library as it was, which is then what there is to search.
      early ?? this.library.ready.then(
        () => this.buildIndex(options),
        () => this.buildIndex(options),
      ),
    );
    return { index, controller };
  }

  /** The same papers have the same tags of their own: of the searchable extras, only the reading state's tags can differ. */
  private fingerprint(): string {
    return extrasFingerprint(this.readingState.tagsByKey());
  }

  /**
   * While the first load reads the library cache: its saved index, which answers before the
   * papers are all decoded (the library's change when they are replaces it); undefined otherwise.
   */
  private async earlyIndex(signal: AbortSignal): Promise<SearchIndex | undefined> {
    const early = await this.cache?.earlyIndex();
    if (!early || signal.aborted) return undefined;
    if (this.fingerprint() !== early.fingerprint) return undefined;
    return indexFromEncoded(early.papers, early.index, signal);
  }

  private async buildIndex(options: AsyncBuildOptions): Promise<SearchIndex> {
    options.signal?.throwIfAborted();
    const { papers, topics } = this.library;
    const started = performance.now();
    const fingerprint = this.fingerprint();
    const saved = this.cache?.takeIndex(papers, fingerprint);
    if (saved) return indexFromEncoded(papers, saved, options.signal);
    const index = await inWorkerOrHere(
      'build the search index',
      () => buildIndexInWorkers(path.join(this.extensionPath, 'dist'), papers, topics, options),
      () => SearchIndex.buildAsync(papers, topics, options),
      this.log,
      options.signal,
    );
    this.log.debug(`Search index of ${papers.length} papers built in ${Math.round(performance.now() - started)} ms`);
    this.cache?.indexBuilt(papers, index, fingerprint);
    return index;
  }
}
