/**
 * Reading a CSL-JSON item into a record: every variable is kept as the source gives it, after the
 * checks that keep the extension safe (only http(s) URLs, names and dates of the right shape) and
 * one convention read into a marker: a last name `{"literal": "others"}` (pandoc's "and others").
 */
import type { CslDate, CslName, CslRecord, RecordCustom } from '../model';
import { safeExternalUrl } from '../urls';

/** The name variables of CSL 1.0.2 (and citeproc-js's editor-translator). */
export const NAME_VARIABLES: ReadonlySet<string> = new Set([
  'author', 'chair', 'collection-editor', 'compiler', 'composer', 'container-author', 'contributor', 'curator', 'director',
  'editor', 'editor-translator', 'editorial-director', 'executive-producer', 'guest', 'host', 'illustrator', 'interviewer',
  'narrator', 'organizer', 'original-author', 'performer', 'producer', 'recipient', 'reviewed-author', 'script-writer',
  'series-creator', 'translator',
]);

export const DATE_VARIABLES: ReadonlySet<string> = new Set(['accessed', 'available-date', 'event-date', 'issued', 'original-date', 'submitted']);

const NAME_PARTS = ['family', 'given', 'dropping-particle', 'non-dropping-particle', 'suffix', 'literal'] as const;
const NAME_FLAGS = ['comma-suffix', 'static-ordering', 'parse-names'] as const;
/** Names that would reach an object's prototype if assigned. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
/** The item's identity, which the paper's key replaces. */
const ID_VARIABLES = new Set(['id', 'citation-key']);

export type Report = (message: string) => void;

/**
 * The record of a CSL-JSON item (or of a stored record), or undefined when it is no object. What
 * cannot be kept is named through `report`, which also says when a missing type was taken as "document".
 */
export function parseCslRecord(value: unknown, report: Report): CslRecord | undefined {
  if (!isObject(value)) return undefined;
  const type = typeof value.type === 'string' && value.type.trim() ? value.type : undefined;
  if (!type) report('has no CSL "type"; read as "document"');
  const record: CslRecord = { type: type ?? 'document' };
  const othersRoles: string[] = [];
  for (const [name, raw] of Object.entries(value)) {
    if (name === 'type' || ID_VARIABLES.has(name) || raw === undefined || raw === null) continue;
    if (UNSAFE_NAMES.has(name)) {
      report(`"${name}" is no CSL variable; left out`);
      continue;
    }
    if (NAME_VARIABLES.has(name)) {
      const names = parseNames(raw, name, report);
      if (names.others) othersRoles.push(name);
      if (names.list.length > 0) record[name] = names.list;
    } else if (DATE_VARIABLES.has(name)) {
      const date = parseDate(raw);
      if (date) record[name] = date;
      else report(`"${name}" is not a CSL date; left out`);
    } else if (name === 'URL') {
      const url = typeof raw === 'string' ? safeExternalUrl(raw) : undefined;
      if (url) record.URL = raw as string;
      else report(`the URL "${String(raw).slice(0, 80)}" is not an http(s) address; left out`);
    } else if (name === 'custom') {
      const custom = parseCustom(raw, report);
      if (custom) record.custom = custom;
    } else {
      record[name] = cloneJson(raw);
    }
  }
  if (othersRoles.length > 0) {
    const marked = new Set([...(record.custom?.['and-others'] ?? []), ...othersRoles]);
    record.custom = { ...record.custom, 'and-others': [...marked] };
  }
  return record;
}

function parseNames(raw: unknown, variable: string, report: Report): { list: CslName[]; others: boolean } {
  if (!Array.isArray(raw)) {
    report(`"${variable}" is not a list of names; left out`);
    return { list: [], others: false };
  }
  const last: unknown = raw[raw.length - 1];
  const others = isObject(last) && typeof last.literal === 'string' && last.literal.trim().toLowerCase() === 'others' && Object.keys(last).length === 1;
  const list: CslName[] = [];
  raw.slice(0, others ? -1 : undefined).forEach((entry: unknown, index) => {
    const name = isObject(entry) ? parseName(entry) : undefined;
    if (name) list.push(name);
    else report(`${variable}[${index}] is not a CSL name (family, given or literal); left out`);
  });
  return { list, others };
}

function parseName(raw: Record<string, unknown>): CslName | undefined {
  const name: CslName = {};
  for (const part of NAME_PARTS) {
    const value = raw[part];
    if (typeof value === 'string' && value.trim()) name[part] = value;
  }
  for (const flag of NAME_FLAGS) if (typeof raw[flag] === 'boolean') name[flag] = raw[flag] as boolean;
  return name.family || name.given || name.literal ? name : undefined;
}

/** `{"date-parts": [[2020, 5]]}` (numbers or numeric strings, as Zotero writes them), `raw`, `literal`, or an EDTF string. */
function parseDate(raw: unknown): CslDate | undefined {
  if (typeof raw === 'string') return raw.trim() ? { raw } : undefined;
  if (typeof raw === 'number') return { 'date-parts': [[raw]] };
  if (!isObject(raw)) return undefined;
  const date: CslDate = {};
  const parts = raw['date-parts'];
  if (Array.isArray(parts)) {
    const valid = parts.filter(
      (part): part is (number | string)[] =>
        Array.isArray(part) && part.length > 0 && part.every((value) => typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value.trim()))),
    );
    if (valid.length > 0) date['date-parts'] = valid.map((part) => [...part]);
  }
  for (const field of ['literal', 'raw'] as const) if (typeof raw[field] === 'string' && (raw[field] as string).trim()) date[field] = raw[field] as string;
  if (typeof raw.season === 'string' || typeof raw.season === 'number') date.season = raw.season;
  if (typeof raw.circa === 'boolean' || typeof raw.circa === 'string' || typeof raw.circa === 'number') date.circa = raw.circa;
  return Object.keys(date).length > 0 ? date : undefined;
}

function parseCustom(raw: unknown, report: Report): RecordCustom | undefined {
  if (!isObject(raw)) {
    report('"custom" is not an object; left out');
    return undefined;
  }
  const custom: RecordCustom = {};
  for (const [name, value] of Object.entries(raw)) {
    if (UNSAFE_NAMES.has(name)) continue;
    custom[name] = cloneJson(value);
  }
  const check = (name: string, valid: (value: unknown) => boolean) => {
    if (custom[name] !== undefined && !valid(custom[name])) {
      report(`"custom.${name}" has the wrong form; left out`);
      delete custom[name];
    }
  };
  check('and-others', (value) => Array.isArray(value) && value.every((role) => typeof role === 'string' && NAME_VARIABLES.has(role)));
  check('bibtex-type', (value) => typeof value === 'string' && /^[a-z]+$/.test(value));
  check('bibtex-fields', (value) => isObject(value) && Object.entries(value).every(([field, text]) => /^[a-z][a-z0-9_+:.-]*$/.test(field) && typeof text === 'string'));
  check('bibtex-publisher', (value) => typeof value === 'string' && /^[a-z]+$/.test(value));
  check('original-id', (value) => typeof value === 'string');
  return Object.keys(custom).length > 0 ? custom : undefined;
}

/** A deep copy of JSON data without prototype-reaching keys. */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (!isObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(value)) if (!UNSAFE_NAMES.has(name)) copy[name] = cloneJson(entry);
  return copy;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
