/**
 * `litnotes`: the extension's core on the command line, for scripts, CI and Pandoc users. A thin
 * shell: every rule it applies lives in src/core, read the same way the editor reads it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanCitations } from '../core/citationScanner';
import { CslFormatter, pickLocale } from '../core/csl';
import { errorText } from '../core/errors';
import { readNoteOptions, type NoteOptions } from '../core/frontMatter';
import { renderNoteHtml, renderNoteMarkdown, type NoteSource } from '../core/noteRender';
import { EXPORT_FORMATS, exportPapers, isExportFormat } from '../core/exportFormats';
import { groupPaperCount, groupPapers, type PaperGroup } from '../core/grouping';
import type { Paper, Topic } from '../core/model';
import { paperLookup } from '../core/paperLookup';
import { unknownCitations, unknownKeyMessage } from '../core/unknownKeys';
import { CslAssets, readStyleFile } from '../node/cslAssets';
import { writeFileAtomic } from '../node/files';
import { markdownItFactory } from '../node/markdownIt';
import { NoteBibliographies } from '../node/noteBibliography';
import { parseArgs, usage, UsageError, type CliArgs } from './args';
import { InputError, loadLibrary, type CliLibrary } from './library';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The extension's folder (holding data/ and dist/). */
  root: string;
}

/** Runs one command; resolves to the exit status. Never throws: every failure is a line on stderr. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case 'help':
        io.out(`${usage()}\n`);
        return 0;
      case 'export':
        return await exportCommand(args, io);
      case 'check':
        return await checkCommand(args, io);
      case 'format':
        return await formatCommand(args, io);
      case 'topics':
        return await topicsCommand(args, io);
      case 'render':
        return await renderCommand(args, io);
      default:
        throw new UsageError(`unknown command "${args.command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`litnotes: ${error.message}\n\n${usage()}\n`);
      return 2;
    }
    io.err(`litnotes: ${errorText(error)}\n`);
    return 2;
  }
}

async function exportCommand(args: CliArgs, io: CliIo): Promise<number> {
  const format = args.to;
  if (format === undefined) throw new UsageError(`export needs --to ${Object.keys(EXPORT_FORMATS).join('|')}`);
  if (!isExportFormat(format)) throw new UsageError(`unknown export format "${format}" (choose ${Object.keys(EXPORT_FORMATS).join(', ')})`);
  const { library, errors } = await loadLibrary(args, io.root, (line) => io.err(`${line}\n`));
  const papers = selectPapers(library.papers, args.keys);
  const { text, notes } = exportPapers(papers, format);
  for (const note of notes) io.err(`litnotes: ${note}\n`);
  if (args.out) {
    writeFileAtomic(path.resolve(args.out), text);
    io.err(`Exported ${papers.length} ${papers.length === 1 ? 'paper' : 'papers'} as ${EXPORT_FORMATS[format].label} to ${args.out}\n`);
  } else io.out(text);
  return errors > 0 ? 2 : 0;
}

/**
 * The references in a style, one per line, as Insert Bibliography would write them (`--json`: with
 * the key, plain text and HTML of each). The style and locale are checked first, so a broken or
 * unknown one is a sentence, not a stack trace.
 */
async function formatCommand(args: CliArgs, io: CliIo): Promise<number> {
  const loaded = await loadLibrary(args, io.root, (line) => io.err(`${line}\n`));
  const { formatter, styleId } = cliStyle(args, loaded, io);
  const papers = selectPapers(loaded.library.papers, args.keys);
  const text = formatter.bibliographyEntries(papers, styleId, 'text');
  if (args.json) {
    const html = new Map(formatter.bibliographyEntries(papers, styleId, 'html').map((entry) => [entry.key, entry.text]));
    io.out(`${JSON.stringify(text.map((entry) => ({ key: entry.key, text: entry.text, html: html.get(entry.key) ?? '' })), null, 2)}\n`);
  } else {
    for (const entry of text) io.out(`${entry.text.replace(/\s*\n\s*/g, ' ')}\n`);
  }
  return loaded.errors > 0 ? 2 : 0;
}

