import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  contributedCommands,
  getLoadedApi,
  openEditor,
  runAndDismiss,
  watchClipboard,
  stubMessages,
  stubOpenExternal,
  withSetting,
} from './helpers';

const KEY = 'zhou2024archer';

describe('Commands', () => {
  before(async () => {
    await getLoadedApi();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  it('contributes the documented commands under the "Lit Notes" category', () => {
    const contributed = contributedCommands().map((c) => c.command);
    for (const id of [
      'litnotes.searchPapers',
      'litnotes.insertCitation',
      'litnotes.insertBibliography',
      'litnotes.openCodeRepository',
      'litnotes.showPaper',
      'litnotes.copyCitationKey',
      'litnotes.copyBibtex',
      'litnotes.openArxiv',
      'litnotes.openPdf',
      'litnotes.openHuggingFace',
      'litnotes.groupBy',
      'litnotes.refresh',
      'litnotes.chooseCitationStyle',
      'litnotes.revealTopic',
    ]) {
      assert.ok(contributed.includes(id), `${id} is not contributed in package.json`);
    }
  });

  it('registers every command contributed in package.json', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands().map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('runs every contributed command without throwing', async function () {
    this.timeout(120_000);
    const api = await getLoadedApi();
    const topic = api.library.getPaper(KEY)?.topics[0];
    const messages = stubMessages();
    const external = stubOpenExternal();
    const failures: string[] = [];
    try {
      await openEditor('notes', 'reading-log.md');
      for (const { command } of contributedCommands()) {
        const args = command === 'litnotes.revealTopic' ? [topic] : commandTakesKey(command) ? [KEY] : [];
        try {
          await runAndDismiss(command, ...args);
        } catch (error) {
          failures.push(`${command}(${args.join(', ')}): ${error instanceof Error ? error.message : String(error)}`);
        }
        const errors = messages.calls.filter((call) => call.kind === 'error');
        if (errors.length) failures.push(`${command} showed an error: ${errors.map((e) => e.message).join('; ')}`);
        messages.calls.length = 0;
      }
    } finally {
      external.restore();
      messages.restore();
    }
    assert.deepStrictEqual(failures, []);
  });

  it('copies the citation key and the BibTeX entry of a paper', async () => {
    const clipboard = await watchClipboard();
    const messages = stubMessages();
    try {
      await vscode.commands.executeCommand('litnotes.copyCitationKey', KEY);
      assert.ok((await clipboard.read()).includes(KEY), `clipboard has ${JSON.stringify(await clipboard.read())}`);
      await vscode.commands.executeCommand('litnotes.copyBibtex', KEY);
      assert.match(await clipboard.read(), new RegExp(`^@\\w+\\{${KEY},`, 'm'));
    } finally {
      messages.restore();
    }
  });

  it('copies the citation as plain text, as the style writes it, without Markdown escapes', async function () {
    this.timeout(60_000);
    const api = await getLoadedApi();
    const paper = api.library.getPaper(KEY);
    assert.ok(paper?.record);
    const title = 'ArCHer: [Training](command:x) __init__ *agents* & <img src=x onerror=alert(1)> at 100% $x$';
    const original = api.library.library;
    api.library.replace({ ...original, papers: original.papers.map((p) => (p.key === KEY ? { ...p, title, record: { ...p.record!, title } } : p)) });
    const clipboard = await watchClipboard();
    const messages = stubMessages();
    const copy = async (format: string, style: string) =>
      withSetting('litnotes', 'citation.format', format, () =>
        withSetting('litnotes', 'citation.cslStyle', style, async () => {
          await vscode.commands.executeCommand('litnotes.copyCitation', KEY);
          return clipboard.read();
        }),
      );
    try {
      const apa = await copy('csl', 'apa');
      assert.ok(apa.startsWith('Zhou, Y., Zanette, A., Pan, J., Levine, S., & Kumar, A. (2024). ArCHer: [Training](command:x) __init__ *agents* & <img src=x onerror=alert(1)> at 100% $x$.'), apa);
      assert.ok(apa.endsWith('https://arxiv.org/abs/2402.19446'), apa);
      assert.doesNotMatch(apa, /\\/, 'no Markdown escapes');
      const ieee = await copy('csl', 'ieee');
      assert.ok(ieee.startsWith('[1] Y. Zhou, A. Zanette, J. Pan, S. Levine, and A. Kumar, “ArCHer: [Training](command:x)'), ieee);
      assert.strictEqual(await copy('cslInText', 'apa'), '(Zhou et al., 2024)');
      assert.strictEqual(await copy('cslInText', 'ieee'), '[1]');
      assert.strictEqual(await copy('pandoc', 'apa'), `[@${KEY}]`);
    } finally {
      messages.restore();
      api.library.replace(original);
    }
  });

  it('opens the arXiv, PDF and Hugging Face pages of a paper as https addresses', async () => {
    const external = stubOpenExternal();
    try {
      for (const command of ['litnotes.openArxiv', 'litnotes.openPdf', 'litnotes.openHuggingFace']) {
        await vscode.commands.executeCommand(command, KEY);
      }
      assert.strictEqual(external.calls.length, 3, `opened ${external.calls.map(String).join(', ')}`);
      for (const uri of external.calls) assert.strictEqual(uri.scheme, 'https');
    } finally {
      external.restore();
    }
  });
});

function commandTakesKey(command: string): boolean {
  return [
    'litnotes.showPaper',
    'litnotes.openCodeRepository',
    'litnotes.copyCitationKey',
    'litnotes.copyBibtex',
    'litnotes.copyCitation',
    'litnotes.openArxiv',
    'litnotes.openPdf',
    'litnotes.openHuggingFace',
  ].includes(command);
}
