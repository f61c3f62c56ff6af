// A paper whose text is hostile and enormous, shown by the tree, the hover and the completion and
// written into a literature note: everything stays text, and long fields are shortened for display.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DISPLAY_LIMIT, shorten } from '../../src/core/markdown';
import type { Library, Paper } from '../../src/core/model';
import { hrefs, markup, shown } from '../unit/markdownRender';
import { closeAllEditors, getLoadedApi, waitFor, workspaceUri, type TestApi, type TreeNode } from './helpers';

const KEY = 'hostile2099text';
const HOSTILE = '# [Click me](command:workbench.action.terminal.new) <b>bold</b> <img src=x onerror=alert(1)> *x* __init__ `code` | a | $(github) importance and';
const TITLE = `${HOSTILE} ${'tokens of reward '.repeat(6_000)}`.trim();

function hostilePaper(base: Paper): Paper {
  return {
    ...base,
    key: KEY,
    aliases: undefined,
    title: TITLE,
    abstract: `${HOSTILE}. ${'Words without end '.repeat(6_000)}`,
    authors: [{ given: '**Tom**', family: '<i>Jerry</i>' }],
    authorCount: 1,
    venue: '_Proceedings_ of [x](command:y)',
    topics: [],
    links: { code: 'https://github.com/o/r' },
  };
}

function markdownValue(content: vscode.MarkdownString | vscode.MarkedString | string | vscode.TreeItem['tooltip']): string {
  if (typeof content === 'string' || content === undefined) return String(content ?? '');
  return 'value' in content ? content.value : '';
}

describe('Hostile and very long paper text', () => {
  let api: TestApi;
  let original: Library;

  before(async () => {
    api = await getLoadedApi();
    original = api.library.library;
    api.library.replace({ ...original, papers: [...original.papers, hostilePaper(api.library.getPaper('zhou2024archer')!)] });
  });

  after(async () => {
    api.library.replace(original);
    await closeAllEditors();
  });

  it('shows a shortened title in the tree row and a tooltip of text, with spaces that let words wrap', async () => {
    const node = await waitFor(async () => {
      for (const group of ((await api.papersTree.getChildren()) ?? []) as TreeNode[]) {
        const found = (((await api.papersTree.getChildren(group)) ?? []) as TreeNode[]).find((child) => child.kind === 'paper' && child.paper.key === KEY);
        if (found) return found;
      }
      return undefined;
    }, 10_000, 'the hostile paper in the tree');
    const item = await api.papersTree.getTreeItem(node);
    assert.strictEqual(item.label, shorten(TITLE));
    const tooltip = item.tooltip as vscode.MarkdownString;
    assert.ok(tooltip instanceof vscode.MarkdownString, 'a Markdown tooltip');
    assert.ok(!tooltip.isTrusted, 'no command runs from a tooltip');
    const value = markdownValue(tooltip);
    assert.ok(!value.includes('&nbsp;'), 'spaces are spaces, so a line breaks between words');
    assert.ok(value.length < 4 * DISPLAY_LIMIT, `a tooltip of ${value.length} characters`);
    assert.deepStrictEqual(markup(value), ['strong_open', 'strong_close', 'em_open', 'em_close'], value);
    const [title, byline] = shown(value).split('\n\n');
    assert.strictEqual(title, shorten(TITLE));
    assert.strictEqual(byline, '**Tom** <i>Jerry</i> · _Proceedings_ of [x](command:y), 2024');
  });

  it('explains the citation in a hover of text, whose only links are its own three', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: `See [@${KEY}].` });
    await vscode.window.showTextDocument(document);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 8));
    const value = hovers.flatMap((hover) => hover.contents.map(markdownValue)).find((text) => text.includes('Click me'));
    assert.ok(value, 'a hover for the paper');
    assert.ok(!value.includes('&nbsp;'));
    assert.ok(value.length < 6 * DISPLAY_LIMIT, `a hover of ${value.length} characters`);
    const links = hrefs(value).map((href) => decodeURIComponent(href));
    assert.deepStrictEqual(links, ['litnotes.showPaper', 'litnotes.openNote', 'litnotes.openCodeRepository'].map((command) => `command:${command}?["${KEY}"]`));
    assert.deepStrictEqual(
      markup(value).filter((type) => !type.startsWith('link_')),
      ['strong_open', 'strong_close', 'em_open', 'em_close'],
    );
    assert.ok(shown(value).startsWith(`${shorten(TITLE)}\n\n`));
    assert.ok(!/(?<!\\)\$\((?!preview|note|github\) Code)/.test(value), 'the title\'s $(github) is escaped, the links\' icons are not');
  });

  it('offers the paper in completion with a short detail and documentation of text', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '[@hostile2099' });
    await vscode.window.showTextDocument(document);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 13), '@');
    const item = list.items.find((candidate) => (typeof candidate.label === 'string' ? candidate.label : candidate.label.label) === KEY);
    assert.ok(item, 'the hostile paper is offered');
    assert.strictEqual(item.detail, shorten(TITLE));
    const value = markdownValue(item.documentation as vscode.MarkdownString);
    assert.deepStrictEqual(markup(value), ['strong_open', 'strong_close', 'em_open', 'em_close']);
    assert.strictEqual(shown(value).split('\n\n')[0], shorten(TITLE));
  });

  it('writes the literature note with the whole title as data and a shortened heading of text', async function () {
    const uri = workspaceUri('notes', `${KEY}.md`);
    try {
      await vscode.commands.executeCommand('litnotes.openNote', KEY);
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString(), 10_000, 'the note to open');
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      assert.ok(text.includes(`title: ${JSON.stringify(TITLE)}`), 'the front matter holds the whole title');
      assert.ok(text.length < TITLE.length + 3_000, `a note of ${text.length} characters`);
      const body = text.slice(text.indexOf('\n---\n') + 5);
      const heading = body.split('\n').find((line) => line.startsWith('# '));
      assert.ok(heading && heading.length < 2 * DISPLAY_LIMIT, `heading: ${heading?.slice(0, 80)}`);
      assert.strictEqual(shown(heading.slice(2)), shorten(TITLE));
      assert.deepStrictEqual(hrefs(body), []);
      assert.deepStrictEqual(
        markup(body, ['heading_open', 'heading_close', 'bullet_list_open', 'bullet_list_close', 'list_item_open', 'list_item_close', 'blockquote_open', 'blockquote_close']),
        [],
      );
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });
});
