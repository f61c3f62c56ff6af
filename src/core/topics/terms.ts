/**
 * Terms of a paper for topic discovery: words and two-word phrases of its title, abstract and
 * keywords, folded and lightly stemmed (plural endings only, so that the surface form of a term is
 * still a word a reader knows), with the surface form each was written in, for labels.
 */
import { fold } from '../search/text';
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

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
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

/** The words of a text, stop words and numbers dropped; a dropped word or punctuation breaks phrases. */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let end = 0;
  let previousKept = false;
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const start = match.index;
    const between = text.slice(end, start);
    end = start + raw.length;
    const kept = termOf(raw);
    if (!kept) {
      previousKept = false;
      continue;
    }
    const [term, stripped] = kept;
    const glue = between === ' ' || (between !== '-' && /^\s+$/.test(between)) ? ' ' : between === '-' ? '-' : '';
    words.push({ term, surface: stripped, joined: previousKept && glue !== '', glue });
    previousKept = true;
  }
  return words;
}

/** A paper's words per field, kept for labels and evidence. */
export interface PaperText {
  key: string;
  /** Each field's words in order (title, abstract, each keyword): phrases do not cross fields. */
  fields: Word[][];
  /** The fields as written. */
  sources: string[];
  /** Whether each field is in title case, where capitals say nothing about a word (worked out when first asked). */
  titleCase: (boolean | undefined)[];
}

export function paperText(paper: DiscoveryInput): PaperText {
  const sources = [paper.title, paper.abstract ?? '', ...(paper.keywords ?? [])];
  return { key: paper.key, fields: sources.map((text) => wordsOf(text)), sources, titleCase: [] };
}

/** Whether a field of the paper is in title case. */
export function inTitleCase(text: PaperText, field: number): boolean {
  return (text.titleCase[field] ??= isTitleCase(text.sources[field]));
}

function isTitleCase(text: string): boolean {
  const long = text.match(/\p{L}{4,}/gu) ?? [];
  if (long.length < 3) return true;
  const capitalised = long.filter((word) => /^\p{Lu}/u.test(word)).length;
  return capitalised / long.length >= 0.6;
}

/**
 * The papers' terms, each interned once: per paper, what clustering weighs (weighted counts of its
 * words, phrases, venue and authors) and what labels and evidence read (which text terms it holds,
 * and where).
 */
export interface Corpus {
  texts: PaperText[];
  /** Every term by id, in order of first sight; features (venue, authors) are prefixed. */
  terms: string[];
  termId: Map<string, number>;
  /** Per term: in how many papers it occurs. */
  df: Int32Array;
  /** Per paper: its term ids and their weighted counts. */
  counts: { ids: Int32Array; counts: Float64Array }[];
  /**
   * Per paper: the text terms it shares with another paper, ids ascending, and how fully it holds
   * each: 1 in its title or keywords, 0.3 in its abstract alone (titles say what a paper is about).
   */
  held: { ids: Int32Array; weights: Float64Array }[];
}

const VENUE_WEIGHT = 0.5;
const AUTHOR_WEIGHT = 0.5;
const ABSTRACT_PRESENCE = 0.3;

export function buildCorpus(papers: readonly DiscoveryInput[]): Corpus {
  const termId = new Map<string, number>();
  const terms: string[] = [];
  let df = new Int32Array(1024);
  const intern = (term: string) => {
    let id = termId.get(term);
    if (id === undefined) {
      id = terms.length;
      termId.set(term, id);
      terms.push(term);
      if (id >= df.length) {
        const grown = new Int32Array(df.length * 2);
        grown.set(df);
        df = grown;
      }
    }
    return id;
  };
  // Two-word phrases by their words' ids: no string is made for a phrase seen before.
  const phraseId = new Map<number, number>();
  const PAIR = 2 ** 26;
  const texts = papers.map(paperText);
  const counts: Corpus['counts'] = [];
  const presence: { ids: number[]; held: number[] }[] = [];
  const slot = new Map<number, number>();
  texts.forEach((text, index) => {
    slot.clear();
    const ids: number[] = [];
    const weights: number[] = [];
    const held: number[] = [];
    const add = (id: number, weight: number, present: number, replace = false) => {
      let at = slot.get(id);
      if (at === undefined) {
        at = ids.length;
        slot.set(id, at);
        ids.push(id);
        weights.push(0);
        held.push(0);
        df[id]++;
      }
      weights[at] = replace ? weight : weights[at] + weight;
      if (present > held[at]) held[at] = present;
    };
    text.fields.forEach((words, field) => {
      const weight = field === 0 ? TITLE_WEIGHT : field === 1 ? 1 : KEYWORD_WEIGHT;
      const present = field === 1 ? ABSTRACT_PRESENCE : 1;
      let previous = -1;
      for (let at = 0; at < words.length; at++) {
        const id = intern(words[at].term);
        add(id, weight, present);
        if (at > 0 && words[at].joined) {
          const pair = previous * PAIR + id;
          let phrase = phraseId.get(pair);
          if (phrase === undefined) phraseId.set(pair, (phrase = intern(`${words[at - 1].term} ${words[at].term}`)));
          add(phrase, weight, present);
        }
        previous = id;
      }
    });
    const paper = papers[index];
    const venue = venueTerm(paper.venue);
    if (venue) add(intern(venue), VENUE_WEIGHT, 0, true);
    for (const author of paper.authors ?? []) {
      const name = author.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
      if (name) add(intern(`author:${name}`), AUTHOR_WEIGHT, 0, true);
    }
    counts.push({ ids: Int32Array.from(ids), counts: Float64Array.from(weights) });
    presence.push({ ids, held });
  });
  // Only terms two papers share can tell a topic; features are not words to show.
  const weightOf = new Float64Array(terms.length);
  const held = presence.map(({ ids, held: weights }) => {
    const kept: number[] = [];
    for (let at = 0; at < ids.length; at++) {
      if (weights[at] === 0 || df[ids[at]] < 2) continue;
      kept.push(ids[at]);
      weightOf[ids[at]] = weights[at];
    }
    const sorted = new Int32Array(kept).sort();
    const keptWeights = new Float64Array(sorted.length);
    for (let at = 0; at < sorted.length; at++) keptWeights[at] = weightOf[sorted[at]];
    return { ids: sorted, weights: keptWeights };
  });
  return { texts, terms, termId, df: df.slice(0, terms.length), counts, held };
}

/** Whether the paper holds the term (an id of `corpus.terms`). */
export function holds(corpus: Corpus, paper: number, id: number): boolean {
  const ids = corpus.held[paper].ids;
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ids[middle] === id) return true;
    if (ids[middle] < id) low = middle + 1;
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

