import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Library, Paper } from '../../src/core/model';
import { assembleLibrary } from '../../src/core/sources';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { mergeSources, normaliseTitle } from '../../src/core/sources/merge';
import type { ImportedPaper } from '../../src/core/sources/source';

const root = path.join(__dirname, '../..');
const bundled: Library = {
  papers: (JSON.parse(fs.readFileSync(path.join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers,
  topics: (JSON.parse(fs.readFileSync(path.join(root, 'data/topics.json'), 'utf8')) as Library).topics,
};

function imported(paper: Partial<Paper> & { key: string; title: string }, line = 1): ImportedPaper {
  return { paper: { abstract: '', authors: [], authorCount: 0, links: {}, topics: [], ...paper }, line, keywords: [] };
}

describe('Merging sources', () => {
  it('merges the same paper by DOI, by version-less arXiv id and by normalised title; the first source wins field by field', () => {
    const first = { papers: [imported({ key: 'mine2024', title: 'My Copy of the Paper', arxivId: '2412.02685', venue: 'ICML 2025' })] };
    const second = { papers: [imported({ key: 'other2024', title: 'Another title', arxivId: '2412.02685v2', abstract: 'From the second.', year: 2024 })] };
    const third = { papers: [imported({ key: 'x', title: 'My copy of the paper!', doi: '10.1/ABC' }), imported({ key: 'y', title: 'Unrelated paper on databases', doi: '10.1/abc' })] };
    const { papers, problems } = mergeSources([first, second, third]);
    assert.equal(papers.length, 1);
    const [merged] = papers;
    assert.equal(merged.paper.key, 'mine2024');
    assert.equal(merged.paper.venue, 'ICML 2025');
    assert.equal(merged.paper.abstract, 'From the second.');
    assert.equal(merged.paper.year, 2024);
    assert.equal(merged.paper.doi, '10.1/ABC');
    assert.equal(problems.length, 1, 'a duplicate within one file is reported');
    assert.match(problems[0].message, /"y" is the same paper as "x"/);
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
