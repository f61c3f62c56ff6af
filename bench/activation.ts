/**
 * One fresh process's activation: loads the built extension and runs `activate()` until the Papers
 * tree's first answer; then, `treeRuns` times, asks the tree again as VS Code does (the groups with
 * their items, then the largest group's papers with theirs). Prints the figures as one JSON line.
 * With `reference`, a fresh process does only what activation cannot do without: read the library
 * files the extension reads (data/papers.json, data/topics.json) as it reads them, and JSON.parse
 * them; the benchmark's activation goal is a ratio to this.
 * Usage: node activation.js <extension folder> [treeRuns | reference]
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installVscodeStub, memento, Uri } from './vscodeStub';

/** The TreeDataProvider contract, which is all the benchmark relies on. */
interface TreeProvider {
  refresh(): void;
  getChildren(node?: unknown): Promise<unknown[]>;
  getTreeItem(node: unknown): unknown;
}
interface ExtensionModule {
  activate(context: object): { papersTree: TreeProvider };
}

async function readLibrary(extensionPath: string): Promise<void> {
  const start = performance.now();
  const texts = await Promise.all(['papers.json', 'topics.json'].map((file) => fs.readFile(path.join(extensionPath, 'data', file), 'utf8')));
  for (const text of texts) JSON.parse(text);
  process.stdout.write(`${JSON.stringify({ jsonParseMs: performance.now() - start })}\n`);
}

async function main(): Promise<void> {
  const extensionPath = path.resolve(process.argv[2]);
  if (process.argv[3] === 'reference') return readLibrary(extensionPath);
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
