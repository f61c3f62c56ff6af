/**
 * Keeping a copy of one Zotero library current through the local API, reading only what changed.
 *
 * The first sync pages through the library's regular items (`limit`/`start`, `Total-Results`).
 * Later syncs ask cheap questions, because before Zotero 10 an edit made in Zotero changes no
 * version until Zotero syncs with zotero.org (and never, for a user without an account):
 * - the key set with versions (`format=versions`): items added, deleted, trashed, or changed by a sync;
 *   changed versions are fetched with `since=` and `If-Modified-Since-Version`;
 * - the most recently modified items (`sort=dateModified`): edits made in Zotero;
 * - the collections with their item counts: renamed or moved collections, and items moved between
 *   collections (which changes no item's `dateModified`), whose members are then read again;
 * - the trash, which some versions also list among the items.
 * A sync that fails half-way changes nothing: the copy stays as the last whole sync left it.
 */
import { isRegularItem, isTrashed, readCollection, readItem, readVersions, type ZoteroCollection, type ZoteroItem } from '../../core/zotero/api';
import type { LibraryPrefix } from '../../core/zotero/papers';
import { ZoteroError, type Params, type ZoteroClient } from './client';

/** The copy of one library. */
export interface LibraryCopy {
  prefix: LibraryPrefix;
  /** A group's name; undefined for the user's own library. */
  name?: string;
  /** The library version of the last sync (`Last-Modified-Version`). */
  version: number;
  /** Whether a first sync has completed. */
  complete: boolean;
  /** Regular items not in the trash, by key. */
  items: Map<string, ZoteroItem>;
  collections: Map<string, ZoteroCollection>;
}

export function emptyCopy(prefix: LibraryPrefix, name?: string): LibraryCopy {
  return { prefix, ...(name !== undefined && { name }), version: 0, complete: false, items: new Map(), collections: new Map() };
}

export interface SyncProgress {
  done: number;
  total: number;
}

export interface SyncResult {
  /** Whether the copy changed. */
  changed: boolean;
  /** Items fetched in full. */
  fetched: number;
}

/** Regular items only: attachments and notes are not papers (annotations are never top-level). */
const REGULAR: Params = { itemType: ['-attachment', '-note'] };
const PAGE_SIZE = 500;
/** The most recently modified items looked at per sync; more are read while all of them changed. */
const RECENT = 10;
/** Items asked for by key at once (`itemKey=A,B,…`), which keeps the address short. */
const KEYS_PER_REQUEST = 50;
/** Every this many syncs the members of every collection are read again, whatever the counts say. */
const FULL_MEMBERSHIP_EVERY = 20;

export class LibrarySync {
  private updates = 0;

  constructor(
    private readonly client: ZoteroClient,
    readonly copy: LibraryCopy,
    private readonly options: { pageSize?: number; onProgress?: (progress: SyncProgress) => void } = {},
  ) {}

  sync(): Promise<SyncResult> {
    return this.copy.complete ? this.update() : this.firstSync();
  }

  private path(rest: string): string {
    return `${this.copy.prefix}/${rest}`;
  }

  private async firstSync(): Promise<SyncResult> {
    const collections = await this.collections();
    const items = new Map<string, ZoteroItem>();
    const pageSize = this.options.pageSize ?? PAGE_SIZE;
    let version = 0;
    let total = 0;
    for (let start = 0; ; start += pageSize) {
      const page = await this.client.get(this.path('items/top'), { ...REGULAR, sort: 'dateAdded', direction: 'asc', limit: pageSize, start });
      const list = listOf(page.json, 'items');
      if (start === 0) version = page.version ?? 0;
      total = page.total ?? total;
      for (const item of list.map(readItem)) if (item && isRegularItem(item.data) && !isTrashed(item.data)) items.set(item.key, item);
      this.options.onProgress?.({ done: Math.min(start + list.length, Math.max(total, start + list.length)), total: Math.max(total, start + list.length) });
      // Items added while paging come last (by date added), and count in this page's Total-Results.
      if (list.length < pageSize || (page.total !== undefined && start + list.length >= page.total)) break;
    }
    for (const key of await this.trashed()) items.delete(key);
    Object.assign(this.copy, { version, complete: true, items, collections });
    return { changed: true, fetched: items.size };
  }

