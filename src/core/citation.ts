/** The citation text inserted into a Markdown document for one or more papers. */
import { paperUrl, type CslFormatter } from './csl';
import type { CitationFormat, Paper } from './model';
import { safeExternalUrl } from './urls';

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

export function formatInlineCitation(papers: Paper[], format: CitationFormat, csl?: CslCitationStyle): string {
  switch (format) {
    case 'pandoc':
      return `[${papers.map((p) => `@${pandocKey(p.key)}`).join('; ')}]`;
    case 'markdownLink':
      return papers.map(markdownLink).join('; ');
    case 'csl': {
      const { formatter, styleId } = requireCsl(csl);
      return formatter.formatBibliography(papers, styleId, 'text').map(inertHtml).join('\n');
    }
    case 'cslInText': {
      const { formatter, styleId } = requireCsl(csl);
      return inertHtml(formatter.formatCitation(papers, styleId, 'text'));
    }
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

function markdownLink(paper: Paper): string {
  const text = escapeLinkText(paper.title);
  const url = paperUrl(paper) ?? safeExternalUrl(paper.links.code);
  // Parentheses would end the destination early; the URL is otherwise already percent-encoded.
  return url ? `[${text}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : text;
}

/** One line of inert Markdown text: no link, emphasis, code or HTML can start inside it. */
function escapeLinkText(title: string): string {
  return title
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\[\]()`*_<>!&~|]/g, '\\$&');
}

/**
 * Plain text made safe to place in Markdown: a `<` that could open a tag or comment and a `&` that
 * would spell an entity are backslash-escaped. Everything else stays as typed, to keep sources readable.
 */
export function inertHtml(text: string): string {
  return text.replace(/<(?=[A-Za-z/!?])|&(?=#\d+;|#x[\da-f]+;|[a-z][a-z\d]*;)/gi, '\\$&');
}
