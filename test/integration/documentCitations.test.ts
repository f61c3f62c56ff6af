import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, getLoadedApi, stubMessages, waitFor, withSetting, workspaceUri, type TestApi, type TreeNode } from './helpers';

const TREG = 'zhou2024treg';
const ARCHER = 'zhou2024archer';
/** Y. Zhou's paper of the same year as T-REG (2025, the year of their venues): APA tells the two apart. */
const GUIG1 = 'zhou2025guig1';
const RULE = 'wang2025rule';
const START = '<!-- litnotes:references -->';
const END = '<!-- /litnotes:references -->';

/** A note with one empty line per citation to come; each test gets a file of its own. */
const NOTE = ['# Several citations', '', 'First: ', '', 'Second: ', '', 'Third: ', ''].join('\n');
let noteCount = 0;

/**
 * The content is typed into an empty file rather than saved: reverting the note at the end leaves
 * no citation key in any document, where the editor's word-based completion of later suites would find it.
 */
async function openNote(content = NOTE): Promise<vscode.TextEditor> {
  const uri = workspaceUri('notes', `doc-citations-${++noteCount}.md`);
  await vscode.workspace.fs.writeFile(uri, new Uint8Array());
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), content)));
  return editor;
}

/** Insert Citation of `key` at the end of the line that starts with `label`, as a user with the cursor there. */
async function citeAt(editor: vscode.TextEditor, label: string, key: string): Promise<void> {
  const line = lineStarting(editor, label);
  const end = editor.document.lineAt(line).range.end;
  editor.selection = new vscode.Selection(end, end);
  await vscode.commands.executeCommand('litnotes.insertCitation', key);
}

function lineStarting(editor: vscode.TextEditor, label: string): number {
  for (let line = 0; line < editor.document.lineCount; line++) if (editor.document.lineAt(line).text.startsWith(label)) return line;
  throw new Error(`no line starts with "${label}" in:\n${editor.document.getText()}`);
}

function lineText(editor: vscode.TextEditor, label: string): string {
  return editor.document.lineAt(lineStarting(editor, label)).text;
}

async function withStyle(format: string, style: string, body: () => Promise<void>): Promise<void> {
  await withSetting('litnotes', 'citation.format', format, () => withSetting('litnotes', 'citation.cslStyle', style, body));
}

/** The tree row's description for a paper (it carries "cited N×"). */
async function describePaper(api: TestApi, key: string): Promise<string> {
  for (const group of ((await api.papersTree.getChildren()) ?? []) as TreeNode[]) {
    for (const node of ((await api.papersTree.getChildren(group)) ?? []) as TreeNode[]) {
      if (node.kind === 'paper' && node.paper.key === key) return String((await api.papersTree.getTreeItem(node)).description ?? '');
    }
  }
  throw new Error(`${key} is not in the tree`);
}

