/**
 * Document-aware in-text citations: all citations of a note go through citeproc-js's document API
 * together, as Zotero's word-processor plugins do, so author-date styles disambiguate ("W. Zhou et
 * al., 2024" / "Y. Zhou et al., 2024", or 2024a/2024b) and numeric styles number by first citation.
 * Pandoc citations take part (they are numbered as pandoc would number them) but are never rewritten;
 * only formatted citations (`[text](#litnotes:key)`, see citationScanner.ts) get new text.
 */
import type { TextEdit } from './bibliography';
import { escapeFormattedText, formattedCitationMarkdown, scanCitations, type FormattedCitation } from './citationScanner';
import { withSession, type CiteprocItem, type SessionStyle } from './citationSession';
import { finish } from './csl';
import type { Paper } from './model';

/** The style the note's citations are processed in, with the engines kept per note (citationSession.ts). */
export type DocumentStyle = SessionStyle;

/** What a refresh or an insertion changes in the note. */
export interface CitationEdits {
  /** In document order and non-overlapping: applied together they are one undo step. */
  edits: TextEdit[];
  /** The note's formatted citations before the edits. */
  formatted: number;
  /** How many of them get new text. */
  updated: number;
  /** Cited keys the library lacks, in order of first appearance; their citations are left as they are. */
  missingKeys: string[];
}

/** A range of the note, e.g. a selection: `markdown.slice(start, end)`. */
export interface OffsetRange {
  start: number;
  end: number;
}

type Lookup = (key: string) => Paper | undefined;

/** One citation of the note as the processor sees it: a Pandoc group, a bare `@key`, or a formatted citation. */
interface NoteCitation {
  start: number;
  end: number;
  keys: string[];
  formatted?: FormattedCitation;
}

/** Every formatted citation of the note reformatted in the context of all its citations, processed from scratch. */
export function refreshCitations(markdown: string, style: DocumentStyle, lookup: Lookup): CitationEdits {
  const notes = noteCitations(markdown);
  const cited = prepare(notes, lookup);
  const edits: TextEdit[] = [];
  if (cited.citations.length > 0) {
    const texts = withSession(style, 'text', { papers: cited.papers, citations: cited.citations, rebuild: true }, (_session, result) => result);
    cited.notes.forEach((note, index) => addTextEdit(edits, markdown, note, texts[index]));
  }
  return summary(edits, notes, cited.missingKeys, 0);
}

/**
 * The edit that puts a formatted citation of `papers` at each range (a selection, replaced) and
 * updates the note's other formatted citations whose text the new ones change (a new
 * disambiguation, a renumbering). A cursor inside a citation inserts after it; a citation a
 * selection overlaps is replaced. The engine keeps the note's citations between calls, so this
 * costs the new citations and those they change.
 */
export function insertCitations(markdown: string, ranges: readonly OffsetRange[], papers: readonly Paper[], style: DocumentStyle, lookup: Lookup): CitationEdits {
  const all = noteCitations(markdown);
  const targets = insertionRanges(ranges, all);
  const kept = all.filter((note) => !targets.some((range) => range.start < note.end && note.start < range.end));
  const cited = prepare(kept, lookup);
  const keys = [...new Set(papers.map((paper) => paper.key))];
  const items = keys.map((id) => ({ id }));
  const registered = [...new Map([...cited.papers, ...papers].map((paper) => [paper.key, paper])).values()];

  // The note as it is, then with the new citations each in its place: what changes between the two is edited.
  const before = cited.citations.length > 0 ? withSession(style, 'text', { papers: registered, citations: cited.citations }, (_session, texts) => texts) : [];
  const order: ({ note: NoteCitation; citation: CiteprocItem[]; before: string } | { range: OffsetRange })[] = cited.notes.map((note, index) => ({ note, citation: cited.citations[index], before: before[index] }));
  for (const range of targets) {
    const at = order.findIndex((entry) => ('note' in entry ? entry.note.start : entry.range.start) >= range.start);
    order.splice(at < 0 ? order.length : at, 0, { range });
  }
  const after = withSession(style, 'text', { papers: registered, citations: order.map((entry) => ('note' in entry ? entry.citation : items)) }, (_session, texts) => texts);

  const edits: TextEdit[] = [];
  order.forEach((entry, index) => {
    const text = after[index];
    if ('range' in entry) edits.push({ startOffset: entry.range.start, endOffset: entry.range.end, newText: formattedCitationMarkdown(finish(text, 'text'), keys) });
    else if (text !== entry.before) addTextEdit(edits, markdown, entry.note, text);
  });
  edits.sort((a, b) => a.startOffset - b.startOffset);
  return summary(edits, all, cited.missingKeys, targets.length);
}

/** The note's citations in document order, one per Pandoc group, bare key or formatted citation. */
function noteCitations(markdown: string): NoteCitation[] {
  const notes: NoteCitation[] = [];
  let last: { owner: object; note: NoteCitation } | undefined;
  for (const citation of scanCitations(markdown)) {
    const owner = citation.formatted ?? citation.group;
    if (owner && last?.owner === owner) {
      last.note.keys.push(citation.key);
      continue;
    }
    const span = owner ?? citation;
    const note: NoteCitation = { start: span.start, end: span.end, keys: [citation.key], formatted: citation.formatted };
    notes.push(note);
    last = owner ? { owner, note } : undefined;
  }
  return notes;
}

/** The citations the processor can take (those with at least one key in the library), and the papers they cite. */
function prepare(notes: readonly NoteCitation[], lookup: Lookup) {
  const papers = new Map<string, Paper>();
  const missing = new Set<string>();
  const taken: NoteCitation[] = [];
  const citations: CiteprocItem[][] = [];
  for (const note of notes) {
    const ids: string[] = [];
    for (const key of note.keys) {
      const paper = lookup(key);
      if (!paper) {
        missing.add(key);
        continue;
      }
      // A key merged into another paper cites that paper, under the paper's own key.
      papers.set(paper.key, paper);
      if (!ids.includes(paper.key)) ids.push(paper.key);
    }
    if (ids.length === 0) continue;
    taken.push(note);
    citations.push(ids.map((id) => ({ id })));
  }
  return { notes: taken, citations, papers: [...papers.values()], missingKeys: [...missing] };
}

/**
 * Where new citations go: an empty selection strictly inside a citation moves to its end (a link
 * inside a link, or inside a Pandoc group, would break both); ranges that end up equal count once.
 */
function insertionRanges(ranges: readonly OffsetRange[], notes: readonly NoteCitation[]): OffsetRange[] {
  const result: OffsetRange[] = [];
  for (const range of ranges) {
    let { start, end } = range;
    if (start === end) {
      const inside = notes.find((note) => note.start < start && start < note.end);
      if (inside) start = end = inside.end;
    }
    if (!result.some((other) => other.start === start && other.end === end)) result.push({ start, end });
  }
  return result.sort((a, b) => a.start - b.start);
}

/** Rewrites a formatted citation's text when the processor gives it a new one. */
function addTextEdit(edits: TextEdit[], markdown: string, note: NoteCitation, text: string | undefined): void {
  const { formatted } = note;
  if (!formatted || text === undefined) return;
  const newText = escapeFormattedText(finish(text, 'text'));
  if (markdown.slice(formatted.textStart, formatted.textEnd) === newText) return;
  edits.push({ startOffset: formatted.textStart, endOffset: formatted.textEnd, newText });
}

function summary(edits: TextEdit[], notes: readonly NoteCitation[], missingKeys: string[], inserted: number): CitationEdits {
  return { edits, formatted: notes.filter((note) => note.formatted).length, updated: edits.length - inserted, missingKeys };
}
