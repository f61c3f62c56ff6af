import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseJsonc } from '../../src/core/jsonc';
import { closeAllEditors, getLoadedApi, settled, sleep, stub, stubMessages, waitFor, withSetting, workspaceUri, type TestApi, type TreeNode } from './helpers';

const FILE = 'library/user-library.bib';
// Written by the test, so every run starts from the same file.
const GOOD = `@misc{mytreg,
  title         = {{T-REG}: My Own Record},
  author        = {Zhou, Wenxuan},
  eprint        = {2412.02685v2},
  archivePrefix = {arXiv},
  year          = {2024}
}

@article{mueller2020oekologie,
  author   = {M{\\"u}ller, J{\\"o}rg},
  title    = {{\\"O}kologie of Reward Models},
  journal  = {Journal of Tests},
  year     = {2020},
  keywords = {Reward models and self-rewarding}
}
`;
const ADDED = `
@inproceedings{added2025live,
  author    = {Added, Ada},
  title     = {A Paper Added While the Editor Was Open},
  booktitle = {Proceedings of Tests},
  year      = {2025}
}
`;

// Two papers, one entry merged into the first (same DOI and title), one that cannot be read: the
// file the end-to-end test of the tree shows too.
const MIXED = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'library', 'merged-and-skipped.bib'), 'utf8');
const MIXED_LINES = { bees2023again: 9, broken2021: 17 };

const encode = (text: string) => new TextEncoder().encode(text);

async function writeLibrary(text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(FILE);
  await vscode.workspace.fs.writeFile(uri, encode(text));
  return uri;
}

/** Edits the open document like a user would, and saves it. */
async function editAndSave(uri: vscode.Uri, text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await document.save());
}

async function treeRoots(api: TestApi): Promise<TreeNode[]> {
  return ((await api.papersTree.getChildren()) ?? []) as TreeNode[];
}

async function treePaperKeys(api: TestApi): Promise<string[]> {
  const groups = ((await api.papersTree.getChildren()) ?? []) as TreeNode[];
  const papers = await Promise.all(groups.map(async (group) => ((await api.papersTree.getChildren(group)) ?? []) as TreeNode[]));
  return papers.flat().flatMap((node) => (node.kind === 'paper' ? [node.paper.key] : []));
}

