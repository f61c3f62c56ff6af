import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importCslJson } from '../../src/core/sources/cslJsonImport';
import { importListing } from '../../src/core/sources/listingImport';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/library', name), 'utf8');

describe('CSL-JSON import', () => {
  it('reads a Zotero export: string years, literal names, raw dates, arXiv numbers', () => {
    const { papers, problems } = importCslJson(fixture('zotero.json'));
    const [rossi, grpo, untitled] = papers;
    assert.equal(papers.length, 3);
    assert.equal(rossi.paper.key, 'rossi2021gut', 'a Zotero URI is no citation key: one is made');
    assert.equal(rossi.paper.year, 2021);
    assert.deepEqual(rossi.paper.authors[1], { given: '', family: 'The Microbiome Consortium' });
    assert.equal(rossi.paper.venue, 'Nature Medicine');
    assert.equal(rossi.line, 2);
    assert.equal(grpo.paper.key, 'vandenberg2024grpo');
    assert.deepEqual(grpo.paper.authors, [{ given: 'Anna', family: 'van den Berg' }]);
    assert.equal(grpo.paper.year, 2024);
    assert.equal(grpo.paper.arxivId, '2402.01234');
    assert.deepEqual(grpo.keywords, ['rlvr-policy-optimization', 'grpo']);
    assert.equal(untitled.paper.title, 'Untitled', 'an item without a title is cited by its author and year');
    assert.deepEqual([untitled.paper.key, untitled.paper.year, untitled.paper.authors], ['notitle2020', 2020, [{ given: '', family: 'Nobody' }]]);
    assert.deepEqual(problems, [
      { line: 2, message: 'the id "http://zotero.org/users/123/items/ABCD1234" cannot be written as a citation key; the item is cited as "rossi2021gut"', severity: 'warning', key: 'rossi2021gut' },
    ]);
  });

  it('says which ids it replaced and which URLs it dropped, keeps "and others" and untitled items', () => {
    const { papers, problems } = importCslJson(fixture('zotero-ids.json'));
    assert.deepEqual(papers.map((entry) => [entry.paper.key, entry.paper.title]), [
      ['cunningham2024sparse', 'Sparse Autoencoders Find Interpretable Features'],
      ['weng2024lillog', "Lil'Log"],
    ]);
    const [sparse, blog] = papers.map((entry) => entry.paper);
    assert.equal(sparse.andOthers, true, 'a last literal "others" is pandoc\'s "and others"');
    assert.deepEqual(sparse.authors.map((author) => author.family), ['Cunningham', 'Ewart']);
    assert.deepEqual(sparse.links, {});
    assert.equal(blog.links.code, undefined);
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.severity, problem.message]),
      [
        [2, 'warning', 'the id "http://zotero.org/users/123/items/QWER5678" cannot be written as a citation key; the item is cited as "cunningham2024sparse"'],
        [2, 'warning', '"cunningham2024sparse": the URL "javascript:alert(1)" is not an http(s) address; left out'],
        [11, 'warning', 'the id "42" cannot be written as a citation key; the item is cited as "weng2024lillog"'],
      ],
    );
  });

  it('reads the good items of a broken file and reports the bad one at its line', () => {
    const { papers, problems } = importCslJson(fixture('broken.json'));
    assert.deepEqual(papers.map((entry) => [entry.paper.key, entry.line]), [
      ['good2023first', 2],
      ['good2023second', 13],
    ]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 8);
    assert.equal(problems[0].key, 'bad2023item');
  });

  it('says what it expected when the file is no list', () => {
    assert.match(importCslJson('{"title": "x"}').problems[0].message, /expected a CSL-JSON list/);
    assert.equal(importCslJson('{ nope').problems[0].line, 1);
  });
});

describe('Listing import', () => {
  it('turns a Daily Papers listing into papers with keys, dates and arXiv links', () => {
    const { papers, problems } = importListing(fixture('listing.md'));
    assert.deepEqual(problems, []);
    assert.deepEqual(papers.map((entry) => [entry.paper.key, entry.line]), [
      ['anon2024treg', 3],
      ['acmelabs2024listing', 11],
    ]);
    assert.equal(papers[0].paper.arxivId, '2412.02685');
    assert.equal(papers[0].paper.links.huggingFace, 'https://huggingface.co/papers/2412.02685');
    assert.equal(papers[0].paper.authorCount, 4);
    assert.equal(papers[1].paper.organization, 'ACME Labs');
    assert.equal(papers[1].paper.upvotes, 3);
  });
});
