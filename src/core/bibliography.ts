/** "Insert Bibliography": which papers a Markdown document cites, and the one edit that lists them. */
import { inertHtml, PANDOC_BARE_KEY } from './citation';
import type { Paper } from './model';

export const REFERENCES_START = '<!-- litnotes:references -->';
export const REFERENCES_END = '<!-- /litnotes:references -->';

// `@` must not follow a word character (e-mail addresses), a backslash (`\@`), or `/`, `.`, `:`
// (URLs such as https://medium.com/@user). Keys are bare or braced (`@{10.1000/x,y}`).
const CITATION = new RegExp(`(?<![\\p{L}\\p{N}_\\\\/.:@])@(?:\\{([^{}\\r\\n]+)\\}|(${PANDOC_BARE_KEY.source}))`, 'gu');
// pandoc-crossref labels look like citations but refer to figures, tables, equations, sections, listings.
const CROSSREF = /^(?:fig|tbl|eq|sec|lst):/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const REFERENCES_TITLE = /^(?:references|bibliography)$/i;

/** The citation keys of the document in order of first appearance, outside code and comments. */
export function findCitedKeys(markdown: string): string[] {
  const masked = maskFencedCode(markdown);
  // The generated list is output, not citations (and its URLs may hold '@').
  const markers = findMarkers(masked);
  const withoutList = markers ? masked.slice(0, markers.start) + ' ' + masked.slice(markers.end) : masked;
  const prose = withoutList
    .replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, ' ') // code spans
    .replace(/<!--[\s\S]*?-->/g, ' ');
  const keys = new Set<string>();
  for (const m of prose.matchAll(CITATION)) {
    const key = (m[1] ?? m[2]).trim();
    if (key && !CROSSREF.test(key)) keys.add(key);
  }
  return [...keys];
}

/** The library's papers the document cites, in citation order, and the cited keys the library lacks. */
export function resolveCitedPapers(
  markdown: string,
  lookup: (key: string) => Paper | undefined,
): { papers: Paper[]; missingKeys: string[] } {
  const papers: Paper[] = [];
  const missingKeys: string[] = [];
  for (const key of findCitedKeys(markdown)) {
    const paper = lookup(key);
    if (paper) papers.push(paper);
    else missingKeys.push(key);
  }
  return { papers, missingKeys };
}

/** Replace `markdown.slice(startOffset, endOffset)` with `newText` (offsets in UTF-16 code units). */
export interface TextEdit {
  startOffset: number;
  endOffset: number;
  newText: string;
}

/**
 * The single edit that puts `entries` into the document's references section, between marker
 * comments so later runs replace exactly the list. Without markers, the body of the last
 * "References"/"Bibliography" heading (up to the next heading of the same or a higher level) is
 * taken over; otherwise a new section is appended. Line endings follow the document's.
 * `entries` are plain text (CSL text output), one paragraph each.
 */
export function upsertReferencesSection(markdown: string, entries: string[], options: { heading?: string } = {}): TextEdit {
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  const list = entries.map((entry) => inertHtml(entry).replace(/\r?\n/g, eol)).join(eol + eol);
  const block = `${REFERENCES_START}${eol}${list ? list + eol : ''}${REFERENCES_END}`;
  const masked = maskFencedCode(markdown);

  const markers = findMarkers(masked);
  if (markers) {
    const startOffset = markers.start + REFERENCES_START.length;
    return { startOffset, endOffset: markers.end - REFERENCES_END.length, newText: `${eol}${list ? list + eol : ''}` };
  }

  const section = findReferencesSection(masked);
  if (section) {
    const headingEndsLine = /\r?\n$/.test(markdown.slice(0, section.bodyStart));
    const beforeNextHeading = section.bodyEnd < markdown.length ? eol : '';
    return {
      startOffset: section.bodyStart,
      endOffset: section.bodyEnd,
      newText: `${headingEndsLine ? '' : eol}${eol}${block}${eol}${beforeNextHeading}`,
    };
  }

  const trailingBreaks = /(?:\r?\n)*$/.exec(markdown)?.[0].replace(/\r/g, '').length ?? 0;
  const separator = markdown.length === 0 ? '' : eol.repeat(Math.max(0, 2 - trailingBreaks));
  const heading = `## ${options.heading ?? 'References'}`;
  return {
    startOffset: markdown.length,
    endOffset: markdown.length,
    newText: `${separator}${heading}${eol}${eol}${block}${eol}`,
  };
}

/** Offsets of the marker block (start of the start marker, end of the end marker), if complete. */
function findMarkers(text: string): { start: number; end: number } | undefined {
  const start = text.indexOf(REFERENCES_START);
  if (start < 0) return undefined;
  const end = text.indexOf(REFERENCES_END, start + REFERENCES_START.length);
  return end < 0 ? undefined : { start, end: end + REFERENCES_END.length };
}

function findReferencesSection(masked: string): { bodyStart: number; bodyEnd: number } | undefined {
  let section: { level: number; bodyStart: number; bodyEnd: number } | undefined;
  let found: typeof section;
  for (const line of lines(masked)) {
    const m = HEADING.exec(line.text);
    if (!m) continue;
    const level = m[1].length;
    if (section && level <= section.level) {
      section.bodyEnd = line.start;
      section = undefined;
    }
    if (REFERENCES_TITLE.test((m[2] ?? '').trim())) {
      section = found = { level, bodyStart: line.next, bodyEnd: masked.length };
    }
  }
  return found;
}

function* lines(text: string): Generator<{ text: string; start: number; next: number }> {
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const next = newline < 0 ? text.length : newline + 1;
    yield { text: text.slice(start, next).replace(/\r?\n$/, ''), start, next };
    start = next;
  }
}

/** The text with fenced code blocks (fence lines included) blanked out, offsets unchanged. */
function maskFencedCode(markdown: string): string {
  let masked = '';
  let fence: { char: string; length: number } | undefined;
  for (const line of lines(markdown)) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line.text);
    const raw = markdown.slice(line.start, line.next);
    if (fence) {
      if (m && m[1][0] === fence.char && m[1].length >= fence.length && !m[2].trim()) fence = undefined;
      masked += blank(raw);
    } else if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      fence = { char: m[1][0], length: m[1].length };
      masked += blank(raw);
    } else {
      masked += raw;
    }
  }
  return masked;
}

/** Spaces for everything but line breaks, so offsets and line numbers stay put. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}
