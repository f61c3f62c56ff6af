import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, getLoadedApi, stub, stubMessages, waitFor, withSetting, workspaceUri, type TestApi, type TreeNode } from './helpers';

const KEY = 'zhou2024archer';

async function readText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

function exists(uri: vscode.Uri): Thenable<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

async function groupIds(api: TestApi, key: string): Promise<string[]> {
  const ids: string[] = [];
  for (const group of ((await api.papersTree.getChildren()) ?? []) as TreeNode[]) {
    if (group.kind === 'group' && group.group.papers.some((paper) => paper.key === key)) ids.push(group.group.id);
  }
  return ids;
}

describe('Literature notes', () => {
  before(async () => {
    await getLoadedApi();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  it('creates the note from the template, then opens it as it is without ever rewriting it', async function () {
    const uri = workspaceUri('notes', `${KEY}.md`);
    assert.ok(!(await exists(uri)), 'no note yet');
    await vscode.commands.executeCommand('litnotes.openNote', KEY);
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() && vscode.window.activeTextEditor, 10_000, 'the note to open');
    const created = editor.document.getText();
    assert.match(created, /^---\ncitekey: "zhou2024archer"\ntitle: "ArCHer: Training Language Model Agents/);
    assert.match(created, /^authors: \[.*"Sergey Levine".*\]$/m);
    assert.match(created, /^## Summary$/m);
    assert.strictEqual(await readText(uri), created, 'written to disk, not left unsaved');

    const mine = `${created}\nMy own thoughts, not to be lost.\n`;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(mine));
    await closeAllEditors();
    await vscode.commands.executeCommand('litnotes.openNote', KEY);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString(), 10_000, 'the note to open again');
    assert.strictEqual(await readText(uri), mine);
    // The editor may still show the text it loaded before; it follows the file on disk.
    await waitFor(() => vscode.window.activeTextEditor?.document.getText() === mine, 20_000, 'the editor to show the note as it is on disk');
  });

  it('uses the template of the setting and reports its unknown placeholders', async function () {
    const key = 'zhou2024treg';
    const messages = stubMessages();
    try {
      await withSetting('litnotes', 'notes.folder', 'literature/notes', () =>
        withSetting('litnotes', 'notes.template', 'literature/template-unknown.md', async () => {
          await vscode.commands.executeCommand('litnotes.openNote', key);
        }),
      );
      const text = await readText(workspaceUri('literature', 'notes', `${key}.md`));
      assert.match(text, /^title: "T-REG: /m);
      assert.match(text, /^Rating: \{\{rating\}\}$/m, 'the unknown placeholder is left as written');
      const warning = messages.calls.find((call) => call.kind === 'warning');
      assert.ok(warning && warning.message.includes('{{rating}} (line 8)'), JSON.stringify(messages.calls));
    } finally {
      messages.restore();
    }
  });

  it('keeps reading status and tags in the workspace file, and the tree groups by them', async function () {
    const api = await getLoadedApi();
    const stateUri = workspaceUri('.litnotes', 'reading.json');
    await vscode.commands.executeCommand('litnotes.setStatus', KEY, 'reading');
    const restore = stub(vscode.window, 'showInputBox', (async () => 'agents, zzlitnotestag') as typeof vscode.window.showInputBox);
    try {
      await vscode.commands.executeCommand('litnotes.editTags', KEY);
    } finally {
      restore();
    }
    const state = JSON.parse(await readText(stateUri));
    assert.deepStrictEqual(state, { version: 1, papers: { [KEY]: { status: 'reading', tags: ['agents', 'zzlitnotestag'] } } });

    await withSetting('litnotes', 'tree.groupBy', 'status', async () => {
      await waitFor(async () => (await groupIds(api, KEY)).includes('status:reading'), 20_000, 'a Reading group');
    });
    await withSetting('litnotes', 'tree.groupBy', 'tag', async () => {
      await waitFor(async () => {
        const ids = await groupIds(api, KEY);
        return ids.includes('tag:agents') && ids.includes('tag:zzlitnotestag');
      }, 20_000, 'a group per tag');
    });

    // Tags are searchable: completion finds the paper by its tag.
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '[@zzlitnotestag' });
    await vscode.window.showTextDocument(document);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 15), '@');
    assert.ok(list.items.some((item) => (typeof item.label === 'string' ? item.label : item.label.label) === KEY), 'found by its tag');

    await vscode.commands.executeCommand('litnotes.setStatus', KEY, 'none');
    assert.deepStrictEqual(JSON.parse(await readText(stateUri)).papers[KEY], { tags: ['agents', 'zzlitnotestag'] });
  });

  it('never overwrites a broken state file without the user saying so', async function () {
    const stateUri = workspaceUri('.litnotes', 'reading.json');
    const broken = '{\n  "version": 1,\n  "papers": {\n    "zhou2024archer": { "status": "read", }\n  }\n}\n';
    await vscode.workspace.fs.writeFile(stateUri, Buffer.from(broken));
    const answers: (string | undefined)[] = ['Open File', 'Overwrite'];
    const messages = stubMessages((call) => (call.items.includes('Overwrite') ? answers.shift() : undefined));
    try {
      await vscode.commands.executeCommand('litnotes.setStatus', 'zhou2024treg', 'to-read');
      assert.strictEqual(await readText(stateUri), broken, 'kept as it was');
      const question = messages.calls.find((call) => call.items.includes('Overwrite'));
      assert.ok(question && /line 4/.test(question.message), JSON.stringify(messages.calls));
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === stateUri.toString(), 20_000, 'the broken file to open');

      await vscode.commands.executeCommand('litnotes.setStatus', 'zhou2024treg', 'to-read');
      const state = JSON.parse(await readText(stateUri));
      assert.strictEqual(state.papers.zhou2024treg.status, 'to-read');
    } finally {
      messages.restore();
    }
  });
});
