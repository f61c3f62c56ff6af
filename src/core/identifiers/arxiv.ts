/**
 * arXiv's API answers (an Atom 1.0 feed with arXiv's and OpenSearch's extensions, as its user manual
 * describes them) → records. Errors come as entries too, often with HTTP 200: an entry whose id is
 * `…/api/errors#…`, titled "Error", with the reason as its summary.
 */
import { arxivAbsUrl } from '../urls';
import { arxivDoi } from './parse';
import { dateFromIso, MalformedAnswer, nameFromText, type FetchedRecord, type RecordName } from './record';
import { child, children, parseXml, textContent, type XmlElement } from './xml';

const ATOM = 'http://www.w3.org/2005/Atom';
const ARXIV = 'http://arxiv.org/schemas/atom';
const OPENSEARCH = 'http://a9.com/-/spec/opensearch/1.1/';

export interface ArxivEntry {
  /** Without version: `2412.02685`, `hep-th/9901001`. */
  id: string;
  version?: number;
  title: string;
  summary: string;
  authors: { name: string; affiliations: string[] }[];
  published?: string;
  updated?: string;
  doi?: string;
  journalRef?: string;
  comment?: string;
  primaryCategory?: string;
  /** Every category, the primary one first. */
  categories: string[];
}

export interface ArxivFeed {
  entries: ArxivEntry[];
  /** What arXiv's error entries say ("incorrect id format for 1234.5678"). */
  errors: string[];
  totalResults?: number;
}

export function parseArxivFeed(xml: string): ArxivFeed {
  const { root } = parseXml(xml);
  if (!root || root.name !== 'feed' || root.namespace !== ATOM) throw new MalformedAnswer('the answer is not an Atom feed');
  const entries: ArxivEntry[] = [];
  const errors: string[] = [];
  for (const element of children(root, 'entry', ATOM)) {
    const id = text(element, 'id', ATOM);
    if (/\/api\/errors\b/.test(id) || (text(element, 'title', ATOM) === 'Error' && !/arxiv\.org\/abs\//.test(id))) {
      errors.push(text(element, 'summary', ATOM) || 'arXiv reported an error');
      continue;
    }
    const entry = readEntry(element, id);
    if (entry) entries.push(entry);
  }
  const total = Number(text(root, 'totalResults', OPENSEARCH));
  return { entries, errors, ...(text(root, 'totalResults', OPENSEARCH) && Number.isFinite(total) && { totalResults: total }) };
}

function readEntry(element: XmlElement, idUrl: string): ArxivEntry | undefined {
  const match = /arxiv\.org\/abs\/(.+?)(?:v(\d+))?$/.exec(idUrl);
  const title = collapse(text(element, 'title', ATOM));
  // arXiv once answered an unknown id with an entry that has an id and nothing else.
  if (!match || !title) return undefined;
  const primary = child(element, 'primary_category', ARXIV)?.attributes.term;
  const categories = children(element, 'category', ATOM).map((category) => category.attributes.term).filter((term): term is string => Boolean(term));
  return {
    id: match[1],
    ...(match[2] && { version: Number(match[2]) }),
    title,
    summary: paragraphs(text(element, 'summary', ATOM)),
    authors: children(element, 'author', ATOM).map((author) => ({
      name: collapse(text(author, 'name', ATOM)),
      affiliations: children(author, 'affiliation', ARXIV).map((affiliation) => collapse(textContent(affiliation))).filter(Boolean),
    })).filter((author) => author.name),
    ...optional('published', text(element, 'published', ATOM)),
    ...optional('updated', text(element, 'updated', ATOM)),
    ...optional('doi', text(element, 'doi', ARXIV)),
    ...optional('journalRef', collapse(text(element, 'journal_ref', ARXIV))),
    ...optional('comment', collapse(text(element, 'comment', ARXIV))),
    ...optional('primaryCategory', primary),
    categories: [...new Set([...(primary ? [primary] : []), ...categories])],
  };
}

/**
 * The record of an arXiv entry, as Zotero records a preprint (type "article", publisher "arXiv",
 * number "arXiv:<id>", the arXiv DOI); with a journal reference it is the published article, whose
 * venue is that reference, with the journal's DOI when arXiv knows it. `issued` is the first version's
 * date (the one the id stands for), or the journal's year when the reference gives one; the version,
 * the dates of arXiv's versions, the categories and the comment go to `version`, `keyword` and `custom`.
 */
export function arxivEntryToRecord(entry: ArxivEntry): FetchedRecord {
  const record: FetchedRecord = {
    type: entry.journalRef ? 'article-journal' : 'article',
    title: entry.title,
    author: entry.authors.map((author) => nameFromText(author.name)).filter((name): name is RecordName => name !== undefined),
  };
  const issued = dateFromIso(entry.published ?? entry.updated);
  const journalYear = yearOfJournalRef(entry.journalRef, issued?.['date-parts'][0][0]);
  if (journalYear !== undefined) record.issued = { 'date-parts': [[journalYear]] };
  else if (issued) record.issued = issued;
  if (entry.summary) record.abstract = entry.summary;
  if (entry.journalRef) record['container-title'] = entry.journalRef;
  else {
    record.publisher = 'arXiv';
    record.genre = 'Preprint';
  }
  record.number = `arXiv:${entry.id}`;
  record.DOI = entry.doi ?? arxivDoi(entry.id);
  record.URL = arxivAbsUrl(entry.id);
  if (entry.version !== undefined) record.version = String(entry.version);
  if (entry.categories.length > 0) record.keyword = entry.categories.join(', ');
  const custom: Record<string, string> = { 'arxiv-id': entry.id };
  if (entry.published) custom['arxiv-published'] = entry.published;
  if (entry.updated) custom['arxiv-updated'] = entry.updated;
  if (entry.primaryCategory) custom['arxiv-primary-category'] = entry.primaryCategory;
  if (entry.comment) custom['arxiv-comment'] = entry.comment;
  record.custom = custom;
  return record;
}

/** "Phys. Rev. B 85, 115117 (2012)" → 2012: the last year in the reference, not before the preprint. */
function yearOfJournalRef(reference: string | undefined, preprintYear: number | undefined): number | undefined {
  const years = [...(reference ?? '').matchAll(/\b(?:19|20)\d{2}\b/g)].map((match) => Number(match[0]));
  const year = years[years.length - 1];
  return year !== undefined && (preprintYear === undefined || (year >= preprintYear && year <= preprintYear + 10)) ? year : undefined;
}

function text(element: XmlElement, name: string, namespace: string): string {
  const found = child(element, name, namespace);
  return found ? textContent(found).trim() : '';
}

function optional<K extends string>(name: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [name]: value } : {}) as { [P in K]?: string };
}

/** Titles and names come hard-wrapped with leading spaces. */
function collapse(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Abstracts are hard-wrapped too; a line that starts indented begins a new paragraph. */
function paragraphs(value: string): string {
  return value
    .trim()
    .split(/\n[ \t]{2,}(?=\S)/)
    .map(collapse)
    .filter(Boolean)
    .join('\n\n');
}
