/**
 * Merging the papers of several sources into one library. Sources come in the order of the settings,
 * the bundled library last. Two records are the same paper when they share a DOI, a (version-less)
 * arXiv id or a normalised title. The first source wins field by field: a later source only fills
 * what the earlier ones left empty, so a user's own record (and its citation key) always beats the
 * bundled one. Different papers with the same key: the later one gets a, b … appended, and is reported.
 */
import { disambiguateKey } from '../citekey';
import type { CslName, CslRecord, Paper, RecordCustom } from '../model';
import { authorOf, paperFromRecord, recordOf, type PaperExtras } from './record';
import { normaliseFact, type ImportedPaper } from './source';

export interface MergeInput {
  papers: readonly ImportedPaper[];
}

export interface MergedPaper {
  paper: Paper;
  keywords: string[];
  /** The ids of source topics (groups, collections) any of its records is in. */
  sourceTopics: string[];
  /** The source (index into the inputs) and line the paper came from first. */
  source: number;
  line: number;
}

export interface MergeProblem {
  source: number;
  line: number;
  message: string;
}

export interface MergeResult {
  papers: MergedPaper[];
  problems: MergeProblem[];
}

/** Titles shorter than this ("Introduction", "Erratum") say too little to identify a paper. */
const MIN_TITLE_IDENTITY = 20;
/** Variables that, given by two look-alike records of different sources, must agree for them to be one paper. */
const IDENTIFYING = ['author', 'editor', 'container-title', 'volume', 'issue', 'page', 'number', 'collection-number', 'edition', 'publisher'];
/** What a reference manager keeps for itself: two copies of one entry may differ in it. */
const BOOKKEEPING = new Set(['abstract', 'keyword', 'accessed', 'annote', 'custom']);
const BOOKKEEPING_FIELDS = new Set(['groups', 'file', 'timestamp', 'owner', 'creationdate', 'modificationdate', 'date-added', 'date-modified', 'crossref', 'xdata', 'keywords']);

export function normaliseTitle(title: string): string {
  return normaliseFact(title);
}

type IdentityKind = 'doi' | 'arxiv' | 'title';

/** A paper shown by what it has because its source gave no title is never matched by that. */
function titled(paper: Paper): boolean {
  return paper.record === undefined || Boolean(paper.record.title);
}

function identities(paper: Paper): { kind: IdentityKind; id: string }[] {
  const ids: { kind: IdentityKind; id: string }[] = [];
  if (paper.doi) ids.push({ kind: 'doi', id: `doi:${paper.doi.toLowerCase()}` });
  if (paper.arxivId) ids.push({ kind: 'arxiv', id: `arxiv:${paper.arxivId.replace(/v\d+$/, '').toLowerCase()}` });
  const title = normaliseTitle(paper.title);
  if (titled(paper) && title.length >= MIN_TITLE_IDENTITY) ids.push({ kind: 'title', id: `title:${title}` });
  return ids;
}

/**
 * One title is the other, or the two share their main title before a subtitle ("T-REG",
 * "T-REG: Preference …" and "T-REG: My Own Record" are one paper; a copied DOI on another paper is not).
 */
function titlesAgree(a: Paper, b: Paper): boolean {
  if (!titled(a) || !titled(b)) return true;
  const [x, y] = [normaliseTitle(a.title), normaliseTitle(b.title)];
  if (x === y || x.startsWith(`${y} `) || y.startsWith(`${x} `)) return true;
  const main = (title: string) => normaliseTitle(title.split(/[:?!]\s|\s[-–—]\s/)[0]);
  return main(a.title) !== '' && main(a.title) === main(b.title);
}

/**
 * Two records with the same title are one paper only when the rest agrees: the same type and year,
 * and, from one file, the same fields throughout (xampl's "minimal" and "full" twins are two
 * entries); from different files, no identifying variable that both give may differ.
 */
function restAgrees(a: Paper, b: Paper, sameSource: boolean): boolean {
  if (a.year !== undefined && b.year !== undefined && a.year !== b.year) return false;
  if (!a.record || !b.record) return true;
  if (a.record.type !== b.record.type) return false;
  const [x, y] = [comparable(a.record), comparable(b.record)];
  if (sameSource) return x.size === y.size && [...x].every(([name, value]) => y.get(name) === value);
  return IDENTIFYING.every((name) => !x.has(name) || !y.has(name) || x.get(name) === y.get(name));
}

/** A record's variables and kept BibTeX fields, normalised for comparison. */
function comparable(record: CslRecord): Map<string, string> {
  const values = new Map<string, string>();
  const add = (name: string, value: unknown) => {
    const text = Array.isArray(value)
      ? value.map((entry) => (typeof entry === 'object' && entry !== null ? (authorOf(entry as CslName)?.family ?? JSON.stringify(entry)) : String(entry))).join('; ')
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value);
    values.set(name, normaliseFact(text));
  };
  for (const [name, value] of Object.entries(record)) if (!BOOKKEEPING.has(name)) add(name, value);
  for (const [name, value] of Object.entries(record.custom?.['bibtex-fields'] ?? {})) if (!BOOKKEEPING_FIELDS.has(name)) add(`bibtex:${name}`, value);
  if (record.custom?.['bibtex-type']) add('bibtex-type', record.custom['bibtex-type']);
  return values;
}


