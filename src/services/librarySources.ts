import { watch } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checksum } from '../core/cache/container';
import { Disposable } from '../core/dispose';
import { errorDetail, errorText } from '../core/errors';
import { groupPapers, summarizeGroups } from '../core/grouping';
import { countOf } from '../core/labels';
import type { Library, Paper } from '../core/model';
import { importSource, planLibrary, runDiscovery, type AssembledLibrary } from '../core/sources';
import type { MergeProblem } from '../core/sources/merge';
import type { MergedEntry, SkippedEntry } from '../core/sources/outcomes';
import { sourceKindOf, type ImportedPaper, type ParsedSource, type SourceKind, type SourceProblem } from '../core/sources/source';
import { TopicModel } from '../core/sources/topicAssign';
import { NO_DISCOVERY } from '../core/topics/assemble';
import { LIBRARY_WORKER, TOPICS_WORKER, type LibraryParseRequest, type TopicsAnswer, type TopicsAsk } from '../core/workerRpc';
import { bundledLibraryStamps, loadBundledLibrary } from '../node/bundledLibrary';
import type { LibraryCache } from './libraryCache';
import { inputsKey, isCachedLibraryMeta, libraryShape, isPaperLike, metaMismatch, sameStamp, isLibraryOverview, withoutPapers, withPapers, type CachedLibraryMeta, type LibraryOverview, type CachedSourceFile, type FileStamp } from './libraryCacheState';
import type { LibraryService } from './libraryService';
import type { Settings } from './settings';
import type { TopicsService } from './topicsService';
import { inWorkerOrHere, WorkerClient } from './workerClient';
import { resolveSettingPath } from './workspacePaths';
import type { LeadingSource } from './zoteroLibrary';

/** A save usually fires several file events, and one settings write several setting events: they are handled together. */
const DEBOUNCE_MS = 200;
/** Files above this size show a progress notification while they load. */
const PROGRESS_BYTES = 1_000_000;
const FILES_SETTING = 'litnotes.library.files';

/** A library file of the settings: what the cache keeps of it (its stamp, what it gave), and its watchers. */
type SourceFile = Omit<CachedSourceFile, 'path'> & {
  uri: vscode.Uri;
  watchers: vscode.Disposable[];
};

/** One entry of `litnotes.library.files` as the Papers view shows it. */
export interface LibraryFileReport {
  setting: string;
  /** Undefined when the setting names no file Lit Notes can read. */
  uri?: vscode.Uri;
  /** Why the file adds nothing to the library, when it does not. */
  problem?: string;
  /** Entries that are papers of the library. */
  papers: number;
  /** Entries merged into an earlier record of the same paper, with a sentence on which. */
  merged: (MergedEntry & { message: string })[];
  /** Entries that could not be read and are not in the library. */
  skipped: SkippedEntry[];
}

/** What the Papers view and its commands read of the library sources. */
export interface LibraryFileReports {
  readonly reports: readonly LibraryFileReport[];
}

/**
 * The library as the settings define it: the files in `litnotes.library.files`, watched and read
 * again on every change, merged with the bundled library unless `litnotes.library.includeBundled`
 * is off. Problems show as diagnostics on the files themselves, and per file in `reports`. Library
 * files are only ever read. Reloads run one at a time, and requests that come while one runs are
 * served by a single reload after it, so two changes at once never read twice or report twice.
 */
