import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, getLoadedApi, stub, stubMessages, waitFor, withSetting, workspaceUri, type TestApi, type TreeNode } from './helpers';

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
      await waitFor(async () => (await treePaperKeys(api)).includes('added2025live'), 5_000, 'the saved entry to show in the tree');

      // Break the first entry in the middle (its title is never closed) and save.
      const broken = (GOOD + ADDED).replace('{{T-REG}: My Own Record},', '{{T-REG}: My Own Record,');
      await editAndSave(uri, broken);
      const diagnostics = await waitFor(() => {
        const found = vscode.languages.getDiagnostics(uri);
        return found.length > 0 && found;
      }, 5_000, 'diagnostics on the broken file');
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
    this.timeout(30_000);
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

  it('exports the selected papers as BibTeX and as CSL-JSON to the file the user picks', async function () {
    this.timeout(30_000);
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
