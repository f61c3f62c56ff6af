import * as assert from 'node:assert/strict';
import { readItem, type ZoteroCollection, type ZoteroItem } from '../../src/core/zotero/api';
import { assignCitationKeys, type KeyClaim } from '../../src/core/zotero/citationKeys';
import { ZoteroPaperSet, withZoteroData, type LibraryContent } from '../../src/core/zotero/paperSet';
import { collectionPaths } from '../../src/core/zotero/papers';
import type { Library, Paper } from '../../src/core/model';

const claim = (id: string, made: string, added: string, held?: string): KeyClaim => ({ id, made, added, ...(held && { held }) });

describe('Zotero citation keys', () => {
  it('gives held keys first, then keeps earlier keys, then makes keys with a, b … for clashes', () => {
    const keys = assignCitationKeys(
      [
        claim('users/0/items/B', 'smith2020deep', '2024-02-01'),
        claim('users/0/items/A', 'smith2020deep', '2024-01-01'),
        claim('users/0/items/C', 'jones2021x', '2024-03-01', 'smith2020deep'),
      ],
      new Map(),
    );
    assert.deepEqual(Object.fromEntries(keys), { 'users/0/items/C': 'smith2020deep', 'users/0/items/A': 'smith2020deepa', 'users/0/items/B': 'smith2020deepb' });
  });

  it('keeps a key with its item when the title changes, and when an older item with the same made key arrives', () => {
    const before = new Map([['users/0/items/A', 'smith2020deep']]);
    const keys = assignCitationKeys([claim('users/0/items/A', 'smith2020shallow', '2024-05-01'), claim('users/0/items/Z', 'smith2020deep', '2023-01-01')], before);
    assert.deepEqual(Object.fromEntries(keys), { 'users/0/items/A': 'smith2020deep', 'users/0/items/Z': 'smith2020deepa' });
  });

  it('of two items holding one key, the one that had it keeps it', () => {
    const keys = assignCitationKeys([claim('users/0/items/OLD', 'x', '2020-01-01', 'k'), claim('users/0/items/NEW', 'y', '2019-01-01', 'k')], new Map([['users/0/items/OLD', 'k']]));
    assert.deepEqual(Object.fromEntries(keys), { 'users/0/items/OLD': 'k', 'users/0/items/NEW': 'ka' });
  });
});

function item(key: string, data: Record<string, unknown>): ZoteroItem {
  const read = readItem({ key, version: 0, meta: {}, data: { key, version: 0, dateAdded: '2024-01-01T00:00:00Z', dateModified: '2024-01-01T00:00:00Z', ...data } });
  assert.ok(read);
  return read;
}

describe('the Zotero paper set', () => {
  const collections = new Map<string, ZoteroCollection>([
    ['TPCC2345', { key: 'TPCC2345', version: 0, name: 'Reading' }],
    ['SUBC2345', { key: 'SUBC2345', version: 0, name: 'RL', parentCollection: 'TPCC2345' }],
  ]);
  const library = (items: ZoteroItem[]): LibraryContent => ({ prefix: 'users/0', items: new Map(items.map((entry) => [entry.key, entry])), collections });
  const first = item('ITEM2345', { itemType: 'journalArticle', title: 'Deep Reinforcement Learning', creators: [{ creatorType: 'author', lastName: 'Smith', firstName: 'A' }], date: '2020', tags: [{ tag: 'rlhf' }, { tag: 'to-skim', type: 1 }], collections: ['SUBC2345'] });

  it('names collections by their path, a group`s name first; a cycle is cut where it closes, a missing parent makes a top collection', () => {
    assert.deepEqual(Object.fromEntries(collectionPaths('users/0', undefined, collections)), { 'users/0/collections/TPCC2345': ['Reading'], 'users/0/collections/SUBC2345': ['Reading', 'RL'] });
    assert.deepEqual([...collectionPaths('groups/7', 'Lab', collections).values()], [['Lab', 'Reading'], ['Lab', 'Reading', 'RL']]);
    const cycle = new Map<string, ZoteroCollection>([
      ['AAAA2345', { key: 'AAAA2345', version: 0, name: 'A', parentCollection: 'BBBB2345' }],
      ['BBBB2345', { key: 'BBBB2345', version: 0, name: 'B', parentCollection: 'AAAA2345' }],
      ['CCCC2345', { key: 'CCCC2345', version: 0, name: 'C', parentCollection: 'GONE2345' }],
    ]);
    assert.deepEqual([...collectionPaths('users/0', undefined, cycle).values()].map((path) => path.join('/')).sort(), ['B', 'B/A', 'C']);
  });

  it('says what changed each time: new papers, a changed one, one gone; topics are worked out once per change', () => {
    let assigned = 0;
    const assign = (paper: Paper) => {
      assigned++;
      return paper.title.includes('Reinforcement') ? ['rl'] : [];
    };
    const set = new ZoteroPaperSet();
    const second = item('ITEM2346', { itemType: 'book', title: 'Another Book', date: '2019' });
    let change = set.update([library([first, second])], assign);
    assert.deepEqual([change.changed.length, change.removed, assigned], [2, [], 2]);
    const paper = change.papers.find((entry) => entry.ref.key === 'ITEM2345');
    assert.deepEqual(paper && [paper.entry.paper.key, paper.tags, paper.collections, paper.topics], ['smith2020deep', ['rlhf', 'to-skim'], ['users/0/collections/SUBC2345'], ['rl']]);
    change = set.update([library([first, second])], assign);
    assert.deepEqual([change.changed.length, assigned], [0, 2], 'nothing changed: nothing read again');
    const edited = item('ITEM2345', { ...first.data, title: 'Deep Reinforcement Learning, Revised', dateModified: '2024-02-02T00:00:00Z' });
    change = set.update([library([edited])], assign);
    assert.deepEqual([change.changed.map((entry) => entry.entry.paper.title), change.removed, assigned], [['Deep Reinforcement Learning, Revised'], ['users/0/items/ITEM2346'], 3]);
    assert.equal(change.changed[0].entry.paper.key, 'smith2020deep', 'the key stays with the item');
    const moved = item('ITEM2345', { ...edited.data, collections: ['TPCC2345'] });
    change = set.update([library([moved])], assign);
    assert.deepEqual([change.changed[0]?.collections, assigned], [['users/0/collections/TPCC2345'], 3], 'a move is a change, but no new topics');
  });

  it('puts tags, collections and the Zotero item on the assembled library`s paper of that key', () => {
    const set = new ZoteroPaperSet();
    const change = set.update([library([first])], () => []);
    const assembled: Library = { papers: [{ key: 'smith2020deep', title: 'Deep Reinforcement Learning', abstract: '', authors: [], authorCount: 0, links: {}, topics: [] }, { key: 'other', title: 'Other', abstract: '', authors: [], authorCount: 0, links: {}, topics: [] }], topics: [] };
    const decorated = withZoteroData(assembled, change.papers, change.collections);
    assert.deepEqual(decorated.papers[0].zotero, { library: 'users/0', key: 'ITEM2345' });
    assert.deepEqual(decorated.papers[0].tags, ['rlhf', 'to-skim']);
    assert.deepEqual(decorated.papers[0].collections, ['users/0/collections/SUBC2345']);
    assert.equal(decorated.papers[1], assembled.papers[1]);
    assert.deepEqual(decorated.collections?.map((collection) => collection.path.join(' › ')), ['Reading', 'Reading › RL']);
  });
});
