/**
 * The one citation scanner: every feature that reads citations out of Markdown (Insert
 * Bibliography, backlinks, completion, hover, links, diagnostics, export) goes through here, so they
 * agree on what is a citation. It reads Pandoc citations and Lit Notes' formatted in-text citations,
 * Markdown links whose target names the keys: `[(Zhou et al., 2024)](#litnotes:zhou2024treg)`.
 * Offsets are UTF-16 code units of the original text.
 */
import { inertHtml, PANDOC_BARE_KEY } from './citation';

export const REFERENCES_START = '<!-- litnotes:references -->';
export const REFERENCES_END = '<!-- /litnotes:references -->';

/** Characters a bare key may hold (PANDOC_BARE_KEY decides where each may stand). */
const KEY_CHAR = /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u;
// `@` must not follow a word character (e-mail addresses), a backslash (`\@`), or `/`, `.`, `:`
// (URLs such as https://medium.com/@user). Keys are bare or braced (`@{10.1000/x,y}`).
const CITATION = new RegExp(`(?<![\\p{L}\\p{N}_\\\\/.:@])@(?:\\{([^{}\\r\\n]+)\\}|(${PANDOC_BARE_KEY.source}))`, 'gu');
// pandoc-crossref labels look like citations but refer to figures, tables, equations, sections, listings.
const CROSSREF = /^(?:fig|tbl|eq|sec|lst):/;
// A bracket group without nested brackets; one followed by `(`, `[` or `:` is a link, not a citation group.
const BRACKETS = /(?<![\\!])\[([^[\]]*)\](?![([:])/g;
const CODE_SPAN = /(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;
/** How far back completion looks for the `[` that opens the group being typed. */
const MAX_GROUP_LOOKBACK = 1000;

/** The link target of a formatted citation starts with this; the keys follow, separated by `;`. */
export const FORMATTED_TARGET = '#litnotes:';
const FORMATTED_KEY_SEPARATOR = ';';
// Only the end of the link is matched; its `[` is found by walking back (see linkTextStart).
const FORMATTED_LINK_END = /\]\(#litnotes:([^\s()<>]*)\)/g;
/** How far back a formatted citation's `[` may be: a long citation, never a whole section. */
const MAX_LINK_TEXT = 4000;
/** Longest text written into a formatted citation; escaped it stays within MAX_LINK_TEXT. */
const MAX_FORMATTED_TEXT = 1000;

export interface CitationGroup {
  /** Offset of `[`. */
  start: number;
  /** Offset after `]`. */
  end: number;
}

export interface Citation {
  key: string;
  /** Offset of `@`. */
  start: number;
  /** Offset after the key (after `}` for a braced key). */
  end: number;
  /** Offsets of the key's own text, what a replacement rewrites. */
  keyStart: number;
  keyEnd: number;
  /** 0-based line and column of `@`. */
  line: number;
  column: number;
  /** The `[…]` group of a bracketed citation; undefined for a bare `@key` in the text. */
  group?: CitationGroup;
  /** `-@key`: the author's name is suppressed. */
  suppressAuthor: boolean;
  /** Text before the key in its part of the group: `see` in `[see @a, p. 3; @b]`. */
  prefix: string;
  /** Text after the key in its part of the group, without the leading comma: `p. 3`. */
  locator: string;
  /** The formatted in-text citation this key belongs to; undefined for a Pandoc citation. */
  formatted?: FormattedCitation;
}

/**
 * `[text](#litnotes:key1;key2)`: a citation formatted by a CSL style. Its citations' `start`/`end`
 * are each key's (encoded) text in the target, so a replacement rewrites the key only.
 */
export interface FormattedCitation {
  /** Offset of `[`. */
  start: number;
  /** Offset after `)`. */
  end: number;
  /** Offsets of the link text (the formatted citation as the reader sees it, escaped). */
  textStart: number;
  textEnd: number;
  /** The keys in the order of the target, duplicates kept. */
  keys: string[];
}

/** Every citation of the document in order, outside code, comments and the generated reference list. */
export function scanCitations(markdown: string): Citation[] {
  const lineStarts = lineStartsOf(markdown);
  const { citations: formatted, masked } = scanFormatted(markdown, maskCode(markdown), lineStarts);
  const pandoc = scanPandoc(markdown, masked, lineStarts);
  if (formatted.length === 0) return pandoc;
  return [...formatted, ...pandoc].sort((a, b) => a.start - b.start);
}

/**
 * The keys of the formatted citations, and the masked text with those links blanked, so that
 * nothing a user types into a formatted citation's text counts as a Pandoc citation.
 */
function scanFormatted(markdown: string, masked: string, lineStarts: number[]): { citations: Citation[]; masked: string } {
  const citations: Citation[] = [];
  let blanked = '';
  let copied = 0;
  for (const m of masked.matchAll(FORMATTED_LINK_END)) {
    if (isEscaped(masked, m.index)) continue;
    const start = linkTextStart(masked, m.index, copied);
    if (start === undefined) continue;
    const end = m.index + m[0].length;
    const targetStart = m.index + 2 + FORMATTED_TARGET.length;
    const parts = readTargetKeys(markdown.slice(targetStart, end - 1));
    const formatted: FormattedCitation = { start, end, textStart: start + 1, textEnd: m.index, keys: parts.map((part) => part.key) };
    for (const part of parts) {
      const keyStart = targetStart + part.offset;
      const keyEnd = keyStart + part.length;
      citations.push({
        key: part.key,
        start: keyStart,
        end: keyEnd,
        keyStart,
        keyEnd,
        ...lineAndColumn(lineStarts, keyStart),
        suppressAuthor: false,
        prefix: '',
        locator: '',
        formatted,
      });
    }
    blanked += masked.slice(copied, start) + blank(masked.slice(start, end));
    copied = end;
  }
  return { citations, masked: copied === 0 ? masked : blanked + masked.slice(copied) };
}

/**
 * Offset of the `[` that opens the link text ending at `close`, as CommonMark pairs brackets:
 * escaped brackets do not count, nested ones must balance, a blank line ends the search. Not an
 * image (`![`), not before `floor` (the end of the previous formatted citation).
 */
function linkTextStart(masked: string, close: number, floor: number): number | undefined {
  let depth = 0;
  const limit = Math.max(floor, close - MAX_LINK_TEXT);
  for (let at = close - 1; at >= limit; at--) {
    const char = masked[at];
    if (char === '\n') {
      let before = at - 1;
      while (before >= limit && /[ \t\r]/.test(masked[before])) before--;
      if (masked[before] === '\n') return undefined;
    }
    if ((char !== '[' && char !== ']') || isEscaped(masked, at)) continue;
    if (char === ']') depth++;
    else if (depth > 0) depth--;
    else return masked[at - 1] === '!' && !isEscaped(masked, at - 1) ? undefined : at;
  }
  return undefined;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes - 1 >= 0 && text[at - backslashes - 1] === '\\') backslashes++;
  return backslashes % 2 === 1;
}

/** The keys of a formatted citation's target, percent-decoded, with where each stands in it. */
function readTargetKeys(target: string): { key: string; offset: number; length: number }[] {
  const parts: { key: string; offset: number; length: number }[] = [];
  let offset = 0;
  for (const raw of target.split(FORMATTED_KEY_SEPARATOR)) {
    const key = decodeKey(raw).trim();
    if (key) parts.push({ key, offset, length: raw.length });
    offset += raw.length + FORMATTED_KEY_SEPARATOR.length;
  }
  return parts;
}

function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // A stray `%` typed by hand: the key as written.
    return encoded;
  }
}

