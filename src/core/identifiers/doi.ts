/**
 * DOI metadata → records: the CSL-JSON that DOI content negotiation answers (from Crossref, DataCite,
 * mEDRA …) and the `message` of Crossref's REST API (`/works/{doi}`). Both are close to CSL but not
 * quite: Crossref's own type names, titles as arrays, JATS abstracts, flat or string date parts,
 * organisations as `name`, and many keys that are no CSL variable. One cleaner serves both.
 */
import { safeExternalUrl } from '../urls';
import { dateFromIso, lineText, isObject, MalformedAnswer, plainText, type FetchedRecord, type RecordDate, type RecordName } from './record';

/** Crossref's work types → CSL types (types that are CSL already pass unchanged). */
const CROSSREF_TYPES: Record<string, string> = {
  'journal-article': 'article-journal',
  'proceedings-article': 'paper-conference',
  'posted-content': 'article',
  'book-chapter': 'chapter',
  'book-section': 'chapter',
  'book-part': 'chapter',
  'book-track': 'chapter',
  'reference-entry': 'entry',
  'edited-book': 'book',
  monograph: 'book',
  'reference-book': 'book',
  'book-set': 'book',
  'book-series': 'book',
  proceedings: 'book',
  'proceedings-series': 'book',
  dissertation: 'thesis',
  'report-component': 'report',
  'report-series': 'report',
  'peer-review': 'review',
  'journal-issue': 'periodical',
  'journal-volume': 'periodical',
  journal: 'periodical',
  component: 'document',
  database: 'dataset',
  grant: 'document',
  other: 'document',
};

const CSL_TYPES = new Set([
  'article', 'article-journal', 'article-magazine', 'article-newspaper', 'bill', 'book', 'broadcast', 'chapter', 'classic',
  'collection', 'dataset', 'document', 'entry', 'entry-dictionary', 'entry-encyclopedia', 'event', 'figure', 'graphic',
  'hearing', 'interview', 'legal_case', 'legislation', 'manuscript', 'map', 'motion_picture', 'musical_score', 'pamphlet',
  'paper-conference', 'patent', 'performance', 'periodical', 'personal_communication', 'post', 'post-weblog', 'regulation',
  'report', 'review', 'review-book', 'software', 'song', 'speech', 'standard', 'thesis', 'treaty', 'webpage',
]);

/** CSL 1.0.2's text and number variables that describe a work (not those a processor sets). */
const TEXT_VARIABLES = new Set([
  'archive', 'archive_collection', 'archive_location', 'archive-place', 'authority', 'call-number', 'chapter-number',
  'collection-number', 'collection-title', 'container-title', 'container-title-short', 'dimensions', 'division', 'DOI',
  'edition', 'event', 'event-title', 'event-place', 'genre', 'ISBN', 'ISSN', 'issue', 'jurisdiction', 'keyword', 'language',
  'license', 'medium', 'note', 'number', 'number-of-pages', 'number-of-volumes', 'original-publisher',
  'original-publisher-place', 'original-title', 'page', 'page-first', 'part', 'part-title', 'PMCID', 'PMID', 'printing',
  'publisher', 'publisher-place', 'references', 'reviewed-genre', 'reviewed-title', 'scale', 'section', 'source', 'status',
  'supplement', 'title', 'title-short', 'URL', 'version', 'volume', 'volume-title',
]);
/** Text that is markup-free after cleaning but may keep its paragraphs. */
const PARAGRAPH_VARIABLES = new Set(['abstract', 'note']);
const NAME_VARIABLES = new Set([
  'author', 'chair', 'collection-editor', 'compiler', 'composer', 'container-author', 'contributor', 'curator', 'director',
  'editor', 'editor-translator', 'editorial-director', 'executive-producer', 'guest', 'host', 'illustrator', 'interviewer',
  'narrator', 'organizer', 'original-author', 'performer', 'producer', 'recipient', 'reviewed-author', 'script-writer',
  'series-creator', 'translator',
]);
const DATE_VARIABLES = ['accessed', 'available-date', 'event-date', 'original-date', 'submitted'];
/** Where an answer without `issued` keeps the date of publication, best first. */
const ISSUED_FALLBACKS = ['issued', 'published', 'published-print', 'published-online', 'posted', 'created'];
/** Crossref's names for CSL variables. */
const RENAMED: Record<string, string> = {
  'short-container-title': 'container-title-short',
  'short-title': 'title-short',
  'publisher-location': 'publisher-place',
  'article-number': 'number',
};
const NAME_PARTS = ['family', 'given', 'non-dropping-particle', 'dropping-particle', 'suffix', 'literal'] as const;

/** The CSL-JSON of DOI content negotiation → record; `MalformedAnswer` when it is no CSL item. */
export function recordFromCslJson(json: unknown): FetchedRecord {
  if (!isObject(json)) throw new MalformedAnswer('the answer is not a CSL-JSON item');
  return cleanWork(json);
}

