import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, getLoadedApi, openEditor, watchClipboard, stubMessages, withSetting } from './helpers';

const KEY = 'zhou2024treg';

/** Puts a cursor at the end of each line that starts with `prefix`. */
function cursorsAtLinesStarting(editor: vscode.TextEditor, prefix: string): vscode.Selection[] {
  const selections: vscode.Selection[] = [];
  for (let line = 0; line < editor.document.lineCount; line++) {
    const text = editor.document.lineAt(line).text;
    if (text.includes(prefix)) selections.push(new vscode.Selection(line, text.length, line, text.length));
  }
  return selections;
}

describe('Insert Citation', () => {
  before(async () => {
    await getLoadedApi();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  const cases: { name: string; settings: Record<string, unknown>; expected: RegExp }[] = [
    { name: 'pandoc', settings: { 'citation.format': 'pandoc' }, expected: /\[@zhou2024treg\]/ },
    { name: 'markdownLink', settings: { 'citation.format': 'markdownLink' }, expected: /\[T-REG[^\]]*\]\(https:\/\/arxiv\.org\/abs\/2412\.02685\)/ },
    { name: 'csl (apa)', settings: { 'citation.format': 'csl', 'citation.cslStyle': 'apa' }, expected: /Zhou, W\., Zhang, S\., .*\(2025\)\. T-REG/ },
    { name: 'cslInText (apa)', settings: { 'citation.format': 'cslInText', 'citation.cslStyle': 'apa' }, expected: /\[\(Zhou et al\., 2025\)\]\(#litnotes:zhou2024treg\)$/ },
    { name: 'cslInText (ieee)', settings: { 'citation.format': 'cslInText', 'citation.cslStyle': 'ieee' }, expected: /\[\\\[1\\\]\]\(#litnotes:zhou2024treg\)$/ },
  ];

  for (const { name, settings, expected } of cases) {
    it(`inserts at every cursor in ${name} format, and one undo restores the note`, async function () {
      await withSettings(settings, async () => {
        const editor = await openEditor('notes', 'reading-log.md');
        const original = editor.document.getText();
        editor.selections = cursorsAtLinesStarting(editor, 'idea: ');
        assert.strictEqual(editor.selections.length, 2);
        const lines = editor.selections.map((s) => s.active.line);
        await vscode.commands.executeCommand('litnotes.insertCitation', KEY);
        for (const line of lines) {
          const text = editor.document.lineAt(line).text;
          assert.match(text, expected, `line ${line + 1}: ${text}`);
          assert.ok(text.startsWith(original.split('\n')[line]), `the text before the cursor changed: ${text}`);
        }
        const outside = editor.document.getText().split('\n').filter((_, i) => !lines.includes(i));
        assert.deepStrictEqual(outside, original.split('\n').filter((_, i) => !lines.includes(i)));
        await vscode.commands.executeCommand('undo');
        assert.strictEqual(editor.document.getText(), original);
      });
    });
  }

  it('falls back to a message offering "Copy to Clipboard" in a non-Markdown editor, without editing', async () => {
    const editor = await openEditor('plain.txt');
    const original = editor.document.getText();
    const clipboard = await watchClipboard();
    const messages = stubMessages((call) => call.items.find((item) => /copy to clipboard/i.test(item)));
    try {
      await vscode.commands.executeCommand('litnotes.insertCitation', KEY);
      assert.strictEqual(editor.document.getText(), original);
      const offer = messages.calls.find((call) => call.items.some((item) => /copy to clipboard/i.test(item)));
      assert.ok(offer, `no message offered Copy to Clipboard: ${JSON.stringify(messages.calls)}`);
      const copied = await clipboard.read();
      assert.match(copied, /zhou2024treg/, `clipboard: ${JSON.stringify(copied)}`);
    } finally {
      messages.restore();
    }
  });

  it('falls back to the message when no editor is open', async () => {
    await closeAllEditors();
    const messages = stubMessages();
    try {
      await vscode.commands.executeCommand('litnotes.insertCitation', KEY);
      assert.ok(
        messages.calls.some((call) => call.items.some((item) => /copy to clipboard/i.test(item))),
        `no message offered Copy to Clipboard: ${JSON.stringify(messages.calls)}`,
      );
    } finally {
      messages.restore();
    }
  });
});

async function withSettings(settings: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
  const entries = Object.entries(settings);
  const run = (index: number): Promise<void> =>
    index === entries.length ? body() : withSetting('litnotes', entries[index][0], entries[index][1], () => run(index + 1));
  await run(0);
}