describe('Your own library', () => {
  let api: TestApi;
  let bundledCount: number;

  before(async () => {
    api = await getLoadedApi();
    bundledCount = api.library.papers.length;
  });

  afterEach(closeAllEditors);

  it('loads a .bib from the settings, merges it with the bundled library, reloads on save and keeps the last good entries of a broken file', async function () {
    this.timeout(60_000);
    const uri = await writeLibrary(GOOD);
    await withSetting('litnotes', 'library.files', [FILE], async () => {
      await waitFor(() => api.library.getPaper('mueller2020oekologie'), 10_000, 'the library file to load');
      // T-REG is in the bundled library: one paper, with the user's key and title and the bundled abstract.
      const treg = api.library.getPaper('mytreg');
      assert.ok(treg);
      assert.strictEqual(treg.title, 'T-REG: My Own Record');
      assert.ok(treg.abstract.length > 100);
      // The bundled key stays valid as an alias, so notes that cite it still find the paper.
      assert.strictEqual(api.library.getPaper('zhou2024treg'), treg);
      assert.strictEqual(api.library.papers.length, bundledCount + 1);
      const mueller = api.library.getPaper('mueller2020oekologie');
      assert.deepStrictEqual(mueller?.authors, [{ given: 'Jörg', family: 'Müller' }]);
      assert.deepStrictEqual(mueller?.topics, ['reward-modeling'], 'the keyword names a topic');

      await editAndSave(uri, GOOD + ADDED);
      await waitFor(async () => (await treePaperKeys(api)).includes('added2025live'), 20_000, 'the saved entry to show in the tree');

      // Break the first entry in the middle (its title is never closed) and save.
      const broken = (GOOD + ADDED).replace('{{T-REG}: My Own Record},', '{{T-REG}: My Own Record,');
      await editAndSave(uri, broken);
      const diagnostics = await waitFor(() => {
        const found = vscode.languages.getDiagnostics(uri);
        return found.length > 0 && found;
      }, 20_000, 'diagnostics on the broken file');
      assert.strictEqual(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
      assert.strictEqual(diagnostics[0].range.start.line, 0, 'reported on the line of the broken entry');
      assert.match(diagnostics[0].message, /"mytreg" is not closed before the next entry \(line 9\).*last version that could be read stays/);
      assert.strictEqual(api.library.getPaper('mytreg')?.title, 'T-REG: My Own Record', 'the last good version stays');
      assert.ok(api.library.getPaper('mueller2020oekologie'), 'the rest of the file still loads');
      assert.ok(api.library.getPaper('added2025live'));
    });
    await waitFor(() => api.library.papers.length === bundledCount && api.library.getPaper('zhou2024treg')?.key === 'zhou2024treg', 10_000, 'the bundled library alone again');
    assert.deepStrictEqual(vscode.languages.getDiagnostics(uri), [], 'diagnostics go with the setting');
  });

  it('reports a missing library file once', async function () {
    const messages = stubMessages();
    try {
      await withSetting('litnotes', 'library.files', ['library/missing.bib'], async () => {
        await waitFor(() => messages.calls.some((call) => /missing\.bib" does not exist/.test(call.message)), 10_000, 'the missing-file warning');
        await vscode.commands.executeCommand('litnotes.refresh');
        await vscode.commands.executeCommand('litnotes.refresh');
      });
      assert.strictEqual(messages.calls.filter((call) => /missing\.bib/.test(call.message)).length, 1);
    } finally {
      messages.restore();
    }
  });

  it('reloads once when one write changes two library settings, and lists each problem once', async function () {
    this.timeout(60_000);
    const uri = await writeLibrary(MIXED);
    const settingsUri = workspaceUri('.vscode', 'settings.json');
    const original = await vscode.workspace.fs.readFile(settingsUri);
    // The workspace's settings.json has comments, as VS Code allows.
    const settings = parseJsonc(new TextDecoder().decode(original)) as object;
    // Whatever the previous test's settings started has finished.
    await settled(api.library.onDidChange, 1000);
    await vscode.commands.executeCommand('litnotes.refresh');
    let loads = 0;
    const listener = api.library.onDidChange(() => loads++);
    try {
      // One save of the workspace settings that changes both library settings.
      const both = { ...settings, 'litnotes.library.files': [FILE], 'litnotes.library.includeBundled': false };
      await vscode.workspace.fs.writeFile(settingsUri, encode(`${JSON.stringify(both, null, 2)}\n`));
      await waitFor(() => api.library.papers.length === 2 && api.library.getPaper('bees2023'), 10_000, 'the file alone in the library');
      // A second load would come within the debounce and one read of the file.
      await sleep(1_500);
      assert.strictEqual(loads, 1, 'one load for one write');
      const problems = vscode.languages.getDiagnostics(uri).map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
      assert.strictEqual(new Set(problems).size, problems.length, `a problem is listed twice:\n${problems.join('\n')}`);
      assert.ok(problems.some((problem) => problem.startsWith(`${MIXED_LINES.broken2021}:`)), problems.join('\n'));

      // Requests while a load runs share one load after it.
      loads = 0;
      await Promise.all([1, 2, 3].map(() => vscode.commands.executeCommand('litnotes.refresh')));
      assert.ok(loads <= 2, `${loads} loads for three refreshes at once`);
      const again = vscode.languages.getDiagnostics(uri).map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
      assert.deepStrictEqual(again, problems);
    } finally {
      listener.dispose();
      await vscode.workspace.fs.writeFile(settingsUri, original);
    }
    await waitFor(() => api.library.papers.length === bundledCount, 10_000, 'the bundled library alone again');
  });

  it('shows a row per library file with its papers, merged and skipped entries, and lists them to go to', async function () {
    this.timeout(60_000);
    const uri = await writeLibrary(MIXED);
    const messages = stubMessages();
    const picks: vscode.QuickPickItem[][] = [];
    const restorePick = stub(vscode.window, 'showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => {
      picks.push([...items]);
      return items.find((item) => item.label === 'broken2021');
    }) as never);
    try {
      await withSetting('litnotes', 'library.files', [FILE, 'library/not-there.bib'], async () => {
        const files = await waitFor(async () => {
          const found = (await treeRoots(api)).filter((node) => node.kind === 'file');
          return found.length === 2 && api.library.getPaper('hives2019') && found;
        }, 10_000, 'a row for each library file');
        const roots = await treeRoots(api);
        assert.deepStrictEqual(roots.slice(0, 2), files, 'the file rows come first');
        assert.ok(roots.slice(2).every((node) => node.kind === 'group'));

        const item = await api.papersTree.getTreeItem(files[0]);
        assert.strictEqual(item.label, 'user-library.bib');
        assert.strictEqual(item.description, '1 skipped · 1 merged · 2 papers');
        assert.match(String(item.tooltip), /^library\/user-library\.bib\n\n2 entries of this file are papers of the library\. 1 entry was merged into an earlier record .*1 entry could not be read/s);
        const missing = await api.papersTree.getTreeItem(files[1]);
        assert.strictEqual(missing.description, 'not loaded');
        assert.match(String(missing.tooltip), /does not exist/);

        assert.strictEqual(item.command?.command, 'litnotes.showLibraryFileEntries');
        await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
        assert.strictEqual(picks.length, 1);
        assert.deepStrictEqual(
          picks[0].map((pick) => [pick.label, pick.description]),
          [
            ['broken2021', `skipped · line ${MIXED_LINES.broken2021}`],
            ['bees2023again', `merged · line ${MIXED_LINES.bees2023again}`],
          ],
        );
        assert.match(picks[0][1].detail ?? '', /Merged into "bees2023" \(user-library\.bib, line 1\)/);
        const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() && vscode.window.activeTextEditor, 20_000, 'the file to open');
        assert.strictEqual(editor.selection.active.line + 1, MIXED_LINES.broken2021, 'at the skipped entry');
      });
    } finally {
      restorePick();
      messages.restore();
    }
    await waitFor(async () => !(await treeRoots(api)).some((node) => node.kind === 'file'), 10_000, 'no file rows without library files');
  });

  it('exports the selected papers as BibTeX and as CSL-JSON to the file the user picks', async function () {
    const messages = stubMessages();
    for (const [name, format] of [['export-test.bib', 'BibTeX'], ['export-test.json', 'CSL-JSON']]) {
      const target = workspaceUri(name);
      const restore = stub(vscode.window, 'showSaveDialog', (async () => target) as typeof vscode.window.showSaveDialog);
      const restorePick = stub(vscode.window, 'showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => items.find((item) => item.label === format)) as never);
      try {
        const papers = ['zhou2024treg', 'zhou2024archer'].map((key) => ({ paper: api.library.getPaper(key) }));
        await vscode.commands.executeCommand('litnotes.exportBibliography', papers[0], papers);
      } finally {
        restore();
        restorePick();
      }
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      if (name.endsWith('.bib')) {
        assert.match(text, /^@\w+\{zhou2024treg,/m);
        assert.match(text, /^@\w+\{zhou2024archer,/m);
      } else {
        assert.deepStrictEqual((JSON.parse(text) as { id: string }[]).map((item) => item.id), ['zhou2024treg', 'zhou2024archer']);
      }
      await vscode.workspace.fs.delete(target);
    }
    messages.restore();
    assert.ok(messages.calls.some((call) => /Exported 2 papers as CSL-JSON/.test(call.message)));
  });
});
