/**
 * Exports a note through pandoc: reads its metadata as pandoc reads it, writes its cited papers as
 * CSL-JSON and the style as a .csl file into a temporary folder, runs pandoc there with the note on
 * standard input, and copies the result to the chosen file only when pandoc succeeded. The temporary
 * folder is removed whatever happens; the note itself is only ever read. No vscode here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { citeprocItem } from '../core/csl';
import type { Paper } from '../core/model';
import {
  METADATA_ARGUMENTS,
  noteMetadata,
  pageTitleOf,
  pandocArguments,
  pandocFailure,
  pandocInput,
  pandocPapers,
  pandocStyle,
  pandocWarnings,
  PANDOC_FORMATS,
  type PandocFormat,
} from '../core/pandocExport';
import { runProcess } from './processes';

/** pandoc ran and failed; the message says why in words, with the lines of its output that matter. */
export class PandocError extends Error {
  override name = 'PandocError';

  constructor(
    message: string,
    /** Everything pandoc wrote on standard error, for the log. */
    readonly stderr: string,
  ) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** A style as pandoc takes it: the text of a .csl file (a built-in style), or a user's .csl file. */
export type StyleSource = { xml: string } | { file: string };

export interface PandocExportRequest {
  /** The pandoc program (a path, or a name found on PATH). */
  pandoc: string;
  /** The note's text (the editor's, unsaved changes included). */
  markdown: string;
  /** The note's file, never written; its folder is where pandoc runs and finds what the note names. */
  noteFile: string;
  /** Where the result goes. */
  target: string;
  format: PandocFormat;
  pdfEngine?: string;
  lookup: (key: string) => Paper | undefined;
  everyPaper: () => readonly Paper[];
  /** The style of the settings, and the ids of the styles Lit Notes has (for a note's `csl:`). */
  style: { configured: string; known: readonly string[]; source: (id: string) => StyleSource };
  /** The locale of the settings (undefined: the style's own), unless the note has `lang:`. */
  locale?: string;
  signal?: AbortSignal;
  /** Called as the export moves on, for a progress notification. */
  progress?: (step: string) => void;
}

export interface PandocExportResult {
  /** Keys neither the library nor the note's own files hold (pandoc printed them with a "?"). */
  missingKeys: string[];
  /** pandoc's other warnings, one line each. */
  warnings: string[];
  /** The style pandoc formatted with: a Lit Notes style id, or the note's `csl:` as written. */
  style: string;
  papers: number;
}

export async function exportWithPandoc(request: PandocExportRequest): Promise<PandocExportResult> {
  const { format, pdfEngine, signal } = request;
  if (isSameFile(request.target, request.noteFile)) throw new Error(`The export would overwrite the note ${path.basename(request.noteFile)}: choose another file.`);
  const cwd = path.dirname(request.noteFile);
  const input = pandocInput(request.markdown, request.lookup);

  request.progress?.('Reading the note');
  const read = await runProcess(request.pandoc, METADATA_ARGUMENTS, { cwd, input, signal });
  if (read.code !== 0) throw new PandocError(pandocFailure(read.code, read.stderr, { format }), read.stderr);
  const metadata = noteMetadata(JSON.parse(read.stdout));
  const cited = pandocPapers(request.markdown, metadata, request.lookup, request.everyPaper);
  const style = pandocStyle(metadata, request.style.configured, request.style.known);

  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-pandoc-'));
  try {
    const libraryFile = path.join(temporary, 'references.json');
    const items = [...cited.papers.map(citeprocItem), ...cited.aliases.map(({ key, paper }) => ({ ...citeprocItem(paper), id: key }))];
    fs.writeFileSync(libraryFile, JSON.stringify(items));
    let styleFile: string | undefined;
    if ('styleId' in style) {
      const source = request.style.source(style.styleId);
      if ('file' in source) styleFile = source.file;
      else {
        styleFile = path.join(temporary, 'style.csl');
        fs.writeFileSync(styleFile, source.xml);
      }
    }
    const outputFile = path.join(temporary, `output.${PANDOC_FORMATS[format].extension}`);
    const args = pandocArguments({
      format,
      pdfEngine,
      outputFile,
      libraryFile,
      noteBibliographies: metadata.bibliography,
      styleFile,
      locale: metadata.lang === undefined ? request.locale : undefined,
      pageTitle: metadata.hasTitle ? undefined : pageTitleOf(path.basename(request.noteFile)),
    });
    request.progress?.(format === 'pdf' ? `Running pandoc and ${pdfEngine ?? 'the PDF engine'}` : 'Running pandoc');
    const run = await runProcess(request.pandoc, args, { cwd, input, signal });
    if (run.code !== 0) throw new PandocError(pandocFailure(run.code, run.stderr, { format, pdfEngine }), run.stderr);
    fs.copyFileSync(outputFile, request.target);
    const warnings = pandocWarnings(run.stderr);
    return { missingKeys: warnings.missingKeys, warnings: warnings.others, style: 'styleId' in style ? style.styleId : style.asWritten, papers: items.length };
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}

/** Whether both name one existing file (through links, case-insensitive file systems, hard links). */
function isSameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  const statA = fs.statSync(a, { throwIfNoEntry: false });
  const statB = fs.statSync(b, { throwIfNoEntry: false });
  return statA !== undefined && statB !== undefined && statA.dev === statB.dev && statA.ino === statB.ino;
}
