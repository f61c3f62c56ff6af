/**
 * Writing a paper into the user's own library file, as text: a CSL-JSON item goes in before the
 * list's closing bracket, a BibTeX entry at the end of the file; an update replaces one item's
 * variables or one entry's fields. Everything else stays byte for byte (line endings and indentation
 * included), and each result is read back before it is returned: a file that does not parse, or an
 * edit that would change anything but the paper, is refused with a message instead.
 */
import { errorText } from '../errors';
import { parseBibtex, type BibEntry } from '../sources/bibtexParser';
import type { RecordItem } from './additions';

/** The file cannot take the paper as it is; the message says why, in words. Nothing was written. */
export class LibraryFileError extends Error {}

type Json = Record<string, unknown>;

interface Span {
  start: number;
  end: number;
}

interface JsonList {
  /** Offsets of the `[` and `]` of the top-level list. */
  open: number;
  close: number;
  elements: Span[];
}

/** Appends an item to a CSL-JSON file's list (an empty file becomes a list of one). */
export function appendToCslJson(text: string, item: RecordItem, fileName: string): string {
  const eol = lineEnding(text);
  if (!text.replace(/^\uFEFF/, '').trim()) return `${text.replace(/\s+$/, '')}[${eol}${indentLines(JSON.stringify(item, null, 2), '  ', eol)}${eol}]${eol}`;
  const parsed = parseJson(text, fileName);
  if (!Array.isArray(parsed)) throw new LibraryFileError(`${fileName} holds no CSL-JSON list ([ {…}, … ]), so Lit Notes cannot add to it; it was left as it is.`);
  const list = scanList(text);
  const { elementIndent, unit, compact } = layout(text, list);
  const serialised = compact ? JSON.stringify(item) : indentLines(JSON.stringify(item, null, unit), elementIndent, eol);
  let result: string;
  if (list.elements.length === 0) {
    result = compact
      ? `${text.slice(0, list.open + 1)}${serialised}${text.slice(list.close)}`
      : `${text.slice(0, list.open + 1)}${eol}${elementIndent}${serialised}${eol}${text.slice(list.close)}`;
  } else {
    const last = list.elements[list.elements.length - 1];
    result = `${text.slice(0, last.end)},${compact ? '' : `${eol}${elementIndent}`}${serialised}${text.slice(last.end)}`;
  }
  checkJson(result, [...parsed, item], fileName);
  return result;
}

/** Replaces the variables of the item with this id (a value of undefined removes the variable). */
export function updateCslJsonItem(text: string, id: string, changes: Readonly<Record<string, unknown>>, fileName: string): string {
  const parsed = parseJson(text, fileName);
  if (!Array.isArray(parsed)) throw new LibraryFileError(`${fileName} holds no CSL-JSON list; it was left as it is.`);
  const index = parsed.findIndex((item: unknown) => isJson(item) && (item.id === id || item['citation-key'] === id));
  if (index < 0) throw new LibraryFileError(`${fileName} has no item "${id}" (any more); it was left as it is.`);
  const list = scanList(text);
  const span = list.elements[index];
  const updated: Json = { ...(parsed[index] as Json) };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete updated[name];
    else updated[name] = value;
  }
  const { elementIndent, unit, compact } = layout(text, list);
  const serialised = compact ? JSON.stringify(updated) : indentLines(JSON.stringify(updated, null, unit), elementIndent, lineEnding(text));
  const result = `${text.slice(0, span.start)}${serialised}${text.slice(span.end)}`;
  checkJson(result, parsed.map((item: unknown, at: number) => (at === index ? updated : item)), fileName);
  return result;
}

/** Appends a BibTeX entry at the end of the file, after one blank line. */
export function appendToBibtex(text: string, entry: string, key: string, fileName: string): string {
  const before = parseBibtex(text);
  const lastLine = before.entries[before.entries.length - 1]?.line ?? 0;
  const unfinished = before.problems.find((problem) => problem.severity === 'error' && problem.line >= lastLine && /cut off|never closed|not closed/.test(problem.message));
  if (unfinished) {
    throw new LibraryFileError(
      `${fileName} ends in an unfinished entry (line ${unfinished.line}: ${unfinished.message}); a paper added after it would be read as part of it. Fix that entry first; the file was left as it is.`,
    );
  }
  const eol = lineEnding(text);
  const separator = text === '' ? '' : text.endsWith(`${eol}${eol}`) || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? eol : `${eol}${eol}`;
  const result = `${text}${separator}${entry.replace(/\r?\n/g, eol)}${eol}`;
  const after = parseBibtex(result);
  const added = after.entries[after.entries.length - 1];
  if (after.entries.length !== before.entries.length + 1 || added?.key !== key) {
    throw new LibraryFileError(`the new entry "${key}" would not read back from ${fileName} as written; the file was left as it is.`);
  }
  return result;
}

