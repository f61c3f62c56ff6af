/**
 * "Export Note with Pandoc", the parts that decide: which formats, what pandoc is given, how its
 * front matter is read, what its errors mean. The note goes to pandoc on standard input (with its
 * formatted citations as Pandoc citations), its cited papers as CSL-JSON in a temporary file and the
 * style as a .csl file; src/node/processes.ts runs pandoc, src/commands/pandocExport.ts asks the user.
 */
import { pandocKey } from './citation';
import { citedKeys, scanCitations, type Citation } from './citationScanner';
import type { Paper } from './model';

export type PandocFormat = 'docx' | 'odt' | 'html' | 'epub' | 'latex' | 'pdf';

export interface PandocFormatInfo {
  label: string;
  extension: string;
  description: string;
  /** pandoc's writer; for PDF the one the engine takes (see PDF_ENGINES). */
  writer: string;
  /** Text that VS Code opens itself; the others are opened or revealed in the operating system. */
  text: boolean;
}

export const PANDOC_FORMATS: Readonly<Record<PandocFormat, PandocFormatInfo>> = {
  docx: { label: 'Word (DOCX)', extension: 'docx', writer: 'docx', text: false, description: '.docx: for Word, LibreOffice and Google Docs' },
  odt: { label: 'OpenDocument (ODT)', extension: 'odt', writer: 'odt', text: false, description: '.odt: for LibreOffice' },
  html: { label: 'HTML', extension: 'html', writer: 'html', text: true, description: '.html: a standalone web page' },
  epub: { label: 'EPUB', extension: 'epub', writer: 'epub', text: false, description: '.epub: an e-book' },
  latex: { label: 'LaTeX', extension: 'tex', writer: 'latex', text: true, description: '.tex: a LaTeX document' },
  pdf: { label: 'PDF', extension: 'pdf', writer: 'latex', text: false, description: '.pdf' },
};

/**
 * The PDF engines pandoc drives, in the order Lit Notes prefers them (the LaTeX engines that take any
 * Unicode first: pdflatex rejects characters such as "ȩ"), with the format pandoc writes for each.
 */
export const PDF_ENGINES: readonly { name: string; writer: string }[] = [
  { name: 'xelatex', writer: 'latex' },
  { name: 'lualatex', writer: 'latex' },
  { name: 'tectonic', writer: 'latex' },
  { name: 'pdflatex', writer: 'latex' },
  { name: 'latexmk', writer: 'latex' },
  { name: 'wkhtmltopdf', writer: 'html' },
  { name: 'weasyprint', writer: 'html' },
  { name: 'pagedjs-cli', writer: 'html' },
  { name: 'prince', writer: 'html' },
  { name: 'context', writer: 'context' },
];

/** What pandoc reads from the note's front matter that decides what Lit Notes gives it. */
export interface NoteMetadata {
  /** `csl:` as written: a style id or a path (or URL) pandoc reads itself. */
  csl?: string;
  /** `lang:`: the note's locale, which pandoc's citeproc then uses. */
  lang?: string;
  /** `bibliography:` files as written, relative to the note's folder. */
  bibliography: string[];
  /** The keys `nocite:` names, `*` for "every paper". */
  nocite: string[];
  /** A `title` or `pagetitle`, which HTML and EPUB need. */
  hasTitle: boolean;
}

/** What pandoc is asked first, to read the note's metadata as pandoc itself reads it (every YAML block, its quoting). */
export const METADATA_ARGUMENTS: readonly string[] = ['--from=markdown', '--to=json'];

type PandocNode = { t: string; c?: unknown };

