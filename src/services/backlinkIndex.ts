import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { errorDetail } from '../core/errors';
import { countOf } from '../core/labels';
import { scanCitations, type Citation } from '../core/citationScanner';
import type { Paper } from '../core/model';
import { PerKeyDelay } from './perKeyDelay';

export interface CitationSite {
  uri: vscode.Uri;
  /** 0-based. */
  line: number;
  column: number;
  /** The line's text, trimmed and cut, to show where the citation stands. */
  preview: string;
}

const MARKDOWN_GLOB = '**/*.{md,markdown}';
const EXCLUDE_GLOB = '**/node_modules/**';
/** Files read at once during the first scan, with a pause for the event loop after each batch. */
const BATCH = 50;
/** Typing pauses this long before an open note is rescanned. */
const EDIT_DELAY_MS = 300;
/** Listeners (the tree, detail panels) hear of changes at most this often. */
const NOTIFY_DELAY_MS = 500;
const PREVIEW_LENGTH = 160;

/**
 * Backlinks: which Markdown files of the workspace cite which keys, and where. Nothing is read until
 * something first asks (the tree shows a paper's "cited N×", a detail panel its "Cited in"): then
 * the workspace is scanned once in the background, and kept current one file at a time: an edited
 * note is rescanned after a pause in typing, a file created, changed, renamed or deleted on disk is
 * read again or dropped. Nothing here ever rescans the workspace after the first scan.
 */