/** Crossref's `{status: "ok", "message-type": "work", message}` → record. */
export function recordFromCrossref(json: unknown): FetchedRecord {
  if (!isObject(json) || json.status !== 'ok' || json['message-type'] !== 'work' || !isObject(json.message)) {
    throw new MalformedAnswer('the answer is not a Crossref work');
  }
  return cleanWork(json.message);
}

function cleanWork(work: Record<string, unknown>): FetchedRecord {
  const rawType = typeof work.type === 'string' ? work.type : '';
  const type = CROSSREF_TYPES[rawType] ?? (CSL_TYPES.has(rawType) ? rawType : 'document');
  const record: FetchedRecord = { type };
  for (const [source, value] of Object.entries(work)) {
    const name = RENAMED[source] ?? source;
    if (name === 'type' || (RENAMED[source] && record[name] !== undefined)) continue;
    if (TEXT_VARIABLES.has(name) || PARAGRAPH_VARIABLES.has(name)) {
      const text = textValue(value, name);
      if (text) record[name] = PARAGRAPH_VARIABLES.has(name) ? plainText(text) : lineText(text);
    } else if (NAME_VARIABLES.has(name)) {
      const names = Array.isArray(value) ? value.map(cleanName).filter((entry): entry is RecordName => entry !== undefined) : [];
      if (names.length > 0) record[name] = names;
    } else if (DATE_VARIABLES.includes(name)) {
      const date = cleanDate(value);
      if (date) record[name] = date;
    }
  }
  const issued = ISSUED_FALLBACKS.map((name) => cleanDate(work[name])).find((date) => date !== undefined);
  if (issued) record.issued = issued;
  const subtitle = textValue(work.subtitle, 'title');
  if (record.title && subtitle && !record.title.toLowerCase().includes(lineText(subtitle).toLowerCase())) record.title = `${record.title}: ${lineText(subtitle)}`;
  if (!record.keyword) {
    const keywords = [work.subject, work.categories].flatMap((value) => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : []));
    if (keywords.length > 0) record.keyword = keywords.map(lineText).join(', ');
  }
  const event = work.event;
  if (isObject(event) && typeof event.name === 'string' && !record['event-title']) {
    record['event-title'] = lineText(event.name);
    if (typeof event.location === 'string' && !record['event-place']) record['event-place'] = lineText(event.location);
  }
  if (rawType === 'posted-content' && work.subtype === 'preprint' && !record.genre) record.genre = 'Preprint';
  if (record.URL !== undefined && !safeExternalUrl(record.URL)) delete record.URL;
  if (record.DOI) record.DOI = record.DOI.replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '');
  if (!record.title && !record.author) throw new MalformedAnswer('the answer has neither a title nor authors');
  return record;
}

/** A string, a number, or the first string of an array (Crossref's titles); ISSNs and ISBNs joined. */
function textValue(value: unknown, name: string): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value.trim() || undefined;
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '');
  if (strings.length === 0) return undefined;
  return name === 'ISSN' || name === 'ISBN' ? strings.join(', ') : strings[0];
}

function cleanName(value: unknown): RecordName | undefined {
  if (!isObject(value)) return undefined;
  const name: RecordName = {};
  for (const part of NAME_PARTS) {
    if (typeof value[part] === 'string' && (value[part] as string).trim()) name[part] = lineText(value[part] as string);
  }
  // Crossref gives an organisation as `name`.
  if (!name.family && !name.literal && typeof value.name === 'string' && value.name.trim()) name.literal = lineText(value.name);
  return Object.keys(name).length > 0 ? name : undefined;
}

/** `{date-parts: [[2020, 5, 1]]}`, flat `[2020, 5]`, strings `[["2020"]]`, `{raw: "2020-05"}`, `{date-time}`. */
function cleanDate(value: unknown): RecordDate | undefined {
  if (!isObject(value)) return undefined;
  const raw = value['date-parts'];
  if (Array.isArray(raw)) {
    const rows = (Array.isArray(raw[0]) ? raw : [raw]) as unknown[];
    const parts = rows
      .filter(Array.isArray)
      .map((row) => (row as unknown[]).map((part) => (typeof part === 'string' && /^\d+$/.test(part.trim()) ? Number(part) : part)))
      .map((row) => row.slice(0, 3).filter((part): part is number => typeof part === 'number' && Number.isInteger(part)))
      .filter((row) => row.length > 0 && row[0] > 0)
      .slice(0, 2);
    if (parts.length > 0) return { 'date-parts': parts };
  }
  for (const text of [value['date-time'], value.raw, value.literal]) {
    const date = typeof text === 'string' ? dateFromIso(text) : undefined;
    if (date) return date;
  }
  return undefined;
}
