/**
 * One running connection to Zotero: the cached copy first, then a sync of each library every few
 * seconds, and after each sync that changed something the papers that changed and the cache
 * written again. Runs in a worker thread (src/workers/zoteroWorker.ts), so a library of 10,000
 * items never holds up the editor; the tests run it in process.
 */
import { readGroup, type ZoteroGroup } from '../../core/zotero/api';
import { ZoteroPaperSet, type AssignTopics, type ZoteroPaper } from '../../core/zotero/paperSet';
import type { LibraryPrefix } from '../../core/zotero/papers';
import type { LibraryCollection } from '../../core/model';
import { errorDetail, errorText } from '../../core/errors';
import { readCache, writeCache } from './cache';
import { ZoteroClient, ZoteroError, type ZoteroErrorKind } from './client';
import { emptyCopy, LibrarySync, type LibraryCopy, type SyncProgress } from './sync';

export interface SessionOptions {
  /** The API's base address (see `apiBase`). */
  base: URL;
  includeGroups: boolean;
  /** Where the copy is kept between sessions; none: no cache. */
  cacheFile?: string;
  /** Between two syncs. */
  pollMs: number;
  assignTopics: AssignTopics;
  /** Names the topic model: topics worked out by another model are worked out again. */
  topicModel: string;
  /** Names the code that reads items into papers (the extension's version): papers read by another are read again. */
  converter: string;
  /** Items per page of a first sync. */
  pageSize?: number;
}

/** Papers whose topics are worked out before they are sent; more are sent first without. */
const TOPICS_AT_ONCE = 200;
/** A change is written to the cache this long after the last one: a burst of edits is one write. */
const SAVE_DELAY_MS = 5000;

export type ZoteroState = 'connecting' | 'synced' | ZoteroErrorKind | 'error';

export interface ZoteroStatus {
  state: ZoteroState;
  /** When the copy shown was last in step with Zotero (ISO): this session's last sync, or the cache's. */
  syncedAt?: string;
  /** Regular items in the copy. */
  items: number;
  /** What went wrong, in words, for the states that are not `synced`. */
  message?: string;
}

