import assert from 'node:assert/strict';
import { formatInlineCitation, inertHtml, plainCitation } from '../../src/core/citation';
import type { Paper } from '../../src/core/model';
import { DISPLAY_LIMIT, oneLine } from '../../src/core/markdown';
import { hrefs, markup, shown } from './markdownRender';
import { archer, fromRecord, hostile, journal, makePaper, treg } from './paperFixtures';

describe('formatInlineCitation', () => {
  describe('pandoc', () => {
    it('cites one paper', () => {
      assert.equal(formatInlineCitation([treg], 'pandoc'), '[@zhou2024treg]');
    });

    it('cites several papers in one bracket', () => {
      assert.equal(formatInlineCitation([treg, archer], 'pandoc'), '[@zhou2024treg; @zhou2024archer]');
    });

    it('braces keys that are not bare Pandoc keys', () => {
      const odd = makePaper({ key: 'doe2020:intro.', title: 't' });
      const spaced = makePaper({ key: 'a b{c}', title: 't' });
      assert.equal(formatInlineCitation([odd, spaced], 'pandoc'), '[@{doe2020:intro.}; @{a bc}]');
      assert.equal(formatInlineCitation([makePaper({ key: 'müller2020:a.b', title: 't' })], 'pandoc'), '[@müller2020:a.b]');
    });
  });

  describe('markdownLink', () => {
    it('links the arXiv page', () => {
      assert.equal(
        formatInlineCitation([treg], 'markdownLink'),
        '[T-REG: Preference Optimization with Token-Level Reward Regularization](https://arxiv.org/abs/2412.02685)',
      );
    });

    it('joins several papers', () => {
      assert.equal(
        formatInlineCitation([treg, archer], 'markdownLink'),
        `[${treg.title}](https://arxiv.org/abs/2412.02685); ` +
          '[ArCHer: Training Language Model Agents via Hierarchical Multi-Turn RL](https://arxiv.org/abs/2402.19446)',
      );
    });

    it('falls back to another safe link, then to the title alone', () => {
      assert.match(formatInlineCitation([journal], 'markdownLink'), /\]\(https:\/\/www\.nature\.com\/articles\/nature16961\.pdf\)$/);
      const codeOnly = makePaper({ key: 'k', title: 'Code Only', links: { code: 'https://github.com/o/r' } });
      assert.equal(formatInlineCitation([codeOnly], 'markdownLink'), '[Code Only](https://github.com/o/r)');
      // hostile's only link is javascript:, which is never linked.
      assert.doesNotMatch(formatInlineCitation([hostile], 'markdownLink'), /(?<!\\)\]\(|^\[/);
    });

    it('keeps a hostile title inside the link text, as text', () => {
      const paper = { ...hostile, links: { pdf: 'https://example.org/a(1)_b_.pdf' } };
      const link = formatInlineCitation([paper], 'markdownLink');
      assert.deepEqual(markup(link), ['link_open', 'link_close'], link);
      assert.deepEqual(hrefs(link), ['https://example.org/a%281%29%5Fb%5F.pdf']);
      assert.equal(shown(link), oneLine(hostile.title));
      assert.ok(!link.includes('\n'));
    });

    it('links nothing but http(s), whatever the paper says', () => {
      const paper = makePaper({ key: 'k', title: '[Click me](command:litnotes.showPaper) *x*', links: { pdf: 'command:x', code: 'javascript:alert(1)' } });
      const text = formatInlineCitation([paper], 'markdownLink');
      assert.deepEqual(markup(text), []);
      assert.equal(shown(text), paper.title);
    });

    it('shortens a 100,000-character title in the link text', () => {
      const paper = { ...treg, title: 'Long '.repeat(20_000) };
      const link = formatInlineCitation([paper], 'markdownLink');
      assert.ok(shown(link).length <= DISPLAY_LIMIT, `${shown(link).length} characters`);
      assert.deepEqual(hrefs(link), ['https://arxiv.org/abs/2412.02685']);
    });

    it('does not build a link from a hostile arXiv id', () => {
      const paper: Paper = { ...treg, arxivId: '1234 javascript:x', links: {} };
      assert.doesNotMatch(formatInlineCitation([paper], 'markdownLink'), /\]\(/);
    });
  });

  describe('csl', () => {
    const formatter = {
      calls: [] as [string[], string, string | undefined][],
      formatBibliography(papers: Paper[], styleId: string, output?: 'text' | 'html') {
        this.calls.push([papers.map((p) => p.key), styleId, output]);
        return papers.map((p) => `Ref <b>${p.title}</b> &amp; more`);
      },
      formatCitation(papers: Paper[], styleId: string) {
        return `(${papers.map((p) => p.key).join('; ')}, ${styleId} <i>)`;
      },
    };

    it('inserts the references in the style, one per line, as inert Markdown', () => {
      const text = formatInlineCitation([treg, archer], 'csl', { formatter, styleId: 'apa' });
      assert.equal(text.split('\n').length, 2);
      assert.deepEqual(markup(text), []);
      assert.equal(shown(text), `Ref <b>${treg.title}</b> &amp; more\nRef <b>${archer.title}</b> &amp; more`);
      assert.deepEqual(formatter.calls, [[['zhou2024treg', 'zhou2024archer'], 'apa', 'text']]);
    });

    it('keeps the reference\'s own address a link, and nothing the title says', () => {
      const paper = fromRecord('evil2024', { type: 'article', title: '[Click me](command:x) https://evil.example/x __init__', URL: 'https://arxiv.org/abs/2412.02685', DOI: '10.1000/x_y' });
      const referenceOf = { formatBibliography: (papers: Paper[]) => papers.map((p) => `${p.title}. https://arxiv.org/abs/2412.02685. https://doi.org/10.1000/x_y`), formatCitation: () => '' };
      const text = formatInlineCitation([paper], 'csl', { formatter: referenceOf, styleId: 'apa' });
      assert.deepEqual(hrefs(text), ['https://arxiv.org/abs/2412.02685', 'https://doi.org/10.1000/x%5Fy']);
      assert.equal(shown(text), `${paper.title}. https://arxiv.org/abs/2412.02685. https://doi.org/10.1000/x_y`);
    });

    it('needs a formatter', () => {
      assert.throws(() => formatInlineCitation([treg], 'csl'), /needs a formatter/);
      assert.throws(() => plainCitation([treg], 'cslInText'), /needs a formatter/);
    });
  });
});