/**
 * A key as it stands in a formatted citation's target: letters, digits and `_.:~/+-` as they are,
 * everything else (`;`, `%`, spaces, brackets, parentheses …) percent-encoded.
 */
export function encodeFormattedKey(key: string): string {
  return key.replace(/[^\p{L}\p{N}_.:~/+-]/gu, (char) =>
    // A lone surrogate cannot be percent-encoded (no real key holds one); encodeURIComponent leaves !'()* as they are.
    encodeURIComponent(/^[\uD800-\uDFFF]$/u.test(char) ? '\uFFFD' : char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

/**
 * The Markdown of a formatted in-text citation: the style's plain text, escaped so that nothing in it
 * (a title cited by an author-less style, say) can become markup, a link, HTML, math or a citation.
 */
export function formattedCitationMarkdown(text: string, keys: readonly string[]): string {
  return `[${escapeFormattedText(text)}](${FORMATTED_TARGET}${keys.map(encodeFormattedKey).join(FORMATTED_KEY_SEPARATOR)})`;
}

/**
 * Plain text as inert Markdown link text on one line (Pandoc's math, superscript and citations
 * included), cut short where it would be too long to be read back as a citation.
 */
export function escapeFormattedText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const short = flat.length <= MAX_FORMATTED_TEXT ? flat : `${flat.slice(0, MAX_FORMATTED_TEXT - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
  return inertHtml(short.replace(/[\\`*_[\]~|$^@]/g, '\\$&'));
}

