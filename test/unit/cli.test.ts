import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../../src/cli/args';
import { runCli } from '../../src/cli/main';
import { parseJsonc } from '../../src/core/jsonc';

const ROOT = path.resolve(__dirname, '..', '..');

async function cli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text), root: ROOT });
  return { status, out, err };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-cli-'));
}

const BIB = `@article{mine2020,
  title = {My Own Paper},
  author = {Doe, Jane and Roe, Richard},
  journal = {Journal of Tests},
  year = {2020}
}
`;

describe('command line: arguments', () => {
  it('reads options in both spellings and repeated libraries', () => {
    const args = parseArgs(['export', '--library', 'a.bib', '--library=b.json', '--no-bundled', '--to=bibtex', '--keys', '@a, b']);
    assert.deepEqual(args.libraries, ['a.bib', 'b.json']);
    assert.equal(args.bundled, false);
    assert.equal(args.to, 'bibtex');
    assert.deepEqual(args.keys, ['a', 'b']);
  });

  it('refuses an option the command does not take, a missing value and a missing PATH', () => {
    assert.throws(() => parseArgs(['export', '--json']), UsageError);
    assert.throws(() => parseArgs(['export', '--to']), /--to needs a value/);
    assert.throws(() => parseArgs(['check']), /needs at least one PATH/);
    assert.throws(() => parseArgs(['frobnicate']), /unknown command/);
  });
});

describe('command line: export', () => {
  it('writes the bundled library as CSL-JSON', async () => {
    const { status, out } = await cli('export', '--to', 'csljson');
    assert.equal(status, 0);
    const items = JSON.parse(out) as { id: string }[];
    assert.equal(items.length, 65);
    assert.ok(items.some((item) => item.id === 'zhou2024treg'));
  });

  it('exports only the keys asked for, from a library file, and refuses unknown keys', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'mine.bib'), BIB);
    const { status, out } = await cli('export', '--library', path.join(dir, 'mine.bib'), '--to', 'bibtex', '--keys', 'mine2020,zhou2024treg');
    assert.equal(status, 0);
    assert.match(out, /^@article\{mine2020,/m);
    assert.match(out, /zhou2024treg/);
    const unknown = await cli('export', '--to', 'bibtex', '--keys', 'nope2000');
    assert.equal(unknown.status, 2);
    assert.match(unknown.err, /not in the library: @nope2000/);
    assert.doesNotMatch(unknown.err, /\n\s+at /, 'no stack trace');
  });

  it('reads the library files of a workspace from its settings.json, comments and trailing commas included', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, 'mine.bib'), BIB);
    fs.writeFileSync(
      path.join(dir, '.vscode', 'settings.json'),
      '{\n  // my library\n  "litnotes.library.files": ["mine.bib",],\n  "litnotes.library.includeBundled": false, /* only mine */\n}\n',
    );
    const { status, out } = await cli('export', '--workspace', dir, '--to', 'csljson');
    assert.equal(status, 0);
    assert.deepEqual((JSON.parse(out) as { id: string }[]).map((item) => item.id), ['mine2020']);
  });

  it('writes --out atomically and leaves no temporary file', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'refs.bib');
    const { status, out, err } = await cli('export', '--to', 'bibtex', '--keys', 'zhou2024treg', '--out', target);
    assert.equal(status, 0);
    assert.equal(out, '');
    assert.match(err, /Exported 1 paper as BibTeX/);
    assert.match(fs.readFileSync(target, 'utf8'), /@inproceedings\{zhou2024treg/);
    assert.deepEqual(fs.readdirSync(dir), ['refs.bib']);
  });

  it('reports a broken entry with its file and line on stderr, exports the rest, and exits 2', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.bib');
    fs.writeFileSync(file, `${BIB}\n@article{broken,\n  title = {Unclosed\n`);
    const { status, out, err } = await cli('export', '--no-bundled', '--library', file, '--to', 'csljson');
    assert.equal(status, 2);
    assert.deepEqual((JSON.parse(out) as { id: string }[]).map((item) => item.id), ['mine2020']);
    assert.match(err, /broken\.bib:8: error: /);
  });

  it('says in words what is wrong with a missing file, an unknown format, a broken settings file', async () => {
    const missing = await cli('export', '--library', 'no/such.bib', '--to', 'bibtex');
    assert.equal(missing.status, 2);
    assert.match(missing.err, /the library file ".*no\/such\.bib" does not exist/);
    const format = await cli('export', '--to', 'docx');
    assert.equal(format.status, 2);
    assert.match(format.err, /unknown export format "docx"/);
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  "litnotes.library.files": [\n');
    const settings = await cli('export', '--workspace', dir, '--to', 'bibtex');
    assert.equal(settings.status, 2);
    assert.match(settings.err, /settings\.json: not valid JSON at line 3/);
  });
});