  private async update(): Promise<SyncResult> {
    const copy = this.copy;
    const listing = await this.client.get(this.path('items/top'), { ...REGULAR, format: 'versions' });
    const versions = readVersions(listing.json);
    if (!versions) throw new ZoteroError('malformed', `Zotero's list of item versions is not an object`);
    const trash = await this.trashed();
    const collections = await this.collections();
    const fresh = new Map<string, ZoteroItem>();
    // Edits made in Zotero: the most recently modified items, while each of them is new to the copy.
    for (let start = 0; ; start += RECENT) {
      const page = listOf((await this.client.get(this.path('items/top'), { ...REGULAR, sort: 'dateModified', direction: 'desc', limit: RECENT, start })).json, 'items');
      const items = page.map(readItem).filter((item): item is ZoteroItem => item !== undefined);
      const changed = items.filter((item) => differs(copy.items.get(item.key), item));
      for (const item of changed) fresh.set(item.key, item);
      if (page.length < RECENT || changed.length < items.length) break;
    }
    const present = [...versions.keys()].filter((key) => !trash.has(key));
    const wanted = present.filter((key) => !fresh.has(key) && (!copy.items.has(key) || copy.items.get(key)?.version !== versions.get(key)));
    // What a sync with zotero.org changed: one request with `since`, unless nothing moved since (304).
    const libraryVersion = listing.version ?? copy.version;
    if (wanted.length > 0 && copy.version > 0 && libraryVersion > copy.version) {
      const since = await this.client.get(this.path('items/top'), { ...REGULAR, since: copy.version }, copy.version);
      if (since.status !== 304) for (const item of listOf(since.json, 'items').map(readItem)) if (item) fresh.set(item.key, item);
    }
    const missing = wanted.filter((key) => !fresh.has(key));
    for (let index = 0; index < missing.length; index += KEYS_PER_REQUEST) {
      const answer = await this.client.get(this.path('items'), { itemKey: missing.slice(index, index + KEYS_PER_REQUEST).join(',') });
      for (const item of listOf(answer.json, 'items').map(readItem)) if (item) fresh.set(item.key, item);
    }
    const keysChanged = present.length !== copy.items.size || present.some((key) => !copy.items.has(key));
    const members = await this.moves(collections, keysChanged || ++this.updates % FULL_MEMBERSHIP_EVERY === 0);
    // Everything is read: apply it all at once.
    const items = new Map<string, ZoteroItem>();
    let changed = false;
    for (const key of present) {
      const item = fresh.get(key) ?? copy.items.get(key);
      if (!item || !isRegularItem(item.data) || isTrashed(item.data)) continue;
      const placed = withMembership(item, members);
      items.set(key, placed);
      if (placed !== copy.items.get(key)) changed = true;
    }
    if (items.size !== copy.items.size || ![...copy.items.keys()].every((key) => items.has(key))) changed = true;
    if (!sameCollections(copy.collections, collections)) changed = true;
    Object.assign(copy, { version: libraryVersion, items, collections });
    return { changed, fetched: fresh.size };
  }

  /**
   * Members of the collections: items moved between collections keep their `dateModified`, so this
   * is how such a move is seen. When an item count changed (or items came or went, or now and then
   * anyway) every collection is read again, since a move in and a move out at once leave one count
   * as it was.
   */
  private async moves(collections: Map<string, ZoteroCollection>, all: boolean): Promise<Map<string, Set<string>>> {
    const members = new Map<string, Set<string>>();
    const counted = [...collections].some(([key, collection]) => this.copy.collections.get(key)?.numItems !== collection.numItems);
    for (const key of all || counted ? collections.keys() : []) {
      const answer = await this.client.get(this.path(`collections/${key}/items/top`), { format: 'versions' });
      const keys = readVersions(answer.json);
      if (!keys) throw new ZoteroError('malformed', `Zotero's list of the items in a collection is not an object`);
      members.set(key, new Set(keys.keys()));
    }
    // A deleted collection holds nothing.
    for (const key of this.copy.collections.keys()) if (!collections.has(key)) members.set(key, new Set());
    return members;
  }

  private async collections(): Promise<Map<string, ZoteroCollection>> {
    const answer = await this.client.get(this.path('collections'));
    const collections = new Map<string, ZoteroCollection>();
    for (const collection of listOf(answer.json, 'collections').map(readCollection)) if (collection) collections.set(collection.key, collection);
    return collections;
  }

  private async trashed(): Promise<Set<string>> {
    const versions = readVersions((await this.client.get(this.path('items/trash'), { format: 'versions' })).json);
    if (!versions) throw new ZoteroError('malformed', `Zotero's list of trashed items is not an object`);
    return new Set(versions.keys());
  }
}

function listOf(json: unknown, what: string): unknown[] {
  if (!Array.isArray(json)) throw new ZoteroError('malformed', `Zotero's list of ${what} is not a list`);
  return json;
}

/** An item the copy lacks or holds in another state (a sync moved its version, an edit its dateModified). */
function differs(known: ZoteroItem | undefined, item: ZoteroItem): boolean {
  return !known || known.version !== item.version || known.data.dateModified !== item.data.dateModified || isTrashed(item.data);
}

/** The item with its collections as the re-read members say (unchanged, the same object). */
function withMembership(item: ZoteroItem, members: ReadonlyMap<string, Set<string>>): ZoteroItem {
  const current = item.data.collections ?? [];
  let next = current.filter((key) => members.get(key)?.has(item.key) !== false);
  for (const [collection, keys] of members) if (keys.has(item.key) && !next.includes(collection)) next = [...next, collection];
  return next.length === current.length && next.every((key, index) => key === current[index]) ? item : { ...item, data: { ...item.data, collections: next } };
}

function sameCollections(a: ReadonlyMap<string, ZoteroCollection>, b: ReadonlyMap<string, ZoteroCollection>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, collection] of a) {
    const other = b.get(key);
    if (!other || other.name !== collection.name || other.parentCollection !== collection.parentCollection || other.numItems !== collection.numItems) return false;
  }
  return true;
}
