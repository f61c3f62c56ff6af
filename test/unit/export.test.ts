import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toBibtexAll } from '../../src/core/bibtex';
import { toCslJson } from '../../src/core/csl';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { importCslJson } from '../../src/core/sources/cslJsonImport';

const fidelity = fs.readFileSync(path.join(__dirname, '../fixtures/library/fidelity.bib'), 'utf8');

describe('Export round trip', () => {
  const papers = importBibtex(fidelity).papers.map((entry) => entry.paper);

  it('reads back what it exports as BibTeX: keys, names, titles, arXiv ids and DOIs', () => {
    const again = importBibtex(toBibtexAll(papers));
    assert.deepEqual(again.problems, []);
    assert.deepEqual(
      again.papers.map(({ paper }) => [paper.key, paper.title, paper.authors, paper.arxivId, paper.doi]),
      papers.map((paper) => [paper.key, paper.title, paper.authors, paper.arxivId, paper.doi]),
    );
  });

  it('reads back what it exports as CSL-JSON', () => {
    const again = importCslJson(JSON.stringify(papers.map(toCslJson)));
    assert.deepEqual(again.problems, []);
    assert.deepEqual(
      again.papers.map(({ paper }) => [paper.key, paper.title, paper.year, paper.arxivId]),
      papers.map((paper) => [paper.key, paper.title, paper.year, paper.arxivId]),
    );
  });
});