export type SessionEvent =
  | { type: 'papers'; changed: ZoteroPaper[]; removed: string[]; collections: LibraryCollection[] }
  | { type: 'status'; status: ZoteroStatus }
  /** A first sync under way: items read so far of the library's total. */
  | { type: 'progress'; library: LibraryPrefix; done: number; total: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export class ZoteroSession {
  private readonly client: ZoteroClient;
  private syncs: LibrarySync[] = [];
  private papers = new ZoteroPaperSet();
  private syncedAt?: string;
  private timer?: ReturnType<typeof setTimeout>;
  private saveTimer?: ReturnType<typeof setTimeout>;
  /** The copy changed since it was last written. */
  private unsaved = false;
  private stopped = false;
  private round?: Promise<void>;
  private state: ZoteroState = 'connecting';

  constructor(
    private readonly options: SessionOptions,
    private readonly emit: (event: SessionEvent) => void,
  ) {
    this.client = new ZoteroClient(options.base);
  }

  /** Requests and bytes so far, for the log and the benchmark. */
  get traffic(): { requests: number; bytes: number } {
    return { requests: this.client.requests, bytes: this.client.bytes };
  }

  /** Shows the cached copy, then syncs now and every `pollMs`. */
  async start(): Promise<void> {
    await this.restore();
    this.schedule(0);
  }

  /** Stops syncing; a change not written to the cache yet is written now. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.saveTimer);
    await this.round;
    await this.save();
  }

  /** One sync of every library (waits for one under way); the next runs `pollMs` after it. */
  syncNow(): Promise<void> {
    clearTimeout(this.timer);
    this.round ??= this.syncAll().finally(() => {
      this.round = undefined;
      this.schedule(this.options.pollMs);
    });
    return this.round;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.syncNow(), delay);
  }

  private async restore(): Promise<void> {
    const file = this.options.cacheFile;
    const cache = file ? await readCache(file, this.options) : undefined;
    if (!cache || cache.url !== this.options.base.href) {
      this.status('connecting');
      return;
    }
    this.papers = new ZoteroPaperSet(cache.papers);
    this.syncs = cache.libraries.filter((copy) => copy.prefix === 'users/0' || this.options.includeGroups).map((copy) => this.librarySync(copy));
    this.syncedAt = cache.syncedAt;
    this.publish();
    this.status('connecting');
  }

  private async syncAll(): Promise<void> {
    if (this.stopped) return;
    try {
      let changed = await this.reconcileLibraries();
      for (const sync of this.syncs) {
        const started = Date.now();
        const first = !sync.copy.complete;
        const result = await sync.sync();
        changed ||= result.changed;
        if (first) this.log('info', `Zotero ${sync.copy.prefix}: first sync, ${sync.copy.items.size} items in ${Date.now() - started} ms`);
        else if (result.fetched > 0) this.log('info', `Zotero ${sync.copy.prefix}: ${result.fetched} items read again in ${Date.now() - started} ms`);
      }
      this.syncedAt = new Date().toISOString();
      if (changed) {
        this.publish();
        this.unsaved = true;
        clearTimeout(this.saveTimer);
        if (!this.stopped) this.saveTimer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
      }
      this.status('synced');
    } catch (error) {
      if (error instanceof ZoteroError) {
        // Told in words once per kind by the editor side; the log gets each change of state.
        if (this.state !== error.kind) this.log('warn', `Zotero: ${error.message}`);
        this.status(error.kind, error.message);
      } else {
        this.log('error', `Zotero sync failed: ${errorDetail(error)}`);
        this.status('error', errorText(error));
      }
    }
  }

  /** The user's library, and the groups when they are wanted: a new group gets a first sync, a group left is dropped (true). */
  private async reconcileLibraries(): Promise<boolean> {
    const wanted: { prefix: LibraryPrefix; name?: string }[] = [{ prefix: 'users/0' }];
    if (this.options.includeGroups) {
      const answer = await this.client.get('users/0/groups');
      const groups = (Array.isArray(answer.json) ? answer.json : []).map(readGroup).filter((group): group is ZoteroGroup => group !== undefined);
      wanted.push(...groups.map((group) => ({ prefix: `groups/${group.id}` as const, name: group.name })));
    }
    const existing = new Map(this.syncs.map((sync) => [sync.copy.prefix, sync]));
    const dropped = this.syncs.some((sync) => !wanted.some((library) => library.prefix === sync.copy.prefix));
    this.syncs = wanted.map(({ prefix, name }) => {
      const sync = existing.get(prefix) ?? this.librarySync(emptyCopy(prefix, name));
      if (name !== undefined) sync.copy.name = name;
      return sync;
    });
    return dropped;
  }

  private librarySync(copy: LibraryCopy): LibrarySync {
    return new LibrarySync(this.client, copy, {
      pageSize: this.options.pageSize,
      onProgress: (progress: SyncProgress) => this.emit({ type: 'progress', library: copy.prefix, ...progress }),
    });
  }

  /**
   * Sends the papers that changed, with their topics when there are few of them; many (a first
   * sync) go first without, then again with their topics, so that 10,000 papers show before the
   * topic model has gone through them all.
   */
  private publish(): void {
    const libraries = this.syncs.map(({ copy }) => copy);
    const change = this.papers.update(libraries, this.options.assignTopics, TOPICS_AT_ONCE);
    for (const problem of change.problems) this.log('warn', `Zotero ${problem}`);
    if (change.changed.length > 0 || change.removed.length > 0 || this.state === 'connecting') {
      this.emit({ type: 'papers', changed: change.changed, removed: change.removed, collections: change.collections });
    }
    if (change.papers.some((paper) => paper.topics === undefined)) {
      const sorted = this.papers.update(libraries, this.options.assignTopics);
      this.emit({ type: 'papers', changed: sorted.changed, removed: sorted.removed, collections: sorted.collections });
    }
  }

  private async save(): Promise<void> {
    const file = this.options.cacheFile;
    if (!file || !this.syncedAt || !this.unsaved) return;
    this.unsaved = false;
    try {
      await writeCache(file, {
        url: this.options.base.href,
        syncedAt: this.syncedAt,
        libraries: this.syncs.map(({ copy }) => copy),
        papers: this.papers.stored,
        topicModel: this.options.topicModel,
        converter: this.options.converter,
      });
    } catch (error) {
      this.log('warn', `Zotero: could not write the cached copy ${file}: ${errorText(error)}`);
    }
  }

  private status(state: ZoteroState, message?: string): void {
    this.state = state;
    const items = this.syncs.reduce((sum, { copy }) => sum + copy.items.size, 0);
    this.emit({ type: 'status', status: { state, items, ...(this.syncedAt && { syncedAt: this.syncedAt }), ...(message && { message }) } });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.emit({ type: 'log', level, message });
  }
}
