/** BibTeX/BibLaTeX files (Zotero + Better BibTeX, JabRef, Google Scholar exports) → papers. */
import type { Paper } from '../model';
import { parseBibtexNames } from './bibtexNames';
import { parseBibtex, resolveCrossrefs, type BibEntry } from './bibtexParser';
import { decodeLatex } from './latex';
import { findArxivId, normaliseDoi, paperLinks, splitKeywords, validatePaper, type ImportedPaper, type ParsedSource, type SourceProblem } from './source';

/** Entry types that hold data for other entries, not papers. */
const NOT_PAPERS = new Set(['xdata', 'set']);
/** Types whose venue is who published them rather than where. */
const PUBLISHED_BY = ['publisher', 'school', 'institution', 'organization'];
const ARXIV_PREFIX = /^arxiv$/i;

export function importBibtex(text: string): ParsedSource {
  const parsed = parseBibtex(text);
  const problems: SourceProblem[] = [...parsed.problems];
  const papers: ImportedPaper[] = [];
  for (const entry of resolveCrossrefs(parsed.entries, problems)) {
    if (NOT_PAPERS.has(entry.type)) continue;
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
  if (!title) {
    problems.push({ line: entry.line, message: `"${entry.key}" has no title; skipped`, severity: 'error', key: entry.key });
    return undefined;
  }
  const names = parseBibtexNames(entry.fields.author ?? entry.fields.editor ?? '');
  const prefix = entry.fields.archiveprefix ?? entry.fields.eprinttype;
  const eprint = prefix === undefined || ARXIV_PREFIX.test(prefix.trim()) ? entry.fields.eprint : undefined;
  const journal = field('journal') ?? field('journaltitle');
  const doi = normaliseDoi(entry.fields.doi);
  const arxivId = findArxivId(eprint, entry.fields.doi, entry.fields.url, journal, entry.fields.note, entry.fields.number);

  const paper: Paper = {
    key: entry.key,
    title,
    abstract: field('abstract') ?? '',
    authors: names.authors,
    authorCount: names.authors.length + (names.others ? 1 : 0),
    links: paperLinks(arxivId, entry.fields.url),
    topics: [],
  };
  const year = /\b(\d{4})\b/.exec(entry.fields.year ?? entry.fields.date ?? '')?.[1];
  if (year) paper.year = Number(year);
  // Google Scholar writes "arXiv preprint arXiv:…" as the journal: a preprint, not a journal.
  const venue = journal && /^arxiv\b/i.test(journal) ? 'arXiv' : (journal ?? field('booktitle') ?? PUBLISHED_BY.map(field).find(Boolean) ?? (arxivId ? 'arXiv' : undefined));
  if (venue) paper.venue = venue;
  if (doi) paper.doi = doi;
  if (arxivId) paper.arxivId = arxivId;
  const validated = validatePaper(paper, entry.line, problems);
  if (!validated) return undefined;
  return { paper: validated, line: entry.line, keywords: [...splitKeywords(field('keywords')), ...splitKeywords(field('groups'))] };
}
