import * as vscode from 'vscode';
import { registerCitationCommands } from './commands/citations';
import { registerClipboardCommands } from './commands/clipboard';
import { registerLinkCommands } from './commands/links';
import { registerNavigationCommands } from './commands/navigation';
import { loadBundledLibrary } from './services/bundledLibrary';
import { CitationService } from './services/citationService';
import { LibraryService } from './services/libraryService';
import { MarkdownEditors } from './services/markdownEditors';
import { SearchService } from './services/searchService';
import type { Services } from './services/services';
import { Settings } from './services/settings';
import { PapersView, type PapersTreeProvider } from './views/papersTree';
import { PaperDetailPanels, registerDetailPanel } from './webview/detailPanel';

/** What `activate` returns: the live services, for the integration tests and for other extensions. */
export interface LitNotesApi {
  readonly library: LibraryService;
  readonly papersTree: PapersTreeProvider;
  readonly detailPanels: PaperDetailPanels;
}

export function activate(context: vscode.ExtensionContext): LitNotesApi {
  const log = vscode.window.createOutputChannel('Lit Notes', { log: true });
  const settings = new Settings();
  const library = new LibraryService();
  const papersView = new PapersView(library, settings);
  const detailPanels = new PaperDetailPanels(context.extensionUri, library, log);
  const services: Services = {
    extensionUri: context.extensionUri,
    log,
    settings,
    library,
    search: new SearchService(library),
    citations: new CitationService(context.extensionPath, settings),
    markdownEditors: new MarkdownEditors(),
    papersView,
    detailPanels,
  };

  const reload = async (): Promise<void> => {
    await library.load(async () => {
      const { library: loaded, problems } = await loadBundledLibrary(context.extensionPath);
      for (const problem of problems) log.warn(`Bundled library: ${problem}`);
      log.info(`Loaded ${loaded.papers.length} papers in ${loaded.topics.length} topics`);
      return loaded;
    });
  };
  reload().catch((error: unknown) => {
    log.error('Could not load the library:', error instanceof Error ? error.stack ?? error.message : String(error));
    void vscode.window.showErrorMessage(`Lit Notes could not load its library: ${error instanceof Error ? error.message : String(error)}`);
  });

  context.subscriptions.push(
    log,
    settings,
    library,
    services.search,
    services.citations,
    services.markdownEditors,
    papersView,
    detailPanels,
    registerDetailPanel(detailPanels),
    ...registerNavigationCommands(services, reload),
    ...registerCitationCommands(services),
    ...registerClipboardCommands(services),
    ...registerLinkCommands(services),
  );
  return { library, papersTree: papersView.provider, detailPanels };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
