/**
 * Builds the bundled library `data/papers.json` from the Daily Papers listing and the facts table.
 *
 *   npx tsx scripts/build-data.ts [--listing FILE] [--facts FILE] [--check]
 *
 * Titles, abstracts, organisations, listing dates and upvotes come from the listing; authors, arXiv
 * year, venue, arXiv id and code link from the facts table (matched by title); topics from the
 * curated `data/paper-topics.json`. Each paper's record (CSL-JSON) is built from these, its type
 * from the kind of venue (conference paper, journal article, arXiv preprint), and the paper's shown
 * fields are derived from the record as for every other source. `--check` rebuilds in memory and fails if the file is stale.
 *
 * A paper published at a venue is dated by the venue (`issued`: "ICLR 2026" is 2026), and its arXiv
 * preprint's date (the month its arXiv id was given) is kept as CSL's `available-date`, the date an
 * item was first available: citeproc-js and pandoc read it as a date, and none of the built-in
 * styles prints it, whereas `original-date` would make APA print "(Original work published 2024)"
 * and cite "2024/2025". The citation key keeps the arXiv year the bundled keys were made with, as
 * notes cite them. The author count is the facts' list of names (the listing counts only the authors
 * who claimed the paper); a list ending in "and others" keeps the listing's count when larger.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { makeCitationKey } from '../src/core/citekey';
import { parseAuthorName, parseLibraryJson } from '../src/core/library';
import { parseListing, type ListingEntry } from '../src/core/listing';
import type { CslRecord, Paper, Topic } from '../src/core/model';
import { cslNameOf, paperFromRecord, preprintRecord } from '../src/core/sources/record';
import { arxivAbsUrl, arxivPdfUrl, huggingFacePaperUrl, safeExternalUrl } from '../src/core/urls';

const ROOT = path.resolve(__dirname, '..');
const SEEDS = path.resolve(ROOT, '../shared/seeds');
export const DEFAULT_LISTING = path.join(SEEDS, '000_0680a37b8f59c41c.txt');
export const DEFAULT_FACTS = path.join(SEEDS, 'paper-facts.tsv');
const PAPERS_FILE = path.join(ROOT, 'data/papers.json');
const TOPICS_FILE = path.join(ROOT, 'data/topics.json');
const PAPER_TOPICS_FILE = path.join(ROOT, 'data/paper-topics.json');

const FACT_COLUMNS = ['seed_title', 'arxiv_id', 'authors', 'year', 'venue', 'code_url'] as const;
const NEW_STYLE_ARXIV_ID = /^\d{4}\.\d{4,5}$/;
const MAX_TOPICS_PER_PAPER = 3;
/** How a facts row's author list says that more people wrote the paper than it names. */
const AND_OTHERS = /^(?:and\s+)?others$|^et\s+al\.?$/i;

interface Fact {
  line: number;
  title: string;
  arxivId: string;
  authors: string[];
  /** The author list ends in "and others". */
  andOthers: boolean;
  /** The year of the arXiv preprint. */
  year: number;
  venue: string;
  codeUrl: string;
}

/**
 * Venues the facts table describes rather than names, by arXiv id, replaced by the venue itself.
 * The facts' text is stated too, so that a corrected facts table fails the build instead of being
 * overwritten.
 */
const VENUE_CORRECTIONS: ReadonlyMap<string, { facts: string; venue: string; year: number }> = new Map([
  // The ACM Digital Library's page of the DOI names the journal; OpenAlex dates the article 2026.
  ['2507.04136', { facts: 'ACM journal article, DOI 10.1145/3834858 (2026 per OpenAlex record)', venue: 'ACM Transactions on Intelligent Systems and Technology', year: 2026 }],
]);

export interface BuildInputs {
  listingText: string;
  factsText: string;
  topicsJson: unknown;
  paperTopicsJson: unknown;
}

export interface BuildResult {
  papers: Paper[];
  /** Facts that disagree with the listing: worth knowing, not worth failing for. */
  notes: string[];
}

/** Thrown with every problem found, so one run shows them all. */
export class BuildError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Case, accents, punctuation and spacing do not matter when matching a facts row to a listing title. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function buildPapers(inputs: BuildInputs): BuildResult {
  const problems: string[] = [];
  const notes: string[] = [];

