/**
 * Export Note with Pandoc through the real pandoc (Debian's, which the set-up installs): a note goes to
 * DOCX and HTML, is read back (`pandoc -t plain` of the DOCX), and its references must be Lit Notes'
 * own for the same note, style and order, up to the processor differences of the README. Also the
 * process runner: arguments passed verbatim, cancellation, a missing program, and that the note is
 * never written and the temporary files go.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CslFormatter, type CiteprocModule } from '../../src/core/csl';
import type { Paper } from '../../src/core/model';
import { paperLookup } from '../../src/core/paperLookup';
import { CslAssets } from '../../src/node/cslAssets';
import { exportWithPandoc, PandocError, type PandocExportRequest } from '../../src/node/pandocExport';
import { CancelledError, findProgram, ProgramNotFoundError, runProcess } from '../../src/node/processes';
import { normalise, withoutProcessorDifferences } from './pandocDifferences';
import { retitled } from './paperFixtures';
import { requireTool } from './referenceTools';

const root = join(__dirname, '../..');
const library = (JSON.parse(readFileSync(join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers;
const node = process.execPath;

/** Whether the process runs; a zombie (ended, not yet reaped by a container's init) does not. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim().normalize('NFC');

describe('the process runner', () => {
  it('passes every argument verbatim, with no shell, and the input on standard input', async () => {
    const hostile = ['$(touch pwned)', '`id`', 'a; rm -rf ~', '--output=x', '"quoted"', "it's", 'new\nline', '*'];
    const dir = mkdtempSync(join(tmpdir(), 'litnotes-run-'));
    try {
      const result = await runProcess(node, ['-e', 'process.stdin.pipe(process.stdout); console.error(JSON.stringify(process.argv.slice(1)))', ...hostile], { cwd: dir, input: 'ä [@key] $HOME' });
      assert.equal(result.code, 0);
      assert.equal(result.stdout, 'ä [@key] $HOME');
      assert.deepEqual(JSON.parse(result.stderr), hostile);
      assert.deepEqual(readdirSync(dir), [], 'nothing ran in a shell');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves with a failing exit code, and keeps at most maxOutput of each stream', async () => {
    const result = await runProcess(node, ['-e', 'process.stderr.write("e".repeat(5000)); process.exit(3)'], { maxOutput: 100 });
    assert.equal(result.code, 3);
    assert.equal(result.stderr, 'e'.repeat(100));
  });

  it('kills the process, and what it started, when cancelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'litnotes-kill-'));
    try {
      const pidFile = join(dir, 'child.pid');
      // Like pandoc running pdflatex: the child must end with it.
      const parent = `const c = require("child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "inherit" }); require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setTimeout(() => {}, 30000)`;
      const cancel = new AbortController();
      const started = Date.now();
      const running = runProcess(node, ['-e', parent], { signal: cancel.signal });
      while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 20));
      cancel.abort();
      await assert.rejects(running, CancelledError);
      assert.ok(Date.now() - started < 10_000);
      const child = Number(readFileSync(pidFile, 'utf8'));
      let alive = true;
      for (let attempt = 0; attempt < 50 && alive; attempt++) {
        alive = isRunning(child);
        if (alive) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(alive, false, 'the child was stopped too');
      await assert.rejects(runProcess(node, ['-e', '1'], { signal: cancel.signal }), CancelledError, 'an aborted signal runs nothing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a program that is not there', async () => {
    await assert.rejects(runProcess('/nonexistent/pandoc', []), ProgramNotFoundError);
  });

  it('finds a program on PATH, or by a path relative to a folder, only when it can be run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'litnotes-path-'));
    try {
      mkdirSync(join(dir, 'bin'));
      writeFileSync(join(dir, 'bin', 'fakepandoc'), '#!/bin/sh\n');
      chmodSync(join(dir, 'bin', 'fakepandoc'), 0o755);
      writeFileSync(join(dir, 'bin', 'noexec'), '');
      mkdirSync(join(dir, 'bin', 'adir'));
      const env = { PATH: ['', join(dir, 'nothing'), join(dir, 'bin')].join(':') };
      assert.equal(findProgram('fakepandoc', { env, platform: 'linux' }), join(dir, 'bin', 'fakepandoc'));
      assert.equal(findProgram('noexec', { env, platform: 'linux' }), undefined);
      assert.equal(findProgram('adir', { env, platform: 'linux' }), undefined);
      assert.equal(findProgram('bin/fakepandoc', { env: {}, platform: 'linux', baseDir: dir }), join(dir, 'bin', 'fakepandoc'));
      assert.equal(findProgram(join(dir, 'bin', 'fakepandoc'), { env: {}, platform: 'linux' }), join(dir, 'bin', 'fakepandoc'));
      assert.equal(findProgram('fakepandoc', { env: {}, platform: 'linux' }), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Export Note with Pandoc through Debian\'s pandoc', function () {
  this.timeout(120_000);
  let dir: string;
  let assets: CslAssets;
  let formatter: CslFormatter;
  let savedTmp: string | undefined;
  let tmp: string;
  const load = createRequire(__filename);
  const cited = library.slice(0, 6);
  const [a, b, c, d, e, f] = cited.map((paper) => paper.key);
  const note = `---\ntitle: "Reading"\nnocite: '@${f}'\n---\n\n# Reading\n\nTwo methods [@${a}; @${b}] and a third @${c} [see @${d}, p. 3]; formatted [(Someone, 2024)](#litnotes:${e}).\n`;

  const request = (overrides: Partial<PandocExportRequest>): PandocExportRequest => ({
    pandoc: 'pandoc',
    markdown: note,
    noteFile: join(dir, 'note.md'),
    target: join(dir, 'out.docx'),
    format: 'docx',
    lookup: paperLookup(library),
    everyPaper: () => library,
    style: { configured: 'apa', known: assets.builtInStyles().map(({ id }) => id), source: (id) => ({ xml: assets.builtInStyleXml(id)! }) },
    ...overrides,
  });

  before(async () => {
    requireTool('pandoc');
    dir = mkdtempSync(join(tmpdir(), 'litnotes-export-'));
    const script = pathToFileURL(join(root, 'scripts/csl-assets.mjs')).href;
    await ((await import(script)) as { writeCslAssets: (out: string) => Promise<void> }).writeCslAssets(join(dir, 'dist', 'csl'));
    assets = new CslAssets(join(dir, 'dist'));
    const loader = assets.loader(() => []);
    formatter = new CslFormatter({ ...loader, loadCiteproc: () => load('citeproc') as CiteprocModule });
    writeFileSync(join(dir, 'note.md'), note);
    // Where the export's temporary folders go, to see that none is left.
    savedTmp = process.env.TMPDIR;
    tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    process.env.TMPDIR = tmp;
  });
  after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(function () {
    if (!dir) return;
    assert.deepEqual(readdirSync(tmp), [], 'the temporary files are removed');
    assert.equal(readFileSync(join(dir, 'note.md'), 'utf8'), note, 'the note is never written');
  });

  for (const styleId of ['apa', 'ieee']) {
    it(`writes a DOCX whose references are Lit Notes' own in ${styleId}: same items, order and text`, async () => {
      const target = join(dir, `note-${styleId}.docx`);
      const result = await exportWithPandoc(request({ target, style: { ...request({}).style, configured: styleId } }));
      assert.deepEqual(result, { missingKeys: [], warnings: [], style: styleId, papers: 6 });
      const plain = execFileSync('pandoc', ['--from=docx', '--to=plain', '--wrap=none', target], { encoding: 'utf8' });
      const paragraphs = plain.split(/\n\s*\n/).map(flat).filter(Boolean);
      const theirs = paragraphs.slice(-6).map((entry) => withoutProcessorDifferences(styleId, entry, 'pandoc'));
      const ours = formatter.formatBibliography(cited, styleId, 'text').map((entry) => withoutProcessorDifferences(styleId, flat(entry), 'litnotes'));
      assert.deepEqual(theirs, ours);
      assert.match(paragraphs.at(-7)!, /^Two methods .* formatted /, 'nothing but the six references after the text');
      assert.doesNotMatch(plain, /litnotes:/, 'the formatted citation became a citation pandoc formats');
      // Numbered by first citation, the formatted citation among them, as Lit Notes numbers them.
      if (styleId === 'ieee') assert.equal(paragraphs.at(-7), 'Two methods [1], [2] and a third [3], see [4, p. 3]; formatted [5].');
    });
  }

  it("writes standalone HTML with the references as Lit Notes formats them, the note's front matter honoured", async () => {
    const target = join(dir, 'out.html');
    const withFrontMatter = note.replace('title: "Reading"', 'title: "Reading"\ncsl: harvard-cite-them-right\nlang: en-US');
    const result = await exportWithPandoc(request({ target, format: 'html', markdown: withFrontMatter, locale: 'de-DE' }));
    assert.equal(result.style, 'harvard-cite-them-right');
    const html = readFileSync(target, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>Reading<\/title>/);
    const ids = [...html.matchAll(/<div id="ref-([^"]+)" class="csl-entry"/g)].map((m) => m[1]);
    const theirs = html.split('<div id="ref-').slice(1).map((chunk) => normalise(`<div id="ref-${chunk.split('</div>')[0]}</div>`));
    // The note's lang (en-US) wins over the setting (de-DE): double quotes, not the style's en-GB single ones.
    const us = new CslFormatter({ ...assets.loader(() => []), loadCiteproc: () => load('citeproc') as CiteprocModule }, { locale: 'en-US' });
    const entries = us.bibliographyEntries(cited, 'harvard-cite-them-right', 'html');
    assert.deepEqual(ids, entries.map((entry) => entry.key));
    assert.deepEqual(theirs, entries.map((entry) => normalise(entry.text)));
    assert.match(theirs[0], /“/);
  });

  it("takes the setting's locale when the note has none, and a note's own bibliography file after the library", async () => {
    writeFileSync(join(dir, 'extra file.json'), JSON.stringify([{ id: 'mine', type: 'book', title: 'My own book', author: [{ family: 'Me', given: 'A' }], issued: { 'date-parts': [[2020]] } }]));
    const markdown = `---\nbibliography: "extra file.json"\n---\n\nSee [@mine] and [@${a}] and [@nowhere].\n`;
    const target = join(dir, 'locale.html');
    const result = await exportWithPandoc(request({ target, format: 'html', markdown, locale: 'de-DE' }));
    assert.deepEqual(result.missingKeys, ['nowhere']);
    const html = readFileSync(target, 'utf8');
    assert.match(html, /<title>note<\/title>/, 'the file name stands in for a title');
    assert.match(html, /Me, A\. \(2020\)\. <em>My own book<\/em>/);
    assert.match(html, /lang="de-DE"/);
    assert.match(flat(html), /data-cites="zhou2024treg">\(Zhou (?:et al\.|u\. a\.), 2025\)/);
  });

  it('keeps hostile file names and paper text inert: no command runs, nothing becomes markup', async () => {
    const folder = join(dir, "--x; touch pwned $(touch pwned2) 'q'");
    mkdirSync(folder);
    const noteFile = join(folder, '-o evil.md');
    // The title goes into the record too: citations are made from the record.
    const hostile: Paper = { ...retitled(cited[0], '[Click me](command:litnotes.refresh) <img src=x onerror=alert(1)> __init__ *x* @fake'), key: 'evil', aliases: undefined };
    writeFileSync(noteFile, 'x');
    const target = join(folder, '--output=evil.html');
    await exportWithPandoc(request({ noteFile, target, format: 'html', markdown: 'See [@evil].\n', lookup: paperLookup([hostile]) }));
    const html = readFileSync(target, 'utf8');
    assert.doesNotMatch(html, /href="command|<img|<em>x<\/em>|<strong>init/);
    assert.ok(flat(html).includes('[Click me](command:litnotes.refresh) &lt;img src=x onerror=alert(1)&gt; __init__ *x* @fake'), html);
    assert.deepEqual(readdirSync(folder).sort(), ['--output=evil.html', '-o evil.md']);
    assert.equal(existsSync(join(dir, 'pwned')) || existsSync(join(folder, 'pwned2')), false);
  });

  it('refuses to write over the note, and leaves a failed export without output', async () => {
    await assert.rejects(exportWithPandoc(request({ target: join(dir, 'note.md'), format: 'html' })), /would overwrite the note note\.md/);
    await assert.rejects(exportWithPandoc(request({ target: join(dir, '.', 'sub', '..', 'note.md'), format: 'html' })), /would overwrite/);
    const target = join(dir, 'broken.html');
    await assert.rejects(exportWithPandoc(request({ target, format: 'html', markdown: '---\ntitle: [unclosed\n---\n' })), (error: unknown) => {
      assert.ok(error instanceof PandocError);
      assert.match(error.message, /^the note's front matter \(YAML\) could not be read: YAML parse exception/);
      return true;
    });
    await assert.rejects(exportWithPandoc(request({ target, format: 'html', markdown: '---\nbibliography: missing.bib\n---\n[@x]\n' })), /a file the note names was not found: File missing\.bib not found/);
    assert.equal(existsSync(target), false);
  });

  it('says which LaTeX line failed when a PDF cannot be made', async function () {
    const engine = ['pdflatex', 'lualatex', 'xelatex'].find((name) => findProgram(name));
    if (!engine) this.skip();
    const target = join(dir, 'broken.pdf');
    // An undefined control sequence fails on any TeX installation (here perhaps a missing package first).
    await assert.rejects(exportWithPandoc(request({ target, format: 'pdf', pdfEngine: engine, markdown: 'A \\undefinedcontrolsequence{x}.\n' })), (error: unknown) => {
      assert.ok(error instanceof PandocError);
      assert.match(error.message, new RegExp(`^the PDF engine ${engine} failed: ! `));
      return true;
    });
    assert.equal(existsSync(target), false);
  });

  it('stops pandoc when cancelled, and writes nothing', async () => {
    // A stand-in for pandoc that reads the metadata like pandoc and then takes its time.
    const slow = join(dir, 'slow-pandoc');
    writeFileSync(slow, `#!${node}\nif (process.argv.includes('--to=json')) process.stdout.write('{"meta":{}}'); else setTimeout(() => {}, 30000);\n`);
    chmodSync(slow, 0o755);
    const cancel = new AbortController();
    const target = join(dir, 'cancelled.docx');
    const steps: string[] = [];
    const running = exportWithPandoc(request({ pandoc: slow, target, signal: cancel.signal, progress: (step) => (steps.push(step), step === 'Running pandoc' ? setTimeout(() => cancel.abort(), 100) : undefined) }));
    await assert.rejects(running, CancelledError);
    assert.deepEqual(steps, ['Reading the note', 'Running pandoc']);
    assert.equal(existsSync(target), false);
  });

  it('reports a pandoc that is not there', async () => {
    await assert.rejects(exportWithPandoc(request({ pandoc: join(dir, 'no-pandoc') })), ProgramNotFoundError);
  });
});
