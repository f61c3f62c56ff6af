// Export Note with Pandoc in the real VS Code, with Debian's pandoc: a note (with an unsaved edit) goes
// to HTML and DOCX through the command, the format picker and the save dialog; the references are read
// back and the note stays as it was on disk. A missing pandoc and a pandoc error are told in words.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import { requireTool } from '../unit/referenceTools';
import { closeAllEditors, getLoadedApi, stub, stubMessages, waitFor, withSetting, workspaceUri, type MessageCall } from './helpers';

const NOTE = [
  '---',
  'title: "Reading for the export"',
  '---',
  '',
  'Token rewards [@zhou2024treg] and agents [(Zhou et al., 2024)](#litnotes:zhou2024archer).',
  '',
].join('\n');

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Runs the export with the picker and the save dialog answered; what they were shown comes back. */
async function exportNote(format: string, target: vscode.Uri, messages: (call: MessageCall) => string | undefined = () => undefined, ...args: unknown[]) {
  const shown: { items: vscode.QuickPickItem[]; defaultUri?: vscode.Uri; messages: MessageCall[] } = { items: [], messages: [] };
  const stubbed = stubMessages(messages);
  const restorePick = stub(vscode.window, 'showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => {
    shown.items = [...items];
    return items.find((item) => item.label === format);
  }) as never);
  const restoreSave = stub(vscode.window, 'showSaveDialog', (async (options?: vscode.SaveDialogOptions) => {
    shown.defaultUri = options?.defaultUri;
    return target;
  }) as typeof vscode.window.showSaveDialog);
  try {
    await vscode.commands.executeCommand('litnotes.exportNoteWithPandoc', ...args);
  } finally {
    restoreSave();
    restorePick();
    stubbed.restore();
  }
  shown.messages = stubbed.calls;
  return shown;
}

