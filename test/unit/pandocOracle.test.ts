/**
 * pandoc's citeproc is a separate implementation of CSL: the 65 bundled papers, formatted by Lit Notes
 * (citeproc-js) and by `pandoc --citeproc` from the same CSL-JSON and the same style, must agree in
 * every built-in style, except for the processor differences named in PROCESSOR_DIFFERENCES (and in
 * the README). Also: a note with Lit Notes' References section gives one reference list in pandoc.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pandocSuppressBibliographyEdit, upsertReferencesSection, type TextEdit } from '../../src/core/bibliography';
import { CslFormatter, processorItems, toCslJson, type CiteprocModule, type CslNode } from '../../src/core/csl';
import { cslStyleXml } from '../../src/core/cslStyleXml';
import { decodeEntities } from '../../src/core/cslMarkdown';
import type { Paper } from '../../src/core/model';
import { withoutProcessorDifferences } from './pandocDifferences';

const BUILT_IN = ['apa', 'ieee', 'chicago-author-date', 'modern-language-association', 'harvard-cite-them-right', 'vancouver'];
const root = join(__dirname, '../..');
const papers = (JSON.parse(readFileSync(join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers;

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0;

/** An entry of either processor's HTML as text with `_italics_` and `**bold**`, spaces collapsed. */
function normalise(html: string): string {
  const text = html
    .replace(/<\/div>/g, ' ')
    .replace(/<\/?(?:i|em)>/g, '_')
    .replace(/<\/?(?:b|strong)>/g, '**')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text).replace(/\s+/g, ' ').trim().normalize('NFC');
}

function pandoc(args: string[], input: string): string {
  return execFileSync('pandoc', args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function apply(text: string, edits: (TextEdit | undefined)[]): string {
  const sorted = edits.filter((edit): edit is TextEdit => edit !== undefined).sort((a, b) => b.startOffset - a.startOffset);
  return sorted.reduce((out, edit) => out.slice(0, edit.startOffset) + edit.newText + out.slice(edit.endOffset), text);
}

describe('pandoc --citeproc as the reference', function () {
  this.timeout(120_000);
  let dir: string;
  let assets: string;
  let formatter: CslFormatter;
  const load = createRequire(__filename);
  const readAsset = (file: string) => JSON.parse(readFileSync(join(assets, file), 'utf8')) as CslNode;

  before(async function () {
    if (!hasPandoc) this.skip(); // the set-up installs Debian's pandoc
    dir = mkdtempSync(join(tmpdir(), 'litnotes-pandoc-'));
    assets = join(dir, 'csl');
    const script = pathToFileURL(join(root, 'scripts/csl-assets.mjs')).href;
    await ((await import(script)) as { writeCslAssets: (out: string) => Promise<void> }).writeCslAssets(assets);
    formatter = new CslFormatter({
      loadCiteproc: () => load('citeproc') as CiteprocModule,
      loadStyle: (id) => readAsset(join('styles', `${id}.json`)),
      loadLocale: (lang) => readAsset(join('locales', `${lang}.json`)),
    });
    // What Lit Notes gives citeproc-js is what pandoc reads.
    writeFileSync(join(dir, 'library.json'), JSON.stringify(processorItems(papers), null, 2));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const styleId of BUILT_IN) {
    it(`formats the 65 bundled papers in ${styleId} as pandoc does`, () => {
      const style = join(dir, `${styleId}.csl`);
      writeFileSync(style, cslStyleXml(readAsset(join('styles', `${styleId}.json`))));
      const html = pandoc(['--citeproc', '--csl', style, '--bibliography', join(dir, 'library.json'), '-t', 'html', '--wrap=none'], "---\nnocite: '@*'\n---\n");
      const theirs = html.split('<div id="ref-').slice(1).map((chunk) => normalise(`<div id="ref-${chunk}`));
      const ours = formatter.formatBibliography(papers, styleId, 'html').map(normalise);
      assert.equal(ours.length, 65);
      assert.equal(theirs.length, 65);
      const mismatches = ours
        .map((entry, i) => [withoutProcessorDifferences(styleId, entry, 'litnotes'), withoutProcessorDifferences(styleId, theirs[i], 'pandoc')])
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => `  Lit Notes: ${a}\n  pandoc:    ${b}`);
      assert.equal(mismatches.length, 0, `${mismatches.length} of 65 differ in ${styleId}:\n${mismatches.slice(0, 8).join('\n\n')}`);
    });
  }
  describe("a note with Lit Notes' References section", () => {
    const cited = () => papers.slice(0, 3);
    const note = () => `---\ntitle: "Reading"\n---\n\n# Reading\n\nTwo methods [@${cited()[0].key}; @${cited()[1].key}] and a third @${cited()[2].key}.\n`;
    const run = (markdown: string, to: string) => {
      // The library as Export Bibliography writes it.
      const library = join(dir, 'exported.json');
      writeFileSync(library, JSON.stringify(cited().map(toCslJson)));
      return pandoc(['--citeproc', '--bibliography', library, '-t', to, '--wrap=none'], markdown);
    };
    const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

    it('gives one reference list in pandoc --citeproc, with the emphasis and links of the Markdown', () => {
      const text = note();
      const written = apply(text, [upsertReferencesSection(text, formatter.formatBibliography(cited(), 'apa', 'markdown')), pandocSuppressBibliographyEdit(text)]);
      const plain = run(written, 'plain');
      for (const paper of cited()) assert.equal(occurrences(plain, `abs/${paper.arxivId!}`), 1, `${paper.key} listed once:\n${plain}`);
      const html = run(written, 'html');
      assert.match(html, /<em>ACL 2025<\/em>/);
      assert.match(html, /<a href="https:\/\/arxiv\.org\/abs\/2412\.02685"[^>]*>https:\/\/arxiv\.org\/abs\/2412\.02685<\/a>/);
      assert.doesNotMatch(html, /id="refs"/);
    });

    it('would give two without the front matter line (what the test guards)', () => {
      const text = note();
      const written = apply(text, [upsertReferencesSection(text, formatter.formatBibliography(cited(), 'apa', 'markdown'))]);
      assert.equal(occurrences(run(written, 'plain'), `abs/${cited()[0].arxivId!}`), 2);
    });

    it("keeps a hostile title inert in pandoc's output too", () => {
      const hostile = { ...cited()[0], title: '[Click me](command:litnotes.refresh) <img src=x onerror=alert(1)> __init__ *x* @fake' };
      const [entry] = formatter.formatBibliography([hostile], 'apa', 'markdown');
      const html = pandoc(['-t', 'html', '--wrap=none'], entry);
      assert.doesNotMatch(html, /href="command|<img|<strong>|<em>x<\/em>|class="citation"/);
      assert.ok(html.includes('[Click me](command:litnotes.refresh) &lt;img src=x onerror=alert(1)&gt; __init__ *x* @fake'), html);
    });
  });
});
