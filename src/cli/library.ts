/** The library the editor would load, assembled from files on disk for the command line. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../core/errors';
import { parseJsonc } from '../core/jsonc';
import type { Library } from '../core/model';
import { librarySettings, settingsFileLookup } from '../core/settingValues';
import { assembleLibrary, importSource, type AssemblySource } from '../core/sources';
import { sourceKindOf } from '../core/sources/source';
import { parseTopicsFile, type TopicDecisions } from '../core/topics/topicsFile';
import { loadBundledLibrary } from '../node/bundledLibrary';
import type { CliArgs } from './args';

export class InputError extends Error {
  override name = 'InputError';
}

export interface CliLibrary {
  library: Library;
  settings: ReturnType<typeof librarySettings>;
  /** Where relative paths of the settings point: the workspace folder, else the current folder. */
  base: string;
  /** Entries that could not be read; the run ends with exit status 2 when there are any. */
  errors: number;
}

/** Reads `DIR/.vscode/settings.json` when `--workspace` names a folder; an absent file means the defaults. */
export function workspaceSettings(dir: string | undefined): ReturnType<typeof librarySettings> {
  if (dir === undefined) return librarySettings(() => undefined);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new InputError(`the workspace folder "${dir}" does not exist`);
  const file = path.join(dir, '.vscode', 'settings.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return librarySettings(() => undefined);
    throw new InputError(`cannot read ${file}: ${errorText(error)}`);
  }
  try {
    return librarySettings(settingsFileLookup(parseJsonc(text)));
  } catch (error) {
    throw new InputError(`${file}: ${errorText(error)}`);
  }
}

/**
 * The workspace's library files (relative to the workspace) and then `--library` files (relative to
 * the current folder), merged with the bundled library as the extension merges them. Problems of the
 * files go to `warn` as `file:line: severity: message`.
 */
export async function loadLibrary(args: CliArgs, extensionRoot: string, warn: (line: string) => void): Promise<CliLibrary> {
  const base = path.resolve(args.workspace ?? '.');
  const settings = workspaceSettings(args.workspace);
  const files = [...settings.libraryFiles.map((file) => path.resolve(base, file)), ...args.libraries.map((file) => path.resolve(file))];
  let errors = 0;
  const sources: AssemblySource[] = [];
  for (const file of [...new Set(files)]) {
    const kind = sourceKindOf(file);
    if (!kind) throw new InputError(`"${file}" is not a library file Lit Notes can read (.bib, CSL-JSON .json, or a .txt/.md listing)`);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError((error as NodeJS.ErrnoException).code === 'ENOENT' ? `the library file "${file}" does not exist` : `cannot read "${file}": ${errorText(error)}`);
    }
    const parsed = importSource(kind, text);
    for (const problem of parsed.problems) {
      if (problem.severity === 'error') errors++;
      warn(`${path.relative('.', file) || file}:${problem.line}: ${problem.severity}: ${problem.message}`);
    }
    sources.push({ papers: parsed.papers, topics: parsed.topics });
  }
  const bundled = await loadBundledLibrary(extensionRoot);
  for (const problem of bundled.problems) warn(`bundled library: ${problem}`);
  const includeBundled = args.bundled && settings.includeBundled;
  const decisions = args.workspace === undefined ? undefined : readTopicsFile(path.resolve(base, settings.topicsFile));
  const { library } = assembleLibrary(sources, bundled.library, includeBundled, { decisions });
  return { library, settings, base, errors };
}

/** The workspace's topics file (the user's topic decisions); none when it does not exist, an error when it is broken. */
function readTopicsFile(file: string): TopicDecisions | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot read ${file}: ${errorText(error)}`);
  }
  const parsed = parseTopicsFile(text);
  if ('error' in parsed) {
    const { line, column, message } = parsed.error;
    throw new InputError(`${file}${line === undefined ? '' : `:${line}:${column ?? 1}`}: ${message}`);
  }
  return parsed.decisions;
}
