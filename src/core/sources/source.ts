/** What every library source (BibTeX, CSL-JSON, listing) turns its file into. */
import { parseLibraryJson } from '../library';
import type { SourceTopic } from '../topics/sourceTopics';
import type { Paper, PaperLinks } from '../model';
import { fold } from '../search/text';
import { ARXIV_ID, arxivAbsUrl, arxivPdfUrl, safeExternalUrl } from '../urls';

export type SourceKind = 'bibtex' | 'csl-json' | 'listing';

export interface SourceProblem {
  /** 1-based line in the source file. */
  line: number;
  message: string;
  /** Errors lose an entry; warnings lose a detail. */
  severity: 'error' | 'warning';
  /** The citation key of the entry, when it got that far: its last good version can stand in. */
  key?: string;
}

export interface ImportedPaper {
  paper: Paper;
  /** 1-based line where the entry starts. */
  line: number;
  /** Keywords as the file gives them; topics when enough papers share one (see topics/sourceTopics.ts). */
  keywords: string[];
  /** The ids of the source's own topics (`ParsedSource.topics`) the entry is in: its groups or collections. */
  topics?: string[];
}

export interface ParsedSource {
  papers: ImportedPaper[];
  problems: SourceProblem[];
  /** The topics the source defines itself (JabRef groups, collections), parents before children. */
  topics?: SourceTopic[];
}

/** The `.bib`, `.json` and `.txt`/`.md` files a library can be read from. */
export function sourceKindOf(fileName: string): SourceKind | undefined {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'bib' || extension === 'bibtex') return 'bibtex';
  if (extension === 'json') return 'csl-json';
  if (extension === 'txt' || extension === 'md' || extension === 'markdown') return 'listing';
  return undefined;
}

const ARXIV_ID_ONLY = new RegExp(`^${ARXIV_ID}$`);
/** "arXiv:2412.02685", "arxiv.org/abs/2412.02685v2", "10.48550/arXiv.2412.02685". */
const ARXIV_IN_TEXT = new RegExp(`arxiv(?:\\.org/(?:abs|pdf)/|[.:]\\s*)${ARXIV_ID}`, 'i');
const DOI = /^10\.\d{4,9}\/\S+$/;

/** The version-less arXiv id in an eprint field, a URL, an arXiv DOI or a note. */
export function findArxivId(...candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const text = candidate?.trim();
    if (!text) continue;
    const match = ARXIV_ID_ONLY.exec(text) ?? ARXIV_IN_TEXT.exec(text);
    if (match) return match[1];
  }
  return undefined;
}

/** A bare DOI from "10.1038/x", "doi:10.1038/x" or "https://doi.org/10.1038/x"; undefined when it is none. */
export function normaliseDoi(raw: string | undefined): string | undefined {
  const doi = raw?.trim().replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)/i, '');
  return doi && DOI.test(doi) ? doi : undefined;
}

/** Links from an arXiv id and the entry's own URL (code hosts, Hugging Face pages, PDFs). */
export function paperLinks(arxivId: string | undefined, url: string | undefined): PaperLinks {
  const links: PaperLinks = arxivId ? { arxiv: arxivAbsUrl(arxivId), pdf: arxivPdfUrl(arxivId) } : {};
  const safe = safeExternalUrl(url);
  if (!safe) return links;
  const { hostname, pathname } = new URL(safe);
  if (/(?:^|\.)(?:github\.com|gitlab\.com)$/.test(hostname)) links.code = safe;
  else if (hostname === 'huggingface.co' && pathname.startsWith('/papers/')) links.huggingFace = safe;
  else if (/\.pdf$/i.test(pathname) && !links.pdf) links.pdf = safe;
  return links;
}

/**
 * Checks a paper built from a source with the same rules as the bundled library (key, title, links
 * that only ever open http(s), arXiv id form); what fails is reported at the entry's line.
 */
export function validatePaper(candidate: Paper, line: number, problems: SourceProblem[]): Paper | undefined {
  // The record was checked as it was read; the shown fields derived from it are checked here.
  const { record, ...shown } = candidate;
  const { library, problems: found } = parseLibraryJson({ papers: [shown], topics: [] });
  for (const message of found) {
    problems.push({ line, message: message.replace(/^papers\[0\](?: \("[^"]*"\))?: /, `"${candidate.key}": `), severity: library.papers.length ? 'warning' : 'error', key: candidate.key });
  }
  const [paper] = library.papers;
  return paper && record ? { ...paper, record } : paper;
}

/** Splits "rl, llm; agents" into keywords. */
export function splitKeywords(text: string | undefined): string[] {
  return (text ?? '').split(/[,;]/).map((word) => word.trim()).filter(Boolean);
}

/** What an untitled entry is shown as: how it was published, where, or its note. */
export function untitledLabel(...candidates: (string | undefined)[]): string {
  return candidates.find((candidate) => candidate?.trim())?.trim() ?? 'Untitled';
}

/** A value for comparison: case, accents, punctuation and spacing aside. */
export function normaliseFact(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