export function mergeSources(inputs: readonly MergeInput[]): MergeResult {
  const merged: MergedPaper[] = [];
  const problems: MergeProblem[] = [];
  const byIdentity = new Map<string, MergedPaper>();
  // Which entry of each source went into a merged paper: two in one file are a duplicate to report.
  const contributions = new Map<MergedPaper, Map<number, ImportedPaper>>();
  inputs.forEach((input, source) => {
    for (const imported of input.papers) {
      let existing: MergedPaper | undefined;
      for (const { kind, id } of identities(imported.paper)) {
        const candidate = byIdentity.get(id);
        if (!candidate || candidate === existing) continue;
        const entries = contributions.get(candidate) ?? new Map<number, ImportedPaper>();
        const earlier = entries.get(source) ?? [...entries.values()][0];
        // A DOI is copied into the wrong entry now and then (JabRef libraries): it must come with an agreeing title.
        // An arXiv id is the paper's own, whatever title a user gives their record of it.
        const agrees = kind === 'title' ? restAgrees(earlier.paper, imported.paper, entries.has(source)) : kind === 'arxiv' || titlesAgree(earlier.paper, imported.paper);
        if (agrees) {
          existing = candidate;
          break;
        }
        if (kind === 'doi') {
          const where = entries.has(source) ? ` (line ${earlier.line})` : '';
          problems.push({
            source,
            line: imported.line,
            message: `"${imported.paper.key}" has the DOI of "${earlier.paper.key}"${where} but another title; kept as a different paper`,
          });
        }
      }
      if (existing) {
        const earlier = contributions.get(existing)?.get(source);
        if (earlier) {
          problems.push({ source, line: imported.line, message: `"${imported.paper.key}" is the same paper as "${earlier.paper.key}" (line ${earlier.line}); merged into it` });
        }
        existing.paper = fillGaps(existing.paper, imported.paper);
        existing.keywords.push(...imported.keywords.filter((keyword) => !existing.keywords.includes(keyword)));
        existing.sourceTopics.push(...(imported.topics ?? []).filter((topic) => !existing.sourceTopics.includes(topic)));
      }
      const target = existing ?? { paper: { ...imported.paper, links: { ...imported.paper.links } }, keywords: [...imported.keywords], sourceTopics: [...(imported.topics ?? [])], source, line: imported.line };
      if (!existing) merged.push(target);
      const sources = contributions.get(target) ?? new Map<number, ImportedPaper>();
      if (!sources.has(source)) sources.set(source, imported);
      contributions.set(target, sources);
      for (const { id } of identities(imported.paper)) if (!byIdentity.has(id)) byIdentity.set(id, target);
    }
  });
  resolveKeyClashes(merged, problems);
  return { papers: merged, problems };
}

/** `first` with every empty field taken from `second`, record variable by variable; the display fields follow the merged record. */
function fillGaps(first: Paper, second: Paper): Paper {
  const aliases = second.key !== first.key && !first.aliases?.includes(second.key) ? [...(first.aliases ?? []), second.key] : first.aliases;
  const extras: PaperExtras = {
    topics: first.topics.length > 0 ? first.topics : second.topics,
    links: { ...second.links, ...first.links },
    ...(aliases && { aliases }),
    // A listing knows only how many authors there are: names from another source complete it.
    authorCount: first.authors.length > 0 ? first.authorCount : Math.max(first.authorCount, second.authorCount),
  };
  for (const field of ['listingDate', 'organization', 'upvotes', 'arxivId'] as const) {
    const value = first[field] ?? second[field];
    if (value !== undefined) (extras as Record<string, unknown>)[field] = value;
  }
  return paperFromRecord(first.key, fillRecord(recordOf(first), recordOf(second)), extras);
}

/** The variables of `second` that `first` lacks; a name list is taken whole, with its "and others". */
function fillRecord(first: CslRecord, second: CslRecord): CslRecord {
  const merged: CslRecord = { ...first };
  const othersFrom = (record: CslRecord, role: string) => record.custom?.['and-others']?.includes(role) ?? false;
  const others = new Set((first.custom?.['and-others'] ?? []).filter((role) => first[role] !== undefined));
  for (const [name, value] of Object.entries(second)) {
    if (name === 'custom' || merged[name] !== undefined) continue;
    merged[name] = value;
    if (othersFrom(second, name)) others.add(name);
  }
  const fields = { ...second.custom?.['bibtex-fields'], ...first.custom?.['bibtex-fields'] };
  const custom: RecordCustom = { ...second.custom, ...first.custom };
  delete custom['and-others'];
  delete custom['bibtex-fields'];
  if (others.size > 0) custom['and-others'] = [...others];
  if (Object.keys(fields).length > 0) custom['bibtex-fields'] = fields;
  if (Object.keys(custom).length > 0) merged.custom = custom;
  else delete merged.custom;
  return merged;
}

function resolveKeyClashes(merged: MergedPaper[], problems: MergeProblem[]): void {
  const byKey = new Map<string, MergedPaper>();
  const used = new Set(merged.map((entry) => entry.paper.key));
  for (const entry of merged) {
    const holder = byKey.get(entry.paper.key);
    if (!holder) {
      byKey.set(entry.paper.key, entry);
      continue;
    }
    const renamed = disambiguateKey(entry.paper.key, used);
    used.add(renamed);
    byKey.set(renamed, entry);
    problems.push({
      source: entry.source,
      line: entry.line,
      message: `the citation key "${entry.paper.key}" is already used by "${holder.paper.title}"; this paper is cited as "${renamed}"`,
    });
    entry.paper = { ...entry.paper, key: renamed };
  }
}

/** The title as an identity of its paper, or undefined when it is too short to tell papers apart. */
export function titleIdentity(title: string): string | undefined {
  const normalised = normaliseTitle(title);
  return normalised.length >= MIN_TITLE_IDENTITY ? normalised : undefined;
}
