import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Library, Paper } from '../../src/core/model';
import { getLoadedApi, stubMessages, stubOpenExternal, type TestApi } from './helpers';

const HOSTILE = [
  'javascript:alert(1)',
  'file:///etc/passwd',
  'command:workbench.action.quit',
  'vscode://litnotes.litnotes/x',
  ' javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  'https://user:secret@example.com/',
];

describe('Opening links from paper data', () => {
  let api: TestApi;
  let original: Library;

  before(async () => {
    api = await getLoadedApi();
    original = api.library.library;
  });

  afterEach(() => {
    api.library.replace(original);
  });

  function withCodeLink(url: string): Paper {
    const base = api.library.getPaper('zhou2024archer')!;
    return { ...base, key: 'hostile2099link', title: 'A paper with a hostile link', links: { ...base.links, code: url } };
  }

  it('opens an http(s) code repository (positive control)', async () => {
    api.library.replace({ ...original, papers: [...original.papers, withCodeLink('https://example.com/repo')] });
    const external = stubOpenExternal();
    const messages = stubMessages();
    try {
      await vscode.commands.executeCommand('litnotes.openCodeRepository', 'hostile2099link');
      assert.deepStrictEqual(external.calls.map(String), ['https://example.com/repo']);
    } finally {
      messages.restore();
      external.restore();
    }
  });

  for (const url of HOSTILE) {
    it(`refuses to open ${JSON.stringify(url)}`, async () => {
      api.library.replace({ ...original, papers: [...original.papers, withCodeLink(url)] });
      const external = stubOpenExternal();
      const messages = stubMessages();
      const opened: unknown[] = [];
      try {
        await vscode.commands.executeCommand('litnotes.openCodeRepository', 'hostile2099link').then(undefined, (error) => opened.push(`rejected: ${error}`));
        assert.deepStrictEqual(external.calls.map(String), [], 'openExternal was called');
      } finally {
        messages.restore();
        external.restore();
      }
    });
  }
});
