/** The citation text inserted into a Markdown document for one or more papers. */
import type { CslFormatter } from './csl';
import { escapeMarkdown, markdownLink } from './markdown';
import type { CitationFormat, Paper } from './model';
import { paperUrl, recordOf } from './sources/record';

/**
 * A Pandoc citation key written bare (`@key`): it starts with a letter, digit or `_`; punctuation is
 * allowed inside only, so trailing punctuation ends the key. Any other key must be braced (`@{key}`).
 */
export const PANDOC_BARE_KEY = /[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*/u;
const BARE_KEY_ONLY = new RegExp(`^(?:${PANDOC_BARE_KEY.source})$`, 'u');

export interface CslCitationStyle {
  formatter: Pick<CslFormatter, 'formatBibliography' | 'formatCitation'>;
  styleId: string;
}

/** The formats Insert Citation writes as they are; `cslInText` depends on the note (documentCitations.ts). */
export type InlineCitationFormat = Exclude<CitationFormat, 'cslInText'>;

/** The Markdown Insert Citation writes for the papers: nothing in a paper's text becomes markup. */
export function formatInlineCitation(papers: Paper[], format: InlineCitationFormat, csl?: CslCitationStyle): string {
  switch (format) {
    case 'pandoc':
      return `[${papers.map((p) => `@${pandocKey(p.key)}`).join('; ')}]`;
    case 'markdownLink':
      // The paper's own page, else its code: the link text is the title, escaped and shortened.
      return papers.map((paper) => markdownLink(paper.title, paperUrl(paper) ?? paper.links.code)).join('; ');
    case 'csl': {
      const { formatter, styleId } = requireCsl(csl);
      return formatter
        .formatBibliography(papers, styleId, 'text')
        .map((entry) => escapeMarkdown(entry, referenceLinks(papers)))
        .join('\n');
    }
  }
}

/**
 * The citation for the clipboard, where it may go anywhere: in a CSL format the style's plain text
 * (the references one per line, or the in-text citation of the papers together), without Markdown
 * escapes; Pandoc keys and Markdown links as Insert Citation writes them.
 */
export function plainCitation(papers: Paper[], format: CitationFormat, csl?: CslCitationStyle): string {
  switch (format) {
    case 'csl': {
      const { formatter, styleId } = requireCsl(csl);
      return formatter.formatBibliography(papers, styleId, 'text').join('\n');
    }
    case 'cslInText': {
      const { formatter, styleId } = requireCsl(csl);
      return formatter.formatCitation(papers, styleId, 'text');
    }
    default:
      return formatInlineCitation(papers, format, csl);
  }
}

function requireCsl(csl: CslCitationStyle | undefined): CslCitationStyle {
  if (!csl) throw new Error('A CSL citation needs a formatter and a style.');
  return csl;
}

export function pandocKey(key: string): string {
  // A braced key cannot contain braces itself; keys come from the library, so just drop them.
  return BARE_KEY_ONLY.test(key) ? key : `{${key.replace(/[{}]/g, '')}}`;
}

/** The addresses a formatted reference prints for these papers (their records' URL and DOI), which stay links in the note. */
export function referenceLinks(papers: readonly Paper[]): string[] {
  return papers
    .flatMap((paper) => {
      const { URL: url, DOI: doi } = recordOf(paper);
      return [url, doi && `https://doi.org/${doi}`];
    })
    .filter((link): link is string => typeof link === 'string' && link !== '');
}

/**
 * @deprecated Escapes HTML only, not Markdown: left for the References section (bibliography.ts)
 * until it uses `escapeMarkdown` from ./markdown, which everything else writes with.
 */
export function inertHtml(text: string): string {
  return text.replace(/<(?=[A-Za-z/!?])|&(?=#\d+;|#x[\da-f]+;|[a-z][a-z\d]*;)/gi, '\\$&');
}
