import type { Author } from './model';

/**
 * Citation keys in the style of Better BibTeX for Zotero: first author's family name, year and
 * first significant title word, lower-case ASCII (`zhou2024treg`). Clashes get a, b, c ... suffixes.
 */

/** Words never used as the title word: articles, prepositions and conjunctions (after Better BibTeX's skip list). */
const STOP_WORDS = new Set([
  'a', 'about', 'above', 'across', 'after', 'against', 'along', 'among', 'an', 'and', 'are', 'as', 'at',
  'before', 'behind', 'below', 'beneath', 'beside', 'between', 'beyond', 'but', 'by', 'down', 'during',
  'for', 'from', 'in', 'inside', 'into', 'is', 'like', 'near', 'nor', 'of', 'off', 'on', 'onto', 'or',
  'over', 'per', 'since', 'so', 'than', 'the', 'through', 'to', 'toward', 'towards', 'under', 'until',
  'up', 'upon', 'versus', 'via', 'vs', 'while', 'with', 'within', 'without', 'yet',
]);

/** Lower-case particles ("van der Schaar", "de la Cruz") are left out of the key, as in "schaar2025". */
const NAME_PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'ter', 'ten', 'zu', 'bin', 'al', 'el']);
const GENERATIONAL_SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;

/** Letters that Unicode decomposition does not reduce to ASCII. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h',
};

export const ANONYMOUS_KEY_NAME = 'anon';

export interface CitationKeyInput {
  authors: readonly Author[];
  year?: number;
  title: string;
}

export function makeCitationKey({ authors, year, title }: CitationKeyInput): string {
  const name = authors.length > 0 ? familyNameForKey(authors[0].family) : '';
  return `${name || ANONYMOUS_KEY_NAME}${year ?? ''}${firstSignificantWord(title)}`;
}

/**
 * Makes keys unique in order: the first of equal keys stays as it is, the next ones get
 * a, b, ... z, aa, ab ... (`zhou2024treg`, `zhou2024trega`). `taken` holds keys already in use elsewhere.
 */
export function uniqueKeys(keys: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  return keys.map((key) => {
    const unique = disambiguateKey(key, used);
    used.add(unique);
    return unique;
  });
}

/** The key itself when free, else the first free suffixed form. */
export function disambiguateKey(key: string, used: ReadonlySet<string>): string {
  if (!used.has(key)) return key;
  for (let index = 0; ; index++) {
    const candidate = key + suffix(index);
    if (!used.has(candidate)) return candidate;
  }
}

/** 0 → a, 25 → z, 26 → aa: bijective base 26. */
function suffix(index: number): string {
  let rest = index + 1;
  let letters = '';
  while (rest > 0) {
    rest -= 1;
    letters = String.fromCharCode(97 + (rest % 26)) + letters;
    rest = Math.floor(rest / 26);
  }
  return letters;
}

/** ASCII lower-case with accents folded and everything but letters and digits dropped: "Müller" → "muller". */
export function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{ASCII}]/gu, (ch) => SPECIAL_LETTERS[ch] ?? '')
    .replace(/[^a-z0-9]/g, '');
}

function familyNameForKey(family: string): string {
  const words = family.split(/\s+/).filter(Boolean);
  const kept = words.filter((word, index) => {
    const isLast = index === words.length - 1;
    if (GENERATIONAL_SUFFIX.test(word) && index > 0) return false;
    return isLast || !NAME_PARTICLES.has(word);
  });
  return asciiFold(kept.join(''));
}

function firstSignificantWord(title: string): string {
  for (const word of title.split(/\s+/)) {
    const folded = asciiFold(word);
    // Numbers alone ("80/20", "100") say nothing about the paper.
    if (folded && !/^\d+$/.test(folded) && !STOP_WORDS.has(folded)) return folded;
  }
  return '';
}
