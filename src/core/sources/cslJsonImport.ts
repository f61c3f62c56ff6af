/** CSL-JSON files (Zotero, Better CSL JSON, pandoc-citeproc) → papers. */
import { makeCitationKey } from '../citekey';
import type { Author, Paper } from '../model';
import {
  checkedUrl,
  findArxivId,
  normaliseDoi,
  normaliseFact,
  paperLinks,
  splitKeywords,
  untitledLabel,
  validatePaper,
  type EntryFacts,
  type ImportedPaper,
  type ParsedSource,
  type SourceProblem,
} from './source';

type Json = Record<string, unknown>;

/** Keys that can go into Markdown as `[@key]`; Zotero's own ids ("http://zotero.org/…", numbers) cannot. */
const USABLE_KEY = /^[\p{L}\p{N}_][\p{L}\p{N}_:.+\-/]*$/u;
/** Conference-like item types keep their container as the venue; a book's venue is its publisher. */
const PUBLISHER_VENUE = new Set(['book', 'report', 'thesis']);
/** An item without a title is cited by these (or its authors and date). */
const CITABLE_BY = ['container-title', 'publisher', 'note', 'URL', 'DOI'];
/** Variables that say nothing about which work an item is. */
const BOOKKEEPING = new Set(['id', 'citation-key', 'abstract', 'keyword', 'note', 'accessed', 'annote', 'custom']);

export function importCslJson(text: string): ParsedSource {
  const problems: SourceProblem[] = [];
  const clean = text.replace(/^\uFEFF/, '');
  const elements = splitTopLevelArray(clean);
  let items: { value: unknown; line: number }[];
  try {
    const json: unknown = JSON.parse(clean);
    const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.items) ? json.items : undefined;
    if (!list) return { papers: [], problems: [{ line: 1, message: 'expected a CSL-JSON list of items ([ {…}, … ])', severity: 'error' }] };
    items = list.map((value, index) => ({ value, line: elements?.[index]?.line ?? 1 }));
  } catch (error) {
    // Broken JSON: read the items one by one so one bad item does not hide the others.
    if (!elements) return { papers: [], problems: [{ line: lineOfJsonError(clean, error), message: `not valid JSON: ${(error as Error).message}`, severity: 'error' }] };
    items = [];
    for (const element of elements) {
      try {
        items.push({ value: JSON.parse(element.text), line: element.line });
      } catch (itemError) {
        problems.push({ line: element.line, message: `this item is not valid JSON (${(itemError as Error).message}); skipped`, severity: 'error', ...keyHint(element.text) });
      }
    }
  }
  const papers: ImportedPaper[] = [];
  const keys = new Set<string>();
  for (const { value, line } of items) {
    const imported = itemToPaper(value, line, problems);
    if (!imported) continue;
    if (keys.has(imported.paper.key)) {
      problems.push({ line, message: `an earlier item has the citation key "${imported.paper.key}"; this one is skipped`, severity: 'error', key: imported.paper.key });
      continue;
    }
    keys.add(imported.paper.key);
    papers.push(imported);
  }
  return { papers, problems: problems.sort((a, b) => a.line - b.line) };
}

function itemToPaper(value: unknown, line: number, problems: SourceProblem[]): ImportedPaper | undefined {
  if (!isRecord(value)) {
    problems.push({ line, message: 'an item is not an object; skipped', severity: 'error' });
    return undefined;
  }
  const text = (name: string): string | undefined => {
    const raw = value[name];
    const joined = Array.isArray(raw) ? raw.filter((part) => typeof part === 'string').join(', ') : raw;
    return typeof joined === 'string' && joined.trim() ? joined.replace(/\s+/g, ' ').trim() : typeof joined === 'number' ? String(joined) : undefined;
  };
  const title = text('title');
  const id = text('citation-key') ?? text('id');
  const authorNames = names(value.author);
  const people = authorNames.names.length > 0 ? authorNames : names(value.editor);
  const year = yearOf(value.issued);
  if (!title && people.names.length === 0 && year === undefined && !CITABLE_BY.some(text)) {
    problems.push({ line, message: `${id ? `"${id}"` : 'an item'} has no title and nothing else to cite it by; skipped`, severity: 'error', ...(id ? { key: id } : {}) });
    return undefined;
  }
  const container = text('container-title');
  const displayTitle = title ?? untitledLabel(container, text('publisher'), text('note'));
  const usable = id !== undefined && USABLE_KEY.test(id) && !id.includes('://') && !/^\d+$/.test(id);
  const key = usable ? id : makeCitationKey({ authors: people.names, year, title: displayTitle });
  if (id !== undefined && !usable) {
    problems.push({ line, message: `the id "${id.slice(0, 80)}" cannot be written as a citation key; the item is cited as "${key}"`, severity: 'warning', key });
  }
  const doi = normaliseDoi(text('DOI'));
  const arxivId = findArxivId(text('DOI'), text('URL'), text('number'), text('archive_location'), text('note'));
  const type = text('type');
  const venue =
    container && /^arxiv\b/i.test(container) ? 'arXiv' : (container ?? (PUBLISHER_VENUE.has(type ?? '') ? text('publisher') : undefined) ?? (arxivId ? 'arXiv' : text('publisher')));
  const paper: Paper = {
    key,
    title: displayTitle,
    abstract: text('abstract') ?? '',
    authors: people.names,
    authorCount: people.names.length,
    links: paperLinks(arxivId, checkedUrl(text('URL'), key, line, problems)),
    topics: [],
  };
  if (people.others) paper.andOthers = true;
  if (year !== undefined) paper.year = year;
  if (venue) paper.venue = venue;
  if (doi) paper.doi = doi;
  if (arxivId) paper.arxivId = arxivId;
  const validated = validatePaper(paper, line, problems);
  return validated && { paper: validated, line, keywords: splitKeywords(text('keyword')), facts: itemFacts(value, text, Boolean(title), paper) };
}

