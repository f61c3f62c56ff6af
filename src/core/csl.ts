/**
 * Papers as CSL-JSON, and formatting through citeproc-js. citeproc-js, the styles and the locale are
 * handed in by a loader, so this module knows no file paths and the processor loads on first use only.
 */
import type { Paper } from './model';
import { arxivAbsUrl, safeExternalUrl } from './urls';

export type CslItemType = 'article' | 'article-journal' | 'paper-conference';

/** A CSL name: a person, or an institution as a literal. */
export type CslName = { given: string; family: string } | { literal: string };

/** The CSL-JSON fields Lit Notes fills in. */
export interface CslItem {
  id: string;
  type: CslItemType;
  title: string;
  author?: CslName[];
  issued?: { 'date-parts': [number[]] };
  'container-title'?: string;
  publisher?: string;
  genre?: string;
  number?: string;
  URL?: string;
  DOI?: string;
  abstract?: string;
}

/** Where a paper appeared, as far as the venue string tells. */
export type VenueKind = 'preprint' | 'conference' | 'journal';

// Acronyms are matched case-sensitively so that words like "Chi" or "Acl..." do not count.
const CONFERENCE_ACRONYMS =
  /\b(?:ICML|ICLR|NeurIPS|NIPS|ACL|EMNLP|NAACL|EACL|AACL|COLING|COLM|CVPR|ICCV|ECCV|WACV|AAAI|IJCAI|KDD|WWW|SIGIR|WSDM|CIKM|RecSys|CoRL|RSS|ICRA|IROS|AISTATS|UAI|COLT|ICASSP|INTERSPEECH|Interspeech|MICCAI|SIGGRAPH|CHI|UIST|MLSys|LREC|RLC)\b/;
const CONFERENCE_WORDS = /\b(?:conference|workshop|symposium|proceedings|congress)\b/i;
const PREPRINT_VENUE = /^\s*(?:arxiv|corr)\b/i;

export function venueKind(paper: Paper): VenueKind {
  const venue = paper.venue?.trim();
  if (!venue || PREPRINT_VENUE.test(venue)) return 'preprint';
  return CONFERENCE_ACRONYMS.test(venue) || CONFERENCE_WORDS.test(venue) ? 'conference' : 'journal';
}

const CSL_TYPES: Record<VenueKind, CslItemType> = {
  preprint: 'article',
  conference: 'paper-conference',
  journal: 'article-journal',
};

/** The paper's own page: arXiv, else its first safe link to the paper (not to its code). */
export function paperUrl(paper: Paper): string | undefined {
  const { arxiv, pdf, huggingFace } = paper.links;
  return [paper.arxivId && arxivAbsUrl(paper.arxivId), arxiv, pdf, huggingFace]
    .map(safeExternalUrl)
    .find((url) => url !== undefined);
}

export function toCslJson(paper: Paper): CslItem {
  const kind = venueKind(paper);
  const item: CslItem = { id: paper.key, type: CSL_TYPES[kind], title: paper.title };
  if (paper.authors.length > 0) {
    item.author = paper.authors.map((a) => (a.given ? { given: a.given, family: a.family } : { literal: a.family }));
  }
  // Year only: a listing's date is when the paper was shown there, not when it was published, and
  // styles such as APA print a full date for conference papers.
  const year = paper.year ?? paper.listingDate?.year;
  if (year !== undefined) item.issued = { 'date-parts': [[year]] };
  if (kind !== 'preprint' && paper.venue) item['container-title'] = paper.venue.trim();
  if (kind === 'preprint' && paper.arxivId) {
    // How Zotero records an arXiv preprint, which the styles are written against.
    item.publisher = 'arXiv';
    item.genre = 'Preprint';
    item.number = `arXiv:${paper.arxivId}`;
  }
  const url = paperUrl(paper);
  if (url) item.URL = url;
  if (paper.doi) item.DOI = paper.doi;
  if (paper.abstract) item.abstract = paper.abstract;
  return item;
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
  retrieveItem(id: string): CslItem;
}

/** The part of a citeproc-js engine used here. */
export interface CiteprocEngine {
  setOutputFormat(format: 'text' | 'html'): void;
  updateItems(ids: string[]): void;
  /** `false` when the style has no bibliography. */
  makeBibliography(): [object, string[]] | false;
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
  loadLocale(lang: string): object | string;
}

export type CslOutput = 'text' | 'html';

/** A style that cannot be used: unknown, unreadable or not valid CSL. The message is for the user. */
export class CslError extends Error {
  override name = 'CslError';
}

// Only the locale the assets ship; styles asking for another (Cite Them Right wants en-GB) use it too.
const LOCALE = 'en-US';

