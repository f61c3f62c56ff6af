/**
 * Terms of a paper for topic discovery: words and two-word phrases of its title, abstract and
 * keywords, folded and lightly stemmed (plural endings only, so that the surface form of a term is
 * still a word a reader knows), with the surface form each was written in, for labels.
 */
import { fold } from '../search/text';
import { grow, IntList } from '../search/growable';
import type { DiscoveryInput } from './discovery';

/** One word of a text: its term (folded, singular) and how it was written. */
export interface Word {
  term: string;
  surface: string;
  /** Whether the word follows the previous one directly (a space or a hyphen), so the two make a phrase. */
  joined: boolean;
  /** What separated it from the previous word when joined (" " or "-"). */
  glue: string;
}

/**
 * Function words and the fillers of paper titles ("towards", "via", "novel"): they neither tell
 * topics apart nor make a label.
 */
export const STOP_WORDS = new Set(
  (
    'a an the and or nor but if then else of in on at to for from by with without within into onto over under than as is are was were be been being ' +
    'it its this that these those their there here which who whom whose what when where why how all any each both few more most less least other ' +
    'some such no not only own same so too very can could may might must shall should will would do does did done has have had having ' +
    'we our us they them you your he she his her i me my one two three via using use used uses based towards toward through across about ' +
    'between among against during before after above below up down out off again further once also just while yet than per vs versus ' +
    'new novel approach approaches method methods towards beyond make making made get gets let lets can t s'
  ).split(' '),
);

const DIGITS = /^\d+$/;
/** The title says more per word than the abstract, and so do keywords. */
const TITLE_WEIGHT = 2;
const KEYWORD_WEIGHT = 2;
/** Longer "words" are URLs, hashes, formulas or encoded data. */
const MAX_WORD = 40;

/** The singular of an English plural, cautiously: "policies" → "policy", "agents" → "agent", "process" stays. */
export function singular(term: string): string {
  if (term.length <= 3) return term;
  if (term.endsWith('ies') && term.length > 4) return `${term.slice(0, -3)}y`;
  if (term.endsWith('sses')) return term.slice(0, -2);
  if (term.endsWith('s') && !/(?:ss|us|is|os|as|ys)$/.test(term)) return term.slice(0, -1);
  return term;
}

/** A word as written → [its term, its surface]; undefined for a word that is dropped. */
const known = new Map<string, readonly [string, string] | undefined>();
/** Enough for the distinct words of a large library; beyond it the memo starts again. */
const KNOWN_WORDS = 500_000;

