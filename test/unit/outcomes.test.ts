import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Library, Paper } from '../../src/core/model';
import { assembleLibrary } from '../../src/core/sources';
import { importBibtex } from '../../src/core/sources/bibtexImport';

const root = path.join(__dirname, '../..');
const bundled: Library = {
  papers: (JSON.parse(fs.readFileSync(path.join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers,
  topics: (JSON.parse(fs.readFileSync(path.join(root, 'data/topics.json'), 'utf8')) as Library).topics,
};

const FIRST = `@article{bees2023,
  title   = {Acoustic Monitoring of Honeybee Colonies},
  author  = {Baker, Hannah},
  year    = {2023}
}

@article{bees2023copy,
  title   = {Acoustic monitoring of honeybee colonies!},
  author  = {Baker, H.},
  year    = {2023}
}

@misc{notitle2020,
  author = {Nobody, A.},
}

@article{mytreg,
  title   = {My own T-REG record},
  eprint  = {2412.02685},
  archivePrefix = {arXiv}
}

@article{broken2021,
  title = {Never closed,
  year  = {2021}
}

@book{hives2019,
  title     = {Hives, Frames and Smokers: A Practical Handbook},
  publisher = {Garden Press},
  year      = {2019}
}
`;
const SECOND = `@book{hives-again,
  title     = {Hives, frames and smokers: a practical handbook},
  publisher = {Garden Press},
  year      = {2019}
}

@article{hostile,
  title = {\\$(zap) [Click me](command:x) <img src=x onerror=alert(1)>},
  year  = {2024}
}
`;

describe('What became of each entry of a library file', () => {
  const first = importBibtex(FIRST);
  const second = importBibtex(SECOND);
  const { outcomes, library } = assembleLibrary([first, second], bundled, true);

  it('counts papers, entries merged into an earlier record and entries skipped, per file', () => {
    assert.equal(outcomes.length, 2);
    const [mine, other] = outcomes;
    // bees2023, notitle2020 (a @misc cited by its author), mytreg (which the bundled T-REG merges
    // into, not the other way round), hives2019.
    assert.equal(mine.papers, 4);
    assert.deepEqual(mine.merged.map((entry) => [entry.key, entry.line]), [['bees2023copy', 7]]);
    assert.deepEqual(mine.merged[0].into, { source: 0, line: 1, key: 'bees2023' });
    assert.deepEqual(mine.skipped.map((entry) => entry.key), ['broken2021']);
    assert.match(mine.skipped[0].message, /not closed|never closed/);
    assert.equal(other.papers, 1);
    assert.deepEqual(other.merged.map((entry) => [entry.key, entry.into]), [['hives-again', { source: 0, line: 28, key: 'hives2019' }]]);
    assert.deepEqual(other.skipped, []);
    assert.equal(library.papers.length, bundled.papers.length + 4, 'T-REG is one paper');
  });

  it('does not count an entry whose last good version stands in as skipped', () => {
    const kept = { papers: first.papers, problems: [...first.problems, { line: 1, message: 'broken now', severity: 'error' as const, key: 'bees2023' }] };
    const [outcome] = assembleLibrary([kept], bundled, false).outcomes;
    assert.ok(!outcome.skipped.some((entry) => entry.key === 'bees2023'));
  });

  it('keeps hostile titles as data', () => {
    const hostile = assembleLibrary([second, { papers: second.papers.slice(1).map((entry) => ({ ...entry, line: 40 })) }], bundled, false).outcomes[1];
    assert.equal(hostile.merged[0].title, '$(zap) [Click me](command:x) <img src=x onerror=alert(1)>');
  });
});
