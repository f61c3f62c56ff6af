/**
 * The mapping between BibTeX/biblatex entries and CSL records, as data read by both directions: the
 * import here (`entryToRecord`) and the export in `../bibtex.ts`. docs/bibtex-mapping.md is this file
 * written out as tables; a unit test checks that the two agree.
 */
import type { CslDate, CslName, CslRecord } from '../model';
import { parseBibtexNames, type BibtexPerson } from './bibtexNames';
import type { BibEntry } from './bibtexParser';
import { decodeLatex, decodeLatexRich } from './latex';
import { normaliseDoi, type SourceProblem } from './source';
import { safeExternalUrl } from '../urls';

/** Entry types that hold data for other entries, not papers. */
export const NOT_PAPER_TYPES: ReadonlySet<string> = new Set(['xdata', 'set']);

/** The 14 entry types of BibTeX's standard styles: a BibTeX export writes only these. */
export const BIBTEX_TYPES: ReadonlySet<string> = new Set([
  'article', 'book', 'booklet', 'conference', 'inbook', 'incollection', 'inproceedings', 'manual', 'mastersthesis', 'misc', 'phdthesis', 'proceedings', 'techreport', 'unpublished',
]);

/** Lower-case entry type → CSL item type. */
export const CSL_TYPE_OF_ENTRY: ReadonlyMap<string, string> = new Map(
  Object.entries({
    article: 'article-journal',
    book: 'book',
    mvbook: 'book',
    booklet: 'pamphlet',
    inbook: 'chapter',
    bookinbook: 'chapter',
    suppbook: 'chapter',
    incollection: 'chapter',
    suppcollection: 'chapter',
    collection: 'book',
    mvcollection: 'book',
    reference: 'book',
    mvreference: 'book',
    inreference: 'entry-encyclopedia',
    inproceedings: 'paper-conference',
    conference: 'paper-conference',
    proceedings: 'book',
    mvproceedings: 'book',
    periodical: 'periodical',
    suppperiodical: 'article-journal',
    phdthesis: 'thesis',
    mastersthesis: 'thesis',
    thesis: 'thesis',
    techreport: 'report',
    report: 'report',
    online: 'webpage',
    electronic: 'webpage',
    www: 'webpage',
    misc: 'document',
    unpublished: 'manuscript',
    manual: 'book',
    patent: 'patent',
    software: 'software',
    code: 'software',
    dataset: 'dataset',
    data: 'dataset',
    standard: 'standard',
    artwork: 'graphic',
    image: 'graphic',
    audio: 'song',
    music: 'song',
    video: 'motion_picture',
    movie: 'motion_picture',
    performance: 'performance',
    letter: 'personal_communication',
    review: 'review',
    legislation: 'legislation',
    jurisdiction: 'legal_case',
    legal: 'treaty',
  }),
);

/** Entry types that are a preprint (CSL "article") when they carry an arXiv eprint. */
const PREPRINT_WHEN_EPRINT = new Set(['misc', 'online', 'electronic', 'www']);

/** CSL item type → [BibTeX type, biblatex type] for records that did not come from a .bib entry. */
export const ENTRY_TYPE_OF_CSL: ReadonlyMap<string, readonly [string, string]> = new Map(
  Object.entries({
    article: ['misc', 'online'],
    'article-journal': ['article', 'article'],
    'article-magazine': ['article', 'article'],
    'article-newspaper': ['article', 'article'],
    book: ['book', 'book'],
    chapter: ['incollection', 'incollection'],
    'paper-conference': ['inproceedings', 'inproceedings'],
    thesis: ['phdthesis', 'thesis'],
    report: ['techreport', 'report'],
    webpage: ['misc', 'online'],
    post: ['misc', 'online'],
    'post-weblog': ['misc', 'online'],
    manuscript: ['unpublished', 'unpublished'],
    pamphlet: ['booklet', 'booklet'],
    patent: ['misc', 'patent'],
    software: ['misc', 'software'],
    dataset: ['misc', 'dataset'],
    entry: ['incollection', 'inreference'],
    'entry-dictionary': ['incollection', 'inreference'],
    'entry-encyclopedia': ['incollection', 'inreference'],
    periodical: ['misc', 'periodical'],
    standard: ['misc', 'standard'],
    graphic: ['misc', 'artwork'],
    song: ['misc', 'audio'],
    motion_picture: ['misc', 'video'],
    performance: ['misc', 'performance'],
    personal_communication: ['misc', 'letter'],
    review: ['article', 'review'],
    'review-book': ['article', 'review'],
    legislation: ['misc', 'legislation'],
    legal_case: ['misc', 'jurisdiction'],
    treaty: ['misc', 'legal'],
    document: ['misc', 'misc'],
  }),
);

