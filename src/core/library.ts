import type { Author, Library, PartialDate, Paper, PaperLinks, Topic } from './model';
import { LINK_KINDS } from './links';
import { parseCslRecord } from './sources/cslRecord';
import { ARXIV_ID, safeExternalUrl } from './urls';

/**
 * Validation of library data read from disk, and the small text helpers the views share.
 * Library files are data, not code: a bad record is skipped or trimmed and reported, never thrown.
 */

export interface ParsedLibrary {
  library: Library;
  /** One readable line per skipped record or ignored field. */
  problems: string[];
}

const TOPIC_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Citation keys end up in Markdown (`[@key]`) and file names: no whitespace or brackets. */
const CITATION_KEY = /^[\p{L}\p{N}_:.+\-/]+$/u;
const ARXIV_ID_ONLY = new RegExp(`^${ARXIV_ID}$`);

type Json = Record<string, unknown>;

/**
 * Validates `{ "papers": Paper[], "topics": Topic[] }` (the bundled `papers.json` and `topics.json`
 * merged into one object). Topic ids a paper names but the topic list lacks are dropped from the paper.
 */
export function parseLibraryJson(json: unknown): ParsedLibrary {
  const problems: string[] = [];
  if (!isRecord(json)) {
    return { library: { papers: [], topics: [] }, problems: ['library: expected an object with "papers" and "topics" lists'] };
  }
  const topics = parseList(json.topics, 'topics', problems, parseTopic, { field: 'id', of: (topic) => topic.id });
  const topicIds = new Set(topics.map((topic) => topic.id));
  const papers = parseList(json.papers, 'papers', problems, (value, report) => parsePaper(value, report, topicIds), { field: 'key', of: (paper) => paper.key });
  return { library: { papers, topics }, problems };
}

type Report = (message: string) => void;

/** Parses each element; skips invalid ones and ones whose identity repeats an earlier element. */
function parseList<T>(
  value: unknown,
  name: string,
  problems: string[],
  parse: (value: unknown, report: Report) => T | undefined,
  identity: { field: string; of: (item: T) => string },
): T[] {
  if (!Array.isArray(value)) {
    problems.push(`${name}: expected a list`);
    return [];
  }
  const seen = new Set<string>();
  const items: T[] = [];
  value.forEach((element, index) => {
    const report: Report = (message) => problems.push(`${name}[${index}]${describeElement(element)}: ${message}`);
    const item = parse(element, report);
    if (item === undefined) return;
    const id = identity.of(item);
    if (seen.has(id)) {
      report(`an earlier entry has the same ${identity.field}; skipped`);
      return;
    }
    seen.add(id);
    items.push(item);
  });
  return items;
}

function describeElement(element: unknown): string {
  if (!isRecord(element)) return '';
  const label = [element.key, element.id].find((value) => typeof value === 'string');
  return typeof label === 'string' ? ` ("${label}")` : '';
}

function parseTopic(value: unknown, report: Report): Topic | undefined {
  if (!isRecord(value)) return skip(report, 'expected an object');
  if (typeof value.id !== 'string' || !TOPIC_ID.test(value.id)) return skip(report, '"id" must be kebab-case text');
  if (!nonEmptyString(value.label)) return skip(report, '"label" must be non-empty text');
  const description = typeof value.description === 'string' ? value.description : '';
  return { id: value.id, label: value.label, description };
}