/**
 * The topics and every paper's topics as the Papers view shows them (grouped by topic): the topics
 * that hold papers, parents before their sub-topics; `--json` as
 * `{ "topics": [{ id, label, parent?, origin }], "papers": [{ key, topics }] }`, else one line per topic.
 */
async function topicsCommand(args: CliArgs, io: CliIo): Promise<number> {
  const { library, errors } = await loadLibrary(args, io.root, (line) => io.err(`${line}\n`));
  const shown: Topic[] = [];
  const visit = (group: PaperGroup, depth: number) => {
    if (!group.topic) return;
    shown.push(group.topic);
    if (!args.json) io.out(`${'  '.repeat(depth)}${group.topic.label} (${groupPaperCount(group)}) [${group.topic.origin ?? 'bundled'}] ${group.topic.id}\n`);
    for (const child of group.children ?? []) visit(child, depth + 1);
  };
  const groups = groupPapers(library.papers, 'topic', library.topics);
  for (const group of groups) visit(group, 0);
  if (!args.json) {
    const unsorted = groups.find((group) => !group.topic);
    if (unsorted) io.out(`${unsorted.label} (${unsorted.papers.length})\n`);
    return errors > 0 ? 2 : 0;
  }
  const known = new Set(shown.map((topic) => topic.id));
  const json = {
    topics: shown.map((topic) => ({ id: topic.id, label: topic.label, ...(topic.parent !== undefined && { parent: topic.parent }), origin: topic.origin ?? 'bundled' })),
    papers: library.papers.map((paper) => ({ key: paper.key, topics: paper.topics.filter((id) => known.has(id)) })),
  };
  io.out(`${JSON.stringify(json, null, 2)}\n`);
  return errors > 0 ? 2 : 0;
}

/**
 * The style and locale asked for (the option, else the note's front matter, else the workspace's
 * settings), checked first, so that a broken or unknown one is a sentence, not a stack trace.
 * A .csl file named by the note is relative to the note's folder.
 */
function cliStyle(args: CliArgs, loaded: CliLibrary, io: CliIo, note?: { options: NoteOptions; folder: string }): { formatter: CslFormatter; styleId: string } {
  const { settings, base } = loaded;
  const assets = new CslAssets(path.join(io.root, 'dist'));
  const userStyles = settings.extraStyles.map((file) => readStyleFile(path.resolve(base, file), file));
  const fromNote = args.style === undefined ? note?.options.csl : undefined;
  const wanted = args.style ?? fromNote ?? settings.cslStyle;
  let styleId = wanted;
  if (/\.csl$/i.test(wanted)) {
    const style = readStyleFile(path.resolve(fromNote && note ? note.folder : '.', wanted), wanted);
    userStyles.unshift(style);
    styleId = style.info.id;
  }
  const localeWanted = args.locale ?? note?.options.lang ?? settings.citationLocale;
  const locale = localeWanted ? pickLocale(localeWanted, assets.shippedLocales()) : undefined;
  if (localeWanted && !locale) throw new InputError(`there is no CSL locale "${localeWanted}" (for example en-US, en-GB, de-DE)`);
  if (!assets.builtInStyles().some((style) => style.id === styleId) && !userStyles.some((style) => style.info.id === styleId)) {
    throw new InputError(`unknown citation style "${styleId}" (built in: ${assets.builtInStyles().map((style) => style.id).join(', ')}; or give a .csl file)`);
  }
  const formatter = new CslFormatter(assets.loader(() => userStyles), { locale });
  formatter.check(styleId);
  return { formatter, styleId };
}

const RENDER_FORMATS = ['html', 'md'] as const;

