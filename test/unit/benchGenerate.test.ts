import assert from 'node:assert/strict';
import { parseLibraryJson } from '../../src/core/library';
import { generateLibrary, libraryFiles, readBundledLibrary } from '../../bench/generate';
import { keystrokes, QUALITY_QUERIES, TYPED_QUERIES } from '../../bench/queries';

describe('benchmark libraries and queries', () => {
  const bundled = readBundledLibrary();
  const library = generateLibrary(1000, 1, bundled);

  it('generates the same library for the same size and seed, and another for another seed', () => {
    assert.equal(libraryFiles(generateLibrary(1000, 1, bundled)).papers, libraryFiles(library).papers);
    assert.notEqual(libraryFiles(generateLibrary(1000, 2, bundled)).papers, libraryFiles(library).papers);
  });

  it('has the size asked for, with unique keys and arXiv ids, and every bundled paper', () => {
    for (const size of [65, 300, 1000]) assert.equal(generateLibrary(size, 1, bundled).papers.length, size);
    assert.equal(new Set(library.papers.map((paper) => paper.key)).size, 1000);
    assert.equal(new Set(library.papers.map((paper) => paper.arxivId)).size, 1000);
    const keys = new Set(library.papers.map((paper) => paper.key));
    assert.ok(bundled.papers.every((paper) => keys.has(paper.key)));
  });

  it('makes papers the extension loads without a problem: 3 to 8 authors, 1 to 3 known topics, plausible years', () => {
    const { library: loaded, problems } = parseLibraryJson({
      papers: (JSON.parse(libraryFiles(library).papers) as { papers: unknown }).papers,
      topics: library.topics,
    });
    assert.deepEqual(problems, []);
    assert.equal(loaded.papers.length, 1000);
    const topicIds = new Set(library.topics.map((topic) => topic.id));
    const bundledKeys = new Set(bundled.papers.map((paper) => paper.key));
    for (const paper of loaded.papers.filter((p) => !bundledKeys.has(p.key))) {
      assert.ok(paper.authors.length >= 3 && paper.authors.length <= 8, paper.key);
      assert.ok(paper.topics.length >= 1 && paper.topics.length <= 3 && paper.topics.every((id) => topicIds.has(id)), paper.key);
      assert.ok(paper.year !== undefined && paper.year >= 2015 && paper.year <= 2025, paper.key);
      assert.ok(paper.arxivId?.startsWith(String(paper.year).slice(2)), paper.key);
      assert.ok(paper.abstract.length > 500, paper.key);
    }
  });

  it('types at least 40 queries keystroke by keystroke, and names 15 or more intended papers that exist', () => {
    assert.ok(TYPED_QUERIES.length >= 40);
    assert.deepEqual(keystrokes([{ kind: 'typo', text: 'a b' }]), ['a', 'a b']);
    assert.equal(keystrokes().length, TYPED_QUERIES.reduce((sum, { text }) => sum + text.replace(/ /g, '').length, 0));
    assert.ok(QUALITY_QUERIES.length >= 15);
    const ids = new Set(bundled.papers.map((paper) => paper.arxivId));
    for (const { query, arxivId } of QUALITY_QUERIES) assert.ok(ids.has(arxivId), `${query} → ${arxivId}`);
  });
});