/**
 * Sets fields of the entry with this key (raw BibTeX values, braces added), and its type when
 * `type` is given; fields not named keep their text. New fields go before the closing brace.
 */
export function updateBibtexEntry(text: string, key: string, changes: { type?: string; fields: Readonly<Record<string, string>> }, fileName: string): string {
  const before = parseBibtex(text);
  const target = before.entries.find((entry) => entry.key === key);
  if (!target) throw new LibraryFileError(`${fileName} has no entry "${key}" that Lit Notes can read; it was left as it is.`);
  const span = entrySpan(text, target.line);
  if (!span) throw new LibraryFileError(`the entry "${key}" of ${fileName} could not be found as written; the file was left as it is.`);
  const eol = lineEnding(text);
  let entryText = text.slice(span.start, span.end);
  const fields = fieldSpans(entryText);
  // From the last field backwards, so earlier offsets stay valid.
  const replacements = Object.entries(changes.fields)
    .map(([name, value]) => ({ name: name.toLowerCase(), value, field: fields.find((field) => field.name === name.toLowerCase()) }))
    .filter((change) => change.field)
    .sort((a, b) => (b.field?.value.start ?? 0) - (a.field?.value.start ?? 0));
  for (const { value, field } of replacements) {
    if (field) entryText = `${entryText.slice(0, field.value.start)}{${value}}${entryText.slice(field.value.end)}`;
  }
  const added = Object.entries(changes.fields).filter(([name]) => !fields.some((field) => field.name === name.toLowerCase()));
  if (added.length > 0) {
    const indent = /\n([ \t]+)\S/.exec(entryText)?.[1] ?? '  ';
    const close = entryText.length - 1;
    const body = entryText.slice(0, close).replace(/\s*$/, '');
    const comma = body.endsWith(',') ? '' : ',';
    entryText = `${body}${comma}${added.map(([name, value]) => `${eol}${indent}${name} = {${value}}`).join(',')}${eol}${entryText.slice(close)}`;
  }
  if (changes.type) entryText = entryText.replace(/^@\s*[A-Za-z]+/, `@${changes.type}`);
  const result = `${text.slice(0, span.start)}${entryText}${text.slice(span.end)}`;
  const after = parseBibtex(result);
  const updated = after.entries.find((entry) => entry.key === key);
  // Lines move when fields are added; what must stay is every other entry's type, key and fields.
  const same = (a: BibEntry, b: BibEntry | undefined) => b !== undefined && a.type === b.type && a.key === b.key && JSON.stringify(a.fields) === JSON.stringify(b.fields);
  const othersKept = after.entries.length === before.entries.length && after.entries.every((entry, index) => entry.key === key || same(entry, before.entries[index]));
  if (!updated || !othersKept) throw new LibraryFileError(`the updated entry "${key}" would not read back from ${fileName} as written; the file was left as it is.`);
  return result;
}

function parseJson(text: string, fileName: string): unknown {
  const clean = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(clean);
  } catch (error) {
    const message = errorText(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? '' : ` at line ${clean.slice(0, Number(position)).split('\n').length}`;
    throw new LibraryFileError(`${fileName} is not valid JSON${where} (${message.replace(/\s*\(line \d+ column \d+\)$/, '')}), so Lit Notes does not write to it; it was left as it is. Fix it and try again.`);
  }
}

/** The result must parse to exactly what was meant: the old items and the new one. */
function checkJson(result: string, expected: unknown[], fileName: string): void {
  let reread: unknown;
  try {
    reread = JSON.parse(result.replace(/^\uFEFF/, ''));
  } catch {
    reread = undefined;
  }
  if (JSON.stringify(reread) !== JSON.stringify(expected)) throw new LibraryFileError(`the paper could not be written into ${fileName} without changing the rest; it was left as it is.`);
}

