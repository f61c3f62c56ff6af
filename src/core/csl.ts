/**
 * Papers' records formatted through citeproc-js. citeproc-js, the styles and the locales are
 * handed in by a loader, so this module knows no file paths and the processor loads on first use only.
 */
import { decodeEntities, markdownFromCslHtml } from './cslMarkdown';
import { cslTitle } from './cslTitle';
import { errorText } from './errors';
import type { Paper } from './model';
import { toCslItem, type CslJsonItem } from './sources/record';

/**
 * The item citeproc-js is given for a paper (and pandoc's citeproc, in the tests): its record as
 * CSL-JSON, with the title in sentence case and its case-sensitive words protected (cslTitle.ts).
 */
export function citeprocItem(paper: Paper): CslJsonItem {
  const item = toCslItem(paper);
  return typeof item.title === 'string' ? { ...item, title: cslTitle(item.title) } : item;
}

// ---------------------------------------------------------------------------------------------
// citeproc-js

/** An XML element as citeproc-js holds a style or locale in JSON form. */
export interface CslNode {
  name: string | null;
  attrs: Record<string, string>;
  children: (CslNode | string)[];
}

export interface CiteprocSys {
  retrieveLocale(lang: string): object | string;
  retrieveItem(id: string): CslJsonItem;
  /** With `apply_citation_wrapper`: one paper's part of a citation, marked (`markCitationEntry`). */
  wrapCitationEntry?(html: string, id: string): string;
}

/** The characters around a paper's part of a citation and its key (private-use: no style prints them). */
export const CITATION_ENTRY = { open: '\uE000', key: '\uE001', close: '\uE002' } as const;

/** A paper's part of a citation, marked with its key (URI-encoded, so it holds no marker and no markup). */
export function markCitationEntry(html: string, id: string): string {
  return `${CITATION_ENTRY.open}${encodeURIComponent(id)}${CITATION_ENTRY.key}${html}${CITATION_ENTRY.close}`;
}

/** The part of a citeproc-js engine used here. */
export interface CiteprocEngine {
  opt: { development_extensions: { wrap_url_and_doi: boolean; apply_citation_wrapper: boolean } };
  setOutputFormat(format: 'text' | 'html'): void;
  updateItems(ids: string[]): void;
  /** `false` when the style has no bibliography. */
  makeBibliography(): [{ entry_ids: string[][] }, string[]] | false;
  makeCitationCluster(items: { id: string }[]): string;
}

/** The part of the citeproc-js module (`require('citeproc')`) used here. */
export interface CiteprocModule {
  Engine: new (sys: CiteprocSys, style: object, lang?: string, forceLang?: boolean) => CiteprocEngine;
  parseXml(xml: string): CslNode;
}

export interface CslLoader {
  loadCiteproc(): CiteprocModule;
  /**
   * A style in citeproc-js's JSON form, or the CSL XML of a user's .csl file; undefined for an unknown
   * id. Called once per engine; citeproc-js modifies the object, so hand out a fresh one each time.
   */
  loadStyle(styleId: string): object | string | undefined;
  /** A locale (`en-GB`), or undefined when none is shipped for it (then en-US stands in). */
  loadLocale(lang: string): object | string | undefined;
}

/** `markdown`: citeproc-js's HTML output as inert Markdown (see cslMarkdown.ts). */
export type CslOutput = 'text' | 'html' | 'markdown';

export interface CslFormatterOptions {
  /** The locale every style renders with (`de-DE`); undefined: each style's own `default-locale`, else en-US. */
  locale?: string;
}

/** A style that cannot be used: unknown, unreadable or not valid CSL. The message is for the user. */
export class CslError extends Error {
  override name = 'CslError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // The user's file is at fault, not the code: a stack would only bury the message in the log.
    this.stack = `${this.name}: ${message}`;
  }
}

// What a style is tried on before Lit Notes takes it: an article with every field the papers have.
const PROBE: CslJsonItem = {
  id: 'litnotes-style-probe',
  type: 'article-journal',
  title: 'A probe of the style',
  author: [{ given: 'Ada', family: 'Lovelace' }, { literal: 'Example Institute' }],
  issued: { 'date-parts': [[2024]] },
  'container-title': 'Journal of Examples',
  URL: 'https://example.org/probe',
  DOI: '10.1000/probe',
};