export class BacklinkIndex extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fired, throttled, when some file's citations changed (the first scan's results included). */
  readonly onDidChange = this.changed.event;
  private readonly files = new Map<string, { uri: vscode.Uri; sites: Map<string, CitationSite[]> }>();
  private readonly counts = new Map<string, number>();
  private readonly edits = this._register(new PerKeyDelay(EDIT_DELAY_MS));
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private scan: Promise<void> | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this._register({ dispose: () => clearTimeout(this.notifyTimer) });
  }

  /** Settles when the first scan has finished; starts it if nothing has asked yet. */
  get ready(): Promise<void> {
    return this.started();
  }

  /** How often the paper is cited in the workspace's Markdown files, by its key or an alias (0 until the first scan has read them). */
  count(paper: CitedPaper): number {
    void this.started();
    return keysOf(paper).reduce((total, key) => total + (this.counts.get(key) ?? 0), 0);
  }

  /** Every place citing the paper, by file path then line. */
  sites(paper: CitedPaper): CitationSite[] {
    void this.started();
    const sites: CitationSite[] = [];
    for (const file of this.files.values()) for (const key of keysOf(paper)) sites.push(...(file.sites.get(key) ?? []));
    return sites.sort((a, b) => a.uri.path.localeCompare(b.uri.path) || a.line - b.line || a.column - b.column);
  }

  /** The first scan, and the listeners that keep the index current after it: started once, on first use. */
  private started(): Promise<void> {
    if (this.scan || this.isDisposed) return this.scan ?? Promise.resolve();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(MARKDOWN_GLOB));
    for (const listener of [
      watcher.onDidCreate((uri) => this.rescanFromDisk(uri)),
      watcher.onDidChange((uri) => this.rescanFromDisk(uri)),
      watcher.onDidDelete((uri) => this.forget(uri)),
      vscode.workspace.onDidChangeTextDocument((event) => this.scheduleEdit(event.document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.scheduleEdit(document)),
      // A note closed without saving falls back to what is on disk.
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.isIndexed(document.uri)) this.rescanFromDisk(document.uri);
      }),
      vscode.workspace.onDidRenameFiles((event) => {
        for (const { oldUri, newUri } of event.files) {
          this.forget(oldUri);
          this.rescanFromDisk(newUri);
        }
      }),
      vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => this.forget(uri))),
    ]) {
      this._register(listener);
    }
    this.scan = this.scanWorkspace().catch((error: unknown) => {
      this.log.error('Could not scan the workspace for citations:', errorDetail(error));
    });
    return this.scan;
  }

  private async scanWorkspace(): Promise<void> {
    if (!vscode.workspace.workspaceFolders?.length) return;
    const uris = await vscode.workspace.findFiles(MARKDOWN_GLOB, EXCLUDE_GLOB);
    const begun = Date.now();
    for (let i = 0; i < uris.length && !this.isDisposed; i += BATCH) {
      await Promise.all(uris.slice(i, i + BATCH).map((uri) => this.scanFromDisk(uri)));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Notes open with unsaved edits count as the user sees them, not as they are on disk.
    for (const document of vscode.workspace.textDocuments) if (document.isDirty) this.scheduleEdit(document);
    this.log.info(`Backlinks: scanned ${countOf(uris.length, 'Markdown file')} in ${Date.now() - begun} ms`);
  }

  private isIndexed(uri: vscode.Uri): boolean {
    return this.files.has(uri.toString());
  }

  private inScope(uri: vscode.Uri): boolean {
    return /\.(?:md|markdown)$/i.test(uri.path) && !uri.path.includes('/node_modules/') && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  private scheduleEdit(document: vscode.TextDocument): void {
    if (document.languageId !== 'markdown' || !this.inScope(document.uri)) return;
    this.edits.schedule(document.uri.toString(), () => {
      if (!document.isClosed) this.store(document.uri, document.getText());
    });
  }

  private rescanFromDisk(uri: vscode.Uri): void {
    // An open document is what the user sees; its own events keep it current.
    if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString() && document.isDirty)) return;
    void this.scanFromDisk(uri);
  }

  private async scanFromDisk(uri: vscode.Uri): Promise<void> {
    if (!this.inScope(uri)) return;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.store(uri, Buffer.from(bytes).toString('utf8'));
    } catch (error) {
      // Gone between the event and the read, or a folder named *.md.
      if (error instanceof vscode.FileSystemError) this.forget(uri);
      else throw error;
    }
  }

  private store(uri: vscode.Uri, text: string): void {
    if (this.isDisposed) return;
    const sites = new Map<string, CitationSite[]>();
    const lines = text.split('\n');
    for (const citation of scanCitations(text)) {
      let list = sites.get(citation.key);
      if (!list) sites.set(citation.key, (list = []));
      list.push(site(uri, citation, lines[citation.line]));
    }
    const id = uri.toString();
    const before = this.files.get(id)?.sites;
    if (!before && sites.size === 0) return;
    if (before && sameSites(before, sites)) {
      // Same keys on the same lines (typing elsewhere): keep the fresh sites without telling anyone.
      this.files.set(id, { uri, sites });
      return;
    }
    this.adjustCounts(before, -1);
    this.adjustCounts(sites, 1);
    if (sites.size > 0) this.files.set(id, { uri, sites });
    else this.files.delete(id);
    this.notify();
  }

  /** Drops a file, or every file under a deleted folder. */
  private forget(uri: vscode.Uri): void {
    const id = uri.toString();
    const folder = id.endsWith('/') ? id : `${id}/`;
    let removed = false;
    for (const [fileId, file] of this.files) {
      if (fileId !== id && !fileId.startsWith(folder)) continue;
      this.adjustCounts(file.sites, -1);
      this.files.delete(fileId);
      removed = true;
    }
    if (removed) this.notify();
  }

  private adjustCounts(sites: Map<string, CitationSite[]> | undefined, sign: 1 | -1): void {
    for (const [key, list] of sites ?? []) {
      const count = (this.counts.get(key) ?? 0) + sign * list.length;
      if (count > 0) this.counts.set(key, count);
      else this.counts.delete(key);
    }
  }

  private notify(): void {
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined;
      if (!this.isDisposed) this.changed.fire();
    }, NOTIFY_DELAY_MS);
  }
}

type CitedPaper = Pick<Paper, 'key' | 'aliases'>;

function keysOf(paper: CitedPaper): string[] {
  return [paper.key, ...(paper.aliases ?? [])];
}

function site(uri: vscode.Uri, citation: Citation, lineText: string | undefined): CitationSite {
  const text = (lineText ?? '').replace(/\s+/g, ' ').trim();
  return {
    uri,
    line: citation.line,
    column: citation.column,
    preview: text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text,
  };
}

function sameSites(a: Map<string, CitationSite[]>, b: Map<string, CitationSite[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, list] of a) {
    const other = b.get(key);
    if (!other || other.length !== list.length || other.some((s, i) => s.line !== list[i].line)) return false;
  }
  return true;
}
