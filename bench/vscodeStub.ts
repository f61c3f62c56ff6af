/**
 * Just enough of the `vscode` module to load the extension in plain Node and run `activate()` and the
 * Papers tree: what activation and the tree touch, doing nothing an editor would show. Anything else
 * is missing on purpose, so that code reaching further fails loudly instead of measuring a stub.
 */
import Module from 'node:module';
import path from 'node:path';

type Listener<T> = (value: T) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => void) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((other) => other !== listener)));
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const noEvent = (): Disposable => new Disposable(() => undefined);

/** A fresh window's workspace state: empty, and kept in memory. */
export function memento(): { get(key: string): unknown; update(key: string, value: unknown): Promise<void> } {
  const values = new Map<string, unknown>();
  return { get: (key) => values.get(key), update: async (key, value) => void values.set(key, value) };
}
const registration = (): Disposable => new Disposable(() => undefined);

export class Uri {
  private constructor(readonly fsPath: string) {}
  static file(fsPath: string): Uri {
    return new Uri(fsPath);
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(path.join(base.fsPath, ...segments));
  }
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  [property: string]: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class MarkdownString {
  value = '';
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
    return this;
  }
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}
export const CodeActionKind = { QuickFix: { value: 'quickfix' } };
export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}

/** What the extension logged, for the benchmark to read its own measurements from. */
export const logLines: string[] = [];
const logged = (...parts: unknown[]) => void logLines.push(parts.map(String).join(' '));

const logChannel = {
  trace: () => undefined,
  debug: () => undefined,
  info: logged,
  warn: logged,
  error: logged,
  show: () => undefined,
  dispose: () => undefined,
};

export const window = {
  createOutputChannel: (_name: string, _options: { log: true }) => logChannel,
  createTreeView: () => ({ description: '', reveal: async () => undefined, onDidExpandElement: noEvent, onDidCollapseElement: noEvent, dispose: () => undefined }),
  registerWebviewPanelSerializer: registration,
  onDidChangeActiveTextEditor: noEvent,
  activeTextEditor: undefined,
  visibleTextEditors: [],
};

export class RelativePattern {
  constructor(
    readonly base: unknown,
    readonly pattern: string,
  ) {}
}

/** No folder open, every setting at its default: a fresh window. */
export const workspace = {
  getConfiguration: () => ({ get: () => undefined, inspect: () => undefined, update: async () => undefined }),
  onDidChangeConfiguration: noEvent,
  onDidChangeWorkspaceFolders: noEvent,
  onDidOpenTextDocument: noEvent,
  onDidChangeTextDocument: noEvent,
  onDidCloseTextDocument: noEvent,
  onDidSaveTextDocument: noEvent,
  onDidDeleteFiles: noEvent,
  onDidRenameFiles: noEvent,
  createFileSystemWatcher: () => ({ onDidChange: noEvent, onDidCreate: noEvent, onDidDelete: noEvent, dispose: () => undefined }),
  workspaceFolders: undefined,
  textDocuments: [],
};

export const languages = {
  registerCodeActionsProvider: registration,
  registerCompletionItemProvider: registration,
  registerDocumentLinkProvider: registration,
  registerHoverProvider: registration,
  createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, clear: () => undefined, dispose: () => undefined }),
};

export const commands = { registerCommand: registration, executeCommand: async () => undefined };
export const env = {};

/** Makes `require('vscode')` anywhere in this process return this module. */
export function installVscodeStub(): void {
  const stub: unknown = {
    Disposable, EventEmitter, Uri, ThemeIcon, TreeItem, TreeItemCollapsibleState, MarkdownString,
    ViewColumn, ConfigurationTarget, QuickPickItemKind, CodeActionKind, RelativePattern,
    window, workspace, languages, commands, env,
  };
  const modules = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = modules._load;
  modules._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
}