/** Folding and singular forms cost more than the rest of reading a text, and a library repeats its words. */
function termOf(raw: string): readonly [string, string] | undefined {
  if (known.has(raw)) return known.get(raw);
  if (known.size >= KNOWN_WORDS) known.clear();
  const stripped = raw.replace(/['’]s$/u, '');
  const term = singular(fold(stripped).replace(/['’]/g, ''));
  const kept = term.length < 2 || term.length > MAX_WORD || STOP_WORDS.has(term) || DIGITS.test(term) ? undefined : ([term, stripped] as const);
  known.set(raw, kept);
  return kept;
}

// Characters by class, worked out on first sight (a regex test per character would dominate reading).
const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;
const OTHER = 4;
const classes = new Uint8Array(0x10000);

function classify(code: number): number {
  const character = String.fromCodePoint(code);
  return /\p{L}/u.test(character) ? LETTER : /\p{N}/u.test(character) ? NUMBER : /\s/.test(character) ? SPACE : OTHER;
}

/** The class of the character at `at`, and its length in UTF-16 units (2 for a surrogate pair). */
function classAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code >= 0xd800 && code < 0xdc00 && at + 1 < text.length) {
    const low = text.charCodeAt(at + 1);
    if (low >= 0xdc00 && low < 0xe000) return classify(text.codePointAt(at)!) | 8;
  }
  return (classes[code] ||= classify(code));
}

/** How a word joins the one before it: not at all, by a space, or by a hyphen. */
export const APART = 0;
export const SPACED = 1;
export const HYPHENATED = 2;
export const GLUE = ['', ' ', '-'];

/** How the text between two words joins them: only spaces, or exactly one hyphen. */
function glueOf(text: string, from: number, to: number): number {
  if (to === from + 1 && text.charCodeAt(from) === 45) return HYPHENATED;
  if (to === from) return APART;
  for (let at = from; at < to; at++) if (classAt(text, at) !== SPACE) return APART;
  return SPACED;
}

/** The class of the character at `at` (| 8 for a surrogate pair), the common case inline. */
const typeAt = (text: string, at: number) => {
  const code = text.charCodeAt(at);
  return code < 0xd800 ? (classes[code] ||= classify(code)) : classAt(text, at);
};

/**
 * Calls `use` with where each word of a text is (letters and digits, with an apostrophe and letters
 * after: "model's"), a hash of it, and how it joins the previous word, as written. One pass over
 * the text: the hash is taken as the word is read.
 */
function scan(text: string, use: (start: number, end: number, hash: number, glue: number) => void): void {
  let at = 0;
  let end = 0;
  const length = text.length;
  while (at < length) {
    let type = typeAt(text, at);
    if ((type & 7) > NUMBER) {
      at += type & 8 ? 2 : 1;
      continue;
    }
    const start = at;
    let hash = 0x811c9dc5;
    // A word's characters, then an apostrophe with letters after it (only letters from there on).
    for (let most = NUMBER; at < length; ) {
      type = typeAt(text, at);
      if ((type & 7) > most) {
        const mark = text.charCodeAt(at);
        if (most === LETTER || (mark !== 39 && mark !== 0x2019) || at + 1 >= length || (typeAt(text, at + 1) & 7) !== LETTER) break;
        most = LETTER;
        hash = Math.imul(hash ^ mark, 16777619);
        at++;
        continue;
      }
      hash = Math.imul(hash ^ text.charCodeAt(at), 16777619);
      if (type & 8) hash = Math.imul(hash ^ text.charCodeAt(++at), 16777619);
      at++;
    }
    use(start, at, hash, glueOf(text, end, start));
    end = at;
  }
}

/**
 * Each distinct word of a library as written, with a number for it, found by hash and compared in
 * place: a word seen before costs no new string (most words of a library were seen before).
 */
class WordTable {
  private slots = new Int32Array(1 << 12);
  private readonly words: string[] = [];
  private readonly hashes: number[] = [];
  readonly values: number[] = [];

  /** The index of the word at text[start … end), or −1 when it is new. */
  find(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === hash && this.equals(this.words[entry], text, start, end)) return entry;
    }
  }

  /** Compared unit by unit: most words are short, and a call into the runtime costs more than the loop. */
  private equals(word: string, text: string, start: number, end: number): boolean {
    if (word.length !== end - start) return false;
    for (let at = 0; at < word.length; at++) if (word.charCodeAt(at) !== text.charCodeAt(start + at)) return false;
    return true;
  }

  add(word: string, hash: number, value: number): number {
    if (2 * (this.words.length + 1) > this.slots.length) {
      this.slots = new Int32Array(2 * this.slots.length);
      this.hashes.forEach((known, entry) => this.place(known, entry));
    }
    this.words.push(word);
    this.hashes.push(hash);
    this.values.push(value);
    this.place(hash, this.words.length - 1);
    return this.words.length - 1;
  }

  private place(hash: number, entry: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }
}

/** The words of a text, stop words and numbers dropped; a dropped word or punctuation breaks phrases. */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let previousKept = false;
  scan(text, (start, end, _hash, glue) => {
    const kept = termOf(text.slice(start, end));
    if (kept) words.push({ term: kept[0], surface: kept[1], joined: previousKept && glue !== APART, glue: GLUE[glue] });
    previousKept = kept !== undefined;
  });
  return words;
}

/** The fields discovery reads of a paper: title, abstract, each keyword. */
const fieldsOf = (paper: DiscoveryInput) => [paper.title, paper.abstract ?? '', ...(paper.keywords ?? [])];

/** Each field's terms joined by spaces, with a space at each end: for looking up phrases in one paper. */
export function termFields(paper: DiscoveryInput): string[] {
  return fieldsOf(paper).map((text) => ` ${wordsOf(text).map((word) => word.term).join(' ')} `);
}

/** Whether at least 60% of the words of four letters or more start with a capital (or there are fewer than three). */
function isTitleCase(text: string): boolean {
  let long = 0;
  let capitalised = 0;
  for (let at = 0; at < text.length; ) {
    let type = typeAt(text, at);
    if ((type & 7) !== LETTER) {
      at++;
      continue;
    }
    const start = at;
    let letters = 0;
    for (; at < text.length && ((type = typeAt(text, at)) & 7) === LETTER; letters++) at += type & 8 ? 2 : 1;
    if (letters < 4) continue;
    long++;
    if (isCapital(text.codePointAt(start)!)) capitalised++;
  }
  return long < 3 || capitalised / long >= 0.6;
}

