import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  citeprocItem,
  CslError,
  CslFormatter,
  pickLocale,
  readStyleInfo,
  type CiteprocModule,
  type CslLoader,
} from '../../src/core/csl';
import { markdownFromCslHtml } from '../../src/core/cslMarkdown';
import { cslTitle } from '../../src/core/cslTitle';
import { archer, fromRecord, hostile, journal, makePaper, preprint, retitled, treg } from './paperFixtures';
import { cpuMs } from './cpuTime';

const MINIMAL_STYLE = `<?xml version="1.0" encoding="utf-8"?>
<!-- a comment with <angle> brackets -->
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info>
    <title>Minimal &amp; Plain</title>
    <id>http://example.org/styles/minimal</id>
    <updated>2024-01-01T00:00:00+00:00</updated>
  </info>
  <citation>
    <layout prefix="&lt;" suffix="&gt;" delimiter="; ">
      <names variable="author"><name form="short"/></names>
      <date variable="issued" prefix=" "><date-part name="year"/></date>
    </layout>
  </citation>
  <bibliography>
    <sort><key variable="title"/></sort>
    <layout suffix=".">
      <text variable="title" prefix="MINI: "/>
    </layout>
  </bibliography>
</style>
`;

const BUILT_IN = ['apa', 'ieee', 'chicago-author-date', 'modern-language-association', 'harvard-cite-them-right', 'vancouver'];