describe('plainCitation', () => {
  const formatter = {
    formatBibliography: (papers: Paper[], styleId: string, output?: string) => papers.map((p) => `[1] ${p.title} *${styleId}* ${output}`),
    formatCitation: (papers: Paper[], styleId: string, output?: string) => `(${papers.map((p) => p.key).join('; ')}, ${styleId} ${output})`,
  };
  const title = '[Click me](command:x) __init__ *x* <img src=x onerror=alert(1)>';
  const paper = fromRecord('evil2024', { type: 'article', title });

  it("gives the style's plain text in CSL formats, with no Markdown escapes", () => {
    assert.equal(plainCitation([paper, treg], 'csl', { formatter, styleId: 'ieee' }), `[1] ${title} *ieee* text\n[1] ${treg.title} *ieee* text`);
    assert.equal(plainCitation([treg, archer], 'cslInText', { formatter, styleId: 'apa' }), '(zhou2024treg; zhou2024archer, apa text)');
  });

  it('gives Pandoc keys and Markdown links as Insert Citation writes them', () => {
    assert.equal(plainCitation([treg, archer], 'pandoc'), '[@zhou2024treg; @zhou2024archer]');
    assert.equal(plainCitation([treg], 'markdownLink'), formatInlineCitation([treg], 'markdownLink'));
  });
});

describe('inertHtml', () => {
  it('escapes only what could start HTML', () => {
    assert.equal(inertHtml('x < y & z <!-- c --> </p> AT&T &copy; &#38;'), 'x < y & z \\<!-- c --> \\</p> AT&T \\&copy; \\&#38;');
  });
});