const capitals = new Map<number, boolean>();
function isCapital(code: number): boolean {
  if (code < 128) return code >= 65 && code <= 90;
  let capital = capitals.get(code);
  if (capital === undefined) capitals.set(code, (capital = /\p{Lu}/u.test(String.fromCodePoint(code))));
  return capital;
}

/**
 * The papers' terms, each interned once: per paper, what clustering weighs (weighted counts of its
 * words, phrases, venue and authors) and what labels and evidence read (which text terms it holds,
 * and where).
 */
export interface Corpus {
  papers: readonly DiscoveryInput[];
  /** Every term by id, in order of first sight; features (venue, authors) are prefixed. */
  terms: string[];
  termId: Map<string, number>;
  /** Per term: in how many papers it occurs. */
  df: Int32Array;
  /** Per paper: its term ids and their weighted counts. */
  counts: { ids: Int32Array; counts: Float64Array }[];
  /**
   * Per paper: the text terms it shares with another paper, in the order it first holds them, and
   * how fully it holds each: 1 in its title or keywords, 0.3 in its abstract alone (titles say what
   * a paper is about).
   */
  held: { ids: Int32Array; weights: Float64Array }[];
  /** Per term of `held`: the papers that hold it, ascending (papers[start[t]] … papers[start[t + 1] − 1]). */
  holders: { start: Int32Array; papers: Int32Array };
  /**
   * Every word of every paper in order, for labels and evidence, as numbers (no object per word):
   * its term id, how it was written (an index of `surfaces`) and how it joins the word before (GLUE).
   */
  words: { term: Int32Array; surface: Int32Array; glue: Uint8Array };
  surfaces: string[];
  /**
   * Where fields start (title, abstract, each keyword; phrases do not cross fields): the fields of
   * paper p are paperFields[p] … paperFields[p + 1] − 1, the words of field f fieldStart[f] … fieldStart[f + 1] − 1.
   */
  paperFields: Int32Array;
  fieldStart: Int32Array;
  /** Per field: 1 when it is in title case (where capitals say nothing about a word), 0 when not, −1 until asked. */
  titleCase: Int8Array;
}

const VENUE_WEIGHT = 0.5;
const AUTHOR_WEIGHT = 0.5;
const ABSTRACT_PRESENCE = 0.3;

/** Two-word phrases by their words' ids (open addressing): no string is made for a phrase seen before. */
class PairTable {
  private keys = new Int32Array(2 * 4096).fill(-1);
  private values = new Int32Array(4096);
  private size = 0;

  get(first: number, second: number): number {
    const mask = this.values.length - 1;
    for (let slot = this.hash(first, second) & mask; ; slot = (slot + 1) & mask) {
      if (this.keys[2 * slot] === -1) return -1;
      if (this.keys[2 * slot] === first && this.keys[2 * slot + 1] === second) return this.values[slot];
    }
  }

  set(first: number, second: number, value: number): void {
    if (2 * (this.size + 1) > this.values.length) this.rehash();
    const mask = this.values.length - 1;
    let slot = this.hash(first, second) & mask;
    while (this.keys[2 * slot] !== -1) slot = (slot + 1) & mask;
    this.keys[2 * slot] = first;
    this.keys[2 * slot + 1] = second;
    this.values[slot] = value;
    this.size++;
  }

  private hash(first: number, second: number): number {
    return Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca77);
  }

  private rehash(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.values = new Int32Array(values.length * 2);
    this.size = 0;
    for (let slot = 0; slot < values.length; slot++) if (keys[2 * slot] !== -1) this.set(keys[2 * slot], keys[2 * slot + 1], values[slot]);
  }
}

/**
 * The terms of a run of papers, read on their own (a large library is read in parts on two threads):
 * term and surface ids are the part's own, in order of first sight, so that parts joined in order
 * number every term as one reading of all the papers would. Typed arrays and strings only, to cross
 * between threads.
 */
