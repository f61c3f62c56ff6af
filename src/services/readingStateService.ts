import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { parseReadingState, serializeReadingState, withPaperStates, type PaperReadingState, type ReadingState } from '../core/readingState';
import type { Settings } from './settings';
import { WorkspaceFile, type WorkspaceFileFormat } from './workspaceFile';

export interface ReadingStateChange {
  /** Whether any paper's tags changed (the search index holds tags). */
  tags: boolean;
}

const EMPTY: PaperReadingState = { tags: [] };

/**
 * Reading status and tags, kept in the workspace file named by `litnotes.notes.stateFile` (see
 * WorkspaceFile for how it is read, written, and kept when broken).
 */
export class ReadingStateService extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<ReadingStateChange>());
  readonly onDidChange = this.changed.event;
  private readonly file: WorkspaceFile<ReadingState>;

  constructor(settings: Settings, log: vscode.LogOutputChannel) {
    super();
    this.file = this._register(new WorkspaceFile(READING_STATE_FILE, settings, log));
    this._register(
      this.file.onDidChange(({ previous, next }) => {
        const tags = !sameTags(previous, next);
        if (tags || !sameStatuses(previous, next)) this.changed.fire({ tags });
      }),
    );
  }

  get ready(): Promise<void> {
    return this.file.ready;
  }

  get(key: string): PaperReadingState {
    return this.file.state.get(key) ?? EMPTY;
  }

  /** Each paper key with its tags, in no order. */
  tagsByKey(): [key: string, tags: readonly string[]][] {
    return [...this.file.state].map(([key, entry]) => [key, entry.tags ?? []]);
  }

  /** Every tag in use, sorted. */
  allTags(): string[] {
    return [...new Set([...this.file.state.values()].flatMap((entry) => entry.tags))].sort((a, b) => a.localeCompare(b));
  }

  /** The state file, or undefined when its path is relative and no folder is open. */
  fileUri(): vscode.Uri | undefined {
    return this.file.fileUri();
  }

  /** Applies `change` to each paper; false when nothing was written (no folder, or the user kept a broken file). */
  update(keys: readonly string[], change: (current: PaperReadingState) => Partial<PaperReadingState>): Promise<boolean> {
    return this.file.update((base) => withPaperStates(base, keys, change));
  }
}

const READING_STATE_FILE: WorkspaceFileFormat<ReadingState> = {
  setting: 'notes.stateFile',
  path: (settings) => settings.stateFile,
  noun: 'reading state file',
  known: 'the status and tags Lit Notes knows',
  needsFolder: 'Lit Notes keeps reading status and tags in a file of the workspace: open a folder first.',
  empty: new Map(),
  parse: parseReadingState,
  serialize: serializeReadingState,
};

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
