/**
 * The papers of the synced Zotero libraries, kept up to date item by item: an item is read again
 * only when its version or `dateModified` moved, its topics are worked out once per such change,
 * and each update says which papers changed, so that what crosses to the editor is only that.
 */
import type { Library, LibraryCollection, Paper, ZoteroItemRef } from '../model';
import type { ImportedPaper } from '../sources/source';
import type { ZoteroCollection, ZoteroItem } from './api';
import { assignCitationKeys } from './citationKeys';
import { collectionId, collectionPaths, convertItem, itemId, type ConvertedItem, type LibraryPrefix } from './papers';

/** A Zotero item as a paper of the library, with what the merge does not carry. */
export interface ZoteroPaper {
  /** `users/0/items/ABCD2345` */
  id: string;
  ref: ZoteroItemRef;
  /** Keyed by its final citation key. */
  entry: ImportedPaper;
  /** Collection ids (see `collectionId`). */
  collections: string[];
  tags: string[];
  /** Worked out from the paper's text and tags by the topic model; empty: none fits. */
  topics: string[];
}

export interface LibraryContent {
  prefix: LibraryPrefix;
  /** A group's name; the user's own library has none. */
  name?: string;
  items: ReadonlyMap<string, ZoteroItem>;
  collections: ReadonlyMap<string, ZoteroCollection>;
}

/** Topics for a paper, from its text and keywords (the topic model of the bundled library). */
export type AssignTopics = (paper: Paper, keywords: readonly string[]) => string[];

export interface StoredTopics {
  stamp: string;
  topics: string[];
}

export interface PaperSetChange {
  papers: ZoteroPaper[];
  /** Papers new or different since the previous update. */
  changed: ZoteroPaper[];
  /** Ids of papers gone since the previous update. */
  removed: string[];
  collections: LibraryCollection[];
  /** Items the importer reported on, in words. */
  problems: string[];
}

/** What identifies a state of an item: Zotero moves one of the two on every change of its fields. */
function stampOf(item: ZoteroItem): string {
  return `${item.version}|${item.data.dateModified ?? ''}`;
}

export class ZoteroPaperSet {
  private readonly converted = new Map<string, { stamp: string; converted: ConvertedItem | undefined }>();
  private readonly topics: Map<string, StoredTopics>;
  private keys: Map<string, string>;
  private readonly sent = new Map<string, string>();

  /** `keys` and `topics` are what an earlier session gave (the cache): keys stay with their items. */
  constructor(keys: Iterable<[string, string]> = [], topics: Iterable<[string, StoredTopics]> = []) {
    this.keys = new Map(keys);
    this.topics = new Map(topics);
  }

  /** Item id → citation key, for the cache. */
  get citationKeys(): ReadonlyMap<string, string> {
    return this.keys;
  }

  get storedTopics(): ReadonlyMap<string, StoredTopics> {
    return this.topics;
  }

  update(libraries: readonly LibraryContent[], assignTopics: AssignTopics): PaperSetChange {
    const problems: string[] = [];
    const current: { library: LibraryContent; item: ZoteroItem; id: string; converted: ConvertedItem }[] = [];
    for (const library of libraries) {
      for (const item of library.items.values()) {
        const id = itemId(library.prefix, item.key);
        const stamp = stampOf(item);
        let cached = this.converted.get(id);
        if (cached?.stamp !== stamp) {
          cached = { stamp, converted: convertItem(library.prefix, item) };
          this.converted.set(id, cached);
          for (const problem of cached.converted?.problems ?? []) problems.push(`${id}: ${problem.message}`);
        }
        if (cached.converted) current.push({ library, item, id, converted: cached.converted });
      }
    }
    const live = new Set(current.map((entry) => entry.id));
    for (const id of this.converted.keys()) if (!live.has(id)) this.converted.delete(id);
    // Keys of items gone are forgotten: the map holds only what the libraries hold.
    this.keys = assignCitationKeys(current.map((entry) => entry.converted.claim), new Map([...this.keys].filter(([id]) => live.has(id))));
    const papers: ZoteroPaper[] = [];
    const changed: ZoteroPaper[] = [];
    for (const { library, item, id, converted } of current) {
      const key = this.keys.get(id) as string;
      const tags = (item.data.tags ?? []).map((tag) => tag.tag.trim()).filter(Boolean);
      const stamp = stampOf(item);
      let topics = this.topics.get(id);
      if (topics?.stamp !== stamp) {
        topics = { stamp, topics: assignTopics(converted.entry.paper, [...converted.entry.keywords, ...tags]) };
        this.topics.set(id, topics);
      }
      const collections = (item.data.collections ?? []).filter((key) => library.collections.has(key)).map((key) => collectionId(library.prefix, key));
      const paper: ZoteroPaper = {
        id,
        ref: { library: library.prefix, key: item.key },
        entry: { ...converted.entry, paper: { ...converted.entry.paper, key } },
        collections,
        tags,
        topics: topics.topics,
      };
      papers.push(paper);
      const signature = `${stamp}|${key}|${collections.join(',')}|${topics.topics.join(',')}`;
      if (this.sent.get(id) !== signature) {
        this.sent.set(id, signature);
        changed.push(paper);
      }
    }
    for (const id of this.topics.keys()) if (!live.has(id)) this.topics.delete(id);
    const removed = [...this.sent.keys()].filter((id) => !live.has(id));
    for (const id of removed) this.sent.delete(id);
    const collections = libraries.flatMap((library) =>
      [...collectionPaths(library.prefix, library.name, library.collections)].map(([id, path]) => ({ id, path })),
    );
    return { papers, changed, removed, collections, problems };
  }
}

/**
 * The assembled library with what Zotero knows beyond the record: each Zotero paper's tags,
 * collections and item, and the collections themselves. The merge keeps a Zotero paper's key (its
 * source comes first), so the key finds it.
 */
export function withZoteroData(library: Library, papers: Iterable<ZoteroPaper>, collections: readonly LibraryCollection[]): Library {
  const byKey = new Map<string, ZoteroPaper>();
  for (const paper of papers) byKey.set(paper.entry.paper.key, paper);
  if (byKey.size === 0 && collections.length === 0) return library;
  return {
    ...library,
    papers: library.papers.map((paper) => {
      const zotero = byKey.get(paper.key);
      return zotero ? { ...paper, tags: zotero.tags, collections: zotero.collections, zotero: zotero.ref } : paper;
    }),
    collections: [...(library.collections ?? []), ...collections],
  };
}