/** biblatex's `type` keys for theses and reports, and the words a CSL genre says instead. */
export const GENRE_OF_TYPE_KEY: ReadonlyMap<string, string> = new Map(
  Object.entries({ phdthesis: 'PhD thesis', mathesis: "Master's thesis", candthesis: 'Candidate thesis', techreport: 'Technical report', resreport: 'Research report' }),
);

/** The genre an entry type implies when its `type` field says nothing. */
export const DEFAULT_GENRE: ReadonlyMap<string, string> = new Map(Object.entries({ phdthesis: 'PhD thesis', mastersthesis: "Master's thesis" }));

/** How a field's text becomes a variable's value. */
export type FieldKind =
  /** CSL rich text: braces protect case, \emph is <i> */
  | 'rich'
  /** plain text, LaTeX decoded */
  | 'text'
  /** a URL or DOI: only LaTeX escapes of its characters are undone */
  | 'verbatim'
  | 'names'
  /** a biblatex date (EDTF) */
  | 'date'
  /** a page range: "--" is "-" in CSL */
  | 'range';

export interface FieldRule {
  variable: string;
  /** Fields read, in order of preference. The first is the one a biblatex export writes. */
  fields: readonly string[];
  /** The field a BibTeX export writes when it is not `fields[0]`. */
  bibtex?: string;
  kind: FieldKind;
  /** Only for these CSL types (a `number` is an article's issue but a book's number in its series). */
  types?: ReadonlySet<string>;
  /** For every type but these. */
  notTypes?: ReadonlySet<string>;
}

const ARTICLE_TYPES = new Set(['article-journal', 'article-magazine', 'article-newspaper', 'periodical', 'review', 'review-book']);
/** Types whose `number` is the number in a series. */
const IN_SERIES_TYPES = new Set(['book', 'chapter', 'paper-conference', 'entry-encyclopedia', 'entry-dictionary', 'entry']);

/**
 * Field ↔ variable, in the order an export writes them. The date fields (year, month, day, date),
 * the publisher's field, the container's field and `type`/`genre` depend on the entry type and are
 * handled in code below and in the export, following the same table in the docs.
 */
export const FIELD_RULES: readonly FieldRule[] = [
  { variable: 'title', fields: ['title'], kind: 'rich' },
  { variable: 'title-short', fields: ['shorttitle'], kind: 'rich' },
  { variable: 'author', fields: ['author'], kind: 'names' },
  { variable: 'editor', fields: ['editor'], kind: 'names' },
  { variable: 'translator', fields: ['translator'], kind: 'names' },
  { variable: 'container-author', fields: ['bookauthor'], kind: 'names' },
  { variable: 'container-title', fields: ['journaltitle', 'journal'], bibtex: 'journal', kind: 'rich', types: ARTICLE_TYPES },
  { variable: 'container-title', fields: ['booktitle'], kind: 'rich', notTypes: ARTICLE_TYPES },
  { variable: 'container-title-short', fields: ['shortjournal'], kind: 'rich' },
  { variable: 'collection-title', fields: ['series'], kind: 'rich' },
  { variable: 'event', fields: ['eventtitle'], kind: 'rich' },
  { variable: 'event-place', fields: ['venue'], kind: 'text' },
  { variable: 'event-date', fields: ['eventdate'], kind: 'date' },
  { variable: 'original-date', fields: ['origdate'], kind: 'date' },
  { variable: 'edition', fields: ['edition'], kind: 'text' },
  { variable: 'volume', fields: ['volume'], kind: 'text' },
  { variable: 'number-of-volumes', fields: ['volumes'], kind: 'text' },
  { variable: 'issue', fields: ['number'], kind: 'text', types: ARTICLE_TYPES },
  { variable: 'collection-number', fields: ['number'], kind: 'text', types: IN_SERIES_TYPES },
  { variable: 'number', fields: ['number'], kind: 'text', notTypes: new Set([...ARTICLE_TYPES, ...IN_SERIES_TYPES]) },
  { variable: 'chapter-number', fields: ['chapter'], kind: 'text' },
  { variable: 'page', fields: ['pages'], kind: 'range' },
  { variable: 'number-of-pages', fields: ['pagetotal'], kind: 'text' },
  { variable: 'publisher-place', fields: ['location', 'address'], bibtex: 'address', kind: 'text' },
  { variable: 'version', fields: ['version'], kind: 'text' },
  { variable: 'status', fields: ['pubstate'], kind: 'text' },
  { variable: 'ISBN', fields: ['isbn'], kind: 'text' },
  { variable: 'ISSN', fields: ['issn'], kind: 'text' },
  { variable: 'DOI', fields: ['doi'], kind: 'verbatim' },
  { variable: 'URL', fields: ['url'], kind: 'verbatim' },
  { variable: 'accessed', fields: ['urldate'], kind: 'date' },
  { variable: 'language', fields: ['language'], kind: 'text' },
  { variable: 'keyword', fields: ['keywords'], kind: 'text' },
  { variable: 'note', fields: ['note'], kind: 'text' },
  { variable: 'annote', fields: ['annotation', 'annote'], bibtex: 'annote', kind: 'text' },
  { variable: 'abstract', fields: ['abstract'], kind: 'text' },
];

