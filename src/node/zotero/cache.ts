/**
 * The last good copy of the Zotero libraries, kept in the extension's storage: with it the library
 * is there at once on the next start, and while Zotero is closed. Written whole to a temporary file
 * and renamed over the old one, so a crash mid-write never leaves half a copy.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isRecord, readItem, OBJECT_KEY, type ZoteroCollection, type ZoteroItem } from '../../core/zotero/api';
import type { Stamped, StoredPaperSet } from '../../core/zotero/paperSet';
import type { ConvertedItem, LibraryPrefix } from '../../core/zotero/papers';
import { emptyCopy, type LibraryCopy } from './sync';

/** Raised when what is stored changes shape; an older file is then read as no cache. */
const FORMAT = 1;

export interface CacheContent {
  /** The API address the copy came from: another address is another Zotero. */
  url: string;
  /** When the copy was last in step with Zotero (ISO). */
  syncedAt: string;
  libraries: LibraryCopy[];
  /** Citation keys (a key given once stays with its item), topics and papers worked out per item. */
  papers: Required<StoredPaperSet>;
  /** The topic model the topics are from: another model's are worked out again. */
  topicModel: string;
  /** What read the items into papers (the extension's version): another version's papers are read again. */
  converter: string;
}

export async function writeCache(file: string, content: CacheContent): Promise<void> {
  const json = {
    format: FORMAT,
    url: content.url,
    syncedAt: content.syncedAt,
    topicModel: content.topicModel,
    converter: content.converter,
    libraries: content.libraries.filter((library) => library.complete).map((library) => ({
      prefix: library.prefix,
      name: library.name,
      version: library.version,
      // Zotero's JSON lists every field of the type, most of them empty: those are left out.
      items: [...library.items.values()].map((item) => ({ ...item, data: Object.fromEntries(Object.entries(item.data).filter(([, value]) => value !== '')) })),
      collections: [...library.collections.values()],
    })),
    citationKeys: [...content.papers.citationKeys],
    topics: [...content.papers.topics],
    conversions: [...content.papers.conversions],
  };
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(json), 'utf8');
  await fs.rename(temporary, file);
}

/**
 * The cached copy, or undefined when there is none or it cannot be read (it is then rebuilt by a
 * first sync). Topics of another topic model and papers read by another converter are left out.
 */
export async function readCache(file: string, current: { topicModel: string; converter: string }): Promise<CacheContent | undefined> {
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
  const stamped = <T>(value: unknown, valid: (inner: unknown) => inner is T): value is Stamped<T> => isRecord(value) && typeof value.stamp === 'string' && valid(value.value);
  return {
    url: json.url,
    syncedAt: json.syncedAt,
    topicModel: current.topicModel,
    converter: current.converter,
    libraries,
    papers: {
      citationKeys: pairs(json.citationKeys).filter((pair): pair is [string, string] => typeof pair[1] === 'string'),
      topics: json.topicModel === current.topicModel ? pairs(json.topics).filter((pair): pair is [string, Stamped<string[]>] => stamped(pair[1], isStringList)) : [],
      conversions: json.converter === current.converter ? pairs(json.conversions).filter((pair): pair is [string, Stamped<ConvertedItem | null>] => stamped(pair[1], isConversion)) : [],
    },
  };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

/** The shape of a paper read from an item; anything else is read from the item again. */
function isConversion(value: unknown): value is ConvertedItem | null {
  if (value === null) return true;
  if (!isRecord(value) || !isRecord(value.entry) || !isRecord(value.claim) || !Array.isArray(value.problems)) return false;
  const paper = value.entry.paper;
  return (
    isRecord(paper) && typeof paper.key === 'string' && typeof paper.title === 'string' && typeof paper.abstract === 'string' && Array.isArray(paper.authors) &&
    isRecord(paper.links) && Object.values(paper.links).every((link) => typeof link === 'string') && isStringList(paper.topics) && Array.isArray(value.entry.keywords) &&
    typeof value.claim.id === 'string' && typeof value.claim.made === 'string'
  );
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
