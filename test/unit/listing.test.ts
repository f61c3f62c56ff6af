import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDateLine, parseListing, type ListingEntry } from '../../src/core/listing';

const LISTING_FILE = path.resolve(__dirname, '../../../shared/seeds/000_0680a37b8f59c41c.txt');

const ABSTRACT_A =
  'We study how rewards reach individual tokens. Our method assigns credit with a learned critic and improves alignment on two benchmarks.';
const ABSTRACT_B = 'Exploration collapses as entropy falls during training. We keep low-probability tokens alive and gain 3% on math benchmarks.';

const HEADER = ['new', '', 'Get trending papers in your email inbox!', '', 'Subscribe', '', 'Daily Papers', '', 'byAK and the research community', '', 'Dec 19', ''];

function listing(...lines: string[]): string {
  return [...HEADER, ...lines].join('\n');
}

function titles(entries: ListingEntry[]): string[] {
  return entries.map((entry) => entry.title);
}

describe('parseListing', () => {
  describe('on the bundled seed listing', () => {
    let text: string;
    before(function () {
      if (!existsSync(LISTING_FILE)) this.skip();
      text = readFileSync(LISTING_FILE, 'utf8');
    });

    it('reads all 65 papers without a problem', () => {
      const result = parseListing(text);
      assert.equal(result.entries.length, 65);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.listingDate, { month: 12, day: 19 });
    });

    it('reads titles, counts, organisations, dates and upvotes', () => {
      const { entries } = parseListing(text);
      const byTitle = (prefix: string) => {
        const entry = entries.find((candidate) => candidate.title.startsWith(prefix));
        assert.ok(entry, `no entry starting with "${prefix}"`);
        return entry;
      };
      const treg = entries[0];
      assert.equal(treg.title, 'T-REG: Preference Optimization with Token-Level Reward Regularization');
      assert.equal(treg.line, 13);
      assert.equal(treg.authorCount, 4);
      assert.deepEqual(treg.date, { year: 2024, month: 12, day: 3 });
      assert.ok(treg.abstract.startsWith('Reinforcement learning from human feedback (RLHF) has been crucial'));
      assert.ok(treg.abstract.endsWith('https://github.com/wzhouad/T-REG.'));

      const maRlhf = byTitle('MA-RLHF');
      assert.equal(maRlhf.organization, 'BAIDU');
      assert.equal(maRlhf.authorCount, undefined);
      assert.deepEqual(maRlhf.date, { year: 2024, month: 10, day: 3 });
      assert.equal(maRlhf.upvotes, 2);

      assert.equal(byTitle('BroRL').organization, 'NVIDIA');
      assert.equal(byTitle('SRPO').organization, 'OpenMOSS');
      assert.equal(byTitle('Attention Illuminates').organization, 'alibaba-inc');

      const hapo = byTitle('From Uniform to Heterogeneous');
      assert.deepEqual(hapo.date, { month: 9, day: 20 });
      assert.equal(hapo.upvotes, 2);
      assert.deepEqual(byTitle('Token Hidden Reward').date, { month: 10, day: 4 });
      assert.equal(byTitle('Token Hidden Reward').upvotes, undefined);
      assert.equal(byTitle('Reinforcement Learning with Rubric Anchors').authorCount, 21);

      const undated = byTitle('Beyond the 80/20 Rule');
      assert.equal(undated.date, undefined);
      assert.equal(undated.authorCount, undefined);
      assert.ok(undated.abstract.startsWith('Reinforcement Learning with Verifiable Rewards (RLVR)'));
      assert.equal(byTitle('Mind the Goal').date, undefined);
    });

    it('gives the same result for CRLF line endings', () => {
      assert.deepEqual(parseListing(text.replace(/\n/g, '\r\n')), parseListing(text));
    });
  });

  it('reads a well-formed entry with header, authors, date and upvotes', () => {
    const result = parseListing(listing('First Paper: A Title', '', ABSTRACT_A, '', '  • 3 authors', '·', 'Oct 3, 2024 12'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.listingDate, { month: 12, day: 19 });
    assert.deepEqual(result.entries, [
      { line: 13, title: 'First Paper: A Title', abstract: ABSTRACT_A, authorCount: 3, date: { year: 2024, month: 10, day: 3 }, upvotes: 12 },
    ]);
  });

  it('handles CRLF and lone CR line endings and a byte order mark', () => {
    const lines = ['Paper One', '', ABSTRACT_A, '', '  • 2 authors', '·', 'May 30 1'];
    for (const newline of ['\r\n', '\r']) {
      const result = parseListing(`\uFEFF${lines.join(newline)}`);
      assert.deepEqual(result.problems, []);
      assert.equal(result.entries.length, 1);
      assert.equal(result.entries[0].title, 'Paper One');
      assert.equal(result.entries[0].abstract, ABSTRACT_A);
      assert.deepEqual(result.entries[0].date, { month: 5, day: 30 });
      assert.equal(result.entries[0].upvotes, 1);
    }
  });

  it('reads entries without an author or date block', () => {
    const result = parseListing(listing('Paper One', '', ABSTRACT_A, '', 'Paper Two', '', ABSTRACT_B, '', '  • 5 authors', '·', 'Feb 10'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(titles(result.entries), ['Paper One', 'Paper Two']);
    assert.equal(result.entries[0].date, undefined);
    assert.equal(result.entries[1].authorCount, 5);
    assert.deepEqual(result.entries[1].date, { month: 2, day: 10 });
  });

  it('reads year-less dates, full month names and Feb 29', () => {
    assert.deepEqual(parseDateLine('Oct 4'), { date: { month: 10, day: 4 } });
    assert.deepEqual(parseDateLine('Sep 20 2'), { date: { month: 9, day: 20 }, upvotes: 2 });
    assert.deepEqual(parseDateLine('September 20, 2025'), { date: { year: 2025, month: 9, day: 20 } });
    assert.deepEqual(parseDateLine('Sept. 1'), { date: { month: 9, day: 1 } });
    assert.deepEqual(parseDateLine('Feb 29'), { date: { month: 2, day: 29 } });
    assert.deepEqual(parseDateLine('Feb 29, 2024 3'), { date: { year: 2024, month: 2, day: 29 }, upvotes: 3 });
    assert.equal(parseDateLine('Feb 29, 2023'), undefined);
    assert.equal(parseDateLine('Dec 32'), undefined);
    assert.equal(parseDateLine('Foo 3'), undefined);
  });

  it('reports an unreadable date and keeps the entry', () => {
    const result = parseListing(listing('Paper One', '', ABSTRACT_A, '', '  • 2 authors', '·', 'Feb 30, 2024'));
    assert.equal(result.entries.length, 1);
    assert.equal(result.entries[0].date, undefined);
    assert.equal(result.entries[0].authorCount, 2);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].line, 19);
    assert.match(result.problems[0].message, /unreadable date "Feb 30, 2024"/);
  });

  it('reports a title whose abstract is missing, and keeps it when metadata follows', () => {
    const result = parseListing(listing('Paper One', '', '  • 4 authors', '·', 'Dec 3, 2024', '', 'Paper Two', '', ABSTRACT_B));
    assert.deepEqual(titles(result.entries), ['Paper One', 'Paper Two']);
    assert.equal(result.entries[0].abstract, '');
    assert.equal(result.entries[0].authorCount, 4);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].line, 13);
    assert.match(result.problems[0].message, /"Paper One" has no abstract/);
  });

  it('takes a short paragraph between a title and its metadata for the abstract', () => {
    const result = parseListing(listing('Paper One', '', 'Too short to tell', '', '  • 2 authors', '·', 'Oct 3'));
    assert.deepEqual(result.problems, []);
    assert.equal(result.entries[0].title, 'Paper One');
    assert.equal(result.entries[0].abstract, 'Too short to tell');
    assert.equal(result.entries[0].authorCount, 2);
  });

  it('skips a bare title without abstract or metadata and says so', () => {
    const result = parseListing(listing('Orphan Title', '', 'Paper Two', '', ABSTRACT_B));
    assert.deepEqual(titles(result.entries), ['Paper Two']);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].line, 13);
    assert.match(result.problems[0].message, /skipped "Orphan Title"/);
  });

  it('reports an abstract without a title', () => {
    const result = parseListing(listing(ABSTRACT_A, '', 'Paper Two', '', ABSTRACT_B));
    assert.deepEqual(titles(result.entries), ['Paper Two']);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].line, 13);
    assert.match(result.problems[0].message, /abstract without a title/);
  });

  it('reads a copy that lost its blank lines', () => {
    const result = parseListing(['Paper One', ABSTRACT_A, '  • 2 authors', '·', 'Oct 3', 'Paper Two', ABSTRACT_B].join('\n'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(titles(result.entries), ['Paper One', 'Paper Two']);
    assert.equal(result.entries[0].abstract, ABSTRACT_A);
    assert.equal(result.entries[0].authorCount, 2);
    assert.equal(result.entries[1].line, 6);
    assert.equal(result.entries[1].abstract, ABSTRACT_B);
  });

  it('keeps what it can from a truncated file', () => {
    const full = listing('Paper One', '', ABSTRACT_A, '', '  • 2 authors', '·', 'Oct 3', '', 'Paper Two', '', ABSTRACT_B, '', '  • 3 authors', '·', 'Oct 4');
    const cutInAbstract = full.slice(0, full.indexOf(ABSTRACT_B) + 40);
    const partial = parseListing(cutInAbstract);
    assert.deepEqual(titles(partial.entries), ['Paper One', 'Paper Two']);
    assert.equal(partial.entries[1].abstract, ABSTRACT_B.slice(0, 40));
    assert.equal(partial.problems.length, 1);
    assert.match(partial.problems[0].message, /abstract of "Paper Two" looks cut off/);

    const cutAfterTitle = full.slice(0, full.indexOf('Paper Two') + 'Paper Two'.length);
    const result = parseListing(cutAfterTitle);
    assert.deepEqual(titles(result.entries), ['Paper One']);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /skipped "Paper Two".*truncated/);

    const cutInMetadata = full.slice(0, full.lastIndexOf('·'));
    const meta = parseListing(cutInMetadata);
    assert.deepEqual(meta.problems, []);
    assert.equal(meta.entries[1].authorCount, 3);
    assert.equal(meta.entries[1].date, undefined);
  });

  it('reports stray metadata and garbage lines without losing entries', () => {
    const result = parseListing(
      listing('Paper One', '', ABSTRACT_A, '', '  • 2 authors', '·', 'Oct 3', '  • 9 authors', '', 'Load more', '', 'Paper Two', '', ABSTRACT_B, '', '·', 'Nov 9 5', 'Nov 10'),
    );
    assert.deepEqual(titles(result.entries), ['Paper One', 'Paper Two']);
    assert.equal(result.entries[0].authorCount, 2);
    assert.deepEqual(result.entries[1].date, { month: 11, day: 9 });
    assert.equal(result.entries[1].upvotes, 5);
    assert.deepEqual(
      result.problems.map((problem) => problem.line),
      [20, 22, 30],
    );
    assert.match(result.problems[0].message, /9 authors.*does not follow a paper/);
    assert.match(result.problems[1].message, /skipped "Load more"/);
    assert.match(result.problems[2].message, /date line.*does not follow a paper/);
  });

  it('never throws on odd input', () => {
    for (const input of ['', '\n\n\n', '·', 'Dec 19', '  • 3 authors', 'just one line', '\u0000\u0001', 'Oct 99, 2024', ABSTRACT_A]) {
      const result = parseListing(input);
      assert.ok(Array.isArray(result.entries));
      assert.ok(Array.isArray(result.problems));
    }
    assert.deepEqual(parseListing('').entries, []);
    assert.deepEqual(parseListing('Dec 19').listingDate, { month: 12, day: 19 });
  });

  it('passes hostile text through unchanged', () => {
    const title = '<img src=x onerror=alert(1)>';
    const abstract = `${ABSTRACT_A} <script>alert("x")</script> & "quotes" 'too'.`;
    const result = parseListing(listing(title, '', abstract, '', '<b>bold</b> Org', '·', 'Oct 3'));
    assert.deepEqual(result.problems, []);
    assert.equal(result.entries[0].title, title);
    assert.equal(result.entries[0].abstract, abstract);
    assert.equal(result.entries[0].organization, '<b>bold</b> Org');
  });

  it('reads organisation lines and keeps plain names whole', () => {
    const org = (line: string) => parseListing(listing('Paper One', '', ABSTRACT_A, '', line, '·', 'Oct 3')).entries[0].organization;
    assert.equal(org('nvidia NVIDIA'), 'NVIDIA');
    assert.equal(org('OpenMOSS-Team OpenMOSS'), 'OpenMOSS');
    assert.equal(org('ByteDance ByteDance'), 'ByteDance');
    assert.equal(org('facebook AI at Meta'), 'AI at Meta');
    assert.equal(org('Google DeepMind'), 'Google DeepMind');
    assert.equal(org('Tencent'), 'Tencent');
  });

  it('reads a Markdown copy with headings, wrapped abstracts and paper links', () => {
    const markdown = [
      '# Daily Papers',
      '',
      '## [T-REG: Preference Optimization](https://huggingface.co/papers/2412.02685)',
      '',
      'We study how rewards reach individual tokens. Our method assigns credit',
      'with a learned critic and improves alignment on two benchmarks.',
      '',
      '- 4 authors',
      '·',
      'Dec 3, 2024',
      '',
      '---',
      '',
      '### Second Paper',
      ABSTRACT_B,
    ].join('\n');
    const result = parseListing(markdown);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(titles(result.entries), ['T-REG: Preference Optimization', 'Second Paper']);
    assert.equal(result.entries[0].arxivId, '2412.02685');
    assert.equal(result.entries[0].abstract, ABSTRACT_A);
    assert.equal(result.entries[0].authorCount, 4);
    assert.equal(result.entries[1].abstract, ABSTRACT_B);
  });

  it('does not take a title that starts with a month for a date', () => {
    const result = parseListing(listing('March 2024 Update on Reward Models', '', ABSTRACT_A, '', 'May the Gradient Be With You', '', ABSTRACT_B));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(titles(result.entries), ['March 2024 Update on Reward Models', 'May the Gradient Be With You']);
  });
});
