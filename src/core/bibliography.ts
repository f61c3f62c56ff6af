/** "Insert Bibliography": which papers a Markdown document cites, and the edits that list them. */
import { citedKeys, findReferencesBlock, lines, maskFencedCode, REFERENCES_END, REFERENCES_START, scanCitations } from './citationScanner';
import { frontMatterBlock } from './frontMatter';
import type { Paper } from './model';

export { REFERENCES_END, REFERENCES_START };

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const REFERENCES_TITLE = /^(?:references|bibliography)$/i;

/** The citation keys of the document in order of first appearance, outside code and comments. */
export function findCitedKeys(markdown: string): string[] {
  return citedKeys(scanCitations(markdown));
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
 * `entries` are inert Markdown (CslFormatter's `markdown` output), one line each.
 */
export function upsertReferencesSection(markdown: string, entries: string[], options: { heading?: string } = {}): TextEdit {
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  const list = entries.map((entry) => entry.replace(/\s*[\r\n]+\s*/g, ' ')).join(eol + eol);
  const block = `${REFERENCES_START}${eol}${list ? list + eol : ''}${REFERENCES_END}`;
  const masked = maskFencedCode(markdown);

  const markers = findReferencesBlock(masked);
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

/**
 * A note whose References list Lit Notes wrote (between the markers) keeps it true: the edit that
 * makes the list name what the note cites once `edits` are applied, as an edit of the same text as
 * theirs, so that all go in as one. Undefined when there is no such list, when it is up to date, or
 * when one of the edits reaches into it. `references` formats the cited papers (inert Markdown).
 */
export function referencesUpdateEdit(
  markdown: string,
  edits: readonly TextEdit[],
  lookup: (key: string) => Paper | undefined,
  references: (papers: Paper[]) => string[],
): TextEdit | undefined {
  const block = findReferencesBlock(maskFencedCode(markdown));
  if (!block || edits.some((edit) => edit.startOffset < block.end && block.start < edit.endOffset)) return undefined;
  const edited = [...edits].sort((a, b) => b.startOffset - a.startOffset).reduce((text, edit) => text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset), markdown);
  const update = upsertReferencesSection(markdown, references(resolveCitedPapers(edited, lookup).papers));
  return markdown.slice(update.startOffset, update.endOffset) === update.newText ? undefined : update;
}

/** What Insert Bibliography adds to the YAML front matter, so that pandoc writes no second list. */
export const PANDOC_SUPPRESS_BIBLIOGRAPHY = 'suppress-bibliography: true';

/**
 * The note has its reference list written out, so `pandoc --citeproc` must not append its own: the
 * edit that sets `suppress-bibliography` in the YAML front matter (made when there is none), or
 * undefined when the front matter already says either way (the user's choice stands).
 */
export function pandocSuppressBibliographyEdit(markdown: string): TextEdit | undefined {
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  const bom = markdown.startsWith('\uFEFF') ? 1 : 0;
  const front = frontMatterBlock(markdown, bom);
  if (!front) return { startOffset: bom, endOffset: bom, newText: `---${eol}${PANDOC_SUPPRESS_BIBLIOGRAPHY}${eol}---${eol}${eol}` };
  if (/^suppress-bibliography[ \t]*:/m.test(markdown.slice(front.bodyStart, front.closingStart))) return undefined;
  return { startOffset: front.closingStart, endOffset: front.closingStart, newText: `${PANDOC_SUPPRESS_BIBLIOGRAPHY}${eol}` };
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
