import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NOTE_PLACEHOLDERS, noteFileName, renderNoteTemplate, type NoteContext } from '../../src/core/noteTemplate';
import type { Topic } from '../../src/core/model';
import { hostile, treg } from './paperFixtures';

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
    const template = readFileSync(path.join(__dirname, '../../media/note-template.md'), 'utf8');
    const { text, unknown } = renderNoteTemplate(template, context());
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
