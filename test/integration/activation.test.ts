import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, getLoadedApi } from './helpers';

describe('Extension', () => {
  it('is present and activates', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
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
