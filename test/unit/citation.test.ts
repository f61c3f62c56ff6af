import assert from 'node:assert/strict';
import { formatInlineCitation, inertHtml } from '../../src/core/citation';
import type { Paper } from '../../src/core/model';
import { archer, hostile, journal, makePaper, treg } from './paperFixtures';

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

    it('keeps a hostile title inside the link text', () => {
      const paper = { ...hostile, links: { pdf: 'https://example.org/a(1).pdf' } };
      const link = formatInlineCitation([paper], 'markdownLink');
      assert.equal(
        link,
        '[Break \\[out\\]\\(javascript:alert\\(1\\)\\) \\<img src=x onerror=alert\\(1\\)\\> \\& {unbalanced \\\\ } } 100% $x$ #1 a\\_b \\~ ^ next]' +
          '(https://example.org/a%281%29.pdf)',
      );
      // Every bracket and parenthesis of the title is escaped: the only unescaped ones are the link's own.
      const unescaped = link.replace(/\\[\s\S]/g, '').replace(/[^[\]()]/g, '');
      assert.equal(unescaped, '[]()');
      assert.ok(!link.includes('\n'));
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

    it('inserts the references in the style, one per line, with HTML made inert', () => {
      assert.equal(
        formatInlineCitation([treg, archer], 'csl', { formatter, styleId: 'apa' }),
        `Ref \\<b>${treg.title}\\</b> \\&amp; more\nRef \\<b>${archer.title}\\</b> \\&amp; more`,
      );
      assert.deepEqual(formatter.calls, [[['zhou2024treg', 'zhou2024archer'], 'apa', 'text']]);
    });

    it('writes the in-text citation of all papers as one cluster in cslInText format', () => {
      assert.equal(formatInlineCitation([treg, archer], 'cslInText', { formatter, styleId: 'apa' }), '(zhou2024treg; zhou2024archer, apa \\<i>)');
    });

    it('needs a formatter', () => {
      assert.throws(() => formatInlineCitation([treg], 'csl'), /needs a formatter/);
      assert.throws(() => formatInlineCitation([treg], 'cslInText'), /needs a formatter/);
    });
  });
});

describe('inertHtml', () => {
  it('escapes only what could start HTML', () => {
    assert.equal(inertHtml('x < y & z <!-- c --> </p> AT&T &copy; &#38;'), 'x < y & z \\<!-- c --> \\</p> AT&T \\&copy; \\&#38;');
  });
});
