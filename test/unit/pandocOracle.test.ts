/**
 * pandoc's citeproc is a separate implementation of CSL: the 65 bundled papers, formatted by Lit Notes
 * (citeproc-js) and by `pandoc --citeproc` from the same CSL-JSON and the same style, must agree in
 * every built-in style, except for the processor differences named in PROCESSOR_DIFFERENCES (and in
 * the README). So must the in-text citations of a note with ten citations, as Lit Notes' document-aware
 * engine formats them, with their numbering and reference list. Also: a note with Lit Notes'
 * References section gives one reference list in pandoc.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pandocSuppressBibliographyEdit, resolveCitedPapers, upsertReferencesSection, type TextEdit } from '../../src/core/bibliography';
import { exportCslJson } from '../../src/core/bibtex';
import { formattedCitationMarkdown, scanCitations } from '../../src/core/citationScanner';
import { citeprocItem, CslFormatter, type CiteprocModule, type CslNode } from '../../src/core/csl';
import { cslStyleXml } from '../../src/core/cslStyleXml';
import { refreshCitations } from '../../src/core/documentCitations';
import type { Paper } from '../../src/core/model';
import { normalise, PROCESSOR_DIFFERENCES } from './pandocDifferences';
import { retitled } from './paperFixtures';
import { requireTool } from './referenceTools';

const BUILT_IN = ['apa', 'ieee', 'chicago-author-date', 'modern-language-association', 'harvard-cite-them-right', 'vancouver'];
const root = join(__dirname, '../..');
const papers = (JSON.parse(readFileSync(join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers;



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

  before(async () => {
    requireTool('pandoc');
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
    writeFileSync(join(dir, 'library.json'), JSON.stringify(papers.map(citeprocItem), null, 2));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** The style as a .csl file for pandoc. */
  const styleFile = (styleId: string) => {
    const style = join(dir, `${styleId}.csl`);
    writeFileSync(style, cslStyleXml(readAsset(join('styles', `${styleId}.json`))));
    return style;
  };
  /** pandoc's reference list (its `<div id="ref-…">` entries) of an HTML document, normalised. */
  const pandocReferences = (html: string) => html.split('<div id="ref-').slice(1).map((chunk) => normalise(`<div id="ref-${chunk}`));
  /** The processor differences that made a difference (each must, or it is not one). */
  const seen = new Set<string>();
  /** The pairs of entries that differ once the known processor differences are made equal, for the message. */
  const mismatches = (styleId: string, ours: string[], theirs: string[]) => {
    const differences = PROCESSOR_DIFFERENCES.filter((d) => d.styles.includes(styleId));
    const fix = (entry: string, side: 'pandoc' | 'litnotes') =>
      differences.reduce((text, d) => {
        const fixed = d[side]?.(text) ?? text;
        if (fixed !== text) seen.add(d.why);
        return fixed;
      }, entry);
    return ours
      .map((entry, i) => [fix(entry, 'litnotes'), fix(theirs[i] ?? '(none)', 'pandoc')])
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => `  Lit Notes: ${a}\n  pandoc:    ${b}`);
  };

  for (const styleId of BUILT_IN) {
    it(`formats the 65 bundled papers in ${styleId} as pandoc does`, () => {
      const html = pandoc(['--citeproc', '--csl', styleFile(styleId), '--bibliography', join(dir, 'library.json'), '-t', 'html', '--wrap=none'], "---\nnocite: '@*'\n---\n");
      const theirs = pandocReferences(html);
      const ours = formatter.formatBibliography(papers, styleId, 'html').map(normalise);
      assert.equal(ours.length, 65);
      assert.equal(theirs.length, 65);
      const differ = mismatches(styleId, ours, theirs);
      assert.equal(differ.length, 0, `${differ.length} of 65 differ in ${styleId}:\n${differ.slice(0, 8).join('\n\n')}`);
    });
  }

  it('lists only processor differences that occur in the bundled papers', () => {
    assert.deepEqual(PROCESSOR_DIFFERENCES.filter((d) => !seen.has(d.why)).map((d) => d.why), []);
  });

  describe('a note with ten citations, processed together', () => {
    const byKey = new Map(papers.map((paper) => [paper.key, paper]));
    // Two "Zhou et al., 2025" papers, a repeated citation and two with several keys among the ten.
    const clusters = [
      ['zhou2024treg'],
      ['zhou2025guig1'],
      ['rafailov2024r', 'chai2024marlhf'],
      ['deng2025token'],
      ['zhou2024treg'],
      ['zhong2024dpo'],
      ['wang2025rule', 'zhou2025guig1', 'huang2024vlmrl'],
      ['srivastava2025technical'],
      ['zhu2025tgdpo'],
      ['rafailov2024r'],
    ];
    /** The note, each citation written by `write`, one sentence each. */
    const note = (write: (keys: string[]) => string) => clusters.map((keys, i) => `Sentence ${i + 1} ${write(keys)}.`).join('\n\n') + '\n';
    const pandocNote = note((keys) => `[${keys.map((key) => `@${key}`).join('; ')}]`);
    /** The link texts of the note's formatted citations as plain text, in order. */
    const formattedTexts = (markdown: string) => {
      const seen = new Set<object>();
      return scanCitations(markdown).flatMap(({ formatted }) => {
        if (!formatted || seen.has(formatted)) return [];
        seen.add(formatted);
        return [markdown.slice(formatted.textStart, formatted.textEnd).replace(/\\(.)/g, '$1')];
      });
    };

    for (const styleId of ['apa', 'ieee']) {
      it(`gives the in-text citations, their numbers and the references pandoc gives in ${styleId}`, () => {
        // Lit Notes: the note with formatted citations of stale text, refreshed by the document-aware engine.
        const stale = note((keys) => formattedCitationMarkdown('?', keys));
        const lookup = (key: string) => byKey.get(key);
        const refreshed = apply(stale, refreshCitations(stale, { formatter, styleId }, lookup).edits);
        const ours = formattedTexts(refreshed);
        const cited = resolveCitedPapers(refreshed, lookup).papers;
        assert.equal(cited.length, 10);
        writeFileSync(join(dir, 'cited.json'), JSON.stringify(cited.map(citeprocItem)));

        const html = pandoc(['--citeproc', '--csl', styleFile(styleId), '--bibliography', join(dir, 'cited.json'), '-t', 'html', '--wrap=none'], pandocNote);
        const theirs = [...html.matchAll(/<span class="citation" data-cites="[^"]*">([\s\S]*?)<\/span>/g)].map((m) => normalise(m[1]));
        assert.equal(theirs.length, 10, html);
        assert.deepEqual(ours, theirs);
        if (styleId === 'apa') {
          assert.equal(ours[0], '(W. Zhou et al., 2025)');
          assert.equal(ours[1], '(Y. Zhou et al., 2025)');
        } else {
          assert.deepEqual(ours.slice(0, 5), ['[1]', '[2]', '[3], [4]', '[5]', '[1]']);
        }
        const references = formatter.formatBibliography(cited, styleId, 'html').map(normalise);
        const differ = mismatches(styleId, references, pandocReferences(html));
        assert.equal(differ.length, 0, `${differ.length} of 10 references differ in ${styleId}:\n${differ.join('\n\n')}`);
      });
    }
  });
  describe("a note with Lit Notes' References section", () => {
    const cited = () => papers.slice(0, 3);
    const note = () => `---\ntitle: "Reading"\n---\n\n# Reading\n\nTwo methods [@${cited()[0].key}; @${cited()[1].key}] and a third @${cited()[2].key}.\n`;
    const run = (markdown: string, to: string) => {
      // The library as Export Bibliography writes it.
      const library = join(dir, 'exported.json');
      writeFileSync(library, exportCslJson(cited()));
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
      const hostile = retitled(cited()[0], '[Click me](command:litnotes.refresh) <img src=x onerror=alert(1)> __init__ *x* @fake');
      const [entry] = formatter.formatBibliography([hostile], 'apa', 'markdown');
      const html = pandoc(['-t', 'html', '--wrap=none'], entry);
      assert.doesNotMatch(html, /href="command|<img|<strong>|<em>x<\/em>|class="citation"/);
      assert.ok(html.includes('[Click me](command:litnotes.refresh) &lt;img src=x onerror=alert(1)&gt; __init__ *x* @fake'), html);
    });
  });
});