  const listing = parseListing(inputs.listingText);
  for (const problem of listing.problems) problems.push(`listing line ${problem.line}: ${problem.message}`);
  const facts = parseFacts(inputs.factsText, problems);
  const topics = readTopics(inputs.topicsJson, problems);
  const topicsByArxivId = readPaperTopics(inputs.paperTopicsJson, new Set(topics.map((topic) => topic.id)), problems);

  const factsByTitle = new Map(facts.map((fact) => [normalizeTitle(fact.title), fact]));
  const usedFacts = new Set<Fact>();
  const papers: Paper[] = [];
  for (const entry of listing.entries) {
    const fact = factsByTitle.get(normalizeTitle(entry.title));
    if (!fact) {
      problems.push(`listing line ${entry.line}: no facts row for "${entry.title}"`);
      continue;
    }
    usedFacts.add(fact);
    const assigned = topicsByArxivId.get(fact.arxivId);
    if (!assigned) {
      problems.push(`paper-topics.json: no topics for ${fact.arxivId} "${entry.title}"`);
      continue;
    }
    if (normalizeTitle(assigned.title) !== normalizeTitle(entry.title)) {
      problems.push(`paper-topics.json: ${fact.arxivId} is titled "${assigned.title}" but the listing says "${entry.title}"`);
    }
    const paper = toPaper(entry, fact, assigned.topics, notes, problems);
    if (paper) papers.push(paper);
  }
  for (const fact of facts) {
    if (!usedFacts.has(fact)) problems.push(`facts line ${fact.line}: "${fact.title}" is not in the listing`);
  }
  const factIds = new Set(facts.map((fact) => fact.arxivId));
  for (const arxivId of VENUE_CORRECTIONS.keys()) {
    if (!factIds.has(arxivId)) problems.push(`venue correction: ${arxivId} is not in the facts table`);
  }
  for (const arxivId of topicsByArxivId.keys()) {
    if (!factIds.has(arxivId)) problems.push(`paper-topics.json: ${arxivId} is not in the facts table`);
  }
  checkKeys(papers, problems);
  // The extension validates the library when it loads it; the bundled data must pass without a word.
  if (problems.length === 0) {
    for (const problem of parseLibraryJson({ papers, topics }).problems) problems.push(`generated data: ${problem}`);
  }

  if (problems.length > 0) throw new BuildError(problems);
  return { papers, notes };
}

function toPaper(entry: ListingEntry, fact: Fact, topics: string[], notes: string[], problems: string[]): Paper | undefined {
  const problemsBefore = problems.length;
  const authors = fact.authors.map(parseAuthorName);
  const { venue, doi, year: venueYear } = venueOf(fact, problems);
  const code = safeExternalUrl(fact.codeUrl);
  const httpsCode = code?.startsWith('https://') ? code : undefined;
  if (fact.codeUrl && !httpsCode) notes.push(`${fact.arxivId}: code link "${fact.codeUrl}" is not an https address; left out`);
  if (entry.authorCount !== undefined && entry.authorCount !== authors.length) {
    notes.push(`${fact.arxivId}: the listing says ${entry.authorCount} author(s), the facts name ${authors.length}`);
  }
  if (entry.date?.year !== undefined && entry.date.year !== fact.year) {
    notes.push(`${fact.arxivId}: listed on a ${entry.date.year} date, facts give the year ${fact.year}`);
  }
  const preprintDate = arxivIdDate(fact.arxivId);
  if (preprintDate[0] !== fact.year) problems.push(`facts line ${fact.line}: arXiv id ${fact.arxivId} is from ${preprintDate[0]}, the facts give the year ${fact.year}`);
  const kind = venueKind(venue);
  if (kind !== 'preprint' && venueYear === undefined) problems.push(`facts line ${fact.line}: the venue "${venue}" names no year`);
  if (venueYear !== undefined && venueYear < fact.year) problems.push(`facts line ${fact.line}: the venue "${venue}" is older than the arXiv preprint (${fact.year})`);
  if (problems.length > problemsBefore) return undefined;

  const record: CslRecord =
    kind === 'preprint'
      ? preprintRecord(fact.arxivId, entry.title)
      : { type: kind === 'conference' ? 'paper-conference' : 'article-journal', title: entry.title, 'container-title': venue, URL: arxivAbsUrl(fact.arxivId) };
  record.author = authors.map(cslNameOf);
  if (fact.andOthers) record.custom = { 'and-others': ['author'] };
  record.issued = { 'date-parts': [[kind === 'preprint' ? fact.year : (venueYear as number)]] };
  if (kind !== 'preprint') record['available-date'] = { 'date-parts': [preprintDate] };
  if (doi) record.DOI = doi;
  if (entry.abstract) record.abstract = entry.abstract;
  const authorCount = fact.andOthers ? Math.max(entry.authorCount ?? 0, authors.length) : authors.length;
  return paperFromRecord(makeCitationKey({ authors, year: fact.year, title: entry.title }), record, {
    authorCount,
    ...(entry.date && { listingDate: entry.date }),
    ...(entry.organization && { organization: entry.organization }),
    ...(entry.upvotes !== undefined && { upvotes: entry.upvotes }),
    links: { arxiv: arxivAbsUrl(fact.arxivId), pdf: arxivPdfUrl(fact.arxivId), huggingFace: huggingFacePaperUrl(fact.arxivId), ...(httpsCode && { code: httpsCode }) },
    topics,
  });
}

