import * as assert from 'assert';
import { LINK_KINDS } from '../../src/core/links';
import type { Paper, Topic } from '../../src/core/model';
import { contentSecurityPolicy, detailHtml } from '../../src/webview/detailHtml';
import { shortTitle, toPaperView } from '../../src/webview/paperView';
import { parseWebviewMessage, parseWebviewState } from '../../src/webview/protocol';

const topics: Topic[] = [{ id: 'diffusion', label: 'Diffusion', description: 'Diffusion models' }];

function paper(overrides: Partial<Paper> = {}): Paper {
  return {
    key: 'zhou2024treg',
    title: 'TReg: Text Regularisation for Diffusion',
    abstract: 'We regularise.',
    authors: [{ given: 'Ada', family: 'Zhou' }, { given: '', family: 'OpenAI' }],
    authorCount: 5,
    year: 2024,
    links: {},
    topics: ['diffusion', 'gone'],
    ...overrides,
  };
}

describe('webview protocol', () => {
  it('accepts the known messages', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'command', command: 'copyBibtex', key: 'other' }), {
      type: 'command',
      command: 'copyBibtex',
    });
    for (const kind of LINK_KINDS) {
      assert.deepStrictEqual(parseWebviewMessage({ type: 'openLink', kind, url: 'https://elsewhere.example' }), { type: 'openLink', kind });
    }
    assert.deepStrictEqual(parseWebviewMessage({ type: 'revealTopic', topicId: 'diffusion' }), {
      type: 'revealTopic',
      topicId: 'diffusion',
    });
  });

  it('rejects malformed and unknown messages', () => {
    for (const data of [
      null,
      'ready',
      {},
      { type: 'navigate', url: 'https://example.com' },
      { type: 'command', command: 'toString' },
      { type: 'command', command: 'workbench.action.terminal.new' },
      { type: 'revealTopic', topicId: 42 },
      { type: 'revealTopic', topicId: '' },
      // Links are openLink messages that name a kind, never an address or a command.
      { type: 'command', command: 'openArxiv' },
      { type: 'openLink', kind: 'toString' },
      { type: 'openLink', kind: '__proto__' },
      { type: 'openLink', url: 'https://example.com' },
      { type: 'openLink', kind: 'javascript:alert(1)' },
    ]) {
      assert.strictEqual(parseWebviewMessage(data), undefined, JSON.stringify(data));
    }
  });

  it('accepts reading status and citing-place messages, and nothing malformed', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'setStatus', status: 'reading' }), { type: 'setStatus', status: 'reading' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'setStatus', status: 'none' }), { type: 'setStatus', status: 'none' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'openCitation', uri: 'file:///w/a.md', line: 3 }), {
      type: 'openCitation',
      uri: 'file:///w/a.md',
      line: 3,
    });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'command', command: 'openNote' }), { type: 'command', command: 'openNote' });
    for (const data of [
      { type: 'setStatus', status: 'done' },
      { type: 'setStatus' },
      { type: 'openCitation', uri: 'file:///w/a.md', line: -1 },
      { type: 'openCitation', uri: 'file:///w/a.md', line: 1.5 },
      { type: 'openCitation', uri: 7, line: 1 },
    ]) {
      assert.strictEqual(parseWebviewMessage(data), undefined, JSON.stringify(data));
    }
  });

  it('reads the restored state', () => {
    assert.deepStrictEqual(parseWebviewState({ key: 'a2024b' }), { key: 'a2024b' });
    assert.strictEqual(parseWebviewState(undefined), undefined);
    assert.strictEqual(parseWebviewState({ key: 3 }), undefined);
  });
});

describe('paper view', () => {
  it('names the authors, counts the unnamed ones and drops unknown topics', () => {
    const view = toPaperView(paper(), (id) => topics.find((topic) => topic.id === id));
    assert.deepStrictEqual(view.authors, ['Ada Zhou', 'OpenAI']);
    assert.strictEqual(view.moreAuthors, 3);
    assert.deepStrictEqual(view.topics, topics);
  });

  it('keeps only safe links, in the order of the table of link kinds', () => {
    const view = toPaperView(
      paper({ links: { code: 'https://github.com/a/b', pdf: 'javascript:alert(1)', arxiv: 'https://arxiv.org/abs/1' } }),
      () => undefined,
    );
    assert.deepStrictEqual(
      view.links.map((link) => [link.kind, link.url]),
      [
        ['arxiv', 'https://arxiv.org/abs/1'],
        ['code', 'https://github.com/a/b'],
      ],
    );
  });

  it('shortens titles for the tab', () => {
    assert.strictEqual(shortTitle('TReg: Text Regularisation for Diffusion'), 'TReg');
    assert.strictEqual(shortTitle('Attention Is All You Need'), 'Attention Is All You Need');
    assert.strictEqual(
      shortTitle('A Very Long Title Without Any Colon That Goes On And On Forever'),
      'A Very Long Title Without Any Colon…',
    );
    const long = `[Click me](command:x) ${'word '.repeat(20_000)}`;
    assert.strictEqual(shortTitle(long), '[Click me](command:x) word word word…');
  });

  it('keeps a 100,000-character title whole in the view: the page shortens what it shows', () => {
    const title = 'x'.repeat(100_000);
    assert.strictEqual(toPaperView(paper({ title }), () => undefined).title, title);
  });
});

describe('detail page shell', () => {
  const html = detailHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123',
    scriptUri: 'https://r/dist/webview.js',
    styleUri: 'https://r/media/detail.css',
    codiconsUri: 'https://r/codicon.css',
  });

  it('has a strict content security policy with a script nonce', () => {
    const csp = contentSecurityPolicy('https://r', 'abc123');
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(html.includes('<script nonce="abc123" src="https://r/dist/webview.js">'));
  });

  it('has no inline script or style', () => {
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
    assert.strictEqual(html.match(/<script/g)?.length, 1);
  });
});
