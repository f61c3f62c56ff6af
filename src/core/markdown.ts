/**
 * Paper data written as Markdown: into the user's notes (literature notes, inserted citations) and
 * into VS Code's hovers, tooltips and completion details. A title, a name or an abstract is text,
 * so it goes through `escapeMarkdown`: `[Click me](command:x)`, `<b>`, `*x*`, `__init__` or `# 1`
 * show as exactly those characters, and no link, emphasis, code, HTML, heading, list, table cell,
 * Pandoc citation, math or theme icon can start inside it. Long text is cut for display by
 * `shorten`; where a field is data (a note's front matter, the abstract the user asked for), it is whole.
 */
import { safeExternalUrl } from './urls';

/**
 * The longest text, in characters, that one field shows in a tooltip, hover, completion item, tree
 * row, note heading or citation link. The longest real titles have about 250 characters; a longer
 * field would push the rest out of a hover (VS Code renders at most 100,000 characters of one).
 */
export const DISPLAY_LIMIT = 300;

/** Opens or closes inline markup wherever it stands (CommonMark, GFM, Pandoc, VS Code's theme icons). */
const INLINE_MARKUP = /[\\`*_[\]<>|~^$@#]/g;
/** An `&` that would spell an HTML entity (`&lt;`, `&#60;`); a plain "Q&A" stays as typed. */
const ENTITY = /&(?=#\d+;|#x[\da-f]+;|[a-z][a-z\d]*;)/gi;
/** Addresses that GFM and VS Code link without brackets: the `:` of `https://`, the `.` of `www.`. */
const BARE_ADDRESS = /\b(?:(https?|ftp)(:)(?=\/\/)|(www)(\.))/gi;
/** At the start of a line: list items (`-`, `+`, `1.`, `a)`, `(i)`), setext underlines, definitions, title blocks. */
const LINE_START = /^(?:[-+=:%]|\(?(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)](?=\s|$))/;

/**
 * Text as inert Markdown: it renders as exactly its characters, whatever surrounds it. Every line is
 * trimmed (indentation would make a code block, trailing spaces a line break), whitespace runs and
 * control characters become one space, runs of blank lines one blank line.
 *
 * `links` are web addresses Lit Notes itself put into the text (a formatted reference's URL): those
 * stay addresses a viewer can link, through `markdownUrl`. Any other address in the text is text.
 */
export function escapeMarkdown(text: string, links: readonly (string | undefined)[] = []): string {
  const own = [...new Set(links.filter((link): link is string => Boolean(link && markdownUrl(link))))].sort((a, b) => b.length - a.length);
  // An own address counts only where it ends: followed by a space, closing punctuation or nothing.
  const split = own.length ? new RegExp(`(${own.map(literal).join('|')})(?![^\\s.,;:!?)\\]'"”’])`) : undefined;
  return text
    .split(/\r\n?|\n/)
    .map((line) => {
      const clean = line.replace(/[\s\p{Cc}]+/gu, ' ').trim();
      // With a capturing split, the odd pieces are the own addresses.
      const pieces = split ? clean.split(split) : [clean];
      const escaped = pieces.map((piece, index) => (index % 2 === 1 ? (markdownUrl(piece) as string) : escapeInline(piece))).join('');
      return escapeLineStart(escaped);
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeInline(text: string): string {
  return text
    .replace(INLINE_MARKUP, '\\$&')
    .replace(ENTITY, '\\&')
    .replace(BARE_ADDRESS, (_match, scheme: string | undefined, colon: string | undefined, www: string | undefined, dot: string | undefined) =>
      scheme ? `${scheme}\\${colon}` : `${www}\\${dot}`,
    );
}

/** The marker's own punctuation is escaped: "\-", "1\.", "\(a)". */
function escapeLineStart(line: string): string {
  return line.replace(LINE_START, (marker) => (marker.startsWith('(') ? `\\${marker}` : `${marker.slice(0, -1)}\\${marker.slice(-1)}`));
}

/** Whitespace runs, line breaks included, as one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * `text` on one line and at most `limit` characters long: cut at the last word boundary that
 * leaves room for "…" (in the middle of a word only when the first half holds no space).
 */
export function shorten(text: string, limit: number = DISPLAY_LIMIT): string {
  const line = oneLine(text);
  if (line.length <= limit) return line;
  const space = line.lastIndexOf(' ', limit - 1);
  let end = space > limit / 2 ? space : limit - 1;
  // Never split a surrogate pair.
  if (end === limit - 1 && /[\ud800-\udbff]/.test(line.charAt(end - 1))) end -= 1;
  return `${line.slice(0, end).replace(/[\s,;:]+$/, '')}…`;
}

/**
 * A paper's web address for a Markdown link destination or for running text: undefined unless it is
 * http(s). Characters Markdown reads as markup are percent-encoded, so the address can neither end
 * the link early nor start emphasis; servers read `%28` as `(`.
 */
export function markdownUrl(candidate: string | undefined): string | undefined {
  return safeExternalUrl(candidate)?.replace(/[()[\]<>*_~`|$@\\^{}]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A Markdown link whose text is the escaped, shortened `text`; the text alone when the address is not http(s). */
export function markdownLink(text: string, url: string | undefined): string {
  const label = escapeMarkdown(shorten(text));
  const destination = markdownUrl(url);
  return destination ? `[${label}](${destination})` : label;
}
