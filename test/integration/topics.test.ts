import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Paper } from '../../src/core/model';
import { closeAllEditors, EXTENSION_ID, getLoadedApi, stubMessages, waitFor, withSetting, workspaceUri, type TestApi } from './helpers';

const LIBRARY = 'library/topics-groups.bib';
const TOPICS_FILE = '.litnotes/topics.json';
const MIME = 'application/vnd.code.tree.litnotes.papers';

// A JabRef 5 library of proof-engineering papers with a group tree (real titles).
const BIB = `% Encoding: UTF-8

@InProceedings{Ringer2019,
  author = {Ringer, Talia and Yazdani, Nathaniel and Leo, John and Grossman, Dan},
  title  = {Ornaments for Proof Reuse in {Coq}},
  year   = {2019},
  groups = {Proof repair, Coq},
}

@InProceedings{Ringer2021,
  author = {Ringer, Talia and Porter, RanDair and Yazdani, Nathaniel and Leo, John and Grossman, Dan},
  title  = {Proof Repair across Type Equivalences},
  year   = {2021},
  groups = {Proof repair},
}

@Article{Leroy2009,
  author = {Leroy, Xavier},
  title  = {Formal Verification of a Realistic Compiler},
  year   = {2009},
  groups = {Verified systems, Coq},
}

@InProceedings{Klein2009,
  author = {Klein, Gerwin and Elphinstone, Kevin and Heiser, Gernot},
  title  = {{seL4}: Formal Verification of an {OS} Kernel},
  year   = {2009},
  groups = {Verified systems},
}

@InProceedings{Moura2021,
  author = {de Moura, Leonardo and Ullrich, Sebastian},
  title  = {The {Lean} 4 Theorem Prover and Programming Language},
  year   = {2021},
  groups = {Lean},
}

@Comment{jabref-meta: grouping:
0 AllEntriesGroup:;
1 StaticGroup:Proof assistants\\;0\\;1\\;0x8a8a8aff\\;\\;\\;;
2 StaticGroup:Coq\\;0\\;1\\;0x8a8a8aff\\;\\;\\;;
2 StaticGroup:Lean\\;0\\;1\\;0x8a8a8aff\\;\\;\\;;
1 StaticGroup:Proof repair\\;0\\;1\\;0x8a8a8aff\\;\\;\\;;
1 StaticGroup:Verified systems\\;0\\;1\\;0x8a8a8aff\\;\\;\\;;
}
`;

interface Node {
  kind: 'file' | 'group' | 'paper';
  group?: { id: string; label: string; topic?: { id: string } };
  paper?: Paper;
  parent?: Node;
}

interface TopicsApi extends TestApi {
  papersView: { dragAndDrop: vscode.TreeDragAndDropController<Node> };
}

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function children(api: TestApi, node?: Node): Promise<Node[]> {
  return ((await api.papersTree.getChildren(node as never)) ?? []) as unknown as Node[];
}

/** Every group row of the tree, sub-topics included. */
async function groupRows(api: TestApi): Promise<Node[]> {
  const rows: Node[] = [];
  const visit = async (nodes: Node[]) => {
    for (const node of nodes.filter((candidate) => candidate.kind === 'group')) {
      rows.push(node);
      await visit(await children(api, node));
    }
  };
  await visit(await children(api));
  return rows;
}

async function row(api: TestApi, topicId: string): Promise<Node | undefined> {
  return (await groupRows(api)).find((node) => node.group?.id === `topic:${topicId}`);
}

async function papersUnder(api: TestApi, topicId: string): Promise<Node[]> {
  const node = await row(api, topicId);
  return node ? (await children(api, node)).filter((child) => child.kind === 'paper') : [];
}

async function readTopicsFile(): Promise<{ topics: Record<string, unknown>; papers: Record<string, string[]> }> {
  return JSON.parse(decode(await vscode.workspace.fs.readFile(workspaceUri(TOPICS_FILE)))) as { topics: Record<string, unknown>; papers: Record<string, string[]> };
}

const topicsOf = (api: TestApi, key: string) => api.library.getPaper(key)?.topics.join(',');

