/**
 * A note's Pandoc citations rendered in a CSL style, as pandoc --citeproc renders them: all of them
 * processed together through citeproc-js's document API (disambiguation, numbering by first
 * citation), with prefixes, locators, suppressed authors and author-in-text citations, and the
 * bibliography of what the note cites (and its `nocite`). The preview, the HTML export and the
 * command line write the result as HTML or Markdown (the writers below); everything a paper's data
 * brings is escaped by the run writers (cslHtml.ts, cslMarkdown.ts).
 */
import { scanCitations, type Citation } from './citationScanner';
import { htmlFromRuns } from './cslHtml';
import { cslRuns, markdownFromRuns, runsText, type CslRun } from './cslMarkdown';
import { withSession, type CitationSession, type CiteprocItem } from './citationSession';
import { CITATION_ENTRY, type CiteprocEngine } from './csl';
import { paperUrl } from './sources/record';
import type { DocumentStyle } from './documentCitations';
import { errorText } from './errors';
import { frontMatterBlock } from './frontMatter';
import { escapeHtml } from './html';
import { escapeMarkdown, markdownUrl } from './markdown';
import type { Paper } from './model';
import { safeExternalUrl } from './urls';
import { unknownKeyMessage } from './unknownKeys';

export interface ClusterItem {
  key: string;
  /** Text before the key in its part: `see`. */
  prefix: string;
  /** Text after the key: `p. 3`, read into a CSL locator where it is one. */
  locator: string;
  suppressAuthor: boolean;
}

/** One citation of the note: a Pandoc group, a bare `@key`, or a Lit Notes formatted citation. */
export interface NoteCluster {
  /** The span of the note it stands for (a bare key's `[p. 3]` after it included). */
  start: number;
  end: number;
  /** The note's text of it. */
  raw: string;
  items: ClusterItem[];
  /** `@key` in the text: "Zhou et al. (2024)". */
  inText: boolean;
  /** A formatted citation (`[…](#litnotes:key)`): counted for numbering, left as written. */
  formatted: boolean;
}

