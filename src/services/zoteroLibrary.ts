import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import type { Library, LibraryCollection, Paper, ZoteroItemRef } from '../core/model';
import type { ImportedPaper } from '../core/sources/source';
import { sourceTopicId, type SourceTopic } from '../core/topics/sourceTopics';
import { withZoteroData, type ZoteroPaper } from '../core/zotero/paperSet';
import { apiBase, ZoteroClient } from '../node/zotero/client';
import type { ZoteroStatus } from '../node/zotero/session';
import type { ZoteroWorkerMessage, ZoteroWorkerRequest } from '../workers/zoteroWorker';
import type { Settings } from './settings';

/** Between two syncs: a change made in Zotero shows within this and the time a sync takes. */
const POLL_MS = 3000;
/** A first sync of more items than this shows a progress notification. */
const PROGRESS_ITEMS = 500;
/** Raised when the way items become papers changes, so that cached papers are read again. */
const CONVERSION = 2;
const SETTINGS = ['zotero.enabled', 'zotero.url', 'zotero.groups'];

/**
 * What the library sources take from a live library: papers merged before the files, their topics,
 * and what the merge does not carry. (See LibrarySources, which assembles the library.)
 */
export interface LeadingSource {
  /** Each in the source topics of its collections. */
  readonly papers: readonly ImportedPaper[];
  /** The collections as topics, parents before children. */
  readonly sourceTopics: readonly SourceTopic[];
  /** The topics worked out for a paper of this source, by its key; undefined for another source's paper. */
  topicsOf(key: string): string[] | undefined;
  decorate(library: Library): Library;
  readonly onDidChange: vscode.Event<void>;
}

/**
 * A running Zotero as a library source (`litnotes.zotero.enabled`): a worker thread syncs it through
 * the local API and keeps the last good copy in the extension's storage; this side holds the papers
 * for the merge, says how the connection is (the Papers view shows it), and tells the user once,
 * in words, when Zotero cannot be read and how to fix that. Nothing is ever written to Zotero.
 */
export class ZoteroLibrary extends Disposable implements LeadingSource {
  private worker?: Worker;
  private readonly byId = new Map<string, ZoteroPaper>();
  private byKey?: Map<string, ZoteroPaper>;
  private entries?: ImportedPaper[];
  private collections: LibraryCollection[] = [];
  private current?: ZoteroStatus;
  /** Problems already told in a message this session, by kind. */
  private readonly told = new Set<string>();
  private progress?: { report: (done: number, total: number) => void; end: () => void };
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly statusChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeStatus = this.statusChanged.event;

