/**
 * What LibrarySources keeps in the library cache, and how it knows that a cache fits: each source
 * file's stamp (size, modification time, content hash) and parse, the bundled library's stamp, the
 * settings and extension version that shaped the library, and the assembled result (whatever
 * assembleLibrary gives: the merged records, their topics, the merge problems and outcomes).
 */
import { isGroupSummaryList, type GroupSummary } from '../core/grouping';
import type { GroupBy, Library, Paper } from '../core/model';
import type { AssembledLibrary } from '../core/sources';
import type { ImportedPaper, SourceKind, SourceProblem } from '../core/sources/source';
import type { SourceTopic } from '../core/topics/sourceTopics';
import type { LibraryFileReport } from './librarySources';

export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** Absent where the size and time stand for the content (the bundled library, which changes with the extension). */
  hash?: string;
}

export interface CachedSourceFile {
  setting: string;
  path: string;
  kind: SourceKind;
  /** What the file was when it was read last; absent when it could not be read. */
  stamp?: FileStamp;
  papers: ImportedPaper[];
  /** The topics the file defines (JabRef groups). */
  topics?: SourceTopic[];
  problems: SourceProblem[];
  unreadable?: string;
}

export interface CachedLibrary {
  files: CachedSourceFile[];
  assembled: AssembledLibrary;
}

/** What the cache file holds of a `CachedLibrary` beside its papers, which it keeps to be decoded one by one. */
export function withoutPapers({ files, assembled }: CachedLibrary): unknown {
  return { files, assembled: { ...assembled, library: { ...assembled.library, papers: undefined } } };
}

/** The cached library from what `withoutPapers` left and the papers, when its shape is right (see `isCachedLibrary`). */
export function withPapers(value: unknown, papers: Paper[], inputsBefore: number): CachedLibrary | undefined {
  if (!isObject(value) || !isObject(value.assembled) || !isObject(value.assembled.library)) return undefined;
  const library = { ...value.assembled.library, papers } as unknown as Library;
  const restored = { ...value, assembled: { ...value.assembled, library } };
  return isCachedLibrary(restored, inputsBefore) ? restored : undefined;
}

export interface CachedLibraryMeta {
  extensionVersion: string;
  includeBundled: boolean;
  libraryFiles: string[];
  /** `inputsKey` of what the library was assembled from. */
  inputs: string;
}

/** What shapes an assembled library (and its topics) besides its sources: the extension's version and the library settings. */
export function libraryShape(extensionVersion: string, settings: { includeBundled: boolean; libraryFiles: readonly string[] }): Omit<CachedLibraryMeta, 'inputs'> {
  return { extensionVersion, includeBundled: settings.includeBundled, libraryFiles: [...settings.libraryFiles] };
}

/** Everything an assembled library depends on, as one string: equal strings, equal libraries. */
export function inputsKey(
  includeBundled: boolean,
  libraryFiles: readonly string[],
  bundled: readonly (FileStamp | undefined)[],
  files: readonly Pick<CachedSourceFile, 'path' | 'stamp' | 'unreadable'>[],
  /** Other inputs, as plain data (the topics the user decided). */
  others: unknown = null,
): string {
  return JSON.stringify({ includeBundled, libraryFiles, bundled, files: files.map(({ path, stamp, unreadable }) => [path, stamp ?? null, unreadable ?? null]), others });
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.hash === b.hash;
}

export function isCachedLibraryMeta(meta: unknown): meta is CachedLibraryMeta {
  const m = meta as Partial<CachedLibraryMeta> | null;
  return (
    typeof m === 'object' && m !== null &&
    typeof m.extensionVersion === 'string' && typeof m.includeBundled === 'boolean' && typeof m.inputs === 'string' &&
    Array.isArray(m.libraryFiles) && m.libraryFiles.every((file) => typeof file === 'string')
  );
}

/** Why a cache made with `meta` does not fit the current settings and version, or undefined when it does. */
export function metaMismatch(meta: CachedLibraryMeta, current: Omit<CachedLibraryMeta, 'inputs'>): string | undefined {
  if (meta.extensionVersion !== current.extensionVersion) return `it was made by version ${meta.extensionVersion}`;
  if (meta.includeBundled !== current.includeBundled || JSON.stringify(meta.libraryFiles) !== JSON.stringify(current.libraryFiles)) return 'the library settings changed';
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** What every reader of a paper relies on: checked for each paper decoded from the cache. */
export const isPaperLike = (value: unknown): value is Paper => isObject(value) && typeof value.key === 'string' && typeof value.title === 'string' && Array.isArray(value.topics) && Array.isArray(value.authors);

/**
 * The shape of a cached library, checked paper by paper for what every reader relies on (a cache
 * that passes its checksums but was written by a faulty build must not reach the views).
 * `inputsBefore`: the merge inputs before the files (the live source), each with its own outcome.
 */
export function isCachedLibrary(value: unknown, inputsBefore: number): value is CachedLibrary {
  if (!isObject(value) || !Array.isArray(value.files) || !isObject(value.assembled)) return false;
  const { library, problems, outcomes } = value.assembled;
  if (!isObject(library) || !Array.isArray(library.papers) || !Array.isArray(library.topics) || !Array.isArray(problems) || !Array.isArray(outcomes)) return false;
  if (outcomes.length !== value.files.length + inputsBefore) return false;
  const filesFit = value.files.every(
    (file: unknown) =>
      isObject(file) && typeof file.setting === 'string' && typeof file.path === 'string' && typeof file.kind === 'string' &&
      Array.isArray(file.papers) && Array.isArray(file.problems) && file.papers.every((entry: unknown) => isObject(entry) && isPaperLike(entry.paper) && typeof entry.line === 'number'),
  );
  return filesFit && library.papers.every(isPaperLike) && library.topics.every((topic: unknown) => isObject(topic) && typeof topic.id === 'string' && typeof topic.label === 'string');
}

/**
 * What the Papers view shows of a library first, kept in the cache's overview so that a start from
 * the cache answers the view before the papers are read: the groups of one grouping (the default,
 * by topic) with their counts, and the library files' rows.
 */
export interface LibraryOverview {
  groupBy: GroupBy;
  groups: GroupSummary[];
  /** The rows' reports, each with its file's path (a report's URI is not plain data). */
  files: (Omit<LibraryFileReport, 'uri'> & { path?: string })[];
}

const isEntryList = (value: unknown, fields: (entry: Record<string, unknown>) => boolean) => Array.isArray(value) && value.every((entry: unknown) => isObject(entry) && fields(entry));

export function isLibraryOverview(value: unknown): value is LibraryOverview {
  return (
    isObject(value) && value.groupBy === 'topic' && isGroupSummaryList(value.groups) &&
    isEntryList(value.files, (file) =>
      typeof file.setting === 'string' && typeof file.papers === 'number' && (file.path === undefined || typeof file.path === 'string') &&
      (file.problem === undefined || typeof file.problem === 'string') &&
      isEntryList(file.merged, (entry) => typeof entry.line === 'number' && typeof entry.key === 'string' && typeof entry.title === 'string' && typeof entry.message === 'string') &&
      isEntryList(file.skipped, (entry) => typeof entry.line === 'number' && typeof entry.message === 'string'),
    )
  );
}