export interface CorpusPart {
  terms: string[];
  df: Int32Array;
  /** Paper p's terms are entries offsets[p] … offsets[p + 1] − 1 of ids, counts and presence. */
  offsets: Int32Array;
  ids: Int32Array;
  counts: Float64Array;
  /** How fully the paper holds the term in its text (see Corpus.held); 0 for venue and authors. */
  presence: Float64Array;
  words: Corpus['words'];
  surfaces: string[];
  /** As in Corpus, counted within the part. */
  paperFields: Int32Array;
  fieldStart: Int32Array;
}

/** A part read on this thread, with its terms' ids by text (a part from another thread comes without). */
export interface LocalCorpusPart extends CorpusPart {
  termId: Map<string, number>;
}

export function readPart(papers: readonly DiscoveryInput[]): LocalCorpusPart {
  const termId = new Map<string, number>();
  const terms: string[] = [];
  let df = new Int32Array(1024);
  // Per term: the paper that last held it (+1) and where in that paper's entries.
  let lastPaper = new Int32Array(1024);
  let slotOf = new Int32Array(1024);
  const intern = (term: string) => {
    let id = termId.get(term);
    if (id === undefined) {
      id = terms.length;
      termId.set(term, id);
      terms.push(term);
      if (id >= df.length) {
        df = grow(df, df.length * 2);
        lastPaper = grow(lastPaper, lastPaper.length * 2);
        slotOf = grow(slotOf, slotOf.length * 2);
      }
    }
    return id;
  };
  const phrases = new PairTable();
  // Authors write most of a library: each name is normalised once.
  const authorId = new Map<string, number>();
  // Each word as written, once: its term id and surface id, or −1 when it is dropped.
  const wordCode = new WordTable();
  const wordTerm: number[] = [];
  const wordSurface: number[] = [];
  const surfaces: string[] = [];
  const surfaceId = new Map<string, number>();
  const codeOf = (text: string, start: number, end: number, hash: number) => {
    const entry = wordCode.find(text, start, end, hash);
    if (entry >= 0) return wordCode.values[entry];
    const raw = text.slice(start, end);
    const kept = termOf(raw);
    const code = kept ? wordTerm.length : -1;
    if (kept) {
      wordTerm.push(intern(kept[0]));
      let surface = surfaceId.get(kept[1]);
      if (surface === undefined) surfaceId.set(kept[1], (surface = surfaces.push(kept[1]) - 1));
      wordSurface.push(surface);
    }
    wordCode.add(raw, hash, code);
    return code;
  };
  const wordTerms = new IntList(1 << 16);
  const wordSurfaces = new IntList(1 << 16);
  const wordGlue = new IntList(1 << 16);
  const paperFields = new Int32Array(papers.length + 1);
  const fieldStart = new IntList(papers.length * 2 + 1);

  // Every paper's entries one after the other (`entries` of them so far).
  const offsets = new Int32Array(papers.length + 1);
  let allIds = new Int32Array(1 << 16);
  let allCounts = new Float64Array(1 << 16);
  let allPresence = new Float64Array(1 << 16);
  let entries = 0;
  // The paper being read: its terms, their weighted counts and how fully it holds each.
  let ids = new Int32Array(1024);
  let weights = new Float64Array(1024);
  let held = new Float64Array(1024);
  let count = 0;
  let paperNumber = 0;
  const add = (id: number, weight: number, present: number, replace = false) => {
    let at: number;
    if (lastPaper[id] === paperNumber) at = slotOf[id];
    else {
      if (count === ids.length) {
        ids = grow(ids, 2 * count);
        weights = grow(weights, 2 * count);
        held = grow(held, 2 * count);
      }
      at = count++;
      lastPaper[id] = paperNumber;
      slotOf[id] = at;
      ids[at] = id;
      weights[at] = 0;
      held[at] = 0;
      df[id]++;
    }
    weights[at] = replace ? weight : weights[at] + weight;
    if (present > held[at]) held[at] = present;
  };
  papers.forEach((paper, index) => {
    paperNumber = index + 1;
    count = 0;
    paperFields[index] = fieldStart.length;
    fieldsOf(paper).forEach((text, field) => {
      const weight = field === 0 ? TITLE_WEIGHT : field === 1 ? 1 : KEYWORD_WEIGHT;
      const present = field === 1 ? ABSTRACT_PRESENCE : 1;
      fieldStart.push(wordTerms.length);
      let previous = -1;
      scan(text, (start, end, hash, glue) => {
        const code = codeOf(text, start, end, hash);
        if (code < 0) {
          previous = -1;
          return;
        }
        const id = wordTerm[code];
        const joined = previous >= 0 && glue !== APART;
        wordTerms.push(id);
        wordSurfaces.push(wordSurface[code]);
        wordGlue.push(joined ? glue : APART);
        add(id, weight, present);
        if (joined) {
          let phrase = phrases.get(previous, id);
          if (phrase < 0) phrases.set(previous, id, (phrase = intern(`${terms[previous]} ${terms[id]}`)));
          add(phrase, weight, present);
        }
        previous = id;
      });
    });
    const venue = venueTerm(paper.venue);
    if (venue) add(intern(venue), VENUE_WEIGHT, 0, true);
    for (const author of paper.authors ?? []) {
      let id = authorId.get(author);
      if (id === undefined) {
        const name = author.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
        authorId.set(author, (id = name ? intern(`author:${name}`) : -1));
      }
      if (id >= 0) add(id, AUTHOR_WEIGHT, 0, true);
    }
    if (entries + count > allIds.length) {
      const size = Math.max(2 * allIds.length, entries + count);
      allIds = grow(allIds, size);
      allCounts = grow(allCounts, size);
      allPresence = grow(allPresence, size);
    }
    allIds.set(ids.subarray(0, count), entries);
    allCounts.set(weights.subarray(0, count), entries);
    allPresence.set(held.subarray(0, count), entries);
    offsets[index + 1] = entries += count;
  });
  paperFields[papers.length] = fieldStart.length;
  fieldStart.push(wordTerms.length);
  return {
    terms,
    termId,
    df: df.slice(0, terms.length),
    offsets,
    ids: allIds.slice(0, entries),
    counts: allCounts.slice(0, entries),
    presence: allPresence.slice(0, entries),
    words: { term: wordTerms.data.slice(0, wordTerms.length), surface: wordSurfaces.data.slice(0, wordSurfaces.length), glue: Uint8Array.from(wordGlue.data.subarray(0, wordGlue.length)) },
    surfaces,
    paperFields,
    fieldStart: fieldStart.data.slice(0, fieldStart.length),
  };
}

