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
    const stripped = raw.replace(/['’]s$/u, '');
    const term = singular(fold(stripped).replace(/['’]/g, ''));
    if (term.length < 2 || term.length > MAX_WORD || STOP_WORDS.has(term) || DIGITS.test(term)) {
      previousKept = false;
      continue;
    }
    const glue = between === '-' ? '-' : /^\s+$/.test(between) ? ' ' : '';
    words.push({ term, surface: stripped, joined: previousKept && glue !== '', glue });
    previousKept = true;
  }
  return words;
}

/** Adjacent words that make a phrase: "theorem proving" from "Theorem Proving". */
export function phrasesOf(words: readonly Word[]): { term: string; surface: string; parts: [number, number] }[] {
  const phrases: { term: string; surface: string; parts: [number, number] }[] = [];
  for (let index = 1; index < words.length; index++) {
    const word = words[index];
    if (!word.joined) continue;
    const before = words[index - 1];
    phrases.push({ term: `${before.term} ${word.term}`, surface: `${before.surface}${word.glue}${word.surface}`, parts: [index - 1, index] });
  }
  return phrases;
}

/** A paper's words per field, kept for labels and evidence. */
export interface PaperText {
  key: string;
  /** Each field's words in order (title, abstract, each keyword): phrases do not cross fields. */
  fields: Word[][];
  /** Whether each field is in title case, where capitals say nothing about a word. */
  titleCase: boolean[];
}


export function paperText(paper: DiscoveryInput): PaperText {
  const sources = [paper.title, paper.abstract ?? '', ...(paper.keywords ?? [])];
  return { key: paper.key, fields: sources.map((text) => wordsOf(text)), titleCase: sources.map(isTitleCase) };
}

/** The text terms of a paper (words and phrases) with their weighted counts. */
export function textTermCounts(text: PaperText): Map<string, number> {
  const counts = new Map<string, number>();
  text.fields.forEach((words, field) => {
    const weight = field === 0 ? TITLE_WEIGHT : field === 1 ? 1 : KEYWORD_WEIGHT;
    for (const word of words) counts.set(word.term, (counts.get(word.term) ?? 0) + weight);
    for (const phrase of phrasesOf(words)) counts.set(phrase.term, (counts.get(phrase.term) ?? 0) + weight);
  });
  return counts;
}


function isTitleCase(text: string): boolean {
  const long = text.match(/\p{L}{4,}/gu) ?? [];
  if (long.length < 3) return true;
  const capitalised = long.filter((word) => /^\p{Lu}/u.test(word)).length;
  return capitalised / long.length >= 0.6;
}