describe('command line: check', () => {
  it('lists unknown keys as file:line:column and exits 1; known keys and aliases pass', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'notes'));
    fs.writeFileSync(path.join(dir, 'notes', 'a.md'), 'Fine [@zhou2024treg].\n\nBroken [see @nope2000, p. 3] and `[@code2000]`.\n');
    fs.writeFileSync(path.join(dir, 'notes', 'b.txt'), '[@ignored2000]');
    const { status, out } = await cli('check', dir);
    assert.equal(status, 1);
    assert.equal(out, `${path.join(dir, 'notes', 'a.md')}:3:13: No paper with the citation key "nope2000" in the library.\n`);
    fs.writeFileSync(path.join(dir, 'notes', 'a.md'), 'Fine [@zhou2024treg].\n');
    assert.equal((await cli('check', dir)).status, 0);
  });

  it('sees the workspace library the editor sees (the sample notes cite their own .bib)', async () => {
    const sample = path.join(ROOT, 'sample-notes');
    assert.equal((await cli('check', '--workspace', sample, sample)).status, 0);
    const without = await cli('check', '--no-bundled', sample);
    assert.equal(without.status, 1);
  });

  it('names a path that does not exist', async () => {
    const { status, err } = await cli('check', 'no/such/folder');
    assert.equal(status, 2);
    assert.match(err, /"no\/such\/folder" does not exist/);
  });
});

describe('parseJsonc', () => {
  it('reads comments, trailing commas and strings holding comment marks', () => {
    assert.deepEqual(parseJsonc('{"a": "http://x/*y*/", // c\n "b": [1, 2,],}'), { a: 'http://x/*y*/', b: [1, 2] });
    assert.equal(parseJsonc('  // only a comment\n'), undefined);
    assert.throws(() => parseJsonc('{\n  "a": 1\n  "b": 2\n}'), /line 3, column 3/);
  });
});

const TITLE_ONLY_STYLE = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Titles only</title><id>http://example.org/styles/titles</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><sort><key variable="title"/></sort><layout><text variable="title" prefix="T: "/></layout></bibliography>
</style>
`;

describe('command line: format', () => {
  it('prints one reference a line in the style, as Insert Bibliography formats them', async () => {
    const { status, out } = await cli('format', '--style', 'apa', '--keys', 'zhou2024treg,zhou2024archer');
    assert.equal(status, 0);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^Zhou, W\., Zhang, S\., Zhao, L\., & Meng, T\. \(2025\)\. T-REG: Preference optimization/);
    assert.match(lines[1], /^Zhou, Y\., .*ArCHer/);
  });

  it('gives key, text and HTML with --json, in the style order, and honours --locale', async () => {
    const { status, out } = await cli('format', '--style', 'ieee', '--keys', 'zhou2024archer,zhou2024treg', '--json');
    assert.equal(status, 0);
    const entries = JSON.parse(out) as { key: string; text: string; html: string }[];
    assert.deepEqual(entries.map((entry) => entry.key), ['zhou2024archer', 'zhou2024treg']);
    assert.match(entries[0].text, /^\[1\]/);
    assert.match(entries[0].html, /<div class="csl-entry">/);
    // Cite Them Right asks for en-GB (single quotes around titles); en-US is asked for here.
    const british = await cli('format', '--style', 'harvard-cite-them-right', '--keys', 'zhou2024treg');
    const american = await cli('format', '--style', 'harvard-cite-them-right', '--locale', 'en-US', '--keys', 'zhou2024treg');
    assert.match(british.out, /‘T-REG/);
    assert.match(american.out, /“T-REG/);
  });

  it('takes a .csl file, and the workspace style setting with its extra styles', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'titles.csl'), TITLE_ONLY_STYLE);
    const direct = await cli('format', '--style', path.join(dir, 'titles.csl'), '--keys', 'zhou2024treg');
    assert.equal(direct.status, 0, direct.err);
    assert.match(direct.out, /^T: T-REG/);
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'litnotes.citation.extraStyles': ['titles.csl'], 'litnotes.citation.cslStyle': 'titles' }));
    const configured = await cli('format', '--workspace', dir, '--keys', 'zhou2024treg');
    assert.equal(configured.status, 0, configured.err);
    assert.equal(configured.out, direct.out);
  });

  it('refuses an unknown style, a broken .csl file and an unknown locale in words, with exit status 2', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'broken.csl'), '<style><info><title>x</title></info><citation><layout></citation></style>');
    for (const [argv, message] of [
      [['--style', 'nope'], /unknown citation style "nope"/],
      [['--style', path.join(dir, 'broken.csl')], /not well-formed XML/],
      [['--style', path.join(dir, 'missing.csl')], /Cannot read the citation style file/],
      [['--locale', 'xx-YY'], /no CSL locale "xx-YY"/],
    ] as const) {
      const { status, err, out } = await cli('format', ...argv);
      assert.equal(status, 2, err);
      assert.equal(out, '');
      assert.match(err, message);
      assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
    }
  });
});
