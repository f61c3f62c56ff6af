import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, getLoadedApi, sleep, stub, type TreeNode } from './helpers';

const MARKDOWN_GLOB = '**/*.{md,markdown}';

describe('Extension', () => {
  // First of all the suites (files run in name order): nothing else has activated Lit Notes yet.
  it('activates only when something needs it, and reads no Markdown file until backlinks are asked for', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
    const events = (extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events.join(', ')}`);
    assert.strictEqual(extension.isActive, false, 'Lit Notes was activated at start-up, with no view, command, note or panel open');

    const scans: string[] = [];
    const findFiles = vscode.workspace.findFiles.bind(vscode.workspace);
    const restore = stub(vscode.workspace, 'findFiles', ((include: vscode.GlobPattern, ...rest: []) => {
      if (include === MARKDOWN_GLOB) scans.push(String(include));
      return findFiles(include, ...rest);
    }) as typeof vscode.workspace.findFiles);
    try {
      const api = await getLoadedApi();
      const groups = ((await api.papersTree.getChildren()) ?? []) as TreeNode[];
      for (const group of groups) await api.papersTree.getTreeItem(group);
      await sleep(300);
      assert.deepStrictEqual(scans, [], 'activation and the group rows scan no Markdown file');

      // A paper row shows "cited N×": that asks, and the workspace is scanned once.
      const papers = ((await api.papersTree.getChildren(groups[0])) ?? []) as TreeNode[];
      for (const paper of papers) await api.papersTree.getTreeItem(paper);
      await api.backlinks.ready;
      assert.strictEqual(scans.length, 1);
      const archer = api.library.getPaper('zhou2024archer');
      assert.ok(archer);
      assert.strictEqual(api.backlinks.count(archer), 2, 'cited in notes/with-references.md and literature/checks.md');
      assert.strictEqual(scans.length, 1, 'asking again does not scan again');
    } finally {
      restore();
    }
  });

  it('runs on the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1);
  });

  it('returns its API from activate(), with the bundled library loaded', async () => {
    const api = await getLoadedApi();
    assert.strictEqual(api.library.papers.length, 65, 'the bundled library has 65 papers');
    assert.ok(api.library.topics.length >= 5);
    assert.strictEqual(api.library.getPaper('zhou2024treg')?.key, 'zhou2024treg');
  });
});
