import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');
const JABREF = path.join(ROOT, 'test/fixtures/topics/jabref5-groups.bib');

async function cli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text), root: ROOT });
  return { status, out, err };
}

interface TopicsJson {
  topics: { id: string; label: string; parent?: string; origin: string }[];
  papers: { key: string; topics: string[] }[];
}

describe('command line: topics', () => {
  it('prints the topics and every paper\'s topics as the tree shows them, with --json exactly in the documented shape', async () => {
    const { status, out, err } = await cli('topics', '--library', JABREF, '--no-bundled', '--json');
    assert.equal(status, 0, err);
    const json = JSON.parse(out) as TopicsJson;
    assert.deepEqual(Object.keys(json), ['topics', 'papers']);
    assert.deepEqual(json.topics.slice(0, 3), [
      { id: 'source:Proof assistants', label: 'Proof assistants', origin: 'source' },
      { id: 'source:Proof assistants/Coq', label: 'Coq', parent: 'source:Proof assistants', origin: 'source' },
      { id: 'source:Proof assistants/Lean', label: 'Lean', parent: 'source:Proof assistants', origin: 'source' },
    ]);
    for (const topic of json.topics) assert.deepEqual(Object.keys(topic), topic.parent === undefined ? ['id', 'label', 'origin'] : ['id', 'label', 'parent', 'origin']);
    assert.equal(json.papers.length, 8);
    assert.deepEqual(json.papers.find((paper) => paper.key === 'Leroy2009')?.topics, ['source:Proof assistants/Coq', 'source:Verified systems']);
  });

  it("applies the workspace's topics file, and refuses a broken one in words with its line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-topics-'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'litnotes.library.files': [JABREF], 'litnotes.library.includeBundled': false }));
    fs.mkdirSync(path.join(dir, '.litnotes'));
    const topicsFile = path.join(dir, '.litnotes', 'topics.json');
    fs.writeFileSync(
      topicsFile,
      JSON.stringify({ version: 1, topics: { 'user:reading': { label: 'Reading group' }, 'source:Proof repair': { label: 'Repairing proofs' } }, papers: { Klein2009: ['user:reading'] } }),
    );
    const { status, out } = await cli('topics', '--workspace', dir, '--json');
    assert.equal(status, 0);
    const json = JSON.parse(out) as TopicsJson;
    assert.deepEqual(json.topics[0], { id: 'user:reading', label: 'Reading group', origin: 'user' });
    assert.equal(json.topics.find((topic) => topic.id === 'source:Proof repair')?.label, 'Repairing proofs');
    assert.deepEqual(json.papers.find((paper) => paper.key === 'Klein2009')?.topics, ['user:reading']);
    const text = await cli('topics', '--workspace', dir);
    assert.match(text.out, /^Reading group \(1\) \[user\] user:reading$/m);
    assert.match(text.out, /^ {2}Coq \(2\) \[source\] source:Proof assistants\/Coq$/m, 'a sub-topic is indented');
    fs.writeFileSync(topicsFile, '{\n  "version": 1,\n  "topics": {},\n}\n');
    const broken = await cli('topics', '--workspace', dir, '--json');
    assert.equal(broken.status, 2);
    assert.match(broken.err, /topics\.json:4:1: not valid JSON/);
    assert.equal(broken.out, '');
    assert.equal(fs.readFileSync(topicsFile, 'utf8'), '{\n  "version": 1,\n  "topics": {},\n}\n', 'the broken file is left as it was');
  });

  it('without --no-bundled lists the bundled topics too, as bundled', async () => {
    const { status, out } = await cli('topics', '--json');
    assert.equal(status, 0);
    const json = JSON.parse(out) as TopicsJson;
    assert.equal(json.papers.length, 65);
    assert.ok(json.topics.length >= 9 && json.topics.every((topic) => topic.origin === 'bundled'));
  });
});