/** Fields read into `publisher`, in order; which one an export writes depends on the type. */
export const PUBLISHER_FIELDS = ['publisher', 'institution', 'school', 'organization', 'howpublished'] as const;

const THESIS_TYPES = new Set(['phdthesis', 'mastersthesis', 'thesis']);

/** The field an entry of this type names its publisher in, for BibTeX (0) and biblatex (1). */
export function publisherField(entryType: string, cslType: string, dialect: 0 | 1): (typeof PUBLISHER_FIELDS)[number] {
  if (THESIS_TYPES.has(entryType)) return dialect === 0 ? 'school' : 'institution';
  if (entryType === 'techreport' || entryType === 'report') return 'institution';
  if (entryType === 'manual' || entryType === 'software') return 'organization';
  // A preprint is published by arXiv, as Zotero and Better BibTeX write it.
  if (cslType === 'article') return 'publisher';
  if (['misc', 'booklet', 'unpublished'].includes(entryType)) return 'howpublished';
  if (entryType === 'online') return 'organization';
  return 'publisher';
}

/** biblatex's names for BibTeX-era fields kept as written: `archivePrefix` is `eprinttype`. */
export const FIELD_ALIASES: ReadonlyMap<string, string> = new Map(Object.entries({ archiveprefix: 'eprinttype', primaryclass: 'eprintclass' }));

/** Fields whose value is never LaTeX. */
export const VERBATIM_FIELDS: ReadonlySet<string> = new Set(['doi', 'url', 'eprint', 'file', 'pdf', 'verba', 'verbb', 'verbc']);