/**
 * A note with its citations formatted and its bibliography added, as the preview shows it:
 * `--to html` a standalone page, `--to md` Markdown for a static-site generator. Unknown keys stay
 * as written and are named on stderr (exit status 1, as `check`).
 */
async function renderCommand(args: CliArgs, io: CliIo): Promise<number> {
  const format = args.to;
  if (format === undefined || !(RENDER_FORMATS as readonly string[]).includes(format)) throw new UsageError(`render needs --to ${RENDER_FORMATS.join('|')}`);
  if (args.paths.length !== 1) throw new UsageError('render takes one NOTE.md');
  const file = path.resolve(args.paths[0]);
  let markdown: string;
  try {
    markdown = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError((error as NodeJS.ErrnoException).code === 'ENOENT' ? `"${args.paths[0]}" does not exist` : `cannot read "${args.paths[0]}": ${errorText(error)}`);
  }
  const loaded = await loadLibrary(args, io.root, (line) => io.err(`${line}\n`));
  const folder = path.dirname(file);
  const options = readNoteOptions(markdown);
  const style = cliStyle(args, loaded, io, { options, folder });
  const own = new NoteBibliographies().read(options, folder);
  for (const problem of own.problems) io.err(`litnotes: ${problem}\n`);
  const library = paperLookup(loaded.library.papers);
  const source: NoteSource = () => ({
    style,
    styleKey: style.styleId,
    lookup: (key) => own.lookup(key) ?? library(key),
    allPapers: () => (options.bibliography.length > 0 ? own.papers : loaded.library.papers),
    version: 0,
    problems: own.problems,
  });
  const name = path.basename(file).replace(/\.(md|markdown)$/i, '');
  const { markdown: replaced, rendered } = renderNoteMarkdown(markdown, source);
  if (rendered.problem) throw new InputError(rendered.problem);
  const text = format === 'md' ? replaced : renderNoteHtml(markdown, source, name, markdownItFactory(path.join(io.root, 'dist')));
  if (args.out) writeFileAtomic(path.resolve(args.out), text);
  else io.out(text);
  const unknown = [...new Set(rendered.unknown.flat())];
  for (const key of unknown) io.err(`${args.paths[0]}: ${unknownKeyMessage(key)}\n`);
  if (loaded.errors > 0 || own.problems.length > 0) return 2;
  return unknown.length > 0 ? 1 : 0;
}

async function checkCommand(args: CliArgs, io: CliIo): Promise<number> {
  const { library, errors } = await loadLibrary(args, io.root, (line) => io.err(`${line}\n`));
  const lookup = paperLookup(library.papers);
  let problems = 0;
  for (const file of args.paths.flatMap(markdownFiles)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const citation of unknownCitations(text, (key) => lookup(key) !== undefined, scanCitations(text))) {
      problems++;
      io.out(`${file}:${citation.line + 1}:${citation.column + 1}: ${unknownKeyMessage(citation.key)}\n`);
    }
  }
  if (errors > 0) return 2;
  return problems > 0 ? 1 : 0;
}

/** All papers, or those keys (by key or alias) in the order given; an unknown key is an error. */
function selectPapers(papers: readonly Paper[], keys: readonly string[] | undefined): Paper[] {
  if (!keys) return [...papers];
  const lookup = paperLookup(papers);
  const unknown = keys.filter((key) => !lookup(key));
  if (unknown.length > 0) throw new InputError(`not in the library: ${unknown.map((key) => `@${key}`).join(', ')}`);
  return [...new Set(keys.map((key) => lookup(key) as Paper))];
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** A Markdown file, or the Markdown files below a folder (sorted, skipping dependencies and .git). */
function markdownFiles(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`"${target}" does not exist`);
  if (stat.isFile()) return [target];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = path.join(target, entry.name);
      if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : markdownFiles(child);
      return /\.(md|markdown)$/i.test(entry.name) ? [child] : [];
    });
}
