/**
 * The markdown-it plugin that renders a note's Pandoc citations and bibliography (citationRendering.ts):
 * VS Code's Markdown preview loads it (`markdown.markdownItPlugins`), and the HTML export and the
 * command line render with it. The note is processed as a whole before its text is parsed; the
 * inline rule then puts each citation's formatted text where the scanner found it. Formatting is
 * cached per note, keyed by its citations, style and library, and so is the HTML written of it; an
 * edit outside the citations moves the last scan's citations instead of scanning the note again. So
 * typing outside a citation costs a comparison of the note with its last version.
 */
import type MarkdownIt from 'markdown-it';
import type { StateBlock, StateCore, StateInline, Token } from 'markdown-it';
import { editKeepsCitations, findReferencesBlock, REFERENCES_END, REFERENCES_START, textEdit } from './citationScanner';
import {
  bibliographyHtml,
  citationHtml,
  noteClusters,
  renderNoteCitations,
  type CitationLinks,
  type NoteCluster,
  type RenderedNote,
} from './citationRendering';
import type { DocumentStyle } from './documentCitations';
import { frontMatterBlock, readNoteOptions, type NoteOptions } from './frontMatter';
import { errorText } from './errors';
import { escapeHtml } from './html';
import type { Paper } from './model';

/** What a note is rendered with; the host builds it from the note's options (its front matter). */
export interface CitationSource {
  /** The style, or why the note's style cannot be used. */
  style: DocumentStyle | { problem: string };
  /** Names the style and locale for the cache (a different style formats everything again). */
  styleKey: string;
  /** The library with the note's own bibliography files; `version` changes whenever it does. */
  lookup(key: string): Paper | undefined;
  allPapers(): readonly Paper[];
  version: string | number;
  /** The note's identity for the cache (its URI); undefined: nothing cached. */
  document?: string;
  /** What the reader should know (a bibliography file that cannot be read), in words. */
  problems?: readonly string[];
}

export interface CitationPluginOptions {
  /** The note's citation context, or undefined to leave its citations as written. */
  source(env: object, options: NoteOptions): CitationSource | undefined;
  /** Hide a YAML front matter block (VS Code's preview does that itself). */
  hideFrontMatter?: boolean;
}

/** What the parse found in a note. VS Code parses a note once per version, with an empty environment,
 * and renders the same tokens many times, each time with a new environment that names the note: so
 * the citations are formatted at render time, once per environment, from what the tokens carry. */
interface ParsedNote extends NoteScan {
  /** How many clusters of each text the parse has placed. */
  placed: Map<string, number>;
  /** The formatted note for each render environment; null: no source, citations stay as written. */
  renders: WeakMap<object, NoteRender | null>;
}

/** What a note's text holds for the plugin; an edit outside its citations makes a moved copy of it. */
interface NoteScan {
  src: string;
  /** The clusters as the scan found them (their offsets those of the text it scanned). */
  clusters: NoteCluster[];
  /** Where each cluster stands in `src`. */
  spans: readonly { start: number; end: number }[];
  options: NoteOptions;
  /** An edit that starts before this offset (in the front matter, or the first line) means a new scan. */
  bodyStart: number;
  /** Cluster indices by their text (whitespace runs as one space), in document order. */
  byText: ReadonlyMap<string, readonly number[]>;
  /** The clusters' citations as the format cache compares them, made once for a scan and its moved copies. */
  citations: { key?: string };
}

/** The HTML written of a formatted note, kept as long as the format cache keeps the note. */
interface WrittenNote {
  /** By cluster, link and link-citations setting; with the text it was written for (a cluster left as written shows it). */
  citations: Map<string, { raw: string; html: string }>;
  bibliography: Map<string, string>;
}

interface NoteRender {
  rendered: RenderedNote;
  links: CitationLinks;
  references: Map<string, string>;
  problems: string[];
}

/** What a citation token carries to the renderer. */
interface CitationMeta {
  note: ParsedNote;
  at: number;
}

const CACHE_SIZE = 32;
/** Notes whose scan an edit may move: the previews open at once, about. */
const RECENT_SCANS = 4;

