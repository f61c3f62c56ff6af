import assert from 'node:assert/strict';
import { DISPLAY_LIMIT, escapeMarkdown, markdownLink, markdownUrl, oneLine, shorten } from '../../src/core/markdown';
import { hrefs, markup, preview, shown, strict, tokens, unescaped } from './markdownRender';

const HOSTILE = [
  '[Click me](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  '<b>bold</b> <script>alert(1)</script> <!-- comment -->',
  '*x* **y** _z_ __init__ a_b_c',
  '`code` ``` ~~~',
  '# heading',
  '## heading ##',
  '> quote',
  '- item',
  '+ item',
  '* item',
  '1. item',
  '2024) item',
  '---',
  '===',
  '| a | b |',
  '[ref]: https://evil.example/',
  '[^note] and [[wiki link]]',
  '![image](https://evil.example/i.png)',
  '<https://evil.example/> <command:x> <mail@evil.example>',
  'https://evil.example/x www.evil.example ftp://evil.example',
  '&lt;b&gt; &#60;i&#62; &amp; Q&A',
  '$x^2$ ~sub~ ^sup^ $(github)',
  '@zhou2024treg [@zhou2024treg] mail@evil.example',
  '\\*not emphasis\\* and a trailing backslash \\',
  '    indented code',
  '\ttabbed',
  'a) item',
  '(i) item',
  ': definition',
  '% title block',
];

