import assert from 'node:assert/strict';
import { DISPLAY_LIMIT } from '../../src/core/markdown';
import { paperRow, paperSummary } from '../../src/core/paperSummary';
import { markup, shown } from './markdownRender';
import { makePaper, treg } from './paperFixtures';

const hostile = makePaper({
  key: 'evil2024',
  title: '[Click me](command:workbench.action.terminal.new) <b>bold</b> *x* __init__ `code` $(github) https://evil.example/x',
  abstract: '# Not a heading. Second <img src=x onerror=alert(1)> [a](command:x) sentence.',
  authors: [{ given: '**Tom**', family: '_Jerry_' }],
  venue: '<i>Venue</i> *',
  year: 2024,
});

describe('paperSummary', () => {
  it('shows the title in bold, the authors and venue, and the abstract, all as text', () => {
    const summary = paperSummary(treg, 'start');
    assert.deepEqual(markup(summary), ['strong_open', 'strong_close', 'em_open', 'em_close']);
    assert.equal(shown(summary), `${treg.title}\n\nWenxuan Zhou, Shujian Zhang, Lingxiao Zhao and Tao Meng · ACL 2025\n\n${treg.abstract}`);
    assert.equal(paperSummary(treg, 'none').split('\n\n').length, 2);
  });

  it('lets nothing in a hostile paper become markup: the only markup is its own bold and italics', () => {
    for (const part of ['firstSentence', 'start', 'none'] as const) {
      const summary = paperSummary(hostile, part);
      assert.deepEqual(markup(summary), ['strong_open', 'strong_close', 'em_open', 'em_close'], summary);
      const [title, byline] = shown(summary).split('\n\n');
      assert.equal(title, hostile.title);
      assert.equal(byline, '**Tom** _Jerry_ · <i>Venue</i> *, 2024');
      assert.ok(!/(?<!\\)\$\(/.test(summary), 'no theme icon syntax left');
    }
    assert.equal(shown(paperSummary(hostile, 'firstSentence')).split('\n\n')[2], '# Not a heading.');
  });

  it('shortens a 100,000-character title and abstract, so what follows the summary still renders', () => {
    const long = makePaper({ key: 'k', title: 'Very long title '.repeat(6_250), abstract: 'word '.repeat(20_000), authors: [], year: 2024 });
    const summary = paperSummary(long, 'start');
    assert.ok(summary.length < 3 * DISPLAY_LIMIT, `${summary.length} characters`);
    const [title, , abstract] = shown(summary).split('\n\n');
    assert.ok(title.length <= DISPLAY_LIMIT && title.endsWith('…'), title);
    assert.ok(abstract.length <= DISPLAY_LIMIT && abstract.endsWith('…'));
    assert.deepEqual(markup(summary), ['strong_open', 'strong_close', 'em_open', 'em_close']);
  });
});

describe('paperRow', () => {
  it('keeps $(icon) in paper text as written and shortens every part of a picker row', () => {
    const paper = makePaper({ key: 'icons2024', title: `$(zap) Fast ${'long '.repeat(30_000)}`, venue: '$(github) Venue' });
    const row = paperRow(paper, undefined);
    assert.ok(row.label.startsWith('\\$(zap) Fast long'), row.label.slice(0, 30));
    assert.ok(row.label.length <= DISPLAY_LIMIT + 1, `label of ${row.label.length} characters`);
    assert.equal(row.detail, '\\$(github) Venue');
    assert.equal(paperRow(treg, 'an excerpt').detail, 'an excerpt');
  });
});
