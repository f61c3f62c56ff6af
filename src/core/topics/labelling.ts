/**
 * Names for discovered topics: the terms most of a topic's papers hold and few others do
 * (coverage × precision), phrases before their words ("theorem proving" before "theorem", and
 * "interactive theorem proving" when nearly every paper with the phrase says so), in the surface
 * form the papers write them: "DPO" and "Coq" keep their capitals, "Theorem" in a Title Case title
 * does not.
 */
import { DISCOVERED_PREFIX, nthSmallest, type PinnedTopic } from './discovery';
import { APART, GLUE, holds, inTitleCase, type Corpus } from './terms';

export interface LabelledTerm {
  /** The folded words of the term ("theorem", "proving"). */
  parts: string[];
  /** As the papers write it ("theorem proving", "Coq"). */
  surface: string;
}
export interface LabelledTopic {
  id: string;
  label: string;
  /** The topic's distinctive terms, the label's first. */
  terms: LabelledTerm[];
}

/** Words that belong in a phrase but say too little alone to name a topic. */
const WEAK = new Set(
  'learning model language large llm data system network neural deep framework efficient study analysis improving improved effective scalable general task result problem application toward paper work self multi non like take provide existing human'.split(' '),
);
/** How many distinctive terms a topic keeps (for evidence, tooltips and assigning later papers). */
const TOPIC_TERMS = 15;
/** A phrase replaces its word in the label when it scores at least this share of the word's score. */
const PHRASE_SHARE = 0.5;
/** A third word joins a phrase when at least this share of the phrase's papers write it. */
const EXTENSION_SHARE = 0.6;
/** The label's second term must score at least this share of the first. */
const SECOND_SHARE = 0.25;
const SEPARATOR = ' · ';
/** How many of the papers that hold a term are read for how they write it. */
const SURFACE_SAMPLE = 40;
/** How many of a topic's candidates are sorted at first: its terms and label seldom read further. */
const SORTED_FIRST = 200;

/** Per term id: sums for one topic at a time, and the term's words, split once for all topics. */
interface Scratch {
  weight: Float64Array;
  count: Int32Array;
  parts: string[][];
}

interface Candidate {
  id: number;
  term: string;
  parts: string[];
  inGroup: number;
  score: number;
}

export function labelTopics(corpus: Corpus, groups: readonly (readonly number[])[], pinned: readonly PinnedTopic[]): LabelledTopic[] {
  const totals = new Float64Array(corpus.terms.length);
  for (const { ids, weights } of corpus.held) for (let at = 0; at < ids.length; at++) totals[ids[at]] += weights[at];
  const scratch: Scratch = { weight: new Float64Array(corpus.terms.length), count: new Int32Array(corpus.terms.length), parts: [] };
  const used = new Map<string, number>();
  const labelled = groups.map((members, group) => {
    const candidates = rank(corpus, members, totals, scratch);
    const terms = distinctive(corpus, candidates, members);
    if (group < pinned.length) return { id: pinned[group].id, label: pinned[group].label, terms };
    // Two words as the phrase the topic's papers write, either way round.
    const phrase = (a: string, b: string) => {
      const found = candidates.find((candidate) => candidate.parts.length === 2 && ((candidate.parts[0] === a && candidate.parts[1] === b) || (candidate.parts[0] === b && candidate.parts[1] === a)));
      return found && surfaceOf(corpus, found.parts, holding(corpus, members, found.id));
    };
    return { id: '', label: labelOf(terms, candidates, phrase), terms };
  });
  // Labels are unique: a repeated one takes the topic's next term.
  const seen = new Map<string, number>();
  for (const topic of labelled) seen.set(topic.label, (seen.get(topic.label) ?? 0) + 1);
  labelled.forEach((topic, group) => {
    if (group < pinned.length) return;
    if ((seen.get(topic.label) ?? 0) > 1 && topic.terms.length > 2) topic.label = `${topic.label}${SEPARATOR}${topic.terms[2].surface}`;
    const base = `${DISCOVERED_PREFIX}${slug(topic.label) || 'topic'}`;
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    topic.id = count === 1 ? base : `${base}-${count}`;
  });
  return labelled;
}

/**
 * Each term's share in the topic's entropy against the library's, p(t|topic) · log(p(t|topic) / p(t)):
 * high for terms most of the topic's papers hold and few others do. A paper holds a term fully in
 * its title or keywords, a third in its abstract alone: titles say what a paper is about.
 */
