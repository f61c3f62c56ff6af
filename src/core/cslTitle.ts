/**
 * Titles as CSL processors expect them: in sentence case, with the words whose case must survive any
 * style wrapped in `<span class="nocase">`. Styles such as APA print the title as given, and the
 * ones that want title case (Chicago, MLA) convert from sentence case, which only works one way.
 * A Title Case title (BibTeX's and arXiv's convention) is turned into sentence case the way pandoc
 * reads a BibTeX title; a title already in sentence case (CSL-JSON's convention) keeps its words.
 */

// The rich text CSL-JSON allows in a field (citeproc-js and pandoc read it as formatting). A nocase
// span is kept whole; the other tags are transparent to the words around them.
const CSL_MARKUP = /<span class="nocase">[\s\S]*?<\/span>|<\/?(?:i|b|sup|sub|sc)>|<span style="[^"<>]*">|<\/span>/g;
const NOCASE_SPAN = /^<span class="nocase">/;

// Words Title Case leaves in lower case (the CSL specification's list and common prepositions): a title
// whose other words all start with a capital is in Title Case.
const MINOR_WORDS = new Set(
  (
    'a an and as at but by down for from in into nor of on onto or over so the till to up via with yet ' +
    'vs versus per than upon without within through toward towards between among about across against under beyond after before during since until'
  ).split(' '),
);

/** A word in lower case but its first letter ("Preference", "Can't"): what Title Case capitalised. */
const CAPITALISED = /^\p{Lu}[\p{Ll}'’]*\p{Ll}[\p{Ll}'’]*$/u;
const LOWER_WORD = /^[\p{Ll}'’]+$/u;
const UPPER = /\p{Lu}/u;
const WORD_LIKE = /^[\p{L}\p{N}\p{M}'’.]*$/u;
// Leading and trailing punctuation of a word: quotes, brackets, sentence punctuation.
const WORD_PARTS = /^([^\p{L}\p{N}]*)([\s\S]*?)([^\p{L}\p{N}]*)$/u;
// Hyphens and slashes join words that are cased one by one ("Token-Level" → "token-level").
const JOINERS = /([-‐–/])/;
const ENDS_SENTENCE = /[:?!.]$/;

type Segment = { markup: string } | { text: string };

/** The title for a CSL processor; `title` is the display title, plain text or CSL rich text. */
export function cslTitle(title: string): string {
  // Line breaks are spaces: citeproc-js drops what follows one when it changes a title's case.
  const segments = splitMarkup(title.replace(/\s+/g, ' ').trim());
  const words = segments.flatMap((segment) => ('text' in segment ? segment.text.split(/\s+/).filter(Boolean) : []));
  const titleCase = isTitleCase(words);
  let sentenceStart = true;
  let afterColon = false;
  let out = '';
  for (const segment of segments) {
    if ('markup' in segment) {
      out += segment.markup;
      if (NOCASE_SPAN.test(segment.markup)) sentenceStart = afterColon = false;
      continue;
    }
    for (const token of segment.text.split(/(\s+)/)) {
      if (!token || /^\s+$/.test(token)) {
        out += token;
        continue;
      }
      out += caseWord(token, { titleCase, sentenceStart, afterColon });
      const ending = ENDS_SENTENCE.exec(token)?.[0];
      sentenceStart = ending !== undefined;
      afterColon = ending === ':';
    }
  }
  return out;
}

function splitMarkup(title: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const m of title.matchAll(CSL_MARKUP)) {
    if (m.index > at) segments.push({ text: title.slice(at, m.index) });
    segments.push({ markup: m[0] });
    at = m.index + m[0].length;
  }
  if (at < title.length) segments.push({ text: title.slice(at) });
  return segments;
}

/** Title Case: some word after the first is capitalised, and no word but the minor ones is in lower case. */
function isTitleCase(words: string[]): boolean {
  let capitalised = 0;
  for (const [index, word] of words.entries()) {
    for (const part of WORD_PARTS.exec(word)![2].split(JOINERS)) {
      const letters = part.replace(/['’]/g, '');
      if (LOWER_WORD.test(part) && letters.length >= 3 && !MINOR_WORDS.has(letters)) return false;
      if (index > 0 && CAPITALISED.test(part)) capitalised++;
    }
  }
  return capitalised > 0;
}

function caseWord(word: string, at: { titleCase: boolean; sentenceStart: boolean; afterColon: boolean }): string {
  const [, lead, body, trail] = WORD_PARTS.exec(word)!;
  const pieces = body.split(JOINERS).map((part, index) => {
    if (index % 2 === 1) return { text: part, protect: undefined as boolean | undefined };
    const first = index === 0 && at.sentenceStart;
    // Not a word ("X](command:y"): left as it is.
    if (!WORD_LIKE.test(part)) return { text: part, protect: false };
    let text = part;
    if (at.titleCase && !first && (CAPITALISED.test(part) || part === 'A')) text = part.toLowerCase();
    // APA and pandoc capitalise the first word of a subtitle.
    if (at.titleCase && first && at.afterColon) text = text.charAt(0).toUpperCase() + text.slice(1);
    // A capital that sentence case keeps where it is: an acronym, a name inside a sentence, "iPhone".
    const protect = UPPER.test(text) && !(first && (CAPITALISED.test(text) || body.length === 1));
    return { text, protect };
  });
  // A joiner between two protected parts is protected with them ("T-REG" stays one span).
  for (let i = 1; i < pieces.length; i += 2) pieces[i].protect = pieces[i - 1].protect === true && pieces[i + 1]?.protect === true;
  let out = lead;
  for (let i = 0; i < pieces.length; ) {
    let j = i;
    let run = '';
    while (j < pieces.length && (pieces[j].protect ?? false) === (pieces[i].protect ?? false)) run += pieces[j++].text;
    out += pieces[i].protect ? `<span class="nocase">${run}</span>` : run;
    i = j;
  }
  return out + trail;
}