// A bare `@key` may be followed by its locator in brackets: `@zhou2024 [p. 3] says`.
const IN_TEXT_LOCATOR = /^[ \t]?\[([^[\]@\r\n]*)\](?![([:])/;

/** The note's citations in document order, one per group, bare key or formatted citation; none in its front matter. */
export function noteClusters(markdown: string, citations: readonly Citation[] = scanCitations(markdown)): NoteCluster[] {
  const clusters: NoteCluster[] = [];
  const body = frontMatterBlock(markdown)?.end ?? 0;
  let owner: object | undefined;
  for (const citation of citations) {
    if (citation.start < body) continue;
    const item: ClusterItem = { key: citation.key, prefix: citation.prefix, locator: citation.locator, suppressAuthor: citation.suppressAuthor };
    const group = citation.formatted ?? citation.group;
    if (group && group === owner) {
      clusters[clusters.length - 1].items.push(item);
      continue;
    }
    owner = group;
    const { start } = group ?? citation;
    let { end } = group ?? citation;
    if (!group) {
      const after = IN_TEXT_LOCATOR.exec(markdown.slice(end, end + 200));
      if (after) {
        item.locator = after[1].trim();
        end += after[0].length;
      }
    }
    clusters.push({ start, end, raw: markdown.slice(start, end), items: [item], inText: !group, formatted: Boolean(citation.formatted) });
  }
  return clusters;
}

/** What a cluster renders as: pieces of formatted text, those for one paper with its key. */
export interface RenderedCitation {
  pieces: { runs: CslRun[]; key?: string }[];
  /** The full references of the papers it cites, for a hover. */
  title: string;
}

export interface BibliographyEntry {
  key: string;
  runs: CslRun[];
  text: string;
}

export interface RenderedNote {
  /** Per cluster; undefined where it is left as written (formatted citations, unknown keys, a failed style). */
  citations: (RenderedCitation | undefined)[];
  /** The unknown keys of each cluster (empty when all are known). */
  unknown: string[][];
  bibliography: BibliographyEntry[];
  /** Why nothing could be formatted (the style failed), in words. */
  problem?: string;
}

export interface RenderOptions {
  /** Keys to list without citing them; `*` for every paper of `allPapers`. */
  nocite?: readonly string[];
  allPapers?: () => readonly Paper[];
}

/** What citeproc-js returns for a citation the style prints nothing of. */
const NO_PRINTED_FORM = '[NO_PRINTED_FORM]';

/**
 * The note's citations and bibliography in the style. The engine keeps the note's state between
 * calls (citationSession.ts), so a changed citation costs that citation and those it changes.
 */
export function renderNoteCitations(clusters: readonly NoteCluster[], style: DocumentStyle, lookup: (key: string) => Paper | undefined, options: RenderOptions = {}): RenderedNote {
  const papers = new Map<string, Paper>();
  const unknown: string[][] = [];
  const entries: { index: number; ids: string[]; items: CiteprocItem[] }[] = [];
  clusters.forEach((cluster, index) => {
    const missing: string[] = [];
    const items: CiteprocItem[] = [];
    for (const item of cluster.items) {
      const paper = lookup(item.key);
      if (!paper) {
        if (!missing.includes(item.key)) missing.push(item.key);
        continue;
      }
      papers.set(paper.key, paper);
      items.push(citeprocItem(paper.key, item, cluster.inText));
    }
    unknown.push(missing);
    if (items.length > 0) entries.push({ index, ids: items.map((item) => item.id), items });
  });
  const cited = new Set(entries.flatMap((entry) => entry.ids));
  const uncited = nociteIds(options, lookup, papers).filter((id) => !cited.has(id));
  const citations: (RenderedCitation | undefined)[] = clusters.map(() => undefined);
  if (papers.size === 0) return { citations, unknown, bibliography: [] };

  let bibliography: BibliographyEntry[] = [];
  try {
    const input = { papers: papers.values(), citations: entries.map((entry) => entry.items), uncited };
    withSession(style, 'html', input, (session, texts) => {
      bibliography = bibliographyOf(session.makeBibliography());
      const references = new Map(bibliography.map((entry) => [entry.key, entry.text]));
      const title = (id: string) => references.get(id) ?? papers.get(id)?.title ?? id;
      entries.forEach((entry, at) => {
        const cluster = clusters[entry.index];
        if (cluster.formatted || unknown[entry.index].length > 0) return;
        const plain = texts[at];
        // What a style prints nothing for (MLA's "-@key" without a page): as written, unless the author stands in the text.
        const printed = !plain.includes(NO_PRINTED_FORM);
        if (!printed && !cluster.inText) return;
        const pieces = printed ? clusterPieces(session, at, plain, entry.items) : [];
        if (cluster.inText) pieces.unshift({ runs: authorRuns(session, entry.ids[0], papers.get(entry.ids[0])), key: entry.ids[0] }, ...(printed ? [{ runs: [plainRun(' ')] }] : []));
        citations[entry.index] = { pieces, title: [...new Set(entry.ids)].map(title).join('\n') };
      });
    });
  } catch (error) {
    return { citations: clusters.map(() => undefined), unknown, bibliography: [], problem: errorText(error) };
  }
  return { citations, unknown, bibliography };
}

function citeprocItem(id: string, source: ClusterItem, inText: boolean): CiteprocItem {
  const item: CiteprocItem = { id };
  if (source.prefix) item.prefix = source.prefix;
  const { label, locator, suffix } = parseLocator(source.locator);
  if (locator) {
    item.locator = locator;
    item.label = label;
  }
  if (suffix) item.suffix = /^[,;.:]/.test(suffix) ? suffix : ` ${suffix}`;
  if (source.suppressAuthor || inText) item['suppress-author'] = true;
  return item;
}

type Piece = RenderedCitation['pieces'][number];

/** Per session, the pieces of a cluster's text by that text and its items (null: one piece). */
const splits = new WeakMap<CitationSession, Map<string, Piece[] | null>>();

/**
 * The cluster's text: for one paper, one piece with its key; for several, one piece per paper's part
 * where citeproc-js's marked output reads exactly as the text (`splitCitation`), else one piece
 * without a key. A numeric style's part is the number ("[1], [2]": the 1 and the 2); a range ("1–3")
 * has its ends, and the papers between them only the cluster's hover, which lists every paper.
 */
function clusterPieces(session: CitationSession, index: number, html: string, items: readonly CiteprocItem[]): Piece[] {
  const ids = [...new Set(items.map((item) => item.id))];
  const whole = [{ runs: runsOf(html), key: ids.length === 1 ? ids[0] : undefined }];
  if (ids.length === 1) return whole;
  let known = splits.get(session);
  if (!known) splits.set(session, (known = new Map()));
  const memo = `${html}\n${JSON.stringify(items)}`;
  let pieces = known.get(memo);
  if (pieces === undefined) {
    if (known.size >= 4096) known.clear();
    const marked = session.markedCitation(index);
    pieces = (marked !== undefined && splitCitation(html, marked, ids)) || null;
    known.set(memo, pieces);
  }
  return pieces ?? whole;
}

const { open: OPEN, key: KEY, close: CLOSE } = CITATION_ENTRY;
const MARKS = new RegExp(`${OPEN}[^${OPEN}${KEY}${CLOSE}]*${KEY}|${CLOSE}`, 'g');
const MARK_PARTS = new RegExp(`(${MARKS.source})`);

/**
 * The pieces of a citation's `html` from its `marked` form (each paper's part marked, the layout's
 * prefix and suffix left out): those put back from `html`, each paper's part its own piece. Undefined
 * unless the pieces read as `html` does, formatting included, and no paper has more than one part;
 * a paper may have none (the middle of a range of numbers), but some paper must have one.
 */
export function splitCitation(html: string, marked: string, ids: readonly string[]): Piece[] | undefined {
  if (new RegExp(`[${OPEN}${KEY}${CLOSE}]`).test(html)) return undefined;
  const inner = marked.replace(MARKS, '');
  const at = inner ? html.indexOf(inner) : -1;
  if (at < 0) return undefined;
  const pieces: Piece[] = [];
  let current: Piece = { runs: [] };
  const next = (key?: string) => {
    if (current.runs.length > 0) pieces.push(current);
    current = { runs: [], key };
  };
  for (const run of cslRuns(html.slice(0, at) + marked + html.slice(at + inner.length))) {
    for (const part of run.text.split(MARK_PARTS)) {
      if (part.startsWith(OPEN)) {
        if (current.key !== undefined) return undefined;
        next(decodeURIComponent(part.slice(1, -1)));
      } else if (part === CLOSE) {
        if (current.key === undefined) return undefined;
        next();
      } else if (part || run.tag) current.runs.push({ ...run, text: part });
    }
  }
  if (current.key !== undefined) return undefined;
  next();
  const keyed = pieces.flatMap((piece) => (piece.key === undefined ? [] : [piece.key]));
  if (keyed.length === 0 || new Set(keyed).size !== keyed.length || !keyed.every((key) => ids.includes(key))) return undefined;
  return shape(pieces.flatMap((piece) => piece.runs)) === shape(runsOf(html)) ? pieces : undefined;
}

/** What runs show, adjacent runs of the same formatting as one: runs cut at other places compare equal. */
function shape(runs: readonly CslRun[]): string {
  const merged: CslRun[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last && !last.tag && !run.tag && last.italic === run.italic && last.bold === run.bold && last.href === run.href) last.text += run.text;
    else merged.push({ ...run });
  }
  return JSON.stringify(merged.filter((run) => run.text || run.tag));
}

/** "W. Zhou et al." for `@key` in the text; a numeric style prints no names in citations, so then the paper's own. */
function authorRuns(session: CitationSession, id: string, paper: Paper | undefined): CslRun[] {
  const html = session.authorOnly(id);
  if (html.trim() && !html.includes(NO_PRINTED_FORM)) return runsOf(html);
  const names = (paper?.authors ?? []).map((author) => author.family);
  const text = names.length === 0 ? (paper?.title ?? id) : names.length === 1 ? names[0] : names.length === 2 ? `${names[0]} and ${names[1]}` : `${names[0]} et al.`;
  return [plainRun(text)];
}

function plainRun(text: string): CslRun {
  return { text, italic: false, bold: false };
}

/** The session hands out the same bibliography while it stays (the entries are shared: never changed). */
const bibliographies = new WeakMap<object, BibliographyEntry[]>();

function bibliographyOf(made: ReturnType<CiteprocEngine['makeBibliography']>): BibliographyEntry[] {
  if (!made) return [];
  const known = bibliographies.get(made);
  if (known) return known;
  const [{ entry_ids: ids }, html] = made;
  const entries = html.map((entry, index) => {
    const runs = cslRuns(entry);
    return { key: ids[index][0], runs, text: runsText(runs) };
  });
  bibliographies.set(made, entries);
  return entries;
}

/**
 * A pure function of a string, remembered (up to `limit` strings): the preview asks for the same
 * citations' runs and locators on every render. The results are shared, so never changed.
 */
function memoized<T>(compute: (text: string) => T, limit = 4096): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined) {
      if (known.size >= limit) known.clear();
      value = compute(text);
      known.set(text, value);
    }
    return value;
  };
}