function scanPandoc(markdown: string, masked: string, lineStarts: number[]): Citation[] {
  const groups = [...masked.matchAll(BRACKETS)]
    .filter((m) => m[1].includes('@'))
    .map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const citations: Citation[] = [];
  let groupIndex = 0;
  let lineIndex = 0;
  for (const m of masked.matchAll(CITATION)) {
    const key = (m[1] ?? m[2]).trim();
    if (!key || CROSSREF.test(key)) continue;
    const start = m.index;
    const end = start + m[0].length;
    while (groupIndex < groups.length && groups[groupIndex].end <= start) groupIndex++;
    const group = groups[groupIndex] && groups[groupIndex].start < start ? groups[groupIndex] : undefined;
    while (lineIndex + 1 < lineStarts.length && lineStarts[lineIndex + 1] <= start) lineIndex++;
    const braced = m[1] !== undefined;
    const citation: Citation = {
      key,
      start,
      end,
      keyStart: start + (braced ? 2 : 1),
      keyEnd: end - (braced ? 1 : 0),
      line: lineIndex,
      column: start - lineStarts[lineIndex],
      group,
      suppressAuthor: false,
      prefix: '',
      locator: '',
    };
    if (group) describeInGroup(citation, group, markdown, masked);
    citations.push(citation);
  }
  return citations;
}

/** Fills prefix, locator and author suppression from the `;`-separated part of the group holding the citation. */
function describeInGroup(citation: Citation, group: CitationGroup, markdown: string, masked: string): void {
  const inner = masked.slice(group.start + 1, group.end - 1);
  const at = citation.start - group.start - 1;
  const partStart = inner.lastIndexOf(';', at) + 1;
  const semicolon = inner.indexOf(';', at);
  const partEnd = semicolon < 0 ? inner.length : semicolon;
  const offset = group.start + 1;
  let before = markdown.slice(offset + partStart, citation.start);
  // Several keys in one part: this one's prefix starts after the previous key.
  const previous = [...before.matchAll(CITATION)].at(-1);
  if (previous) before = before.slice(previous.index + previous[0].length);
  if (before.endsWith('-')) {
    citation.suppressAuthor = true;
    before = before.slice(0, -1);
  }
  citation.prefix = before.replace(/^\s*,/, '').trim();
  // Where the next citation of the same part starts, this one's suffix ends.
  const after = markdown.slice(citation.end, offset + partEnd);
  const nextAt = after.search(/(?<![\p{L}\p{N}_\\/.:@])-?@/u);
  citation.locator = (nextAt < 0 ? after : after.slice(0, nextAt)).trim().replace(/^,\s*/, '');
}

/** Where two texts differ: `before`'s `start` … `oldEnd` became `after`'s `start` … `newEnd`. */
export interface TextEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The one edit that turns `before` into `after` (their common start and end kept); undefined when they are equal. */
export function textEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const shorter = Math.min(before.length, after.length);
  const same = (a: number, b: number, length: number) => before.slice(a, a + length) === after.slice(b, b + length);
  const start = commonRun(shorter, (count, block) => same(count, count, block));
  const end = commonRun(shorter - start, (count, block) => same(before.length - count - block, after.length - count - block, block));
  return { start, oldEnd: before.length - end, newEnd: after.length - end };
}

/** How long a run of equal characters is, at most `max`: compared in blocks of 1024, then 32, then 1 (string comparison is native). */
function commonRun(max: number, equal: (count: number, block: number) => boolean): number {
  let count = 0;
  for (let block = 1024; block >= 1; block >>= 5) {
    while (count + block <= max && equal(count, block)) count += block;
  }
  return count;
}

/** What an edit that keeps the citations as they were must not contain, or stand next to without a space. */
const CITATION_SYNTAX = /[@[\]\\`~<>{}\r]/;
/** Lines an edit must not touch: fences, HTML comments (the references markers among them). */
const STRUCTURE_LINE = /^\s*(?:`{3}|~{3})|<!--|-->/;
/** Longer edits are scanned again rather than checked. */
const MAX_CHECKED_EDIT = 2000;

/**
 * Whether the scanner finds in `after` what it found in `before`, moved by the edit: true only for an
 * edit of words (and line breaks) that holds no citation syntax, touches no citation, fence or HTML
 * comment line, and cannot bring a formatted citation's link text within reach. `spans` are the
 * offsets of what was found in `before` (citations, their groups, formatted citations), sorted by
 * start. False when unsure: then the caller scans the text again.
 */