export function citationPlugin(md: MarkdownIt, plugin: CitationPluginOptions): void {
  // The note being parsed, by the parse's environment: for the inline rule of the same parse.
  const parses = new WeakMap<object, ParsedNote>();
  const cache = new Map<string, { signature: string; rendered: RenderedNote }>();
  const written = new WeakMap<RenderedNote, WrittenNote>();
  const writtenOf = (rendered: RenderedNote) => {
    let known = written.get(rendered);
    if (!known) written.set(rendered, (known = { citations: new Map(), bibliography: new Map() }));
    return known;
  };
  // The parse has no note's name (VS Code's environment is empty): the last scans are compared by their text.
  const recent: NoteScan[] = [];

  const prepare = (state: StateCore) => {
    let scan: NoteScan | undefined;
    const found = recent.findIndex((earlier) => (scan = movedScan(earlier, state.src)));
    if (found >= 0) recent.splice(found, 1);
    scan ??= scanNote(state.src);
    recent.unshift(scan);
    recent.length = Math.min(recent.length, RECENT_SCANS);
    parses.set(state.env, { ...scan, placed: new Map(), renders: new WeakMap() });
  };

  const resolve = (note: ParsedNote, env: object | undefined): NoteRender | undefined => {
    const key = env ?? note;
    const known = note.renders.get(key);
    if (known !== undefined) return known ?? undefined;
    let result: NoteRender | undefined;
    try {
      const source = plugin.source(key, note.options);
      result = source ? formatNote(cache, source, note) : undefined;
    } catch (error) {
      // Never a failed render: the note with its citations as written, and why.
      result = failedRender(note, errorText(error));
    }
    note.renders.set(key, result ?? null);
    return result;
  };

  md.core.ruler.after('normalize', 'litnotes_citations', prepare);
  md.inline.ruler.before('link', 'litnotes_citation', (state, silent) => {
    const char = state.src.charCodeAt(state.pos);
    return (char === 0x5b /* [ */ || char === 0x40) /* @ */ && citationRule(state, silent, parses.get(state.env));
  });
  md.block.ruler.before('fence', 'litnotes_refs', refsDivRule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  if (plugin.hideFrontMatter) md.block.ruler.before('table', 'litnotes_front_matter', frontMatterRule);
  md.core.ruler.push('litnotes_bibliography', (state) => {
    const note = parses.get(state.env);
    if (note) placeBibliography(state, note);
  });

  md.renderer.rules.litnotes_citation = (tokens, index, _options, env) => {
    const { note, at } = tokens[index].meta as CitationMeta;
    const render = resolve(note, env as object | undefined);
    if (!render) return escapeHtml(tokens[index].content);
    const nolink = tokens[index].info === 'nolink';
    const { raw } = note.clusters[at];
    const memo = writtenOf(render.rendered).citations;
    const slot = `${at} ${nolink} ${render.links.linkCitations}`;
    const known = memo.get(slot);
    if (known?.raw === raw) return known.html;
    const links = nolink ? { ...render.links, paper: () => undefined, linkCitations: false } : render.links;
    const html = citationHtml(note.clusters[at], render.rendered.citations[at], render.rendered.unknown[at], links, render.references);
    memo.set(slot, { raw, html });
    return html;
  };
  md.renderer.rules.litnotes_bibliography = (tokens, index, options, env) => {
    const token = tokens[index];
    const note = token.meta as ParsedNote;
    const render = resolve(note, env as object | undefined);
    // No source: the list the note holds between the References markers, as written.
    if (!render) return token.children ? md.renderer.render(token.children, options, env) : '';
    const problem = render.problems.map((text) => `<p class="litnotes-problem">${escapeHtml(text)}</p>\n`).join('');
    if (note.options.suppressBibliography || render.rendered.bibliography.length === 0) return problem;
    const heading = note.options.referenceSectionTitle;
    const memo = writtenOf(render.rendered).bibliography;
    const html = memo.get(heading ?? '') ?? bibliographyHtml(render.rendered.bibliography, { heading });
    memo.set(heading ?? '', html);
    return problem + html;
  };
  md.renderer.rules.litnotes_refs_open = () => '';
  md.renderer.rules.litnotes_refs_close = () => '';
}

/** The note's citations formatted with its source, cached per note while its citations, style and library stay. */
function formatNote(cache: Map<string, { signature: string; rendered: RenderedNote }>, source: CitationSource, note: ParsedNote): NoteRender {
  const { clusters, options } = note;
  const rendered = cached(cache, source, citationsKey(note), options, () =>
    'problem' in source.style
      ? unformatted(clusters, source.style.problem)
      : renderNoteCitations(clusters, source.style, (key) => source.lookup(key), { nocite: options.nocite, allPapers: () => source.allPapers() }),
  );
  return {
    rendered,
    links: { linkCitations: options.linkCitations, paper: (key) => source.lookup(key) },
    references: new Map(rendered.bibliography.map((entry) => [entry.key, entry.text])),
    problems: [...(source.problems ?? []), ...(rendered.problem ? [formatProblem(rendered.problem)] : [])],
  };
}

/** The note when its source itself failed: nothing formatted, nothing looked up. */
function failedRender(note: ParsedNote, problem: string): NoteRender {
  return { rendered: unformatted(note.clusters, problem), links: { linkCitations: false, paper: () => undefined }, references: new Map(), problems: [formatProblem(problem)] };
}

function unformatted(clusters: readonly NoteCluster[], problem: string): RenderedNote {
  return { citations: clusters.map(() => undefined), unknown: clusters.map(() => []), bibliography: [], problem };
}

function formatProblem(problem: string): string {
  return `Lit Notes could not format the citations: ${problem}`;
}

function cached(cache: Map<string, { signature: string; rendered: RenderedNote }>, source: CitationSource, citations: string, options: NoteOptions, render: () => RenderedNote): RenderedNote {
  if (source.document === undefined) return render();
  const signature = JSON.stringify([source.styleKey, source.version, options.nocite]) + citations;
  const hit = cache.get(source.document);
  if (hit?.signature === signature) return hit.rendered;
  const rendered = render();
  cache.delete(source.document);
  cache.set(source.document, { signature, rendered });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return rendered;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function citationsKey(note: NoteScan): string {
  note.citations.key ??= JSON.stringify(note.clusters.map((cluster) => [cluster.items, cluster.inText, cluster.formatted]));
  return note.citations.key;
}

function scanNote(src: string): NoteScan {
  const clusters = noteClusters(src);
  const byText = new Map<string, number[]>();
  clusters.forEach((cluster, index) => {
    if (cluster.formatted) return;
    const text = normalize(cluster.raw);
    const list = byText.get(text);
    if (list) list.push(index);
    else byText.set(text, [index]);
  });
  const firstLine = src.slice(0, (src.indexOf('\n') + 1 || src.length + 1) - 1);
  // A note whose first line opens a front matter that nothing closes yet: any edit may close it.
  const opened = /^\uFEFF?---[ \t]*\r?$/.test(firstLine);
  const bodyStart = frontMatterBlock(src)?.end ?? (opened ? Infinity : firstLine.length + 1);
  const spans = clusters.map(({ start, end }) => ({ start, end }));
  return { src, clusters, spans, options: readNoteOptions(src), bodyStart, byText, citations: {} };
}

/** The scan of `src` moved from `scan` when `src` is `scan`'s text with an edit that keeps its citations; undefined when it needs a scan of its own. */
function movedScan(scan: NoteScan, src: string): NoteScan | undefined {
  const edit = textEdit(scan.src, src);
  if (!edit) return scan;
  if (edit.start < scan.bodyStart || !editKeepsCitations(scan.src, src, edit, scan.spans)) return undefined;
  const shift = edit.newEnd - edit.oldEnd;
  const spans = scan.spans.map((span) => (span.start < edit.start ? span : { start: span.start + shift, end: span.end + shift }));
  return { ...scan, src, spans };
}

// `[` … `]` without brackets inside, not a link, an image or a reference definition.
const GROUP = /\[[^[\]]*\](?![([:])/y;
const BARE = /@(?:\{[^{}\r\n]+\}|[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*)(?:[ \t]?\[[^[\]@\r\n]*\](?![([:]))?/uy;
const BEFORE_BARE = /[\p{L}\p{N}_\\/.:@]/u;

/** A citation the scanner found, at the position markdown-it has reached. */
function citationRule(state: StateInline, silent: boolean, note: ParsedNote | undefined): boolean {
  if (!note) return false;
  const char = state.src[state.pos];
  let candidates: string[];
  if (char === '[') {
    if (state.pos > 0 && state.src[state.pos - 1] === '!') return false;
    GROUP.lastIndex = state.pos;
    const m = GROUP.exec(state.src);
    if (!m || !m[0].includes('@')) return false;
    candidates = [m[0]];
  } else if (char === '@') {
    if (state.pos > 0 && BEFORE_BARE.test(state.src[state.pos - 1])) return false;
    BARE.lastIndex = state.pos;
    const m = BARE.exec(state.src);
    if (!m) return false;
    // With the locator in brackets after it, or without (the scanner decides which it saw).
    candidates = [m[0], m[0].replace(/[ \t]?\[[^[\]]*\]$/, '')];
  } else return false;
  for (const text of candidates) {
    const normalized = normalize(text);
    const list = note.byText.get(normalized);
    const placed = note.placed.get(normalized) ?? 0;
    if (!list || placed >= list.length) continue;
    if (!silent) {
      note.placed.set(normalized, placed + 1);
      const token = state.push('litnotes_citation', '', 0);
      token.meta = { note, at: list[placed] } satisfies CitationMeta;
      token.content = text;
      // Inside a link's text a citation must not be a link itself.
      if ((state as StateInline & { linkLevel?: number }).linkLevel) token.info = 'nolink';
    }
    state.pos += text.length;
    return true;
  }
  return false;
}

const REFS_OPEN = /^(:{3,})[ \t]*\{[ \t]*#refs(?:[ \t][^}]*)?\}[ \t]*$/;

/** pandoc's `::: {#refs}` … `:::`: where the bibliography goes, after what the div holds. */
function refsDivRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const line = (at: number) => state.src.slice(state.bMarks[at] + state.tShift[at], state.eMarks[at]);
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const open = REFS_OPEN.exec(line(startLine));
  if (!open) return false;
  if (silent) return true;
  let close = startLine + 1;
  while (close < endLine && !(new RegExp(`^:{${open[1].length},}[ \\t]*$`).test(line(close)) && state.sCount[close] < state.blkIndent + 4)) close++;
  const start = state.push('litnotes_refs_open', 'div', 1);
  start.map = [startLine, Math.min(close + 1, endLine)];
  const { parentType, lineMax } = state;
  state.parentType = 'litnotes_refs';
  state.lineMax = close;
  state.md.block.tokenize(state, startLine + 1, close);
  state.parentType = parentType;
  state.lineMax = lineMax;
  state.push('litnotes_refs_close', 'div', -1);
  state.line = Math.min(close + 1, endLine);
  return true;
}

/** A YAML front matter block at the start of the note renders as nothing. */
function frontMatterRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (startLine !== 0 || state.blkIndent !== 0) return false;
  const block = frontMatterBlock(state.src);
  if (!block) return false;
  if (silent) return true;
  let line = startLine;
  while (line < endLine && state.bMarks[line] < block.end) line++;
  const token = state.push('litnotes_front_matter', '', 0);
  token.hidden = true;
  token.map = [startLine, line];
  state.line = line;
  return true;
}

/** The bibliography where pandoc puts it: the `{#refs}` div, else Lit Notes' References markers, else the end. */
function placeBibliography(state: StateCore, note: ParsedNote): void {
  const make = (replaced?: Token[]) => {
    const token = new state.Token('litnotes_bibliography', '', 0);
    token.block = true;
    token.meta = note;
    if (replaced) token.children = replaced;
    return token;
  };
  const { tokens } = state;
  const refs = tokens.findIndex((token) => token.type === 'litnotes_refs_close');
  if (refs >= 0) {
    tokens.splice(refs, 0, make());
    return;
  }
  const isMarker = (token: Token, marker: string) => token.type === 'html_block' && token.content.trim().startsWith(marker);
  const start = tokens.findIndex((token) => isMarker(token, REFERENCES_START));
  const end = start < 0 ? -1 : tokens.findIndex((token, at) => at > start && isMarker(token, REFERENCES_END));
  // A list written by Insert Bibliography stands as written when pandoc is told not to add one.
  if (end > start && findReferencesBlock(state.src) && !note.options.suppressBibliography) {
    tokens.splice(start + 1, end - start - 1, make(tokens.slice(start + 1, end)));
    return;
  }
  tokens.push(make());
}
