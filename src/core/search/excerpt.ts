import { fold, isAscii, isWordChar, tokensOf } from './text';

export interface Excerpt {
  text: string;
  /** `[start, endExclusive]` offsets into `text` of the words that matched the query. */
  highlights: [start: number, endExclusive: number][];
}

export interface ExcerptWord {
  /** The folded query word, then the vocabulary words it matched with a typo. */
  forms: readonly string[];
  /** Whether the query word also matches the words it begins. */
  prefix: boolean;
}

const EXCERPT_LENGTH = 150;
const CONTEXT_BEFORE = 40;
const ELLIPSIS = '…';
const SPACE = /\s/;

function matches(word: ExcerptWord, folded: string): boolean {
  return word.forms.includes(folded) || (word.prefix && folded.startsWith(word.forms[0]));
}

/**
 * A short stretch of `abstract` around the first place where the most telling query word matched.
 * `words` come most telling first (longer words say more about what was meant than "in" or "rl").
 */
export function makeExcerpt(abstract: string, words: readonly ExcerptWord[]): Excerpt | undefined {
  const anchor = isAscii(abstract) ? findAscii(abstract, words) : findByTokens(abstract, words);
  if (anchor < 0) return undefined;

  // Cut at whitespace so that no word is split.
  let start = Math.max(0, anchor - CONTEXT_BEFORE);
  while (start > 0 && start < anchor && !SPACE.test(abstract[start - 1])) start++;
  let end = Math.min(abstract.length, start + EXCERPT_LENGTH);
  while (end < abstract.length && end > anchor && !SPACE.test(abstract[end])) end--;
  if (end <= anchor) end = Math.min(abstract.length, start + EXCERPT_LENGTH);
  const text =
    (start > 0 ? ELLIPSIS : '') + abstract.slice(start, end).replace(/\s+/g, ' ').trim() + (end < abstract.length ? ELLIPSIS : '');

  const highlights = tokensOf(text)
    .filter((token) => words.some((word) => matches(word, fold(token.text))))
    .map((token): [number, number] => [token.start, token.end]);
  return { text, highlights };
}

/** Native `indexOf` on the lower-cased text, which for ASCII is the folded text with the same offsets. */
function findAscii(abstract: string, words: readonly ExcerptWord[]): number {
  const lower = abstract.toLowerCase();
  for (const word of words) {
    let first = -1;
    word.forms.forEach((form, index) => {
      const at = firstWord(lower, form, index === 0 && word.prefix);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    if (first >= 0) return first;
  }
  return -1;
}

function firstWord(text: string, form: string, prefix: boolean): number {
  for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
    const end = at + form.length;
    if ((at === 0 || !isWordChar(text.charCodeAt(at - 1))) && (prefix || end === text.length || !isWordChar(text.charCodeAt(end)))) {
      return at;
    }
  }
  return -1;
}

function findByTokens(abstract: string, words: readonly ExcerptWord[]): number {
  const tokens = tokensOf(abstract).map((token) => ({ folded: fold(token.text), start: token.start }));
  for (const word of words) {
    const found = tokens.find((token) => matches(word, token.folded));
    if (found) return found.start;
  }
  return -1;
}
