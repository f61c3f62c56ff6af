import type MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import { registerCitationCommands } from './commands/citations';
import { registerExportNoteCommands } from './commands/exportNote';
import { registerClipboardCommands } from './commands/clipboard';
import { registerIdentifierCommands } from './commands/identifiers';
import { registerLibraryCommands } from './commands/library';
import { registerLinkCommands } from './commands/links';
import { registerNavigationCommands } from './commands/navigation';
import { registerNoteCommands } from './commands/notes';
import { registerReadingStateCommands } from './commands/readingState';
import type { Workbench } from './commands/workbench';
import { registerTreeCommands } from './commands/tree';
import { CitationPreview } from './markdown/citationPreview';
import { registerMarkdownCitations } from './markdown/markdownCitations';
import { BacklinkIndex } from './services/backlinkIndex';
import { LibrarySources } from './services/librarySources';
import { CitationService } from './services/citationService';
import { LibraryService } from './services/libraryService';
import { MarkdownEditors } from './services/markdownEditors';
import { ReadingStateService } from './services/readingStateService';
import { SearchService } from './services/searchService';
import { reportFailure } from './services/log';
import { Settings } from './services/settings';
import { PapersView, type PapersTreeProvider } from './views/papersTree';
import { PaperDetailPanels, registerDetailPanel } from './webview/detailPanel';

/** What `activate` returns: the live services, for the integration tests and for other extensions. */
export interface LitNotesApi {
  readonly library: LibraryService;
  readonly backlinks: BacklinkIndex;
  readonly papersTree: PapersTreeProvider;
  readonly detailPanels: PaperDetailPanels;
  /** Called by VS Code's Markdown preview (package.json `markdown.markdownItPlugins`). */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

export function activate(context: vscode.ExtensionContext): LitNotesApi {
  const log = vscode.window.createOutputChannel('Lit Notes', { log: true });
  const settings = new Settings();
  const library = new LibraryService();
  const readingState = new ReadingStateService(settings, log);
  // Scans the workspace only when the tree or a panel first asks who cites a paper.
  const backlinks = new BacklinkIndex(log);
  // The configured library files merged with the bundled library, watched; refresh reads them all again.
  const sources = new LibrarySources(context.extensionPath, settings, library, log);
  const papersView = new PapersView(library, settings, readingState, backlinks, sources, context.workspaceState);
  const detailPanels = new PaperDetailPanels(context.extensionUri, library, log, readingState, backlinks);
  const services: Workbench = {
    extensionUri: context.extensionUri,
    log,
    settings,
    library,
    search: new SearchService(library, readingState, context.extensionPath, log),
    citations: new CitationService(context.extensionPath, settings, log),
    markdownEditors: new MarkdownEditors(),
    readingState,
    papersView,
    detailPanels,
  };

  const preview = new CitationPreview(services);

  const reload = (): Promise<void> => sources.reload();
  reload().catch((error: unknown) => {
    reportFailure(log, 'load the library', error);
  });

  context.subscriptions.push(
    log,
    settings,
    library,
    sources,
    services.search,
    services.citations,
    services.markdownEditors,
    readingState,
    backlinks,
    papersView,
    detailPanels,
    preview,
    registerDetailPanel(detailPanels),
    ...registerExportNoteCommands(services, preview),
    ...registerNavigationCommands(services, reload),
    ...registerCitationCommands(services),
    ...registerClipboardCommands(services),
    ...registerIdentifierCommands(services),
    ...registerLinkCommands(services),
    ...registerNoteCommands(services),
    ...registerReadingStateCommands(services),
    ...registerMarkdownCitations(services),
    ...registerLibraryCommands(services),
    ...registerTreeCommands(papersView, sources, log),
  );
  return { library, backlinks, papersTree: papersView.provider, detailPanels, extendMarkdownIt: (md) => preview.extendMarkdownIt(md) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