/** The note's metadata from pandoc's JSON (`pandoc -t json`); anything unexpected reads as absent. */
export function noteMetadata(pandocJson: unknown): NoteMetadata {
  const meta = (isObject(pandocJson) && isObject(pandocJson.meta) ? pandocJson.meta : {}) as Record<string, unknown>;
  const value = (name: string) => (Object.hasOwn(meta, name) ? meta[name] : undefined);
  const text = (name: string) => {
    const written = metaStrings(value(name))[0]?.trim();
    return written ? written : undefined;
  };
  const nocite: string[] = [];
  collectCitationIds(value('nocite'), nocite);
  return {
    csl: text('csl'),
    lang: text('lang'),
    bibliography: metaStrings(value('bibliography'))
      .map((file) => file.trim())
      .filter(Boolean),
    nocite: [...new Set(nocite)],
    hasTitle: text('title') !== undefined || text('pagetitle') !== undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNode(value: unknown): value is PandocNode {
  return isObject(value) && typeof value.t === 'string';
}

/** A metadata value as text: one string, or one per element of a list. */
function metaStrings(value: unknown): string[] {
  if (!isNode(value)) return [];
  switch (value.t) {
    case 'MetaString':
      return typeof value.c === 'string' ? [value.c] : [];
    case 'MetaInlines':
    case 'MetaBlocks':
      return [plainText(value.c)];
    case 'MetaList':
      return Array.isArray(value.c) ? value.c.flatMap((item) => metaStrings(item).slice(0, 1)) : [];
    default:
      return [];
  }
}

/** The text of inlines or blocks, as pandoc's `stringify` gives it. */
function plainText(content: unknown): string {
  if (Array.isArray(content)) return content.map(plainText).join('');
  if (!isNode(content)) return '';
  const { t, c } = content;
  switch (t) {
    case 'Str':
      return typeof c === 'string' ? c : '';
    case 'Space':
    case 'SoftBreak':
    case 'LineBreak':
      return ' ';
    case 'Code':
    case 'Math':
    case 'RawInline':
      return Array.isArray(c) && typeof c[1] === 'string' ? c[1] : '';
    case 'Quoted':
    case 'Span':
    case 'Cite':
    case 'Link':
      return Array.isArray(c) ? plainText(c[c.length - (t === 'Link' ? 2 : 1)]) : '';
    case 'Note':
      return '';
    default:
      // Emph, Strong, Para, Plain and the like hold their inlines directly.
      return Array.isArray(c) ? plainText(c) : '';
  }
}

function collectCitationIds(value: unknown, into: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectCitationIds(item, into);
    return;
  }
  if (!isObject(value)) return;
  if (value.t === 'Cite' && Array.isArray(value.c) && Array.isArray(value.c[0])) {
    for (const citation of value.c[0]) if (isObject(citation) && typeof citation.citationId === 'string') into.push(citation.citationId);
    return;
  }
  collectCitationIds(value.c, into);
}

type Lookup = (key: string) => Paper | undefined;

/**
 * The note as pandoc is given it: each formatted citation (`[(Zhou et al., 2024)](#litnotes:key)`)
 * becomes the Pandoc citation it stands for, so that pandoc formats and numbers it with the others,
 * and a key merged into another paper is cited by that paper's key, as Lit Notes cites it. Citations
 * of keys the library lacks, and everything else, stay byte for byte.
 */
export function pandocInput(markdown: string, lookup: Lookup): string {
  const edits: { start: number; end: number; text: string }[] = [];
  const done = new Set<object>();
  for (const citation of scanCitations(markdown)) {
    const { formatted } = citation;
    if (formatted) {
      if (done.has(formatted)) continue;
      done.add(formatted);
      if (!formatted.keys.some((key) => lookup(key))) continue;
      const keys = [...new Set(formatted.keys.map((key) => lookup(key)?.key ?? key))];
      edits.push({ start: formatted.start, end: formatted.end, text: `[${keys.map((key) => `@${pandocKey(key)}`).join('; ')}]` });
      continue;
    }
    const own = lookup(citation.key)?.key;
    if (own !== undefined && own !== citation.key) edits.push(keyEdit(citation, own));
  }
  return edits.reduceRight((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), markdown);
}

function keyEdit(citation: Citation, key: string): { start: number; end: number; text: string } {
  return { start: citation.start, end: citation.end, text: `@${pandocKey(key)}` };
}

/** The papers pandoc is given, and the keys the library lacks (pandoc may still find them in the note's own files). */
export interface PandocPapers {
  papers: Paper[];
  /** Keys `nocite:` names by a merged record's key, which pandoc looks up as written: the paper under that id too. */
  aliases: { key: string; paper: Paper }[];
  missingKeys: string[];
}

/** The note's cited papers (citations, then `nocite:`, in order of first appearance); `nocite: '@*'` takes every paper. */
export function pandocPapers(markdown: string, metadata: NoteMetadata, lookup: Lookup, everyPaper: () => readonly Paper[]): PandocPapers {
  const papers = new Map<string, Paper>();
  const missing = new Set<string>();
  // The keys pandoc will look up: pandocInput cites every known paper of the text by its own key.
  const citedAs = new Set<string>();
  const nocite = metadata.nocite.filter((key) => key !== '*');
  for (const [key, fromText] of [...citedKeys(scanCitations(markdown)).map((k) => [k, true] as const), ...nocite.map((k) => [k, false] as const)]) {
    const paper = lookup(key);
    if (!paper) {
      missing.add(key);
      continue;
    }
    papers.set(paper.key, paper);
    citedAs.add(fromText ? paper.key : key);
  }
  // A `nocite:` key of a record merged into a paper is looked up as written: the paper goes under that id too, unless pandoc lists it already.
  const aliases: PandocPapers['aliases'] = [];
  const everything = metadata.nocite.includes('*');
  for (const key of everything ? [] : nocite) {
    const paper = lookup(key);
    if (paper && paper.key !== key && !citedAs.has(paper.key) && !aliases.some((alias) => alias.paper === paper)) aliases.push({ key, paper });
  }
  if (everything) for (const paper of everyPaper()) if (!papers.has(paper.key)) papers.set(paper.key, paper);
  return { papers: [...papers.values()], aliases, missingKeys: [...missing] };
}

/** Which style pandoc formats with: a Lit Notes style (the note's `csl:` naming one, else the setting's) or the note's `.csl` as written. */
export type PandocStyle = { styleId: string; fromNote: boolean } | { asWritten: string };

/**
 * `csl:` names a Lit Notes style by its id (`ieee`, or an extra style's file name); anything else is
 * a path or URL that pandoc reads itself, relative to the note's folder.
 */
export function pandocStyle(metadata: NoteMetadata, configured: string, knownStyles: readonly string[]): PandocStyle {
  const csl = metadata.csl;
  if (csl === undefined) return { styleId: configured, fromNote: false };
  return knownStyles.includes(csl) ? { styleId: csl, fromNote: true } : { asWritten: csl };
}

/** A BCP 47 language tag as CSL locales are named (`en-GB`, `de`, `zh-Hant-TW`). */
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

export interface PandocRun {
  format: PandocFormat;
  /** The engine for PDF (a name of PDF_ENGINES). */
  pdfEngine?: string;
  /** Where pandoc writes (Lit Notes copies it to the user's file when pandoc succeeds). */
  outputFile: string;
  /** The CSL-JSON of the note's papers. */
  libraryFile: string;
  /** The note's own `bibliography:` files, after Lit Notes' so that theirs win on a shared key (pandoc's rule: the last file wins). */
  noteBibliographies: readonly string[];
  /** The .csl file; undefined: the note's `csl:` as written. */
  styleFile?: string;
  /** The locale when the note has no `lang:`; undefined: the style's own default locale. */
  locale?: string;
  /** The page title for HTML and EPUB when the note has none. */
  pageTitle?: string;
}

/**
 * pandoc's arguments, each option with its value in one argument (`--output=FILE`), so that no file
 * name, key or title can be read as another option. The note comes on standard input.
 */
export function pandocArguments(run: PandocRun): string[] {
  const info = PANDOC_FORMATS[run.format];
  const engine = run.format === 'pdf' ? PDF_ENGINES.find((candidate) => candidate.name === run.pdfEngine) : undefined;
  if (run.format === 'pdf' && !engine) throw new Error(`"${run.pdfEngine ?? ''}" is not a PDF engine pandoc knows.`);
  const args = ['--from=markdown', `--to=${engine?.writer ?? info.writer}`, '--standalone', '--citeproc'];
  for (const file of [run.libraryFile, ...run.noteBibliographies]) args.push(`--bibliography=${file}`);
  if (run.styleFile !== undefined) args.push(`--csl=${run.styleFile}`);
  if (run.locale !== undefined && LOCALE.test(run.locale)) args.push(`--metadata=lang:${run.locale}`);
  if (run.pageTitle !== undefined && (run.format === 'html' || run.format === 'epub')) args.push(`--metadata=pagetitle:${metadataString(run.pageTitle)}`);
  if (engine) args.push(`--pdf-engine=${engine.name}`);
  args.push(`--output=${run.outputFile}`);
  return args;
}

/** One line; pandoc's `--metadata` reads a value as a string, except `true` and `false` (pageTitleOf avoids those). */
function metadataString(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim() || 'Note';
}

/**
 * A note's page title from its file name, without the extension, except where the name would be read
 * as a boolean (`true.md`).
 */
export function pageTitleOf(fileName: string): string {
  const base = fileName.replace(/\.(?:md|markdown|mdown|mkd|qmd|rmd|txt)$/i, '');
  return base && !/^(?:true|false)$/i.test(base.trim()) ? base : fileName;
}

/** pandoc's `[WARNING] Citeproc: citation KEY not found`, and its other warnings (one line each). */
export function pandocWarnings(stderr: string): { missingKeys: string[]; others: string[] } {
  const missingKeys: string[] = [];
  const others: string[] = [];
  for (const warning of stderr.split(/\r?\n(?! )/)) {
    const m = /^\[WARNING\] (.*)$/s.exec(warning.trim());
    if (!m) continue;
    const key = /^Citeproc: citation (.+) not found$/.exec(m[1].trim())?.[1];
    if (key !== undefined) missingKeys.push(key);
    else others.push(m[1].replace(/\s+/g, ' ').trim());
  }
  return { missingKeys: [...new Set(missingKeys)], others };
}

/** pandoc's exit codes (its manual, "Exit codes") that a user can act on, in words. */
const EXIT_CODES: Readonly<Record<number, string>> = {
  6: 'pandoc did not accept an option',
  21: 'pandoc does not know the input format',
  22: 'this pandoc cannot write the format',
  24: "pandoc's citeproc failed on the references",
  43: 'the PDF engine failed',
  47: 'the PDF engine is not installed',
  64: "the note's front matter (YAML) could not be read",
  83: 'a pandoc filter failed',
  92: 'the note is not valid UTF-8',
  97: 'pandoc could not find one of its data files',
  99: 'a file the note names was not found',
};

const MAX_LINES = 4;
const MAX_LINE = 300;

/**
 * Why pandoc failed, in words, with the lines of its output that say what went wrong: LaTeX's
 * `! …` and `l.123 …` lines for a PDF, else its first lines that are not warnings.
 */
export function pandocFailure(code: number | null, stderr: string, run: { format: PandocFormat; pdfEngine?: string }): string {
  const lines = stderr.split(/\r?\n/);
  let reason = code === null ? 'pandoc was stopped' : (EXIT_CODES[code] ?? `pandoc failed (exit code ${code})`);
  if (run.pdfEngine && (code === 43 || code === 47)) reason = reason.replace('the PDF engine', `the PDF engine ${run.pdfEngine}`);
  if (code === 22) reason += ` ${PANDOC_FORMATS[run.format].label}`;
  if (/Unknown option --citeproc/.test(stderr)) reason = 'this pandoc is older than 2.11, the first version with --citeproc: install a newer one';
  const latex = lines.filter((line) => /^! |^l\.\d+ /.test(line));
  const errors = lines.filter((line, index) => line.trim() && !/^\[WARNING\]/.test(line) && !(/^ {2}/.test(line) && isWarningContinuation(lines, index)));
  const relevant = (code === 43 && latex.length > 0 ? latex : errors).slice(0, MAX_LINES).map((line) => shorten(line.trim()));
  return relevant.length > 0 ? `${reason}: ${relevant.join(' ⏎ ')}` : `${reason}.`;
}

/** A warning's indented continuation lines belong to it, not to the error. */
function isWarningContinuation(lines: readonly string[], index: number): boolean {
  for (let at = index - 1; at >= 0; at--) {
    if (/^\[WARNING\]/.test(lines[at])) return true;
    if (!/^ {2}/.test(lines[at])) return false;
  }
  return false;
}

function shorten(line: string): string {
  return line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE - 1)}…`;
}

/** How to install pandoc on the user's system (Node's `process.platform`). */
export function pandocInstallHint(platform: string): string {
  const how: Record<string, string> = {
    linux: 'on Debian or Ubuntu run "sudo apt install pandoc" (other systems: their package manager)',
    darwin: 'run "brew install pandoc" (Homebrew)',
    win32: 'run "winget install --id JohnMacFarlane.Pandoc" or use the installer',
  };
  return `To install it, ${how[platform] ?? 'use your package manager'}, or download it from pandoc.org (version 2.11 or later).`;
}
