import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Library, Paper } from '../../src/core/model';
import { assembleLibrary } from '../../src/core/sources';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { importCslJson } from '../../src/core/sources/cslJsonImport';
import { mergeSources, normaliseTitle } from '../../src/core/sources/merge';
import type { ImportedPaper } from '../../src/core/sources/source';

const root = path.join(__dirname, '../..');
const bundled: Library = {
  papers: (JSON.parse(fs.readFileSync(path.join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers,
  topics: (JSON.parse(fs.readFileSync(path.join(root, 'data/topics.json'), 'utf8')) as Library).topics,
};

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/library', name), 'utf8');

function imported(paper: Partial<Paper> & { key: string; title: string }, line = 1): ImportedPaper {
  return { paper: { abstract: '', authors: [], authorCount: 0, links: {}, topics: [], ...paper }, line, keywords: [] };
}

describe('Merging sources', () => {
  it('merges the same paper by DOI, by version-less arXiv id and by normalised title; the first source wins field by field', () => {
    const first = { papers: [imported({ key: 'mine2024', title: 'My Copy of the Paper', arxivId: '2412.02685', venue: 'ICML 2025' })] };
    const second = { papers: [imported({ key: 'other2024', title: 'My copy of the paper: with its subtitle', arxivId: '2412.02685v2', abstract: 'From the second.', year: 2024 })] };
    const third = { papers: [imported({ key: 'x', title: 'My copy of the paper!', doi: '10.1000/ABC' }), imported({ key: 'y', title: 'My Copy of the Paper', doi: '10.1000/abc' }, 5)] };
    const { papers, problems } = mergeSources([first, second, third]);
    assert.equal(papers.length, 1);
    const [merged] = papers;
    assert.equal(merged.paper.key, 'mine2024');
    assert.equal(merged.paper.venue, 'ICML 2025');
    assert.equal(merged.paper.abstract, 'From the second.');
    assert.equal(merged.paper.year, 2024);
    assert.equal(merged.paper.doi, '10.1000/ABC');
    assert.deepEqual(merged.paper.aliases, ['other2024', 'x', 'y']);
    assert.deepEqual(problems, [{ source: 2, line: 5, message: '"y" is the same paper as "x" (line 1); merged into it' }], 'a duplicate within one file is reported');
  });

  it('keeps two papers that share a DOI but not their title, and says so (a JabRef library with a copied DOI)', () => {
    const { papers, problems } = mergeSources([importBibtex(fixture('jabref-shared-doi.bib'))]);
    assert.deepEqual(papers.map((entry) => entry.paper.key), ['Smith2019', 'Nguyen2020']);
    assert.deepEqual(papers[0].paper.aliases, ['Smith2019a'], 'the copy with the same title and DOI is the same paper');
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.message]),
      [
        [14, '"Nguyen2020" has the DOI of "Smith2019" (line 4) but another title; kept as a different paper'],
        [22, '"Smith2019a" is the same paper as "Smith2019" (line 4); merged into it'],
      ],
    );
    const ownTitle = mergeSources([
      { papers: [imported({ key: 'mytreg', title: 'My own T-REG record', arxivId: '2412.02685' })] },
      { papers: [imported({ key: 'zhou2024treg', title: 'T-REG: Preference Optimization with Token-Level Reward Regularization', arxivId: '2412.02685' })] },
    ]);
    assert.equal(ownTitle.papers.length, 1, "an arXiv id is the paper's own, whatever title one's record gives it");
    const across = mergeSources([
      { papers: [imported({ key: 'a', title: 'Direct Preference Optimization', doi: '10.1000/xyz' })] },
      { papers: [imported({ key: 'b', title: 'Proximal Policy Optimization Algorithms', doi: '10.1000/XYZ' }, 9)] },
      { papers: [imported({ key: 'c', title: 'Direct Preference Optimization: Your Language Model Is Secretly a Reward Model', doi: '10.1000/xyz' })] },
    ]);
    assert.deepEqual(across.papers.map((entry) => entry.paper.key), ['a', 'b']);
    assert.deepEqual(across.papers[0].paper.aliases, ['c'], 'a subtitle added is the same title');
    assert.deepEqual(across.problems, [{ source: 1, line: 9, message: '"b" has the DOI of "a" but another title; kept as a different paper' }]);
  });

  it('merges look-alike entries of one file by title only when the rest agrees (xampl twins stay apart)', () => {
    const { papers, problems } = mergeSources([importBibtex(fixture('xampl-style.bib'))]);
    assert.equal(papers.length, 14);
    assert.deepEqual(problems.map((problem) => problem.message), ['"misc-full-again" is the same paper as "misc-full" (line 98); merged into it']);
    for (const key of ['article-minimal', 'article-full', 'article-crossref', 'article-reprint', 'manual-minimal', 'manual-lookalike']) {
      assert.ok(papers.some((entry) => entry.paper.key === key), `${key} was merged into a twin`);
    }
  });

  it('merges look-alike entries of different files by title unless a type, year or identifying field differs', () => {
    const bib = importBibtex(
      '@inproceedings{mine, title={Learning to Summarize from Human Feedback}, author={Stiennon, Nisan}, booktitle={NeurIPS}, year=2020}\n' +
        '@book{book, title={Reinforcement Learning: An Introduction}, author={Sutton, Richard S.}, publisher={MIT Press}, year=2018, edition={2}}\n',
    );
    const json = importCslJson(
      JSON.stringify([
        { id: 'theirs', type: 'paper-conference', title: 'Learning to summarize from human feedback', author: [{ family: 'Stiennon', given: 'N.' }], issued: { 'date-parts': [[2020]] }, abstract: 'Abstract.' },
        { id: 'first-edition', type: 'book', title: 'Reinforcement Learning: An Introduction', author: [{ family: 'Sutton' }], publisher: 'MIT Press', issued: { 'date-parts': [[2018]] }, edition: '1' },
        { id: 'preprint', type: 'article', title: 'Learning to Summarize from Human Feedback', issued: { 'date-parts': [[2020]] } },
      ]),
    );
    const { papers } = mergeSources([bib, json]);
    assert.deepEqual(papers.map((entry) => entry.paper.key), ['mine', 'book', 'first-edition', 'preprint']);
    assert.equal(papers[0].paper.abstract, 'Abstract.');
  });

  it('gives a different paper with a taken key a suffix, and reports it at its source and line', () => {
    const { papers, problems } = mergeSources([
      { papers: [imported({ key: 'zhou2024treg', title: 'Something else entirely by Zhou' })] },
      { papers: [imported({ key: 'zhou2024treg', title: 'T-REG: Preference Optimization', arxivId: '2412.02685' }, 7)] },
    ]);
    assert.deepEqual(papers.map((entry) => entry.paper.key), ['zhou2024treg', 'zhou2024trega']);
    assert.deepEqual(problems.map((problem) => [problem.source, problem.line]), [[1, 7]]);
    assert.match(problems[0].message, /cited as "zhou2024trega"/);
  });

  it('does not take short titles for identity', () => {
    assert.equal(mergeSources([{ papers: [imported({ key: 'a', title: 'Introduction' }), imported({ key: 'b', title: 'Introduction' })] }]).papers.length, 2);
    assert.equal(normaliseTitle('{T-REG}: Über  Alles!'), 't reg uber alles');
  });

  it('merges a .bib entry with the bundled T-REG into one paper with the user\'s key and the bundled topics', () => {
    const bib = importBibtex('@misc{mytreg, title={{T-REG}}, eprint={2412.02685v1}, archivePrefix={arXiv}}');
    const { library } = assembleLibrary([bib], bundled, true);
    assert.equal(library.papers.length, bundled.papers.length);
    const treg = library.papers.find((paper) => paper.arxivId === '2412.02685');
    assert.ok(treg);
    assert.equal(treg.key, 'mytreg');
    assert.deepEqual(treg.aliases, ['zhou2024treg'], 'notes citing the bundled key still find the paper');
    assert.equal(treg.title, 'T-REG');
    assert.ok(treg.abstract.startsWith('Reinforcement learning from human feedback'), 'the bundled abstract fills the gap');
    assert.deepEqual(treg.topics, bundled.papers.find((paper) => paper.key === 'zhou2024treg')?.topics);
    assert.equal(assembleLibrary([bib], bundled, false).library.papers.length, 1, 'without the bundled library only the file remains');
  });
});
