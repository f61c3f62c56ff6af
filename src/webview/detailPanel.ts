import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { LINKS } from '../core/links';
import { paperTags } from '../core/readingState';
import type { BacklinkIndex, CitationSite } from '../services/backlinkIndex';
import type { LibraryService } from '../services/libraryService';
import type { ReadingStateService } from '../services/readingStateService';
import { reportFailure } from '../services/log';
import { detailHtml } from './detailHtml';
import { shortTitle, toPaperView } from './paperView';
import {
  PAPER_COMMANDS,
  PAPER_DETAIL_VIEW_TYPE,
  parseWebviewMessage,
  parseWebviewState,
  type HostMessage,
  type WebviewMessage,
} from './protocol';

/**
 * The paper detail panel: one panel that shows one paper at a time and switches to the next paper
 * asked for, so tabs do not pile up. It opens beside the note being written, without taking the
 * focus, so that the note stays in view and its buttons (Insert Citation) have a note to act on.
 */
export class PaperDetailPanels extends Disposable {
  private current: { panel: vscode.WebviewPanel; key: string } | undefined;
  /** The citing places last sent to the panel: the only ones it may ask to open. */
  private listedSites: CitationSite[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly library: LibraryService,
    private readonly log: vscode.LogOutputChannel,
    private readonly readingState: ReadingStateService,
    private readonly citations: BacklinkIndex,
  ) {
    super();
    const render = () => void this.render();
    this._register(library.onDidChange(render));
    this._register(readingState.onDidChange(render));
    this._register(citations.onDidChange(render));
    this._register({ dispose: () => this.current?.panel.dispose() });
  }

  /** The key of the paper the panel shows, while it is open. */
  get currentKey(): string | undefined {
    return this.current?.key;
  }

  show(key: string): void {
    const paper = this.library.getPaper(key);
    if (!paper) throw new Error(`there is no paper with the key "${key}" in the library`);
    if (this.current) {
      this.current.key = key;
      this.current.panel.reveal(undefined, true);
      void this.render();
      return;
    }
    // With no editor open there is nothing to open beside, and "beside" would leave an empty group.
    const viewColumn = vscode.window.tabGroups.activeTabGroup.tabs.length > 0 ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(
      PAPER_DETAIL_VIEW_TYPE,
      shortTitle(paper.title),
      { viewColumn, preserveFocus: true },
      { ...this.webviewOptions(), enableFindWidget: true },
    );
    this.attach(panel, key);
  }

  /** Adopts a panel VS Code restored after a reload; its state holds only the paper key. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const key = parseWebviewState(state)?.key;
    // A window saved with several panels (by an earlier version) comes back with its first one only.
    if (key === undefined || this.current) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    this.attach(panel, key);
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
    const current = { panel, key };
    const messages = webview.onDidReceiveMessage((data: unknown) => {
      const message = parseWebviewMessage(data);
      if (message) void this.handle(current.key, message);
      else this.log.warn(`Paper panel ${current.key}: ignored an unexpected message`, data);
    });
    panel.onDidDispose(() => {
      messages.dispose();
      if (this.current === current) this.current = undefined;
      this.listedSites = [];
    });
    this.current = current;
  }

  private async handle(key: string, message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // Sent on every load, including when a hidden panel is shown again and its page is rebuilt.
        return this.render();
      case 'command': {
        const { id, description } = PAPER_COMMANDS[message.command];
        return this.attempt(description, () => vscode.commands.executeCommand(id, key));
      }
      case 'openLink': {
        const { command, what } = LINKS[message.kind];
        return this.attempt(`open the ${what}`, () => vscode.commands.executeCommand(command, key));
      }
      case 'revealTopic': {
        const { topicId } = message;
        if (!this.library.getTopic(topicId) || !this.library.getPaper(key)?.topics.includes(topicId)) {
          this.log.warn(`Paper panel ${key}: ignored a request to reveal unknown topic`, topicId);
          return;
        }
        return this.attempt('reveal the topic', () =>
          vscode.commands.executeCommand('litnotes.revealTopic', topicId),
        );
      }
      case 'setStatus':
        return this.attempt('set the reading status', () =>
          vscode.commands.executeCommand('litnotes.setStatus', key, message.status),
        );
      case 'openCitation': {
        const site = this.listedSites.find((listed) => listed.uri.toString() === message.uri && listed.line === message.line);
        if (!site) {
          this.log.warn(`Paper panel ${key}: ignored a request to open a place it was not shown`, message.uri, message.line);
          return;
        }
        return this.attempt('open the citing note', async () => {
          const position = new vscode.Position(site.line, site.column);
          await vscode.window.showTextDocument(site.uri, { selection: new vscode.Range(position, position), preview: false, viewColumn: this.notesColumn() });
        });
      }
    }
  }

  /** Where notes opened from the panel go: a group other than the panel's, so that the panel stays in view. */
  private notesColumn(): vscode.ViewColumn {
    const panelColumn = this.current?.panel.viewColumn;
    return vscode.window.tabGroups.all.find((group) => group.viewColumn !== panelColumn)?.viewColumn ?? vscode.ViewColumn.Beside;
  }

  /** The panel's actions run commands that report their own failures; this catches what is left (a command that is gone). */
  private async attempt(what: string, action: () => Thenable<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      reportFailure(this.log, what, error);
    }
  }

  private async render(): Promise<void> {
    // A panel restored at start-up can ask before the library has loaded.
    await this.library.ready;
    const current = this.current;
    if (!current) return;
    const { panel, key } = current;
    const paper = this.library.getPaper(key);
    let message: HostMessage;
    if (paper) {
      panel.title = shortTitle(paper.title);
      const sites = this.citations.sites(paper);
      this.listedSites = sites;
      const state = this.readingState.get(key);
      const { status } = state;
      // Zotero's tags too, after the workspace's own (Edit Tags… edits those).
      const tags = paperTags(paper, state);
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
      this.listedSites = [];
      message = { type: 'missing', key };
    }
    // A hidden panel drops the message; it sends `ready` again when shown.
    void panel.webview.postMessage(message);
  }
}

/** Restores the paper panel after a window reload. */
export function registerDetailPanel(panels: PaperDetailPanels): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PAPER_DETAIL_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel, state: unknown) => panels.restore(panel, state),
  });
}
