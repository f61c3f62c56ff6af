/**
 * The JSON of Zotero's local API (the web API v3 format, read-only, served by a running Zotero at
 * `/api/`): items, collections and annotations as this extension reads them. Nothing here trusts
 * the server: every reader checks the shape and skips what does not fit.
 */

/** One creator of an item: a person (`firstName`, `lastName`) or a single-field name (`name`). */
export interface ZoteroCreator {
  creatorType: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  /** 1: a single-field name kept in `lastName` (older clients). */
  fieldMode?: number;
}

export interface ZoteroTag {
  tag: string;
  /** 0 or absent: added by hand; 1: added automatically (by a translator or the PDF reader). */
  type?: number;
}

/**
 * An item's `data` object: `itemType`, the fields of that type under their type-specific names
 * (`bookTitle`, `proceedingsTitle`, `university` …), creators, tags, collections and bookkeeping.
 */
export interface ZoteroItemData {
  key: string;
  version: number;
  itemType: string;
  creators?: ZoteroCreator[];
  tags?: ZoteroTag[];
  /** Keys of the collections the item is in. */
  collections?: string[];
  /** The parent item's key, for attachments, notes and annotations. */
  parentItem?: string;
  /** In the trash (some versions list trashed items with this set). */
  deleted?: boolean | number;
  dateAdded?: string;
  dateModified?: string;
  [field: string]: unknown;
}

/** An item as `/items` answers it; `meta.parsedDate` is Zotero's own reading of the `date` field ("2020-05-01", "2020-05", "2020"). */
export interface ZoteroItem {
  key: string;
  version: number;
  meta: { parsedDate?: string; numChildren?: number };
  data: ZoteroItemData;
}

export interface ZoteroCollection {
  key: string;
  version: number;
  name: string;
  /** The parent collection's key; absent (or `false`) at the top. */
  parentCollection?: string;
  /** How many items the collection holds: a change tells that items moved in or out. */
  numItems?: number;
}

export interface ZoteroGroup {
  id: number;
  name: string;
}

/** Zotero's object keys: eight characters of its own alphabet (digits and capitals without 0, 1 and O). */
export const OBJECT_KEY = /^[23456789ABCDEFGHIJKLMNPQRSTUVWXYZ]{8}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An item of an `/items` answer, or undefined when it is not one (its key, version or type missing). */
export function readItem(value: unknown): ZoteroItem | undefined {
  if (!isRecord(value) || !isRecord(value.data)) return undefined;
  const data = value.data;
  const key = typeof value.key === 'string' ? value.key : data.key;
  if (typeof key !== 'string' || !OBJECT_KEY.test(key) || typeof data.itemType !== 'string') return undefined;
  const version = typeof value.version === 'number' ? value.version : typeof data.version === 'number' ? data.version : 0;
  const meta = isRecord(value.meta) ? value.meta : {};
  const item: ZoteroItem = {
    key,
    version,
    meta: typeof meta.parsedDate === 'string' ? { parsedDate: meta.parsedDate } : {},
    data: { ...data, key, version, itemType: data.itemType },
  };
  item.data.creators = Array.isArray(data.creators) ? data.creators.filter(isCreator) : [];
  item.data.tags = Array.isArray(data.tags) ? data.tags.filter((tag): tag is ZoteroTag => isRecord(tag) && typeof tag.tag === 'string') : [];
  item.data.collections = Array.isArray(data.collections) ? data.collections.filter((collection): collection is string => typeof collection === 'string' && OBJECT_KEY.test(collection)) : [];
  return item;
}

function isCreator(value: unknown): value is ZoteroCreator {
  return isRecord(value) && typeof value.creatorType === 'string' && ['firstName', 'lastName', 'name'].some((part) => typeof value[part] === 'string');
}

/** A collection of a `/collections` answer. */
export function readCollection(value: unknown): ZoteroCollection | undefined {
  if (!isRecord(value) || !isRecord(value.data)) return undefined;
  const { data } = value;
  const key = typeof value.key === 'string' ? value.key : data.key;
  if (typeof key !== 'string' || !OBJECT_KEY.test(key) || typeof data.name !== 'string') return undefined;
  const collection: ZoteroCollection = { key, version: typeof value.version === 'number' ? value.version : 0, name: data.name };
  if (typeof data.parentCollection === 'string' && OBJECT_KEY.test(data.parentCollection)) collection.parentCollection = data.parentCollection;
  const meta = isRecord(value.meta) ? value.meta : {};
  if (typeof meta.numItems === 'number') collection.numItems = meta.numItems;
  return collection;
}

/** A group of `/users/0/groups`. */
export function readGroup(value: unknown): ZoteroGroup | undefined {
  if (!isRecord(value)) return undefined;
  const id = typeof value.id === 'number' ? value.id : undefined;
  const name = isRecord(value.data) && typeof value.data.name === 'string' ? value.data.name : undefined;
  return id !== undefined && Number.isInteger(id) && id > 0 ? { id, name: name ?? `Group ${id}` } : undefined;
}

/** A `format=versions` answer: object key → version. */
export function readVersions(value: unknown): Map<string, number> | undefined {
  if (!isRecord(value)) return undefined;
  const versions = new Map<string, number>();
  for (const [key, version] of Object.entries(value)) {
    if (OBJECT_KEY.test(key) && typeof version === 'number') versions.set(key, version);
  }
  return versions;
}

/** Regular items are the papers; attachments, notes and annotations belong to them. */
export function isRegularItem(data: ZoteroItemData): boolean {
  return !['attachment', 'note', 'annotation'].includes(data.itemType);
}

export function isTrashed(data: ZoteroItemData): boolean {
  return data.deleted === true || data.deleted === 1;
}
