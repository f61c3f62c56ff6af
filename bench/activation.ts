/**
 * One fresh process's activation: loads the built extension and runs `activate()` until the Papers
 * tree's first answer; then, `treeRuns` times, asks the tree again as VS Code does (the groups with
 * their items, then the largest group's papers with theirs). Prints the figures as one JSON line.
 * With `reference`, a fresh process does only what activation cannot do without: read the library
 * files the extension reads (data/papers.json, data/topics.json) as it reads them, and JSON.parse
 * them; the benchmark's activation goal is a ratio to this.
 * With `start <storage folder>`, a fresh process is one start of a window with its storage there
 * (cold when the folder is empty, warm when a previous start left the library cache): from
 * `activate()` to the tree's first answer and to a searchable index, then the check of the sources
 * (from the extension's log) and the heap once all is done (run with --expose-gc).
 * Usage: node activation.js <extension folder> [treeRuns | reference | start <storage folder>]
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installVscodeStub, logLines, memento, Uri } from './vscodeStub';

/** The TreeDataProvider contract, which is all the benchmark relies on. */
interface TreeProvider {
  refresh(): void;
  getChildren(node?: unknown): Promise<unknown[]>;
  getTreeItem(node: unknown): unknown;
}
interface ExtensionModule {
  activate(context: object): {
    papersTree: TreeProvider;
    search: { getIndex(): Promise<{ search(query: string): unknown[]; indexData: Record<string, unknown> & { grams: { gramStart: Int32Array; gramWords: Int32Array } } }> };
    libraryCache: { settled: Promise<void> };
  };
}

async function readLibrary(extensionPath: string): Promise<void> {
  const start = performance.now();
  const texts = await Promise.all(['papers.json', 'topics.json'].map((file) => fs.readFile(path.join(extensionPath, 'data', file), 'utf8')));
  for (const text of texts) JSON.parse(text);
  process.stdout.write(`${JSON.stringify({ jsonParseMs: performance.now() - start })}\n`);
}

async function startWindow(extensionPath: string, storage: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with node --expose-gc.');
  const load = createRequire(__filename);
  const extension = load(path.join(extensionPath, 'dist', 'extension.js')) as ExtensionModule;
  const begin = performance.now();
  const context = {
    subscriptions: [],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    extension: { packageJSON: { version: 'bench' } },
    workspaceState: memento(),
    globalStorageUri: Uri.file(storage),
  };
  const api = extension.activate(context);
  await api.papersTree.getChildren(undefined);
  const firstAnswerMs = performance.now() - begin;
  const index = await api.search.getIndex();
  const searchableMs = performance.now() - begin;
  if (index.search('credit assignment').length === 0) throw new Error('the index finds nothing');
  // The cold start's save, the warm start's check: both done before the heap is measured.
  await api.libraryCache.settled;
  for (let wait = 0; !logLines.some((line) => /^Library sources checked|^Library cache: wrote|^Library cache not written/.test(line)) && wait < 600; wait++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await api.libraryCache.settled;
  }
  const checked = logLines.map((line) => /^Library sources checked in (\d+) ms: (\w+)/.exec(line)).find(Boolean);
  gc();
  gc();
  // The JS heap and the index's typed arrays, counted alike in both starts: the arrays of an index
  // built in a worker were allocated there, and this thread's arrayBuffers figure leaves them out.
  const { heapUsed } = process.memoryUsage();
  const arrays = Object.values(index.indexData).filter((value): value is Int32Array | Uint8Array => ArrayBuffer.isView(value));
  const gramArrays = [index.indexData.grams.gramStart, index.indexData.grams.gramWords];
  const arrayBuffers = [...arrays, ...gramArrays].reduce((sum, array) => sum + array.byteLength, 0);
  // The extension's own log, for a person reading the run: where the time went.
  process.stderr.write(`${logLines.join('\n')}\n`);
  const warm = logLines.some((line) => line.startsWith('Library cache: ') && line.includes('papers read'));
  process.stdout.write(`${JSON.stringify({ warm, firstAnswerMs, searchableMs, checkMs: checked ? Number(checked[1]) : null, unchanged: checked?.[2] === 'unchanged', heapMB: (heapUsed + arrayBuffers) / (1024 * 1024) })}\n`);
  process.exit(0);
}

async function main(): Promise<void> {
  const extensionPath = path.resolve(process.argv[2]);
  if (process.argv[3] === 'reference') return readLibrary(extensionPath);
  if (process.argv[3] === 'start') {
    installVscodeStub();
    return startWindow(extensionPath, path.resolve(process.argv[4]));
  }
  installVscodeStub();
  const treeRuns = Number(process.argv[3] ?? 0);
  const load = createRequire(__filename);
  const start = performance.now();
  const extension = load(path.join(extensionPath, 'dist', 'extension.js')) as ExtensionModule;
  const loaded = performance.now();
  const tree = extension.activate({ subscriptions: [], extensionPath, extensionUri: Uri.file(extensionPath), workspaceState: memento() }).papersTree;
  const groups = await tree.getChildren(undefined);
  const answered = performance.now();
  const citeprocLoaded = Object.keys(load.cache).some((file) => path.basename(file) === 'citeproc.js');

  const topLevelMs: number[] = [];
  const largestGroupMs: number[] = [];
  let largestGroupPapers = 0;
  let largestIndex = 0;
  if (treeRuns > 0) {
    for (const [index, node] of groups.entries()) {
      const count = (await tree.getChildren(node)).length;
      if (count > largestGroupPapers) [largestGroupPapers, largestIndex] = [count, index];
    }
  }
  for (let run = 0; run < treeRuns; run++) {
    // Drops the cached nodes, as a change of library or grouping does.
    tree.refresh();
    const begin = performance.now();
    const roots = await tree.getChildren(undefined);
    for (const node of roots) tree.getTreeItem(node);
    const middle = performance.now();
    for (const node of await tree.getChildren(roots[largestIndex])) tree.getTreeItem(node);
    topLevelMs.push(middle - begin);
    largestGroupMs.push(performance.now() - middle);
  }
  process.stdout.write(
    `${JSON.stringify({ loadMs: loaded - start, firstAnswerMs: answered - loaded, groups: groups.length, citeprocLoaded, topLevelMs, largestGroupMs, largestGroupPapers })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
