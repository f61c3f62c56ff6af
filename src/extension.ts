import * as vscode from 'vscode';
import { registerCitationCommands } from './commands/citations';
import { registerClipboardCommands } from './commands/clipboard';
import { registerLibraryCommands } from './commands/library';
import { registerLinkCommands } from './commands/links';
import { registerNavigationCommands } from './commands/navigation';
import { registerNoteCommands } from './commands/notes';
import { registerReadingStateCommands } from './commands/readingState';
import { registerZoteroCommands } from './commands/zotero';
import { registerMarkdownCitations } from './markdown/markdownCitations';
import { LibrarySources } from './services/librarySources';
import { CitationIndex } from './services/citationIndex';
import { CitationService } from './services/citationService';
import { LibraryService } from './services/libraryService';
import { MarkdownEditors } from './services/markdownEditors';
import { ReadingStateService } from './services/readingStateService';
import { SearchService } from './services/searchService';
import type { Services } from './services/services';
import { Settings } from './services/settings';
import { ZoteroLibrary } from './services/zoteroLibrary';
import { PapersView, type PapersTreeProvider } from './views/papersTree';
import { PaperDetailPanels, registerDetailPanel } from './webview/detailPanel';

/** What `activate` returns: the live services, for the integration tests and for other extensions. */
export interface LitNotesApi {
  readonly library: LibraryService;
  readonly papersTree: PapersTreeProvider;
  readonly detailPanels: PaperDetailPanels;
  readonly zotero: ZoteroLibrary;
}

export function activate(context: vscode.ExtensionContext): LitNotesApi {
  const log = vscode.window.createOutputChannel('Lit Notes', { log: true });
  const settings = new Settings();
  const library = new LibraryService();
  const zotero = new ZoteroLibrary(context, settings, log);
  const readingState = new ReadingStateService(settings, log);
  const citationIndex = new CitationIndex(log);
  const papersView = new PapersView(library, settings, readingState, citationIndex);
  const detailPanels = new PaperDetailPanels(context.extensionUri, library, log, readingState, citationIndex);
  const services: Services = {
    extensionUri: context.extensionUri,
    log,
    settings,
    library,
    search: new SearchService(library, readingState, context.extensionPath, log),
    citations: new CitationService(context.extensionPath, settings),
    markdownEditors: new MarkdownEditors(),
    readingState,
    papersView,
    detailPanels,
    zotero,
  };

  // The configured library files merged with the bundled library, watched; refresh reads them all again.
  const sources = new LibrarySources(context.extensionPath, settings, library, log, zotero);
  const reload = (): Promise<void> => sources.reload();
  reload().catch((error: unknown) => {
    log.error('Could not load the library:', error instanceof Error ? error.stack ?? error.message : String(error));
    void vscode.window.showErrorMessage(`Lit Notes could not load its library: ${error instanceof Error ? error.message : String(error)}`);
  });

  context.subscriptions.push(
    log,
    settings,
    library,
    zotero,
    sources,
    services.search,
    services.citations,
    services.markdownEditors,
    readingState,
    citationIndex,
    papersView,
    detailPanels,
    registerDetailPanel(detailPanels),
    ...registerNavigationCommands(services, reload),
    ...registerCitationCommands(services),
    ...registerClipboardCommands(services),
    ...registerLinkCommands(services),
    ...registerNoteCommands(services),
    ...registerReadingStateCommands(services),
    ...registerMarkdownCitations(services),
    ...registerLibraryCommands(services),
    ...registerZoteroCommands(services),
  );
  return { library, papersTree: papersView.provider, detailPanels, zotero };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