describe('Topics: the tree by topic, edited by the user', function () {
  this.timeout(60_000);
  let api: TopicsApi;

  before(async () => {
    api = (await getLoadedApi()) as TopicsApi;
    await vscode.workspace.fs.writeFile(workspaceUri(LIBRARY), encode(BIB));
    await vscode.workspace.fs.delete(workspaceUri(TOPICS_FILE)).then(undefined, () => undefined);
  });

  afterEach(closeAllEditors);

  const withLibrary = (body: () => Promise<void>) =>
    withSetting('litnotes', 'library.includeBundled', false, () =>
      withSetting('litnotes', 'library.files', [LIBRARY], async () => {
        await waitFor(() => api.library.getPaper('Ringer2019'), 15_000, 'the JabRef library to load');
        await body();
      }),
    ).finally(() =>
      // The settings are back: the next suite expects the bundled library, not this one.
      waitFor(() => !api.library.getPaper('Ringer2019') && api.library.getPaper('zhou2024treg'), 20_000, 'the bundled library to come back'),
    );

  it("shows the JabRef group tree as topic rows with sub-topics, and a paper's tooltip says why it is there", async () => {
    await withLibrary(async () => {
      const assistants = await waitFor(() => row(api, 'source:Proof assistants'), 10_000, 'the Proof assistants row');
      const item = await api.papersTree.getTreeItem(assistants as never);
      assert.strictEqual(item.description, '3', 'Coq (2) and Lean (1): 3 papers');
      assert.match(String(item.contextValue), /^group topic source$/);
      const subtopics = (await children(api, assistants)).map((node) => node.group?.label);
      assert.deepStrictEqual(subtopics, ['Coq', 'Lean']);
      const [leroy] = (await papersUnder(api, 'source:Proof assistants/Coq')).filter((node) => node.paper?.key === 'Leroy2009');
      assert.ok(leroy);
      assert.strictEqual(api.papersTree.getParent?.(leroy as never), (await row(api, 'source:Proof assistants/Coq')) as never, 'a paper row knows its topic row');
      const tooltip = (await api.papersTree.getTreeItem(leroy as never)).tooltip as vscode.MarkdownString;
      assert.match(tooltip.value, /In "Coq" because your library file says so/);
    });
  });

  it('moves one or many papers to a topic by drag and drop, keeping their other topics, and writes the topics file', async () => {
    await withLibrary(async () => {
      const dragged = await waitFor(async () => {
        const nodes = await papersUnder(api, 'source:Proof repair');
        return nodes.length === 2 && nodes;
      }, 10_000, 'the Proof repair papers');
      const target = await row(api, 'source:Verified systems');
      assert.ok(target);
      const transfer = new vscode.DataTransfer();
      await api.papersView.dragAndDrop.handleDrag?.(dragged, transfer, new vscode.CancellationTokenSource().token);
      assert.strictEqual((transfer.get(MIME)?.value as Node[]).length, 2, 'the dragged rows travel in the transfer');
      await api.papersView.dragAndDrop.handleDrop?.(target, transfer, new vscode.CancellationTokenSource().token);
      await waitFor(() => topicsOf(api, 'Ringer2021') === 'source:Verified systems', 10_000, 'Ringer2021 in Verified systems');
      assert.strictEqual(topicsOf(api, 'Ringer2019'), 'source:Verified systems,source:Proof assistants/Coq', 'it leaves Proof repair only');
      assert.strictEqual(await row(api, 'source:Proof repair'), undefined, 'the emptied topic row goes');
      const file = await readTopicsFile();
      assert.deepStrictEqual(file.papers, { Ringer2019: ['source:Verified systems', 'source:Proof assistants/Coq'], Ringer2021: ['source:Verified systems'] });
      const moved = (await papersUnder(api, 'source:Verified systems')).find((node) => node.paper?.key === 'Ringer2021');
      assert.match(((await api.papersTree.getTreeItem(moved as never)).tooltip as vscode.MarkdownString).value, /because you put it there/);

      // One row, dropped on a paper of another topic: it goes to that paper's topic.
      const klein = (await papersUnder(api, 'source:Verified systems')).find((node) => node.paper?.key === 'Klein2009') as Node;
      const lean = (await papersUnder(api, 'source:Proof assistants/Lean'))[0];
      const one = new vscode.DataTransfer();
      one.set(MIME, new vscode.DataTransferItem([klein]));
      await api.papersView.dragAndDrop.handleDrop?.(lean, one, new vscode.CancellationTokenSource().token);
      await waitFor(() => topicsOf(api, 'Klein2009') === 'source:Proof assistants/Lean', 10_000, 'Klein2009 under Lean');
    });
  });

  it('renames and merges topics by command, creates one, and moves a paper there from the command', async () => {
    await withLibrary(async () => {
      await vscode.commands.executeCommand('litnotes.renameTopic', 'source:Verified systems', 'Verified software');
      await waitFor(async () => (await row(api, 'source:Verified systems'))?.group?.label === 'Verified software', 10_000, 'the renamed row');
      await vscode.commands.executeCommand('litnotes.mergeTopic', 'source:Proof assistants/Lean', 'source:Proof assistants/Coq');
      await waitFor(async () => (await row(api, 'source:Proof assistants/Lean')) === undefined, 10_000, 'the Lean row to go');
      const coq = (await papersUnder(api, 'source:Proof assistants/Coq')).map((node) => node.paper?.key).sort();
      assert.deepStrictEqual(coq, ['Klein2009', 'Leroy2009', 'Moura2021', 'Ringer2019'], 'the Lean papers, and the one placed there, are in Coq');
      await vscode.commands.executeCommand('litnotes.createTopic', undefined, 'Reading group');
      const created = await waitFor(() => row(api, 'user:reading-group'), 10_000, 'the new topic row, empty');
      assert.strictEqual((await api.papersTree.getTreeItem(created as never)).description, '0');
      const leroy = (await papersUnder(api, 'source:Proof assistants/Coq')).find((node) => node.paper?.key === 'Leroy2009') as Node;
      await vscode.commands.executeCommand('litnotes.moveToTopic', leroy, [leroy], 'user:reading-group');
      await waitFor(() => topicsOf(api, 'Leroy2009') === 'user:reading-group,source:Verified systems', 10_000, 'Leroy2009 moved from Coq');
      // A hostile, very long name stays text: no link, no command, no markup, cut for display.
      const hostile = `[Click me](command:x) <img src=x onerror=alert(1)> *x* __init__ ${'long '.repeat(20_000)}`;
      await vscode.commands.executeCommand('litnotes.createTopic', undefined, hostile);
      const hostileRow = await waitFor(async () => (await groupRows(api)).find((node) => node.group?.label.startsWith('[Click me]')), 10_000, 'the hostile topic row');
      const hostileItem = await api.papersTree.getTreeItem(hostileRow as never);
      assert.ok(String(hostileItem.label).length <= 300, 'the row label is shortened');
      const hostileTooltip = (hostileItem.tooltip as vscode.MarkdownString).value;
      assert.ok(hostileTooltip.includes('\\[Click me\\](command:x) \\<img'), hostileTooltip.slice(0, 200));
      assert.doesNotMatch(hostileTooltip, /(?<!\\)\]\(command:|(?<!\\)<img/, 'nothing unescaped');
      assert.strictEqual((hostileItem.tooltip as vscode.MarkdownString).isTrusted, undefined, 'no command runs from the tooltip');
      const file = await readTopicsFile();
      assert.deepStrictEqual(file.topics['source:Verified systems'], { label: 'Verified software' });
      assert.deepStrictEqual(file.topics['source:Proof assistants/Lean'], { mergedInto: 'source:Proof assistants/Coq' });
      assert.deepStrictEqual(file.topics['user:reading-group'], { label: 'Reading group' });

      // A topic row dropped on another becomes its sub-topic; never below itself.
      const reading = (await row(api, 'user:reading-group')) as Node;
      const drag = new vscode.DataTransfer();
      drag.set(MIME, new vscode.DataTransferItem([reading]));
      await api.papersView.dragAndDrop.handleDrop?.(await row(api, 'source:Proof assistants'), drag, new vscode.CancellationTokenSource().token);
      const nested = await waitFor(async () => {
        const found = await row(api, 'user:reading-group');
        return found?.parent?.group?.id === 'topic:source:Proof assistants' && found;
      }, 10_000, 'Reading group under Proof assistants');
      const loop = new vscode.DataTransfer();
      loop.set(MIME, new vscode.DataTransferItem([await row(api, 'source:Proof assistants')]));
      await api.papersView.dragAndDrop.handleDrop?.(nested, loop, new vscode.CancellationTokenSource().token);
      assert.deepStrictEqual((await readTopicsFile()).topics['user:reading-group'], { label: 'Reading group', parent: 'source:Proof assistants' });
      assert.strictEqual((await readTopicsFile()).topics['source:Proof assistants'], undefined, 'a topic does not go below its own sub-topic');
    });
  });

  it('keeps the topics file through a reload of the library and an edit on disk, and never overwrites a broken one unasked', async () => {
    await withLibrary(async () => {
      await vscode.commands.executeCommand('litnotes.refresh');
      await waitFor(() => topicsOf(api, 'Leroy2009') === 'user:reading-group,source:Verified systems', 10_000, 'the decisions after a reload');
      const before = await readTopicsFile();
      // Edited by hand (or by git): the tree follows.
      before.topics['user:reading-group'] = { label: 'Journal club' };
      await vscode.workspace.fs.writeFile(workspaceUri(TOPICS_FILE), encode(JSON.stringify(before)));
      await waitFor(async () => (await row(api, 'user:reading-group'))?.group?.label === 'Journal club', 10_000, 'the hand edit to show');

      const brokenText = '{ "version": 1, "topics": {';
      const messages = stubMessages();
      try {
        await vscode.workspace.fs.writeFile(workspaceUri(TOPICS_FILE), encode(brokenText));
        await waitFor(() => messages.calls.some((call) => /cannot read the topics file/.test(call.message)), 10_000, 'the broken file to be reported');
        assert.strictEqual(topicsOf(api, 'Leroy2009'), 'user:reading-group,source:Verified systems', 'the last good decisions stay');
        await vscode.commands.executeCommand('litnotes.renameTopic', 'user:reading-group', 'Not written');
        assert.ok(messages.calls.some((call) => /Overwrite/.test(call.items.join(' '))), 'asked before writing over it');
        assert.strictEqual(decode(await vscode.workspace.fs.readFile(workspaceUri(TOPICS_FILE))), brokenText, 'dismissed: the file is as it was');
      } finally {
        messages.restore();
      }
      await vscode.workspace.fs.delete(workspaceUri(TOPICS_FILE));
      await waitFor(() => topicsOf(api, 'Leroy2009') === 'source:Proof assistants/Coq,source:Verified systems', 10_000, 'the source topics back with no file');
    });
  });
});

