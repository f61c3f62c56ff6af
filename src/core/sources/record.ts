/**
 * A paper's record and the fields shown from it. `paperFromRecord` is the one place where the display
 * fields (title, authors, year, venue, DOI, arXiv id, links) are derived from a record; every source
 * and the merge go through it. `toCslItem` is the record as citeproc-js and CSL-JSON exports take it.
 */
import type { Author, CslDate, CslName, CslRecord, PartialDate, Paper, PaperLinks } from '../model';
import { isPreprintVenue } from '../library';
import { arxivAbsUrl, safeExternalUrl } from '../urls';
import { plainText } from './latex';
import { findArxivId, normaliseDoi, paperLinks, untitledLabel } from './source';

/** The record as a CSL-JSON item: what citeproc-js formats and what a CSL-JSON export writes. */
export type CslJsonItem = CslRecord & { id: string; 'citation-key'?: string };

/** What a paper has beside its record: the extension's own fields and what a listing says. */
export interface PaperExtras {
  topics?: string[];
  links?: PaperLinks;
  aliases?: string[];
  organization?: string;
  upvotes?: number;
  listingDate?: PartialDate;
  /** How many authors the source says there are, when it counts them (a listing's "4 authors"); else the names count. */
  authorCount?: number;
  /** An arXiv id known beside the record (from a merged source); the record's own comes first. */
  arxivId?: string;
}

/** Name roles that stand for the authors, in order: a book of collected papers is listed by its editors. */
const AUTHOR_ROLES = ['author', 'editor'] as const;

export function paperFromRecord(key: string, record: CslRecord, extras: PaperExtras = {}): Paper {
  const role = AUTHOR_ROLES.find((candidate) => namesOf(record, candidate).length > 0);
  const authors = role ? namesOf(record, role).flatMap((name) => authorOf(name) ?? []) : [];
  const arxivId = arxivIdOf(record) ?? extras.arxivId;
  const text = (variable: string) => (typeof record[variable] === 'string' || typeof record[variable] === 'number' ? plainText(String(record[variable])).trim() || undefined : undefined);
  const container = text('container-title');
  const venue = container && /^arxiv\b/i.test(container) ? 'arXiv' : (container ?? text('event') ?? text('event-title') ?? text('publisher') ?? (arxivId ? 'arXiv' : undefined));
  const year = yearOf(record.issued);
  const doi = normaliseDoi(text('DOI'));
  const paper: Paper = {
    key,
    title: text('title') ?? untitledLabel(container, text('publisher'), text('note'), text('event'), text('genre')),
    abstract: text('abstract') ?? '',
    authors,
    authorCount: extras.authorCount ?? authors.length,
    ...(year !== undefined && { year }),
    ...(extras.listingDate && { listingDate: extras.listingDate }),
    ...(venue && { venue }),
    ...(doi && { doi }),
    ...(extras.organization && { organization: extras.organization }),
    ...(extras.upvotes !== undefined && { upvotes: extras.upvotes }),
    ...(arxivId && { arxivId }),
    links: { ...paperLinks(arxivId, text('URL')), ...extras.links },
    topics: extras.topics ?? [],
    ...(extras.aliases?.length && { aliases: extras.aliases }),
    ...(role && record.custom?.['and-others']?.includes(role) && { andOthers: true }),
    record,
  };
  return paper;
}

/** Variables an untitled record can be cited by (with its names). */
const CITABLE_BY = ['container-title', 'publisher', 'note', 'issued', 'URL', 'DOI', 'number', 'event', 'genre'];

/** A record without a title is still a paper when it has names or one of these to show it by. */
export function isCitable(record: CslRecord): boolean {
  return Boolean(record.title) || AUTHOR_ROLES.some((role) => namesOf(record, role).length > 0) || CITABLE_BY.some((variable) => record[variable] !== undefined);
}

/** The names of a role; a record made by hand may hold something else there. */
function namesOf(record: CslRecord, role: string): CslName[] {
  const names = record[role];
  return Array.isArray(names) ? names.filter((name): name is CslName => typeof name === 'object' && name !== null) : [];
}

/** A display name: particles and suffix go with the family name ("van der Berg", "Doe Jr."), an institution is its literal. */
export function authorOf(name: CslName): Author | undefined {
  if (name.literal?.trim()) return { given: '', family: name.literal.trim() };
  const family = [name['non-dropping-particle'], name.family, name.suffix].map((part) => part?.trim()).filter(Boolean).join(' ');
  const given = [name.given, name['dropping-particle']].map((part) => part?.trim()).filter(Boolean).join(' ');
  if (family) return { given, family };
  return given ? { given: '', family: given } : undefined;
}

/** A generational suffix at the end of a display family name ("King Jr.", "Davis, Jr", "Doe III"), as `authorOf` puts it there. */
const NAME_SUFFIX = /^(\S.*?),?\s+(Jr\.?|Sr\.?|II|III|IV)$/u;