export function rulesFor(type: string): FieldRule[] {
  return FIELD_RULES.filter((rule) => (!rule.types || rule.types.has(type)) && !rule.notTypes?.has(type));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Reads an entry (crossrefs resolved) into a record; what it cannot read as a variable stays as written. */
export function entryToRecord(entry: BibEntry, problems: SourceProblem[]): CslRecord {
  const warn = (message: string) => problems.push({ line: entry.line, message: `"${entry.key}": ${message}`, severity: 'warning', key: entry.key });
  const raw = new Map<string, string>();
  for (const [name, value] of Object.entries(entry.fields)) raw.set(FIELD_ALIASES.get(name) ?? name, value);
  const used = new Set<string>();
  const take = (name: string): string | undefined => {
    const value = raw.get(name);
    if (value !== undefined) used.add(name);
    return value;
  };

  const eprintType = raw.get('eprinttype')?.trim();
  const arxivEprint = raw.has('eprint') && (eprintType === undefined || /^arxiv$/i.test(eprintType));
  const subtype = raw.get('entrysubtype')?.trim().toLowerCase();
  let type = CSL_TYPE_OF_ENTRY.get(entry.type) ?? 'document';
  if (entry.type === 'article' && (subtype === 'magazine' || subtype === 'newspaper')) type = `article-${subtype}`;
  else if (arxivEprint && PREPRINT_WHEN_EPRINT.has(entry.type) && !raw.has('journal') && !raw.has('journaltitle')) type = 'article';
  const record: CslRecord = { type };

  for (const rule of rulesFor(type)) {
    if (record[rule.variable] !== undefined) continue;
    const name = rule.fields.find((field) => raw.get(field)?.trim());
    if (name === undefined) continue;
    const value = readField(rule.kind, take(name) ?? '', rule.variable, warn);
    if (value === undefined) continue;
    if (rule.kind === 'names') {
      const { names, others } = value as { names: CslName[]; others: boolean };
      if (names.length > 0) record[rule.variable] = names;
      if (others) record.custom = { ...record.custom, 'and-others': [...(record.custom?.['and-others'] ?? []), rule.variable] };
    } else {
      record[rule.variable] = value;
    }
  }
  // An empty field (`organization = ""`) says only that its crossref parent's is not inherited: it stays
  // as written while the entry has a crossref, which an export may write again.
  for (const [name, value] of raw) if (!value.trim() && !raw.has('crossref')) used.add(name);
  // The xdata entries are no papers and are not exported: their fields are in the entry now.
  take('xdata');

  const field = PUBLISHER_FIELDS.find((name) => decodeLatex(raw.get(name) ?? ''));
  if (field) {
    const howpublished = field === 'howpublished' ? /^\s*\\url\s*\{([^}]*)\}\s*$/.exec(raw.get('howpublished') ?? '') : null;
    if (howpublished && !record.URL) {
      const url = safeExternalUrl(howpublished[1]);
      take('howpublished');
      if (url) record.URL = howpublished[1].trim();
      else warn(`the URL "${howpublished[1].trim().slice(0, 80)}" is not an http(s) address; left out`);
    } else if (!howpublished) {
      record.publisher = decodeLatex(take(field) ?? '');
      // A field other than the one the type has (an @inproceedings' organization) is named for the export.
      if (![0, 1].some((dialect) => publisherField(entry.type, type, dialect as 0 | 1) === field)) record.custom = { ...record.custom, 'bibtex-publisher': field };
    }
  }

  // CSL has no subtitle: "Title: Subtitle", as pandoc reads it; the field stays for the export to split again.
  const subtitle = decodeLatexRich(raw.get('subtitle') ?? '');
  if (subtitle && record.title) record.title = `${record.title}: ${subtitle}`;

  const genre = take('type')?.trim();
  if (genre) record.genre = GENRE_OF_TYPE_KEY.get(genre.toLowerCase()) ?? decodeLatex(genre);
  else if (DEFAULT_GENRE.has(entry.type)) record.genre = DEFAULT_GENRE.get(entry.type);

  const issued = readIssued(raw, take, warn);
  if (issued) record.issued = issued;

  // A preprint as Zotero and Better BibTeX describe it: published by arXiv, numbered by its id.
  if (type === 'article' && arxivEprint) {
    record.publisher ??= 'arXiv';
    record.number ??= `arXiv:${(raw.get('eprint') ?? '').trim().replace(/v\d+$/, '')}`;
  }

  const kept: Record<string, string> = {};
  for (const [name, value] of raw) if (!used.has(name)) kept[name] = value;
  record.custom = { ...record.custom, 'bibtex-type': entry.type, ...(Object.keys(kept).length > 0 && { 'bibtex-fields': kept }) };
  return record;
}

function readField(kind: FieldKind, value: string, variable: string, warn: (message: string) => void): unknown {
  switch (kind) {
    case 'rich':
      return decodeLatexRich(value) || undefined;
    case 'text':
      return decodeLatex(value) || undefined;
    case 'range':
      return decodeLatex(value).replace(/\s*(?:--|–|—)\s*/g, '-') || undefined;
    case 'names': {
      const parsed = parseBibtexNames(value);
      if (parsed.emptyNames > 0) warn(`the ${variable} list has an empty name between two "and"s; it is skipped`);
      return { names: parsed.people.map(cslNameOfPerson), others: parsed.others };
    }
    case 'date': {
      const date = parseEdtf(dateText(value));
      if (!date) warn(`the date "${value.trim().slice(0, 40)}" of "${variable}" is not a date; kept as text`);
      return date ?? { literal: decodeLatex(value) };
    }
    case 'verbatim': {
      const text = unescapeVerbatim(value);
      if (!text) return undefined;
      if (variable === 'DOI') return normaliseDoi(text) ?? text;
      if (variable === 'URL' && !safeExternalUrl(text)) {
        warn(`the URL "${text.slice(0, 80)}" is not an http(s) address; left out`);
        return undefined;
      }
      return text;
    }
  }
}