/** Formats papers with citeproc-js, keeping one compiled engine per style. */
export class CslFormatter {
  private citeproc?: CiteprocModule;
  private readonly engines = new Map<string, CiteprocEngine>();
  /** Bumped by `invalidate`, so that engines kept elsewhere (citationSession.ts) know they are stale. */
  private generation = 0;
  private readonly generations = new Map<string, number>();
  /** The items of the call in progress; engines read them through `retrieveItem`. */
  private readonly items = new Map<string, CslJsonItem>();

  constructor(
    private readonly loader: CslLoader,
    private readonly options: CslFormatterOptions = {},
  ) {}

  /** One entry per paper (duplicate keys once), in the style's order, without surrounding whitespace. */
  formatBibliography(papers: Paper[], styleId: string, output: CslOutput = 'text'): string[] {
    return this.bibliographyEntries(papers, styleId, output).map((entry) => entry.text);
  }

  /** The same entries, each with the citation key it is for (the style may reorder them). */
  bibliographyEntries(papers: Paper[], styleId: string, output: CslOutput = 'text'): { key: string; text: string }[] {
    if (papers.length === 0) return [];
    return this.formatItemsBibliography(papers.map(citeprocItem), styleId, output);
  }

  /**
   * Throws a CslError saying in words why the style cannot serve Lit Notes: unreadable, not XML, not
   * CSL, without a citation or bibliography layout, or failing on a real item. Caches the engine.
   */
  check(styleId: string): void {
    const style = this.styleNode(styleId);
    const child = (node: CslNode | undefined, name: string) => node && childNamed(node, name);
    if (!child(child(style, 'bibliography'), 'layout')) {
      throw new CslError(`The citation style "${styleId}" has no <bibliography> with a <layout>, so it cannot write references.`);
    }
    try {
      this.formatItemsBibliography([PROBE], styleId, 'text');
      this.runItems(styleId, [PROBE], 'text', (engine) => engine.makeCitationCluster([{ id: PROBE.id }]));
    } catch (error) {
      // Loading and compiling passed, so citeproc-js failed on the item: a style error it finds only then.
      const cause = error instanceof CslError ? error.cause : error;
      if (cause === undefined) throw error;
      throw new CslError(`The citation style "${styleId}" cannot format a reference (tried on a sample article): ${errorText(cause)}`, { cause });
    }
  }

  private formatItemsBibliography(items: CslJsonItem[], styleId: string, output: CslOutput): { key: string; text: string }[] {
    return this.runItems(styleId, items, output, (engine) => {
      const bibliography = engine.makeBibliography();
      if (!bibliography) throw new CslError(`The citation style "${styleId}" has no bibliography.`);
      const [{ entry_ids: ids }, entries] = bibliography;
      return entries.map((entry, index) => ({ key: ids[index][0], text: finish(entry, output) }));
    });
  }

  /** The in-text citation of the papers together, e.g. "(Zhou et al., 2024)" or "[1], [2]". */
  formatCitation(papers: Paper[], styleId: string, output: CslOutput = 'text'): string {
    if (papers.length === 0) return '';
    return this.runItems(styleId, papers.map(citeprocItem), output, (engine, ids) =>
      finish(engine.makeCitationCluster(ids.map((id) => ({ id }))), output),
    );
  }

  /** Drops cached engines (one style, or all), e.g. after the user edited a .csl file. */
  invalidate(styleId?: string): void {
    if (styleId === undefined) {
      this.engines.clear();
      this.generation++;
    } else {
      this.engines.delete(styleId);
      this.generations.set(styleId, (this.generations.get(styleId) ?? 0) + 1);
    }
  }

  /** Changes whenever `invalidate` drops the style: an engine made before is stale. */
  styleGeneration(styleId: string): string {
    return `${this.generation}.${this.generations.get(styleId) ?? 0}`;
  }

