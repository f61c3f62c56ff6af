/** BibTeX entries for papers, readable by BibTeX and biblatex/biber (non-ASCII stays UTF-8). */
import { paperUrl, venueKind, type VenueKind } from './csl';
import type { Author, Paper } from './model';

const ENTRY: Record<VenueKind, { type: string; venueField?: string }> = {
  preprint: { type: 'misc' },
  conference: { type: 'inproceedings', venueField: 'booktitle' },
  journal: { type: 'article', venueField: 'journal' },
};

export function toBibtex(paper: Paper): string {
  const entry = ENTRY[venueKind(paper)];
  const fields: [string, string | undefined][] = [
    ['title', protectCapitals(paper.title)],
    ['author', paper.authors.length > 0 ? paper.authors.map(bibtexName).join(' and ') : undefined],
    [entry.venueField ?? '', entry.venueField && paper.venue ? protectCapitals(paper.venue) : undefined],
    ['year', (paper.year ?? paper.listingDate?.year)?.toString()],
    ['eprint', paper.arxivId && latexEscape(paper.arxivId)],
    ['archivePrefix', paper.arxivId && 'arXiv'],
    // url and doi are verbatim fields: escaping would show up in the output. A URL that passed
    // safeExternalUrl is percent-encoded, so it holds no brace or backslash; the DOI is checked.
    ['doi', paper.doi && /^10\.\d{4,9}\/[^\s{}\\%]+$/.test(paper.doi) ? paper.doi : undefined],
    ['url', paperUrl(paper)],
  ];
  const body = fields
    .filter((field): field is [string, string] => Boolean(field[1]))
    .map(([name, value]) => `  ${name} = {${value}}`)
    .join(',\n');
  return `@${entry.type}{${citationKey(paper.key)},\n${body}\n}`;
}

export function toBibtexAll(papers: Paper[]): string {
  return papers.map((paper) => `${toBibtex(paper)}\n`).join('\n');
}

/** BibTeX ends a key at a comma, brace, quote or space, and biber rejects a few more; they are dropped. */
function citationKey(key: string): string {
  return key.replace(/[\s"#%'(),={}\\~@]/g, '');
}

function bibtexName(author: Author): string {
  // An institution, or a name part with a comma or " and ", must not be split up by BibTeX.
  const part = (text: string) => (/,|\band\b/i.test(text) ? `{${latexEscape(text)}}` : latexEscape(text));
  return author.given ? `${part(author.family)}, ${part(author.given)}` : `{${latexEscape(author.family)}}`;
}

/**
 * Braces each word whose capitals carry meaning ("{DPO}", "{T-REG}", "{ArCHer}", "{LLMs}", "{R1}",
 * "{Nemotron-H}"), so that styles which sentence-case titles keep acronyms and names, while ordinary
 * words still follow the style. Bracing the whole title would freeze its case in every style, which
 * is wrong for the many that want sentence case. Hyphen parts count on their own, so a Title-Case
 * compound like "Token-Level" is left alone.
 */
function protectCapitals(text: string): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => (isCaseSensitive(word) ? `{${latexEscape(word)}}` : latexEscape(word)))
    .join(' ');
}

/** A capital inside a part ("REG"), before a digit ("R1"), or alone in a compound ("Q-Function"). */
function isCaseSensitive(word: string): boolean {
  const parts = word.split(/[-/]/);
  return parts.some(
    (part) => /\p{Lu}/u.test(part.slice(1)) || /^\p{Lu}\d/u.test(part) || (parts.length > 1 && /^\p{Lu}\P{L}*$/u.test(part)),
  );
}

const LATEX_SPECIALS: Record<string, string> = {
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  // BibTeX counts "\{" as a brace like any other, so escaped braces must stay balanced as text commands.
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '\\': '\\textbackslash{}',
};

/** Escapes LaTeX specials and flattens whitespace; every brace in the result comes in a balanced pair. */
export function latexEscape(text: string): string {
  return text
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim()
    .replace(/[&%$#_{}~^\\]/g, (ch) => LATEX_SPECIALS[ch]);
}