/** Ids of one list of names in another, the new ones appended in order (the map and list grow). */
function renumber(names: readonly string[], idOf: Map<string, number>, all: string[]): Int32Array {
  return Int32Array.from(names, (name) => {
    let id = idOf.get(name);
    if (id === undefined) idOf.set(name, (id = all.push(name) - 1));
    return id;
  });
}

/** Ids of the parts one after the other, each later part's renumbered through its table. */
function joinIds(first: Int32Array, others: readonly Int32Array[], tables: readonly Int32Array[]): Int32Array {
  const joined = new Int32Array(others.reduce((total, ids) => total + ids.length, first.length));
  joined.set(first);
  let at = first.length;
  others.forEach((ids, index) => {
    const table = tables[index];
    for (let entry = 0; entry < ids.length; entry++) joined[at++] = table[ids[entry]];
  });
  return joined;
}

/** Positions (paperFields, fieldStart) of the parts one after the other: each later part's from where the one before ends. */
function joinPositions(parts: readonly Int32Array[]): Int32Array {
  const joined = new Int32Array(parts.reduce((total, positions) => total + positions.length - 1, 1));
  let at = 0;
  let base = 0;
  for (const positions of parts) {
    for (let entry = 0; entry < positions.length; entry++) joined[at + entry] = base + positions[entry];
    at += positions.length - 1;
    base = joined[at];
  }
  return joined;
}

/**
 * The corpus of the papers from the parts they were read in, in order (the first read on this
 * thread): the same, to the last id, as reading them all at once. The later parts' term ids are
 * renumbered in place (they are the call's to keep: each came from another thread).
 */