const runsOf = memoized(cslRuns);

function nociteIds(options: RenderOptions, lookup: (key: string) => Paper | undefined, papers: Map<string, Paper>): string[] {
  const ids: string[] = [];
  for (const key of options.nocite ?? []) {
    const found = key === '*' ? (options.allPapers?.() ?? []) : [lookup(key)];
    for (const paper of found) {
      if (!paper) continue;
      if (!papers.has(paper.key)) papers.set(paper.key, paper);
      ids.push(paper.key);
    }
  }
  return [...new Set(ids)];
}

// ---------------------------------------------------------------------------------------------
// Locators, as pandoc reads them: a term ("p.", "chap.", "§") and a value, or a number alone (a page).

const LOCATOR_TERMS: Record<string, string> = {};
for (const [label, terms] of Object.entries({
  book: 'book books bk. bks.',
  chapter: 'chapter chapters chap. chaps. ch.',
  column: 'column columns col. cols.',
  figure: 'figure figures fig. figs.',
  folio: 'folio folios fol. fols.',
  number: 'number numbers no. nos.',
  line: 'line lines l. ll.',
  note: 'note notes n. nn.',
  opus: 'opus opera op. opp.',
  page: 'page pages p. pp.',
  paragraph: 'paragraph paragraphs para. paras. ¶ ¶¶',
  part: 'part parts pt. pts.',
  section: 'section sections sec. secs. § §§',
  'sub verbo': 's.v. s.vv.',
  verse: 'verse verses v. vv.',
  volume: 'volume volumes vol. vols.',
})) {
  for (const term of terms.split(' ')) LOCATOR_TERMS[term] = label;
}
const TERM = Object.keys(LOCATOR_TERMS)
  .sort((a, b) => b.length - a.length)
  .map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');