function parsePaper(value: unknown, report: Report, topicIds: ReadonlySet<string>): Paper | undefined {
  if (!isRecord(value)) return skip(report, 'expected an object');
  if (typeof value.key !== 'string' || !CITATION_KEY.test(value.key)) return skip(report, '"key" must be text without spaces or brackets');
  if (!nonEmptyString(value.title)) return skip(report, '"title" must be non-empty text');
  const ignore = (field: string, expected: string) => report(`"${field}" must be ${expected}; ignored`);
  const optional = <T>(field: string, parse: (raw: unknown) => T | undefined, expected: string): T | undefined => {
    const raw = value[field];
    if (raw === undefined) return undefined;
    const parsed = parse(raw);
    if (parsed === undefined) ignore(field, expected);
    return parsed;
  };

  const authors = optional('authors', asList, 'a list') ?? [];
  const validAuthors = authors.flatMap((raw, index) => {
    const author = parseAuthor(raw);
    if (!author) ignore(`authors[${index}]`, 'an object with a non-empty "family"');
    return author ? [author] : [];
  });
  const paper: Paper = {
    key: value.key,
    title: value.title,
    abstract: optional('abstract', (raw) => (typeof raw === 'string' ? raw : undefined), 'text') ?? '',
    authors: validAuthors,
    authorCount: optional('authorCount', count, 'a whole number ≥ 0') ?? validAuthors.length,
    links: parseLinks(optional('links', (raw) => (isRecord(raw) ? raw : undefined), 'an object') ?? {}, ignore),
    topics: [],
  };
  const year = optional('year', fourDigitYear, 'a four-digit year');
  if (year !== undefined) paper.year = year;
  const listingDate = optional('listingDate', parsePartialDate, 'a date { year?, month, day }');
  if (listingDate) paper.listingDate = listingDate;
  for (const field of ['venue', 'organization', 'doi'] as const) {
    const text = optional(field, (raw) => (nonEmptyString(raw) ? raw : undefined), 'non-empty text');
    if (text !== undefined) paper[field] = text;
  }
  if (optional('andOthers', (raw) => (typeof raw === 'boolean' ? raw : undefined), 'true or false')) paper.andOthers = true;
  const record = optional('record', (raw) => parseCslRecord(raw, (message) => report(`record: ${message}`)), 'a CSL-JSON item');
  if (record) paper.record = record;
  const upvotes = optional('upvotes', count, 'a whole number ≥ 0');
  if (upvotes !== undefined) paper.upvotes = upvotes;
  const arxivId = optional('arxivId', (raw) => (typeof raw === 'string' && ARXIV_ID_ONLY.test(raw) ? raw : undefined), 'an arXiv identifier such as "2412.02685"');
  if (arxivId !== undefined) paper.arxivId = arxivId;
  const topics = optional('topics', asList, 'a list') ?? [];
  topics.forEach((topic, index) => {
    if (typeof topic === 'string' && topicIds.has(topic)) {
      if (!paper.topics.includes(topic)) paper.topics.push(topic);
    } else {
      ignore(`topics[${index}]`, 'the id of a known topic');
    }
  });
  return paper;
}

function parseAuthor(raw: unknown): Author | undefined {
  if (!isRecord(raw) || !nonEmptyString(raw.family)) return undefined;
  return { given: typeof raw.given === 'string' ? raw.given : '', family: raw.family };
}

function parseLinks(raw: Json, ignore: (field: string, expected: string) => void): PaperLinks {
  const links: PaperLinks = {};
  for (const field of LINK_KINDS) {
    if (raw[field] === undefined) continue;
    // Links open in the browser: anything but http(s) could run code.
    const url = typeof raw[field] === 'string' ? safeExternalUrl(raw[field]) : undefined;
    if (url) links[field] = url;
    else ignore(`links.${field}`, 'an http(s) address');
  }
  return links;
}

function parsePartialDate(raw: unknown): PartialDate | undefined {
  if (!isRecord(raw) || !Number.isInteger(raw.month) || !Number.isInteger(raw.day)) return undefined;
  const month = raw.month as number;
  const day = raw.day as number;
  const year = fourDigitYear(raw.year);
  if (raw.year !== undefined && year === undefined) return undefined;
  // Year-less dates keep Feb 29 possible.
  const lastDay = new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > lastDay) return undefined;
  return year === undefined ? { month, day } : { year, month, day };
}

function fourDigitYear(raw: unknown): number | undefined {
  return Number.isInteger(raw) && (raw as number) >= 1000 && (raw as number) <= 9999 ? (raw as number) : undefined;
}

function asList(raw: unknown): unknown[] | undefined {
  return Array.isArray(raw) ? raw : undefined;
}

function count(raw: unknown): number | undefined {
  return Number.isInteger(raw) && (raw as number) >= 0 ? (raw as number) : undefined;
}

