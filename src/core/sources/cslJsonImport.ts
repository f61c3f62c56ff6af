/** CSL-JSON files (Zotero, Better CSL JSON, pandoc-citeproc) → papers. */
import { makeCitationKey } from '../citekey';
import { isObject as isRecord, parseCslRecord } from './cslRecord';
import { isCitable, paperFromRecord } from './record';
import { splitKeywords, validatePaper, type ImportedPaper, type ParsedSource, type SourceProblem } from './source';

/** Keys that can go into Markdown as `[@key]`; Zotero's own ids ("http://zotero.org/…", numbers) cannot. */
const USABLE_KEY = /^[\p{L}\p{N}_][\p{L}\p{N}_:.+\-/]*$/u;

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
  const idOf = (name: string) => (typeof value[name] === 'string' || typeof value[name] === 'number' ? String(value[name]).trim() || undefined : undefined);
  const id = idOf('citation-key') ?? idOf('id');
  const messages: string[] = [];
  const record = parseCslRecord(value, (message) => messages.push(message)) ?? { type: 'document' };
  if (!isCitable(record)) {
    problems.push({ line, message: `${id ? `"${id.slice(0, 80)}"` : 'an item'} has no title and nothing else to cite it by; skipped`, severity: 'error', ...(id ? { key: id } : {}) });
    return undefined;
  }
  let key = id ?? '';
  if (id === undefined || !USABLE_KEY.test(id) || id.includes('://') || /^\d+$/.test(id)) {
    const shown = paperFromRecord('', record);
    key = makeCitationKey({ authors: shown.authors, year: shown.year, title: shown.title });
    if (id !== undefined) {
      record.custom = { ...record.custom, 'original-id': id };
      problems.push({ line, message: `the id "${id.slice(0, 80)}" cannot be written as a citation key; the item is cited as "${key}"`, severity: 'warning', key });
    }
  }
  for (const message of messages) problems.push({ line, message: `"${key}": ${message}`, severity: 'warning', key });
  const paper = validatePaper(paperFromRecord(key, record), line, problems);
  return paper && { paper, line, keywords: [...new Set([...listVariable(record.keyword), ...listVariable(record.categories)])] };
}

/** `keyword` as Zotero writes it ("a, b") or as a list; `categories` as a list of texts. */
function listVariable(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((word): word is string => typeof word === 'string').map((word) => word.trim()).filter(Boolean);
  return splitKeywords(typeof value === 'string' ? value : undefined);
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