const VALUE = String.raw`\{[^{}]*\}|[\p{L}\p{N}]*\p{N}[\p{L}\p{N}.]*(?:\s*[-–—]\s*[\p{L}\p{N}.]+)?(?:,\s*\p{N}[\p{L}\p{N}.]*(?:\s*[-–—]\s*[\p{L}\p{N}.]+)?)*|[ivxlcdm]+\b(?:\s*[-–—]\s*[ivxlcdm]+\b)?`;
const LOCATOR = new RegExp(`^(?:(${TERM})\\s*)?(${VALUE})(.*)$`, 'isu');

/** `p. 33-35, and passim` → page `33-35`, suffix `, and passim`; text that is no locator is all suffix. */
export const parseLocator = memoized(readLocator);

function readLocator(text: string): { label?: string; locator?: string; suffix: string } {
  const trimmed = text.trim();
  const m = LOCATOR.exec(trimmed);
  if (!m || (!m[1] && !/^\p{N}|^\{/u.test(m[2]))) return { suffix: trimmed };
  const locator = m[2].startsWith('{') ? m[2].slice(1, -1) : m[2];
  return { label: m[1] ? LOCATOR_TERMS[m[1].toLowerCase()] ?? 'page' : 'page', locator: locator.trim(), suffix: m[3].trim() };
}

// ---------------------------------------------------------------------------------------------
// Writers

export interface CitationLinks {
  /** pandoc's `link-citations`: a citation links to its entry in the bibliography. */
  linkCitations: boolean;
  /** The paper of a key, for the address of its page. */
  paper(key: string): Paper | undefined;
}

/** The paper's own page: its DOI, else its arXiv page or first safe link. */
export function paperPage(paper: Paper | undefined): string | undefined {
  if (!paper) return undefined;
  return safeExternalUrl(paper.doi ? `https://doi.org/${paper.doi}` : undefined) ?? paperUrl(paper);
}

/** The id pandoc gives a key's bibliography entry. */
export function referenceId(key: string): string {
  return `ref-${key}`;
}

/** A piece written by `write`, with the space it starts or ends with kept (the writers trim). */
function spaced(runs: readonly CslRun[], write: (runs: readonly CslRun[]) => string): string {
  const text = runs.map((run) => run.text).join('');
  return `${/^\s/.test(text) ? ' ' : ''}${write(runs)}${/\S\s+$/.test(text) ? ' ' : ''}`;
}

function target(key: string, links: CitationLinks): string | undefined {
  return links.linkCitations ? `#${encodeURIComponent(referenceId(key))}` : paperPage(links.paper(key));
}

/** A cluster as HTML: each paper's part a link to its page (or its entry) with its reference as a tooltip. */
export function citationHtml(cluster: NoteCluster, rendered: RenderedCitation | undefined, unknown: readonly string[], links: CitationLinks, references: ReadonlyMap<string, string>): string {
  if (!rendered) {
    const title = unknown.length > 0 ? unknown.map(unknownKeyMessage).join('\n') : '';
    const classes = unknown.length > 0 ? 'litnotes-citation litnotes-unknown' : 'litnotes-citation';
    return `<span class="${classes}"${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(cluster.raw)}</span>`;
  }
  const body = rendered.pieces
    .map(({ runs, key }) => {
      const href = key === undefined ? undefined : target(key, links);
      if (key === undefined || !href) return spaced(runs, (part) => htmlFromRuns(part));
      const title = references.get(key) ?? links.paper(key)?.title ?? key;
      const html = `<a class="litnotes-cite" href="${escapeHtml(href)}" title="${escapeHtml(title)}" data-key="${escapeHtml(key)}">${htmlFromRuns(runs, { links: false })}</a>`;
      return spaced(runs, () => html);
    })
    .join('')
    .trim();
  return `<span class="litnotes-citation" title="${escapeHtml(rendered.title)}">${body}</span>`;
}

/** The bibliography as pandoc writes it in HTML: `<div id="refs">` with one `csl-entry` per paper. */
export function bibliographyHtml(entries: readonly BibliographyEntry[], options: { heading?: string; wrap?: boolean } = {}): string {
  const items = entries.map((entry) => `<div id="${escapeHtml(referenceId(entry.key))}" class="csl-entry" role="listitem">${htmlFromRuns(entry.runs)}</div>`).join('\n');
  const heading = options.heading ? `<h2 class="unnumbered">${escapeHtml(options.heading)}</h2>\n` : '';
  if (options.wrap === false) return `${heading}${items}\n`;
  return `${heading}<div id="refs" class="references csl-bib-body" role="list">\n${items}\n</div>\n`;
}

/** A cluster as Markdown: each paper's part a link to its page (or its entry); a cluster left as written stays as written. */
export function citationMarkdown(cluster: NoteCluster, rendered: RenderedCitation | undefined, links: CitationLinks): string {
  if (!rendered) return cluster.raw;
  return rendered.pieces
    .map(({ runs, key }) => {
      const href = key === undefined ? undefined : target(key, links);
      if (!href) return spaced(runs, markdownFromRuns);
      const text = markdownFromRuns(runs.map(({ href: _link, ...run }) => run));
      return text ? spaced(runs, () => `[${text}](${href.startsWith('#') ? href : markdownUrl(href)})`) : '';
    })
    .join('')
    .trim();
}

/** The bibliography as Markdown paragraphs; with `anchors`, each starts with the id a citation links to. */
export function bibliographyMarkdown(entries: readonly BibliographyEntry[], options: { heading?: string; anchors?: boolean } = {}): string {
  const items = entries.map((entry) => `${options.anchors ? `<span id="${escapeHtml(referenceId(entry.key))}"></span>` : ''}${markdownFromRuns(entry.runs)}`);
  return [...(options.heading ? [`## ${escapeMarkdown(options.heading)}`] : []), ...items].join('\n\n');
}