function rank(corpus: Corpus, members: readonly number[], totals: Float64Array, scratch: Scratch): Ranked {
  const { weight, count, parts } = scratch;
  const touched: number[] = [];
  for (const paper of members) {
    const { ids, weights } = corpus.held[paper];
    for (let at = 0; at < ids.length; at++) {
      if (count[ids[at]]++ === 0) touched.push(ids[at]);
      weight[ids[at]] += weights[at];
    }
  }
  const size = members.length;
  const least = Math.min(2, size);
  const papers = corpus.held.length;
  const candidates: Candidate[] = [];
  for (const id of touched) {
    const inGroup = count[id];
    const share = weight[id] / size;
    count[id] = 0;
    weight[id] = 0;
    if (inGroup < least) continue;
    const term = corpus.terms[id];
    const weak = WEAK.has(term) ? 0.5 : 1;
    const score = share * Math.log(share / (totals[id] / papers)) * weak;
    if (score > 0) candidates.push({ id, term, parts: (parts[id] ??= term.split(' ')), inGroup, score });
  }
  return new Ranked(candidates);
}

/** Best first: the higher score, then the term (a total order: terms are unique). */
const better = (a: Candidate, b: Candidate) => b.score - a.score || (a.term < b.term ? -1 : 1);

/**
 * A topic's candidates best first, sorted only as far as they are read: a topic has thousands, its
 * terms and label read the first few dozen. The first SORTED_FIRST (and all that tie with the last
 * of them) are sorted at once, the rest when a reader goes past them.
 */
class Ranked {
  private sorted: Candidate[];
  private rest: Candidate[] = [];

  constructor(readonly all: Candidate[]) {
    if (all.length <= SORTED_FIRST) {
      this.sorted = [...all].sort(better);
      return;
    }
    const least = nthSmallest(Float64Array.from(all, (candidate) => candidate.score), all.length - SORTED_FIRST);
    this.sorted = all.filter((candidate) => candidate.score >= least).sort(better);
    this.rest = all.filter((candidate) => candidate.score < least);
  }

  at(index: number): Candidate | undefined {
    if (index >= this.sorted.length && this.rest.length > 0) {
      this.sorted = this.sorted.concat(this.rest.sort(better));
      this.rest = [];
    }
    return this.sorted[index];
  }

  /** The best candidate that passes `test`. */
  find(test: (candidate: Candidate) => boolean): Candidate | undefined {
    for (let index = 0; ; index++) {
      const candidate = this.at(index);
      if (!candidate || test(candidate)) return candidate;
    }
  }
}

/**
 * The topic's best terms, phrases before the words they are made of: a word is dropped when a
 * phrase with it scores nearly as well, and a phrase grows a third word most of its papers write.
 */
function distinctive(corpus: Corpus, candidates: Ranked, members: readonly number[]): LabelledTerm[] {
  // The best phrase with each word.
  const bestPhrase = new Map<string, Candidate>();
  for (const candidate of candidates.all) {
    if (candidate.parts.length !== 2) continue;
    for (const part of candidate.parts) {
      const known = bestPhrase.get(part);
      if (!known || better(candidate, known) < 0) bestPhrase.set(part, candidate);
    }
  }
  const chosen: { id: number; parts: string[] }[] = [];
  for (let index = 0; chosen.length < TOPIC_TERMS; index++) {
    const candidate = candidates.at(index);
    if (!candidate) break;
    if (chosen.some(({ parts }) => overlaps(parts, candidate.parts))) continue;
    let best = candidate;
    if (candidate.parts.length === 1) {
      const phrase = bestPhrase.get(candidate.term);
      if (phrase && phrase.score >= PHRASE_SHARE * candidate.score && !chosen.some(({ parts }) => overlaps(parts, phrase.parts))) best = phrase;
    }
    const parts = (best.parts.length === 2 ? extend(corpus, best, members) : undefined) ?? best.parts;
    if (!chosen.some((other) => overlaps(other.parts, parts))) chosen.push({ id: best.id, parts });
  }
  return chosen.map(({ id, parts }) => ({ parts, surface: surfaceOf(corpus, parts, holding(corpus, members, id)) ?? parts.join(' ') }));
}

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((part) => b.includes(part));

/** The members that hold a term: only their texts need reading for its surface or its third word. */
const holding = (corpus: Corpus, members: readonly number[], id: number) => members.filter((paper) => holds(corpus, paper, id));

