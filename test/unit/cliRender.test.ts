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

  it('keeps unknown keys as written and names them (exit status 1); refuses a missing --to or note', async () => {
    const unknown = await cli('render', path.join(dir, 'unknown.md'), '--to', 'md');
    assert.equal(unknown.status, 1);
    assert.equal(unknown.out, 'See [@nope2030].\n');
    assert.match(unknown.err, /No paper with the citation key "nope2030" in the library\./);
    assert.equal((await cli('render', path.join(dir, 'note.md'))).status, 2);
    assert.match((await cli('render', path.join(dir, 'absent.md'), '--to', 'md')).err, /does not exist/);
  });
});