/** A new-style arXiv id ("2412.02685") is numbered by the year and month of its first version. */
function arxivIdDate(arxivId: string): [number, number] {
  return [2000 + Number(arxivId.slice(0, 2)), Number(arxivId.slice(2, 4))];
}

/** The kinds of venue in the facts table: the record's type comes from them. */
const PREPRINT_VENUE = /^(?:arxiv|corr)\b/i;
const CONFERENCE_VENUE = /\b(?:ICLR|ICML|NeurIPS|ACL|EMNLP|EACL|NAACL|COLING|COLM|CVPR|ICCV|ECCV|RLC|AAAI|IJCAI|KDD)\b|\b(?:conference|workshop|symposium|proceedings|findings)\b/i;

function venueKind(venue: string | undefined): 'preprint' | 'conference' | 'journal' {
  if (!venue || PREPRINT_VENUE.test(venue)) return 'preprint';
  return CONFERENCE_VENUE.test(venue) ? 'conference' : 'journal';
}

/**
 * The facts table annotates venues with their provenance ("ICLR 2026 (per one citing reference)");
 * the annotation would split the venue grouping, so only the venue itself is kept. A DOI written
 * into the venue ("…, DOI 10.1145/...") becomes the paper's DOI. The venue's year is the year in its
 * name ("Findings of EACL 2026"), or the correction's.
 */
function venueOf(fact: Fact, problems: string[]): { venue?: string; doi?: string; year?: number } {
  const doiMatch = /,?\s*\bDOI:?\s*(10\.\d{4,9}\/[^\s,;()]+)/i.exec(fact.venue);
  const doi = doiMatch?.[1];
  const correction = VENUE_CORRECTIONS.get(fact.arxivId);
  if (correction) {
    if (correction.facts !== fact.venue) problems.push(`facts line ${fact.line}: the venue correction for ${fact.arxivId} expects "${correction.facts}", the facts say "${fact.venue}"`);
    return { venue: correction.venue, year: correction.year, ...(doi && { doi }) };
  }
  const withoutNote = fact.venue.replace(/\s*\(.*\)\s*$/, '').trim();
  const venue = doiMatch ? withoutNote.replace(doiMatch[0], '').trim() : withoutNote;
  const year = /\b(?:19|20)\d{2}\b/.exec(venue)?.[0];
  return { ...(venue && { venue }), ...(doi && { doi }), ...(year && { year: Number(year) }) };
}

/** Keys are what users cite, so a clash fails the build rather than quietly renaming a paper by listing order. */
function checkKeys(papers: Paper[], problems: string[]): void {
  const byKey = new Map<string, Paper[]>();
  for (const paper of papers) byKey.set(paper.key, [...(byKey.get(paper.key) ?? []), paper]);
  for (const [key, clashing] of byKey) {
    if (clashing.length > 1) problems.push(`citation key clash "${key}": ${clashing.map((paper) => paper.arxivId).join(', ')}`);
  }
}

