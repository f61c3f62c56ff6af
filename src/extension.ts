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
import { registerPandocCommands } from './commands/pandocExport';
import { registerReadingStateCommands } from './commands/readingState';
import type { Workbench } from './commands/workbench';
import { registerTopicCommands } from './commands/topics';
import { registerTreeCommands } from './commands/tree';
import { registerZoteroCommands } from './commands/zotero';
import { CitationPreview } from './markdown/citationPreview';
import { registerMarkdownCitations } from './markdown/markdownCitations';
import { BacklinkIndex } from './services/backlinkIndex';
import { DiscoveryStateFile } from './services/discoveryStateFile';
import { LibraryCache } from './services/libraryCache';
import { LibrarySources } from './services/librarySources';
import { CitationService } from './services/citationService';
import { LibraryService } from './services/libraryService';
import { MarkdownEditors } from './services/markdownEditors';
import { ReadingStateService } from './services/readingStateService';
import { SearchService } from './services/searchService';
import { reportFailure } from './services/log';
import { Settings } from './services/settings';
import { TopicsService } from './services/topicsService';
import { ZoteroLibrary } from './services/zoteroLibrary';
import { PapersView, type PapersTreeProvider } from './views/papersTree';
import { PaperDetailPanels, registerDetailPanel } from './webview/detailPanel';

/** What `activate` returns: the live services, for the integration tests and for other extensions. */
export interface LitNotesApi {
  readonly library: LibraryService;
  readonly libraryCache: LibraryCache;
  readonly search: SearchService;
  readonly backlinks: BacklinkIndex;
  readonly papersTree: PapersTreeProvider;
  readonly papersView: PapersView;
  readonly topics: TopicsService;
  readonly detailPanels: PaperDetailPanels;
  readonly zotero: ZoteroLibrary;
  /** Called by VS Code's Markdown preview (package.json `markdown.markdownItPlugins`). */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

export function activate(context: vscode.ExtensionContext): LitNotesApi {
  const log = vscode.window.createOutputChannel('Lit Notes', { log: true });
  const settings = new Settings();
  const library = new LibraryService();
  const zotero = new ZoteroLibrary(context, settings, log);
  const readingState = new ReadingStateService(settings, log);
  // This workspace's own folder: the library depends on its settings and its tags (no folder open: the global one).
  const storage = context.storageUri ?? context.globalStorageUri;
  const version = String(context.extension?.packageJSON?.version ?? '');
  const discoveryState = new DiscoveryStateFile(storage, version, settings, log);
  const topics = new TopicsService(settings, library, log, discoveryState);
  // Scans the workspace only when the tree or a panel first asks who cites a paper.
  const backlinks = new BacklinkIndex(log);
  const libraryCache = new LibraryCache(storage, version, log);
  // Zotero (when enabled), the configured library files and the bundled library, merged; watched.
  const sources = new LibrarySources(context.extensionPath, settings, library, topics, log, libraryCache, zotero);
  const papersView = new PapersView(library, settings, readingState, backlinks, sources, topics, context.workspaceState);
  const detailPanels = new PaperDetailPanels(context.extensionUri, library, log, readingState, backlinks);
  const services: Workbench = {
    extensionUri: context.extensionUri,
    log,
    settings,
    library,
    libraryCache,
    discoveryState,
    search: new SearchService(library, readingState, context.extensionPath, log, libraryCache),
    citations: new CitationService(context.extensionPath, settings, log),
    markdownEditors: new MarkdownEditors(),
    readingState,
    papersView,
    detailPanels,
    zotero,
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
    zotero,
    libraryCache,
    sources,
    services.search,
    services.citations,
    services.markdownEditors,
    readingState,
    topics,
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
    ...registerPandocCommands(services),
    ...registerTreeCommands(papersView, sources, log),
    ...registerZoteroCommands(services),
    ...registerTopicCommands(services, topics),
  );
  return { library, libraryCache, search: services.search, backlinks, papersTree: papersView.provider, papersView, topics, detailPanels, zotero, extendMarkdownIt: (md) => preview.extendMarkdownIt(md) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
