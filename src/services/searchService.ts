import * as vscode from 'vscode';
import { SearchIndex } from '../core/search';
import type { LibraryService } from './libraryService';
import type { ReadingStateService } from './readingStateService';

/**
 * Owns the search index: built on first use, in slices so a large library never blocks the editor,
 * and rebuilt after a library change or a change of tags (which are searchable).
 */
export class SearchService implements vscode.Disposable {
  private index: Promise<SearchIndex> | undefined;
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly library: LibraryService,
    private readonly readingState: ReadingStateService,
  ) {
    const invalidate = () => {
      this.index = undefined;
    };
    this.listeners = [library.onDidChange(invalidate), readingState.onDidChange((change) => change.tags && invalidate())];
  }

  getIndex(): Promise<SearchIndex> {
    this.index ??= SearchIndex.buildAsync(this.library.papers, this.library.topics, {
      extraText: (paper) => this.readingState.get(paper.key).tags.join(' '),
    });
    return this.index;
  }

  dispose(): void {
    vscode.Disposable.from(...this.listeners).dispose();
  }
}
