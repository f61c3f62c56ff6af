import * as assert from 'assert';
import * as vscode from 'vscode';
import { CitationCompletionProvider } from '../../src/markdown/citationCompletion';
import type { LibraryService } from '../../src/services/libraryService';
import type { SearchService } from '../../src/services/searchService';
import { closeAllEditors, getLoadedApi, openEditor, waitFor, workspaceUri, type TestApi, type TreeNode } from './helpers';

async function untitled(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  return vscode.window.showTextDocument(document);
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** The hover's Markdown with its backslash escapes undone, to match plain text. */
function markdownOf(hover: vscode.Hover): string {
  const markdown = hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : '')).join('\n');
  return markdown.replace(/\\(?=[^\w\s])/g, '');
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

describe('Citations in Markdown', () => {
  let api: TestApi;

  before(async () => {
    api = await getLoadedApi();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  it('completes keys after [@, [see @ and ; @, matching keys, title words and author names', async function () {
    const editor = await untitled('Token rewards [@\nAgents [see @Levine\nBoth [@zhou2024archer; @T-RE');
    const at = (line: number) => new vscode.Position(line, editor.document.lineAt(line).text.length);
    const complete = async (line: number) =>
      (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, at(line), '@')).items;

    const all = (await complete(0)).map(labelOf);
    assert.ok(all.includes('zhou2024treg') && all.includes('zhou2024archer'), `offered ${all.slice(0, 10).join(', ')}`);

    const byAuthor = await complete(1);
    const archer = byAuthor.find((item) => labelOf(item) === 'zhou2024archer');
    assert.ok(archer, `Levine did not offer ArCHer: ${byAuthor.map(labelOf).slice(0, 10).join(', ')}`);
    assert.match(String(archer.detail), /ArCHer/);
    assert.ok(typeof archer.label !== 'string' && archer.label.detail?.includes('2024'), 'the year is shown');
    assert.ok(archer.filterText?.includes('Levine'), 'VS Code can filter by author names');

    // Accepting the item writes the key over what was typed.
    const range = archer.range as vscode.Range;
    await editor.edit((edit) => edit.replace(range, String(archer.insertText)));
    assert.strictEqual(editor.document.lineAt(1).text, 'Agents [see @zhou2024archer');

    const byTitle = (await complete(2)).map(labelOf);
    assert.strictEqual(byTitle[0], 'zhou2024treg', `T-RE offered ${byTitle.slice(0, 5).join(', ')} first`);
  });

  it('offers nothing, quietly, when the window closes before the search index is there; another failure still shows', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Token rewards [@T-RE' });
    const at = new vscode.Position(0, document.lineAt(0).text.length);
    const failing = (error: Error) => new CitationCompletionProvider(api.library as unknown as LibraryService, { getIndex: () => Promise.reject(error) } as unknown as SearchService);
    const aborted = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    assert.strictEqual(await failing(aborted).provideCompletionItems(document, at), undefined);
    await assert.rejects(failing(new Error('index broke')).provideCompletionItems(document, at), /index broke/);
  });

  it('offers nothing outside a citation group or inside code', async () => {
    const editor = await untitled('mail me@exa\n`[@zh`');
    for (const position of [new vscode.Position(0, 11), new vscode.Position(1, 5)]) {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position, '@');
      assert.ok(!list.items.some((item) => labelOf(item) === 'zhou2024treg'), `offered papers at ${position.line}:${position.character}`);
    }
  });

  it('explains a citation on hover, with links to the panel, the note and the code', async () => {
    const editor = await untitled('As shown [see @zhou2024treg, p. 3].');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 18));
    const text = hovers.map(markdownOf).join('\n');
    assert.match(text, /T-REG/);
    assert.match(text, /Wenxuan Zhou/);
    assert.match(text, /2024/);
    for (const command of ['litnotes.showPaper', 'litnotes.openNote', 'litnotes.openCodeRepository']) {
      assert.ok(text.includes(`command:${command}?`), `no ${command} link in ${text}`);
    }
    const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 2));
    assert.ok(!none.map(markdownOf).join('').includes('T-REG'), 'no paper hover away from the citation');
  });

  it('links each known key to the detail panel', async () => {
    const editor = await untitled('[@zhou2024treg; @unknown2020] and @zhou2024archer');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
    const targets = links.map((link) => decodeURIComponent(String(link.target)));
    assert.ok(targets.includes('command:litnotes.showPaper?["zhou2024treg"]'), targets.join('\n'));
    assert.ok(targets.includes('command:litnotes.showPaper?["zhou2024archer"]'), targets.join('\n'));
    assert.ok(!targets.some((target) => target.includes('unknown2020')));
    const treg = links.find((link) => String(link.target).includes('zhou2024treg'))!;
    assert.strictEqual(editor.document.getText(treg.range), '@zhou2024treg');
  });

  it('reports unknown keys outside code and fixes them with the closest paper', async function () {
    const editor = await openEditor('literature', 'checks.md');
    const uri = editor.document.uri;
    const diagnostics = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Lit Notes');
      return found.length > 0 && found;
    }, 30_000, 'diagnostics');
    assert.strictEqual(diagnostics.length, 1, diagnostics.map((d) => d.message).join('\n'));
    const [diagnostic] = diagnostics;
    assert.strictEqual(diagnostic.code, 'unknown-citation-key');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(editor.document.getText(diagnostic.range), '@zhou2024archr');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fixes = actions.filter((action) => action.title.startsWith('Replace with @'));
    assert.ok(fixes.length >= 1 && fixes.length <= 3, actions.map((a) => a.title).join(', '));
    assert.strictEqual(fixes[0].title, 'Replace with @zhou2024archer');
    assert.ok(fixes[0].edit && (await vscode.workspace.applyEdit(fixes[0].edit)));
    assert.match(editor.document.lineAt(diagnostic.range.start.line).text, /A typo in a key: \[@zhou2024archer\]\./);
    await waitFor(() => vscode.languages.getDiagnostics(uri).every((d) => d.source !== 'Lit Notes'), 30_000, 'the warning to go');
  });

  it('counts citations per paper and keeps the count current as notes are created, edited, renamed and deleted', async function () {
    this.timeout(180_000);
    const key = 'abdulhai2023lmrl';
    assert.ok(api.library.getPaper(key), `${key} is in the bundled library`);
    const cited = (n: number) => async () => {
      const description = await describePaper(api, key);
      return (n === 0 ? !description.includes('cited') : description.endsWith(`cited ${n}×`)) && description;
    };
    await waitFor(cited(0), 30_000, 'no citation of the paper yet');

    const uri = workspaceUri('literature', 'backlinks.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`# Backlinks\n\nBenchmarks [@${key}].\n`));
    await waitFor(cited(1), 30_000, 'the new note to be counted');

    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((edit) => edit.insert(new vscode.Position(3, 0), `\nAgain [see @${key}, p. 2] and @${key}.\n`));
    await waitFor(cited(3), 30_000, 'the unsaved edit to be counted');
    await editor.document.save();
    await closeAllEditors();

    const renamed = workspaceUri('literature', 'backlinks-renamed.md');
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(uri, renamed);
    assert.ok(await vscode.workspace.applyEdit(rename));
    // The renamed file is the one followed now: a change to it on disk counts, and the old name holds nothing.
    await vscode.workspace.fs.writeFile(renamed, Buffer.from(`${editor.document.getText()}\nOnce more [@${key}].\n`));
    await waitFor(cited(4), 30_000, 'the renamed note to be followed');

    await vscode.workspace.fs.delete(renamed);
    await waitFor(cited(0), 30_000, 'the deleted note to be forgotten');
  });
});
