/** BibTeX/BibLaTeX files (Zotero + Better BibTeX, JabRef, Google Scholar exports) → papers. */
import type { Paper } from '../model';
import { parseBibtexNames, type BibtexNames } from './bibtexNames';
import { parseBibtex, resolveCrossrefs, type BibEntry } from './bibtexParser';
import { cslTypeOfEntry, NOT_PAPER_TYPES } from './bibtexTypes';
import { decodeLatex } from './latex';
import {
  checkedUrl,
  findArxivId,
  normaliseFact,
  normaliseDoi,
  paperLinks,
  splitKeywords,
  untitledLabel,
  validatePaper,
  type EntryFacts,
  type ImportedPaper,
  type ParsedSource,
  type SourceProblem,
} from './source';

/** Types whose venue is who published them rather than where. */
const PUBLISHED_BY = ['publisher', 'school', 'institution', 'organization'];
const ARXIV_PREFIX = /^arxiv$/i;
/** An entry without a title is cited by these; one with none of them has nothing to show. */
const CITABLE_BY = ['author', 'editor', 'howpublished', 'note', 'journal', 'journaltitle', 'booktitle', 'year', 'date', 'url', 'doi', 'eprint', ...PUBLISHED_BY];
/** Fields a reference manager keeps for itself: two copies of an entry may differ in them and still be one. */
const BOOKKEEPING = new Set(['abstract', 'keywords', 'groups', 'file', 'timestamp', 'owner', 'creationdate', 'modificationdate', 'date-added', 'date-modified', 'crossref', 'xdata']);

export function importBibtex(text: string): ParsedSource {
  const parsed = parseBibtex(text);
  const problems: SourceProblem[] = [...parsed.problems];
  const papers: ImportedPaper[] = [];
  for (const entry of resolveCrossrefs(parsed.entries, problems)) {
    if (NOT_PAPER_TYPES.has(entry.type)) continue;
    const imported = entryToPaper(entry, problems);
    if (imported) papers.push(imported);
  }
  return { papers, problems: problems.sort((a, b) => a.line - b.line) };
}

function entryToPaper(entry: BibEntry, problems: SourceProblem[]): ImportedPaper | undefined {
  const field = (name: string): string | undefined => {
    const value = entry.fields[name];
    return value === undefined ? undefined : decodeLatex(value) || undefined;
  };
  const title = field('title');
  if (!title && !CITABLE_BY.some(field)) {
    problems.push({ line: entry.line, message: `"${entry.key}" has no title and nothing else to cite it by; skipped`, severity: 'error', key: entry.key });
    return undefined;
  }
  const authorNames = names(entry, 'author', problems);
  const people = authorNames.authors.length > 0 ? authorNames : names(entry, 'editor', problems);
  const prefix = entry.fields.archiveprefix ?? entry.fields.eprinttype;
  const eprint = prefix === undefined || ARXIV_PREFIX.test(prefix.trim()) ? entry.fields.eprint : undefined;
  const journal = field('journal') ?? field('journaltitle');
  const doi = normaliseDoi(entry.fields.doi);
  const arxivId = findArxivId(eprint, entry.fields.doi, entry.fields.url, journal, entry.fields.note, entry.fields.number);
  const url = checkedUrl(entry.fields.url, entry.key, entry.line, problems);

  const paper: Paper = {
    key: entry.key,
    title: title ?? untitledLabel(field('howpublished'), journal, field('booktitle'), field('note'), ...PUBLISHED_BY.map(field)),
    abstract: field('abstract') ?? '',
    authors: people.authors,
    authorCount: people.authors.length,
    links: paperLinks(arxivId, url),
    topics: [],
  };
  if (people.others) paper.andOthers = true;
  const year = /\b(\d{4})\b/.exec(field('year') ?? entry.fields.date ?? '')?.[1];
  if (year) paper.year = Number(year);
  // Google Scholar writes "arXiv preprint arXiv:…" as the journal: a preprint, not a journal.
  const venue = journal && /^arxiv\b/i.test(journal) ? 'arXiv' : (journal ?? field('booktitle') ?? PUBLISHED_BY.map(field).find(Boolean) ?? (arxivId ? 'arXiv' : undefined));
  if (venue) paper.venue = venue;
  if (doi) paper.doi = doi;
  if (arxivId) paper.arxivId = arxivId;
  const validated = validatePaper(paper, entry.line, problems);
  if (!validated) return undefined;
  return {
    paper: validated,
    line: entry.line,
    keywords: [...splitKeywords(field('keywords')), ...splitKeywords(field('groups'))],
    facts: entryFacts(entry, field, Boolean(title), paper),
  };
}

function names(entry: BibEntry, field: 'author' | 'editor', problems: SourceProblem[]): BibtexNames {
  const parsed = parseBibtexNames(entry.fields[field] ?? '');
  if (parsed.emptyNames > 0) {
    problems.push({ line: entry.line, message: `"${entry.key}": the ${field} list has an empty name between two "and"s; it is skipped`, severity: 'warning', key: entry.key });
  }
  return parsed;
}

function entryFacts(entry: BibEntry, field: (name: string) => string | undefined, titled: boolean, paper: Paper): EntryFacts {
  const fields: Record<string, string> = {};
  for (const name of Object.keys(entry.fields)) {
    const value = field(name);
    if (value !== undefined && !BOOKKEEPING.has(name)) fields[name] = normaliseFact(value);
  }
  const family = (list: string) => parseBibtexNames(list).authors.map((author) => normaliseFact(author.family)).join('; ');
  const common: Record<string, string | undefined> = {
    authors: entry.fields.author && family(entry.fields.author),
    editors: entry.fields.editor && family(entry.fields.editor),
    container: fields.journal ?? fields.journaltitle ?? fields.booktitle,
    issue: entry.type === 'article' ? fields.number : fields.issue,
    number: entry.type === 'article' ? undefined : fields.number,
    publisher: PUBLISHED_BY.map((name) => fields[name]).find(Boolean),
    year: paper.year?.toString(),
  };
  for (const [name, value] of Object.entries(common)) if (value) fields[name] = value;
  return { type: cslTypeOfEntry(entry.type), titled, fields };
}