describe('Topics: discovered topics stay put when a paper comes', function () {
  // A whole discovery of 148 titles, then one paper more.
  this.timeout(90_000);
  const FILE = 'library/topics-stable.bib';
  let api: TestApi;
  let text: string;

  before(async () => {
    api = await getLoadedApi();
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    text = fs.readFileSync(path.join(extensionPath, 'test/fixtures/topics/proof-engineering.bib'), 'utf8');
  });

  after(() => vscode.workspace.fs.delete(workspaceUri(FILE)).then(undefined, () => undefined));

  it('adding one paper to the library file places it, and moves no other paper and no topic', async () => {
    const last = text.lastIndexOf('\n@');
    await vscode.workspace.fs.writeFile(workspaceUri(FILE), encode(text.slice(0, last + 1)));
    await withSetting('litnotes', 'library.includeBundled', false, () =>
      withSetting('litnotes', 'library.files', [FILE], async () => {
        await waitFor(() => api.library.papers.length === 148 && api.library.getPaper('klein2006machine'), 30_000, 'the 148 papers to load');
        const before = new Map(api.library.papers.map((paper) => [paper.key, paper.topics.join(',')]));
        const topicsBefore = api.library.topics.map((topic) => `${topic.id}=${topic.label}`);
        assert.ok(api.library.library.topics.filter((topic) => topic.origin === 'discovered').length >= 5, topicsBefore.join('; '));
        await vscode.workspace.fs.writeFile(workspaceUri(FILE), encode(text));
        await waitFor(() => api.library.getPaper('leroy2006formal'), 30_000, 'the paper added to load');
        const added = api.library.getPaper('leroy2006formal')!;
        for (const [key, topics] of before) assert.strictEqual(api.library.getPaper(key)?.topics.join(','), topics, key);
        assert.deepStrictEqual(
          api.library.topics.map((topic) => `${topic.id}=${topic.label}`).filter((topic) => topicsBefore.includes(topic)).length,
          topicsBefore.length,
          'every topic is still there, with its label',
        );
        assert.ok(added.topics.length > 0 && added.topicReasons?.[0].origin === 'discovered', `"${added.title}" joins a discovered topic: ${added.topics.join(', ')}`);
      }),
    );
    // The settings are back: the next suites expect the bundled library alone.
    await waitFor(() => api.library.papers.length === 65 && !api.library.getPaper('leroy2006formal'), 30_000, 'the bundled library back');
  });
});
