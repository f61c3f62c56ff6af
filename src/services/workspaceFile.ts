import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { errorText } from '../core/errors';
import type { ReadingStateError } from '../core/readingState';
import type { Settings, SettingKey } from './settings';
import { resolveSettingPath } from './workspacePaths';

/** A problem in the file's text, with its place when it has one. */
export type WorkspaceFileError = ReadingStateError;

/** What one kind of workspace file is: where it lives, how it reads and writes, how it is named to the user. */
export interface WorkspaceFileFormat<State> {
  /** The setting that names the file ("notes.stateFile"), and the path it holds. */
  setting: SettingKey;
  path(settings: Settings): string;
  /** How the user knows the file: "reading state file". */
  noun: string;
  /** What Lit Notes would write over a broken file: "the status and tags Lit Notes knows". */
  known: string;
  /** Why a change needs an open folder. */
  needsFolder: string;
  empty: State;
  parse(text: string): { state: State } | { error: WorkspaceFileError };
  serialize(state: State): string;
}

/**
 * A JSON file of the workspace that Lit Notes keeps for the user (reading state, topics). Every change
 * re-reads the file and writes it back with the one change applied, so edits made by hand or by git
 * in between are kept. A file that does not parse is reported and is written again only after the
 * user chose "Overwrite"; until then the last state read stays in use.
 */
export class WorkspaceFile<State> extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<{ previous: State; next: State }>());
  readonly onDidChange = this.changed.event;
  private current: State;
  private problem: WorkspaceFileError | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Loads and writes one after another, so two quick changes cannot lose each other. */
  private queue: Promise<unknown> = Promise.resolve();
  private loaded: Promise<void>;

  constructor(
    private readonly format: WorkspaceFileFormat<State>,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.current = format.empty;
    this.loaded = this.reload(true);
    this._register(
      settings.onDidChange((key) => {
        if (key === format.setting) this.loaded = this.reload(true);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.loaded = this.reload(true);
      }),
    );
    this._register({ dispose: () => this.watcher?.dispose() });
  }

  /** Settles when the file has been read (or found missing or broken). */
  get ready(): Promise<void> {
    return this.loaded;
  }

  /** The last state read successfully: kept while the file is broken. */
  get state(): State {
    return this.current;
  }

  /** The file, or undefined when its path is relative and no folder is open. */
  fileUri(): vscode.Uri | undefined {
    return resolveSettingPath(this.format.path(this.settings), `litnotes.${this.format.setting}`).uri;
  }

  /** Applies `change` to the file's state; false when nothing was written (no folder, or the user kept a broken file). */
  update(change: (base: State) => State): Promise<boolean> {
    const run = this.queue.then(() => this.write(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(change: (base: State) => State): Promise<boolean> {
    const uri = this.fileUri();
    if (!uri) {
      void vscode.window.showErrorMessage(this.format.needsFolder);
      return false;
    }
    const read = await this.read(uri);
    let base = this.current;
    if ('error' in read) {
      if (!(await this.confirmOverwrite(uri, read.error))) return false;
    } else {
      base = read.state;
    }
    const next = change(base);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, Buffer.from(this.format.serialize(next), 'utf8'));
    this.apply(next, undefined);
    return true;
  }

  private async confirmOverwrite(uri: vscode.Uri, error: WorkspaceFileError): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(
      `The ${this.format.noun} ${vscode.workspace.asRelativePath(uri)} cannot be read (${describe(error)}). Overwrite it with ${this.format.known}, including this change, or open it to fix it?`,
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
      this.apply(this.format.empty, undefined);
      return Promise.resolve();
    }
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), path.posix.basename(uri.path)));
    const onDisk = () => void this.enqueueLoad(uri, false);
    this.watcher.onDidCreate(onDisk);
    this.watcher.onDidChange(onDisk);
    this.watcher.onDidDelete(() => this.apply(this.format.empty, undefined));
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
      this.apply(this.current, read.error);
      if (known && !atStart) return;
      this.log.warn(`${capitalise(this.format.noun)} ${uri.toString(true)}: ${describe(read.error)}`);
      // Not awaited: the queue must not wait for the user.
      void vscode.window
        .showWarningMessage(
          `Lit Notes cannot read the ${this.format.noun} ${vscode.workspace.asRelativePath(uri)} (${describe(read.error)}). It is left as it is until you fix it.`,
          'Open File',
        )
        .then((choice) => (choice ? openAt(uri, read.error) : undefined));
    });
    this.queue = run.catch((error: unknown) => this.log.error(`Could not load the ${this.format.noun}:`, errorText(error)));
    return this.queue.then(() => undefined);
  }

  private async read(uri: vscode.Uri): Promise<{ state: State } | { error: WorkspaceFileError }> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return { state: this.format.empty };
      throw error;
    }
    return this.format.parse(Buffer.from(bytes).toString('utf8'));
  }

  private apply(next: State, problem: WorkspaceFileError | undefined): void {
    const previous = this.current;
    this.current = next;
    this.problem = problem;
    if (previous !== next) this.changed.fire({ previous, next });
  }
}

function describe(error: WorkspaceFileError): string {
  return error.line !== undefined ? `line ${error.line}, column ${error.column ?? 1}: ${error.message}` : error.message;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function openAt(uri: vscode.Uri, error: WorkspaceFileError): Promise<void> {
  const position = new vscode.Position(Math.max(0, (error.line ?? 1) - 1), Math.max(0, (error.column ?? 1) - 1));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
}