  /**
   * An engine of its own for the style, for a caller that keeps it with its state between calls
   * (citationSession.ts), reading its items through `retrieveItem`.
   */
  documentEngine(styleId: string, output: 'text' | 'html', retrieveItem: (id: string) => CslJsonItem): CiteprocEngine {
    const engine = this.newEngine(styleId, retrieveItem);
    engine.setOutputFormat(output);
    return engine;
  }

  /**
   * Runs `format` on the style's engine with these papers registered (and retrievable by key). Also
   * the way in for citeproc-js's document API (documentCitations.ts); its strings go through `finish`.
   */
  run<T>(styleId: string, papers: Paper[], output: CslOutput, format: (engine: CiteprocEngine, ids: string[]) => T): T {
    return this.runItems(styleId, papers.map(citeprocItem), output, format);
  }

  private runItems<T>(styleId: string, items: CslJsonItem[], output: CslOutput, format: (engine: CiteprocEngine, ids: string[]) => T): T {
    const engine = this.engine(styleId);
    this.items.clear();
    for (const item of items) if (!this.items.has(item.id)) this.items.set(item.id, item);
    const ids = [...this.items.keys()];
    try {
      engine.setOutputFormat(output === 'text' ? 'text' : 'html');
      // The registry keeps item data by id: clearing it makes edited papers render afresh.
      engine.updateItems([]);
      engine.updateItems(ids);
      return format(engine, ids);
    } catch (error) {
      // A failure midway can leave the engine's registry inconsistent.
      this.engines.delete(styleId);
      throw cslFailure(styleId, error);
    } finally {
      this.items.clear();
    }
  }

  /** The style as parsed and checked for the elements every use needs. */
  private styleNode(styleId: string): CslNode {
    let source: object | string | undefined;
    try {
      source = this.loader.loadStyle(styleId);
    } catch (error) {
      // A loader's own CslError says already what is wrong with the file, and names it as the user wrote it.
      if (error instanceof CslError) throw error;
      throw new CslError(`The citation style "${styleId}" could not be read: ${errorText(error)}`, { cause: error });
    }
    if (source === undefined) throw new CslError(`Unknown citation style "${styleId}".`);
    const citeproc = (this.citeproc ??= this.loader.loadCiteproc());
    const style = (typeof source === 'string' ? parseStyleXml(citeproc, source, styleId) : source) as CslNode;
    checkStyle(style, styleId);
    return style;
  }

  private engine(styleId: string): CiteprocEngine {
    const cached = this.engines.get(styleId);
    if (cached) return cached;
    const engine = this.newEngine(styleId, (id) => {
      const item = this.items.get(id);
      if (!item) throw new Error(`no item "${id}"`);
      return item;
    });
    this.engines.set(styleId, engine);
    return engine;
  }

  private newEngine(styleId: string, retrieveItem: (id: string) => CslJsonItem): CiteprocEngine {
    const style = this.styleNode(styleId);
    const citeproc = this.citeproc!;
    const sys: CiteprocSys = {
      // A locale not shipped (a style's or an item's language) falls back to en-US, as citeproc-js does.
      retrieveLocale: (lang) => this.loader.loadLocale(lang) ?? this.loader.loadLocale('en-US') ?? {},
      retrieveItem,
      wrapCitationEntry: markCitationEntry,
    };
    const { locale } = this.options;
    let engine: CiteprocEngine;
    try {
      // Without a chosen locale citeproc-js takes the style's default-locale (Cite Them Right: en-GB).
      engine = new citeproc.Engine(sys, style, locale, locale !== undefined);
    } catch (error) {
      throw new CslError(`The citation style "${styleId}" is not valid CSL: ${errorText(error)}`, { cause: error });
    }
    // URLs and DOIs as links in HTML output, so Markdown output can make them autolinks.
    engine.opt.development_extensions.wrap_url_and_doi = true;
    return engine;
  }
}

/** A failure of citeproc-js on a style, in words (a CslError as it is). */
export function cslFailure(styleId: string, error: unknown): CslError {
  if (error instanceof CslError) return error;
  return new CslError(`The citation style "${styleId}" failed: ${errorText(error)}`, { cause: error });
}

