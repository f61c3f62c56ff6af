/**
 * Exports of papers' records: BibTeX (ASCII, LaTeX escapes, BibTeX's own entry types: what bibtex
 * and pdflatex accept), BibLaTeX (UTF-8, biblatex's types and fields, for biber) and CSL-JSON. The
 * mapping is the table of sources/bibtexMapping.ts read backwards; what a format cannot hold is
 * named in the notes, never dropped silently.
 */
import type { CslDate, CslName, CslRecord, Paper } from './model';
import {
  BIBTEX_TYPES,
  CSL_TYPE_OF_ENTRY,
  DEFAULT_GENRE,
  ENTRY_TYPE_OF_CSL,
  FIELD_ALIASES,
  GENRE_OF_TYPE_KEY,
  parseEdtf,
  publisherField,
  rulesFor,
  type FieldRule,
} from './sources/bibtexMapping';
import { asciiLatex, decodeLatexRich, encodeLatex, encodeLatexRich, type EncodedLatex } from './sources/latex';
import { recordOf, toCslItem } from './sources/record';
import { safeExternalUrl } from './urls';

export type BibtexDialect = 'bibtex' | 'biblatex';

export interface BibtexExport {
  text: string;
  /** What could not be written as it is, one line per paper and reason, for the log. */
  notes: string[];
}

const MONTH_MACROS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** The order fields are written in; fields kept as written follow. */
const FIELD_ORDER = [
  'title', 'subtitle', 'shorttitle', 'author', 'editor', 'translator', 'bookauthor', 'journal', 'journaltitle', 'booktitle', 'shortjournal',
  'series', 'eventtitle', 'venue', 'eventdate', 'edition', 'volume', 'volumes', 'number', 'chapter', 'pages', 'pagetotal',
  'publisher', 'institution', 'school', 'organization', 'howpublished', 'address', 'location', 'year', 'month', 'date', 'type',
  'origdate', 'version', 'pubstate', 'isbn', 'issn', 'doi', 'url', 'urldate', 'language', 'keywords', 'note', 'annote', 'annotation', 'abstract',
];
/** Written as BibTeX names them when exporting BibTeX (biblatex reads both). */
const BIBTEX_NAMES = new Map([...FIELD_ALIASES].map(([bibtex, biblatex]) => [biblatex, bibtex === 'archiveprefix' ? 'archivePrefix' : 'primaryClass']));
/** Variables read for the shown fields only, or handled apart from the table. */
const HANDLED_APART = new Set(['type', 'custom', 'publisher', 'issued', 'genre']);

export function exportBibtex(papers: readonly Paper[], dialect: BibtexDialect = 'bibtex'): BibtexExport {
  const keys = new Set(papers.map((paper) => citationKey(paper.key)));
  const notes: string[] = [];
  const entries = papers.map((paper) => entryText(paper, dialect, keys, (note) => notes.push(`"${paper.key}": ${note}`)));
  return { text: entries.map((entry) => `${entry}\n`).join('\n'), notes };
}

export function toBibtexAll(papers: readonly Paper[], dialect: BibtexDialect = 'bibtex'): string {
  return exportBibtex(papers, dialect).text;
}

export function toBibtex(paper: Paper, dialect: BibtexDialect = 'bibtex'): string {
  return entryText(paper, dialect, new Set([citationKey(paper.key)]), () => undefined);
}

/** The CSL-JSON file of papers: their records as items, keyed by citation key. */
export function exportCslJson(papers: readonly Paper[]): string {
  return `${JSON.stringify(papers.map(toCslItem), null, 2)}\n`;
}

