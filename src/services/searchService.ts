import * as vscode from 'vscode';
import { SearchIndex } from '../core/search';
import type { LibraryService } from './libraryService';

/** Owns the search index: built on first use, in slices so a large library never blocks the editor, and rebuilt after a library change. */
export class SearchService implements vscode.Disposable {
  private index: Promise<SearchIndex> | undefined;
  private readonly listener: vscode.Disposable;

  constructor(private readonly library: LibraryService) {
    this.listener = library.onDidChange(() => {
      this.index = undefined;
    });
  }

  getIndex(): Promise<SearchIndex> {
    this.index ??= SearchIndex.buildAsync(this.library.papers, this.library.topics);
    return this.index;
  }

  dispose(): void {
    this.listener.dispose();
  }
}