function skip(report: Report, message: string): undefined {
  report(`${message}; skipped`);
  return undefined;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Family-name particles that start the family name even when capitalised ("Ronan Le Bras"). */
const CAPITALISED_PARTICLES = new Set(['Le', 'La', 'De', 'Di', 'Da', 'Du', 'Van', 'Von', 'Der', 'Den', 'Del', 'Della', 'Dos', 'Das', 'Ter', 'Ten']);
const GENERATIONAL_SUFFIX = /^(?:Jr|Sr|II|III|IV)\.?$/;

/**
 * Splits a display name into given and family names: "Danica J. Sutherland" → "Danica J." +
 * "Sutherland", "Mihaela van der Schaar" → "Mihaela" + "van der Schaar". "Family, Given" is honoured
 * as written; a single word is a family name (or an institution).
 */
export function parseAuthorName(name: string): Author {
  const clean = name.trim().replace(/\s+/g, ' ');
  const comma = /^([^,]+),\s*(.+)$/.exec(clean);
  if (comma && !GENERATIONAL_SUFFIX.test(comma[2])) return { given: comma[2], family: comma[1] };
  const words = clean.replace(/,/g, '').split(' ').filter(Boolean);
  const suffixWords = words.length > 2 && GENERATIONAL_SUFFIX.test(words[words.length - 1]) ? 1 : 0;
  const core = words.slice(0, words.length - suffixWords);
  if (core.length <= 1) return { given: '', family: words.join(' ') };
  const isParticle = (word: string) => /^[a-z]+$/.test(word) || CAPITALISED_PARTICLES.has(word);
  let familyStart = core.length - 1;
  for (let index = 1; index < core.length - 1; index++) {
    if (isParticle(core[index])) {
      familyStart = index;
      break;
    }
  }
  return { given: core.slice(0, familyStart).join(' '), family: words.slice(familyStart).join(' ') };
}

type AuthorFields = Pick<Paper, 'authors' | 'authorCount' | 'organization' | 'andOthers'>;

/** Short author label for lists: "Zhou", "Zhou and Zhang", "Zhou et al.". */
export function firstAuthorLabel(paper: AuthorFields): string {
  const first = paper.authors[0];
  if (!first) return paper.organization ?? 'Anonymous';
  const total = Math.max(paper.authors.length, paper.authorCount) + (paper.andOthers ? 1 : 0);
  if (total <= 1) return first.family;
  if (total === 2 && paper.authors.length === 2) return `${first.family} and ${paper.authors[1].family}`;
  return `${first.family} et al.`;
}

/** An author as the views name them: "Danica J. Sutherland"; an institution or single name as it is. */
export function authorName(author: Author): string {
  return author.given ? `${author.given} ${author.family}` : author.family;
}

/** The full author line: "Wenxuan Zhou, Shujian Zhang, Lingxiao Zhao and Tao Meng", "… and 2 more" when only some names are known, "… et al." after "and others". */
export function formatAuthors(paper: AuthorFields): string {
  const names = paper.authors.map(authorName);
  // "and others" in the source: the list is known to be incomplete, however many names it has.
  if (paper.andOthers && names.length > 0) return `${names.join(', ')} et al.`;
  return authorLine(names, paper.authorCount - paper.authors.length);
}

/**
 * The one rule for an author line, from names already formatted (the detail panel gets them so):
 * "A, B, C and D"; `unnamed` authors the source counts but does not name are "and 2 more";
 * "4 authors" when none is named; empty when there are none.
 */
export function authorLine(names: readonly string[], unnamed: number): string {
  const parts = unnamed > 0 && names.length > 0 ? [...names, `${unnamed} more`] : names;
  if (parts.length === 0) return unnamed > 0 ? `${unnamed} ${unnamed === 1 ? 'author' : 'authors'}` : '';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "arXiv", "arXiv preprint", "CoRR abs/…": a preprint server, not a venue (grouping; the record of a paper made by hand). */
export function isPreprintVenue(venue: string | undefined): boolean {
  return /^\s*(?:arxiv|corr)\b/i.test(venue ?? '');
}

/** "ICML 2024", or "arXiv, 2024" when the venue names no year of its own: the year is never said twice. */
export function venueLabel(paper: Pick<Paper, 'venue' | 'year'>): string {
  const venue = paper.venue?.trim();
  if (!venue) return paper.year === undefined ? '' : String(paper.year);
  return paper.year === undefined || /\b(?:19|20)\d\d\b/.test(venue) ? venue : `${venue}, ${paper.year}`;
}

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|No|approx|resp|Dr|Mr|Mrs|Ms|Prof|St)\.$/i;

/** The first sentence of an abstract, for tooltips and previews; the whole text when it has one sentence. */
export function firstSentence(text: string): string {
  const trimmed = text.trim();
  const boundary = /[.!?]+["'”’)\]]*(?=\s+|$)/g;
  for (let match = boundary.exec(trimmed); match; match = boundary.exec(trimmed)) {
    const end = match.index + match[0].length;
    const before = trimmed.slice(0, end);
    const after = trimmed.slice(end).trimStart();
    if (ABBREVIATIONS.test(before.replace(/["'”’)\]]+$/, ''))) continue;
    // A lower-case continuation means the full stop was part of an abbreviation or a name.
    if (after && !/^["'“‘([]?[\p{Lu}\p{N}]/u.test(after)) continue;
    return before;
  }
  return trimmed;
}
