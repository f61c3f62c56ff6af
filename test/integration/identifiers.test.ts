import * as assert from 'assert';
import * as vscode from 'vscode';
import { startMetadataDouble, ARXIV_PAPERS, type MetadataDouble } from '../doubles/metadataServer';
import { closeAllEditors, getLoadedApi, stub, stubMessages, waitFor, workspaceUri, type MessageCall, type TestApi } from './helpers';

const BIB = 'library/identifiers.bib';
const JSON_FILE = 'library/identifiers.json';
// The user's own files, with what a hand-kept file has: a comment, odd spacing, a @string, no final newline.
const BIB_TEXT = `% My references, kept by hand
@string{jot = "Journal of Tests"}

@article{mine2020,
  author  = {Mine, Ada},
  title   = {{My} Own Paper},
  journal = jot,
  year    = 2020
}`;
const JSON_TEXT = `[
    {
        "id": "mine2021json",
        "type": "book",
        "title": "A Book of My Own",
        "issued": {"date-parts": [[2021]]}
    }
]
`;

const encode = (text: string) => new TextEncoder().encode(text);
const read = async (file: string) => new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(file)));

/** Workspace settings, which win over the fixture workspace's guard that points the services at a closed port. */
async function setWorkspace(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const configuration = vscode.workspace.getConfiguration('litnotes');
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, configuration.inspect(key)?.workspaceValue]));
  for (const [key, value] of Object.entries(values)) await configuration.update(key, value, vscode.ConfigurationTarget.Workspace);
  return async () => {
    const current = vscode.workspace.getConfiguration('litnotes');
    for (const [key, value] of Object.entries(previous)) await current.update(key, value, vscode.ConfigurationTarget.Workspace);
  };
}

/** Answers the library file picker with the file whose name is given; records every quick pick. */
function pickFile(name: string): { picks: vscode.QuickPickItem[][]; restore: () => void } {
  const picks: vscode.QuickPickItem[][] = [];
  const restore = stub(vscode.window, 'showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => {
    const list = [...(await items)];
    picks.push(list);
    return list.find((item) => item.label.includes(name));
  }) as never);
  return { picks, restore };
}

/** Runs Add Paper by Identifier with its input box dismissed; returns what the box was filled in with. */
async function offeredIdentifiers(): Promise<string | undefined> {
  let offered: string | undefined;
  const restore = stub(vscode.window, 'showInputBox', (async (options?: vscode.InputBoxOptions) => {
    offered = options?.value;
    return undefined;
  }) as typeof vscode.window.showInputBox);
  try {
    await vscode.commands.executeCommand('litnotes.addPaperByIdentifier');
  } finally {
    restore();
  }
  return offered;
}

function messageText(calls: MessageCall[]): string {
  return calls.map((call) => `${call.kind}: ${call.message}`).join('\n');
}