/** Formats papers with citeproc-js, keeping one compiled engine per style. */
export class CslFormatter {
  private citeproc?: CiteprocModule;
  private readonly engines = new Map<string, CiteprocEngine>();
  /** The items of the call in progress; engines read them through `retrieveItem`. */
  private readonly items = new Map<string, CslItem>();

  constructor(private readonly loader: CslLoader) {}

  /** One entry per paper (duplicate keys once), in the style's order, without surrounding whitespace. */
  formatBibliography(papers: Paper[], styleId: string, output: CslOutput = 'text'): string[] {
    if (papers.length === 0) return [];
    return this.run(styleId, papers, output, (engine) => {
      const bibliography = engine.makeBibliography();
      if (!bibliography) throw new CslError(`The citation style "${styleId}" has no bibliography.`);
      return bibliography[1].map((entry) => finish(entry, output));
    });
  }

  /** The in-text citation of the papers together, e.g. "(Zhou et al., 2024)" or "[1], [2]". */
  formatCitation(papers: Paper[], styleId: string, output: CslOutput = 'text'): string {
    if (papers.length === 0) return '';
    return this.run(styleId, papers, output, (engine, ids) =>
      finish(engine.makeCitationCluster(ids.map((id) => ({ id }))), output),
    );
  }

  /** Drops cached engines (one style, or all), e.g. after the user edited a .csl file. */
  invalidate(styleId?: string): void {
    if (styleId === undefined) this.engines.clear();
    else this.engines.delete(styleId);
  }

  /**
   * Runs `format` on the style's engine with these papers registered (and retrievable by key). Also
   * the way in for citeproc-js's document API (documentCitations.ts); its strings go through `finish`.
   */
  run<T>(styleId: string, papers: Paper[], output: CslOutput, format: (engine: CiteprocEngine, ids: string[]) => T): T {
    const engine = this.engine(styleId);
    this.items.clear();
    for (const paper of papers) if (!this.items.has(paper.key)) this.items.set(paper.key, toCslJson(paper));
    const ids = [...this.items.keys()];
    try {
      engine.setOutputFormat(output);
      // The registry keeps item data by id: clearing it makes edited papers render afresh.
      engine.updateItems([]);
      engine.updateItems(ids);
      return format(engine, ids);
    } catch (error) {
      // A failure midway can leave the engine's registry inconsistent.
      this.engines.delete(styleId);
      if (error instanceof CslError) throw error;
      throw new CslError(`The citation style "${styleId}" failed: ${errorMessage(error)}`, { cause: error });
    } finally {
      this.items.clear();
    }
  }

  private engine(styleId: string): CiteprocEngine {
    const cached = this.engines.get(styleId);
    if (cached) return cached;
    let source: object | string | undefined;
    try {
      source = this.loader.loadStyle(styleId);
    } catch (error) {
      throw new CslError(`The citation style "${styleId}" could not be read: ${errorMessage(error)}`, { cause: error });
    }
    if (source === undefined) throw new CslError(`Unknown citation style "${styleId}".`);
    const citeproc = (this.citeproc ??= this.loader.loadCiteproc());
    const style = typeof source === 'string' ? parseStyleXml(citeproc, source, styleId) : source;
    checkStyle(style as CslNode, styleId);
    const sys: CiteprocSys = {
      retrieveLocale: (lang) => this.loader.loadLocale(lang),
      retrieveItem: (id) => {
        const item = this.items.get(id);
        if (!item) throw new Error(`no item "${id}"`);
        return item;
      },
    };
    let engine: CiteprocEngine;
    try {
      engine = new citeproc.Engine(sys, style, LOCALE, true);
    } catch (error) {
      throw new CslError(`The citation style "${styleId}" is not valid CSL: ${errorMessage(error)}`, { cause: error });
    }
    this.engines.set(styleId, engine);
    return engine;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const child = (node: CslNode, name: string) =>
    node.children.find((c): c is CslNode => typeof c !== 'string' && c.name === name);
  const citation = child(style, 'citation');
  if (!citation) {
    const dependent = child(style, 'info')?.children.some(
      (c) => typeof c !== 'string' && c.name === 'link' && c.attrs.rel === 'independent-parent',
    );
    throw invalid(dependent ? 'it is a dependent style; use the style it names as its parent' : 'it has no <citation>');
  }
  if (!child(citation, 'layout')) throw invalid('its <citation> has no <layout>');
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

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z]+));/gi, (m, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED_ENTITIES[name.toLowerCase()] ?? m;
    const code = dec ? Number(dec) : parseInt(hex ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/**
 * citeproc-js's text output is plain text; entities in it come from paper data scraped from HTML.
 * Tags typed into paper data stay as text here: the Markdown writers neutralise them.
 */
export function finish(formatted: string, output: CslOutput): string {
  return (output === 'text' ? decodeEntities(formatted) : formatted).trim();
}
