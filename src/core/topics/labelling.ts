/**
 * Names for discovered topics: the terms most of a topic's papers hold and few others do
 * (coverage × precision), phrases before their words ("theorem proving" before "theorem", and
 * "interactive theorem proving" when nearly every paper with the phrase says so), in the surface
 * form the papers write them: "DPO" and "Coq" keep their capitals, "Theorem" in a Title Case title
 * does not.
 */
import { DISCOVERED_PREFIX, type PinnedTopic } from './discovery';
import { phrasesOf, type PaperText } from './terms';

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
const ABSTRACT_PRESENCE = 0.3;

interface Candidate {
  term: string;
  parts: string[];
  inGroup: number;
  score: number;
}

export function labelTopics(texts: readonly PaperText[], groups: readonly (readonly number[])[], pinned: readonly PinnedTopic[]): LabelledTopic[] {
  const termSets = texts.map(termsOf);
  const totals = new Map<string, number>();
  for (const terms of termSets) for (const [term, weight] of terms) totals.set(term, (totals.get(term) ?? 0) + weight);
  const used = new Map<string, number>();
  const labelled = groups.map((members, group) => {
    const candidates = rank(members, termSets, totals, texts.length);
    const terms = distinctive(candidates, members, texts);
    if (group < pinned.length) return { id: pinned[group].id, label: pinned[group].label, terms };
    return { id: '', label: labelOf(terms, candidates), terms };
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

/** A paper's terms, 1 where its title or keywords hold them, 0.3 where only its abstract does. */
function termsOf(text: PaperText): Map<string, number> {
  const terms = new Map<string, number>();
  text.fields.forEach((words, field) => {
    const weight = field === 1 ? ABSTRACT_PRESENCE : 1;
    const add = (term: string) => terms.set(term, Math.max(terms.get(term) ?? 0, weight));
    for (const word of words) add(word.term);
    for (const phrase of phrasesOf(words)) add(phrase.term);
  });
  return terms;
}

/**
 * Each term's share in the topic's entropy against the library's, p(t|topic) · log(p(t|topic) / p(t)):
 * high for terms most of the topic's papers hold and few others do. A paper holds a term fully in
 * its title or keywords, a third in its abstract alone: titles say what a paper is about.
 */
function rank(members: readonly number[], termSets: readonly Map<string, number>[], totals: Map<string, number>, papers: number): Candidate[] {
  const inGroup = new Map<string, number>();
  const present = new Map<string, number>();
  for (const paper of members) {
    for (const [term, weight] of termSets[paper]) {
      inGroup.set(term, (inGroup.get(term) ?? 0) + weight);
      present.set(term, (present.get(term) ?? 0) + 1);
    }
  }
  const size = members.length;
  const least = Math.min(2, size);
  const candidates: Candidate[] = [];
  for (const [term, weight] of inGroup) {
    const count = present.get(term) ?? 0;
    if (count < least) continue;
    const parts = term.split(' ');
    const weak = parts.length === 1 && WEAK.has(term) ? 0.5 : 1;
    const share = weight / size;
    const prior = (totals.get(term) ?? weight) / papers;
    const score = share * Math.log(share / prior) * weak;
    if (score > 0) candidates.push({ term, parts, inGroup: count, score });
  }
  return candidates.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1));
}

/**
 * The topic's best terms, phrases before the words they are made of: a word is dropped when a
 * phrase with it scores nearly as well, and a phrase grows a third word most of its papers write.
 */
function distinctive(candidates: readonly Candidate[], members: readonly number[], texts: readonly PaperText[]): LabelledTerm[] {
  const chosen: string[][] = [];
  for (const candidate of candidates) {
    if (chosen.length >= TOPIC_TERMS) break;
    if (chosen.some((parts) => overlaps(parts, candidate.parts))) continue;
    let best = candidate;
    if (candidate.parts.length === 1) {
      const phrase = candidates.find((other) => other.parts.length === 2 && other.parts.includes(candidate.term) && other.score >= PHRASE_SHARE * candidate.score);
      if (phrase && !chosen.some((parts) => overlaps(parts, phrase.parts))) best = phrase;
    }
    const parts = (best.parts.length === 2 ? extend(best, members, texts) : undefined) ?? best.parts;
    if (!chosen.some((other) => overlaps(other, parts))) chosen.push(parts);
  }
  return chosen.map((parts) => ({ parts, surface: surfaceOf(parts, members, texts) ?? parts.join(' ') }));
}

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((part) => b.includes(part));

/** A third word before or after a phrase, when most of the papers that write the phrase write it. */
function extend(phrase: Candidate, members: readonly number[], texts: readonly PaperText[]): string[] | undefined {
  const around = new Map<string, number>();
  for (const paper of members) {
    const seen = new Set<string>();
    for (const words of texts[paper].fields) {
      for (let at = 0; at + 1 < words.length; at++) {
        if (words[at].term !== phrase.parts[0] || words[at + 1].term !== phrase.parts[1] || !words[at + 1].joined) continue;
        if (at > 0 && words[at].joined) seen.add(`${words[at - 1].term} ${phrase.term}`);
        if (at + 2 < words.length && words[at + 2].joined) seen.add(`${phrase.term} ${words[at + 2].term}`);
      }
    }
    for (const term of seen) around.set(term, (around.get(term) ?? 0) + 1);
  }
  let best: [string, number] | undefined;
  for (const entry of around) if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return best && best[1] >= Math.max(2, EXTENSION_SHARE * phrase.inGroup) ? best[0].split(' ') : undefined;
}

/**
 * How the papers write a term: the commonest form where capitals mean something (sentence-case text,
 * not its first word), else the commonest form at all.
 */
function surfaceOf(parts: readonly string[], members: readonly number[], texts: readonly PaperText[]): string | undefined {
  const meaningful = new Map<string, number>();
  const any = new Map<string, number>();
  for (const paper of members) {
    texts[paper].fields.forEach((words, field) => {
      for (let at = 0; at + parts.length <= words.length; at++) {
        let matches = true;
        for (let part = 0; part < parts.length && matches; part++) {
          matches = words[at + part].term === parts[part] && (part === 0 || words[at + part].joined);
        }
        if (!matches) continue;
        let surface = words[at].surface;
        for (let part = 1; part < parts.length; part++) surface += words[at + part].glue + words[at + part].surface;
        any.set(surface, (any.get(surface) ?? 0) + 1);
        if (!texts[paper].titleCase[field] && at > 0) meaningful.set(surface, (meaningful.get(surface) ?? 0) + 1);
      }
    });
  }
  return commonest(meaningful.size > 0 ? meaningful : any);
}

function commonest(counts: Map<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return best?.[0];
}

/** One or two terms: the best, and the next that shares no word with it when it is distinctive enough. */
function labelOf(terms: readonly LabelledTerm[], candidates: readonly Candidate[]): string {
  if (terms.length === 0) return 'Miscellaneous';
  const scoreOf = (term: LabelledTerm) => candidates.find((candidate) => term.parts.join(' ').includes(candidate.term))?.score ?? 0;
  const parts = [terms[0]];
  if (terms.length > 1 && scoreOf(terms[1]) >= SECOND_SHARE * scoreOf(terms[0])) parts.push(terms[1]);
  const label = parts.map((term) => term.surface).join(SEPARATOR);
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