describe('escapeMarkdown', () => {
  it('renders every hostile text as exactly its characters, alone and inside a sentence', () => {
    for (const text of HOSTILE) {
      for (const source of [text, `Before ${text} after`]) {
        const escaped = escapeMarkdown(source);
        for (const md of [preview, strict]) {
          assert.deepEqual(markup(escaped, [], md), [], `${JSON.stringify(source)} became markup: ${escaped}`);
          assert.equal(shown(escaped, md), oneLine(source), `${JSON.stringify(source)} shows as something else: ${escaped}`);
        }
        assert.deepEqual(unescaped(escaped, /[$^~@|#]/g), [], `${JSON.stringify(source)}: Pandoc, math or icon syntax left in ${escaped}`);
      }
    }
  });

  it('stays text where a template puts it: a heading, a list item, a table cell, a link text, a quote', () => {
    const text = HOSTILE.join(' ');
    const escaped = escapeMarkdown(text);
    const cases: [string, string[]][] = [
      [`# ${escaped}`, ['heading_open', 'heading_close']],
      [`- ${escaped}`, ['bullet_list_open', 'list_item_open', 'list_item_close', 'bullet_list_close']],
      [`> ${escaped}`, ['blockquote_open', 'blockquote_close']],
      [`**${escaped}**`, ['strong_open', 'strong_close']],
      [`[${escaped}](https://arxiv.org/abs/2412.02685)`, ['link_open', 'link_close']],
    ];
    for (const [source, structure] of cases) {
      assert.deepEqual(markup(source), structure, source);
      assert.equal(shown(source), oneLine(text));
    }
    const table = `| Title | Year |\n|---|---|\n| ${escaped} | 2024 |\n`;
    const cells = tokens(table).filter((token) => token.type === 'td_open');
    assert.equal(cells.length, 2, 'the title stays in one cell');
    assert.ok(shown(table).includes(oneLine(text)));
  });

  it('keeps an abstract in paragraphs, with no line starting a block', () => {
    const abstract = 'We study RLHF.\n# Not a heading\n    not code\n- not a list\n1. not a list\n\n\n\nSecond paragraph\n===\n> not a quote  \n';
    const escaped = escapeMarkdown(abstract);
    assert.deepEqual(markup(escaped), []);
    assert.equal(tokens(escaped).filter((token) => token.type === 'paragraph_open').length, 2);
    assert.equal(shown(escaped), 'We study RLHF.\n# Not a heading\nnot code\n- not a list\n1. not a list\n\nSecond paragraph\n===\n> not a quote');
    assert.ok(!/ \n|\n\n\n/.test(escaped), 'no trailing spaces (a line break), no runs of blank lines');
  });

  it('keeps only the addresses Lit Notes put in as links', () => {
    const own = 'https://arxiv.org/abs/2412.02685';
    const text = `See https://evil.example/x and ${own}v2, or ${own}. Also ${own}`;
    const escaped = escapeMarkdown(text, [own, undefined, 'javascript:alert(1)']);
    assert.deepEqual(hrefs(escaped), [own, own]);
    assert.equal(shown(escaped), text);
    assert.deepEqual(hrefs(escapeMarkdown(text)), [], 'without own addresses, none');
  });

  it('leaves ordinary text readable', () => {
    assert.equal(escapeMarkdown('T-REG: Preference Optimization (with RL) & more, e.g. 3.5% better!'), 'T-REG: Preference Optimization (with RL) & more, e.g. 3.5% better!');
    assert.equal(escapeMarkdown('  spaced \t out\u0000 '), 'spaced out');
    assert.equal(escapeMarkdown(''), '');
  });
});

describe('shorten', () => {
  it('keeps text within the limit whole, on one line', () => {
    assert.equal(shorten('A short\n title '), 'A short title');
    const exact = 'x'.repeat(DISPLAY_LIMIT);
    assert.equal(shorten(exact), exact);
  });

  it('cuts a long text at a word boundary with an ellipsis, within the limit', () => {
    const title = Array.from({ length: 20_000 }, (_, index) => `word${index}`).join(' ');
    const short = shorten(title);
    assert.ok(short.length <= DISPLAY_LIMIT, `${short.length} characters`);
    assert.ok(short.length > DISPLAY_LIMIT - 12, 'uses the room it has');
    assert.ok(short.endsWith('…'));
    assert.ok(title.startsWith(`${short.slice(0, -1)} `), 'ends after a whole word');
    assert.equal(shorten('Alpha beta, gamma delta', 13), 'Alpha beta…');
  });

  it('cuts inside a word only when the text has no space to cut at, never inside a surrogate pair', () => {
    assert.equal(shorten('a'.repeat(100_000), 10), `${'a'.repeat(9)}…`);
    const emoji = '😀'.repeat(10);
    const short = shorten(emoji, 10);
    assert.ok(short.length <= 10);
    assert.doesNotMatch(short, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
  });
});

describe('markdownUrl and markdownLink', () => {
  it('allows http(s) only', () => {
    for (const url of ['javascript:alert(1)', 'command:litnotes.showPaper', 'vscode:extension/x', 'file:///etc/passwd', 'data:text/html,x', '', undefined]) {
      assert.equal(markdownUrl(url), undefined, String(url));
      assert.equal(markdownLink('Title', url), 'Title');
    }
  });

  it('percent-encodes what Markdown would read, so the address neither ends the link nor becomes emphasis', () => {
    assert.equal(markdownUrl('https://example.org/a(1)_b*c~d[e]'), 'https://example.org/a%281%29%5Fb%2Ac%7Ed%5Be%5D');
    const link = markdownLink('[Click me](command:x) *x*', 'https://example.org/_a_(b)');
    const parsed = tokens(link, strict);
    assert.deepEqual(markup(link, [], strict), ['link_open', 'link_close']);
    assert.equal(shown(link, strict), '[Click me](command:x) *x*');
    assert.equal(new URL(decodeURIComponent('https://example.org/%5Fa%5F%28b%29')).href, 'https://example.org/_a_(b)');
    assert.ok(parsed.some((token) => token.type === 'link_open'));
  });

  it('shortens a long link text', () => {
    const link = markdownLink('word '.repeat(50_000), 'https://arxiv.org/abs/2412.02685');
    assert.ok(link.length < DISPLAY_LIMIT + 40, `${link.length} characters`);
    assert.match(link, /…\]\(https:\/\/arxiv\.org\/abs\/2412\.02685\)$/);
  });
});