export function joinParts(papers: readonly DiscoveryInput[], [head, ...rest]: readonly [LocalCorpusPart, ...CorpusPart[]]): Corpus {
  const parts = [head, ...rest];
  const { termId } = head;
  let { terms, df, words, surfaces, paperFields, fieldStart } = head;
  if (rest.length > 0) {
    terms = [...head.terms];
    surfaces = [...head.surfaces];
    const surfaceId = new Map(surfaces.map((surface, id) => [surface, id]));
    const termTables = rest.map((other) => renumber(other.terms, termId, terms));
    const surfaceTables = rest.map((other) => renumber(other.surfaces, surfaceId, surfaces));
    df = new Int32Array(terms.length);
    df.set(head.df);
    rest.forEach((other, index) => {
      const table = termTables[index];
      other.df.forEach((count, id) => (df[table[id]] += count));
      for (let entry = 0; entry < other.ids.length; entry++) other.ids[entry] = table[other.ids[entry]];
    });
    const glue = new Uint8Array(parts.reduce((total, other) => total + other.words.glue.length, 0));
    let at = 0;
    for (const other of parts) {
      glue.set(other.words.glue, at);
      at += other.words.glue.length;
    }
    words = {
      term: joinIds(head.words.term, rest.map((other) => other.words.term), termTables),
      surface: joinIds(head.words.surface, rest.map((other) => other.words.surface), surfaceTables),
      glue,
    };
    paperFields = joinPositions(parts.map((other) => other.paperFields));
    fieldStart = joinPositions(parts.map((other) => other.fieldStart));
  }
  // Each paper's entries stay in the array of the part that read it.
  const counts: Corpus['counts'] = [];
  for (const { offsets, ids, counts: weights } of parts) {
    for (let paper = 0; paper + 1 < offsets.length; paper++) counts.push({ ids: ids.subarray(offsets[paper], offsets[paper + 1]), counts: weights.subarray(offsets[paper], offsets[paper + 1]) });
  }
  return { papers, terms, termId, df, counts, ...heldTerms(parts, df), words, surfaces, paperFields, fieldStart, titleCase: new Int8Array(fieldStart.length - 1).fill(-1) };
}

/**
 * Per paper, the text terms it shares with another paper (only those can tell a topic; venue and
 * authors are not words to show), and per term the papers that hold it, ascending: counted as the
 * papers' terms are read, with no sort.
 */
function heldTerms(parts: readonly CorpusPart[], df: Int32Array): Pick<Corpus, 'held' | 'holders'> {
  const entries = parts.reduce((total, part) => total + part.ids.length, 0);
  const ids = new Int32Array(entries);
  const weights = new Float64Array(entries);
  const start = new Int32Array(df.length + 1);
  const held: Corpus['held'] = [];
  let count = 0;
  for (const part of parts) {
    for (let local = 0; local + 1 < part.offsets.length; local++) {
      const first = count;
      for (let entry = part.offsets[local]; entry < part.offsets[local + 1]; entry++) {
        const id = part.ids[entry];
        if (part.presence[entry] === 0 || df[id] < 2) continue;
        ids[count] = id;
        weights[count++] = part.presence[entry];
        start[id + 1]++;
      }
      held.push({ ids: ids.subarray(first, count), weights: weights.subarray(first, count) });
    }
  }
  for (let term = 0; term < df.length; term++) start[term + 1] += start[term];
  const fill = start.slice(0, df.length);
  const papers = new Int32Array(count);
  held.forEach((terms, paper) => {
    for (let at = 0; at < terms.ids.length; at++) papers[fill[terms.ids[at]]++] = paper;
  });
  return { held, holders: { start, papers } };
}

export function buildCorpus(papers: readonly DiscoveryInput[]): Corpus {
  return joinParts(papers, [readPart(papers)]);
}

/** Whether a field (an index of `corpus.fieldStart`) of its paper is in title case. */
export function inTitleCase(corpus: Corpus, paper: number, field: number): boolean {
  if (corpus.titleCase[field] < 0) corpus.titleCase[field] = isTitleCase(fieldsOf(corpus.papers[paper])[field - corpus.paperFields[paper]]) ? 1 : 0;
  return corpus.titleCase[field] === 1;
}

/** Whether the paper holds the term (an id of `corpus.terms`, or −1 for none) in its text, and another paper does too. */
export function holds(corpus: Corpus, paper: number, id: number): boolean {
  if (id < 0 || id >= corpus.terms.length) return false;
  const { start, papers } = corpus.holders;
  let low = start[id];
  let high = start[id + 1] - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (papers[middle] === paper) return true;
    if (papers[middle] < paper) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** A venue without its year, edition and "Proceedings of": "ICML 2024" and "Proc. ICML" are one. */
export function venueTerm(venue: string | undefined): string | undefined {
  if (!venue) return undefined;
  const name = venue
    .toLowerCase()
    .replace(/\b(?:proceedings|proc|of|the|in|findings|\d+(?:st|nd|rd|th)?)\b/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return name && name !== 'arxiv' ? `venue:${name}` : undefined;
}