describe('Document-aware citations (cslInText)', () => {
  let api: TestApi;
  let messages: ReturnType<typeof stubMessages>;

  before(async () => {
    api = await getLoadedApi();
  });
  beforeEach(() => {
    messages = stubMessages();
  });
  afterEach(async () => {
    messages.restore();
    await closeAllEditors();
  });
  after(async () => {
    for (let n = 1; n <= noteCount; n++) await vscode.workspace.fs.delete(workspaceUri('notes', `doc-citations-${n}.md`)).then(undefined, () => undefined);
  });

  it('tells two "Zhou et al., 2025" papers apart in APA, updating the first citation when the second goes in, in one undo step', async function () {
    this.timeout(60_000);
    await withStyle('cslInText', 'apa', async () => {
      const editor = await openNote();
      await citeAt(editor, 'First: ', TREG);
      assert.strictEqual(lineText(editor, 'First: '), `First: [(Zhou et al., 2025)](#litnotes:${TREG})`);
      const withOne = editor.document.getText();

      await citeAt(editor, 'Second: ', GUIG1);
      assert.strictEqual(lineText(editor, 'First: '), `First: [(W. Zhou et al., 2025)](#litnotes:${TREG})`);
      assert.strictEqual(lineText(editor, 'Second: '), `Second: [(Y. Zhou et al., 2025)](#litnotes:${GUIG1})`);
      assert.ok(editor.selection.active.isEqual(editor.document.lineAt(lineStarting(editor, 'Second: ')).range.end), 'the cursor ends after the new citation');

      await vscode.commands.executeCommand('undo');
      assert.strictEqual(editor.document.getText(), withOne, 'one undo takes back the insertion and the update together');
      assert.deepStrictEqual(messages.calls.filter((call) => call.kind !== 'information'), []);
    });
  });

  it('numbers IEEE citations by first citation and renumbers when one is inserted earlier; Insert Bibliography lists them in that order', async function () {
    this.timeout(60_000);
    await withStyle('cslInText', 'ieee', async () => {
      const editor = await openNote();
      await citeAt(editor, 'Second: ', TREG);
      await citeAt(editor, 'Third: ', GUIG1);
      await citeAt(editor, 'Third: ', TREG);
      assert.strictEqual(lineText(editor, 'Second: '), `Second: [\\[1\\]](#litnotes:${TREG})`);
      assert.strictEqual(lineText(editor, 'Third: '), `Third: [\\[2\\]](#litnotes:${GUIG1})[\\[1\\]](#litnotes:${TREG})`);

      const before = editor.document.getText();
      await citeAt(editor, 'First: ', RULE);
      assert.strictEqual(lineText(editor, 'First: '), `First: [\\[1\\]](#litnotes:${RULE})`);
      assert.strictEqual(lineText(editor, 'Second: '), `Second: [\\[2\\]](#litnotes:${TREG})`);
      assert.strictEqual(lineText(editor, 'Third: '), `Third: [\\[3\\]](#litnotes:${GUIG1})[\\[2\\]](#litnotes:${TREG})`);
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(editor.document.getText(), before, 'one undo step');
      await vscode.commands.executeCommand('redo');

      await vscode.commands.executeCommand('litnotes.insertBibliography');
      const text = editor.document.getText();
      const list = text.slice(text.indexOf(START) + START.length, text.indexOf(END)).trim().split(/\n\n/);
      assert.strictEqual(list.length, 3, list.join('\n'));
      assert.match(list[0], /^\\\[1\\\] S\. Wang /);
      assert.match(list[1], /^\\\[2\\\] W\. Zhou, .*T-REG/);
      assert.match(list[2], /^\\\[3\\\] Y\. Zhou, .*GUI-G1/);
      assert.ok(!messages.calls.some((call) => /cites no papers/.test(call.message)), JSON.stringify(messages.calls));
    });
  });

  it('Refresh Citations reformats every formatted citation after edits and a style change, as one undo step', async function () {
    this.timeout(60_000);
    const edited = [
      '# Edited by hand',
      '',
      `GUI-G1 [(Zhou and others, 2025, my words)](#litnotes:${GUIG1}) and T-REG [(Zhou et al., 2025)](#litnotes:${TREG}).`,
      `Both [(?)](#litnotes:${TREG};${GUIG1}); Pandoc [@${RULE}] stays; \`[(x)](#litnotes:${RULE})\` is code.`,
      `Unknown [(Ghost, 1999)](#litnotes:ghost1999).`,
      '',
    ].join('\n');
    await withStyle('pandoc', 'apa', async () => {
      const editor = await openNote(edited);
      await vscode.commands.executeCommand('litnotes.refreshCitations');
      const refreshed = editor.document.getText().split('\n');
      assert.strictEqual(refreshed[2], `GUI-G1 [(Y. Zhou et al., 2025)](#litnotes:${GUIG1}) and T-REG [(W. Zhou et al., 2025)](#litnotes:${TREG}).`);
      assert.strictEqual(refreshed[3], `Both [(W. Zhou et al., 2025; Y. Zhou et al., 2025)](#litnotes:${TREG};${GUIG1}); Pandoc [@${RULE}] stays; \`[(x)](#litnotes:${RULE})\` is code.`);
      assert.strictEqual(refreshed[4], 'Unknown [(Ghost, 1999)](#litnotes:ghost1999).');
      assert.ok(messages.calls.some((call) => call.kind === 'warning' && call.message.includes('@ghost1999')), JSON.stringify(messages.calls));

      const apa = editor.document.getText();
      const version = editor.document.version;
      await vscode.commands.executeCommand('litnotes.refreshCitations');
      assert.strictEqual(editor.document.version, version, 'nothing to do: no edit at all');

      await withSetting('litnotes', 'citation.cslStyle', 'vancouver', async () => {
        await vscode.commands.executeCommand('litnotes.refreshCitations');
      });
      const vancouver = editor.document.getText().split('\n');
      assert.strictEqual(vancouver[2], `GUI-G1 [(1)](#litnotes:${GUIG1}) and T-REG [(2)](#litnotes:${TREG}).`);
      assert.match(vancouver[3], /^Both \[\(1,2\)\]/);
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(editor.document.getText(), apa, 'one undo restores the APA citations');
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(editor.document.getText(), edited, 'and one more the note as it was');
    });
  });

  it('keeps an existing References list up to date in the same edit as Insert Citation and Refresh Citations', async function () {
    this.timeout(60_000);
    const references = (editor: vscode.TextEditor) => {
      const text = editor.document.getText();
      return text.slice(text.indexOf(START) + START.length, text.indexOf(END)).trim().split(/\n\n/).filter(Boolean);
    };
    await withStyle('cslInText', 'apa', async () => {
      const editor = await openNote();
      await citeAt(editor, 'First: ', TREG);
      await vscode.commands.executeCommand('litnotes.insertBibliography');
      assert.strictEqual(references(editor).length, 1);
      const withOne = editor.document.getText();

      await citeAt(editor, 'Second: ', ARCHER);
      const listed = references(editor);
      assert.strictEqual(listed.length, 2, listed.join('\n'));
      assert.match(listed[0], /^Zhou, W\./);
      assert.match(listed[1], /^Zhou, Y\., .*ArCHer/);
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(editor.document.getText(), withOne, 'one undo takes back the citation, the update of the first and the list');
      await vscode.commands.executeCommand('redo');

      await withSetting('litnotes', 'citation.format', 'pandoc', () => citeAt(editor, 'Third: ', RULE));
      assert.strictEqual(lineText(editor, 'Third: '), `Third: [@${RULE}]`);
      assert.strictEqual(references(editor).length, 3, 'a Pandoc citation is listed too');

      const apa = editor.document.getText();
      await withSetting('litnotes', 'citation.cslStyle', 'ieee', async () => {
        await vscode.commands.executeCommand('litnotes.refreshCitations');
      });
      const numbered = references(editor);
      assert.deepStrictEqual(numbered.map((entry) => entry.slice(0, 10)), ['\\[1\\] W. Z', '\\[2\\] Y. Z', '\\[3\\] S. W']);
      assert.strictEqual(lineText(editor, 'First: '), `First: [\\[1\\]](#litnotes:${TREG})`);
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(editor.document.getText(), apa, 'the citations and the list go back in one step');
    });
  });

  it('is read by Insert Bibliography, hover, Ctrl-click, diagnostics and backlinks', async function () {
    this.timeout(60_000);
    const key = 'sikchi2023dual';
    assert.ok(api.library.getPaper(key), `${key} is in the bundled library`);
    await withStyle('cslInText', 'apa', async () => {
      const editor = await openNote(`# Read everywhere\n\nBoth [(Sikchi et al., 2023; Zhou et al., 2024)](#litnotes:${key};${TREG}) and [(Typo)](#litnotes:zhou2024archr).\n`);
      const { document } = editor;
      await waitFor(async () => (await describePaper(api, key)).endsWith('cited 1×'), 10_000, 'the formatted citation to count as a backlink');

      const textAt = document.positionAt(document.getText().indexOf('Sikchi et al.'));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, textAt);
      // appendText's escapes (`&nbsp;`, backslashes) undone, to match plain text.
      const hoverText = hovers
        .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
        .join('\n')
        .replace(/&nbsp;/g, ' ')
        .replace(/\\(?=[^\w\s])/g, '');
      assert.match(hoverText, /Dual RL/i, 'the hover names the first paper');
      assert.match(hoverText, /T-REG/, 'and the second');

      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
      const ours = links.filter((link) => String(link.target).startsWith('command:litnotes.showPaper'));
      assert.deepStrictEqual(ours.map((link) => document.getText(link.range)), [key, TREG], 'each key of the target opens its paper');

      const diagnostics = await waitFor(() => {
        const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Lit Notes');
        return found.length > 0 && found;
      }, 10_000, 'the unknown key to be reported');
      assert.deepStrictEqual(diagnostics.map((d) => document.getText(d.range)), ['zhou2024archr']);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostics[0].range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((action) => action.title === `Replace with @${ARCHER}`);
      assert.ok(fix?.edit && (await vscode.workspace.applyEdit(fix.edit)), actions.map((a) => a.title).join(', '));
      assert.match(document.getText(), new RegExp(`\\[\\(Typo\\)\\]\\(#litnotes:${ARCHER}\\)`), 'the fix rewrites the key inside the target');
      const fixedLinks = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
      const archerLinks = fixedLinks.filter((link) => String(link.target).includes(ARCHER)).map((link) => document.getText(link.range));
      assert.deepStrictEqual(archerLinks.sort(), ['(Typo)', ARCHER], 'the text of a one-paper citation opens the paper too');

      await vscode.commands.executeCommand('litnotes.insertBibliography');
      const text = document.getText();
      const list = text.slice(text.indexOf(START), text.indexOf(END));
      for (const title of [/Dual RL/i, /T-REG/, /ArCHer/]) assert.match(list, title);
    });
  });
});
