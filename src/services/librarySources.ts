import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { Library, Paper } from '../core/model';
import { assembleLibrary } from '../core/sources';
import { sourceKindOf, type ImportedPaper, type ParsedSource, type SourceKind, type SourceProblem } from '../core/sources/source';
import { TopicModel } from '../core/sources/topicAssign';
import type { WorkerRequest } from '../workers/libraryWorker';
import { loadBundledLibrary } from '../node/bundledLibrary';
import type { LibraryService } from './libraryService';
import type { Settings } from './settings';
import type { LeadingSource } from './zoteroLibrary';

/** A save usually fires several file events; they are handled together. */
const DEBOUNCE_MS = 200;
/** Files above this size show a progress notification while they load. */
const PROGRESS_BYTES = 1_000_000;

interface SourceFile {
  setting: string;
  uri: vscode.Uri;
  kind: SourceKind;
  /** What the file gave when it was last read; a malformed entry keeps its version from here. */
  papers: ImportedPaper[];
  watchers: vscode.Disposable[];
}

/**
 * The library as the settings define it: the files in `litnotes.library.files`, watched and read
 * again on every change, merged with the bundled library unless `litnotes.library.includeBundled`
 * is off. Problems show as diagnostics on the files themselves. Library files are only ever read.
 */
export class LibrarySources implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('Lit Notes');
  private files: SourceFile[] = [];
  private bundled?: { library: Library; model?: TopicModel };
  /** Missing files already reported, so that a missing file is reported once, not on every reload. */
  private readonly reportedMissing = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private worker?: Worker;
  private nextRequest = 0;
  private readonly pending = new Map<number, { resolve: (result: ParsedSource) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly extensionPath: string,
    private readonly settings: Settings,
    private readonly library: LibraryService,
    private readonly log: vscode.LogOutputChannel,
    /** A live library (Zotero), merged first: it is newer than any file exported from it. */
    private readonly leading?: LeadingSource,
  ) {
    // A change there assembles the library again from what the files gave, after a load under way: the files are not read again.
    if (leading) {
      const assembleAgain = () => this.library.load(() => this.assemble());
      this.subscriptions.push(leading.onDidChange(() => void this.library.ready.then(assembleAgain, assembleAgain).catch((error: unknown) => this.log.error('Could not reload the library:', String(error)))));
    }
    this.subscriptions.push(
      settings.onDidChange((key) => {
        if (key !== 'library.files' && key !== 'library.includeBundled') return;
        this.reportedMissing.clear();
        void this.reload().catch((error: unknown) => this.log.error('Could not reload the library:', String(error)));
      }),
      // Belt and braces for the file watcher: a save in the editor reloads at once.
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.files.some((file) => file.uri.fsPath === document.uri.fsPath)) this.schedule();
      }),
    );
  }

  /** Reads every source again and replaces the library; the refresh command and setting changes call this. */
  reload(): Promise<void> {
    return this.library.load(() => {
      this.watchFiles();
      return this.readAll();
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const file of this.files) file.watchers.forEach((watcher) => watcher.dispose());
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.diagnostics.dispose();
    void this.worker?.terminate();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.library
        .load(() => this.readAll())
        .catch((error: unknown) => this.log.error('Could not reload the library:', String(error)));
    }, DEBOUNCE_MS);
  }

  private async readAll(): Promise<Library> {
    await Promise.all(this.files.map((file) => this.read(file)));
    return this.assemble();
  }

  /** Rebuilds the file list from the settings, keeping what was read from files that stay. */
  private watchFiles(): void {
    const previous = new Map(this.files.map((file) => [file.uri.fsPath, file]));
    const next: SourceFile[] = [];
    for (const setting of this.settings.libraryFiles) {
      const uri = this.resolve(setting);
      const kind = sourceKindOf(setting);
      if (!uri || !kind) {
        this.reportOnce(setting, !uri ? `Lit Notes: the library file "${setting}" is a relative path, but no workspace folder is open.` : `Lit Notes: "${setting}" is not a library file Lit Notes can read (.bib, CSL-JSON .json, or a .txt/.md listing).`);
        continue;
      }
      const kept = previous.get(uri.fsPath);
      if (kept && !next.includes(kept)) {
        previous.delete(uri.fsPath);
        next.push(kept);
        continue;
      }
      if (next.some((file) => file.uri.fsPath === uri.fsPath)) continue;
      // Non-recursive pattern on the file's folder: works for files outside the workspace too.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(uri.fsPath)));
      const changed = () => this.schedule();
      next.push({ setting, uri, kind, papers: [], watchers: [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)] });
    }
    for (const gone of previous.values()) {
      gone.watchers.forEach((watcher) => watcher.dispose());
      this.diagnostics.delete(gone.uri);
    }
    this.files = next;
  }

  private resolve(setting: string): vscode.Uri | undefined {
    if (path.isAbsolute(setting)) return vscode.Uri.file(setting);
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder && folder.uri.scheme === 'file' ? vscode.Uri.file(path.join(folder.uri.fsPath, setting)) : undefined;
  }

  /** Reads one file; on failure the file keeps what it gave last time (or nothing, when it is gone). */
  private async read(file: SourceFile): Promise<void> {
    let text: string;
    let size: number;
    try {
      size = (await fs.stat(file.uri.fsPath)).size;
      text = await fs.readFile(file.uri.fsPath, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (missing) file.papers = [];
      this.diagnostics.delete(file.uri);
      this.reportOnce(
        file.uri.fsPath,
        missing
          ? `Lit Notes: the library file "${file.setting}" does not exist. Its papers are not in the library until it does.`
          : `Lit Notes: could not read the library file "${file.setting}": ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    this.reportedMissing.delete(file.uri.fsPath);
    const parse = () => this.parse(file.kind, text);
    const parsed =
      size > PROGRESS_BYTES
        ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Lit Notes: loading ${path.basename(file.uri.fsPath)}…` }, parse)
        : await parse();
    file.papers = this.keepLastGood(file, parsed);
    this.log.info(`${file.setting}: ${parsed.papers.length} papers${parsed.problems.length ? `, ${parsed.problems.length} problems` : ''}`);
    this.diagnostics.set(file.uri, parsed.problems.map(toDiagnostic));
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

  private async assemble(): Promise<Library> {
    if (!this.bundled) {
      const { library, problems } = await loadBundledLibrary(this.extensionPath);
      for (const problem of problems) this.log.warn(`Bundled library: ${problem}`);
      this.bundled = { library };
    }
    const bundled = this.bundled;
    const includeBundled = this.settings.includeBundled;
    const leading = this.leading;
    const lead = leading ? [{ papers: leading.papers }] : [];
    const model = () => (bundled.model ??= TopicModel.fromPapers(bundled.library.papers, bundled.library.topics));
    // The live source's papers come with their topics, worked out off this thread.
    const assigner = leading ? () => ({ assign: (paper: Paper, keywords: readonly string[]) => leading.topicsOf(paper.key) ?? model().assign(paper, keywords) }) : model;
    const assembled = assembleLibrary([...lead, ...this.files], bundled.library, includeBundled, assigner);
    const { problems } = assembled;
    const library = leading ? leading.decorate(assembled.library) : assembled.library;
    for (const problem of problems) {
      if (problem.source < lead.length) {
        this.log.info(`Zotero: ${problem.message}`);
        continue;
      }
      const file = this.files[problem.source - lead.length];
      if (!file) {
        this.log.info(`Bundled library: ${problem.message}`);
        continue;
      }
      const diagnostic = new vscode.Diagnostic(lineRange(problem.line), problem.message, vscode.DiagnosticSeverity.Information);
      diagnostic.source = 'Lit Notes';
      this.diagnostics.set(file.uri, [...(this.diagnostics.get(file.uri) ?? []), diagnostic]);
    }
    this.log.info(`Loaded ${library.papers.length} papers in ${library.topics.length} topics from ${leading ? `${leading.papers.length} Zotero items, ` : ''}${this.files.length} library files${includeBundled ? ' and the bundled library' : ''}`);
    return library;
  }

  private reportOnce(id: string, message: string): void {
    this.log.warn(message);
    if (this.reportedMissing.has(id)) return;
    this.reportedMissing.add(id);
    void vscode.window.showWarningMessage(message, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'litnotes.library.files');
    });
  }

  private parse(kind: SourceKind, text: string): Promise<ParsedSource> {
    const worker = this.ensureWorker();
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, kind, text } satisfies WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(this.extensionPath, 'dist', 'libraryWorker.js'));
    worker.unref();
    worker.on('message', ({ id, result, error }: { id: number; result?: ParsedSource; error?: string }) => {
      const request = this.pending.get(id);
      this.pending.delete(id);
      if (result) request?.resolve(result);
      else request?.reject(new Error(error ?? 'the library worker gave no result'));
    });
    const fail = (error: Error) => {
      this.worker = undefined;
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the library worker stopped')));
    this.worker = worker;
    return worker;
  }
}

function lineRange(line: number): vscode.Range {
  const index = Math.max(0, line - 1);
  return new vscode.Range(index, 0, index, Number.MAX_SAFE_INTEGER);
}

function toDiagnostic(problem: SourceProblem): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(lineRange(problem.line), problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'Lit Notes';
  return diagnostic;
}
