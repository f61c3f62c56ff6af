/**
 * The last good copy of the Zotero libraries, kept in the extension's storage: with it the library
 * is there at once on the next start, and while Zotero is closed. Written whole to a temporary file
 * and renamed over the old one, so a crash mid-write never leaves half a copy.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isRecord, readItem, OBJECT_KEY, type ZoteroCollection, type ZoteroItem } from '../../core/zotero/api';
import type { StoredTopics } from '../../core/zotero/paperSet';
import type { LibraryPrefix } from '../../core/zotero/papers';
import { emptyCopy, type LibraryCopy } from './sync';

/** Raised when what is stored changes shape; an older file is then read as no cache. */
const FORMAT = 1;

export interface CacheContent {
  /** The API address the copy came from: another address is another Zotero. */
  url: string;
  /** When the copy was last in step with Zotero (ISO). */
  syncedAt: string;
  libraries: LibraryCopy[];
  /** Item id → citation key: a key given once stays with its item. */
  citationKeys: Map<string, string>;
  /** Topics worked out per item, valid for the topic model named by `topicModel`. */
  topics: Map<string, StoredTopics>;
  topicModel: string;
}

export async function writeCache(file: string, content: CacheContent): Promise<void> {
  const json = {
    format: FORMAT,
    url: content.url,
    syncedAt: content.syncedAt,
    topicModel: content.topicModel,
    libraries: content.libraries.filter((library) => library.complete).map((library) => ({
      prefix: library.prefix,
      name: library.name,
      version: library.version,
      items: [...library.items.values()],
      collections: [...library.collections.values()],
    })),
    citationKeys: [...content.citationKeys],
    topics: [...content.topics],
  };
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(json), 'utf8');
  await fs.rename(temporary, file);
}

/** The cached copy, or undefined when there is none or it cannot be read (it is then rebuilt by a first sync). */
export async function readCache(file: string): Promise<CacheContent | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(json) || json.format !== FORMAT || typeof json.url !== 'string' || typeof json.syncedAt !== 'string') return undefined;
  const libraries: LibraryCopy[] = [];
  for (const raw of Array.isArray(json.libraries) ? json.libraries : []) {
    if (!isRecord(raw) || typeof raw.prefix !== 'string' || !/^(?:users|groups)\/\d+$/.test(raw.prefix)) continue;
    const copy = emptyCopy(raw.prefix as LibraryPrefix, typeof raw.name === 'string' ? raw.name : undefined);
    copy.version = typeof raw.version === 'number' ? raw.version : 0;
    copy.complete = true;
    for (const item of (Array.isArray(raw.items) ? raw.items : []).map(readItem)) if (item) copy.items.set(item.key, item as ZoteroItem);
    for (const collection of (Array.isArray(raw.collections) ? raw.collections : []).map(readStoredCollection)) if (collection) copy.collections.set(collection.key, collection);
    libraries.push(copy);
  }
  return {
    url: json.url,
    syncedAt: json.syncedAt,
    topicModel: typeof json.topicModel === 'string' ? json.topicModel : '',
    libraries,
    citationKeys: new Map(pairs(json.citationKeys).filter((pair): pair is [string, string] => typeof pair[1] === 'string')),
    topics: new Map(
      pairs(json.topics).filter((pair): pair is [string, StoredTopics] => {
        const value = pair[1];
        return isRecord(value) && typeof value.stamp === 'string' && Array.isArray(value.topics) && value.topics.every((topic) => typeof topic === 'string');
      }),
    ),
  };
}

function pairs(value: unknown): [string, unknown][] {
  return Array.isArray(value) ? value.filter((pair): pair is [string, unknown] => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string') : [];
}

function readStoredCollection(value: unknown): ZoteroCollection | undefined {
  if (!isRecord(value) || typeof value.key !== 'string' || !OBJECT_KEY.test(value.key) || typeof value.name !== 'string') return undefined;
  const collection: ZoteroCollection = { key: value.key, version: typeof value.version === 'number' ? value.version : 0, name: value.name };
  if (typeof value.parentCollection === 'string' && OBJECT_KEY.test(value.parentCollection)) collection.parentCollection = value.parentCollection;
  if (typeof value.numItems === 'number') collection.numItems = value.numItems;
  return collection;
}
