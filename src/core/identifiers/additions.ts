/**
 * What happens between a fetched record and the user's file: is the paper in the library already
 * (same DOI, arXiv id or title), which citation key it gets (Better BibTeX style, unique in the
 * library), and the record as a CSL-JSON item and as a paper.
 */
import { disambiguateKey, makeCitationKey } from '../citekey';
import type { Author, Paper } from '../model';
import { importCslJson } from '../sources/cslJsonImport';
import { titleIdentity } from '../sources/merge';
import { findArxivId, normaliseDoi } from '../sources/source';
import type { Identifier } from './parse';
import { nameLabel, yearOfRecord, type FetchedRecord, type RecordName } from './record';

/** What tells two records of one paper apart from two papers. */
export interface Identity {
  doi?: string;
  arxivId?: string;
  title?: string;
}

export type MatchReason = 'DOI' | 'arXiv id' | 'title';

export interface LibraryMatch {
  paper: Paper;
  by: MatchReason;
}

/** A CSL-JSON item: the record with the citation key as its id. */
export type RecordItem = FetchedRecord & { id: string };

export function identityOfIdentifier(identifier: Identifier): Identity {
  if (identifier.kind === 'arxiv') return { arxivId: identifier.id };
  if (identifier.kind === 'doi') return { doi: identifier.doi };
  return {};
}

export function identityOfRecord(record: FetchedRecord): Identity {
  const text = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : undefined);
  const arxivId = record.custom?.['arxiv-id'] ?? findArxivId(text('number'), record.DOI, record.URL);
  const doi = normaliseDoi(record.DOI);
  const title = record.title ? titleIdentity(record.title) : undefined;
  return { ...(doi && { doi }), ...(arxivId && { arxivId }), ...(title && { title }) };
}

/**
 * The library's papers by DOI, arXiv id and title, and every citation key in use (aliases included).
 * Papers added in the same run are added here too, so a list that names one paper twice (its arXiv
 * id and its journal DOI) adds it once.
 */
export class LibraryIndex {
  private readonly byId = new Map<string, Paper>();
  private readonly keys = new Set<string>();

  constructor(papers: readonly Paper[], otherKeys: Iterable<string> = []) {
    for (const paper of papers) this.add(paper);
    for (const key of otherKeys) this.keys.add(key);
  }

  add(paper: Paper, identity: Identity = identityOfPaper(paper)): void {
    for (const id of identityKeys(identity)) if (!this.byId.has(id)) this.byId.set(id, paper);
    this.keys.add(paper.key);
    for (const alias of paper.aliases ?? []) this.keys.add(alias);
  }

  find(identity: Identity): LibraryMatch | undefined {
    for (const [id, by] of identityKeys(identity).map((key) => [key, REASONS[key.slice(0, key.indexOf(':'))]] as const)) {
      const paper = this.byId.get(id);
      if (paper) return { paper, by };
    }
    return undefined;
  }

  /** A Better BibTeX-style key for the record that no paper of the library (or file) uses. */
  keyFor(record: FetchedRecord): string {
    return disambiguateKey(makeCitationKey({ authors: authorsOf(record), year: yearOfRecord(record), title: record.title ?? '' }), this.keys);
  }
}

const REASONS: Record<string, MatchReason> = { doi: 'DOI', arxiv: 'arXiv id', title: 'title' };

function identityOfPaper(paper: Paper): Identity {
  const title = titleIdentity(paper.title);
  return { ...(paper.doi && { doi: paper.doi }), ...(paper.arxivId && { arxivId: paper.arxivId }), ...(title && { title }) };
}

function identityKeys(identity: Identity): string[] {
  return [
    ...(identity.doi ? [`doi:${identity.doi.toLowerCase()}`] : []),
    ...(identity.arxivId ? [`arxiv:${identity.arxivId.replace(/v\d+$/, '').toLowerCase()}`] : []),
    ...(identity.title ? [`title:${identity.title}`] : []),
  ];
}

function authorsOf(record: FetchedRecord): Author[] {
  const names = (record.author ?? (record.editor as RecordName[] | undefined) ?? []) as RecordName[];
  return names.map((name) => ({
    given: name.literal ? '' : (name.given ?? ''),
    family: name.literal ?? ([name['non-dropping-particle'], name.family].filter(Boolean).join(' ') || nameLabel(name)),
  }));
}

export function recordItem(key: string, record: FetchedRecord): RecordItem {
  return { id: key, ...record };
}

/** The record as the library will read it from the file: the same import as every CSL-JSON file. */
export function recordPaper(key: string, record: FetchedRecord): Paper {
  const { papers, problems } = importCslJson(JSON.stringify([recordItem(key, record)]));
  const paper = papers[0]?.paper;
  if (!paper) throw new Error(problems[0]?.message ?? 'the record could not be read as a paper');
  return paper;
}
