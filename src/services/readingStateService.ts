import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { errorText } from '../core/errors';
import {
  parseReadingState,
  serializeReadingState,
  withPaperStates,
  type PaperReadingState,
  type ReadingState,
  type ReadingStateError,
} from '../core/readingState';
import type { Settings } from './settings';
import { resolveSettingPath } from './workspacePaths';

export interface ReadingStateChange {
  /** Whether any paper's tags changed (the search index holds tags). */
  tags: boolean;
}

const EMPTY: PaperReadingState = { tags: [] };

/**
 * Reading status and tags, kept in the workspace file named by `litnotes.notes.stateFile`. Every
 * change re-reads the file and writes it back with the one change applied, so edits made by hand
 * or by git in between are kept. A file that does not parse is reported and is written again only
 * after the user chose "Overwrite".
 */
export class ReadingStateService extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<ReadingStateChange>());
  readonly onDidChange = this.changed.event;
  /** The last state read successfully: shown while the file is broken. */
  private state: ReadingState = new Map();
  private problem: ReadingStateError | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Loads and writes one after another, so two quick changes cannot lose each other. */
  private queue: Promise<unknown> = Promise.resolve();
  private loaded: Promise<void>;

  constructor(
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.loaded = this.reload(true);
    this._register(
      settings.onDidChange((key) => {
        if (key === 'notes.stateFile') this.loaded = this.reload(true);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.loaded = this.reload(true);
      }),
    );
    this._register({ dispose: () => this.watcher?.dispose() });
  }

  get ready(): Promise<void> {
    return this.loaded;
  }

  get(key: string): PaperReadingState {
    return this.state.get(key) ?? EMPTY;
  }

  /** Every tag in use, sorted. */
  allTags(): string[] {
    return [...new Set([...this.state.values()].flatMap((entry) => entry.tags))].sort((a, b) => a.localeCompare(b));
  }

  /** The state file, or undefined when its path is relative and no folder is open. */
  fileUri(): vscode.Uri | undefined {
    return resolveSettingPath(this.settings.stateFile, 'litnotes.notes.stateFile').uri;
  }

  /** Applies `change` to each paper; false when nothing was written (no folder, or the user kept a broken file). */
  update(keys: readonly string[], change: (current: PaperReadingState) => Partial<PaperReadingState>): Promise<boolean> {
    const run = this.queue.then(() => this.write(keys, change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(keys: readonly string[], change: (current: PaperReadingState) => Partial<PaperReadingState>): Promise<boolean> {
    const uri = this.fileUri();
    if (!uri) {
      void vscode.window.showErrorMessage('Lit Notes keeps reading status and tags in a file of the workspace: open a folder first.');
      return false;
    }
    const read = await this.read(uri);
    let base = this.state;
    if ('error' in read) {
      if (!(await this.confirmOverwrite(uri, read.error))) return false;
    } else {
      base = read.state;
    }
    const next = withPaperStates(base, keys, change);
    const parent = vscode.Uri.joinPath(uri, '..');
    await vscode.workspace.fs.createDirectory(parent);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(serializeReadingState(next), 'utf8'));
    this.apply(next, undefined);
    return true;
  }

  private async confirmOverwrite(uri: vscode.Uri, error: ReadingStateError): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(
      `The reading state file ${vscode.workspace.asRelativePath(uri)} cannot be read (${describe(error)}). Overwrite it with the status and tags Lit Notes knows, including this change, or open it to fix it?`,
      { modal: true },
      'Overwrite',
      'Open File',
    );
    if (choice === 'Open File') await openAt(uri, error);
    return choice === 'Overwrite';
  }

  private reload(atStart: boolean): Promise<void> {
    this.watcher?.dispose();
    const uri = this.fileUri();
    if (!uri) {
      this.apply(new Map(), undefined);
      return Promise.resolve();
    }
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), path.posix.basename(uri.path)));
    const onDisk = () => void this.enqueueLoad(uri, false);
    this.watcher.onDidCreate(onDisk);
    this.watcher.onDidChange(onDisk);
    this.watcher.onDidDelete(() => this.apply(new Map(), undefined));
    return this.enqueueLoad(uri, atStart);
  }

  private enqueueLoad(uri: vscode.Uri, atStart: boolean): Promise<void> {
    const run = this.queue.then(async () => {
      const read = await this.read(uri);
      if ('state' in read) {
        this.apply(read.state, undefined);
        return;
      }
      const known = this.problem && describe(this.problem) === describe(read.error);
      this.apply(this.state, read.error);
      if (known && !atStart) return;
      this.log.warn(`Reading state file ${uri.toString(true)}: ${describe(read.error)}`);
      // Not awaited: the queue must not wait for the user.
      void vscode.window
        .showWarningMessage(
          `Lit Notes cannot read the reading state file ${vscode.workspace.asRelativePath(uri)} (${describe(read.error)}). It is left as it is until you fix it.`,
          'Open File',
        )
        .then((choice) => (choice ? openAt(uri, read.error) : undefined));
    });
    this.queue = run.catch((error: unknown) => this.log.error('Could not load the reading state:', errorText(error)));
    return this.queue.then(() => undefined);
  }

  private async read(uri: vscode.Uri): Promise<ReturnType<typeof parseReadingState>> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return { state: new Map() };
      throw error;
    }
    return parseReadingState(Buffer.from(bytes).toString('utf8'));
  }

  private apply(next: ReadingState, problem: ReadingStateError | undefined): void {
    const tags = !sameTags(this.state, next);
    const changed = tags || !sameStatuses(this.state, next);
    this.state = next;
    this.problem = problem;
    if (changed) this.changed.fire({ tags });
  }
}

function describe(error: ReadingStateError): string {
  return error.line !== undefined ? `line ${error.line}, column ${error.column ?? 1}: ${error.message}` : error.message;
}

async function openAt(uri: vscode.Uri, error: ReadingStateError): Promise<void> {
  const position = new vscode.Position(Math.max(0, (error.line ?? 1) - 1), Math.max(0, (error.column ?? 1) - 1));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
}

function sameTags(a: ReadingState, b: ReadingState): boolean {
  return same(a, b, (entry) => entry.tags.join('\n'));
}

function sameStatuses(a: ReadingState, b: ReadingState): boolean {
  return same(a, b, (entry) => entry.status ?? '');
}

function same(a: ReadingState, b: ReadingState, part: (entry: PaperReadingState) => string): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const key of keys) if (part(a.get(key) ?? EMPTY) !== part(b.get(key) ?? EMPTY)) return false;
  return true;
}
