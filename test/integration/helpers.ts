// Shared helpers for the integration suites, which run inside VS Code's extension host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Library, Paper } from '../../src/core/model';

export const EXTENSION_ID = 'litnotes.litnotes';

/** The parts of the API that `activate()` returns which the tests use. */
export interface TestApi {
  library: {
    readonly papers: readonly Paper[];
    readonly topics: readonly { id: string; label: string }[];
    readonly library: Library;
    getPaper(key: string): Paper | undefined;
    replace(library: Library): void;
    readonly onDidChange: vscode.Event<void>;
  };
  backlinks: { readonly ready: Promise<void>; count(paper: Pick<Paper, 'key' | 'aliases'>): number };
  papersTree: vscode.TreeDataProvider<TreeNode> & { onDidChangeTreeData?: vscode.Event<unknown> };
  detailPanels: { show(key: string): void; readonly currentKey: string | undefined };
}

export type TreeNode =
  | { kind: 'file'; report: { setting: string; papers: number; merged: { key: string; line: number }[]; skipped: { key?: string; line: number }[] } }
  | { kind: 'group'; group: { id: string; label: string; papers: Paper[] } }
  | { kind: 'paper'; paper: Paper; parent: TreeNode };

export async function getApi(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
  const api = await extension.activate();
  assert.ok(api && api.library && api.papersTree && api.detailPanels, 'activate() did not return the Lit Notes API');
  return api;
}

/** The API once the bundled library has loaded. */
export async function getLoadedApi(): Promise<TestApi> {
  const api = await getApi();
  await waitFor(() => api.library.papers.length > 0, 30_000, 'the library to load');
  return api;
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export async function openEditor(...segments: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(...segments));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Closes every editor, reverting unsaved changes, so that suites do not see each other's edits. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.scheme === 'file') {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `probe` returns a value other than undefined/false. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Resolves once `event` has not fired for `quietMs`: e.g. a reload that an earlier test's settings started has ended. */
export async function settled(event: vscode.Event<unknown>, quietMs: number, timeoutMs = 30_000): Promise<void> {
  let last = Date.now();
  const listener = event(() => (last = Date.now()));
  try {
    await waitFor(() => Date.now() - last >= quietMs, timeoutMs, `${quietMs} ms without a change`);
  } finally {
    listener.dispose();
  }
}

/**
 * Replaces a function on an object of the `vscode` namespace (e.g. `vscode.window.showQuickPick`) for
 * one test. The tests share the extension's `vscode` object (they live in its folder), so the
 * extension sees the stub. Returns a function that puts the original back.
 */
export function stub<T extends object, K extends keyof T>(target: T, name: K, replacement: T[K]): () => void {
  const original = target[name];
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { value: replacement, configurable: true, writable: true, enumerable: true });
  return () => {
    if (descriptor) Object.defineProperty(target, name, descriptor);
    else target[name] = original;
  };
}

export interface MessageCall {
  kind: 'information' | 'warning' | 'error';
  message: string;
  items: string[];
}

/** Records messages instead of showing them; each answers with `answer(call)` (default: dismissed). */
export function stubMessages(answer: (call: MessageCall) => string | undefined = () => undefined): { calls: MessageCall[]; restore: () => void } {
  const calls: MessageCall[] = [];
  const make = (kind: MessageCall['kind']) =>
    (async (message: string, ...rest: unknown[]) => {
      const items = rest
        .filter((item) => typeof item === 'string' || (typeof item === 'object' && item !== null && 'title' in item))
        .map((item) => (typeof item === 'string' ? item : (item as { title: string }).title));
      const call = { kind, message, items };
      calls.push(call);
      const chosen = answer(call);
      if (chosen === undefined) return undefined;
      return rest.find((item) => item === chosen || (typeof item === 'object' && item !== null && (item as { title?: string }).title === chosen));
    }) as never;
  const restores = [
    stub(vscode.window, 'showInformationMessage', make('information')),
    stub(vscode.window, 'showWarningMessage', make('warning')),
    stub(vscode.window, 'showErrorMessage', make('error')),
  ];
  return { calls, restore: () => restores.reverse().forEach((restore) => restore()) };
}

/** Records external opens instead of opening a browser. */
export function stubOpenExternal(): { calls: vscode.Uri[]; restore: () => void } {
  const calls: vscode.Uri[] = [];
  const restore = stub(vscode.env, 'openExternal', (async (uri: vscode.Uri) => {
    calls.push(uri);
    return true;
  }) as typeof vscode.env.openExternal);
  return { calls, restore };
}

/**
 * Watches the real clipboard (the page grants clipboard access in code-server): clears it, and
 * `read()` gives what a command wrote since. The clipboard object of the API is frozen, so it cannot be stubbed.
 */
export async function watchClipboard(): Promise<{ read(): Promise<string> }> {
  await vscode.env.clipboard.writeText('');
  return { read: () => Promise.resolve(vscode.env.clipboard.readText()) };
}

/** Updates a setting in the user settings for the duration of `body`, then restores it. */
export async function withSetting<T>(section: string, key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const configuration = vscode.workspace.getConfiguration(section);
  const previous = configuration.inspect(key)?.globalValue;
  await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration(section).update(key, previous, vscode.ConfigurationTarget.Global);
  }
}

/** Runs a command; if it still waits after `settleMs` (a quick pick is open), dismisses the quick input. */
export async function runAndDismiss(command: string, ...args: unknown[]): Promise<unknown> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand(command, ...args)).finally(() => {
    settled = true;
  });
  for (let attempt = 0; attempt < 20 && !settled; attempt++) {
    await Promise.race([running.catch(() => undefined), sleep(250)]);
    if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
  return running;
}

export function contributedCommands(): { command: string; title: string }[] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  return (extension.packageJSON.contributes?.commands ?? []) as { command: string; title: string }[];
}
