import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { resolveSettingPath } from '../../src/services/workspacePaths';
import { getLoadedApi, stub, stubMessages, waitFor, withSetting, workspaceUri, type TreeNode } from './helpers';

/** As if no folder were open: the API's folder list is empty for the length of `body`. */
async function withoutFolder<T>(body: () => Promise<T>): Promise<T> {
  const restore = stub(vscode.workspace, 'workspaceFolders', undefined);
  try {
    return await body();
  } finally {
    restore();
  }
}

describe('Paths in settings (library files, extra styles, state file, note template)', () => {
  it('are absolute, or relative to the workspace folder, with either slash', () => {
    const absolute = path.join(path.parse(process.cwd()).root, 'papers', 'mine.bib');
    assert.strictEqual(resolveSettingPath(absolute, 'litnotes.library.files').uri?.fsPath, absolute);
    assert.strictEqual(resolveSettingPath('library/mine.bib', 'litnotes.library.files').uri?.toString(), workspaceUri('library', 'mine.bib').toString());
    assert.strictEqual(resolveSettingPath('library\\mine.bib', 'litnotes.library.files').uri?.toString(), workspaceUri('library', 'mine.bib').toString());
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(resolveSettingPath('templates/note.md', 'litnotes.notes.template', folder).uri.toString(), workspaceUri('templates', 'note.md').toString());
  });

  it('never resolve against the working directory when no folder is open, and say why', async () => {
    await withoutFolder(async () => {
      const resolved = resolveSettingPath('styles/journal.csl', 'litnotes.citation.extraStyles');
      assert.strictEqual(resolved.uri, undefined);
      assert.match(resolved.problem ?? '', /"styles\/journal\.csl" in the setting litnotes\.citation\.extraStyles is relative to the workspace folder, but no folder is open/);
      const absolute = path.join(path.parse(process.cwd()).root, 'styles', 'journal.csl');
      assert.strictEqual(resolveSettingPath(absolute, 'litnotes.citation.extraStyles').uri?.fsPath, absolute, 'an absolute path needs no folder');
    });
  });

  it('reports a relative library file when no folder is open, in a message and on its row', async function () {
    const api = await getLoadedApi();
    const messages = stubMessages();
    try {
      await withoutFolder(() =>
        withSetting('litnotes', 'library.files', ['library/relative.bib'], async () => {
          await waitFor(() => messages.calls.some((call) => /"library\/relative\.bib" in the setting litnotes\.library\.files is relative .* no folder is open/.test(call.message)), 10_000, 'the warning');
          const [row] = ((await api.papersTree.getChildren()) ?? []) as TreeNode[];
          assert.strictEqual(row?.kind, 'file');
          assert.strictEqual((await api.papersTree.getTreeItem(row)).description, 'not loaded');
        }),
      );
    } finally {
      messages.restore();
    }
    await waitFor(async () => !((await api.papersTree.getChildren()) as TreeNode[]).some((node) => node.kind === 'file'), 10_000, 'the row to go with the setting');
  });
});
