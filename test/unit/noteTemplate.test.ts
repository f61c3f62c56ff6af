import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { DISPLAY_LIMIT, oneLine } from '../../src/core/markdown';
import type { Paper, Topic } from '../../src/core/model';
import { NOTE_PLACEHOLDERS, noteFileName, renderNoteTemplate, type NoteContext } from '../../src/core/noteTemplate';
import { hrefs, markup, shown, tokens } from './markdownRender';
import { hostile, makePaper, treg } from './paperFixtures';

const DEFAULT_TEMPLATE = readFileSync(path.join(__dirname, '../../media/note-template.md'), 'utf8');

/** The note split at the end of its front matter: the YAML read by a YAML parser, and the Markdown body. */
function splitNote(text: string): { yaml: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  assert.ok(match, `no front matter in:\n${text.slice(0, 500)}`);
  return { yaml: loadYaml(match[1]) as Record<string, unknown>, body: text.slice(match[0].length) };
}

/** Everything Markdown could make of a paper's text. */
const HOSTILE_TITLE = '# [Click me](command:workbench.action.terminal.new) <b>bold</b> <img src=x onerror=alert(1)> *x* __init__ `code` | a | b @key $x$';

const topics: Topic[] = [{ id: 'misc', label: 'Miscellany', description: '' }];
const context = (overrides: Partial<NoteContext> = {}): NoteContext => ({
  paper: treg,
  getTopic: (id) => topics.find((topic) => topic.id === id),
  tags: ['rlhf', 'token level'],
  status: 'reading',
  today: new Date(2025, 0, 5),
  ...overrides,
});