describe('Export Note with Pandoc', function () {
  this.timeout(60_000);
  const note = () => workspaceUri('notes', 'pandoc-export.md');

  let written = false;

  before(async () => {
    requireTool('pandoc');
    await getLoadedApi();
    await vscode.workspace.fs.writeFile(note(), new TextEncoder().encode(NOTE));
    written = true;
  });
  beforeEach(async () => {
    await closeAllEditors();
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(note()), { preview: false });
    // Unsaved: the export takes the editor's text, and the file stays as it is.
    await editor.edit((builder) => builder.insert(new vscode.Position(5, 0), 'Unsaved too [@zhou2024archer].\n'));
  });
  afterEach(async () => {
    assert.strictEqual(await readText(note()), NOTE, 'the note on disk is never written');
    await closeAllEditors();
  });
  after(async () => {
    if (written) await vscode.workspace.fs.delete(note());
  });

  it('exports to standalone HTML beside the note, with the references in APA, and opens it', async () => {
    const target = workspaceUri('notes', 'pandoc-export.html');
    const shown = await exportNote('HTML', target);
    assert.strictEqual(shown.defaultUri?.fsPath, target.fsPath, 'the save dialog proposes the file beside the note');
    assert.deepStrictEqual(
      shown.items.filter((item) => item.label !== 'PDF').map((item) => item.label),
      ['Word (DOCX)', 'OpenDocument (ODT)', 'HTML', 'EPUB', 'LaTeX'],
    );
    // PDF only with an engine on PATH, named.
    for (const item of shown.items.filter((candidate) => candidate.label === 'PDF')) assert.match(item.description ?? '', /typeset by (?:xelatex|lualatex|tectonic|pdflatex|latexmk|wkhtmltopdf|weasyprint|pagedjs-cli|prince|context)$/);
    const html = await readText(target);
    assert.match(html, /<title>Reading for the export<\/title>/);
    assert.deepStrictEqual([...html.matchAll(/<div id="ref-([^"]+)" class="csl-entry"/g)].map((m) => m[1]), ['zhou2024treg', 'zhou2024archer']);
    const flat = html.replace(/\s+/g, ' ');
    assert.match(flat, /Zhou, W\., Zhang, S\., Zhao, L\., &amp; Meng, T\. \(2025\)\. <span class="nocase">T-REG<\/span>: Preference optimization with token-level reward regularization\./);
    assert.match(flat, /data-cites="zhou2024archer">\(Y\. Zhou et al\., 2024\)<\/span>/, "the formatted citation is a citation pandoc formats, told apart from W. Zhou as APA says");
    assert.match(flat, /Unsaved too/);
    assert.doesNotMatch(html, /#litnotes:/);
    const opened = await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === target.fsPath, 20_000, 'the HTML to open');
    assert.ok(opened);
    assert.ok(shown.messages.some((call) => call.kind === 'information' && /Exported pandoc-export\.md as HTML to pandoc-export\.html/.test(call.message)), JSON.stringify(shown.messages));
    await vscode.workspace.fs.delete(target);
  });

  it('exports to DOCX in the chosen style, read back by pandoc, and offers to open or reveal it', async () => {
    const target = workspaceUri('notes', 'exported note.docx');
    await withSetting('litnotes', 'citation.cslStyle', 'ieee', async () => {
      const shown = await exportNote('Word (DOCX)', target);
      const done = shown.messages.find((call) => call.kind === 'information' && /as Word \(DOCX\) to exported note\.docx/.test(call.message));
      assert.ok(done, JSON.stringify(shown.messages));
      assert.strictEqual(done.items[0], 'Open');
      assert.match(done.items[1], /^(?:Reveal in Finder|Reveal in File Explorer|Open Containing Folder)$/);
    });
    const plain = execFileSync('pandoc', ['--from=docx', '--to=plain', '--wrap=none', target.fsPath], { encoding: 'utf8' });
    assert.match(plain, /Token rewards \[1\] and agents \[2\]\./);
    assert.match(plain, /\[1\] W\. Zhou, S\. Zhang, L\. Zhao, and T\. Meng, “T-REG: Preference optimization with token-level reward regularization,” in ACL 2025, 2025\./);
    assert.match(plain, /\[2\] Y\. Zhou, A\. Zanette, J\. Pan, S\. Levine, and A\. Kumar, “ArCHer:/);
    await vscode.workspace.fs.delete(target);
  });

  it("exports the file the Explorer's menu names as LaTeX, from disk when it is not open", async () => {
    await closeAllEditors();
    const target = workspaceUri('notes', 'pandoc-export.tex');
    const shown = await exportNote('LaTeX', target, undefined, note());
    const latex = await readText(target);
    assert.match(latex, /\\begin\{document\}/);
    assert.match(latex, /Token rewards \(W\. Zhou et al\., 2025\)/);
    assert.doesNotMatch(latex, /Unsaved too/, 'the file as saved');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'the LaTeX opens in VS Code');
    assert.ok(shown.messages.some((call) => /as LaTeX to pandoc-export\.tex/.test(call.message)));
    await vscode.workspace.fs.delete(target);
  });

  it('says how to install pandoc when it is not found, and writes nothing', async () => {
    const target = workspaceUri('notes', 'never.html');
    await withSetting('litnotes', 'pandoc.path', '/nonexistent/pandoc', async () => {
      const shown = await exportNote('HTML', target);
      const error = shown.messages.find((call) => call.kind === 'error');
      assert.ok(error, JSON.stringify(shown.messages));
      assert.match(error.message, /found no program at "\/nonexistent\/pandoc" \(the setting litnotes\.pandoc\.path\)\. To install it, .*pandoc\.org/);
      assert.deepStrictEqual(error.items, ['Installing pandoc', 'Open Settings']);
      assert.strictEqual(shown.items.length, 0, 'no format is offered');
    });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)));
  });

  it("shows pandoc's error in words with the line that matters", async () => {
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((builder) => builder.replace(new vscode.Range(1, 0, 1, 100), 'title: [unclosed'));
    const target = workspaceUri('notes', 'broken.html');
    const shown = await exportNote('HTML', target);
    const error = shown.messages.find((call) => call.kind === 'error');
    assert.ok(error, JSON.stringify(shown.messages));
    assert.match(error.message, /^Lit Notes: pandoc could not export pandoc-export\.md as HTML: the note's front matter \(YAML\) could not be read: YAML parse exception/);
    assert.deepStrictEqual(error.items, ['Show Log']);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)));
  });
});