function childNamed(node: CslNode, name: string): CslNode | undefined {
  return node.children.find((c): c is CslNode => typeof c !== 'string' && c.name === name);
}

/**
 * The shipped locale that serves `lang`: itself, else the language's main region (`fr` → `fr-FR`),
 * else another of its regions or the bare language (`ar-SA` → `ar`); undefined when there is none.
 */
export function pickLocale(lang: string, available: readonly string[]): string | undefined {
  const wanted = lang.trim().replace('_', '-').toLowerCase();
  const language = wanted.split('-')[0];
  const byLower = new Map(available.map((id) => [id.toLowerCase(), id]));
  return (
    byLower.get(wanted) ??
    byLower.get(`${language}-${language}`) ??
    available.find((id) => id.toLowerCase().split('-')[0] === language)
  );
}

function parseStyleXml(citeproc: CiteprocModule, xml: string, styleId: string): CslNode {
  // citeproc-js's own parser is lenient and turns broken XML into odd errors much later.
  const problem = xmlProblem(xml);
  if (problem) throw new CslError(`The citation style "${styleId}" is not well-formed XML: ${problem}.`);
  return citeproc.parseXml(xml);
}

function checkStyle(style: CslNode, styleId: string): void {
  const invalid = (why: string) => new CslError(`The citation style "${styleId}" is not a CSL style: ${why}.`);
  if (style?.name !== 'style') throw invalid('its root element is not <style>');
  const info = childNamed(style, 'info');
  const citation = childNamed(style, 'citation');
  if (!citation && info?.children.some((c) => typeof c !== 'string' && c.name === 'link' && c.attrs.rel === 'independent-parent')) {
    throw invalid('it is a dependent style; use the style it names as its parent');
  }
  if (!info || !childNamed(info, 'title')) throw invalid('it has no <info> with a <title>');
  if (!citation) throw invalid('it has no <citation>');
  if (!childNamed(citation, 'layout')) throw invalid('its <citation> has no <layout>');
}

/** The first well-formedness problem of an XML document (with its line), or undefined. */
function xmlProblem(xml: string): string | undefined {
  // Blank out what may hold stray '<', keeping offsets so line numbers stay right.
  const text = xml.replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>/g, (m) =>
    m.replace(/[^\n]/g, ' '),
  );
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const open: string[] = [];
  let roots = 0;
  for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) {
    tag.lastIndex = at;
    const m = tag.exec(text);
    if (!m) return `malformed tag on line ${lineAt(at)}`;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const expected = open.pop();
      if (expected !== name) return `</${name}> on line ${lineAt(at)} does not close ${expected ? `<${expected}>` : 'anything'}`;
    } else {
      if (open.length === 0 && ++roots > 1) return `a second root element <${name}> on line ${lineAt(at)}`;
      if (!selfClosing) open.push(name);
    }
    at = tag.lastIndex - 1;
  }
  if (roots === 0) return 'no root element';
  if (open.length > 0) return `<${open[open.length - 1]}> is never closed`;
  return undefined;
}

/** The id and title a user's .csl file declares in its <info>, to list it. */
export function readStyleInfo(xml: string): { id?: string; title?: string } {
  const info = /<info\b[^>]*>([\s\S]*?)<\/info>/.exec(xml)?.[1] ?? '';
  const text = (name: string) => {
    const value = new RegExp(`<${name}\\b[^>]*>([^<]*)</${name}>`).exec(info)?.[1];
    return value === undefined ? undefined : decodeEntities(value).trim() || undefined;
  };
  return { id: text('id'), title: text('title') };
}

/**
 * citeproc-js's text output is plain text; entities in it come from paper data scraped from HTML.
 * Tags typed into paper data stay as text here: the Markdown writers neutralise them.
 */
export function finish(formatted: string, output: CslOutput): string {
  if (output === 'markdown') return markdownFromCslHtml(formatted);
  return (output === 'text' ? decodeEntities(formatted) : formatted).trim();
}
