import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SearchIndex, type AsyncBuildOptions } from '../core/search';
import { paperTags } from '../core/readingState';
import type { LibraryService } from './libraryService';
import type { ReadingStateService } from './readingStateService';
import { buildIndexInWorkers } from './searchWorker';

interface Build {
  readonly index: Promise<SearchIndex>;
  readonly controller: AbortController;
}

/**
 * Owns the search index: built on first use in a worker thread (in slices on this thread when the
 * worker is missing or fails), so a large library never blocks the editor, and rebuilt after a
 * library change or a change of tags (which are searchable). A build made obsolete is stopped.
 */
export class SearchService implements vscode.Disposable {
  private build: Build | undefined;
  private disposed = false;
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly library: LibraryService,
    private readonly readingState: ReadingStateService,
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const invalidate = () => {
      this.build?.controller.abort();
      this.build = undefined;
    };
    this.listeners = [
      library.onDidChange(invalidate),
      readingState.onDidChange((change) => change.tags && invalidate()),
      { dispose: invalidate },
    ];
  }

  /** The index of the current library; a caller waiting on a build that a change made obsolete gets the next one. */
  async getIndex(): Promise<SearchIndex> {
    for (;;) {
      const build = (this.build ??= this.startBuild());
      try {
        return await build.index;
      } catch (error) {
        if (build.controller.signal.aborted && !this.disposed) continue;
        // The next call tries again.
        if (this.build === build) this.build = undefined;
        throw error;
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    vscode.Disposable.from(...this.listeners).dispose();
  }

  private startBuild(): Build {
    const controller = new AbortController();
    const index = this.buildIndex({
      extraText: (paper) => paperTags(paper, this.readingState.get(paper.key)).join(' '),
      signal: controller.signal,
    });
    return { index, controller };
  }

  private async buildIndex(options: AsyncBuildOptions): Promise<SearchIndex> {
    const { papers, topics } = this.library;
    const workerFile = path.join(this.extensionPath, 'dist', 'searchIndexWorker.js');
    if (fs.existsSync(workerFile)) {
      try {
        const started = performance.now();
        const index = await buildIndexInWorkers(workerFile, papers, topics, options);
        this.log.debug(`Search index of ${papers.length} papers built in a worker in ${Math.round(performance.now() - started)} ms`);
        return index;
      } catch (error) {
        if (options.signal?.aborted) throw error;
        this.log.warn('Could not build the search index in a worker thread; building it here instead:', error instanceof Error ? error.message : String(error));
      }
    }
    return SearchIndex.buildAsync(papers, topics, options);
  }
}