/** The top-level list's brackets and elements, found without parsing (strings are skipped whole). */
function scanList(text: string): JsonList {
  const open = text.indexOf('[');
  const elements: Span[] = [];
  let depth = 0;
  let start = -1;
  let lastEnd = -1;
  for (let index = open + 1; index < text.length; index++) {
    const ch = text[index];
    if (ch === '"') {
      if (start < 0) start = index;
      index = stringEnd(text, index);
      lastEnd = index + 1;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 0 && (ch === ',' || ch === ']')) {
      if (start >= 0) elements.push({ start, end: lastEnd });
      start = -1;
      if (ch === ']') return { open, close: index, elements };
      continue;
    }
    if (start < 0) start = index;
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    lastEnd = index + 1;
  }
  throw new LibraryFileError('the list is never closed');
}

function stringEnd(text: string, quote: number): number {
  for (let index = quote + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  return text.length;
}

/**
 * How the file lays out its list: the indentation of its items and of one level inside them, or
 * `compact` when the items follow the bracket on its line (a minified file stays minified).
 */
function layout(text: string, list: JsonList): { elementIndent: string; unit: string; compact: boolean } {
  const first = list.elements[0];
  // An empty list has no layout to keep: the new item is written as JSON.stringify indents it.
  if (!first) return { elementIndent: '  ', unit: '  ', compact: false };
  const lineStart = text.lastIndexOf('\n', first.start) + 1;
  if (lineStart <= list.open) return { elementIndent: '', unit: '  ', compact: true };
  const elementIndent = text.slice(lineStart, first.start);
  const inner = /\n([ \t]+)\S/.exec(text.slice(first.start, first.end))?.[1];
  const unit = inner && inner.length > elementIndent.length && inner.startsWith(elementIndent) ? inner.slice(elementIndent.length) : elementIndent || '  ';
  return { elementIndent, unit, compact: false };
}

function indentLines(serialised: string, indent: string, eol: string): string {
  return serialised.split('\n').join(`${eol}${indent}`);
}

function lineEnding(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of the entry that starts on this line, from its `@` to its closing delimiter. */
function entrySpan(text: string, line: number): Span | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    offset = text.indexOf('\n', offset) + 1;
    if (offset === 0) return undefined;
  }
  const start = text.indexOf('@', offset);
  const open = /^@\s*[A-Za-z]+\s*([{(])/.exec(text.slice(start));
  if (start < 0 || !open) return undefined;
  const parenthesised = open[1] === '(';
  let depth = 0;
  for (let index = start + open[0].length; index < text.length; index++) {
    const ch = text[index];
    if (ch === '\\') index++;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return parenthesised ? undefined : { start, end: index + 1 };
      depth--;
    } else if (ch === ')' && parenthesised && depth === 0) return { start, end: index + 1 };
  }
  return undefined;
}

/** The fields of an entry's text with the offsets of their values (delimiters included). */
function fieldSpans(entry: string): { name: string; value: Span }[] {
  const fields: { name: string; value: Span }[] = [];
  let index = entry.indexOf(',') + 1;
  const body = entry.length - 1;
  while (index > 0 && index < body) {
    const name = /\s*([^\s=,{}]+)\s*=\s*/y;
    name.lastIndex = index;
    const match = name.exec(entry);
    if (!match) break;
    const start = name.lastIndex;
    let end = start;
    // A value: parts in braces or quotes, or bare words, joined by `#`.
    while (end < body && entry[end] !== ',') {
      const ch = entry[end];
      if (ch === '{') end = closeBrace(entry, end);
      else if (ch === '"') end = closeQuote(entry, end);
      else end++;
    }
    let valueEnd = end;
    while (valueEnd > start && /\s/.test(entry[valueEnd - 1])) valueEnd--;
    fields.push({ name: match[1].toLowerCase(), value: { start, end: valueEnd } });
    index = end + 1;
  }
  return fields;
}

function closeBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '{') depth++;
    else if (text[index] === '}' && --depth === 0) return index + 1;
  }
  return text.length;
}

function closeQuote(text: string, open: number): number {
  let depth = 0;
  for (let index = open + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '{') depth++;
    else if (text[index] === '}') depth--;
    else if (text[index] === '"' && depth === 0) return index + 1;
  }
  return text.length;
}
