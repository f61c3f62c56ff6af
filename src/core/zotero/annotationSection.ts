/**
 * The one marked section of a literature note that holds a paper's Zotero annotations. Importing
 * again rewrites that section only, never a line outside it. The end marker carries a hash of what
 * was written, so a section changed by hand since is recognised and nothing in it is replaced
 * without asking: the caller offers to replace it, or to add only the annotations it does not hold.
 */
import type { TextEdit } from '../bibliography';
import { maskFencedCode } from '../citationScanner';
import type { RenderedAnnotation } from './annotations';

const ANNOTATIONS_START = '<!-- litnotes:zotero-annotations -->';
const START = /^<!-- litnotes:zotero-annotations -->[ \t]*$/m;
const END = /^<!-- \/litnotes:zotero-annotations(?: ([0-9a-f]{8}))? -->[ \t]*$/m;
/** The annotation keys the section holds, found through their links. */
const LINKED_KEY = /[?&]annotation=([23456789A-Z]{8})\b/g;

export const ANNOTATIONS_HEADING = 'Annotations from Zotero';

export type SectionState =
  | { kind: 'absent' }
  /** Markers that do not pair (a start without an end, or the reverse): left alone. */
  | { kind: 'broken'; line: number }
  | { kind: 'section'; edited: boolean; start: number; bodyStart: number; bodyEnd: number; endMarkerEnd: number; keys: Set<string> };

/** FNV-1a over the body as written: line ends and trailing spaces aside, so an editor's save does not count as an edit. */
export function sectionHash(body: string): string {
  const text = normalise(body);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function normalise(body: string): string {
  return body.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, '');
}

/** Where the section is, and whether its text is still what the last import wrote. Markers inside fenced code do not count. */
export function findAnnotationSection(note: string): SectionState {
  const masked = maskFencedCode(note);
  const start = START.exec(masked);
  const end = END.exec(masked);
  if (!start && !end) return { kind: 'absent' };
  if (!start || !end || end.index < start.index) return { kind: 'broken', line: lineOf(note, (start ?? end)?.index ?? 0) };
  const bodyStart = start.index + start[0].length;
  const body = note.slice(bodyStart, end.index);
  const keys = new Set([...body.matchAll(LINKED_KEY)].map((match) => match[1]));
  return { kind: 'section', edited: end[1] !== sectionHash(body), start: start.index, bodyStart, bodyEnd: end.index, endMarkerEnd: end.index + end[0].length, keys };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

export interface AnnotationImportPlan {
  state: 'new' | 'update' | 'unchanged' | 'edited' | 'broken';
  /** The note's line with the unpaired marker, for `broken`. */
  line?: number;
  /** Writes the section with every annotation (new, update, and edited when the user agrees). */
  replace?: TextEdit;
  /** For an edited section: adds the annotations it holds no link to, before its end, and keeps the rest as it is. */
  addMissing?: TextEdit;
  /** Annotations the section does not hold yet. */
  added: number;
  total: number;
}

/**
 * What importing `annotations` into `note` would do. A new section goes at the end of the note under
 * a heading; line endings follow the note's.
 */
export function planAnnotationImport(note: string, annotations: readonly RenderedAnnotation[]): AnnotationImportPlan {
  const eol = note.includes('\r\n') ? '\r\n' : '\n';
  const blocks = annotations.map((annotation) => annotation.markdown.replace(/\r?\n/g, eol));
  const body = `${eol}${blocks.map((block) => block + eol).join(eol)}`;
  const section = `${ANNOTATIONS_START}${body}<!-- /litnotes:zotero-annotations ${sectionHash(body)} -->`;
  const found = findAnnotationSection(note);
  const total = annotations.length;
  if (found.kind === 'broken') return { state: 'broken', line: found.line, added: 0, total };
  if (found.kind === 'absent') {
    const trailing = /(?:\r?\n)*$/.exec(note)?.[0].replace(/\r/g, '').length ?? 0;
    const separator = note.length === 0 ? '' : eol.repeat(Math.max(0, 2 - trailing));
    const newText = `${separator}## ${ANNOTATIONS_HEADING}${eol}${eol}${section}${eol}`;
    return { state: 'new', replace: { startOffset: note.length, endOffset: note.length, newText }, added: total, total };
  }
  const added = annotations.filter((annotation) => !found.keys.has(annotation.key));
  const replace: TextEdit = { startOffset: found.start, endOffset: found.endMarkerEnd, newText: section };
  if (!found.edited) {
    const unchanged = note.slice(replace.startOffset, replace.endOffset) === section;
    return unchanged ? { state: 'unchanged', added: 0, total } : { state: 'update', replace, added: added.length, total };
  }
  const missing = added.map((annotation) => blocks[annotations.indexOf(annotation)]);
  const before = note.slice(0, found.bodyEnd);
  const gap = /(?:\r?\n){2}$/.test(before) ? '' : /\r?\n$/.test(before) ? eol : `${eol}${eol}`;
  const addMissing: TextEdit | undefined = missing.length
    ? { startOffset: found.bodyEnd, endOffset: found.bodyEnd, newText: `${gap}${missing.map((block) => block + eol).join(eol)}` }
    : undefined;
  return { state: 'edited', replace, ...(addMissing && { addMissing }), added: added.length, total };
}