/** A third word before or after a phrase, when most of the papers that write the phrase write it. */
function extend(corpus: Corpus, phrase: Candidate, members: readonly number[]): string[] | undefined {
  const [first, second] = phrase.parts.map((part) => corpus.termId.get(part) ?? -1);
  const { term, glue } = corpus.words;
  // By the third word's id, times two, plus one when it comes after the phrase.
  const around = new Map<number, number>();
  const seen = new Set<number>();
  for (const paper of holding(corpus, members, phrase.id)) {
    seen.clear();
    for (let field = corpus.paperFields[paper]; field < corpus.paperFields[paper + 1]; field++) {
      const start = corpus.fieldStart[field];
      const end = corpus.fieldStart[field + 1];
      for (let at = start; at + 1 < end; at++) {
        if (term[at] !== first || term[at + 1] !== second || glue[at + 1] === APART) continue;
        if (at > start && glue[at] !== APART) seen.add(2 * term[at - 1]);
        if (at + 2 < end && glue[at + 2] !== APART) seen.add(2 * term[at + 2] + 1);
      }
    }
    for (const key of seen) around.set(key, (around.get(key) ?? 0) + 1);
  }
  const partsOf = (key: number) => (key % 2 === 0 ? [corpus.terms[key / 2], ...phrase.parts] : [...phrase.parts, corpus.terms[(key - 1) / 2]]);
  let best: [string, number] | undefined;
  for (const [key, count] of around) {
    if (best && count < best[1]) continue;
    const text = partsOf(key).join(' ');
    if (!best || count > best[1] || text < best[0]) best = [text, count];
  }
  return best && best[1] >= Math.max(2, EXTENSION_SHARE * phrase.inGroup) ? best[0].split(' ') : undefined;
}

/**
 * How the papers write a term: the commonest form where capitals mean something (sentence-case text,
 * not its first word), else the commonest form at all.
 */
function surfaceOf(corpus: Corpus, parts: readonly string[], members: readonly number[]): string | undefined {
  const meaningful = new Map<string, number>();
  const any = new Map<string, number>();
  const ids = parts.map((part) => corpus.termId.get(part) ?? -1);
  const { term, surface, glue } = corpus.words;
  const first = ids[0];
  // Enough papers to say how the term is written; spread over the topic, so none is favoured.
  const step = Math.ceil(members.length / SURFACE_SAMPLE);
  for (let index = 0; index < members.length; index += step) {
    const paper = members[index];
    for (let field = corpus.paperFields[paper]; field < corpus.paperFields[paper + 1]; field++) {
      const start = corpus.fieldStart[field];
      const last = corpus.fieldStart[field + 1] - ids.length;
      for (let at = start; at <= last; at++) {
        // Most words are not the term's first: that test alone, before the loop over its words.
        if (term[at] !== first) continue;
        let matches = true;
        for (let part = 1; part < ids.length && matches; part++) matches = term[at + part] === ids[part] && glue[at + part] !== APART;
        if (!matches) continue;
        let written = corpus.surfaces[surface[at]];
        for (let part = 1; part < ids.length; part++) written += GLUE[glue[at + part]] + corpus.surfaces[surface[at + part]];
        any.set(written, (any.get(written) ?? 0) + 1);
        if (at > start && !inTitleCase(corpus, paper, field)) meaningful.set(written, (meaningful.get(written) ?? 0) + 1);
      }
    }
  }
  return commonest(meaningful.size > 0 ? meaningful : any);
}

function commonest(counts: Map<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return best?.[0];
}

/**
 * One or two terms: the best, and the next that shares no word with it when it is distinctive
 * enough. Two words the papers also write as a phrase are that phrase ("Query Optimization", not
 * "Query · Optimization"), and the next term may follow it.
 */
function labelOf(terms: readonly LabelledTerm[], candidates: Ranked, phrase: (a: string, b: string) => string | undefined): string {
  if (terms.length === 0) return 'Miscellaneous';
  const scoreOf = (term: LabelledTerm) => candidates.find((candidate) => term.parts.join(' ').includes(candidate.term))?.score ?? 0;
  const distinct = (term: LabelledTerm | undefined) => term !== undefined && scoreOf(term) >= SECOND_SHARE * scoreOf(terms[0]);
  let label = terms[0].surface;
  let next = 1;
  if (distinct(terms[1])) {
    const joined = terms[0].parts.length === 1 && terms[1].parts.length === 1 ? phrase(terms[0].parts[0], terms[1].parts[0]) : undefined;
    label = joined ?? `${label}${SEPARATOR}${terms[1].surface}`;
    next = joined ? 2 : 0;
  }
  if (next === 2 && distinct(terms[2])) label = `${label}${SEPARATOR}${terms[2].surface}`;
  return label.charAt(0).toLocaleUpperCase() + label.slice(1);
}

function slug(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
