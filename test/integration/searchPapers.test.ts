// Search Papers in the real VS Code when the search index is not there yet (just after start-up, or a
// large library): what is typed and Enter pressed before the results come are not lost.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SearchIndex } from '../../src/core/search';
import { closeAllEditors, getLoadedApi, stub, waitFor, type TestApi } from './helpers';

interface SearchApi {
  search: { getIndex(): Promise<SearchIndex> };
}

describe('Search Papers before the index is ready', () => {
  let api: TestApi & SearchApi;

  before(async () => {
    api = (await getLoadedApi()) as TestApi & SearchApi;
  });
  afterEach(closeAllEditors);

  it('opens the best match of what was typed when Enter comes before the results', async () => {
    await closeAllEditors();
    assert.strictEqual(api.detailPanels.currentKey, undefined, 'no panel is open');
    const index = await api.search.getIndex();
    const best = index.search('credt asignment', { limit: 1 })[0]?.paper.key;
    assert.ok(best, 'the library has a match for the query');
    // The index is held back until the person has typed and pressed Enter.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const restoreIndex = stub(api.search, 'getIndex', (async () => {
      await held;
      return index;
    }) as typeof api.search.getIndex);
    let picker: vscode.QuickPick<vscode.QuickPickItem> | undefined;
    const createQuickPick = vscode.window.createQuickPick.bind(vscode.window);
    const restorePick = stub(vscode.window, 'createQuickPick', (() => (picker = createQuickPick())) as typeof vscode.window.createQuickPick);
    try {
      const searching = vscode.commands.executeCommand('litnotes.searchPapers');
      const shown = await waitFor(() => picker, 20_000, 'the quick pick');
      const typed = new Promise<void>((resolve) => shown.onDidChangeValue(() => resolve()));
      shown.value = 'credt asignment';
      await typed;
      assert.strictEqual(shown.items.length, 0, 'no results before the index');
      const accepted = new Promise<void>((resolve) => shown.onDidAccept(() => resolve()));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await accepted;
      release();
      await searching;
      await waitFor(() => api.detailPanels.currentKey === best, 20_000, `the panel to show ${best}`);
    } finally {
      release();
      restorePick();
      restoreIndex();
    }
  });
});
