import * as assert from 'assert';
import * as vscode from 'vscode';
import { ZoteroDouble } from '../doubles/zoteroServer';
import { closeAllEditors, getLoadedApi, stub, stubMessages, waitFor, workspaceUri, type TestApi, type TreeNode } from './helpers';

/** What the Papers view shows: group labels with their papers' titles. */
async function tree(api: TestApi): Promise<Map<string, string[]>> {
  const groups = ((await api.papersTree.getChildren()) ?? []) as TreeNode[];
  const shown = new Map<string, string[]>();
  for (const group of groups) {
    if (group.kind !== 'group') continue;
    const papers = ((await api.papersTree.getChildren(group)) ?? []) as TreeNode[];
    shown.set(group.group.label, papers.flatMap((node) => (node.kind === 'paper' ? [node.paper.title] : [])));
  }
  return shown;
}

const settings = () => vscode.workspace.getConfiguration('litnotes');

describe('Zotero as a live library (a local double of Zotero 7`s API)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let double: ZoteroDouble;
  let reading: string;
  let rl: string;
  let annotated: string;
  let edited: string;

  before(async () => {
    api = await getLoadedApi();
    double = await ZoteroDouble.start();
    reading = double.addCollection('Reading');
    rl = double.addCollection('RL', reading);
    annotated = double.addItem(
      'journalArticle',
      {
        title: 'Annotated Paper on Credit Assignment',
        creators: [{ creatorType: 'author', firstName: 'Ada', lastName: 'Annotator' }],
        date: '2023-04-01',
        publicationTitle: 'Journal of Tests',
        tags: [{ tag: 'zotero-tag' }],
      },
      [rl],
    );
    edited = double.addItem('conferencePaper', { title: 'A Title Edited in Zotero', creators: [{ creatorType: 'author', firstName: 'Eve', lastName: 'Editor' }], date: '2022', proceedingsTitle: 'Proceedings of Tests' }, [reading]);
    const pdf = double.addAttachment(annotated);
    double.addAnnotation(pdf, { type: 'highlight', text: 'Credit goes where it is due. [Click me](command:workbench.action.terminal.new)', comment: 'Key claim', pageIndex: 2, pageLabel: '3' });
    double.addAnnotation(pdf, { type: 'note', comment: 'A note on the first page', color: '#ff6666', pageIndex: 0, pageLabel: '1' });
    double.addAnnotation(pdf, { type: 'image', comment: 'Figure 1', color: '#5fb236', pageIndex: 1, pageLabel: '2' });
    await settings().update('zotero.url', double.url, vscode.ConfigurationTarget.Global);
    await settings().update('tree.groupBy', 'collection', vscode.ConfigurationTarget.Global);
    await settings().update('zotero.enabled', true, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    assert.deepEqual([...double.methods], ['GET'], 'nothing but GET was sent: nothing is written to Zotero');
    await settings().update('zotero.enabled', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('zotero.url', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('tree.groupBy', undefined, vscode.ConfigurationTarget.Global);
    await double.stop();
    await closeAllEditors();
  });

  it('shows the Zotero items in the tree by collection, parents first, with when Zotero was synced', async () => {
    const shown = await waitFor(async () => {
      const groups = await tree(api);
      return groups.has('Reading › RL') && groups;
    }, 20_000, 'the Zotero collections in the tree');
    assert.deepEqual(shown.get('Reading › RL'), ['Annotated Paper on Credit Assignment']);
    assert.deepEqual(shown.get('Reading'), ['A Title Edited in Zotero']);
    assert.ok(shown.get('In no collection')?.length, 'the bundled papers are in no collection');
    const labels = [...shown.keys()];
    assert.ok(labels.indexOf('Reading') < labels.indexOf('Reading › RL'));
    const zotero = (api as unknown as { zotero: { statusLine(): string | undefined } }).zotero;
    await waitFor(() => /^Zotero: \d+ items, synced at \d/.test(zotero.statusLine() ?? ''), 20_000, 'the Papers view to say when Zotero was last synced');
    const paper = api.library.papers.find((entry) => entry.title === 'Annotated Paper on Credit Assignment');
    assert.deepEqual([paper?.key, paper?.tags, paper?.zotero?.key], ['annotator2023annotated', ['zotero-tag'], annotated]);
    // The collections are topics of the library too, sub-collections under their parents.
    assert.deepEqual(paper?.topics, ['source:Reading/RL']);
    const topic = api.library.library.topics.find((entry) => entry.id === 'source:Reading/RL');
    assert.deepEqual([topic?.label, topic?.parent, topic?.origin], ['RL', 'source:Reading', 'source']);
    assert.deepEqual(api.library.papers.find((entry) => entry.title === 'A Title Edited in Zotero')?.topics, ['source:Reading']);
  });

  it('Update Paper Metadata on a Zotero item says to update it in Zotero, and sends Zotero nothing', async () => {
    const messages = stubMessages();
    try {
      await vscode.commands.executeCommand('litnotes.updatePaperMetadata', 'annotator2023annotated');
      assert.deepEqual(
        messages.calls.map((call) => call.message),
        ['"annotator2023annotated" is not in one of your .bib or .json library files (it comes from Zotero: update it there), so there is no entry of yours to update.'],
      );
    } finally {
      messages.restore();
    }
  });

  // "Within 5 seconds" is a poll every 3 s plus one round (the benchmark times a round: bench/zotero.ts).
  // Wall time on a busy test machine says little, so the test counts rounds: a change made in Zotero
  // shows after the first round that starts after it, or the second if one was under way.
  const rounds = () => double.requests.filter((target) => /^\/api\/users\/0\/items\/top\?(?=.*format=versions)/.test(target)).length;
  async function seenWithinRounds(probe: () => Promise<unknown> | unknown, what: string): Promise<void> {
    const before = rounds();
    await waitFor(probe, 30_000, what);
    const taken = rounds() - before;
    assert.ok(taken <= 2, `${what}: seen after ${taken} rounds of polling`);
  }

  it('shows a change made in Zotero at its next poll (within 5 seconds), in the tree and the open panel: an edited title, a new item, a move, the trash, a deletion', async () => {
    api.detailPanels.show('editor2022title');
    const panelTitle = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).some((tab) => tab.label === 'A Title Edited in Zotero, Again');
    double.editItem(edited, { title: 'A Title Edited in Zotero, Again' });
    const added = double.addItem('book', { title: 'A Book Added in Zotero', date: '2021' }, [rl]);
    await seenWithinRounds(async () => {
      const groups = await tree(api);
      return groups.get('Reading')?.includes('A Title Edited in Zotero, Again') && groups.get('Reading › RL')?.includes('A Book Added in Zotero') && panelTitle();
    }, 'the edit and the new item in the tree and the open panel');
    assert.ok(api.library.getPaper('editor2022title'), 'the key stays with the item after its title changed');

    double.moveItem(added, rl, reading);
    double.trashItem(edited);
    await seenWithinRounds(async () => {
      const groups = await tree(api);
      const inReading = groups.get('Reading') ?? [];
      return inReading.includes('A Book Added in Zotero') && !inReading.includes('A Title Edited in Zotero, Again');
    }, 'the move and the trash in the tree');

    const doomed = double.addItem('book', { title: 'Soon Deleted for Good', date: '2020' }, [reading]);
    await seenWithinRounds(async () => (await tree(api)).get('Reading')?.includes('Soon Deleted for Good'), 'the item to be deleted');
    double.deleteItem(doomed);
    await seenWithinRounds(
      async () => !(await tree(api)).get('Reading')?.includes('Soon Deleted for Good') && !api.library.papers.some((paper) => paper.title === 'Soon Deleted for Good'),
      'the deletion in the tree and the library',
    );
  });

  it('Import Annotations writes them into the paper`s literature note, keeps the user`s lines, and asks before touching an edited section', async () => {
    const key = 'annotator2023annotated';
    const note = workspaceUri('notes', `${key}.md`);
    const messages = stubMessages((call) => (call.items.includes('Add the 1 New Only') ? 'Add the 1 New Only' : undefined));
    try {
      await vscode.commands.executeCommand('litnotes.importAnnotations', key);
      const first = new TextDecoder().decode(await vscode.workspace.fs.readFile(note));
      assert.match(first, /^---\ncitekey: "annotator2023annotated"/, 'the note was made from the note template');
      const section = first.slice(first.indexOf('## Annotations from Zotero'));
      const order = ['A note on the first page', 'Figure 1', 'Credit goes where it is due'].map((text) => section.indexOf(text));
      assert.ok(order.every((index, position) => index > 0 && (position === 0 || index > order[position - 1])), `reading order:\n${section}`);
      assert.match(section, /\\\[Click me\\\]\(command:workbench\.action\.terminal\.new\)/, 'the quote is escaped');
      assert.match(section, /Yellow highlight · \[@annotator2023annotated, p\. 3\] · \[Open in Zotero\]\(zotero:\/\/open-pdf\/library\/items\/[A-Z0-9]{8}\?page=3&annotation=[A-Z0-9]{8}\)/);

      // The user writes around it; Zotero gets a new annotation; importing again keeps the user's lines.
      const mine = `${first.replace('In my own words: what the paper does and why it matters.', 'My summary, by hand.')}\nMy closing line.\n`;
      await rewrite(note, mine);
      const pdf = (await childrenOf(double, annotated))[0];
      double.addAnnotation(pdf, { type: 'underline', text: 'Underlined later', pageIndex: 4, pageLabel: '5' });
      await vscode.commands.executeCommand('litnotes.importAnnotations', key);
      const second = new TextDecoder().decode(await vscode.workspace.fs.readFile(note));
      assert.ok(second.includes('My summary, by hand.') && second.endsWith('\nMy closing line.\n'), 'the user`s lines are kept');
      assert.match(second, /Underlined later/);

      // A hand edit inside the section: the command asks, and "Add … New Only" keeps the edit.
      const handEdited = second.replace('Figure 1', 'Figure 1, with my thought');
      await rewrite(note, handEdited);
      double.addAnnotation(pdf, { type: 'highlight', text: 'One more', pageIndex: 5, pageLabel: '6' });
      await vscode.commands.executeCommand('litnotes.importAnnotations', vscode.Uri.file(note.fsPath));
      const third = new TextDecoder().decode(await vscode.workspace.fs.readFile(note));
      assert.ok(messages.calls.some((call) => /changed by hand/.test(call.message)), 'it asked first');
      assert.ok(third.includes('Figure 1, with my thought') && third.includes('One more'));
    } finally {
      messages.restore();
    }
  });

  it('Import Annotations writes through the user`s annotation template and colour labels', async () => {
    const key = double.addItem('book', { title: 'Templated Annotations', creators: [{ creatorType: 'author', firstName: 'Tim', lastName: 'Plate' }], date: '2021' }, [reading]);
    const pdf = double.addAttachment(key);
    double.addAnnotation(pdf, { type: 'highlight', text: 'A *marked* passage', comment: 'Why it matters', color: '#ff6666', pageIndex: 6, pageLabel: 'vii' });
    double.addAnnotation(pdf, { type: 'underline', text: 'An underlined one', color: '#123456', pageIndex: 7, pageLabel: '8' });
    const template = workspaceUri('annotation-template.md');
    await vscode.workspace.fs.writeFile(template, new TextEncoder().encode('- {{colorLabel}} ({{type}}, {{page}}): {{quote}} — {{comment}} {{citation}} {{nonsense}}\n'));
    await settings().update('zotero.annotationTemplate', 'annotation-template.md', vscode.ConfigurationTarget.Global);
    await settings().update('zotero.annotationColors', { '#ff6666': '#important' }, vscode.ConfigurationTarget.Global);
    const messages = stubMessages();
    try {
      await waitFor(() => api.library.getPaper('plate2021templated'), 20_000, 'the new item in the library');
      await vscode.commands.executeCommand('litnotes.importAnnotations', 'plate2021templated');
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri('notes', 'plate2021templated.md')));
      const section = text.slice(text.indexOf('## Annotations from Zotero'));
      assert.match(section, /- #important \(highlight, vii\): A \\\*marked\\\* passage — Why it matters \[@plate2021templated, p\. vii\] \{\{nonsense\}\}/, section);
      assert.match(section, /- \\#123456 \(underline, 8\): An underlined one/, 'a colour without a label is written as its code');
      assert.ok(messages.calls.some((call) => /\{\{nonsense\}\} \(line 1\)/.test(call.message)), 'the unknown placeholder is named');
    } finally {
      messages.restore();
      await settings().update('zotero.annotationTemplate', undefined, vscode.ConfigurationTarget.Global);
      await settings().update('zotero.annotationColors', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(template);
    }
  });

  it('tells once, in words, how to turn on the local API, and keeps the copy in the tree', async () => {
    const messages = stubMessages();
    try {
      double.setEnabled(false);
      await waitFor(() => messages.calls.some((call) => /Settings → Advanced/.test(call.message) && /Allow other applications on this computer to communicate with Zotero/.test(call.message)), 10_000, 'the how-to message');
      await new Promise((resolve) => setTimeout(resolve, 4000));
      assert.equal(messages.calls.filter((call) => /local API is off/.test(call.message)).length, 1, 'told once');
      const groups = await tree(api);
      assert.ok(groups.get('Reading')?.includes('A Book Added in Zotero'), 'the copy stays');
    } finally {
      double.setEnabled(true);
      messages.restore();
    }
  });
  it('shows a progress notification while a first sync reads a large library, then its papers', async () => {
    const large = await ZoteroDouble.start();
    const reports: string[] = [];
    const titles: string[] = [];
    const restore = stub(vscode.window, 'withProgress', (async (options: vscode.ProgressOptions, task: (progress: vscode.Progress<{ message?: string }>) => Promise<unknown>) => {
      titles.push(String(options.title));
      return task({ report: (value) => reports.push(value.message ?? '') });
    }) as unknown as typeof vscode.window.withProgress);
    try {
      large.generate(1200, 3);
      await settings().update('zotero.url', large.url, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.library.papers.filter((paper) => paper.zotero).length >= 1200, 30_000, 'the 1,200 papers');
      assert.deepEqual(titles, ['Lit Notes: reading the Zotero library']);
      assert.ok(reports.includes('500 of 1,200 items') && reports.includes('1,200 of 1,200 items'), reports.join(' | '));
    } finally {
      restore();
      await settings().update('zotero.url', double.url, vscode.ConfigurationTarget.Global);
      await large.stop();
    }
  });
});

/** The user edits the whole note in the editor and saves it. */
async function rewrite(uri: vscode.Uri, text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await document.save());
}

/** The attachment keys of an item in the double, read through its API as the extension does. */
async function childrenOf(double: ZoteroDouble, key: string): Promise<string[]> {
  const response = await fetch(`${double.url}/api/users/0/items/${key}/children`, { headers: { 'Zotero-Allowed-Request': '1' } });
  const children = (await response.json()) as { key: string; data: { itemType: string } }[];
  return children.filter((child) => child.data.itemType === 'attachment').map((child) => child.key);
}
