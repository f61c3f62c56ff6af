import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAllEditors, getLoadedApi, openEditor, stub, stubMessages, waitFor, withSetting } from './helpers';

const SUPPRESS = '---\nsuppress-bibliography: true\n---\n\n';

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
    // The first formatted reference loads the CSL processor.
    this.timeout(60_000);
    await withSetting('litnotes', 'citation.cslStyle', 'apa', async () => {
      const editor = await openEditor('notes', 'with-references.md');
      const original = split(editor.document.getText());
      await vscode.commands.executeCommand('litnotes.insertBibliography');
      const text = editor.document.getText();
      const updated = split(text);
      // The front matter tells pandoc --citeproc that the list is written already.
      assert.strictEqual(updated.before, SUPPRESS + original.before);
      assert.strictEqual(updated.after, original.after);
      assert.ok(!updated.inside.includes('old list'), 'the old list was replaced');
      // Markdown with the style's italics and an autolink, sentence-case title.
      assert.strictEqual(
        updated.inside.trim(),
        'Zhou, Y., Zanette, A., Pan, J., Levine, S., & Kumar, A. (2024). ArCHer: Training language model agents via hierarchical multi-turn RL. *ICML 2024*. <https://arxiv.org/abs/2402.19446>',
      );
      assert.strictEqual(count(text, START), 1);
      assert.strictEqual(count(text, END), 1);
    });
  });

  it('updates the same section on a second run after a new citation, leaving one section', async function () {
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
    const editor = await openEditor('notes', 'reading-log.md');
    await editor.edit((edit) => edit.insert(new vscode.Position(4, editor.document.lineAt(4).text.length), '[@zhou2024archer]'));
    const before = editor.document.getText();
    await vscode.commands.executeCommand('litnotes.insertBibliography');
    const text = editor.document.getText();
    assert.ok(text.startsWith(SUPPRESS + before.trimEnd()), 'the existing text is kept as it was, below the new front matter');
    assert.strictEqual(count(text, START), 1);
    assert.match(split(text).inside, /ArCHer/i);
    assert.match(text, /^#+ (References|Bibliography)\s*$/m);
  });

  it("shows the style's italics and links in the Markdown preview, and a hostile title as text", async function () {
    this.timeout(60_000);
    const api = await getLoadedApi();
    const archer = api.library.getPaper('zhou2024archer');
    assert.ok(archer);
    const title = '[Click me](command:litnotes.refresh) <img src=x onerror=alert(1)> __init__ *x* `code`';
    // References are formatted from the record.
    const hostile = { ...archer, title, record: { ...archer.record!, title } };
    const original = api.library.library;
    api.library.replace({ ...original, papers: original.papers.map((paper) => (paper.key === archer.key ? hostile : paper)) });
    try {
      const editor = await openEditor('notes', 'with-references.md');
      await vscode.commands.executeCommand('litnotes.insertBibliography');
      // The renderer of VS Code's Markdown preview.
      const html = await vscode.commands.executeCommand<string>('markdown.api.render', editor.document.getText());
      assert.match(html, /<em>ICML 2024<\/em>/);
      assert.match(html, /<a href="https:\/\/arxiv\.org\/abs\/2402\.19446"[^>]*>https:\/\/arxiv\.org\/abs\/2402\.19446<\/a>/);
      assert.ok(html.includes('[Click me](command:litnotes.refresh) &lt;img src=x onerror=alert(1)&gt; __init__ *x* `code`'), html);
      assert.doesNotMatch(html, /href="command:|<img|<strong>|<code>|<em>x<\/em>/);
    } finally {
      api.library.replace(original);
    }
  });

  describe('a style is checked before it is taken', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-styles-'));
    const style = (bibliography: string) => `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Checked</title><id>http://example.org/checked</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  ${bibliography}
</style>
`;
    const write = (name: string, text: string) => {
      const file = path.join(folder, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const good = write('good-style.csl', style('<bibliography><layout><text variable="title" prefix="GOOD: "/></layout></bibliography>'));
    const malformed = write('malformed-style.csl', style('<bibliography><layout></bibliography>'));
    const noBibliography = write('no-bibliography.csl', style(''));
    const notCsl = write('not-csl.csl', '<?xml version="1.0"?>\n<html><body>404 Not Found</body></html>\n');

    /** Runs Choose Citation Style… › Add a .csl Style File… with `file` picked in the open dialog. */
    async function addStyleFile(file: string): Promise<void> {
      const restores = [
        stub(vscode.window, 'showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => items.find((item) => item.label.includes('Add a .csl Style File'))) as never),
        stub(vscode.window, 'showOpenDialog', (async () => [vscode.Uri.file(file)]) as never),
      ];
      try {
        await vscode.commands.executeCommand('litnotes.chooseCitationStyle');
      } finally {
        restores.forEach((restore) => restore());
      }
    }
    const config = () => vscode.workspace.getConfiguration('litnotes');

    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    for (const [what, file, problem] of [
      ['malformed XML', malformed, /is not well-formed XML: <\/bibliography> on line 5 does not close <layout>/],
      ['a CSL file without bibliography', noBibliography, /has no <bibliography> with a <layout>/],
      ['XML that is not CSL', notCsl, /is not a CSL style: its root element is not <style>/],
    ] as const) {
      it(`refuses ${what}, says why and keeps the previous style`, async function () {
        await withSetting('litnotes', 'citation.cslStyle', 'ieee', () =>
          withSetting('litnotes', 'citation.extraStyles', [], async () => {
            await addStyleFile(file);
            const error = messages.calls.find((call) => call.kind === 'error');
            assert.ok(error, `no error message: ${JSON.stringify(messages.calls)}`);
            assert.match(error.message, problem);
            assert.match(error.message, /The citation style stays "ieee"\.$/);
            assert.strictEqual(config().get('citation.cslStyle'), 'ieee');
            assert.deepStrictEqual(config().get('citation.extraStyles'), []);
          }),
        );
      });
    }

    it('takes a valid .csl file and formats with it', async function () {
      await withSetting('litnotes', 'citation.cslStyle', 'apa', () =>
        withSetting('litnotes', 'citation.extraStyles', [], async () => {
          await addStyleFile(good);
          assert.strictEqual(config().get('citation.cslStyle'), 'good-style');
          assert.deepStrictEqual(config().get('citation.extraStyles'), [good]);
          assert.deepStrictEqual(messages.calls.filter((call) => call.kind === 'error'), []);
          const editor = await openEditor('notes', 'with-references.md');
          await vscode.commands.executeCommand('litnotes.insertBibliography');
          assert.strictEqual(split(editor.document.getText()).inside.trim(), 'GOOD: ArCHer: Training language model agents via hierarchical multi-turn RL');
        }),
      );
    });

    it('keeps the previous style when the setting comes to name a broken one', async function () {
      await withSetting('litnotes', 'citation.cslStyle', 'apa', () =>
        withSetting('litnotes', 'citation.extraStyles', [malformed], async () => {
          await config().update('citation.cslStyle', 'malformed-style', vscode.ConfigurationTarget.Global);
          const warning = await waitFor(() => messages.calls.find((call) => call.kind === 'warning'), 10_000, 'the warning');
          assert.match(warning.message, /"malformed-style" is not well-formed XML.* Lit Notes keeps the citation style "apa"\.$/);
          const editor = await openEditor('notes', 'with-references.md');
          await vscode.commands.executeCommand('litnotes.insertBibliography');
          assert.match(split(editor.document.getText()).inside, /^\s*Zhou, Y\., Zanette, A\., .* \(2024\)\. ArCHer/);
          assert.deepStrictEqual(messages.calls.filter((call) => call.kind === 'error'), []);
        }),
      );
    });
  });
});
