import * as assert from 'node:assert/strict';
import { groupPapers } from '../../src/core/grouping';
import type { LibraryCollection } from '../../src/core/model';
import { paperTags } from '../../src/core/readingState';
import { makePaper } from './paperFixtures';

const collections: LibraryCollection[] = [
  { id: 'users/0/collections/BBBB2345', path: ['Reading', 'RL'] },
  { id: 'users/0/collections/AAAA2345', path: ['Reading'] },
  { id: 'users/0/collections/CCCC2345', path: ['Archive'] },
  { id: 'groups/7/collections/DDDD2345', path: ['Lab', 'Shared'] },
  { id: 'users/0/collections/EEEE2345', path: ['Empty'] },
];

describe('grouping by Zotero collection, and Zotero tags', () => {
  it('makes a group per collection named by its path, parents before children, a paper under each of its collections', () => {
    const papers = [
      makePaper({ key: 'a', title: 'In RL and the archive', year: 2024, collections: ['users/0/collections/BBBB2345', 'users/0/collections/CCCC2345'] }),
      makePaper({ key: 'b', title: 'In reading', year: 2023, collections: ['users/0/collections/AAAA2345', 'users/0/collections/AAAA2345'] }),
      makePaper({ key: 'c', title: 'Shared in a group', year: 2022, collections: ['groups/7/collections/DDDD2345'] }),
      makePaper({ key: 'd', title: 'A file`s paper', year: 2021 }),
      makePaper({ key: 'e', title: 'In a collection gone', year: 2020, collections: ['users/0/collections/GONE2345'] }),
    ];
    const groups = groupPapers(papers, 'collection', [], { collections });
    assert.deepEqual(
      groups.map((group) => [group.id, group.label, group.papers.map((paper) => paper.key)]),
      [
        ['collection:users/0/collections/CCCC2345', 'Archive', ['a']],
        ['collection:groups/7/collections/DDDD2345', 'Lab › Shared', ['c']],
        ['collection:users/0/collections/AAAA2345', 'Reading', ['b']],
        ['collection:users/0/collections/BBBB2345', 'Reading › RL', ['a']],
        ['collection-none', 'In no collection', ['d', 'e']],
      ],
    );
  });

  it('groups by Zotero`s tags with the workspace`s own, one group for tags differing in case', () => {
    const papers = [makePaper({ key: 'a', title: 'A', tags: ['RLHF', 'zotero-only'] }), makePaper({ key: 'b', title: 'B' })];
    const state = (key: string) => (key === 'b' ? { tags: ['rlhf'] } : { tags: [] });
    const groups = groupPapers(papers, 'tag', [], { readingState: state });
    assert.deepEqual(groups.map((group) => [group.label, group.papers.map((paper) => paper.key)]), [['RLHF', ['a', 'b']], ['zotero-only', ['a']]]);
    assert.deepEqual(paperTags({ tags: ['RLHF', 'Deep'] }, { tags: ['rlhf'] }), ['rlhf', 'Deep'], 'the workspace`s spelling first, Zotero`s others after');
    assert.deepEqual(paperTags({}, undefined), []);
  });
});
