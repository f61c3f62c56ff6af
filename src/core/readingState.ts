/**
 * Reading status and tags per paper, kept in a small JSON file in the workspace so that they are
 * versioned with the notes. The file is written with sorted keys and one entry per paper, so a
 * change shows as a one-line diff; anything the parser does not understand makes the whole file
 * "broken", and a broken file is reported, never rewritten on our own initiative.
 *
 * Tags differing only in case ("RLHF", "rlhf") are one tag, with one spelling: the one already in
 * use wins. A paper given "rlhf" while others have "RLHF" gets "RLHF"; retyping a tag on every paper
 * that has it renames it; in a file edited by hand to hold both, the paper whose key sorts first
 * (the order Lit Notes writes the file in) decides.
 */
import { errorText } from './errors';

export type ReadingStatus = 'to-read' | 'reading' | 'read';
export const READING_STATUSES: readonly ReadingStatus[] = ['to-read', 'reading', 'read'];
/** A status to set; `none` clears it. */
export type ReadingStatusChoice = ReadingStatus | 'none';

export const READING_STATUS_LABELS: Readonly<Record<ReadingStatus, string>> = {
  'to-read': 'To read',
  reading: 'Reading',
  read: 'Read',
};

export interface PaperReadingState {
  status?: ReadingStatus;
  /** Sorted, distinct ignoring case, trimmed. */
  tags: string[];
}

/** Citation key → state; papers with neither status nor tags are absent. */
export type ReadingState = ReadonlyMap<string, PaperReadingState>;

export interface ReadingStateError {
  message: string;
  /** 1-based, when the problem has a place in the text. */
  line?: number;
  column?: number;
}

export type ParsedReadingState = { state: ReadingState } | { error: ReadingStateError };

const FORMAT_VERSION = 1;
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Parses the file's text. An empty file is an empty state (someone created it to be filled). */
export function parseReadingState(text: string): ParsedReadingState {
  if (text.trim() === '') return { state: new Map() };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: { message: `not valid JSON: ${errorText(error)}`, ...jsonErrorPosition(error, text) } };
  }
  const fail = (message: string): ParsedReadingState => ({ error: { message } });
  if (!isRecord(json)) return fail('expected an object with "version" and "papers"');
  const unknownField = Object.keys(json).find((field) => field !== 'version' && field !== 'papers');
  if (unknownField !== undefined) return fail(`unknown field "${unknownField}"`);
  if (json.version !== FORMAT_VERSION) return fail(`"version" must be ${FORMAT_VERSION}`);
  if (!isRecord(json.papers)) return fail('"papers" must be an object keyed by citation key');
  const state = new Map<string, PaperReadingState>();
  for (const [key, value] of Object.entries(json.papers)) {
    const where = `papers["${key}"]`;
    if (!isRecord(value)) return fail(`${where} must be an object`);
    const field = Object.keys(value).find((name) => name !== 'status' && name !== 'tags');
    if (field !== undefined) return fail(`${where}: unknown field "${field}"`);
    if (value.status !== undefined && !READING_STATUSES.includes(value.status as ReadingStatus)) {
      return fail(`${where}.status must be one of ${READING_STATUSES.map((s) => `"${s}"`).join(', ')}`);
    }
    if (value.tags !== undefined && !(Array.isArray(value.tags) && value.tags.every((tag) => typeof tag === 'string'))) {
      return fail(`${where}.tags must be a list of texts`);
    }
    const entry = normalise({ status: value.status as ReadingStatus | undefined, tags: (value.tags as string[] | undefined) ?? [] });
    if (entry) state.set(key, entry);
  }
  return { state: withSpellings(state, tagSpellings(state, new Set())) };
}

/** The file's text: keys sorted, empty entries left out, a trailing newline. */
export function serializeReadingState(state: ReadingState): string {
  // No prototype: a key such as "__proto__" must stay an ordinary entry.
  const papers: Record<string, { status?: ReadingStatus; tags?: string[] }> = Object.create(null);
  for (const key of [...state.keys()].sort()) {
    const entry = normalise(state.get(key) as PaperReadingState);
    if (!entry) continue;
    papers[key] = {
      ...(entry.status ? { status: entry.status } : {}),
      ...(entry.tags.length ? { tags: entry.tags } : {}),
    };
  }
  return `${JSON.stringify({ version: FORMAT_VERSION, papers }, null, 2)}\n`;
}

/**
 * A new state with the entries of `keys` changed; the given state is left alone. A tag that other
 * papers have takes their spelling.
 */
export function withPaperStates(
  state: ReadingState,
  keys: readonly string[],
  change: (current: PaperReadingState) => Partial<PaperReadingState>,
): ReadingState {
  const changed = new Set(keys);
  const spellings = tagSpellings(state, changed);
  const next = new Map(state);
  for (const key of changed) {
    const current = state.get(key) ?? { tags: [] };
    const update = change(current);
    const tags = (update.tags ?? current.tags).map((tag) => spellings.get(tagKey(tag)) ?? tag);
    const entry = normalise({ status: 'status' in update ? update.status : current.status, tags });
    if (entry) next.set(key, entry);
    else next.delete(key);
  }
  return next;
}

/** What tags differing only in case share. */
export function tagKey(tag: string): string {
  return tag.toLowerCase();
}

/** A paper's tags: the workspace's own, then those its library source holds (Zotero's) that differ from them. */
export function paperTags(paper: { tags?: readonly string[] }, state: PaperReadingState | undefined): string[] {
  const own = state?.tags ?? [];
  const seen = new Set(own.map(tagKey));
  return [...own, ...(paper.tags ?? []).filter((tag) => !seen.has(tagKey(tag)) && seen.add(tagKey(tag)))];
}

/** Each tag's spelling, from the papers other than `except`: the first met, in key order. */
function tagSpellings(state: ReadingState, except: ReadonlySet<string>): Map<string, string> {
  const spellings = new Map<string, string>();
  for (const key of [...state.keys()].sort()) {
    if (except.has(key)) continue;
    for (const tag of state.get(key)?.tags ?? []) if (!spellings.has(tagKey(tag))) spellings.set(tagKey(tag), tag);
  }
  return spellings;
}

function withSpellings(state: ReadingState, spellings: ReadonlyMap<string, string>): ReadingState {
  const next = new Map<string, PaperReadingState>();
  for (const [key, entry] of state) {
    next.set(key, { ...entry, tags: normaliseTags(entry.tags.map((tag) => spellings.get(tagKey(tag)) ?? tag)) });
  }
  return next;
}

/** Tags as typed in one line: separated by commas, trimmed, inner whitespace collapsed. */
export function parseTagList(text: string): string[] {
  return normaliseTags(text.split(','));
}

/** Trimmed, inner whitespace collapsed, one of each ignoring case (the first spelling), sorted. */
export function normaliseTags(tags: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const tag of tags.map((raw) => raw.replace(/\s+/g, ' ').trim()).filter(Boolean)) {
    if (!byKey.has(tagKey(tag))) byKey.set(tagKey(tag), tag);
  }
  return [...byKey.values()].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

function normalise(entry: PaperReadingState): PaperReadingState | undefined {
  const tags = normaliseTags(entry.tags);
  if (!entry.status && tags.length === 0) return undefined;
  return entry.status ? { status: entry.status, tags } : { tags };
}

/** Line and column of a JSON.parse error, from the "position N" (or "line L column C") in its message. */
export function jsonErrorPosition(error: unknown, text: string): { line?: number; column?: number } {
  const message = errorText(error);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  if (!position) return {};
  const before = text.slice(0, Number(position[1]));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