/** The variables of an item, normalised, with the shared names of `EntryFacts`. */
function itemFacts(item: Json, text: (name: string) => string | undefined, titled: boolean, paper: Paper): EntryFacts {
  const fields: Record<string, string> = {};
  for (const name of Object.keys(item)) {
    const value = text(name);
    if (value !== undefined && !BOOKKEEPING.has(name)) fields[name] = normaliseFact(value);
  }
  const family = (raw: unknown) => names(raw).names.map((author) => normaliseFact(author.family)).join('; ');
  const common: Record<string, string | undefined> = {
    authors: family(item.author),
    editors: family(item.editor),
    container: fields['container-title'],
    pages: fields.page,
    year: paper.year?.toString(),
  };
  for (const [name, value] of Object.entries(common)) if (value) fields[name] = value;
  return { type: text('type') ?? 'document', titled, fields };
}

/** CSL names; a last literal "others" (how pandoc writes BibTeX's "and others") says the list goes on. */
function names(raw: unknown): { names: Author[]; others: boolean } {
  if (!Array.isArray(raw)) return { names: [], others: false };
  const last: unknown = raw[raw.length - 1];
  const others = isRecord(last) && last.literal === 'others';
  const list = raw.slice(0, others ? -1 : undefined).flatMap((name): Author[] => {
    if (!isRecord(name)) return [];
    const part = (field: string) => (typeof name[field] === 'string' ? (name[field] as string).trim() : '');
    if (part('literal')) return [{ given: '', family: part('literal') }];
    const family = [part('non-dropping-particle'), part('family'), part('suffix')].filter(Boolean).join(' ');
    const given = [part('given'), part('dropping-particle')].filter(Boolean).join(' ');
    return family ? [{ given, family }] : given ? [{ given: '', family: given }] : [];
  });
  return { names: list, others };
}

/** `{"date-parts": [[2020, 5]]}`, `[["2020"]]` (Zotero), `{"raw": "2020-05-01"}` or `{"literal": "Spring 2020"}`. */
function yearOf(issued: unknown): number | undefined {
  if (!isRecord(issued)) return undefined;
  const parts = issued['date-parts'];
  const first = Array.isArray(parts) && Array.isArray(parts[0]) ? parts[0][0] : undefined;
  const candidates = [first, issued.raw, issued.literal, issued.year];
  for (const candidate of candidates) {
    const year = /\b(\d{4})\b/.exec(typeof candidate === 'number' || typeof candidate === 'string' ? String(candidate) : '')?.[1];
    if (year) return Number(year);
  }
  return undefined;
}

/** The text and first line of each element of a top-level JSON array, found without parsing it; undefined if it is no array. */
function splitTopLevelArray(text: string): { text: string; line: number }[] | undefined {
  const start = text.search(/\S/);
  if (text[start] !== '[') return undefined;
  const elements: { text: string; line: number }[] = [];
  let line = 1 + countNewlines(text, 0, start);
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  let elementLine = line;
  for (let index = start + 1; index < text.length; index++) {
    const ch = text[index];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') index++;
      else if (ch === '"' || ch === '\n') inString = false; // a string never spans lines: resynchronise
      continue;
    }
    if (ch === '"') inString = true;
    if (depth === 0 && (ch === ',' || ch === ']')) {
      if (elementStart >= 0) elements.push({ text: text.slice(elementStart, index), line: elementLine });
      elementStart = -1;
      if (ch === ']') break;
      continue;
    }
    if (elementStart < 0 && /\S/.test(ch)) {
      elementStart = index;
      elementLine = line;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth = Math.max(0, depth - 1);
    // An item starting at the beginning of a line while the previous one is still open: that one is broken.
    if (depth > 0 && ch === '\n' && /^\{/.test(text.slice(index + 1, index + 2)) && elementStart >= 0) {
      elements.push({ text: text.slice(elementStart, index), line: elementLine });
      elementStart = -1;
      depth = 0;
    }
  }
  if (elementStart >= 0) elements.push({ text: text.slice(elementStart), line: elementLine });
  return elements;
}

function keyHint(text: string): { key?: string } {
  const id = /"(?:citation-key|id)"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  return id ? { key: id } : {};
}

function lineOfJsonError(text: string, error: unknown): number {
  const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
  return position === undefined ? 1 : 1 + countNewlines(text, 0, Number(position));
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = text.indexOf('\n', from); index >= 0 && index < to; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
