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
  /** Worked out from the paper's text and tags by the topic model; empty: none fits; undefined: not yet worked out. */
  topics?: string[];
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

/** Something worked out for one state of an item (see `stampOf`). */
export interface Stamped<T> {
  stamp: string;
  value: T;
}

/** What an earlier session worked out (the cache): keys stay with their items, nothing is worked out twice. */
export interface StoredPaperSet {
  citationKeys?: Iterable<[string, string]>;
  topics?: Iterable<[string, Stamped<string[]>]>;
  /** Items read into papers; `null`: nothing to cite it by. */
  conversions?: Iterable<[string, Stamped<ConvertedItem | null>]>;
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
  private readonly converted: Map<string, Stamped<ConvertedItem | null>>;
  private readonly topics: Map<string, Stamped<string[]>>;
  private keys: Map<string, string>;
  /** The paper last given out per item, and what it was made of. */
  private readonly sent = new Map<string, { signature: string; paper: ZoteroPaper }>();

  constructor(stored: StoredPaperSet = {}) {
    this.keys = new Map(stored.citationKeys ?? []);
    this.topics = new Map(stored.topics ?? []);
    this.converted = new Map(stored.conversions ?? []);
  }

  /** What to keep for the next session. */
  get stored(): { citationKeys: Map<string, string>; topics: Map<string, Stamped<string[]>>; conversions: Map<string, Stamped<ConvertedItem | null>> } {
    return { citationKeys: new Map(this.keys), topics: new Map(this.topics), conversions: new Map(this.converted) };
  }

  /**
   * The papers of `libraries`, and what changed since the last update. Topics are worked out for at
   * most `topicBudget` papers; the others come without for now (a first sync of 10,000 items shows
   * the papers before the topic model has gone through them all).
   */
  update(libraries: readonly LibraryContent[], assignTopics: AssignTopics, topicBudget = Infinity): PaperSetChange {
    const problems: string[] = [];
    const current: { library: LibraryContent; item: ZoteroItem; id: string; converted: ConvertedItem }[] = [];
    for (const library of libraries) {
      for (const item of library.items.values()) {
        const id = itemId(library.prefix, item.key);
        const stamp = stampOf(item);
        let cached = this.converted.get(id);
        if (cached?.stamp !== stamp) {
          cached = { stamp, value: convertItem(library.prefix, item) ?? null };
          this.converted.set(id, cached);
          for (const problem of cached.value?.problems ?? []) problems.push(`${id}: ${problem.message}`);
        }
        if (cached.value) current.push({ library, item, id, converted: cached.value });
      }
    }
    const live = new Set(current.map((entry) => entry.id));
    for (const id of this.converted.keys()) if (!live.has(id)) this.converted.delete(id);
    // Keys of items gone are forgotten: the map holds only what the libraries hold.
    this.keys = assignCitationKeys(current.map((entry) => entry.converted.claim), new Map([...this.keys].filter(([id]) => live.has(id))));
    const papers: ZoteroPaper[] = [];
    const changed: ZoteroPaper[] = [];
    let budget = topicBudget;
    for (const { library, item, id, converted } of current) {
      const key = this.keys.get(id) as string;
      const tags = (item.data.tags ?? []).map((tag) => tag.tag.trim()).filter(Boolean);
      const stamp = stampOf(item);
      let topics = this.topics.get(id);
      if (topics?.stamp !== stamp && budget > 0) {
        budget--;
        topics = { stamp, value: assignTopics(converted.entry.paper, [...converted.entry.keywords, ...tags]) };
        this.topics.set(id, topics);
      }
      const known = topics?.stamp === stamp ? topics.value : undefined;
      const collections = (item.data.collections ?? []).filter((key) => library.collections.has(key)).map((key) => collectionId(library.prefix, key));
      const signature = `${stamp}|${key}|${collections.join(',')}|${known?.join(',') ?? '?'}`;
      const before = this.sent.get(id);
      if (before?.signature === signature) {
        papers.push(before.paper);
        continue;
      }
      const paper: ZoteroPaper = {
        id,
        ref: { library: library.prefix, key: item.key },
        entry: { ...converted.entry, paper: { ...converted.entry.paper, key } },
        collections,
        tags,
        ...(known && { topics: known }),
      };
      papers.push(paper);
      changed.push(paper);
      this.sent.set(id, { signature, paper });
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