export class LibrarySources extends Disposable implements LibraryFileReports {
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('Lit Notes'));
  private files: SourceFile[] = [];
  /** Settings that name no readable file; reported, and listed in the Papers view. */
  private unusable: LibraryFileReport[] = [];
  private latestReports: LibraryFileReport[] = [];
  private bundled?: { library: Library; model?: TopicModel };
  /** Problems already shown in a message, so that each is shown once, not on every reload. */
  private readonly reportedMissing = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private parser?: WorkerClient<LibraryParseRequest, ParsedSource>;
  private discoverer?: WorkerClient<TopicsAsk, TopicsAnswer>;
  /** Aborted when the window closes: stops the workers, and a parse or discovery under way is not done again here. */
  private readonly closing = new AbortController();
  private running?: Promise<void>;
  private queued?: Promise<void>;
  /** `inputsKey` of the library in place: a reload that finds the same inputs keeps it as it is. */
  private assembledKey?: string;
  /** Changes of the live source seen this session: part of what the library is assembled from. */
  private leadingRevision = 0;
  private started = false;
  /** The first start's reads of the library files and the bundled library's stamps, begun while the cache is read; taken by the check. */
  private ahead?: { files: Map<string, Promise<StampedFile>>; bundled: Promise<(FileStamp | undefined)[]> };

  constructor(
    private readonly extensionPath: string,
    private readonly settings: Settings,
    private readonly library: LibraryService,
    private readonly topics: TopicsService,
    private readonly log: vscode.LogOutputChannel,
    private readonly cache?: LibraryCache,
    /** A live library (Zotero), merged first: it is newer than any file exported from it. */
    private readonly leading?: LeadingSource,
  ) {
    super();
    // A change there assembles the library again from what the files gave, after a load under way: the files are not read again.
    if (leading) {
      const assembleAgain = () => this.load(() => this.assemble());
      this._register(
        leading.onDidChange(() => {
          this.leadingRevision++;
          this.library.ready.then(assembleAgain, assembleAgain).catch((error: unknown) => this.log.error('Could not reload the library:', errorDetail(error)));
        }),
      );
    }
    // The user's topic decisions change every paper's topics, not the files: the library is assembled again.
    this._register(topics.onDidChange(() => this.schedule()));
    this._register(
      settings.onDidChange((key) => {
        if (key !== 'library.files' && key !== 'library.includeBundled') return;
        this.reportedMissing.clear();
        this.schedule();
      }),
    );
    // Belt and braces for the file watcher: a save in the editor reloads at once.
    this._register(
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.files.some((file) => file.uri.fsPath === document.uri.fsPath)) this.schedule();
      }),
    );
    this._register({ dispose: () => this.closing.abort() });
    this._register({ dispose: () => clearTimeout(this.timer) });
    this._register({ dispose: () => this.files.forEach((file) => file.watchers.forEach((watcher) => watcher.dispose())) });
  }

  /** Per entry of `litnotes.library.files`, in its order: what the file added to the library, as of the last load. */
  get reports(): readonly LibraryFileReport[] {
    return this.latestReports;
  }

  /**
   * Reads every source again and replaces the library. Settles when a reload that began after the
   * call has finished: the one queued behind a running reload, shared by every request meanwhile.
   */
  reload(): Promise<void> {
    clearTimeout(this.timer);
    if (this.queued) return this.queued;
    if (!this.running) return this.run();
    const queued = this.running.catch(() => undefined).then(() => {
      this.queued = undefined;
      return this.run();
    });
    this.queued = queued;
    return queued;
  }

  private run(): Promise<void> {
    const first = !this.started;
    this.started = true;
    const running = (first && this.cache ? this.startFromCache(this.cache) : this.load(() => this.readAll()))
      // As in `load`: the check after a start from the cache, cut short by the close, ends quietly too.
      .catch((error: unknown) => {
        if (!this.isDisposed) throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    this.running = running;
    return running;
  }

  /**
   * The first load: the cached library at once when one fits, then a check of its sources in the
   * background, which replaces it only where something changed (an unchanged file is not parsed,
   * an unchanged library not replaced, so nothing flickers).
   */
  private async startFromCache(cache: LibraryCache): Promise<void> {
    // What the check needs from the disk is read while the cache is, so that the check after it waits for no disk.
    this.watchFiles();
    const files = new Map(this.files.map((file) => [file.uri.fsPath, readStamped(file.uri.fsPath)]));
    this.ahead = { files, bundled: bundledLibraryStamps(this.extensionPath) };
    for (const read of [...files.values(), this.ahead.bundled]) read.catch(() => undefined);
    let restored = false;
    await this.load(async () => {
      const library = await this.restore(cache);
      restored = library !== undefined;
      return library ?? this.readAll();
    });
    if (!restored) return;
    const started = performance.now();
    const checked = await this.readAll();
    const unchanged = checked === this.library.library;
    this.log.info(`Library sources checked in ${Math.round(performance.now() - started)} ms: ${unchanged ? 'unchanged, the cached library stays' : 'changed, the library was assembled again'}`);
    this.library.replace(checked);
  }

  /**
   * Replaces the library with what `read` gives. A read cut short by the window closing (its
   * diagnostics, watchers and workers gone under it) leaves the library as it is, quietly.
   */
  private load(read: () => Promise<Library>): Promise<void> {
    return this.library.load(() => read().catch((error: unknown) => (this.isDisposed ? this.library.library : Promise.reject(error))));
  }

  private async restore(cache: LibraryCache): Promise<Library | undefined> {
    const current = libraryShape(cache.extensionVersion, this.settings);
    const inputsBefore = this.leading ? 1 : 0;
    // The overview answers the Papers view while the rest is read; withdrawn when the rest cannot be used.
    const showOverview = (overview: unknown) => (isLibraryOverview(overview) ? this.library.showOverview(overview) : this.log.warn('Library cache: its overview has an unknown shape, so the view waits for the papers'));
    const restored = await cache.restore(isCachedLibraryMeta, (meta) => metaMismatch(meta, current), isPaperLike, (value, papers) => withPapers(value, papers, inputsBefore), showOverview);
    const saved = restored && new Map(restored.value.files.map((file) => [file.path, file]));
    this.watchFiles();
    if (!restored || !saved || this.files.some((file) => !saved.has(file.uri.fsPath))) {
      this.library.showOverview(undefined);
      return undefined;
    }
    for (const file of this.files) {
      const { stamp, papers, topics, problems, unreadable } = saved.get(file.uri.fsPath)!;
      Object.assign(file, { stamp, papers, topics, problems, unreadable });
    }
    this.assembledKey = restored.meta.inputs;
    return this.present(restored.value.assembled);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.reload().catch((error: unknown) => this.log.error('Could not reload the library:', errorDetail(error)));
    }, DEBOUNCE_MS);
  }

  private async readAll(): Promise<Library> {
    const ahead = this.ahead;
    this.ahead = undefined;
    this.watchFiles();
    await Promise.all(this.files.map((file) => this.read(file, ahead?.files.get(file.uri.fsPath))));
    return this.assemble(ahead?.bundled);
  }

  /** Rebuilds the file list from the settings, keeping what was read from files that stay. */
  private watchFiles(): void {
    const previous = new Map(this.files.map((file) => [file.uri.fsPath, file]));
    const next: SourceFile[] = [];
    this.unusable = [];
    for (const setting of this.settings.libraryFiles) {
      const { uri, problem } = resolveSettingPath(setting, FILES_SETTING);
      const kind = sourceKindOf(setting);
      if (!uri || !kind) {
        const message = problem ?? `"${setting}" is not a library file Lit Notes can read (.bib, CSL-JSON .json, or a .txt/.md listing).`;
        this.unusable.push({ setting, problem: message, papers: 0, merged: [], skipped: [] });
        this.reportOnce(setting, `Lit Notes: ${message}`);
        continue;
      }
      const kept = previous.get(uri.fsPath);
      if (kept && !next.includes(kept)) {
        previous.delete(uri.fsPath);
        next.push(kept);
        continue;
      }
      if (next.some((file) => file.uri.fsPath === uri.fsPath)) continue;
      next.push({ setting, uri, kind, papers: [], problems: [], watchers: watchFile(uri, () => this.schedule()) });
    }
    for (const gone of previous.values()) {
      gone.watchers.forEach((watcher) => watcher.dispose());
      this.diagnostics.delete(gone.uri);
    }
    this.files = next;
  }

  /** Reads one file (or takes the read begun `ahead`); on failure the file keeps what it gave last time (or nothing, when it is gone). */
  private async read(file: SourceFile, ahead?: Promise<StampedFile>): Promise<void> {
    let bytes: Buffer;
    let stamp: FileStamp;
    try {
      ({ bytes, stamp } = await (ahead ?? readStamped(file.uri.fsPath)));
    } catch (error) {
      file.stamp = undefined;
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (missing) file.papers = [];
      file.problems = [];
      file.unreadable = missing ? 'The file does not exist.' : `The file cannot be read: ${errorText(error)}`;
      this.reportOnce(
        file.uri.fsPath,
        missing
          ? `Lit Notes: the library file "${file.setting}" does not exist. Its papers are not in the library until it does.`
          : `Lit Notes: could not read the library file "${file.setting}": ${errorText(error)}`,
      );
      return;
    }
    this.reportedMissing.delete(file.uri.fsPath);
    if (!file.unreadable && sameStamp(stamp, file.stamp)) return;
    file.unreadable = undefined;
    file.stamp = stamp;
    const text = bytes.toString('utf8');
    const parse = () => this.parse(file.kind, text);
    const parsed =
      stamp.size > PROGRESS_BYTES
        ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Lit Notes: loading ${path.basename(file.uri.fsPath)}…` }, parse)
        : await parse();
    file.papers = this.keepLastGood(file, parsed);
    file.problems = parsed.problems;
    file.topics = parsed.topics;
    this.log.info(`${file.setting}: ${countOf(parsed.papers.length, 'paper')}${parsed.problems.length ? `, ${countOf(parsed.problems.length, 'problem')}` : ''}`);
  }

  /** Entries that no longer parse keep the version read last time, so a half-typed edit loses nothing. */
  private keepLastGood(file: SourceFile, parsed: ParsedSource): ImportedPaper[] {
    const fresh = new Set(parsed.papers.map((entry) => entry.paper.key));
    const broken = new Set(parsed.problems.filter((problem) => problem.severity === 'error' && problem.key && !fresh.has(problem.key)).map((problem) => problem.key));
    const kept = file.papers.filter((entry) => broken.has(entry.paper.key));
    for (const problem of parsed.problems) {
      if (problem.key && kept.some((entry) => entry.paper.key === problem.key)) problem.message += '; the last version that could be read stays in the library';
    }
    return [...parsed.papers, ...kept].sort((a, b) => a.line - b.line);
  }

  /** `bundledAhead`: the bundled library's stamps, when taken already. */
  private async assemble(bundledAhead?: Promise<(FileStamp | undefined)[]>): Promise<Library> {
    const includeBundled = this.settings.includeBundled;
    const libraryFiles = [...this.settings.libraryFiles];
    const bundledStamps = await (bundledAhead ?? bundledLibraryStamps(this.extensionPath));
    const sources = this.files.map((file) => ({ setting: file.setting, path: file.uri.fsPath, kind: file.kind, stamp: file.stamp, papers: file.papers, topics: file.topics, problems: file.problems, unreadable: file.unreadable }));
    await this.topics.ready;
    const { decisions } = this.topics;
    // Beside the files: the user's topic decisions, and the live source's changes this session.
    const others = { decisions: [[...decisions.topics], [...decisions.papers]], leading: this.leading ? this.leadingRevision : null };
    const key = inputsKey(includeBundled, libraryFiles, bundledStamps, sources, others);
    if (key === this.assembledKey) return this.library.library;
    if (!this.bundled) {
      const { library, problems } = await loadBundledLibrary(this.extensionPath);
      for (const problem of problems) this.log.warn(`Bundled library: ${problem}`);
      this.bundled = { library };
    }
    const bundled = this.bundled;
    const leading = this.leading;
    // The live source comes first (input 0), the files after it: `offset` turns a merge input index into a file index.
    const lead = leading ? [{ papers: leading.papers, topics: leading.sourceTopics }] : [];
    const model = () => (bundled.model ??= TopicModel.fromPapers(bundled.library.papers, bundled.library.topics));
    // The live source's papers come with their bundled topics, worked out off this thread.
    const assigner = leading ? () => ({ assign: (paper: Paper, keywords: readonly string[]) => leading.topicsOf(paper.key) ?? model().assign(paper, keywords) }) : model;
    const { plan, problems, outcomes } = planLibrary([...lead, ...this.files], bundled.library, includeBundled, { topicModel: assigner, decisions });
    const finished = plan.finish(await this.topics.discover(plan.request, (ask) => this.discover(ask)));
    const assembled: AssembledLibrary = { library: leading ? leading.decorate(finished) : finished, problems, outcomes };
    this.assembledKey = key;
    const library = this.present(assembled);
    const meta: CachedLibraryMeta = { ...libraryShape(this.cache?.extensionVersion ?? '', { includeBundled, libraryFiles }), inputs: key };
    const sourceBytes = [...bundledStamps, ...sources.map((source) => source.stamp)].reduce((sum, stamp) => sum + (stamp?.size ?? 0), 0);
    const reports = this.latestReports;
    this.cache?.save(meta, withoutPapers({ files: sources, assembled }), library.papers, sourceBytes, () => overviewOf(library, reports));
    return library;
  }

  /** Shows what an assembly found (diagnostics, the per-file reports, a log line) and gives its library. */
  private present({ library, problems, outcomes }: AssembledLibrary): Library {
    const includeBundled = this.settings.includeBundled;
    const leading = this.leading;
    const offset = leading ? 1 : 0;
    for (const problem of problems) {
      if (problem.source < offset) this.log.info(`Zotero: ${problem.message}`);
      else if (!this.files[problem.source - offset]) this.log.info(`Bundled library: ${problem.message}`);
    }
    // Each file's diagnostics are set whole, once per load: nothing is appended to a previous load's.
    this.files.forEach((file, index) => {
      if (file.unreadable) this.diagnostics.delete(file.uri);
      else this.diagnostics.set(file.uri, [...file.problems.map(toDiagnostic), ...problems.filter((problem) => problem.source === index + offset).map(toDiagnostic)]);
    });
    const byFile = new Map(
      this.files.map((file, index): [string, LibraryFileReport] => {
        const outcome = outcomes[index + offset];
        return [
          file.setting,
          {
            setting: file.setting,
            uri: file.uri,
            problem: file.unreadable,
            papers: outcome.papers,
            merged: outcome.merged.map((entry) => ({ ...entry, message: this.mergedMessage(entry, offset) })),
            skipped: outcome.skipped,
          },
        ];
      }),
    );
    const unusable = new Map(this.unusable.map((report) => [report.setting, report]));
    this.latestReports = this.settings.libraryFiles.flatMap((setting) => byFile.get(setting) ?? unusable.get(setting) ?? []);
    const zotero = leading ? `${countOf(leading.papers.length, 'Zotero item')}, ` : '';
    this.log.info(`Loaded ${countOf(library.papers.length, 'paper')} in ${countOf(library.topics.length, 'topic')} from ${zotero}${countOf(this.files.length, 'library file')}${includeBundled ? ' and the bundled library' : ''}`);
    return library;
  }

  /** `offset`: the merge inputs before the files (the live source). */
  private mergedMessage(entry: MergedEntry, offset: number): string {
    const { into } = entry;
    const what = 'the same paper by DOI, arXiv id or title; the earlier record wins field by field';
    if (!into) return `Merged into an earlier record: ${what}.`;
    const file = this.files[into.source - offset];
    const where = into.source < offset ? 'Zotero' : file ? `${path.basename(file.setting)}, line ${into.line}` : 'the bundled library';
    return `Merged into "${into.key}" (${where}): ${what}.`;
  }

  private reportOnce(id: string, message: string): void {
    this.log.warn(message);
    if (this.reportedMissing.has(id)) return;
    this.reportedMissing.add(id);
    void vscode.window.showWarningMessage(message, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', FILES_SETTING);
    });
  }

  /** Topics for the papers nothing else placed, found in a worker thread (the editor stays responsive), with their state encoded there when asked. */
  private discover(ask: TopicsAsk): Promise<TopicsAnswer> {
    const { request } = ask;
    // Here the state is left to its file, which encodes it when it writes it.
    const here = (): TopicsAnswer => ({ discovery: runDiscovery(request) });
    if (request.papers.length === 0 && request.pinned.length === 0) return Promise.resolve(here());
    const { signal } = this.closing;
    const discoverer = (this.discoverer ??= new WorkerClient(TOPICS_WORKER, path.join(this.extensionPath, 'dist'), signal));
    // A failure here costs the discovered topics, never the library; the window closing ends the load.
    const discovered = async () => {
      const answer = await discoverer.call(ask);
      for (const problem of answer.problems ?? []) this.log.warn(`Topic discovery: ${problem}`);
      return answer;
    };
    return inWorkerOrHere('discover topics', discovered, here, this.log, signal).catch((error: unknown) => {
      if (signal.aborted) throw error;
      this.log.error('Could not discover topics; the papers no other rule places are Unsorted:', errorDetail(error));
      return { discovery: NO_DISCOVERY };
    });
  }

  private parse(kind: SourceKind, text: string): Promise<ParsedSource> {
    const { signal } = this.closing;
    const parser = (this.parser ??= new WorkerClient(LIBRARY_WORKER, path.join(this.extensionPath, 'dist'), signal));
    return inWorkerOrHere('read a library file', () => parser.call({ kind, text }), () => importSource(kind, text), this.log, signal);
  }
}

interface StampedFile {
  bytes: Buffer;
  stamp: FileStamp;
}

/**
 * Calls `changed` on every change of `file`. Node's watcher on the file's folder (it sees a file
 * replaced by a save too) watches when this returns: a change made while the file is read after it
 * is seen. VS Code's watcher starts some time later, and a change in that gap was lost; it serves
 * only a folder Node cannot watch (one that does not exist yet).
 */
function watchFile(uri: vscode.Uri, changed: () => void): vscode.Disposable[] {
  const folder = path.dirname(uri.fsPath);
  const name = path.basename(uri.fsPath);
  try {
    const watcher = watch(folder, { persistent: false }, (_event, filename) => {
      if (filename === null || filename === name) changed();
    });
    // The folder went away (and the file with it): read again, which reports the file missing.
    watcher.on('error', () => {
      watcher.close();
      changed();
    });
    return [{ dispose: () => watcher.close() }];
  } catch {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), name));
    return [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)];
  }
}

async function readStamped(file: string): Promise<StampedFile> {
  const { size, mtimeMs } = await fs.stat(file);
  const bytes = await fs.readFile(file);
  return { bytes, stamp: { size, mtimeMs, hash: checksum(bytes) } };
}

/** The Papers view's first answer on the next start from the cache: its rows grouped by topic, and the library files' rows. */
function overviewOf(library: Library, reports: readonly LibraryFileReport[]): LibraryOverview {
  return {
    groupBy: 'topic',
    groups: summarizeGroups(groupPapers(library.papers, 'topic', library.topics)),
    files: reports.map(({ uri, ...report }) => ({ ...report, ...(uri && { path: uri.fsPath }) })),
  };
}

function lineRange(line: number): vscode.Range {
  const index = Math.max(0, line - 1);
  return new vscode.Range(index, 0, index, Number.MAX_SAFE_INTEGER);
}

/** Parse errors lose an entry, warnings a detail; merge notes (duplicates, renamed keys) only inform. */
function toDiagnostic(problem: SourceProblem | MergeProblem): vscode.Diagnostic {
  const severity = !('severity' in problem) ? vscode.DiagnosticSeverity.Information : problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(lineRange(problem.line), problem.message, severity);
  diagnostic.source = 'Lit Notes';
  return diagnostic;
}