describe('csl', () => {
  let assets: string;
  const userStyles = new Map<string, string>();
  let styleLoads: string[];
  let formatter: CslFormatter;
  const requireFromHere = createRequire(__filename);

  const loader: CslLoader = {
    loadCiteproc: () => requireFromHere('citeproc') as CiteprocModule,
    loadStyle: (id) => {
      styleLoads.push(id);
      if (userStyles.has(id)) return userStyles.get(id);
      const file = join(assets, 'styles', `${id}.json`);
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as object) : undefined;
    },
    loadLocale: (lang) => {
      localeLoads.push(lang);
      const file = join(assets, 'locales', `${lang}.json`);
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as object) : undefined;
    },
  };
  let localeLoads: string[];

  let writeCslAssets: (outDir: string) => Promise<void>;

  before(async () => {
    const script = pathToFileURL(join(__dirname, '../../scripts/csl-assets.mjs')).href;
    ({ writeCslAssets } = (await import(script)) as { writeCslAssets: typeof writeCslAssets });
    assets = mkdtempSync(join(tmpdir(), 'litnotes-csl-'));
    await writeCslAssets(assets);
  });
  after(() => rmSync(assets, { recursive: true, force: true }));
  beforeEach(() => {
    styleLoads = [];
    localeLoads = [];
    userStyles.clear();
    formatter = new CslFormatter(loader);
  });

  describe('assets', () => {
    it('lists the built-in styles with their titles and keeps the licence notices', () => {
      const styles = JSON.parse(readFileSync(join(assets, 'styles.json'), 'utf8')) as { id: string; title: string }[];
      assert.deepEqual(styles.map((s) => s.id), BUILT_IN);
      assert.equal(styles[0].title, 'American Psychological Association 7th edition');
      for (const { id } of styles) {
        const style = JSON.parse(readFileSync(join(assets, 'styles', `${id}.json`), 'utf8')) as { name: string };
        assert.equal(style.name, 'style');
      }
      const notice = readFileSync(join(assets, 'NOTICE.md'), 'utf8');
      for (const text of ['citeproc-js', 'Affero', 'Common Public Attribution', 'Creative Commons', 'Attribution-ShareAlike 3.0', 'citation-style-language/styles']) {
        assert.ok(notice.includes(text), text);
      }
    });

    it('is idempotent: rewrites nothing unchanged and drops files it no longer makes', async () => {
      const apa = join(assets, 'styles', 'apa.json');
      const before = { text: readFileSync(apa, 'utf8'), mtime: statSync(apa).mtimeMs };
      const stale = join(assets, 'styles', 'retired-style.json');
      writeFileSync(stale, '{}');
      await writeCslAssets(assets);
      assert.deepEqual({ text: readFileSync(apa, 'utf8'), mtime: statSync(apa).mtimeMs }, before);
      assert.equal(existsSync(stale), false);
    });
  });

  describe('citeprocItem', () => {
    it("gives citeproc the paper's record, with its key as id", () => {
      assert.deepEqual(citeprocItem(treg), {
        id: 'zhou2024treg',
        'citation-key': 'zhou2024treg',
        ...treg.record,
        title: cslTitle(treg.title),
      });
    });

    it('takes the type from the record, never from the venue string', () => {
      const book = fromRecord('sutton2018', { type: 'book', title: 'Reinforcement Learning: An Introduction', publisher: 'MIT Press', edition: '2', author: [{ family: 'Sutton', given: 'Richard S.' }] });
      const item = citeprocItem(book);
      assert.equal(item.type, 'book');
      assert.equal(item.publisher, 'MIT Press');
      assert.equal(item['container-title'], undefined);
      assert.equal(item.edition, '2');
      // "ICML" in a thesis's note does not make it a conference paper.
      assert.equal(citeprocItem(fromRecord('t', { type: 'thesis', title: 'T', genre: 'PhD thesis', publisher: 'MIT', note: 'ICML 2024 workshop' })).type, 'thesis');
      const [entry] = formatter.formatBibliography([book], 'apa', 'html');
      assert.ok(entry.includes('<i>Reinforcement learning: An introduction</i> (2nd ed.). MIT Press.'), entry);
    });

    it('makes a sensible record for a paper made by hand: a preprint as Zotero records one, a journal article', () => {
      const bare = { ...preprint, record: undefined };
      const item = citeprocItem(bare);
      assert.equal(item.type, 'article');
      assert.deepEqual(item.author, [{ literal: 'NVIDIA' }]);
      assert.equal(item.publisher, 'arXiv');
      assert.equal(item.number, 'arXiv:2504.03624');
      assert.equal(item.URL, 'https://arxiv.org/abs/2504.03624');
      assert.equal(item['container-title'], undefined);
      assert.equal(citeprocItem({ ...bare, venue: 'arXiv preprint' })['container-title'], undefined);
      const journalItem = citeprocItem({ ...journal, record: undefined });
      assert.equal(journalItem.type, 'article-journal');
      assert.equal(journalItem['container-title'], 'Nature');
      assert.equal(journalItem.DOI, '10.1038/nature16961');
      assert.equal(journalItem.URL, 'https://www.nature.com/articles/nature16961.pdf');
    });

    it('gives a hand-made paper the year only, from the listing when the paper has none', () => {
      const undated = makePaper({ key: 'k', title: 't', listingDate: { month: 3, day: 4 } });
      assert.equal(citeprocItem(undated).issued, undefined);
      assert.deepEqual(citeprocItem({ ...undated, year: 2023 }).issued, { 'date-parts': [[2023]] });
      assert.deepEqual(citeprocItem({ ...undated, listingDate: { year: 2022, month: 3, day: 4 } }).issued, { 'date-parts': [[2022]] });
    });

    it('writes "and others" as a last name "others", which the styles print', () => {
      const zheng = fromRecord('zheng2025', { type: 'article-journal', title: 'T', 'container-title': 'J', issued: { 'date-parts': [[2025]] }, author: [{ family: 'Zheng', given: 'Chujie' }, { family: 'Guo', given: 'Wei' }], custom: { 'and-others': ['author'] } });
      assert.deepEqual(citeprocItem(zheng).author, [{ family: 'Zheng', given: 'Chujie' }, { family: 'Guo', given: 'Wei' }, { literal: 'others' }]);
      assert.equal(formatter.formatCitation([zheng], 'apa'), '(Zheng et al., 2025)');
      assert.match(formatter.formatBibliography([zheng], 'apa')[0], /^Zheng, C\., Guo, W\., & others\. \(2025\)/);
    });
  });

  describe('built-in styles', () => {
    const expectations: Record<string, { bibliography: string[]; citation: string }> = {
      apa: {
        bibliography: [
          'Zhou, W., Zhang, S., Zhao, L., & Meng, T. (2024',
          'T-REG: Preference optimization with token-level reward regularization',
          'Zhou, Y., Zanette, A., Pan, J., Levine, S., & Kumar, A. (2024)',
        ],
        citation: '(W. Zhou et al., 2024; Y. Zhou et al., 2024)',
      },
      ieee: {
        bibliography: ['[1] W. Zhou, S. Zhang, L. Zhao, and T. Meng, “T-REG', '[2] Y. Zhou, A. Zanette, J. Pan, S. Levine, and A. Kumar', 'in ICML 2024'],
        citation: '[1], [2]',
      },
      'chicago-author-date': {
        bibliography: ['Zhou, Wenxuan, Shujian Zhang, Lingxiao Zhao, and Tao Meng. 2024.', 'In ACL 2025', 'Zhou, Yifei, Andrea Zanette'],
        citation: '(W. Zhou et al. 2024; Y. Zhou et al. 2024)',
      },
      'modern-language-association': {
        bibliography: ['Zhou, Wenxuan, et al. “T-REG', 'ACL 2025, 2024', 'Zhou, Yifei, et al.'],
        citation: '(W. Zhou et al.; Y. Zhou et al.)',
      },
      'harvard-cite-them-right': {
        bibliography: ['Zhou, W. et al. (2024)', 'in ACL 2025', 'Available at: https://arxiv.org/abs/2412.02685'],
        citation: '(W. Zhou et al., 2024; Y. Zhou et al., 2024)',
      },
      vancouver: {
        bibliography: ['1. Zhou W, Zhang S, Zhao L, Meng T. T-REG', '2. Zhou Y, Zanette A, Pan J, Levine S, Kumar A.', 'In: ICML 2024'],
        citation: '(1,2)',
      },
    };

    for (const styleId of BUILT_IN) {
      it(`formats references and citations in ${styleId}`, () => {
        const entries = formatter.formatBibliography([treg, archer], styleId);
        assert.equal(entries.length, 2);
        const text = entries.join('\n');
        for (const expected of expectations[styleId].bibliography) assert.ok(text.includes(expected), `${styleId}: ${expected}\n${text}`);
        assert.ok(entries[0].includes('2412.02685') && entries[1].includes('2402.19446'), text);
        assert.doesNotMatch(text, /<[a-z/]|&#?\w+;/i);
        assert.equal(formatter.formatCitation([treg, archer], styleId), expectations[styleId].citation);
      });
    }

    it('orders entries as the style does', () => {
      // APA sorts by author: Silver before Zhou, whatever the order given.
      const entries = formatter.formatBibliography([treg, journal], 'apa');
      assert.match(entries[0], /^Silver, D\., & Huang, A\. \(2016\)\. Mastering the game of Go/);
      assert.match(entries[1], /^Zhou, W\./);
    });

    it('formats a preprint with an institutional author', () => {
      const [entry] = formatter.formatBibliography([preprint], 'apa');
      assert.match(entry, /^NVIDIA\. \(2025\)\. Nemotron-H/);
      assert.ok(entry.includes('arXiv:2504.03624'), entry);
      assert.equal(formatter.formatCitation([preprint], 'apa'), '(NVIDIA, 2025)');
    });

    it('numbers a citation by the papers cited together', () => {
      assert.equal(formatter.formatCitation([archer], 'ieee'), '[1]');
      assert.equal(formatter.formatBibliography([archer], 'ieee').length, 1);
    });

    it('returns nothing for no papers', () => {
      assert.deepEqual(formatter.formatBibliography([], 'apa'), []);
      assert.equal(formatter.formatCitation([], 'apa'), '');
    });

    it('lists a paper given twice once', () => {
      assert.equal(formatter.formatBibliography([treg, treg], 'apa').length, 1);
    });
  });

  describe('engine cache', () => {
    it('compiles a style once and reuses its engine', () => {
      formatter.formatBibliography([treg], 'apa');
      formatter.formatCitation([archer], 'apa');
      formatter.formatBibliography([archer], 'apa', 'html');
      formatter.formatBibliography([treg], 'ieee');
      assert.deepEqual(styleLoads, ['apa', 'ieee']);
    });

    it('renders edited paper data, not what the engine saw before', () => {
      formatter.formatBibliography([treg], 'apa');
      const [entry] = formatter.formatBibliography([retitled(treg, 'A Different Title')], 'apa');
      assert.ok(entry.includes('A different title'), entry);
      assert.ok(!entry.includes('T-REG'), entry);
    });

    it('reloads a style after invalidate', () => {
      formatter.formatBibliography([treg], 'apa');
      formatter.invalidate('apa');
      formatter.formatBibliography([treg], 'apa');
      assert.deepEqual(styleLoads, ['apa', 'apa']);
    });
  });

  describe('user styles', () => {
    it('formats with a CSL XML style', () => {
      userStyles.set('user:minimal', MINIMAL_STYLE);
      assert.deepEqual(formatter.formatBibliography([treg, archer], 'user:minimal'), [
        'MINI: ArCHer: Training language model agents via hierarchical multi-turn RL.',
        'MINI: T-REG: Preference optimization with token-level reward regularization.',
      ]);
      assert.equal(formatter.formatCitation([treg], 'user:minimal'), '<Zhou, Zhang, Zhao, Meng 2024>');
      assert.equal(formatter.formatCitation([treg], 'user:minimal', 'html'), '&#60;Zhou, Zhang, Zhao, Meng 2024&#62;');
    });

    it('reads the id and title of a style', () => {
      assert.deepEqual(readStyleInfo(MINIMAL_STYLE), { id: 'http://example.org/styles/minimal', title: 'Minimal & Plain' });
      assert.deepEqual(readStyleInfo('<style><info></info></style>'), { id: undefined, title: undefined });
    });

    const broken: [string, string, RegExp][] = [
      ['truncated', MINIMAL_STYLE.slice(0, 400), /not well-formed XML/],
      ['unclosed element', MINIMAL_STYLE.replace('</layout>\n  </citation>', '</citation>'), /not well-formed XML: <\/citation> on line \d+ does not close <layout>/],
      ['not XML', 'this is not a style', /not well-formed XML: no root element/],
      ['HTML page', '<html><body>404</body></html>', /root element is not <style>/],
      ['no citation', '<style><info><title>No citation</title></info></style>', /has no <citation>/],
      ['no info title', MINIMAL_STYLE.replace(/<title>.*<\/title>/, ''), /has no <info> with a <title>/],
      [
        'dependent style',
        '<style><info><link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>',
        /dependent style/,
      ],
      ['unknown element', MINIMAL_STYLE.replace('<sort>', '<sort><bogus/>'), /is not valid CSL: .*bogus/],
    ];
    for (const [what, xml, message] of broken) {
      it(`rejects a broken style (${what}) with a clear error`, () => {
        userStyles.set('user:broken', xml);
        assert.throws(
          () => formatter.formatBibliography([treg], 'user:broken'),
          (error: unknown) => error instanceof CslError && message.test(error.message) && error.message.includes('"user:broken"'),
        );
      });
    }

    it('rejects an unknown style id', () => {
      assert.throws(() => formatter.formatCitation([treg], 'no-such-style'), {
        name: 'CslError',
        message: 'Unknown citation style "no-such-style".',
      });
    });

    it('reports a loader failure as a style error', () => {
      const failing = new CslFormatter({
        ...loader,
        loadStyle: () => {
          throw new Error('EACCES: permission denied');
        },
      });
      assert.throws(() => failing.formatCitation([treg], 'user:x'), /could not be read: EACCES/);
    });
  });

  describe('output', () => {
    it('decodes entities and drops CSL markup in text output, and escapes hostile data in HTML output', () => {
      const paper = retitled(hostile, 'Tags <img src=x onerror=alert(1)> &amp; &#38; <i>kept</i> & more');
      const [text] = formatter.formatBibliography([paper], 'apa');
      // A tag typed into the title is the title's text; the Markdown writers neutralise it.
      assert.ok(text.includes('Tags <img src=x onerror=alert(1)> & & kept & more'), text);

      const [html] = formatter.formatBibliography([paper], 'apa', 'html');
      assert.ok(html.startsWith('<div class="csl-entry">'), html);
      assert.doesNotMatch(html, /<img|<script/);
      assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62;'), html);
    });
  });
  describe('checking a style before it is taken', () => {
    const cases: [string, string, RegExp][] = [
      ['malformed XML', MINIMAL_STYLE.replace('</citation>', '</citaton>'), /"user:check" is not well-formed XML: <\/citaton> on line 14 does not close <citation>/],
      ['XML that is not CSL', '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>News</title></channel></rss>', /"user:check" is not a CSL style: its root element is not <style>/],
      ['a CSL style without bibliography', MINIMAL_STYLE.replace(/<bibliography>[\s\S]*<\/bibliography>/, ''), /"user:check" has no <bibliography> with a <layout>, so it cannot write references/],
      ['a bibliography without layout', MINIMAL_STYLE.replace(/<layout suffix="\.">[\s\S]*?<\/layout>/, ''), /has no <bibliography> with a <layout>/],
      ['a style that fails on an item', MINIMAL_STYLE.replace('<text variable="title" prefix="MINI: "/>', '<date variable="issued" form="bogus"/>'), /"user:check" cannot format a reference \(tried on a sample article\): /],
    ];
    for (const [what, xml, message] of cases) {
      it(`says in words what is wrong with ${what}`, () => {
        userStyles.set('user:check', xml);
        assert.throws(() => formatter.check('user:check'), (error: unknown) => error instanceof CslError && message.test(error.message));
      });
    }

    it('takes a valid style, after rendering a real item with it', () => {
      userStyles.set('user:check', MINIMAL_STYLE);
      formatter.check('user:check');
      for (const id of BUILT_IN) formatter.check(id);
      assert.deepEqual(formatter.formatBibliography([treg], 'user:check'), ['MINI: T-REG: Preference optimization with token-level reward regularization.']);
    });

    it('puts one line, not a stack, into the log', () => {
      userStyles.set('user:check', 'not xml at all');
      try {
        formatter.check('user:check');
        assert.fail('accepted');
      } catch (error) {
        assert.ok(error instanceof CslError);
        assert.equal(error.stack, `CslError: ${error.message}`);
      }
    });
  });

  describe('locales', () => {
    it('ships every CSL locale, listed in locales.json', () => {
      const listed = JSON.parse(readFileSync(join(assets, 'locales.json'), 'utf8')) as string[];
      for (const lang of ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'pt-BR']) assert.ok(listed.includes(lang), lang);
      assert.ok(listed.length >= 50, String(listed.length));
      for (const lang of listed) {
        const locale = JSON.parse(readFileSync(join(assets, 'locales', `${lang}.json`), 'utf8')) as { name: string; attrs: Record<string, string> };
        assert.equal(locale.name, 'locale');
        assert.equal(locale.attrs['xml:lang'], lang);
      }
    });

    it("renders each style in its own default locale: Cite Them Right in en-GB, APA in en-US", () => {
      const [harvard] = formatter.formatBibliography([archer], 'harvard-cite-them-right');
      assert.ok(harvard.includes('(2024) ‘ArCHer: Training language model agents via hierarchical multi-turn RL’, in'), harvard);
      assert.ok(localeLoads.includes('en-GB'), localeLoads.join());
      const [apa] = formatter.formatBibliography([archer], 'apa');
      assert.ok(apa.includes('& Kumar, A. (2024)'), apa);
    });

    it('renders every style in the locale the user chose', () => {
      const german = new CslFormatter(loader, { locale: 'de-DE' });
      const [harvard] = german.formatBibliography([archer], 'harvard-cite-them-right');
      assert.match(harvard, /^Zhou, Y\. u\.\sa\. \(2024\) „ArCHer/);
      assert.ok(harvard.includes('Verfügbar unter: https://arxiv.org/abs/2402.19446'), harvard);
      const [us] = new CslFormatter(loader, { locale: 'en-US' }).formatBibliography([archer], 'harvard-cite-them-right');
      assert.ok(us.includes('“ArCHer'), us);
    });

    it('falls back to en-US for a locale that is not shipped', () => {
      const unknown = new CslFormatter(loader, { locale: 'xx-YY' });
      const [entry] = unknown.formatBibliography([archer], 'harvard-cite-them-right');
      assert.ok(entry.includes('Available at: https://arxiv.org/abs/2402.19446'), entry);
    });

    it('picks the shipped locale for a language tag', () => {
      const shipped = ['ar', 'de-AT', 'de-DE', 'en-GB', 'en-US', 'fr-CA', 'fr-FR', 'pt-BR', 'pt-PT'];
      assert.equal(pickLocale('en-GB', shipped), 'en-GB');
      assert.equal(pickLocale('en_gb', shipped), 'en-GB');
      assert.equal(pickLocale('fr', shipped), 'fr-FR');
      assert.equal(pickLocale('de', shipped), 'de-DE');
      assert.equal(pickLocale('ar-SA', shipped), 'ar');
      assert.equal(pickLocale('pt', shipped), 'pt-PT');
      assert.equal(pickLocale('pt-BR', shipped), 'pt-BR');
      assert.equal(pickLocale('xx-YY', shipped), undefined);
      assert.equal(pickLocale('../../etc/passwd', shipped), undefined);
    });
  });

  describe('titles for CSL', () => {
    const nocase = (word: string) => `<span class="nocase">${word}</span>`;
    const cases: [string, string][] = [
      ['T-REG: Preference Optimization with Token-Level Reward Regularization', `${nocase('T-REG')}: Preference optimization with token-level reward regularization`],
      ['ArCHer: Training Language Model Agents via Hierarchical Multi-Turn RL', `${nocase('ArCHer')}: Training language model agents via hierarchical multi-turn ${nocase('RL')}`],
      ['Is DPO Superior to PPO for LLM Alignment? A Comprehensive Study', `Is ${nocase('DPO')} superior to ${nocase('PPO')} for ${nocase('LLM')} alignment? A comprehensive study`],
      ['Nemotron-H: A Family of Accurate and Efficient Hybrid Mamba-Transformer Models', `Nemotron-${nocase('H')}: A family of accurate and efficient hybrid mamba-transformer models`],
      ['Learning to Reason with GPT-4o and o1-Like Models', `Learning to reason with ${nocase('GPT')}-4o and o1-like models`],
      ['Reinforcement Learning: an Introduction', 'Reinforcement learning: An introduction'],
      ["LLMs Can't Plan, But Can Help (iPhone, McDonald, 7B)", `${nocase('LLMs')} can't plan, but can help (${nocase('iPhone')}, ${nocase('McDonald')}, ${nocase('7B')})`],
      // Already in sentence case (CSL-JSON's convention): the words stay, the names are protected.
      ['Mastering the game of Go with deep neural networks and tree search', `Mastering the game of ${nocase('Go')} with deep neural networks and tree search`],
      ['A Study of <span class="nocase">Drosophila</span> In Vitro Cells', `A study of <span class="nocase">Drosophila</span> in vitro cells`],
      ['The Role of <i>Escherichia Coli</i> Here', 'The role of <i>escherichia coli</i> here'],
      ['', ''],
      ['gpt', 'gpt'],
    ];
    for (const [title, expected] of cases) {
      it(`gives "${title}" in sentence case, protected`, () => assert.equal(cslTitle(title), expected));
    }

    it('gives citeproc the protected title and keeps the display title as written', () => {
      assert.equal(treg.record?.title, treg.title);
      assert.equal(citeprocItem(treg).title, cslTitle(treg.title));
      // Chicago and MLA convert back to title case; the protected words keep their case.
      const [chicago] = formatter.formatBibliography([archer], 'chicago-author-date');
      assert.ok(chicago.includes('“ArCHer: Training Language Model Agents via Hierarchical Multi-Turn RL.”'), chicago);
      const [apa] = formatter.formatBibliography([preprint], 'apa');
      assert.ok(apa.includes('Nemotron-H: A family of accurate and efficient hybrid mamba-transformer models'), apa);
    });

    it('treats hostile and huge titles as text', () => {
      for (const title of [hostile.title, '<img src=x onerror=alert(1)> [X](command:y) __Init__ *Bold* `Code`']) {
        // Line breaks are spaces: citeproc-js drops what follows one when it changes case.
        assert.equal(cslTitle(title).replace(/<\/?span[^>]*>/g, ''), title.replace(/\s+/g, ' '));
      }
      const huge = 'Word '.repeat(20_000).trim();
      const used = cpuMs(() => assert.equal(cslTitle(huge), `Word ${'word '.repeat(19_999).trim()}`));
      assert.ok(used < 2000, `linear, not quadratic (${used} ms)`);
    });
  });

  describe('markdown output', () => {
    it("keeps the style's italics and links and escapes everything else", () => {
      const [apa] = formatter.formatBibliography([journal], 'apa', 'markdown');
      assert.equal(apa, 'Silver, D., & Huang, A. (2016). Mastering the game of Go with deep neural networks and tree search. *Nature*. <https://doi.org/10.1038/nature16961>');
      const [ieee] = formatter.formatBibliography([journal], 'ieee', 'markdown');
      assert.ok(ieee.startsWith('\\[1\\] D. Silver and A. Huang, “Mastering'), ieee);
      assert.ok(ieee.includes('*Nature*, 2016, doi: [10.1038/nature16961](https://doi.org/10.1038/nature16961).'), ieee);
      const [vancouver] = formatter.formatBibliography([journal], 'vancouver', 'markdown');
      assert.ok(vancouver.startsWith('1\\. Silver D, Huang A.'), vancouver);
      const [harvard] = formatter.formatBibliography([treg], 'harvard-cite-them-right', 'markdown');
      assert.ok(harvard.startsWith('Zhou, W. *et al.* (2024)'), harvard);
    });

    it("never lets a paper's text become a link, emphasis, code, math, a citation or HTML", () => {
      const paper = retitled(hostile, '[Click me](command:litnotes.refresh) __init__ *x* `code` <img src=x onerror=alert(1)> $x$ @key ~y~ ^z^ &amp;');
      for (const style of BUILT_IN) {
        for (const entry of formatter.formatBibliography([paper], style, 'markdown')) {
          assert.ok(!/(?<!\\)\[Click/.test(entry) && !/(?<!\\)<img/.test(entry), `${style}: ${entry}`);
          assert.doesNotMatch(entry, /(?<!\\)&[a-z]+;/i);
          for (const escaped of ['\\_\\_init\\_\\_', '\\*x\\*', '\\`code\\`', '\\$x\\$', '\\@key', '\\~y\\~', '\\^z\\^']) {
            assert.ok(entry.toLowerCase().includes(escaped.toLowerCase()), `${style}: ${escaped} in ${entry}`);
          }
        }
      }
    });

    it('converts HTML that citeproc-js writes', () => {
      assert.equal(markdownFromCslHtml('<div class="csl-entry"><i>A <span style="font-style:normal;">B</span> C</i> <b>D</b>.</div>'), '*A* B *C* **D**.');
      assert.equal(markdownFromCslHtml('<div class="csl-left-margin">[2]</div><div class="csl-right-inline">x<sup>2</sup> &#38; y&#160;z</div>'), '\\[2\\] x<sup>2</sup> & y\u00a0z');
      assert.equal(markdownFromCslHtml('<a href="javascript:alert(1)">click</a>'), 'click');
      assert.equal(markdownFromCslHtml('<a href="https://example.org/a(b)">here</a>'), '[here](https://example.org/a%28b%29)');
      assert.equal(markdownFromCslHtml('# 1 <i> spaced </i>!'), '\\# 1 *spaced* !');
      assert.equal(markdownFromCslHtml('- x'), '\\- x');
    });
  });
});