function entryText(paper: Paper, dialect: BibtexDialect, exportedKeys: ReadonlySet<string>, note: (text: string) => void): string {
  const record = recordOf(paper);
  const ascii = dialect === 'bibtex';
  const type = entryType(record, dialect, note);
  const fields = new Map<string, string>();
  const unencoded = new Set<string>();
  const latex = (encoded: EncodedLatex) => {
    encoded.unencoded.forEach((char) => unencoded.add(char));
    return encoded.latex;
  };
  const put = (name: string, value: string | undefined): boolean => {
    if (!value || fields.has(name)) return false;
    fields.set(name, value);
    return true;
  };
  const raw = record.custom?.['bibtex-fields'] ?? {};
  const written = new Set(HANDLED_APART);
  // A preprint's "arXiv:…" number and arXiv as its publisher are what its eprint says: it is written instead.
  const arxivId = record.type === 'article' ? /^arXiv:(\S+)$/i.exec(String(record.number ?? ''))?.[1] : undefined;
  const implied = new Set(arxivId ? ['number', ...(record.publisher === 'arXiv' ? ['publisher'] : [])] : []);
  implied.forEach((variable) => written.add(variable));
  if (arxivId && raw.eprint === undefined) {
    put('eprint', arxivId);
    put(ascii ? 'archivePrefix' : 'eprinttype', 'arXiv');
  }

  for (const rule of rulesFor(record.type)) {
    const value = record[rule.variable];
    if (value === undefined || written.has(rule.variable)) continue;
    const name = dialect === 'bibtex' ? (rule.bibtex ?? rule.fields[0]) : rule.fields[0];
    const text = fieldValue(rule, value, record, raw, ascii, latex, note);
    if (text === undefined) continue;
    if (put(name, text)) written.add(rule.variable);
    else note(`"${rule.variable}" and another variable are both the field "${name}"; only the first is exported`);
  }
  if (typeof record.publisher === 'string' && !implied.has('publisher')) {
    const field = record.custom?.['bibtex-publisher'] ?? publisherField(type, record.type, dialect === 'bibtex' ? 0 : 1);
    put(field, latex(encodeLatex(record.publisher, ascii)));
  }
  dateFields(record.issued, raw, dialect, ascii, latex).forEach(([name, value]) => put(name, value));
  const genre = genreField(record.genre, type, dialect);
  if (genre) put('type', latex(encodeLatexRich(genre, ascii, isCaseSensitive)));

  for (const [field, value] of Object.entries(raw)) {
    if (field === 'crossref' && !exportedKeys.has(citationKey(value))) {
      note(`crossref "${value}" is not exported with it: its fields are in the entry`);
      continue;
    }
    const name = ascii ? (BIBTEX_NAMES.get(field) ?? field) : field;
    if (fields.has(field) || fields.has(name)) continue;
    const text = value.replace(/\s+/g, ' ').trim();
    if (!balancedBraces(text)) {
      note(`the field "${field}" has unbalanced braces; left out`);
      continue;
    }
    fields.set(name, ascii ? latex(asciiLatex(text)) : text);
  }
  const mapped = new Set([...rulesFor(record.type).map((rule) => rule.variable), ...HANDLED_APART]);
  const unexported = Object.keys(record).filter((variable) => record[variable] !== undefined && !mapped.has(variable));
  if (unexported.length > 0) note(`${unexported.join(', ')} ${unexported.length === 1 ? 'has' : 'have'} no ${ascii ? 'BibTeX' : 'BibLaTeX'} field for a ${record.type}; left out`);
  const otherCustom = Object.keys(record.custom ?? {}).filter((name) => !['and-others', 'bibtex-type', 'bibtex-fields', 'bibtex-publisher', 'original-id'].includes(name));
  if (otherCustom.length > 0) note(`the custom data ${otherCustom.join(', ')} is kept in CSL-JSON only`);
  if (unencoded.size > 0) note(`${[...unencoded].join(' ')} ${unencoded.size === 1 ? 'has' : 'have'} no LaTeX command and stay UTF-8 (the BibLaTeX export is UTF-8 throughout)`);

  const order = (name: string) => {
    const index = FIELD_ORDER.indexOf(name.toLowerCase());
    return index < 0 ? FIELD_ORDER.length : index;
  };
  const body = [...fields]
    .map(([name, value], index) => ({ name, value, index }))
    .sort((a, b) => order(a.name) - order(b.name) || a.index - b.index)
    .map(({ name, value }) => `  ${name} = ${name === 'month' && /^[a-z]{3}$/.test(value) ? value : `{${value}}`}`)
    .join(',\n');
  return `@${type}{${citationKey(paper.key)},\n${body}\n}`;
}

