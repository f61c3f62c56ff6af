import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { citationPlugin, type CitationSource } from '../../src/core/citationPlugin';
import { noteClusters, paperPage, parseLocator } from '../../src/core/citationRendering';
import { citeprocItem, CslFormatter, type CslNode } from '../../src/core/csl';
import { cslStyleXml } from '../../src/core/cslStyleXml';
import type { Paper } from '../../src/core/model';
import { renderNoteHtml, renderNoteMarkdown, type NoteSource } from '../../src/core/noteRender';
import { paperLookup } from '../../src/core/paperLookup';
import { readStyleFile } from '../../src/node/cslAssets';
import { archer, hostile, journal, makePaper, preprint, retitled, treg } from './paperFixtures';
import { requireTool } from './referenceTools';
import { cslAssets, previewMarkdown, renderAsPreview, type TestSource } from './previewHelpers';

const PAPERS = [treg, archer, journal, preprint, hostile];

/** The visible text of rendered HTML. */
function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text of each rendered citation, in order. */
function citations(html: string): string[] {
  return [...html.matchAll(/<span class="litnotes-citation[^"]*"[^>]*>([\s\S]*?)<\/span>/g)].map((m) => text(m[1]));
}

/** The [text, key] of each link of the note's citations. */
function links(html: string): string[][] {
  return [...html.matchAll(/<a class="litnotes-cite" [^>]*data-key="([^"]*)">([\s\S]*?)<\/a>/g)].map((m) => [text(m[2]), m[1]]);
}

function bibliography(html: string): string[] {
  return [...html.matchAll(/<div id="ref-[^"]*" class="csl-entry"[^>]*>([\s\S]*?)<\/div>/g)].map((m) => text(m[1]));
}

describe('citation preview: the markdown-it plugin', () => {
  let assets: Awaited<ReturnType<typeof cslAssets>>;
  let formatter: CslFormatter;
  const render = (note: string, source: Partial<TestSource> = {}) => renderAsPreview(previewMarkdown({ papers: PAPERS, formatter, ...source }), note);

  before(async () => {
    assets = await cslAssets();
  });
  after(() => assets.remove());
  beforeEach(() => {
    formatter = assets.formatter();
  });

  describe('every Pandoc citation form', () => {
    const note = [
      'One [@zhou2024treg], two [@zhou2024treg; @silver2016mastering], a prefix and locator [see @zhou2024archer, p. 3],',
      'in the text @silver2016mastering says, with a locator @zhou2024archer [chap. 2], suppressed [-@zhou2024treg],',
      'braced [@{silver2016mastering}, pp. 33-35, and elsewhere].',
    ].join('\n');

    it('in APA (author-date: disambiguated names, in-text authors outside the parentheses)', () => {
      assert.deepEqual(citations(render(note, { styleId: 'apa' })), [
        '(W. Zhou et al., 2024)',
        '(Silver & Huang, 2016; W. Zhou et al., 2024)',
        '(see Y. Zhou et al., 2024, p. 3)',
        'Silver & Huang (2016)',
        'Y. Zhou et al. (2024, Chapter 2)',
        '(2024)',
        '(Silver & Huang, 2016, pp. 33–35, and elsewhere)',
      ]);
    });

    it('in IEEE (numbered by first citation; an in-text citation names the authors)', () => {
      assert.deepEqual(citations(render(note, { styleId: 'ieee' })), [
        '[1]',
        '[1], [2]',
        'see [3, p. 3]',
        'Silver and Huang [2]',
        'Zhou et al. [3, Ch. 2]',
        '[1]',
        '[2, pp. 33–35], and elsewhere',
      ]);
    });

    it('leaves code, e-mail addresses, escaped @ and links alone', () => {
      const html = render('`[@zhou2024treg]` mail a@zhou2024treg.org \\@zhou2024treg [x](https://example.org/@zhou2024treg)\n\n```\n[@zhou2024treg]\n```\n');
      assert.deepEqual(citations(html), []);
      assert.equal(bibliography(html).length, 0);
    });

    it('makes a key in a link text no link inside the link', () => {
      const html = render('[read @zhou2024treg](https://example.org)');
      assert.deepEqual(citations(html), ['Zhou et al. (2024)']);
      assert.doesNotMatch(html.split('\n')[0], /<a [^>]*>[^]*<a /);
    });

    it('reads locators as pandoc does', () => {
      assert.deepEqual(parseLocator('p. 3'), { label: 'page', locator: '3', suffix: '' });
      assert.deepEqual(parseLocator('33-35, 38'), { label: 'page', locator: '33-35, 38', suffix: '' });
      assert.deepEqual(parseLocator('§ 4, and passim'), { label: 'section', locator: '4', suffix: ', and passim' });
      assert.deepEqual(parseLocator('vol. {ii–iv}'), { label: 'volume', locator: 'ii–iv', suffix: '' });
      assert.deepEqual(parseLocator('and elsewhere'), { suffix: 'and elsewhere' });
    });

    it('finds the same citations as the scanner, a bare key with its bracketed locator', () => {
      const clusters = noteClusters('@zhou2024treg [p. 3] and [@a; -@b, ch. 2]');
      assert.deepEqual(
        clusters.map((cluster) => [cluster.raw, cluster.inText, cluster.items.map((item) => [item.key, item.locator, item.suppressAuthor])]),
        [
          ['@zhou2024treg [p. 3]', true, [['zhou2024treg', 'p. 3', false]]],
          ['[@a; -@b, ch. 2]', false, [['a', '', false], ['b', 'ch. 2', true]]],
        ],
      );
    });
  });

  describe('hover, links and unknown keys', () => {
    it("links a citation to its paper's page (DOI, else arXiv) with the full reference as the tooltip", () => {
      const html = render('[@zhou2024treg] [@silver2016mastering] [@zhou2024treg; @silver2016mastering]');
      assert.match(html, /<a class="litnotes-cite" href="https:\/\/arxiv\.org\/abs\/2412\.02685" title="Zhou, W\., Zhang, S\., Zhao, L\., &amp; Meng, T\. \(2024\)\. T-REG[^"]*" data-key="zhou2024treg">\(Zhou et al\., 2024\)<\/a>/);
      assert.match(html, /href="https:\/\/doi\.org\/10\.1038\/nature16961" title="Silver, D\., &amp; Huang, A\. \(2016\)\. Mastering/);
      // A citation of several papers: each paper's part its own link, with its own reference as the tooltip.
      assert.match(html, /<span class="litnotes-citation" title="[^"]*">\(<a class="litnotes-cite" href="https:\/\/doi\.org\/10\.1038\/nature16961" title="Silver, D\.[^"]*" data-key="silver2016mastering">Silver &amp; Huang, 2016<\/a>; <a class="litnotes-cite" href="https:\/\/arxiv\.org\/abs\/2412\.02685" title="Zhou, W\.[^"]*" data-key="zhou2024treg">Zhou et al\., 2024<\/a>\)<\/span>/);
      assert.doesNotMatch(html, /command:/);
    });

    it('links to the bibliography entry with link-citations, as pandoc does', () => {
      const html = render('---\nlink-citations: true\n---\n[@zhou2024treg]');
      assert.match(html, /href="#ref-zhou2024treg"/);
      assert.match(html, /<div id="ref-zhou2024treg" class="csl-entry"/);
    });

    it("links each paper's part of a citation of several, with prefixes and locators or without (IEEE)", () => {
      const html = render('[@zhou2024treg; @silver2016mastering] [see @zhou2024archer, p. 3; @silver2016mastering, chap. 2]', { styleId: 'ieee' });
      assert.deepEqual(citations(html), ['[1], [2]', '[2, Ch. 2], see [3, p. 3]']);
      // A number alone is the paper's part: the brackets around it are the style's, as a PDF's linked citations have it.
      assert.match(html, /<span class="litnotes-citation" title="[^"]*">\[<a class="litnotes-cite" href="https:\/\/arxiv\.org\/abs\/2412\.02685" title="\[1\] W\. Zhou[^"]*" data-key="zhou2024treg">1<\/a>\], \[<a class="litnotes-cite" href="https:\/\/doi\.org\/10\.1038\/nature16961" title="\[2\] D\. Silver[^"]*" data-key="silver2016mastering">2<\/a>\]<\/span>/);
      assert.deepEqual(links(html), [['1', 'zhou2024treg'], ['2', 'silver2016mastering'], ['[2, Ch. 2]', 'silver2016mastering'], ['see [3, p. 3]', 'zhou2024archer']]);
    });

    it('links each part to its bibliography entry with link-citations', () => {
      const html = render('---\nlink-citations: true\n---\n[@zhou2024treg; @silver2016mastering]');
      assert.match(html, /\(<a class="litnotes-cite" href="#ref-silver2016mastering" [^>]*>Silver &amp; Huang, 2016<\/a>; <a class="litnotes-cite" href="#ref-zhou2024treg" [^>]*>Zhou et al\., 2024<\/a>\)/);
    });

    it('links the ends of a range the style collapses to, the cluster\'s hover naming every paper (Vancouver: "(1–3)")', () => {
      const html = render('[@zhou2024treg; @silver2016mastering; @zhou2024archer]', { styleId: 'vancouver' });
      assert.deepEqual(citations(html), ['(1–3)']);
      assert.deepEqual(links(html), [['1', 'zhou2024treg'], ['3', 'zhou2024archer']]);
      assert.match(html, /<span class="litnotes-citation" title="1\. Zhou W[^"]*\n2\. Silver D[^"]*\n3\. Zhou Y[^"]*">\(<a [^>]*>1<\/a>–<a [^>]*>3<\/a>\)<\/span>/);
    });

    it('shows an unknown key as written, marked with the Problems panel message, and never drops it', () => {
      const html = render('See [@nope2024; @zhou2024treg] and @missing.');
      assert.match(html, /<span class="litnotes-citation litnotes-unknown" title="No paper with the citation key &quot;nope2024&quot; in the library\.">\[@nope2024; @zhou2024treg\]<\/span>/);
      assert.match(html, /<span class="litnotes-citation litnotes-unknown" title="No paper with the citation key &quot;missing&quot; in the library\.">@missing<\/span>/);
      // The known paper of the group is still in the bibliography.
      assert.equal(bibliography(html).length, 1);
    });
  });

  describe('a citation of several papers: a link and a hover for each paper, the text as pandoc writes it', () => {
    const again = { ...retitled(treg, 'Token-level rewards, again'), key: 'zhou2024again' };
    const papers = [treg, archer, journal, preprint, again];
    const clusters = [
      '[@zhou2024treg; @zhou2024archer]',
      '[@zhou2024treg; @zhou2024archer; @silver2016mastering]',
      '[@silver2016mastering; @nvidia2025nemotron, p. 4]',
      '[see @zhou2024treg; @nvidia2025nemotron]',
      '[@zhou2024archer; @zhou2024treg; @nvidia2025nemotron; @silver2016mastering]',
    ];
    const note = clusters.map((cluster, i) => `Sentence ${i + 1} ${cluster}.`).join('\n\n') + '\n';
    /** Each citation's links as [text, key, tooltip, address]. */
    const parts = (html: string) =>
      [...html.matchAll(/<span class="litnotes-citation"[^>]*>((?:(?!<\/span>)[\s\S])*)<\/span>/g)].map((m) =>
        [...m[1].matchAll(/<a class="litnotes-cite" href="([^"]*)" title="([^"]*)" data-key="([^"]*)">([\s\S]*?)<\/a>/g)].map((a) => [text(a[4]), a[3], text(a[2]), a[1]]),
      );
    const pandocCitations = (styleId: string) => {
      requireTool('pandoc');
      const dir = mkdtempSync(join(tmpdir(), 'litnotes-several-'));
      try {
        writeFileSync(join(dir, 'style.csl'), cslStyleXml(JSON.parse(readFileSync(join(assets.dir, 'dist', 'csl', 'styles', `${styleId}.json`), 'utf8')) as CslNode));
        writeFileSync(join(dir, 'papers.json'), JSON.stringify(papers.map(citeprocItem)));
        const html = execFileSync('pandoc', ['--citeproc', '--csl', join(dir, 'style.csl'), '--bibliography', join(dir, 'papers.json'), '-t', 'html', '--wrap=none'], { input: note, encoding: 'utf8' });
        return [...html.matchAll(/<span class="citation" data-cites="[^"]*">((?:(?!<\/?span)[\s\S])*)<\/span>/g)].map((m) => text(m[1]));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    // The links a numeric style gives: the number of each paper, a range its ends.
    const numbered: Record<string, string[][]> = {
      ieee: [['1', '2'], ['1', '2', '3'], ['3', '[4, p. 4]'], ['see [1]', '4'], ['1', '2', '3', '4']],
      vancouver: [['1', '2'], ['1', '3'], ['3', '4'], ['see 1', '4'], ['1', '4']],
    };
    for (const styleId of ['ieee', 'vancouver', 'apa', 'chicago-author-date', 'modern-language-association']) {
      it(`in ${styleId}`, function () {
        this.timeout(60_000);
        const html = render(note, { papers, styleId });
        assert.deepEqual(citations(html), pandocCitations(styleId));
        const entries = new Map([...html.matchAll(/<div id="ref-([^"]*)" class="csl-entry"[^>]*>([\s\S]*?)<\/div>/g)].map((m) => [m[1], text(m[2])]));
        parts(html).forEach((links, i) => {
          const keys = [...clusters[i].matchAll(/@([\w]+)/g)].map((m) => m[1]);
          // Each paper's own reference as its tooltip and its own page as its address; no paper twice.
          for (const [, key, title, href] of links) {
            assert.ok(keys.includes(key), `${key} in ${clusters[i]}`);
            assert.equal(title, entries.get(key));
            assert.equal(href, paperPage(papers.find((paper) => paper.key === key)));
          }
          assert.equal(new Set(links.map(([, key]) => key)).size, links.length);
          const expected = numbered[styleId]?.[i];
          if (expected) assert.deepEqual(links.map(([linked]) => linked), expected, clusters[i]);
          // Every paper has its link but those inside a range, whose numbers the cluster's hover names.
          else assert.equal(links.length, keys.length, `${styleId}: ${clusters[i]}`);
        });
      });
    }

    it('splits a citation as its own text sorts it in the note (Cite Them Right: two 2024 papers by Zhou, sorted by date)', () => {
      // Alone, out of the note, citeproc-js would sort the two in the order written: Y. before W.
      const html = render('[@zhou2024archer; @zhou2024treg; @nvidia2025nemotron; @silver2016mastering]', { papers, styleId: 'harvard-cite-them-right' });
      assert.deepEqual(citations(html), ['(Silver and Huang, 2016; W. Zhou et al., 2024; Y. Zhou et al., 2024; NVIDIA, 2025)']);
      assert.deepEqual(links(html).map(([, key]) => key), ['silver2016mastering', 'zhou2024treg', 'zhou2024archer', 'nvidia2025nemotron']);
    });

    it('links each of the papers an author-date style collapses under one name (APA: "2024b, 2024a")', () => {
      const html = render('[@zhou2024treg; @zhou2024again; @zhou2024archer]', { papers, styleId: 'apa' });
      assert.deepEqual(links(html), [['W. Zhou et al., 2024b', 'zhou2024treg'], ['2024a', 'zhou2024again'], ['Y. Zhou et al., 2024', 'zhou2024archer']]);
      assert.deepEqual(citations(html), ['(W. Zhou et al., 2024b, 2024a; Y. Zhou et al., 2024)']);
    });
  });

  describe("a paper's text stays text", () => {
    const evil = makePaper({
      key: 'evil',
      title: '<img src=x onerror=alert(1)> [x](command:y) __init__ *x* <script>alert(1)</script>',
      authors: [{ given: '<b onmouseover=alert(1)>', family: '[Click](command:litnotes.x)' }],
      year: 2024,
      venue: '<a href="javascript:alert(1)">Venue</a>',
      doi: '10.1/"><script>alert(1)</script>',
      links: { arxiv: 'javascript:alert(1)', pdf: 'command:workbench.action.quit' },
    });

    for (const styleId of ['apa', 'ieee', 'modern-language-association']) {
      it(`in ${styleId}: no tag, attribute, script or link comes from it`, () => {
        const html = render('[@evil] and @evil, [@evil; @zhou2024treg].\n', { papers: [evil, treg], styleId });
        // Only the plugin's own tags and attributes, whatever the paper holds.
        for (const [tag] of html.matchAll(/<[^>]*>/g)) {
          assert.match(tag, /^<\/?(?:p|span|a|i|b|div)(?: (?:class|title|href|data-key|id|role)="[^"<>]*")*>$/, tag);
        }
        assert.doesNotMatch(html, /<(?:img|script)|href="(?:javascript|command):/i);
        assert.match(bibliography(html)[0], /<img src=x onerror=alert\(1\)> \[x\]\(command:y\) __init__ \*x\*/i);
        // The one link it may have is its DOI, percent-encoded into an https address (beside the other paper's page).
        for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href, /^https:\/\/doi\.org\/10\.1\/(?:%22%3E%3Cscript%3E|$)|^https:\/\/arxiv\.org\/abs\/2412\.02685$|^#ref-zhou2024treg$/);
      });
    }
  });

  describe('where the bibliography goes', () => {
    it('at the end by default, in the style order', () => {
      const html = render('# Note\n\n[@zhou2024treg] [@silver2016mastering]\n\nLast paragraph.\n');
      assert.ok(html.indexOf('Last paragraph') < html.indexOf('id="refs"'));
      assert.deepEqual(bibliography(html).map((entry) => entry.slice(0, 12)), ['Silver, D., ', 'Zhou, W., Zh']);
    });

    it('in a ::: {#refs} div, after what it holds', () => {
      const html = render('[@zhou2024treg]\n\n::: {#refs .small}\n## References\n:::\n\nAppendix.\n');
      assert.match(html, /<h2>References<\/h2>\n<div id="refs"[\s\S]*<\/div>\n<p>Appendix\.<\/p>/);
      assert.doesNotMatch(html, /:::/);
    });

    it("in place of a list between Lit Notes' References markers", () => {
      const note = '[@zhou2024treg]\n\n## References\n\n<!-- litnotes:references -->\nAn old list.\n<!-- /litnotes:references -->\n\nAfter.\n';
      const html = render(note);
      assert.doesNotMatch(html, /An old list/);
      assert.match(html, /<h2>References<\/h2>\n<!-- litnotes:references -->\n<div id="refs"[\s\S]*<!-- \/litnotes:references -->\n<p>After\.<\/p>/);
    });

    it('nowhere with suppress-bibliography (a written list stands as written)', () => {
      const note = '---\nsuppress-bibliography: true\n---\n[@zhou2024treg]\n\n<!-- litnotes:references -->\nAn old list.\n<!-- /litnotes:references -->\n';
      const html = render(note);
      assert.match(html, /An old list/);
      assert.doesNotMatch(html, /id="refs"/);
      assert.deepEqual(citations(html), ['(Zhou et al., 2024)']);
    });

    it('with the nocite papers (after the cited ones in a numeric style), and every paper for @*', () => {
      const html = render('---\ncsl: ieee\nnocite: "@silver2016mastering"\n---\n[@zhou2024treg]');
      assert.deepEqual(bibliography(html).map((entry) => entry.slice(0, 12)), ['[1] W. Zhou,', '[2] D. Silve']);
      assert.equal(bibliography(render('---\nnocite: "@*"\n---\nNo citations.')).length, PAPERS.length);
    });

    it('under reference-section-title', () => {
      assert.match(render('---\nreference-section-title: Works cited\n---\n[@zhou2024treg]'), /<h2 class="unnumbered">Works cited<\/h2>\n<div id="refs"/);
    });
  });

  describe('front matter', () => {
    it("takes the note's csl (a style id) and lang", () => {
      assert.deepEqual(citations(render('---\ncsl: ieee\n---\n[@zhou2024treg]')), ['[1]']);
      const seen: TestSource['seen'] = [];
      render('---\nlang: de-DE\nbibliography: [refs.bib]\n---\n[@zhou2024treg]', { seen });
      assert.equal(seen[0].lang, 'de-DE');
      assert.deepEqual(seen[0].bibliography, ['refs.bib']);
    });

    it('renders German terms for a de-DE formatter', () => {
      formatter = assets.formatter('de-DE');
      assert.deepEqual(citations(render('[@zhou2024treg] @silver2016mastering', { styleId: 'chicago-author-date' })), ['(Zhou u. a. 2024)', 'Silver und Huang (2016)']);
    });

    it('says in words when the style cannot be used, and leaves the citations as written', () => {
      const html = render('---\ncsl: no-such-style\n---\n[@zhou2024treg]');
      assert.match(html, /<p class="litnotes-problem">Lit Notes could not format the citations: Unknown citation style &quot;no-such-style&quot;\.<\/p>/);
      assert.deepEqual(citations(html), ['[@zhou2024treg]']);
    });
  });

  describe('a style that fails to load or to format during a render', () => {
    let folder: string;
    /** A valid CSL style but for a text case citeproc-js has no formatter for: it fails only when it writes a title. */
    const failsOnTitles = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Fails on titles</title><id>http://example.org/styles/fails</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title" text-case="bogus"/></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
`;
    before(() => {
      folder = mkdtempSync(join(tmpdir(), 'litnotes-styles-'));
      writeFileSync(join(folder, 'broken.csl'), '<style><info><title>x</title></info><citation><layout></citation></style>');
      writeFileSync(join(folder, 'no-citation.csl'), '<style xmlns="http://purl.org/net/xbiblio/csl"><info><title>x</title></info><bibliography><layout/></bibliography></style>');
      writeFileSync(join(folder, 'fails.csl'), failsOnTitles);
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    /** The note rendered as the preview does, its csl: read as the extension reads it: a .csl file relative to the note, by its path. */
    const renderWith = (note: string, source?: (csl: string | undefined) => CitationSource) => {
      const md = new MarkdownIt({ html: true, linkify: true });
      citationPlugin(md, {
        hideFrontMatter: true,
        source: (_env, options) => {
          if (source) return source(options.csl);
          const file = options.csl && /\.csl$/i.test(options.csl) ? join(folder, options.csl) : undefined;
          const styles = file ? [{ ...readStyleFile(file, options.csl), info: { id: file, title: file } }] : [];
          const styleId = file ?? options.csl ?? 'apa';
          return { style: { formatter: assets.formatter(undefined, () => styles), styleId }, styleKey: styleId, lookup: paperLookup(PAPERS), allPapers: () => PAPERS, version: 0, document: 'file:///note.md' };
        },
      });
      return renderAsPreview(md, note);
    };
    const body = 'One [@zhou2024treg], two [@zhou2024treg; @silver2016mastering] and @zhou2024archer says.\n\n## References\n';
    const problems = (html: string) => [...html.matchAll(/<p class="litnotes-problem">([^<]*)<\/p>/g)].map((m) => text(m[1]));

    for (const [csl, reason] of [
      ['broken.csl', /^The citation style ".*broken\.csl" is not well-formed XML: <\/citation> on line 1 does not close <layout>\.$/],
      ['no-citation.csl', /^The citation style ".*no-citation\.csl" is not a CSL style: it has no <citation>\.$/],
      ['fails.csl', /^The citation style ".*fails\.csl" failed: .+/],
      ['missing.csl', /^Cannot read the citation style file "missing\.csl": ENOENT: no such file or directory/],
      ['no-such-style', /^Unknown citation style "no-such-style"\.$/],
    ] as const) {
      it(`shows why in a paragraph and the citations as written: ${csl}`, () => {
        const html = renderWith(`---\ncsl: ${csl}\n---\n${body}`);
        const [problem, ...more] = problems(html);
        assert.deepEqual(more, []);
        assert.match(problem, /^Lit Notes could not format the citations: /);
        assert.match(problem.replace('Lit Notes could not format the citations: ', ''), reason);
        assert.deepEqual(citations(html), ['[@zhou2024treg]', '[@zhou2024treg; @silver2016mastering]', '@zhou2024archer']);
        assert.equal(bibliography(html).length, 0);
        // The rest of the note as ever.
        assert.match(html, /<h2>References<\/h2>/);
      });
    }

    it('shows the paragraph with suppress-bibliography too, and the same again on the next render', () => {
      const note = `---\ncsl: broken.csl\nsuppress-bibliography: true\n---\n${body}`;
      assert.equal(problems(renderWith(note)).length, 1);
      assert.equal(problems(renderWith(note)).length, 1);
    });

    it('keeps a hostile file name text', () => {
      const html = renderWith(`---\ncsl: "<img src=x onerror=alert(1)>[x](command:y).csl"\n---\n${body}`);
      assert.match(problems(html)[0], /Cannot read the citation style file "<img src=x onerror=alert\(1\)>\[x\]\(command:y\)\.csl"/);
      assert.doesNotMatch(html, /<img|href="command/);
    });

    it('says so when the style cannot even be looked up, rather than failing the render', () => {
      const html = renderWith(body, () => {
        throw new Error('the style folder is gone');
      });
      assert.deepEqual(problems(html), ['Lit Notes could not format the citations: the style folder is gone']);
      assert.deepEqual(citations(html), ['[@zhou2024treg]', '[@zhou2024treg; @silver2016mastering]', '@zhou2024archer']);
    });
  });

  describe('keystroke cost', () => {
    function counting(): { count: () => number } {
      let calls = 0;
      // Every processing of a note's citations asks the formatter which engines of the style are current.
      const generation = formatter.styleGeneration.bind(formatter);
      formatter.styleGeneration = (styleId: string) => {
        calls++;
        return generation(styleId);
      };
      return { count: () => calls };
    }

    it('formats nothing again while the text outside the citations changes, and again when a citation, the style or the library does', () => {
      const { count } = counting();
      const md = previewMarkdown({ papers: PAPERS, formatter, document: 'file:///note.md' });
      const source = (version: number) => previewMarkdown({ papers: PAPERS, formatter, document: 'file:///note.md', version });
      md.render('Intro [@zhou2024treg] and [@silver2016mastering].', {});
      assert.equal(count(), 1);
      md.render('Intro typed [@zhou2024treg] and more text [@silver2016mastering].', {});
      md.render('Intro typed\n\n# A heading [@zhou2024treg] and more text [@silver2016mastering]!', {});
      assert.equal(count(), 1);
      const added = md.render('Intro [@zhou2024treg] and [@silver2016mastering] and [@zhou2024archer].', {});
      assert.equal(count(), 2);
      assert.deepEqual(citations(added), ['(W. Zhou et al., 2024)', '(Silver & Huang, 2016)', '(Y. Zhou et al., 2024)']);
      md.render('---\ncsl: ieee\n---\nIntro [@zhou2024treg] and [@silver2016mastering] and [@zhou2024archer].', {});
      assert.equal(count(), 3);
      // Each plugin instance has its own cache; the version is what a library change bumps.
      const next = source(1);
      next.render('x [@zhou2024treg]', {});
      next.render('y [@zhou2024treg]', {});
      assert.equal(count(), 4);
    });

    it("formats VS Code's cached tokens again at render time when the library changes", () => {
      // VS Code keeps a note's tokens until its text changes and renders them with a new environment each time.
      const source: TestSource = { papers: [treg], formatter, document: 'file:///note.md', version: 0 };
      const md = previewMarkdown(source);
      const tokens = md.parse('Known [@zhou2024treg], later [@zhou2024archer].', {});
      const first = md.renderer.render(tokens, md.options, { currentDocument: 'file:///note.md' });
      assert.deepEqual(citations(first), ['(Zhou et al., 2024)', '[@zhou2024archer]']);
      source.papers = [treg, archer];
      source.version = 1;
      const second = md.renderer.render(tokens, md.options, { currentDocument: 'file:///note.md' });
      assert.deepEqual(citations(second), ['(W. Zhou et al., 2024)', '(Y. Zhou et al., 2024)']);
      assert.match(second, /class="csl-entry"/);
    });

    it('leaves the citations and a written References list as they are when there is no source', () => {
      const md = new MarkdownIt({ html: true });
      citationPlugin(md, { source: () => undefined });
      const note = 'See [@zhou2024treg].\n\n<!-- litnotes:references -->\n- Zhou (2025)\n<!-- /litnotes:references -->\n';
      const html = md.render(note);
      assert.match(html, /See \[@zhou2024treg\]\./);
      assert.match(html, /<li>Zhou \(2025\)<\/li>/);
    });

    it('renders every edit as a fresh plugin does, the scan moved or made again', () => {
      const warm = previewMarkdown({ papers: PAPERS, formatter, document: 'file:///note.md' });
      let note = '---\ncsl: apa\n---\nIntro [@zhou2024treg; @silver2016mastering] and @zhou2024archer says.\n\nMore text [see @treg, p. 3].\n';
      const edits: [string, string][] = [
        ['Intro', 'Intro typed'], // outside the citations: moved
        ['More text', 'More\ntext'],
        ['and @zhou2024archer', 'and\n\n@zhou2024archer'],
        ['@treg', '@zhou2024treg'], // inside a citation: scanned again
        ['csl: apa', 'csl: ieee'], // the front matter
        ['Intro typed', 'Intro typed [@silver2016mastering]'],
        ['typed', 'typed ```'],
        ['says.', 'says. x@y.org'],
        ['x@y.org', '@y.org'],
      ];
      for (const [from, to] of edits) {
        note = note.replace(from, to);
        const fresh = previewMarkdown({ papers: PAPERS, formatter, document: 'file:///note.md' });
        assert.equal(renderAsPreview(warm, note), renderAsPreview(fresh, note), `${from} → ${to}`);
      }
      assert.deepEqual(citations(renderAsPreview(warm, note)), ['[1]', '[1], [2]', 'Zhou et al. [3]', '@y.org', 'see [2, p. 3]']);
    });

    it('renders identical citations of one note in document order', () => {
      const html = render('[@zhou2024treg] [@zhou2024archer] [@zhou2024treg]', { styleId: 'ieee' });
      assert.deepEqual(citations(html), ['[1]', '[2]', '[1]']);
    });
  });
});

describe('citation preview: the exported note', () => {
  let assets: Awaited<ReturnType<typeof cslAssets>>;
  let source: NoteSource;

  before(async () => {
    assets = await cslAssets();
    const formatter = assets.formatter();
    const lookup = paperLookup(PAPERS);
    source = (options) => ({ style: { formatter, styleId: options.csl ?? 'apa' }, styleKey: 'x', lookup, allPapers: (): readonly Paper[] => PAPERS, version: 0 });
  });
  after(() => assets.remove());

  it('as a standalone page: styles inline, a policy that loads and runs nothing, the front matter hidden', () => {
    const html = renderNoteHtml('---\ntitle: "My <note>"\nlang: en-GB\n---\n# Heading\n\n[@zhou2024treg]\n', source, 'file', (options) => new MarkdownIt(options));
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en-GB">/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    assert.match(html, /<title>My &lt;note&gt;<\/title>/);
    assert.match(html, /<style>[\s\S]*\.csl-entry[\s\S]*<\/style>/);
    assert.doesNotMatch(html, /title: |<link|<script|src="http/);
    assert.deepEqual(citations(html), ['(Zhou et al., 2024)']);
  });

  it('as Markdown: citations replaced by their linked text, the bibliography at the end, unknown keys as written', () => {
    const { markdown, rendered } = renderNoteMarkdown('---\ncsl: ieee\n---\nAs [@zhou2024treg] and [@nope] show.\n', source);
    assert.equal(
      markdown,
      '---\ncsl: ieee\n---\nAs [\\[1\\]](https://arxiv.org/abs/2412.02685) and [@nope] show.\n\n' +
        '\\[1\\] W. Zhou, S. Zhang, L. Zhao, and T. Meng, “T-REG: Preference optimization with token-level reward regularization,” in *ACL 2025*, 2024. \\[Online\\]. Available: <https://arxiv.org/abs/2412.02685>\n',
    );
    assert.deepEqual(rendered.unknown, [[], ['nope']]);
  });

  it('as Markdown: the bibliography inside the {#refs} div, with anchors for link-citations', () => {
    const { markdown } = renderNoteMarkdown('---\nlink-citations: true\n---\n[@silver2016mastering]\n\n::: {#refs}\n:::\n', source);
    assert.match(markdown, /\[\(Silver & Huang, 2016\)\]\(#ref-silver2016mastering\)\n\n::: \{#refs\}\n<span id="ref-silver2016mastering"><\/span>Silver, D\., & Huang, A\. \(2016\)\. Mastering .*\n:::\n$/);
  });

  it("as Markdown: a paper's text escaped (no link, HTML or emphasis from it)", () => {
    const { markdown } = renderNoteMarkdown('[@evil2024]', source);
    const entry = markdown.split('\n\n')[1];
    assert.match(entry, /Break \\\[out\\\]\(javascript:alert\(1\)\) \\<img src=x onerror=alert\(1\)>/);
  });
});
