/**
 * Merging the papers of several sources into one library. Sources come in the order of the settings,
 * the bundled library last. Two records are the same paper when they share a DOI, a (version-less)
 * arXiv id or a normalised title. The first source wins field by field: a later source only fills
 * what the earlier ones left empty, so a user's own record (and its citation key) always beats the
 * bundled one. Different papers with the same key: the later one gets a, b … appended, and is reported.
 */
import { disambiguateKey } from '../citekey';
import type { Paper } from '../model';
import { normaliseFact, type ImportedPaper } from './source';

export interface MergeInput {
  papers: readonly ImportedPaper[];
}

export interface MergedPaper {
  paper: Paper;
  keywords: string[];
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
/** Fields that, given by two look-alike entries of different sources, must agree for them to be one paper. */
const IDENTIFYING = ['authors', 'editors', 'container', 'volume', 'issue', 'pages', 'number', 'edition', 'publisher'];

export function normaliseTitle(title: string): string {
  return normaliseFact(title);
}

type IdentityKind = 'doi' | 'arxiv' | 'title';

function identities(imported: ImportedPaper): { kind: IdentityKind; id: string }[] {
  const { paper, facts } = imported;
  const ids: { kind: IdentityKind; id: string }[] = [];
  if (paper.doi) ids.push({ kind: 'doi', id: `doi:${paper.doi.toLowerCase()}` });
  if (paper.arxivId) ids.push({ kind: 'arxiv', id: `arxiv:${paper.arxivId.replace(/v\d+$/, '').toLowerCase()}` });
  const title = normaliseTitle(paper.title);
  if (facts?.titled !== false && title.length >= MIN_TITLE_IDENTITY) ids.push({ kind: 'title', id: `title:${title}` });
  return ids;
}

/** One title is the other, or the other with its subtitle ("T-REG" and "T-REG: Preference …"). */
function titlesAgree(a: ImportedPaper, b: ImportedPaper): boolean {
  if (a.facts?.titled === false || b.facts?.titled === false) return true;
  const [x, y] = [normaliseTitle(a.paper.title), normaliseTitle(b.paper.title)];
  return x === y || x.startsWith(`${y} `) || y.startsWith(`${x} `);
}

/**
 * Two entries with the same title are one paper only when the rest agrees: the same type and year,
 * and, from one file, the same fields throughout (xampl's "minimal" and "full" twins are two
 * entries); from different files, no identifying field that both give may differ.
 */
function restAgrees(a: ImportedPaper, b: ImportedPaper, sameSource: boolean): boolean {
  if (a.paper.year !== undefined && b.paper.year !== undefined && a.paper.year !== b.paper.year) return false;
  const [x, y] = [a.facts, b.facts];
  if (!x || !y) return true;
  if (x.type !== y.type) return false;
  if (sameSource) {
    const names = Object.keys(x.fields);
    return names.length === Object.keys(y.fields).length && names.every((name) => x.fields[name] === y.fields[name]);
  }
  return IDENTIFYING.every((name) => x.fields[name] === undefined || y.fields[name] === undefined || x.fields[name] === y.fields[name]);
}

const IDENTITY_NAMES: Record<IdentityKind, string> = { doi: 'DOI', arxiv: 'arXiv id', title: 'title' };

export function mergeSources(inputs: readonly MergeInput[]): MergeResult {
  const merged: MergedPaper[] = [];
  const problems: MergeProblem[] = [];
  const byIdentity = new Map<string, MergedPaper>();
  // Which entry of each source went into a merged paper: two in one file are a duplicate to report.
  const contributions = new Map<MergedPaper, Map<number, ImportedPaper>>();
  inputs.forEach((input, source) => {
    for (const imported of input.papers) {
      let existing: MergedPaper | undefined;
      for (const { kind, id } of identities(imported)) {
        const candidate = byIdentity.get(id);
        if (!candidate || candidate === existing) continue;
        const entries = contributions.get(candidate) ?? new Map<number, ImportedPaper>();
        const earlier = entries.get(source) ?? [...entries.values()][0];
        const agrees = kind === 'title' ? restAgrees(earlier, imported, entries.has(source)) : titlesAgree(earlier, imported);
        if (agrees) {
          existing = candidate;
          break;
        }
        if (kind !== 'title') {
          const where = entries.has(source) ? ` (line ${earlier.line})` : '';
          problems.push({
            source,
            line: imported.line,
            message: `"${imported.paper.key}" has the ${IDENTITY_NAMES[kind]} of "${earlier.paper.key}"${where} but another title; kept as a different paper`,
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
      }
      const target = existing ?? { paper: { ...imported.paper, links: { ...imported.paper.links } }, keywords: [...imported.keywords], source, line: imported.line };
      if (!existing) merged.push(target);
      const sources = contributions.get(target) ?? new Map<number, ImportedPaper>();
      if (!sources.has(source)) sources.set(source, imported);
      contributions.set(target, sources);
      for (const { id } of identities(imported)) if (!byIdentity.has(id)) byIdentity.set(id, target);
    }
  });
  resolveKeyClashes(merged, problems);
  return { papers: merged, problems };
}

/** `first` with every empty field taken from `second`. */
function fillGaps(first: Paper, second: Paper): Paper {
  const result: Paper = { ...first, links: { ...second.links, ...first.links } };
  // A listing knows only how many authors there are: names from another source complete it.
  if (first.authors.length === 0) {
    result.authors = second.authors;
    result.authorCount = Math.max(first.authorCount, second.authorCount);
    if (second.andOthers) result.andOthers = true;
  }
  if (second.key !== first.key && !first.aliases?.includes(second.key)) result.aliases = [...(first.aliases ?? []), second.key];
  if (!result.abstract) result.abstract = second.abstract;
  if (result.topics.length === 0) result.topics = second.topics;
  for (const field of ['year', 'listingDate', 'venue', 'organization', 'upvotes', 'arxivId', 'doi'] as const) {
    if (result[field] === undefined && second[field] !== undefined) (result as unknown as Record<string, unknown>)[field] = second[field];
  }
  return result;
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