/** The front matter as key → raw value, for the tests' own minimal look at it. */
function frontMatter(text: string): Map<string, string> {
  const body = /^---\n([\s\S]*?)\n---\n/.exec(text);
  assert.ok(body, `no front matter in:\n${text}`);
  return new Map(body[1].split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
}

describe('renderNoteTemplate', () => {
  it('fills every placeholder of the default template, with quoted YAML values', () => {
    const { text, unknown } = renderNoteTemplate(DEFAULT_TEMPLATE, context());
    assert.deepEqual(unknown, []);
    assert.doesNotMatch(text, /\{\{/);
    const yaml = frontMatter(text);
    assert.equal(yaml.get('citekey'), '"zhou2024treg"');
    assert.equal(yaml.get('title'), JSON.stringify(treg.title));
    assert.equal(yaml.get('authors'), '["Wenxuan Zhou", "Shujian Zhang", "Lingxiao Zhao", "Tao Meng"]');
    assert.equal(yaml.get('year'), '2024');
    assert.equal(yaml.get('arxiv'), '"2412.02685"');
    assert.equal(yaml.get('code'), '"https://github.com/wzhouad/T-REG"');
    assert.equal(yaml.get('topics'), '["Miscellany"]');
    assert.equal(yaml.get('tags'), '["rlhf", "token level"]');
    assert.equal(yaml.get('created'), '"2025-01-05"');
    assert.match(text, /^# T-REG: Preference Optimization/m);
    for (const heading of ['Summary', 'Key ideas', 'Open questions']) assert.match(text, new RegExp(`^## ${heading}$`, 'm'));
  });

  it('knows a placeholder for every field of a paper', () => {
    for (const name of ['citekey', 'title', 'abstract', 'authors', 'authorCount', 'year', 'listingDate', 'venue', 'organization', 'upvotes', 'arxivId', 'arxivUrl', 'doi', 'pdfUrl', 'huggingFaceUrl', 'code', 'topics', 'tags', 'status']) {
      assert.ok(NOTE_PLACEHOLDERS.includes(name), name);
    }
    const all = NOTE_PLACEHOLDERS.map((name) => `{{${name}}}`).join('\n');
    assert.deepEqual(renderNoteTemplate(all, context()).unknown, []);
  });

  it('reports an unknown placeholder with its line and leaves it as written', () => {
    const { text, unknown } = renderNoteTemplate('# {{title}}\n\nBy {{ authr }} in {{venue}}, {{}}\n', context());
    assert.deepEqual(unknown, [{ name: 'authr', line: 3 }, { name: '', line: 3 }]);
    assert.match(text, /By \{\{ authr \}\} in ACL 2025, \{\{\}\}/);
  });

  it('keeps a hostile title and author from breaking the YAML or the body', () => {
    const template = '---\ntitle: {{title}}\nquoted: "{{title}}"\nauthors: {{authors}}\nabstract: {{abstract}}\n---\n# {{title}}\n';
    const paper = { ...hostile, abstract: 'line one\nkey: injected\n---\n"quote" \\ back\u2028sep' };
    const { text } = renderNoteTemplate(template, context({ paper }));
    const yaml = frontMatter(text);
    assert.deepEqual([...yaml.keys()], ['title', 'quoted', 'authors', 'abstract'], 'no key injected, the front matter still ends where it did');
    // A double-quoted YAML scalar with these escapes reads back like a JSON string.
    assert.equal(JSON.parse(yaml.get('title')!), hostile.title.replace(/\s+/g, ' ').trim());
    assert.equal(yaml.get('quoted'), yaml.get('title'));
    assert.equal(JSON.parse(yaml.get('abstract')!), paper.abstract);
    assert.deepEqual(JSON.parse(yaml.get('authors')!), ['Tom and Jerry O}Brien, Jr']);
    const heading = text.split('\n').find((line) => line.startsWith('# '))!;
    assert.ok(heading.includes('\\<img'), 'HTML in the body is inert');
    assert.ok(!heading.includes('\n'));
  });

  it('writes a hostile title into the default template as text: the heading is one heading, the body holds no markup', () => {
    const paper = makePaper({
      key: 'evil2024',
      title: HOSTILE_TITLE,
      authors: [{ given: '*Tom*', family: '<b>Jerry</b>' }, { given: '', family: '[x](command:y)' }],
      venue: '__Journal__ of `Evil` | 2024',
      year: 2024,
      links: { code: 'command:workbench.action.terminal.new' },
    });
    const { text } = renderNoteTemplate(DEFAULT_TEMPLATE, context({ paper, tags: ['<i>t</i>', '*x*'] }));
    const { yaml, body } = splitNote(text);
    assert.equal(yaml.title, HOSTILE_TITLE, 'front matter holds the title as data');
    assert.deepEqual(yaml.authors, ['*Tom* <b>Jerry</b>', '[x](command:y)']);
    assert.equal(yaml.code, 'command:workbench.action.terminal.new', 'YAML strings are data, never opened');
    assert.deepEqual(yaml.tags, ['<i>t</i>', '*x*']);
    const headings = tokens(body).filter((token) => token.type === 'heading_open').map((token) => token.tag);
    assert.deepEqual(headings, ['h1', 'h2', 'h2', 'h2', 'h2'], 'one h1, then the template\'s own sections');
    const allowed = ['heading_open', 'heading_close', 'bullet_list_open', 'bullet_list_close', 'list_item_open', 'list_item_close', 'blockquote_open', 'blockquote_close'];
    assert.deepEqual(markup(body, allowed), [], body);
    assert.deepEqual(hrefs(body), []);
    assert.equal(shown(body.split('\n').find((line) => line.startsWith('# '))!.slice(2)), HOSTILE_TITLE);
    assert.ok(shown(body).includes('*Tom* <b>Jerry</b> and [x](command:y) · __Journal__ of `Evil` | 2024'), shown(body));
  });

  it('keeps a hostile title in a table cell of a template', () => {
    const { text } = renderNoteTemplate('| Title | Year |\n|---|---|\n| {{title}} | {{year}} |\n', context({ paper: { ...treg, title: HOSTILE_TITLE } }));
    const cells = tokens(text).filter((token) => token.type === 'td_open');
    assert.equal(cells.length, 2);
    assert.deepEqual(markup(text, ['table_open', 'thead_open', 'tr_open', 'th_open', 'th_close', 'tr_close', 'thead_close', 'tbody_open', 'td_open', 'td_close', 'tbody_close', 'table_close']), []);
  });

  it('writes addresses in the body only when they are http(s), encoded so they stay one address', () => {
    const paper: Paper = { ...treg, links: { code: 'https://github.com/a_b/c_(d)', pdf: 'javascript:alert(1)' } };
    const { text } = renderNoteTemplate('---\npdf: {{pdfUrl}}\n---\nCode: {{code}}\nPDF: {{pdfUrl}}\n', context({ paper }));
    const { yaml, body } = splitNote(text);
    assert.equal(yaml.pdf, 'javascript:alert(1)');
    assert.equal(body, 'Code: https://github.com/a%5Fb/c%5F%28d%29\nPDF: \n');
    assert.deepEqual(hrefs(body), ['https://github.com/a%5Fb/c%5F%28d%29']);
  });

  it('takes a 100,000-character title whole into the front matter and shortened into the heading', () => {
    const title = 'Scaling '.repeat(12_500).trim();
    const { text } = renderNoteTemplate(DEFAULT_TEMPLATE, context({ paper: { ...treg, title, abstract: 'Short.' } }));
    const { yaml, body } = splitNote(text);
    assert.equal(yaml.title, title);
    const heading = body.split('\n').find((line) => line.startsWith('# '))!;
    assert.ok(heading.length <= DISPLAY_LIMIT + 2, `heading of ${heading.length} characters`);
    assert.match(heading, /^# Scaling Scaling .*Scaling…$/);
    assert.ok(text.length < title.length + 2_000, `a note of ${text.length} characters`);
  });

  it('keeps every character of hostile front matter values, read back by a YAML parser', () => {
    const nasty = 'a "quoted" \\ back\\slash\nnew line\r\ttab: #not a comment\n---\n... \u2028\u2029\u0085\ufeff\u0000\u001b end \'single\' 😀';
    const paper = makePaper({ key: 'k', title: nasty, abstract: nasty, authors: [{ given: nasty, family: 'X' }], venue: nasty });
    const template = '---\ntitle: {{title}}\nquoted: "{{abstract}}"\nsingle: \'{{venue}}\'\nauthors: {{authors}}\ntags: {{tags}}\n---\nbody\n';
    const { yaml, body } = splitNote(renderNoteTemplate(template, context({ paper, tags: [nasty] })).text);
    assert.deepEqual(Object.keys(yaml), ['title', 'quoted', 'single', 'authors', 'tags']);
    assert.equal(yaml.title, oneLine(nasty));
    assert.equal(yaml.quoted, nasty);
    assert.equal(yaml.single, nasty);
    assert.deepEqual(yaml.authors, [`${nasty} X`]);
    assert.deepEqual(yaml.tags, [nasty]);
    assert.equal(body, 'body\n');
  });

  it('writes missing values as empty strings in YAML and nothing in the body', () => {
    const paper = { ...treg, year: undefined, venue: undefined, links: {} };
    const { text } = renderNoteTemplate('---\nyear: {{year}}\ncode: {{code}}\n---\n({{year}}{{venue}})\n', context({ paper, tags: [] }));
    assert.equal(text, '---\nyear: ""\ncode: ""\n---\n()\n');
  });

  it('treats a template without front matter as body only', () => {
    assert.equal(renderNoteTemplate('title: {{title}}', context({ paper: hostile })).text.includes('"'), false);
  });
});

describe('noteFileName', () => {
  it('is the key, made safe as a file name', () => {
    assert.equal(noteFileName('zhou2024treg'), 'zhou2024treg.md');
    assert.equal(noteFileName('doe2020:intro/part'), 'doe2020-intro-part.md');
    assert.equal(noteFileName('..'), '--.md');
  });
});
