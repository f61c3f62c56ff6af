import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');

async function cli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text), root: ROOT });
  return { status, out, err };
}

/** A style of the user's, to tell it from the built-in ones. */
const BRACKETS_STYLE = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Brackets</title><id>http://example.org/styles/brackets</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="⟪" suffix="⟫"><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" prefix="⟪⟪ "/></layout></bibliography>
</style>
`;

describe('command line: render', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-render-'));
    fs.writeFileSync(path.join(dir, 'own.bib'), '@article{mine2020,\n  title = {My Own Paper},\n  author = {Doe, Jane},\n  journal = {Journal of Tests},\n  year = {2020}\n}\n');
    fs.writeFileSync(path.join(dir, 'note.md'), '---\ncsl: ieee\nbibliography: own.bib\n---\n# Note\n\nAs [@zhou2024treg] and [@mine2020, p. 4].\n');
    fs.writeFileSync(path.join(dir, 'unknown.md'), 'See [@nope2030].\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes Markdown with the citations replaced and the bibliography appended, in the style of the front matter', async () => {
    const { status, out, err } = await cli('render', path.join(dir, 'note.md'), '--to', 'md');
    assert.equal(err, '');
    assert.equal(status, 0);
    assert.match(out, /As \[\\\[1\\\]\]\(https:\/\/arxiv\.org\/abs\/2412\.02685\) and \\\[2, p\. 4\\\]\.\n\n\\\[1\\\] W\. Zhou/);
    assert.match(out, /\\\[2\\\] J\. Doe, “My own paper,” \*Journal of Tests\*, 2020\.\n$/);
  });

  it('writes a standalone page, the --style option winning over the front matter', async () => {
    const out = path.join(dir, 'note.html');
    const result = await cli('render', path.join(dir, 'note.md'), '--to', 'html', '--style', 'apa', '--out', out);
    assert.equal(result.status, 0);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, />\(Zhou et al\., 2025\)<\/a>/);
    assert.match(html, /<div id="ref-mine2020" class="csl-entry"/);
  });

  it('runs from another folder: the note, --style and --out relative to it, the csl: of the front matter relative to the note, the root relative too', async () => {
    fs.mkdirSync(path.join(dir, 'work', 'notes'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'work', 'styles'));
    fs.writeFileSync(path.join(dir, 'work', 'styles', 'brackets.csl'), BRACKETS_STYLE);
    fs.writeFileSync(path.join(dir, 'work', 'notes', 'own.md'), '---\ncsl: ../styles/brackets.csl\n---\nAs [@zhou2024treg].\n');
    const before = process.cwd();
    process.chdir(path.join(dir, 'work'));
    try {
      // As a script would call the command line with a root of its own, relative to where it runs.
      const root = path.relative(process.cwd(), ROOT);
      const run = async (...argv: string[]) => {
        let out = '';
        let err = '';
        const status = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text), root });
        return { status, out, err };
      };
      const fromNote = await run('render', 'notes/own.md', '--to', 'md');
      assert.equal(fromNote.err, '');
      assert.match(fromNote.out, /As \[⟪T-REG: Preference optimization[^⟫]*⟫\]\(https:\/\/arxiv\.org\/abs\/2412\.02685\)\.\n\n⟪⟪ T-REG/);
      const option = await run('render', path.join('..', 'note.md'), '--style', 'styles/brackets.csl', '--to', 'html', '--out', 'notes/out.html');
      assert.equal(option.err, '');
      assert.equal(option.status, 0);
      const html = fs.readFileSync(path.join(dir, 'work', 'notes', 'out.html'), 'utf8');
      assert.match(html, />⟪T-REG: Preference optimization[^⟫]*⟫<\/a>/);
      assert.match(html, /<div id="ref-mine2020" class="csl-entry" role="listitem">⟪⟪ My own paper<\/div>/);
    } finally {
      process.chdir(before);
    }
  });

  it('keeps unknown keys as written and names them (exit status 1); refuses a missing --to or note', async () => {
    const unknown = await cli('render', path.join(dir, 'unknown.md'), '--to', 'md');
    assert.equal(unknown.status, 1);
    assert.equal(unknown.out, 'See [@nope2030].\n');
    assert.match(unknown.err, /No paper with the citation key "nope2030" in the library\./);
    assert.equal((await cli('render', path.join(dir, 'note.md'))).status, 2);
    assert.match((await cli('render', path.join(dir, 'absent.md'), '--to', 'md')).err, /does not exist/);
  });
});