  constructor(
    /** Read only when Zotero is enabled. */
    private readonly context: Pick<vscode.ExtensionContext, 'extensionPath' | 'globalStorageUri' | 'extension'>,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      settings.onDidChange((key) => {
        if (SETTINGS.includes(key)) this.restart();
      }),
    );
    this._register({ dispose: () => this.stopWorker() });
    this.restart();
  }

  get enabled(): boolean {
    return this.settings.zoteroEnabled;
  }

  get papers(): readonly ImportedPaper[] {
    const topicOf = new Map(this.collections.map((collection) => [collection.id, sourceTopicId(collection.path)]));
    return (this.entries ??= [...this.byId.values()].map((paper) => ({ ...paper.entry, topics: paper.collections.flatMap((id) => topicOf.get(id) ?? []) })));
  }

  get sourceTopics(): readonly SourceTopic[] {
    // Every step of every path, so that a group library's name holds its collections as a topic does.
    const topics = new Map<string, SourceTopic>();
    for (const { path } of this.collections)
      path.forEach((label, depth) => {
        const id = sourceTopicId(path.slice(0, depth + 1));
        if (!topics.has(id)) topics.set(id, { id, label, parent: depth > 0 ? sourceTopicId(path.slice(0, depth)) : undefined });
      });
    return [...topics.values()];
  }

  get status(): ZoteroStatus | undefined {
    return this.current;
  }

  topicsOf(key: string): string[] | undefined {
    const paper = this.keyed().get(key);
    // Topics not worked out yet (a first sync under way) are none for now: never the topic model on this thread.
    return paper ? (paper.topics ?? []) : undefined;
  }

  decorate(library: Library): Library {
    return withZoteroData(library, this.byId.values(), this.collections);
  }

  /** The Zotero item of a paper of the library, if it has one. */
  itemOf(paper: Paper): ZoteroItemRef | undefined {
    return paper.zotero ?? this.keyed().get(paper.key)?.ref;
  }

  /** A client for requests of the editor's own (annotations); undefined when the address setting is unusable. */
  client(): ZoteroClient | undefined {
    const base = apiBase(this.settings.zoteroUrl);
    return base instanceof URL ? new ZoteroClient(base, { timeoutMs: 15_000 }) : undefined;
  }

  /** Syncs now rather than at the next poll. */
  syncNow(): void {
    this.post({ type: 'syncNow' });
  }

  /** One line on the connection and when the copy was last in step with Zotero, for the Papers view. */
  statusLine(): string | undefined {
    const status = this.current;
    if (!this.enabled || !status) return undefined;
    const when = status.syncedAt ? new Date(status.syncedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : undefined;
    const copy = when ? `showing the copy synced at ${when}` : 'no copy yet';
    switch (status.state) {
      case 'synced':
        return `Zotero: ${status.items.toLocaleString('en')} items, synced at ${when}`;
      case 'connecting':
        return `Zotero: connecting… (${copy})`;
      case 'not-enabled':
        return `Zotero's local API is off: ${copy}`;
      case 'unreachable':
        return `Zotero is not running: ${copy}`;
      case 'no-local-api':
        return `This Zotero has no local API (Zotero 7 or later has one): ${copy}`;
      default:
        return `Zotero could not be read (see the log): ${copy}`;
    }
  }

  private restart(): void {
    this.stopWorker();
    const hadPapers = this.byId.size > 0 || this.collections.length > 0;
    this.byId.clear();
    this.collections = [];
    this.invalidate();
    this.current = undefined;
    this.told.clear();
    if (this.enabled) this.startWorker();
    this.statusChanged.fire();
    if (hadPapers) this.changed.fire();
  }

  private startWorker(): void {
    const base = apiBase(this.settings.zoteroUrl);
    if (!(base instanceof URL)) {
      const message = `Lit Notes: the setting litnotes.zotero.url is unusable: ${base}.`;
      this.log.warn(message);
      this.tell('url', message);
      return;
    }
    const { extensionPath, globalStorageUri } = this.context;
    const storage = globalStorageUri.scheme === 'file' ? globalStorageUri.fsPath : undefined;
    if (!storage) this.log.warn(`Zotero: the extension's storage (${globalStorageUri.toString()}) is not a folder on disk; no copy is kept between sessions`);
    const worker = new Worker(path.join(extensionPath, 'dist', 'zoteroWorker.js'));
    worker.unref();
    worker.on('message', (message: ZoteroWorkerMessage) => this.receive(message));
    worker.on('error', (error) => this.log.error('Zotero worker failed:', error.stack ?? error.message));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log.error(`Zotero worker stopped (exit code ${code}); Zotero is not synced until Lit Notes restarts or its Zotero settings change`);
    });
    this.worker = worker;
    this.post({
      type: 'start',
      base: base.href,
      includeGroups: this.settings.zoteroGroups,
      cacheFile: storage ? path.join(storage, 'zotero-library.json') : '',
      pollMs: POLL_MS,
      extensionPath,
      converter: `${String(this.context.extension.packageJSON.version)}|${CONVERSION}`,
    });
  }

  /** Asks the worker to write what it has not written yet, then ends it. */
  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.progress?.end();
    if (!worker) return;
    const end = setTimeout(() => void worker.terminate(), 3000);
    end.unref();
    worker.on('message', (message: ZoteroWorkerMessage) => {
      if (message.type !== 'stopped') return;
      clearTimeout(end);
      void worker.terminate();
    });
    worker.postMessage({ type: 'stop' } satisfies ZoteroWorkerRequest);
  }

  private post(request: ZoteroWorkerRequest): void {
    this.worker?.postMessage(request);
  }

  private receive(message: ZoteroWorkerMessage): void {
    switch (message.type) {
      case 'papers': {
        for (const id of message.removed) this.byId.delete(id);
        for (const paper of message.changed) this.byId.set(paper.id, paper);
        this.collections = message.collections;
        this.invalidate();
        this.progress?.end();
        this.changed.fire();
        return;
      }
      case 'status':
        this.current = message.status;
        this.explain(message.status);
        if (message.status.state !== 'connecting') this.progress?.end();
        this.statusChanged.fire();
        return;
      case 'progress':
        if (message.total > PROGRESS_ITEMS) this.showProgress().report(message.done, message.total);
        return;
      case 'log':
        this.log[message.level](message.message);
        return;
      case 'stopped':
        return;
    }
  }

  private invalidate(): void {
    this.entries = undefined;
    this.byKey = undefined;
  }

  private keyed(): Map<string, ZoteroPaper> {
    return (this.byKey ??= new Map([...this.byId.values()].map((paper) => [paper.entry.paper.key, paper])));
  }

  /** The first sync's notification: items read of the library's total, until the papers arrive. */
  private showProgress(): NonNullable<ZoteroLibrary['progress']> {
    if (this.progress) return this.progress;
    let reported = 0;
    let finish = () => undefined as void;
    let step: (done: number, total: number) => void = () => undefined;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Lit Notes: reading the Zotero library' }, (progress) => {
      step = (done, total) => {
        progress.report({ message: `${done.toLocaleString('en')} of ${total.toLocaleString('en')} items`, increment: (100 * (done - reported)) / total });
        reported = done;
      };
      return new Promise<void>((resolve) => (finish = resolve));
    });
    this.progress = {
      report: (done, total) => step(done, total),
      end: () => {
        this.progress = undefined;
        finish();
      },
    };
    return this.progress;
  }

  /** Once per kind and session: what is wrong and how to fix it, in words. */
  private explain(status: ZoteroStatus): void {
    const url = this.settings.zoteroUrl;
    const copy = status.syncedAt ? 'Lit Notes shows the copy it has until then' : 'Lit Notes shows your other papers until then';
    switch (status.state) {
      case 'not-enabled':
        this.tell(
          status.state,
          `Lit Notes cannot read your Zotero library: Zotero's local API is off. In Zotero, open Settings → Advanced and tick "Allow other applications on this computer to communicate with Zotero". ${copy}.`,
        );
        return;
      case 'unreachable':
        this.tell(status.state, `Lit Notes cannot reach Zotero at ${url}: is Zotero 7 or later running? ${copy}, and tries again every few seconds.`);
        return;
      case 'no-local-api':
        this.tell(status.state, `The Zotero at ${url} has no local API: Lit Notes reads Zotero 7 or later. ${copy}.`);
        return;
      default:
        return;
    }
  }

  private tell(kind: string, message: string): void {
    if (this.told.has(kind)) return;
    this.told.add(kind);
    void vscode.window.showWarningMessage(message, 'Zotero Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'litnotes.zotero');
    });
  }
}
