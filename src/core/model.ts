/** The domain model shared by every part of Lit Notes. Plain data: serialisable as JSON. */

export interface Author {
  /** Given names as written ("Danica J."). Empty for a single-name or institutional author. */
  given: string;
  /** Family name ("Sutherland"), or the whole name of an institution. */
  family: string;
}

/** A date as precise as its source: the listing often omits the year. */
export interface PartialDate {
  year?: number;
  /** 1-12 */
  month: number;
  day: number;
}

export interface PaperLinks {
  /** arXiv abstract page */
  arxiv?: string;
  pdf?: string;
  huggingFace?: string;
  /** Code repository; only ever an http(s) URL. */
  code?: string;
}

export interface Paper {
  /** Citation key, Better BibTeX style (`zhou2024treg`): unique within a library. */
  key: string;
  title: string;
  abstract: string;
  /** The full author list where known; may be shorter than `authorCount` when a source lists only a count. */
  authors: Author[];
  /** Number of authors as the source states it (the listing's "N authors"). */
  authorCount: number;
  /** The author list ends in "and others": more authors than are named (shown as "et al."). */
  andOthers?: boolean;
  year?: number;
  /** The date the listing shows for the paper, with or without a year. */
  listingDate?: PartialDate;
  venue?: string;
  /** Organisation shown by the listing (e.g. "NVIDIA"). */
  organization?: string;
  upvotes?: number;
  arxivId?: string;
  doi?: string;
  links: PaperLinks;
  /** Topic ids, primary first (1 to 3 for the bundled library). */
  topics: string[];
  /**
   * Other citation keys of the same paper, from the records merged into it (a user's .bib entry for a
   * bundled paper keeps the user's key): notes that cite those keys still find the paper.
   */
  aliases?: string[];
  /** Tags its library source holds (Zotero's): read-only here, shown and grouped with the workspace's own tags. */
  tags?: string[];
  /** Ids of the `Library.collections` the paper is in. */
  collections?: string[];
  /** The paper's item in Zotero, when it comes from a Zotero library. */
  zotero?: ZoteroItemRef;
}

/** An item of a Zotero library: the library as the local API names it (`users/0`, `groups/<id>`) and the item's key. */
export interface ZoteroItemRef {
  library: string;
  key: string;
}

/** A collection of a library source (a Zotero collection, with its parents), for grouping the Papers view. */
export interface LibraryCollection {
  id: string;
  /** Names from the top: ["Reading", "RL"]; a group library's name comes first. */
  path: string[];
}

export interface Topic {
  id: string;
  label: string;
  /** One line saying what belongs here. */
  description: string;
}

export interface Library {
  papers: Paper[];
  topics: Topic[];
  /** The collections of the library sources that have them (Zotero). */
  collections?: LibraryCollection[];
}

/** `status` and `tag` group by the reading state kept in the workspace (see readingState.ts). */
export type GroupBy = 'topic' | 'year' | 'venue' | 'organization' | 'status' | 'tag' | 'collection';
export const GROUP_BY_VALUES: readonly GroupBy[] = ['topic', 'year', 'venue', 'organization', 'status', 'tag', 'collection'];

/** `csl`: the full formatted reference; `cslInText`: the style's in-text citation, e.g. "(Zhou et al., 2024)". */
export type CitationFormat = 'pandoc' | 'markdownLink' | 'csl' | 'cslInText';
