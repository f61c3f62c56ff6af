import type * as vscode from 'vscode';
import type { PapersView } from '../views/papersTree';
import type { PaperDetailPanels } from '../webview/detailPanel';
import type { CitationService } from './citationService';
import type { LibraryService } from './libraryService';
import type { MarkdownEditors } from './markdownEditors';
import type { ReadingStateService } from './readingStateService';
import type { SearchService } from './searchService';
import type { Settings } from './settings';
import type { ZoteroLibrary } from './zoteroLibrary';

/** What the features share; built once in `activate`. */
export interface Services {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly settings: Settings;
  readonly library: LibraryService;
  readonly search: SearchService;
  readonly citations: CitationService;
  readonly markdownEditors: MarkdownEditors;
  readonly readingState: ReadingStateService;
  readonly papersView: PapersView;
  readonly detailPanels: PaperDetailPanels;
  readonly zotero: ZoteroLibrary;
}
