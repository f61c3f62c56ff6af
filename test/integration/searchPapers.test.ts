// Search Papers in the real VS Code when the search index is not there yet (just after start-up, or a
// large library): what is typed and Enter pressed before the results come are not lost.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SearchIndex } from '../../src/core/search';
import { pickPapers, type PaperItem } from '../../src/quickPick/paperQuickPick';
import { closeAllEditors, getLoadedApi, stub, stubMessages, waitFor, type TestApi } from './helpers';

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

describe('A paper pick whose search throws', () => {
  it('says so once, logs the stack, keeps listing papers, and searches again with the next index', async () => {
    const api = (await getLoadedApi()) as TestApi & SearchApi;
    const good = await api.search.getIndex();
    const query = 'credt asignment';
    const best = good.search(query, { limit: 1 })[0]?.paper.key;
    assert.ok(best, 'the library has a match for the query');
    // As an early index from the cache whose papers fail their check when decoded (or any bug).
    const failure = new Error('the index data does not fit these papers <img src=x onerror=alert(1)>');
    const broken = Object.assign(Object.create(good) as SearchIndex, {
      search: () => {
        throw failure;
      },
      first: () => {
        throw failure;
      },
    });
    let current: SearchIndex = broken;
    let asked = 0;
    const changed = new vscode.EventEmitter<void>();
    const search = {
      getIndex: async () => {
        asked++;
        return current;
      },
      onDidChange: changed.event,
    };
    const lines: string[] = [];
    const record = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
    const log = { trace: record, debug: record, info: record, warn: record, error: record } as unknown as vscode.LogOutputChannel;
    let picker: vscode.QuickPick<PaperItem> | undefined;
    const createQuickPick = vscode.window.createQuickPick.bind(vscode.window);
    const restorePick = stub(vscode.window, 'createQuickPick', (() => (picker = createQuickPick())) as typeof vscode.window.createQuickPick);
    const messages = stubMessages();
    try {
      const picking = pickPapers({ library: api.library, search, log }, { title: 'A pick whose search throws', placeholder: '' });
      const shown = await waitFor(() => (picker && picker.items.length > 0 ? picker : undefined), 20_000, 'the pick to list papers although its index throws');
      assert.ok(!shown.busy, 'the pick does not stay busy');
      assert.ok(shown.items.every((item) => !item.alwaysShow), 'while the search is broken, VS Code filters the list by title');
      const typed = new Promise<void>((resolve) => shown.onDidChangeValue(() => resolve()));
      shown.value = query;
      await typed;
      assert.ok(shown.items.length > 0, 'typing keeps the list');
      assert.deepStrictEqual(
        messages.calls.map((call) => [call.kind, call.message.includes(failure.message), call.message.includes('\n')]),
        [['warning', true, false]],
        'one message of one line says why, however often the search fails',
      );
      assert.strictEqual(lines.filter((line) => line.includes(failure.message)).length, 1, `the failure is logged once: ${lines.join('\n')}`);
      assert.ok(lines.some((line) => line.includes(failure.stack!.split('\n')[1])), 'with its stack');
      // The next index (the library's change replaces the early one) searches again.
      current = good;
      changed.fire();
      await waitFor(() => shown.items[0]?.paper.key === best && shown.items[0].alwaysShow, 20_000, `the pick to search again and show ${best} first`);
      assert.strictEqual(asked, 2);
      assert.strictEqual(messages.calls.length, 1, 'no message more');
      shown.hide();
      assert.strictEqual(await picking, undefined, 'dismissed: nothing picked');
    } finally {
      messages.restore();
      restorePick();
      picker?.dispose();
      changed.dispose();
    }
  });
});