export function editKeepsCitations(before: string, after: string, edit: TextEdit, spans: readonly { start: number; end: number }[]): boolean {
  if (edit.oldEnd - edit.start > MAX_CHECKED_EDIT || edit.newEnd - edit.start > MAX_CHECKED_EDIT) return false;
  // The whole words the edit is in: a character next to `@` or `[` counts as much as one inside.
  let from = edit.start;
  while (from > 0 && edit.start - from <= MAX_CHECKED_EDIT && !/\s/.test(before[from - 1])) from--;
  const wordEnd = (text: string, at: number) => {
    const limit = at + MAX_CHECKED_EDIT;
    while (at < text.length && at <= limit && !/\s/.test(text[at])) at++;
    return at;
  };
  const oldTo = wordEnd(before, edit.oldEnd);
  const newTo = wordEnd(after, edit.newEnd);
  if (CITATION_SYNTAX.test(before.slice(from, oldTo)) || CITATION_SYNTAX.test(after.slice(from, newTo))) return false;
  const touchedLines = (text: string, end: number) => text.slice(text.lastIndexOf('\n', from - 1) + 1, (text.indexOf('\n', end) + 1 || text.length + 1) - 1).split('\n');
  if ([...touchedLines(before, oldTo), ...touchedLines(after, newTo)].some((line) => STRUCTURE_LINE.test(line))) return false;
  if (spans.some((span) => span.start <= oldTo && span.end >= from)) return false;
  // A formatted citation's `[` is looked for at most MAX_LINK_TEXT back from its `](`, up to a blank line: one not found after the edit may be found after it.
  const target = `](${FORMATTED_TARGET}`;
  for (let at = before.indexOf(target, from); at >= 0 && at <= oldTo + MAX_LINK_TEXT + MAX_CHECKED_EDIT; at = before.indexOf(target, at + 1)) {
    if (!spans.some((span) => span.start < at && at < span.end) && !/\n[ \t\r]*\n/.test(before.slice(oldTo, at))) return false;
  }
  return true;
}

/** The distinct keys in order of first appearance. */
export function citedKeys(citations: readonly Citation[]): string[] {
  return [...new Set(citations.map((citation) => citation.key))];
}

/**
 * The citation under `offset`, the end of the key included (where the cursor sits after typing it);
 * elsewhere in a formatted citation, its first key.
 */
export function citationAt(citations: readonly Citation[], offset: number): Citation | undefined {
  return (
    citations.find((citation) => citation.start <= offset && offset <= citation.end) ??
    citations.find(({ formatted }) => formatted && formatted.start <= offset && offset < formatted.end)
  );
}

/**
 * Where a key is being typed inside a citation group at `offset`: after `[@`, `[see @`, `; @` or
 * `-@` with the group still open. `keyStart` is where the key begins, `typed` what is typed of it.
 */
export function citationKeyBeingTyped(markdown: string, offset: number): { keyStart: number; typed: string } | undefined {
  let at = offset;
  while (at > 0 && KEY_CHAR.test(markdown[at - 1])) at--;
  if (markdown[at - 1] !== '@') return undefined;
  const atSign = at - 1;
  const before = markdown[atSign - 1] === '-' ? atSign - 1 : atSign;
  if (!/[[;\s]/.test(markdown[before - 1] ?? '')) return undefined;
  const open = markdown.lastIndexOf('[', atSign);
  if (open < 0 || atSign - open > MAX_GROUP_LOOKBACK || /[\]]|\n[ \t]*\n/.test(markdown.slice(open, atSign))) return undefined;
  if (maskCode(markdown)[atSign] !== '@') return undefined;
  return { keyStart: at, typed: markdown.slice(at, offset) };
}

/** The text with code (fenced blocks, spans), HTML comments and the generated reference list blanked, offsets unchanged. */
export function maskCode(markdown: string): string {
  let masked = maskFencedCode(markdown);
  const markers = findReferencesBlock(masked);
  if (markers) masked = masked.slice(0, markers.start) + blank(masked.slice(markers.start, markers.end)) + masked.slice(markers.end);
  return masked.replace(CODE_SPAN, blank).replace(HTML_COMMENT, blank);
}

/** Offsets of the generated reference list (start of the start marker, end of the end marker), if complete. */
export function findReferencesBlock(text: string): { start: number; end: number } | undefined {
  const start = text.indexOf(REFERENCES_START);
  if (start < 0) return undefined;
  const end = text.indexOf(REFERENCES_END, start + REFERENCES_START.length);
  return end < 0 ? undefined : { start, end: end + REFERENCES_END.length };
}

export function* lines(text: string): Generator<{ text: string; start: number; next: number }> {
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const next = newline < 0 ? text.length : newline + 1;
    yield { text: text.slice(start, next).replace(/\r?\n$/, ''), start, next };
    start = next;
  }
}

/** The text with fenced code blocks (fence lines included) blanked out, offsets unchanged. */
export function maskFencedCode(markdown: string): string {
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

/** 0-based line and column of an offset, by binary search in the line starts. */
function lineAndColumn(lineStarts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, column: offset - lineStarts[low] };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
