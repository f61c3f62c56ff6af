// The detail panel. Restoring panels after a window reload (the webview panel serializer) cannot be
// tested from inside the window being reloaded, and "Reopen Closed Editor" does not revive webview
// panels in the web workbench; the e2e suite (test/e2e) proves restoration across a real
// "Developer: Reload Window" instead.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, getLoadedApi, waitFor, type TestApi } from './helpers';

const VIEW_TYPE = 'litnotes.paperDetail';

function detailTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(VIEW_TYPE));
}

describe('Paper detail panel', () => {
  let api: TestApi;

  before(async () => {
    api = await getLoadedApi();
    await closeAllEditors();
  });

  after(async () => {
    await closeAllEditors();
  });

  it('opens one panel per paper with the showPaper command', async () => {
    await vscode.commands.executeCommand('litnotes.showPaper', 'zhou2024treg');
    await waitFor(() => api.detailPanels.openKeys().includes('zhou2024treg'), 5000, 'the panel');
    await waitFor(() => detailTabs().length === 1, 5000, 'a detail tab');
    // Showing the same paper again reveals the existing panel.
    await vscode.commands.executeCommand('litnotes.showPaper', 'zhou2024treg');
    assert.strictEqual(detailTabs().length, 1);
    api.detailPanels.show('zhou2024archer');
    await waitFor(() => detailTabs().length === 2, 5000, 'a second detail tab');
    assert.deepStrictEqual([...api.detailPanels.openKeys()].sort(), ['zhou2024archer', 'zhou2024treg']);
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(active && /ArCHer/.test(active.label), `active tab is ${active?.label}`);
  });

  it('forgets a panel when it is closed, and opens it again on request', async function () {
    this.timeout(30_000);
    await closeAllEditors();
    await vscode.commands.executeCommand('litnotes.showPaper', 'zhou2024archer');
    await waitFor(() => detailTabs().length === 1, 5000, 'a detail tab');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor(() => !api.detailPanels.openKeys().includes('zhou2024archer') && detailTabs().length === 0, 5000, 'the panel to close');
    await vscode.commands.executeCommand('litnotes.showPaper', 'zhou2024archer');
    await waitFor(() => api.detailPanels.openKeys().includes('zhou2024archer') && detailTabs().length === 1, 5000, 'the panel to open again');
  });
});
