/**
 * A note's YAML front matter as pandoc reads the citation options in it: `csl`, `lang`,
 * `bibliography`, `nocite`, `link-citations`, `suppress-bibliography`, `reference-section-title`
 * (and `title`, for an exported page). One reader for the preview, the HTML export, the command line
 * and the export through pandoc. It reads the YAML that front matter holds (top-level `key: value`,
 * quoted strings, `[a, b]` and `- a` lists, `|` and `>` blocks); anything else is ignored, never an error.
 */
import { lines } from './citationScanner';

export interface FrontMatterBlock {
  /** Offset of the first line after `---`. */
  bodyStart: number;
  /** Offset of the closing `---` or `...` line. */
  closingStart: number;
  /** Offset after the closing line (its line break included). */
  end: number;
}

export interface NoteOptions {
  /** A style id, or the path of a `.csl` file (relative to the note). */
  csl?: string;
  /** The note's language, a locale such as `de-DE`. */
  lang?: string;
  /** Library files of this note (relative to the note). */
  bibliography: string[];
  /** Keys listed in the bibliography without being cited; `*` stands for every paper. */
  nocite: string[];
  linkCitations: boolean;
  suppressBibliography: boolean;
  referenceSectionTitle?: string;
  title?: string;
}

/** The YAML block at the very start (after a byte-order mark): `---`, its lines, then `---` or `...`. */
export function frontMatterBlock(markdown: string, from = markdown.startsWith('\uFEFF') ? 1 : 0): FrontMatterBlock | undefined {
  const all = lines(markdown.slice(from));
  const first = all.next();
  if (first.done || !/^---[ \t]*$/.test(first.value.text)) return undefined;
  for (const line of all) {
    if (/^(?:---|\.\.\.)[ \t]*$/.test(line.text)) return { bodyStart: from + first.value.next, closingStart: from + line.start, end: from + line.next };
  }
  return undefined;
}

export function readNoteOptions(markdown: string): NoteOptions {
  const block = frontMatterBlock(markdown);
  const fields = block ? readYamlFields(markdown.slice(block.bodyStart, block.closingStart)) : new Map<string, YamlValue>();
  const text = (name: string) => {
    const value = fields.get(name);
    const scalar = Array.isArray(value) ? value[0] : value;
    return scalar?.trim() || undefined;
  };
  const list = (name: string) => {
    const value = fields.get(name);
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => item.trim()).filter(Boolean);
  };
  const truthy = (name: string) => /^(?:true|yes|on)$/i.test(text(name) ?? '');
  return {
    csl: text('csl') ?? text('citation-style'),
    lang: text('lang'),
    bibliography: list('bibliography'),
    nocite: nociteKeys(list('nocite').join(' ')),
    linkCitations: truthy('link-citations'),
    suppressBibliography: truthy('suppress-bibliography'),
    referenceSectionTitle: text('reference-section-title'),
    title: text('title'),
  };
}

/** `@a, @b` or `@*` as pandoc writes nocite: the keys, `*` for all. */
function nociteKeys(value: string): string[] {
  const keys = [...value.matchAll(/@(?:\{([^{}]+)\}|(\*)|([\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*))/gu)].map((m) => (m[1] ?? m[2] ?? m[3]).trim());
  return [...new Set(keys.filter(Boolean))];
}

type YamlValue = string | string[];

/** Top-level `key: value` pairs; a value is a scalar or a list of scalars. */
function readYamlFields(yaml: string): Map<string, YamlValue> {
  const fields = new Map<string, YamlValue>();
  const rows = yaml.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const m = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/.exec(rows[i]);
    if (!m) continue;
    const [, key, raw = ''] = m;
    // The lines that belong to this key: indented ones, or list items.
    const nested: string[] = [];
    while (i + 1 < rows.length && (/^[ \t]+\S/.test(rows[i + 1]) || /^-(?:[ \t]|$)/.test(rows[i + 1]) || (rows[i + 1].trim() === '' && /^[|>]/.test(raw)))) nested.push(rows[++i]);
    fields.set(key, yamlValue(raw, nested));
  }
  return fields;
}

function yamlValue(raw: string, nested: string[]): YamlValue {
  const value = stripComment(raw);
  if (/^[|>][+-]?$/.test(value)) {
    const kept = nested.map((row) => row.trim());
    return (value.startsWith('|') ? kept.join('\n') : kept.join(' ')).trim();
  }
  if (value.startsWith('[')) return splitFlowList(value.replace(/^\[|\]$/g, '')).map(scalar);
  if (value === '' && nested.some((row) => /^[ \t]*-(?:[ \t]|$)/.test(row))) {
    return nested.filter((row) => /^[ \t]*-(?:[ \t]|$)/.test(row)).map((row) => scalar(stripComment(row.replace(/^[ \t]*-[ \t]*/, ''))));
  }
  // A plain scalar may continue on indented lines.
  return scalar([value, ...nested.map((row) => stripComment(row.trim()))].filter(Boolean).join(' '));
}

/** A `#` after a space starts a comment, outside quotes. */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i).trim();
  }
  return text.trim();
}

function splitFlowList(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === '\\' && quote === '"') current += char + (text[++i] ?? '');
      else {
        if (char === quote) quote = undefined;
        current += char;
      }
    } else if (char === ',') {
      items.push(current);
      current = '';
    } else {
      if (char === '"' || char === "'") quote = char;
      current += char;
    }
  }
  items.push(current);
  return items.map((item) => item.trim()).filter(Boolean);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/', '0': '\0', r: '\r' };

function scalar(text: string): string {
  const value = text.trim();
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(u[\da-fA-F]{4}|.)/g, (_m, code: string) => (code.length === 5 ? String.fromCharCode(parseInt(code.slice(1), 16)) : ESCAPES[code] ?? code));
  }
  return value;
}