function parseFacts(text: string, problems: string[]): Fact[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const header = lines[0].split('\t');
  const column = new Map(header.map((name, index) => [name.trim(), index]));
  const missing = FACT_COLUMNS.filter((name) => !column.has(name));
  if (missing.length > 0) {
    problems.push(`facts: missing column(s) ${missing.join(', ')}`);
    return [];
  }
  const facts: Fact[] = [];
  const seenIds = new Set<string>();
  const seenTitles = new Set<string>();
  lines.slice(1).forEach((line, index) => {
    const lineNumber = index + 2;
    if (!line.trim()) return;
    const cells = line.split('\t');
    const cell = (name: (typeof FACT_COLUMNS)[number]) => (cells[column.get(name) ?? -1] ?? '').trim();
    const where = `facts line ${lineNumber}`;
    const names = cell('authors').split(';').map((name) => name.trim()).filter(Boolean);
    const andOthers = names.length > 0 && AND_OTHERS.test(names[names.length - 1]);
    const fact: Fact = {
      line: lineNumber,
      title: cell('seed_title'),
      arxivId: cell('arxiv_id'),
      authors: andOthers ? names.slice(0, -1) : names,
      andOthers,
      year: Number(cell('year')),
      venue: cell('venue'),
      codeUrl: cell('code_url'),
    };
    const rowProblems = [
      !fact.title && 'no title',
      !NEW_STYLE_ARXIV_ID.test(fact.arxivId) && `malformed arXiv id "${fact.arxivId}"`,
      fact.authors.length === 0 && 'no authors',
      !(Number.isInteger(fact.year) && fact.year >= 1900 && fact.year <= 2100) && `unreadable year "${cell('year')}"`,
      seenIds.has(fact.arxivId) && `arXiv id ${fact.arxivId} appears twice`,
      seenTitles.has(normalizeTitle(fact.title)) && `title "${fact.title}" appears twice`,
    ].filter((problem): problem is string => typeof problem === 'string');
    for (const problem of rowProblems) problems.push(`${where}: ${problem}`);
    seenIds.add(fact.arxivId);
    seenTitles.add(normalizeTitle(fact.title));
    if (rowProblems.length === 0) facts.push(fact);
  });
  return facts;
}

function readTopics(json: unknown, problems: string[]): Topic[] {
  const parsed = parseLibraryJson({ papers: [], topics: isObject(json) ? json.topics : undefined });
  for (const problem of parsed.problems) problems.push(`topics.json: ${problem}`);
  return parsed.library.topics;
}

function readPaperTopics(json: unknown, topicIds: ReadonlySet<string>, problems: string[]): Map<string, { title: string; topics: string[] }> {
  const result = new Map<string, { title: string; topics: string[] }>();
  if (!isObject(json)) {
    problems.push('paper-topics.json: expected an object keyed by arXiv id');
    return result;
  }
  for (const [arxivId, value] of Object.entries(json)) {
    const where = `paper-topics.json: ${arxivId}`;
    const topics = isObject(value) && Array.isArray(value.topics) ? value.topics : undefined;
    if (!isObject(value) || typeof value.title !== 'string' || !topics) {
      problems.push(`${where}: expected { "title": text, "topics": [topic ids] }`);
      continue;
    }
    const unknown = topics.filter((topic) => typeof topic !== 'string' || !topicIds.has(topic));
    if (unknown.length > 0) problems.push(`${where}: unknown topic(s) ${unknown.map(String).join(', ')}`);
    if (new Set(topics).size !== topics.length) problems.push(`${where}: a topic is listed twice`);
    if (topics.length < 1 || topics.length > MAX_TOPICS_PER_PAPER) problems.push(`${where}: needs 1 to ${MAX_TOPICS_PER_PAPER} topics, has ${topics.length}`);
    result.set(arxivId, { title: value.title, topics: topics.filter((topic): topic is string => typeof topic === 'string') });
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function serializePapers(papers: Paper[]): string {
  return `${JSON.stringify({ papers }, null, 2)}\n`;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      listing: { type: 'string', default: DEFAULT_LISTING },
      facts: { type: 'string', default: DEFAULT_FACTS },
      check: { type: 'boolean', default: false },
    },
  });
  const { papers, notes } = buildPapers({
    listingText: readFileSync(path.resolve(values.listing), 'utf8'),
    factsText: readFileSync(path.resolve(values.facts), 'utf8'),
    topicsJson: readJson(TOPICS_FILE),
    paperTopicsJson: readJson(PAPER_TOPICS_FILE),
  });
  for (const note of notes) console.log(`note: ${note}`);
  const output = serializePapers(papers);
  const relative = path.relative(process.cwd(), PAPERS_FILE);
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(PAPERS_FILE, 'utf8');
    } catch {
      // A missing file is simply out of date.
    }
    if (current !== output) {
      console.error(`${relative} is out of date: run npm run build:data`);
      process.exitCode = 1;
      return;
    }
    console.log(`${relative} is up to date (${papers.length} papers)`);
    return;
  }
  writeFileSync(PAPERS_FILE, output);
  console.log(`wrote ${papers.length} papers to ${relative}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`build-data: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
