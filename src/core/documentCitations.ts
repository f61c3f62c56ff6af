/**
 * Document-aware in-text citations: all citations of a note go through citeproc-js's document API
 * together, as Zotero's word-processor plugins do, so author-date styles disambiguate ("W. Zhou et
 * al., 2024" / "Y. Zhou et al., 2024", or 2024a/2024b) and numeric styles number by first citation.
 * Pandoc citations take part (they are numbered as pandoc would number them) but are never rewritten;
 * only formatted citations (`[text](#litnotes:key)`, see citationScanner.ts) get new text.
 */
import type { TextEdit } from './bibliography';
import { escapeFormattedText, formattedCitationMarkdown, scanCitations, type FormattedCitation } from './citationScanner';
import { finish, type CiteprocEngine, type CslFormatter } from './csl';
import type { Paper } from './model';

export interface DocumentStyle {
  formatter: Pick<CslFormatter, 'run'>;
  styleId: string;
}

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

/** A citation as citeproc-js takes it; in-text, so outside any footnote (noteIndex 0). */
interface CiteprocCitation {
  citationID: string;
  citationItems: { id: string }[];
  properties: { noteIndex: number };
}
type CitationRef = [citationID: string, noteIndex: number];

/** The document API of citeproc-js's Engine, beside the part csl.ts declares. */
interface DocumentEngine extends CiteprocEngine {
  /** Forgets every citation (without arguments). */
  restoreProcessorState(): void;
  /** Processes the citations in document order; `[citationID, noteIndex, text]` for each. */
  rebuildProcessorState(citations: CiteprocCitation[], mode: 'text'): [string, number, string][];
  /** Adds one citation between `pre` and `post`; `[index, text, citationID]` of each citation whose text changes, the new one included. */
  processCitationCluster(citation: CiteprocCitation, pre: CitationRef[], post: CitationRef[]): [unknown, [number, string, string][]];
}

/** One citation of the note as the processor sees it: a Pandoc group, a bare `@key`, or a formatted citation. */
interface NoteCitation {
  start: number;
  end: number;
  keys: string[];
  formatted?: FormattedCitation;
}

/** Every formatted citation of the note reformatted in the context of all its citations. */
export function refreshCitations(markdown: string, style: DocumentStyle, lookup: Lookup): CitationEdits {
  const notes = noteCitations(markdown);
  const cited = prepare(notes, lookup);
  const edits: TextEdit[] = [];
  if (cited.citations.length > 0) {
    const texts = process(style, cited.papers, (engine) => {
      const result = new Map<string, string>();
      for (const [id, , text] of engine.rebuildProcessorState(cited.citations, 'text')) result.set(id, text);
      return result;
    });
    cited.entries.forEach(({ note, id }) => addTextEdit(edits, markdown, note, texts.get(id)));
  }
  return summary(edits, notes, cited.missingKeys, 0);
}

/**
 * The edit that puts a formatted citation of `papers` at each range (a selection, replaced) and
 * updates the note's other formatted citations whose text the new ones change (a new
 * disambiguation, a renumbering). A cursor inside a citation inserts after it; a citation a
 * selection overlaps is replaced.
 */
export function insertCitations(markdown: string, ranges: readonly OffsetRange[], papers: readonly Paper[], style: DocumentStyle, lookup: Lookup): CitationEdits {
  const all = noteCitations(markdown);
  const targets = insertionRanges(ranges, all);
  const kept = all.filter((note) => !targets.some((range) => range.start < note.end && note.start < range.end));
  const cited = prepare(kept, lookup);
  const keys = [...new Set(papers.map((paper) => paper.key))];
  const items = keys.map((id) => ({ id }));
  const inserted = targets.map((range, index) => ({ range, citation: citeprocCitation(`new${index}`, items) }));
  const registered = [...new Map([...cited.papers, ...papers].map((paper) => [paper.key, paper])).values()];

  const texts = process(style, registered, (engine) => {
    const result = new Map<string, string>();
    if (cited.citations.length > 0) engine.rebuildProcessorState(cited.citations, 'text');
    // The document order of what the processor holds: kept citations, then each new one in its place.
    const order: { start: number; ref: CitationRef }[] = cited.entries.map(({ note, id }) => ({ start: note.start, ref: [id, 0] }));
    for (const { range, citation } of inserted) {
      const at = order.findIndex((entry) => entry.start >= range.start);
      const split = at < 0 ? order.length : at;
      const refs = order.map((entry) => entry.ref);
      const [, changed] = engine.processCitationCluster(citation, refs.slice(0, split), refs.slice(split));
      for (const [, text, id] of changed) result.set(id, text);
      order.splice(split, 0, { start: range.start, ref: [citation.citationID, 0] });
    }
    return result;
  });

  const edits: TextEdit[] = [];
  cited.entries.forEach(({ note, id }) => addTextEdit(edits, markdown, note, texts.get(id)));
  for (const { range, citation } of inserted) {
    const text = texts.get(citation.citationID);
    if (text === undefined) throw new Error('the citation processor returned no text for the new citation');
    edits.push({ startOffset: range.start, endOffset: range.end, newText: formattedCitationMarkdown(finish(text, 'text'), keys) });
  }
  edits.sort((a, b) => a.startOffset - b.startOffset);
  return summary(edits, all, cited.missingKeys, inserted.length);
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
  const entries: { note: NoteCitation; id: string }[] = [];
  const citations: CiteprocCitation[] = [];
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
    const id = `c${entries.length}`;
    entries.push({ note, id });
    citations.push(citeprocCitation(id, ids.map((item) => ({ id: item }))));
  }
  return { entries, citations, papers: [...papers.values()], missingKeys: [...missing] };
}

function citeprocCitation(citationID: string, citationItems: { id: string }[]): CiteprocCitation {
  return { citationID, citationItems, properties: { noteIndex: 0 } };
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

/** Runs on the style's engine with a clean citation registry, and leaves it clean for the other formatters. */
function process<T>(style: DocumentStyle, papers: Paper[], use: (engine: DocumentEngine) => T): T {
  return style.formatter.run(style.styleId, papers, 'text', (base) => {
    const engine = base as DocumentEngine;
    engine.restoreProcessorState();
    try {
      return use(engine);
    } finally {
      engine.restoreProcessorState();
    }
  });
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
