import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { groupPapers, GROUPINGS, type PaperGroup } from '../../src/core/grouping';
import { GROUP_BY_VALUES, type Paper, type Topic } from '../../src/core/model';
import type { PaperReadingState } from '../../src/core/readingState';

function paper(key: string, overrides: Partial<Paper> = {}): Paper {
  return { key, title: key, abstract: '', authors: [], authorCount: 0, links: {}, topics: [], ...overrides };
}

const topics: Topic[] = [
  { id: 'credit', label: 'Credit assignment', description: 'Dense rewards.' },
  { id: 'empty', label: 'Nothing here', description: 'No paper has it.' },
  { id: 'entropy', label: 'Entropy', description: 'Exploration.' },
];

const a = paper('a', { title: 'Alpha', year: 2024, topics: ['entropy', 'credit'], venue: 'ICML 2024', organization: 'NVIDIA' });
const b = paper('b', { title: 'beta', year: 2025, topics: ['credit'], venue: 'arXiv', organization: 'Google' });
const c = paper('c', { title: 'Gamma', year: 2024, topics: ['gone'], venue: '  ', organization: '' });
const d = paper('d', { title: 'Delta', topics: [], venue: 'ACL 2025' });
const e = paper('e', { title: 'Aardvark', year: 2024, topics: ['credit', 'credit'], venue: 'arXiv preprint', organization: 'NVIDIA' });
const papers = [a, b, c, d, e];

const summary = (groups: PaperGroup[]) => groups.map((group) => `${group.id}=${group.papers.map((p) => p.key).join('')}`);

describe('groupPapers', () => {
  it('by topic: taxonomy order, a paper under each of its topics, empty topics omitted, Unsorted last', () => {
    const groups = groupPapers(papers, 'topic', topics);
    // Within a group: newest first, then by title ignoring case.
    assert.deepEqual(summary(groups), ['topic:credit=bea', 'topic:entropy=a', 'topic-unsorted=cd']);
    assert.equal(groups[0].label, 'Credit assignment');
    assert.equal(groups[0].description, 'Dense rewards.');
    assert.equal(groups[2].label, 'Unsorted');
  });

  it('by year: newest first, unknown year last', () => {
    const groups = groupPapers(papers, 'year', topics);
    assert.deepEqual(summary(groups), ['year:2025=b', 'year:2024=eac', 'year-unknown=d']);
    assert.deepEqual(groups.map((group) => group.label), ['2025', '2024', 'Unknown year']);
  });

  it('by venue: alphabetical, then arXiv preprints, then papers without a venue', () => {
    const groups = groupPapers(papers, 'venue', topics);
    assert.deepEqual(summary(groups), ['venue:ACL 2025=d', 'venue:ICML 2024=a', 'venue-arxiv=be', 'venue-none=c']);
    assert.deepEqual(groups.map((group) => group.label), ['ACL 2025', 'ICML 2024', 'arXiv preprint', 'No venue']);
  });

  it('by venue: CoRR is arXiv, as the BibTeX and CSL export treat it', () => {
    const corr = paper('f', { title: 'Zeta', year: 2023, venue: 'CoRR abs/2301.00001' });
    assert.deepEqual(summary(groupPapers([a, corr], 'venue', topics)), ['venue:ICML 2024=a', 'venue-arxiv=f']);
  });

  it('by organisation: alphabetical, no organisation last', () => {
    const groups = groupPapers(papers, 'organization', topics);
    assert.deepEqual(summary(groups), ['organization:Google=b', 'organization:NVIDIA=ea', 'organization-none=cd']);
    assert.equal(groups.at(-1)?.label, 'No organisation');
  });

  it('omits catch-all groups that would be empty, and handles an empty library', () => {
    assert.deepEqual(summary(groupPapers([a, b], 'topic', topics)), ['topic:credit=ba', 'topic:entropy=a']);
    assert.deepEqual(summary(groupPapers([a], 'venue', topics)), ['venue:ICML 2024=a']);
    for (const by of GROUP_BY_VALUES) assert.deepEqual(groupPapers([], by, topics), []);
  });

  it('does not reorder the library it was given', () => {
    const before = papers.map((p) => p.key);
    groupPapers(papers, 'year', topics);
    assert.deepEqual(papers.map((p) => p.key), before);
  });
});

describe('groupPapers by reading state', () => {
  const state = new Map<string, PaperReadingState>([
    ['a', { status: 'read', tags: ['rlhf', 'agents'] }],
    ['b', { status: 'reading', tags: ['rlhf'] }],
    ['c', { status: 'to-read', tags: [] }],
    ['e', { tags: ['Agents'] }],
  ]);
  const context = { readingState: (key: string) => state.get(key) };

  it('by status: to read, reading, read, then papers without a status', () => {
    const groups = groupPapers(papers, 'status', topics, context);
    assert.deepEqual(summary(groups), ['status:to-read=c', 'status:reading=b', 'status:read=a', 'status-none=ed']);
    assert.deepEqual(groups.map((group) => group.label), ['To read', 'Reading', 'Read', 'No reading status']);
  });

  it('by tag: alphabetical, a paper under each of its tags, untagged last', () => {
    const groups = groupPapers(papers, 'tag', topics, context);
    assert.deepEqual(summary(groups), ['tag:agents=ea', 'tag:rlhf=ba', 'tag-none=cd']);
    assert.deepEqual(groups.map((group) => group.label), ['Agents', 'rlhf', 'Untagged']);
  });

  it('by tag: tags differing only in case are one group, shown as first met', () => {
    const mixed = new Map<string, PaperReadingState>([
      ['a', { tags: ['rlhf', 'RLHF'] }],
      ['b', { tags: ['RLHF'] }],
    ]);
    const groups = groupPapers([a, b], 'tag', topics, { readingState: (key) => mixed.get(key) });
    // b is newer, so it comes first.
    assert.deepEqual(summary(groups), ['tag:rlhf=ba']);
    assert.equal(groups[0].label, 'RLHF');
  });

  it('without a reading state every paper is in the catch-all group', () => {
    assert.deepEqual(summary(groupPapers(papers, 'status', topics)), ['status-none=beacd']);
    assert.deepEqual(summary(groupPapers(papers, 'tag', topics)), ['tag-none=beacd']);
  });
});

describe('GROUPINGS', () => {
  it('names every grouping as the setting\'s choices in package.json do', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
    const setting = manifest.contributes.configuration.properties['litnotes.tree.groupBy'];
    assert.deepEqual(setting.enum, GROUP_BY_VALUES);
    assert.deepEqual(setting.enumItemLabels, GROUP_BY_VALUES.map((by) => GROUPINGS[by].label));
    for (const by of GROUP_BY_VALUES) assert.match(GROUPINGS[by].icon, /^[a-z-]+$/, 'a codicon name');
  });
});
