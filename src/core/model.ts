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

/**
 * A CSL name: a person (`family`, `given`, particles, `suffix`) or an institution (`literal`).
 * In a record, as CSL-JSON writes it.
 */
export interface CslName {
  family?: string;
  given?: string;
  /** "van" in "Ludwig van Beethoven" when styles drop it in sorting. */
  'dropping-particle'?: string;
  /** "van der" in "van der Berg": part of the family name. */
  'non-dropping-particle'?: string;
  suffix?: string;
  literal?: string;
  'comma-suffix'?: boolean;
  'static-ordering'?: boolean;
  'parse-names'?: boolean;
}

/** A CSL date: up to two `[year, month?, day?]` parts (a range), or text CSL cannot parse. */
export interface CslDate {
  'date-parts'?: (number | string)[][];
  season?: number | string;
  circa?: boolean | number | string;
  literal?: string;
  raw?: string;
}

/** The record's own extension data, in CSL-JSON's `custom` object (kept through every export). */
export interface RecordCustom {
  /** Name variables whose list ends in "and others" (more people than are named). */
  'and-others'?: string[];
  /** The BibTeX/biblatex entry type the record was read from, so that @proceedings comes back as @proceedings. */
  'bibtex-type'?: string;
  /** BibTeX/biblatex fields with no CSL variable, as written (LaTeX kept): eprint, eprintclass, key, crossref … */
  'bibtex-fields'?: Record<string, string>;
  /** The field a .bib entry named its publisher in, when not its type's usual one (an @inproceedings' organization). */
  'bibtex-publisher'?: string;
  /** The source's own id when it could not be the citation key (a Zotero item URI). */
  'original-id'?: string;
  [name: string]: unknown;
}

/**
 * One faithful bibliographic record: a CSL-JSON item without its id (the paper's key stands beside
 * it). Every variable a source brings is kept, named as CSL names it; titles are CSL rich text
 * (`<i>`, `<b>`, `<sup>`, `<sub>`, `<span class="nocase">` for words whose case is protected).
 */
export interface CslRecord {
  /** CSL item type ("article-journal", "paper-conference", "book", "thesis" …), from the source's entry type. */
  type: string;
  title?: string;
  'title-short'?: string;
  'container-title'?: string;
  'container-title-short'?: string;
  'collection-title'?: string;
  'collection-number'?: string | number;
  event?: string;
  'event-place'?: string;
  author?: CslName[];
  editor?: CslName[];
  translator?: CslName[];
  'container-author'?: CslName[];
  issued?: CslDate;
  accessed?: CslDate;
  'event-date'?: CslDate;
  'original-date'?: CslDate;
  volume?: string | number;
  issue?: string | number;
  page?: string;
  'number-of-pages'?: string | number;
  'number-of-volumes'?: string | number;
  'chapter-number'?: string | number;
  edition?: string | number;
  publisher?: string;
  'publisher-place'?: string;
  number?: string | number;
  genre?: string;
  status?: string;
  version?: string;
  DOI?: string;
  URL?: string;
  ISBN?: string;
  ISSN?: string;
  note?: string;
  annote?: string;
  language?: string;
  keyword?: string;
  abstract?: string;
  custom?: RecordCustom;
  /** Any other CSL variable, as the source gave it. */
  [variable: string]: unknown;
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
  /** Topic ids, primary first (1 to 3 for the bundled library). What every feature reads. */
  topics: string[];
  /** Why the paper is under each of its topics (absent for the bundled library's own papers: the hand-made taxonomy). */
  topicReasons?: TopicReason[];
  /**
   * Other citation keys of the same paper, from the records merged into it (a user's .bib entry for a
   * bundled paper keeps the user's key): notes that cite those keys still find the paper.
   */
  aliases?: string[];
  /**
   * The paper's bibliographic record as its source holds it. The display fields above (title, authors,
   * year, venue, doi, arxivId …) are derived from it when the paper is read (`paperFromRecord`);
   * exports and citations read the record. Absent only for papers made by hand in code.
   */
  record?: CslRecord;
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

/**
 * Where a topic comes from: the library's own groups or keywords (`source`), the user (`user`), the
 * papers' text (`discovered`), or the bundled taxonomy (`bundled`).
 */
export type TopicOrigin = 'source' | 'user' | 'discovered' | 'bundled';
export const TOPIC_ORIGINS: readonly TopicOrigin[] = ['source', 'user', 'discovered', 'bundled'];

export interface Topic {
  id: string;
  label: string;
  /** One line saying what belongs here. */
  description: string;
  /** The id of the topic this one is a sub-topic of. */
  parent?: string;
  /** Absent: `bundled` (the taxonomy shipped with the extension). */
  origin?: TopicOrigin;
  /** A discovered topic the user pinned: its papers stay, whatever discovery says next. */
  pinned?: boolean;
}

/** Why a paper is under a topic, for the tree's tooltip. */
export interface TopicReason {
  topic: string;
  /** `source`: the library file's group or keyword; `user`: the user put it there; `discovered`: `terms` are what it shares with the topic; `bundled`: close to the bundled topic's papers. */
  origin: TopicOrigin;
  /** The distinctive terms it shares with the topic (discovered and bundled). */
  terms?: string[];
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