/**
 * A CSL name for a display name: lower-case particles ("van der") and a suffix ("Jr.") leave the
 * family name, as `authorOf` joined them; no given name is an institution.
 */
export function cslNameOf(author: Author): CslName {
  if (!author.given) return { literal: author.family };
  const suffix = NAME_SUFFIX.exec(author.family);
  const rest = suffix ? suffix[1] : author.family;
  const particle = /^((?:\p{Ll}+\s+)+)(\S.*)$/u.exec(rest);
  const name: CslName = particle ? { family: particle[2], given: author.given, 'non-dropping-particle': particle[1].trim() } : { family: rest, given: author.given };
  if (suffix) name.suffix = suffix[2];
  return name;
}

/** The first year of a CSL date, from its parts, or from the text of a raw or literal date. */
export function yearOf(date: CslDate | undefined): number | undefined {
  if (!date) return undefined;
  const first = date['date-parts']?.[0]?.[0];
  for (const candidate of [first, date.raw, date.literal]) {
    const year = /(?:^|\D)(\d{4})(?!\d)/.exec(candidate === undefined ? '' : String(candidate))?.[1];
    if (year) return Number(year);
  }
  return undefined;
}

/** The version-less arXiv id of a record: its eprint, Zotero's "arXiv:…" number, an arXiv DOI or URL. */
export function arxivIdOf(record: CslRecord): string | undefined {
  const fields = record.custom?.['bibtex-fields'] ?? {};
  const eprintType = fields.eprinttype?.trim();
  const eprint = eprintType === undefined || /^arxiv$/i.test(eprintType) ? fields.eprint : undefined;
  const text = (variable: string) => (typeof record[variable] === 'string' || typeof record[variable] === 'number' ? String(record[variable]) : undefined);
  return findArxivId(eprint, text('number'), text('DOI'), text('URL'), text('archive_location'), text('container-title'), text('note'));
}

/** An arXiv preprint as Zotero records one: a CSL "article" published by arXiv, numbered by its id. */
export function preprintRecord(arxivId: string, title: string): CslRecord {
  return { type: 'article', title, publisher: 'arXiv', number: `arXiv:${arxivId}`, URL: arxivAbsUrl(arxivId) };
}

/**
 * The record of a paper. A paper made by hand in code (or read from an old library file) has only
 * display fields: this is the one place a record is made from them. It is an arXiv preprint as
 * Zotero records one when it has no venue or a preprint server as its venue, else an article in
 * the journal its venue names; nothing else is guessed.
 */
export function recordOf(paper: Paper): CslRecord {
  if (paper.record) return paper.record;
  const preprint = !paper.venue?.trim() || isPreprintVenue(paper.venue);
  const record: CslRecord = { type: preprint ? 'article' : 'article-journal', title: paper.title };
  if (paper.authors.length > 0) record.author = paper.authors.map(cslNameOf);
  if (paper.andOthers) record.custom = { 'and-others': ['author'] };
  const arxivId = findArxivId(paper.arxivId);
  if (arxivId && preprint) Object.assign(record, { publisher: 'arXiv', number: `arXiv:${arxivId}` });
  else if (arxivId) record.custom = { ...record.custom, 'bibtex-fields': { eprint: arxivId, eprinttype: 'arXiv' } };
  const year = paper.year ?? paper.listingDate?.year;
  if (year !== undefined) record.issued = { 'date-parts': [[year]] };
  if (!preprint) record['container-title'] = paper.venue!.trim();
  if (paper.doi) record.DOI = paper.doi;
  const url = paperUrl(paper);
  if (url) record.URL = url;
  if (paper.abstract) record.abstract = paper.abstract;
  return record;
}

/** The paper's own page: arXiv, else its first safe link to the paper (not to its code). */
export function paperUrl(paper: Paper): string | undefined {
  const { arxiv, pdf, huggingFace } = paper.links;
  const arxivId = findArxivId(paper.arxivId);
  return [arxivId && arxivAbsUrl(arxivId), arxiv, pdf, huggingFace].map(safeExternalUrl).find((url) => url !== undefined);
}

/**
 * The CSL-JSON item of a paper: its record with the key as id, and "and others" written as pandoc
 * reads it (a last name `{"literal": "others"}`); the `custom` marker stays for the way back. The
 * item shares the record's values (no copy: exports write it at once, citeproc-js copies what it
 * reads), so it must not be changed.
 */
export function toCslItem(paper: Paper): CslJsonItem {
  const record = recordOf(paper);
  const item: CslJsonItem = { id: paper.key, 'citation-key': paper.key, ...record };
  for (const role of record.custom?.['and-others'] ?? []) {
    const names = record[role];
    item[role] = [...(Array.isArray(names) ? (names as CslName[]) : []), { literal: 'others' }];
  }
  return item;
}