/** `\%`, `\_`, `\&`, `\#` and `\$` in a URL or DOI are the characters themselves. */
export function unescapeVerbatim(value: string): string {
  return value.trim().replace(/\\([%_&#$~])/g, '$1');
}

function cslNameOfPerson(person: BibtexPerson): CslName {
  if (person.literal !== undefined) return { literal: person.literal };
  const name: CslName = {};
  if (person.family) name.family = person.family;
  if (person.given) name.given = person.given;
  if (person.von) name['non-dropping-particle'] = person.von;
  if (person.jr) name.suffix = person.jr;
  return name;
}

/**
 * `date` (biblatex, EDTF: "2024-03-15", "2020-05/2020-07", "2019~", "2021/..") or BibTeX's year,
 * month and day. A year with LaTeX in it (`{\noopsort{1973b}}1973`) and a month that is no month
 * stay as written as well, so that a BibTeX export gives them back.
 */
function readIssued(raw: Map<string, string>, take: (name: string) => string | undefined, warn: (message: string) => void): CslDate | undefined {
  const rawDate = raw.get('date');
  if (rawDate?.trim()) {
    take('date');
    const date = parseEdtf(dateText(rawDate));
    if (date) {
      // A year or month that says the same as the date adds nothing.
      const [year, month] = date['date-parts']?.[0] ?? [];
      if (raw.get('year')?.trim() === String(year)) take('year');
      if (month !== undefined && monthNumber(raw.get('month')) === month) take('month');
      return date;
    }
    warn(`the date "${rawDate.trim().slice(0, 40)}" is not a date; kept as text`);
    return { literal: decodeLatex(rawDate) };
  }
  const yearText = raw.get('year');
  if (!yearText?.trim()) return undefined;
  const year = decodeLatex(yearText);
  // LaTeX in a year (`{\noopsort{1973b}}1973`) is there for sorting: it stays as written for the export.
  if (!yearText.includes('\\')) take('year');
  if (!/^-?\d{1,4}$/.test(year)) return { literal: year };
  const parts: number[] = [Number(year)];
  const month = monthNumber(raw.get('month'));
  if (month !== undefined) {
    take('month');
    parts.push(month);
    const day = raw.get('day')?.trim();
    if (day && /^\d{1,2}$/.test(day) && Number(day) >= 1 && Number(day) <= 31) {
      take('day');
      parts.push(Number(day));
    }
  }
  return { 'date-parts': [parts] };
}

/** A date field's text: braces go, and "~" is EDTF's "about", not LaTeX's space. */
function dateText(value: string): string {
  return value.replace(/[{}]/g, '').trim();
}

function monthNumber(text: string | undefined): number | undefined {
  const value = text?.trim().toLowerCase();
  if (!value) return undefined;
  if (/^\d{1,2}$/.test(value)) return Number(value) >= 1 && Number(value) <= 12 ? Number(value) : undefined;
  const index = MONTHS.indexOf(value.slice(0, 3));
  return index >= 0 && /^[a-z]+\.?$/.test(value) ? index + 1 : undefined;
}

/** An EDTF date or range as biblatex writes it; undefined when it is none. */
export function parseEdtf(text: string): CslDate | undefined {
  const value = text.trim();
  const ends = value.split('/');
  if (ends.length > 2) return undefined;
  let circa = false;
  const parts: number[][] = [];
  for (const [index, end] of ends.entries()) {
    if ((end === '' || end === '..') && ends.length === 2) {
      if (index === 0) return undefined;
      continue; // an open end: "2021/"
    }
    const match = /^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)$/.exec(end);
    if (!match) return undefined;
    const [, year, month, day, qualifier] = match;
    if (qualifier === '~' || qualifier === '%') circa = true;
    const date = [Number(year)];
    if (month !== undefined) {
      if (Number(month) < 1 || Number(month) > 12) return undefined;
      date.push(Number(month));
    }
    if (day !== undefined) {
      if (Number(day) < 1 || Number(day) > 31) return undefined;
      date.push(Number(day));
    }
    parts.push(date);
  }
  return { 'date-parts': parts, ...(circa && { circa: true }) };
}