describe('Add Paper by Identifier (against a local double of arXiv, doi.org, Crossref and OpenReview)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let double: MetadataDouble;
  let restoreSettings: () => Promise<void>;

  before(async () => {
    api = await getLoadedApi();
    double = await startMetadataDouble();
    await vscode.workspace.fs.writeFile(workspaceUri(BIB), encode(BIB_TEXT));
    await vscode.workspace.fs.writeFile(workspaceUri(JSON_FILE), encode(JSON_TEXT));
    restoreSettings = await setWorkspace({
      'library.files': [BIB, JSON_FILE],
      'identifiers.arxivApi': double.endpoints.arxivApi,
      'identifiers.doiResolver': double.endpoints.doiResolver,
      'identifiers.crossrefApi': double.endpoints.crossrefApi,
      'identifiers.openReviewApi': double.endpoints.openReviewApi,
    });
    await waitFor(() => api.library.getPaper('mine2020') && api.library.getPaper('mine2021json'), 15_000, 'the two library files to load');
  });

  after(async () => {
    await restoreSettings?.();
    await double?.close();
  });

  afterEach(closeAllEditors);

  it('adds several identifiers at once to a BibTeX file without touching the rest, then reveals and opens the first', async () => {
    const messages = stubMessages();
    const picker = pickFile('identifiers.bib');
    try {
      await vscode.commands.executeCommand('litnotes.addPaperByIdentifier', 'arXiv:2501.01234v2\nhttps://aclanthology.org/2024.acl-long.123/ , math.GT/0309136');
    } finally {
      picker.restore();
      messages.restore();
    }
    assert.deepStrictEqual(picker.picks[0].map((item) => item.description), [BIB, JSON_FILE], 'the .bib and .json files are offered');
    assert.match(messageText(messages.calls), /^information: Lit Notes: Added lovelace2025credit, sparckjones2024turnlevel, noether2003knots to identifiers\.bib\.$/);
    const text = await read(BIB);
    assert.ok(text.startsWith(`${BIB_TEXT}\n\n@misc{lovelace2025credit,\n`), 'the file is kept byte for byte and the entries follow a blank line');
    assert.match(text, /@inproceedings\{sparckjones2024turnlevel,[\s\S]*booktitle = \{Proceedings of the 62nd Annual Meeting/);
    assert.match(text, /@misc\{noether2003knots,[\s\S]*eprint = \{math\/0309136\}/);
    for (const key of ['lovelace2025credit', 'sparckjones2024turnlevel', 'noether2003knots']) await waitFor(() => api.library.getPaper(key), 10_000, `${key} in the library`);
    assert.ok((api.library.getPaper('lovelace2025credit')?.topics.length ?? 0) > 0, 'a paper on credit assignment gets a topic');
    const lovelace = api.library.getPaper('lovelace2025credit');
    assert.strictEqual(lovelace?.arxivId, '2501.01234');
    assert.match(lovelace?.abstract ?? '', /^Reinforcement learning for language agents assigns one reward/, 'the abstract is written and read back');
    assert.match(text, /keywords = \{cs.LG, cs.AI\}/);
    assert.strictEqual(api.detailPanels.currentKey, 'lovelace2025credit', 'the first new paper is open in its panel');
    const arxivCalls = double.requests.filter((request) => request.url.startsWith('/arxiv/'));
    assert.strictEqual(arxivCalls.length, 1, 'both arXiv ids in one call');
    assert.match(arxivCalls[0].userAgent ?? '', /^LitNotes\/\d+\.\d+\.\d+ \(VS Code extension Lit Notes;/);
  });

  it('appends to a CSL-JSON file keeping its four-space indentation and every item before', async () => {
    const messages = stubMessages();
    const picker = pickFile('identifiers.json');
    try {
      await vscode.commands.executeCommand('litnotes.addPaperByIdentifier', 'https://openreview.net/forum?id=Hk3aB9xYz0 https://doi.org/10.1145/3650000.3650001');
    } finally {
      picker.restore();
      messages.restore();
    }
    assert.match(messageText(messages.calls), /Added liskov2024exploration, johnson2024learning to identifiers\.json\./);
    const text = await read(JSON_FILE);
    assert.ok(text.startsWith(JSON_TEXT.slice(0, JSON_TEXT.lastIndexOf('}') + 1)), 'the items before are untouched');
    assert.ok(text.includes(',\n    {\n        "id": "liskov2024exploration",\n        "type": "paper-conference",'), text);
    const items = JSON.parse(text) as { id: string; title: string; 'container-title'?: string }[];
    assert.deepStrictEqual(items.map((item) => item.id), ['mine2021json', 'liskov2024exploration', 'johnson2024learning']);
    assert.strictEqual(items[2].title, 'Learning to Assign Credit: A Survey for Practitioners', 'the DOI resolver had no CSL-JSON: Crossref answered');
    await waitFor(() => api.library.getPaper('johnson2024learning'), 10_000, 'the CSL-JSON papers in the library');
    assert.strictEqual(api.library.getPaper('liskov2024exploration')?.venue, 'The Twelfth International Conference on Learning Representations');
  });

  it('names papers already in the library instead of adding them twice, without asking any service', async () => {
    const before = double.requests.length;
    const messages = stubMessages();
    try {
      await vscode.commands.executeCommand('litnotes.addPaperByIdentifier', 'https://arxiv.org/abs/2412.02685v1, 10.48550/arXiv.2501.01234, 10.18653/v1/2024.acl-long.123');
    } finally {
      messages.restore();
    }
    assert.strictEqual(double.requests.length, before, 'nothing was fetched');
    assert.match(
      messageText(messages.calls),
      /^information: Lit Notes: Already in your library: https:\/\/arxiv\.org\/abs\/2412\.02685v1 \(zhou2024treg, same arXiv id\); 10\.48550\/arXiv\.2501\.01234 \(lovelace2025credit, same arXiv id\); 10\.18653\/v1\/2024\.acl-long\.123 \(sparckjones2024turnlevel, same DOI\)\.$/,
    );
    assert.deepStrictEqual(messages.calls[0].items, ['Show Paper']);
  });

  it('says for each identifier what went wrong and still adds the others; hostile text stays text', async () => {
    const before = await read(BIB);
    const messages = stubMessages();
    const picker = pickFile('identifiers.bib');
    try {
      await vscode.commands.executeCommand('litnotes.addPaperByIdentifier', '2501.99999, 10.9999/nothing, 10.5555/server-error, 2502.04321');
    } finally {
      picker.restore();
      messages.restore();
    }
    const [call] = messages.calls;
    assert.strictEqual(call.kind, 'warning');
    assert.match(call.message, /^Lit Notes: Added bevilb2025img to identifiers\.bib\. Could not add /);
    assert.match(call.message, /arXiv:2501\.99999: arXiv has no paper with this id/);
    assert.match(call.message, /DOI 10\.9999\/nothing: no such DOI \(the DOI resolver answered 404\)/);
    assert.match(call.message, /DOI 10\.5555\/server-error: 127\.0\.0\.1:\d+ answered 500 \(Internal Server Error\); Crossref: 127\.0\.0\.1:\d+ answered 500/);
    assert.deepStrictEqual(call.items, ['Show Log']);
    const text = await read(BIB);
    assert.ok(text.startsWith(before));
    const hostile = await waitFor(() => api.library.getPaper('bevilb2025img'), 10_000, 'the hostile paper in the library');
    assert.strictEqual(hostile.title, ARXIV_PAPERS.find((paper) => paper.id === '2502.04321')?.title, 'the title is kept as text');
    assert.ok(text.includes('\\_\\_init\\_\\_') && text.includes('\\$(alert)'), 'LaTeX specials are escaped in the entry');
  });

  it('never writes into a library file that does not parse', async () => {
    const broken = '[\n  {"id": "a", "type": "book"\n  {"id": "b"}\n]\n';
    await vscode.workspace.fs.writeFile(workspaceUri(JSON_FILE), encode(broken));
    const messages = stubMessages();
    const picker = pickFile('identifiers.json');
    try {
      await vscode.commands.executeCommand('litnotes.addPaperByIdentifier', '2309.05678');
    } finally {
      picker.restore();
      messages.restore();
    }
    assert.strictEqual(await read(JSON_FILE), broken, 'the broken file is left as it was');
    assert.match(messageText(messages.calls), /^error: Lit Notes: identifiers\.json is not valid JSON at line 3 .*left as it is/);
  });

  it('fills the input box in with the identifiers of the selection in a Markdown note, and adds from the selection', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Read [this one](https://arxiv.org/abs/2309.05678v3) next, and doi:10.1101/2024.02.01.578000.' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, document.lineAt(0).text.length);
    assert.strictEqual(await offeredIdentifiers(), 'https://arxiv.org/abs/2309.05678v3, doi:10.1101/2024.02.01.578000');
    const messages = stubMessages();
    const picker = pickFile('identifiers.bib');
    try {
      await vscode.commands.executeCommand('litnotes.addPapersFromSelection');
    } finally {
      picker.restore();
      messages.restore();
    }
    assert.match(messageText(messages.calls), /Added hopper2024reward, franklin2024dopamine to identifiers\.bib\./);
    await waitFor(() => api.library.getPaper('hopper2024reward') && api.library.getPaper('franklin2024dopamine'), 10_000, 'the papers of the selection in the library');
    assert.match(await read(BIB), /@article\{hopper2024reward,\n {2}title = \{Reward Shaping Without Regret\},[\s\S]*journal = \{Journal of Machine Learning Research 25 \(2024\) 1-30\}/);
  });

  it('fills the input box in from the clipboard when nothing is selected', async () => {
    await vscode.env.clipboard.writeText('As in https://openreview.net/forum?id=Hk3aB9xYz0 (ICLR).');
    try {
      assert.strictEqual(await offeredIdentifiers(), 'https://openreview.net/forum?id=Hk3aB9xYz0');
    } finally {
      await vscode.env.clipboard.writeText('');
    }
  });

  it('adds nothing when the progress notification is cancelled', async () => {
    const before = await read(BIB);
    // An answer that would come long after the client's own 20-second timeout.
    double.delayMs = 60_000;
    const restoreProgress = stub(vscode.window, 'withProgress', (async (_options: vscode.ProgressOptions, task: (progress: vscode.Progress<unknown>, token: vscode.CancellationToken) => Promise<unknown>) => {
      const source = new vscode.CancellationTokenSource();
      setTimeout(() => source.cancel(), 300);
      return task({ report: () => undefined }, source.token);
    }) as never);
    const messages = stubMessages();
    const picker = pickFile('identifiers.bib');
    const started = Date.now();
    try {
      await vscode.commands.executeCommand('litnotes.addPaperByIdentifier', '10.9999/never-answered');
    } finally {
      double.delayMs = 0;
      picker.restore();
      messages.restore();
      restoreProgress();
    }
    // Stopped by the cancellation: neither the answer nor the client's timeout came first.
    assert.ok(Date.now() - started < 15_000, `the lookup stopped after ${Date.now() - started} ms`);
    assert.match(messageText(messages.calls), /^information: Lit Notes: cancelled; nothing was added or changed\.$/);
    assert.strictEqual(await read(BIB), before);
  });

  it('Update Paper Metadata shows what a new arXiv version changes and writes only what was ticked', async () => {
    const paper = ARXIV_PAPERS.find((candidate) => candidate.id === '2501.01234');
    assert.ok(paper);
    double.setArxivPaper({ ...paper, version: 3, journalRef: 'Journal of Tests 7 (2025) 1-9', doi: '10.1234/jot.2025.7' });
    const before = await read(BIB);
    const offered: vscode.QuickPickItem[] = [];
    const restore = stub(vscode.window, 'showQuickPick', (async (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
      assert.strictEqual(options?.canPickMany, true);
      offered.push(...(await items));
      return offered.filter((item) => item.label !== 'doi');
    }) as never);
    const messages = stubMessages();
    try {
      await vscode.commands.executeCommand('litnotes.updatePaperMetadata', 'lovelace2025credit');
    } finally {
      restore();
      messages.restore();
    }
    assert.deepStrictEqual(
      offered.map((item) => [item.label, item.description]),
      [
        ['entry type', '@misc → @article'],
        ['journal', '(none) → Journal of Tests 7 (2025) 1-9'],
        ['version', '2 → 3'],
        ['doi', '10.48550/arXiv.2501.01234 → 10.1234/jot.2025.7'],
      ],
    );
    assert.ok(offered.every((item) => item.picked), 'every change is ticked at first');
    assert.match(messageText(messages.calls), /updated 3 fields of "lovelace2025credit" in identifiers\.bib/);
    const after = await read(BIB);
    const start = before.indexOf('@misc{lovelace2025credit,');
    assert.strictEqual(after.slice(0, start), before.slice(0, start), 'everything before the entry is kept');
    const entry = after.slice(start);
    assert.match(entry, /^@article\{lovelace2025credit,/);
    assert.match(entry, /doi = \{10\.48550\/arXiv\.2501\.01234\},/, 'the unticked DOI stays');
    assert.match(entry, /journal = \{Journal of Tests 7 \(2025\) 1-9\}/);
    assert.match(entry, /version = \{3\}/);
    await waitFor(() => api.library.getPaper('lovelace2025credit')?.venue === 'Journal of Tests 7 (2025) 1-9', 10_000, 'the updated venue in the library');
  });

  it('contacted only the double on 127.0.0.1', () => {
    assert.ok(double.requests.length > 0);
    assert.match(double.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
