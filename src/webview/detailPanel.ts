import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { BacklinkIndex, CitationSite } from '../services/backlinkIndex';
import type { LibraryService } from '../services/libraryService';
import type { ReadingStateService } from '../services/readingStateService';
import { guarded } from '../services/log';
import { detailHtml } from './detailHtml';
import { shortTitle, toPaperView } from './paperView';
import {
  PAPER_COMMAND_IDS,
  PAPER_DETAIL_VIEW_TYPE,
  parseWebviewMessage,
  parseWebviewState,
  type HostMessage,
  type PaperCommand,
  type WebviewMessage,
} from './protocol';

const COMMAND_DESCRIPTIONS: Readonly<Record<PaperCommand, string>> = {
  insertCitation: 'insert the citation',
  copyBibtex: 'copy the BibTeX entry',
  openArxiv: 'open the arXiv page',
  openPdf: 'open the PDF',
  openHuggingFace: 'open the Hugging Face page',
  openCode: 'open the code repository',
  openNote: 'open the literature note',
  editTags: 'edit the tags',
};

/** One detail panel per paper, like VS Code's extension details editors. */
export class PaperDetailPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  /** Per panel, the citing places last sent to it: the only ones it may ask to open. */
  private readonly listedSites = new Map<vscode.WebviewPanel, CitationSite[]>();
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly library: LibraryService,
    private readonly log: vscode.LogOutputChannel,
    private readonly readingState: ReadingStateService,
    private readonly citations: BacklinkIndex,
  ) {
    const renderAll = () => {
      for (const [key, panel] of this.panels) void this.render(panel, key);
    };
    this.listeners = [library.onDidChange(renderAll), readingState.onDidChange(renderAll), citations.onDidChange(renderAll)];
  }

  show(key: string): void {
    const paper = this.library.getPaper(key);
    if (!paper) throw new Error(`there is no paper with the key "${key}" in the library`);
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PAPER_DETAIL_VIEW_TYPE,
      shortTitle(paper.title),
      vscode.ViewColumn.Active,
      { ...this.webviewOptions(), enableFindWidget: true },
    );
    this.attach(panel, key);
  }

  /** Adopts a panel VS Code restored after a reload; its state holds only the paper key. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const key = parseWebviewState(state)?.key;
    if (key === undefined || this.panels.has(key)) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    this.attach(panel, key);
  }

  openKeys(): string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    vscode.Disposable.from(...this.listeners).dispose();
    for (const panel of [...this.panels.values()]) panel.dispose();
  }

  private webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
  }

  private attach(panel: vscode.WebviewPanel, key: string): void {
    const { webview } = panel;
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'paper-light.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'paper-dark.svg'),
    };
    webview.html = detailHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'detail.css')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'codicons', 'codicon.css')).toString(),
    });
    const messages = webview.onDidReceiveMessage((data: unknown) => {
      const message = parseWebviewMessage(data);
      if (message) void this.handle(panel, key, message);
      else this.log.warn(`Paper panel ${key}: ignored an unexpected message`, data);
    });
    panel.onDidDispose(() => {
      messages.dispose();
      this.panels.delete(key);
      this.listedSites.delete(panel);
    });
    this.panels.set(key, panel);
  }

  private async handle(panel: vscode.WebviewPanel, key: string, message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // Sent on every load, including when a hidden panel is shown again and its page is rebuilt.
        return this.render(panel, key);
      case 'command':
        return guarded(this.log, COMMAND_DESCRIPTIONS[message.command], () =>
          vscode.commands.executeCommand(PAPER_COMMAND_IDS[message.command], key),
        )();
      case 'revealTopic': {
        const { topicId } = message;
        if (!this.library.getTopic(topicId) || !this.library.getPaper(key)?.topics.includes(topicId)) {
          this.log.warn(`Paper panel ${key}: ignored a request to reveal unknown topic`, topicId);
          return;
        }
        return guarded(this.log, 'reveal the topic', () =>
          vscode.commands.executeCommand('litnotes.revealTopic', topicId),
        )();
      }
      case 'setStatus':
        return guarded(this.log, 'set the reading status', () =>
          vscode.commands.executeCommand('litnotes.setStatus', key, message.status),
        )();
      case 'openCitation': {
        const site = this.listedSites.get(panel)?.find((listed) => listed.uri.toString() === message.uri && listed.line === message.line);
        if (!site) {
          this.log.warn(`Paper panel ${key}: ignored a request to open a place it was not shown`, message.uri, message.line);
          return;
        }
        return guarded(this.log, 'open the citing note', async () => {
          const position = new vscode.Position(site.line, site.column);
          await vscode.window.showTextDocument(site.uri, { selection: new vscode.Range(position, position), preview: false });
        })();
      }
    }
  }

  private async render(panel: vscode.WebviewPanel, key: string): Promise<void> {
    // A panel restored at start-up can ask before the library has loaded.
    await this.library.ready;
    const paper = this.library.getPaper(key);
    let message: HostMessage;
    if (paper) {
      panel.title = shortTitle(paper.title);
      const sites = this.citations.sites(paper);
      this.listedSites.set(panel, sites);
      const { status, tags } = this.readingState.get(key);
      message = {
        type: 'paper',
        paper: toPaperView(paper, (id) => this.library.getTopic(id)),
        notes: {
          status,
          tags,
          citedIn: sites.map((site) => ({
            uri: site.uri.toString(),
            file: vscode.workspace.asRelativePath(site.uri),
            line: site.line,
            preview: site.preview,
          })),
        },
      };
    } else {
      message = { type: 'missing', key };
    }
    // A hidden panel drops the message; it sends `ready` again when shown.
    void panel.webview.postMessage(message);
  }
}

/** Restores paper panels after a window reload. */
export function registerDetailPanel(panels: PaperDetailPanels): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PAPER_DETAIL_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel, state: unknown) => panels.restore(panel, state),
  });
}
