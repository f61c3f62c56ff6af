import type * as vscode from 'vscode';
import type { CitationService } from './citationService';
import type { DiscoveryStateFile } from './discoveryStateFile';
import type { LibraryCache } from './libraryCache';
import type { LibraryService } from './libraryService';
import type { MarkdownEditors } from './markdownEditors';
import type { ReadingStateService } from './readingStateService';
import type { SearchService } from './searchService';
import type { Settings } from './settings';
import type { ZoteroLibrary } from './zoteroLibrary';

/** What the features share; built once in `activate`. Only services: the views sit above them. */
export interface Services {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly settings: Settings;
  readonly library: LibraryService;
  readonly libraryCache: LibraryCache;
  /** The last topic discovery kept beside the library cache. */
  readonly discoveryState: DiscoveryStateFile;
  readonly search: SearchService;
  readonly citations: CitationService;
  readonly markdownEditors: MarkdownEditors;
  readonly readingState: ReadingStateService;
  readonly zotero: ZoteroLibrary;
}
