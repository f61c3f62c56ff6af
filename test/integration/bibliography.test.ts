import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, getLoadedApi, openEditor, stubMessages, withSetting } from './helpers';

const START = '<!-- litnotes:references -->';
const END = '<!-- /litnotes:references -->';

function split(text: string): { before: string; inside: string; after: string } {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  assert.ok(start >= 0 && end > start, `no references markers in:\n${text}`);
  return { before: text.slice(0, start), inside: text.slice(start + START.length, end), after: text.slice(end + END.length) };
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('Insert Bibliography', () => {
  let messages: ReturnType<typeof stubMessages>;

  before(async () => {
    await getLoadedApi();
  });

  beforeEach(() => {
    messages = stubMessages();
  });

  afterEach(async () => {
    messages.restore();
    await closeAllEditors();
  });

  it('fills the marked References section and changes nothing else', async function () {
    this.timeout(30_000);
    await withSetting('litnotes', 'citation.cslStyle', 'apa', async () => {
      const editor = await openEditor('notes', 'with-references.md');
      const original = split(editor.document.getText());
      await vscode.commands.executeCommand('litnotes.insertBibliography');
      const text = editor.document.getText();
      const updated = split(text);
      assert.strictEqual(updated.before, original.before);
      assert.strictEqual(updated.after, original.after);
      assert.ok(!updated.inside.includes('old list'), 'the old list was replaced');
      assert.match(updated.inside, /Zhou/);
      assert.match(updated.inside, /ArCHer/i);
      assert.strictEqual(count(text, START), 1);
      assert.strictEqual(count(text, END), 1);
    });
  });

  it('updates the same section on a second run after a new citation, leaving one section', async function () {
    this.timeout(30_000);
    const editor = await openEditor('notes', 'with-references.md');
    await vscode.commands.executeCommand('litnotes.insertBibliography');
    const first = editor.document.getText();
    await vscode.commands.executeCommand('litnotes.insertBibliography');
    assert.strictEqual(editor.document.getText(), first, 'running it twice changes nothing more');

    // Cite another paper in the text before the section.
    const line = first.split('\n').findIndex((l) => l.startsWith('Text before the references'));
    await editor.edit((edit) => edit.insert(new vscode.Position(line, 0), 'T-REG regularises with token rewards [@zhou2024treg]. '));
    const withCitation = editor.document.getText();
    await vscode.commands.executeCommand('litnotes.insertBibliography');
    const text = editor.document.getText();
    assert.strictEqual(count(text, START), 1);
    assert.strictEqual(count(text, END), 1);
    const parts = split(text);
    assert.strictEqual(parts.before, split(withCitation).before);
    assert.strictEqual(parts.after, split(withCitation).after);
    assert.match(parts.inside, /T-REG/);
    assert.match(parts.inside, /ArCHer/i);
  });

  it('adds a References section at the end of a note that has none', async function () {
    this.timeout(30_000);
    const editor = await openEditor('notes', 'reading-log.md');
    await editor.edit((edit) => edit.insert(new vscode.Position(4, editor.document.lineAt(4).text.length), '[@zhou2024archer]'));
    const before = editor.document.getText();
    await vscode.commands.executeCommand('litnotes.insertBibliography');
    const text = editor.document.getText();
    assert.ok(text.startsWith(before.trimEnd()), 'the existing text is kept as it was');
    assert.strictEqual(count(text, START), 1);
    assert.match(split(text).inside, /ArCHer/i);
    assert.match(text, /^#+ (References|Bibliography)\s*$/m);
  });
});
