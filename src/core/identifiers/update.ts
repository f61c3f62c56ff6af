/**
 * What a fresh lookup would change in a paper's entry, field by field, in words the user can judge
 * before anything is written: a CSL-JSON item's variables, or a BibTeX entry's fields and type.
 * Only what the lookup itself writes is compared, so the user's own fields (notes, groups, files)
 * are never offered for removal.
 */
import type { BibEntry } from '../sources/bibtexParser';
import { parseBibtexNames } from '../sources/bibtexNames';
import { decodeLatex } from '../sources/latex';
import { isObject, nameLabel, type FetchedRecord, type RecordName } from './record';

export interface FieldChange {
  /** The variable or field name, as written in the file. */
  name: string;
  /** How it reads, shortened, before and after ("(none)" when absent). */
  before: string;
  after: string;
  /** What is written: the new CSL value (undefined removes it) or the raw BibTeX value. */
  value: unknown;
}

/** The variables an identifier lookup writes (see arxiv.ts, doi.ts, openreview.ts). */
const LOOKUP_VARIABLES = [
  'type', 'title', 'author', 'editor', 'issued', 'container-title', 'event-title', 'publisher', 'genre', 'number', 'volume', 'issue', 'page',
  'DOI', 'URL', 'version', 'keyword', 'abstract', 'custom',
];

/** The variables of an item that a fetched record would change; `custom` is merged, not replaced. */
export function cslItemChanges(current: Readonly<Record<string, unknown>>, fetched: FetchedRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const name of LOOKUP_VARIABLES) {
    const before = current[name];
    let after: unknown = fetched[name];
    if (name === 'custom') after = isObject(before) || isObject(after) ? { ...(isObject(before) ? before : {}), ...(isObject(after) ? after : {}) } : undefined;
    if (after === undefined && (name === 'editor' || name === 'custom')) continue;
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    changes.push({ name, before: describe(before), after: describe(after), value: after });
  }
  return changes;
}

/** Entry types a lookup's BibTeX writes: only these are switched (a thesis stays a thesis). */
const LOOKUP_TYPES = new Set(['misc', 'article', 'inproceedings', 'unpublished']);

/** The fields (and type) of `current` that the freshly made `fetched` entry would change. */
export function bibtexEntryChanges(current: BibEntry, fetched: BibEntry): { type?: FieldChange; fields: FieldChange[] } {
  const fields: FieldChange[] = [];
  for (const [name, value] of Object.entries(fetched.fields)) {
    const before = current.fields[name];
    if (before !== undefined && sameBibtexValue(name, before, value)) continue;
    fields.push({ name: BIBTEX_CASE[name] ?? name, before: before === undefined ? NONE : shorten(decodeLatex(before)), after: shorten(decodeLatex(value)), value });
  }
  const type = current.type !== fetched.type && LOOKUP_TYPES.has(current.type) ? { name: 'entry type', before: `@${current.type}`, after: `@${fetched.type}`, value: fetched.type } : undefined;
  return { ...(type && { type }), fields };
}

const BIBTEX_CASE: Record<string, string> = { archiveprefix: 'archivePrefix' };
const NONE = '(none)';

function sameBibtexValue(name: string, a: string, b: string): boolean {
  if (name === 'author' || name === 'editor') {
    const names = (text: string) => parseBibtexNames(text).people.map((person) => [person.given, person.von, person.family ?? person.literal, person.jr].filter(Boolean).join(' ')).join('; ');
    return names(a) === names(b);
  }
  const plain = (text: string) => decodeLatex(text).replace(/\s+/g, ' ').trim();
  return name === 'doi' || name === 'url' ? plain(a).toLowerCase() === plain(b).toLowerCase() : plain(a) === plain(b);
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return NONE;
  if (typeof value === 'string' || typeof value === 'number') return shorten(String(value));
  if (Array.isArray(value) && value.every(isObject)) return shorten((value as RecordName[]).map(nameLabel).join(', '));
  if (isObject(value) && Array.isArray(value['date-parts'])) {
    return (value['date-parts'] as unknown[][]).map((parts) => parts.map((part) => String(part).padStart(2, '0')).join('-')).join(' – ');
  }
  if (isObject(value)) return shorten(Object.entries(value).map(([key, entry]) => `${key}: ${typeof entry === 'string' ? entry : JSON.stringify(entry)}`).join('; '));
  return shorten(JSON.stringify(value));
}

function shorten(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