function fieldValue(
  rule: FieldRule,
  value: unknown,
  record: CslRecord,
  raw: Readonly<Record<string, string>>,
  ascii: boolean,
  latex: (encoded: EncodedLatex) => string,
  note: (text: string) => void,
): string | undefined {
  switch (rule.kind) {
    case 'rich': {
      let text = String(value);
      // A subtitle joined at import is written as its own field again.
      if (rule.variable === 'title' && raw.subtitle !== undefined) {
        const subtitle = `: ${decodeLatexRich(raw.subtitle)}`;
        if (text.endsWith(subtitle)) text = text.slice(0, -subtitle.length);
      }
      // Words are protected by the source's braces, or, when it marked none, where their capitals matter.
      const protect = rule.variable === 'title' && !text.includes('<span class="nocase">') ? isCaseSensitive : undefined;
      return latex(encodeLatexRich(text, ascii, protect));
    }
    case 'text':
      return latex(encodeLatex(Array.isArray(value) ? value.join(', ') : String(value), ascii));
    case 'range':
      return latex(encodeLatex(String(value), ascii)).replace(/(?<=\w)\s*[-–—]\s*(?=\w)/g, '--');
    case 'names':
      return Array.isArray(value) ? namesValue(value as CslName[], record.custom?.['and-others']?.includes(rule.variable) ?? false, ascii, latex) : undefined;
    case 'date':
      return typeof value === 'object' && value !== null ? edtf(value as CslDate) : undefined;
    case 'verbatim': {
      const text = String(value).trim();
      if (rule.variable === 'URL' && !safeExternalUrl(text)) return undefined;
      if (/[{}\\\s]/.test(text)) {
        note(`the ${rule.variable} "${text.slice(0, 80)}" holds a brace, backslash or space; left out`);
        return undefined;
      }
      // In a .bbl, % starts a comment and # is a parameter; biber reads verbatim fields as written.
      return ascii ? text.replace(/[%#]/g, '\\$&') : text;
    }
  }
}

function namesValue(names: CslName[], others: boolean, ascii: boolean, latex: (encoded: EncodedLatex) => string): string | undefined {
  const written = names.map((name) => (typeof name === 'object' && name !== null ? bibtexName(name, ascii, latex) : '')).filter(Boolean);
  if (others) written.push('others');
  return written.length > 0 ? written.join(' and ') : undefined;
}

/** "von Last, Jr, First"; an institution, or a part that holds a comma or " and ", in braces. */
function bibtexName(name: CslName, ascii: boolean, latex: (encoded: EncodedLatex) => string): string {
  // A part BibTeX would split (at a comma, an "and", or, for a family name alone, a space) is braced.
  const part = (text: string | undefined, whole = false) => {
    if (!text?.trim()) return '';
    const encoded = latex(encodeLatex(text.trim(), ascii));
    return /,|\band\b/i.test(text) || (whole && /\s/.test(text.trim())) ? `{${encoded}}` : encoded;
  };
  if (name.literal) return `{${latex(encodeLatex(name.literal, ascii))}}`;
  const von = [name['non-dropping-particle'], name['dropping-particle']].map((text) => part(text)).filter(Boolean).join(' ');
  const last = part(name.family, !von);
  const first = part(name.given);
  const jr = part(name.suffix);
  if (!last) return first ? `{${first}}` : '';
  const family = [von, last].filter(Boolean).join(' ');
  if (!first && !jr) return family;
  return [family, jr, first].filter((piece, index) => piece || index === 2).join(', ');
}

/** The entry type: the one the record came with, when the format has it; else the table's for its CSL type. */
function entryType(record: CslRecord, dialect: BibtexDialect, note: (text: string) => void): string {
  const original = record.custom?.['bibtex-type'];
  if (original && (dialect === 'biblatex' || BIBTEX_TYPES.has(original))) return original;
  const [bibtex, biblatex] = ENTRY_TYPE_OF_CSL.get(record.type) ?? ['misc', 'misc'];
  if (dialect === 'biblatex') return record.type === 'chapter' && !record['container-title'] ? 'inbook' : biblatex;
  let type = bibtex;
  if (record.type === 'thesis') type = /master|\bm\.?a\b|\bm\.?sc?\b/i.test(record.genre ?? '') ? 'mastersthesis' : 'phdthesis';
  else if (record.type === 'chapter' && !record['container-title']) type = 'inbook';
  if (original) note(`@${original} is written as @${type}, BibTeX's nearest type (the BibLaTeX export keeps @${original})`);
  // A preprint is a @misc whose eprint says what it is; other types BibTeX lacks become its nearest.
  else if (CSL_TYPE_OF_ENTRY.get(type) !== record.type && record.type !== 'article') note(`a CSL "${record.type}" is written as @${type}, BibTeX's nearest type (the BibLaTeX export writes @${biblatex})`);
  return type;
}

/** `type`: biblatex's key for a thesis or report kind, else the words; nothing when the entry type says it. */
function genreField(genre: string | undefined, entryType: string, dialect: BibtexDialect): string | undefined {
  if (!genre || DEFAULT_GENRE.get(entryType) === genre || GENRE_OF_TYPE_KEY.get(entryType) === genre) return undefined;
  if (dialect === 'biblatex' && (entryType === 'thesis' || entryType === 'report')) {
    const key = [...GENRE_OF_TYPE_KEY].find(([, words]) => words === genre)?.[0];
    if (key) return key;
  }
  return genre;
}

/**
 * BibTeX: year and month (a macro), and the full date as biblatex's `date` when there is more (a day,
 * a range, "about"); BibLaTeX: `date`. A year kept as written (`{\noopsort{…}}1973`) is written back.
 */
function dateFields(
  issued: CslDate | undefined,
  raw: Readonly<Record<string, string>>,
  dialect: BibtexDialect,
  ascii: boolean,
  latex: (encoded: EncodedLatex) => string,
): [string, string][] {
  if (!issued) return [];
  const date = edtf(issued);
  const [year, month] = (date ? (parseEdtf(date)?.['date-parts']?.[0] ?? []) : []).map(Number);
  if (!date) {
    const literal = issued.literal ?? issued.raw;
    return raw.year === undefined && literal ? [['year', latex(encodeLatex(literal, ascii))]] : [];
  }
  const fields: [string, string][] = [];
  // A year written for BibTeX's sorting stays as it is (among the fields kept as written); biblatex reads the date.
  if (dialect === 'biblatex') return [['date', date]];
  if (raw.year === undefined) fields.push(['year', String(year)]);
  if (month >= 1 && month <= 12 && raw.month === undefined) fields.push(['month', MONTH_MACROS[month - 1]]);
  if (date !== String(year) && date !== `${year}-${String(month).padStart(2, '0')}`) fields.push(['date', date]);
  return fields;
}

/** A CSL date as EDTF ("2024-03-15", "2022-11-28/2022-12-09", "1957~"). */
function edtf(date: CslDate): string | undefined {
  const parts = date['date-parts'];
  // A raw date (Zotero's "2024-02-01") is written when it is one.
  if (!parts?.length) return date.raw && parseEdtf(date.raw) ? date.raw.trim() : undefined;
  const circa = date.circa ? '~' : '';
  return parts
    .map((part) => part.map(Number).map((value, index) => (index === 0 ? String(value).padStart(4, '0') : String(value).padStart(2, '0'))).join('-') + circa)
    .join('/');
}

/**
 * A field kept as written comes from a .bib file, or from a CSL-JSON file's custom data, which anyone
 * may write: its braces must pair up whether a reader counts "\{" as a brace (BibTeX) or not (biber).
 */
function balancedBraces(text: string): boolean {
  if (text.endsWith('\\')) return false;
  for (const escaped of [false, true]) {
    let depth = 0;
    for (let index = 0; index < text.length; index++) {
      if (escaped && text[index] === '\\') index++;
      else if (text[index] === '{') depth++;
      else if (text[index] === '}' && --depth < 0) return false;
    }
    if (depth !== 0) return false;
  }
  return true;
}

/** BibTeX ends a key at a comma, brace, quote or space, and biber rejects a few more; they are dropped. */
function citationKey(key: string): string {
  return key.replace(/[\s"#%'(),={}\\~@]/g, '');
}

/**
 * A word whose capitals carry meaning ("DPO", "T-REG", "ArCHer", "LLMs", "R1", "Nemotron-H", "Q-Function"):
 * braced so that styles which sentence-case titles keep it. A capital inside a part, before a digit,
 * or alone in a compound counts; a Title-Case word or compound ("Token-Level") does not.
 */
function isCaseSensitive(word: string): boolean {
  const parts = word.split(/[-/]/);
  return parts.some((part) => CAPITAL.test(part.slice(1)) || CAPITAL_DIGIT.test(part) || (parts.length > 1 && CAPITAL_ALONE.test(part)));
}
// Module constants, not literals in the function: the bundler writes a `\p{…}` literal as a `new RegExp` made at each call.
const CAPITAL = /\p{Lu}/u;
const CAPITAL_DIGIT = /^\p{Lu}\d/u;
const CAPITAL_ALONE = /^\p{Lu}\P{L}*$/u;
