import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchAnnotations } from '../../src/node/zotero/annotations';
import { apiBase, ZoteroClient, ZoteroError } from '../../src/node/zotero/client';
import { readCache } from '../../src/node/zotero/cache';
import { ZoteroSession, type SessionEvent } from '../../src/node/zotero/session';
import { emptyCopy, LibrarySync } from '../../src/node/zotero/sync';
import type { ZoteroPaper } from '../../src/core/zotero/paperSet';
import { ZoteroDouble, type DoubleOptions } from '../doubles/zoteroServer';

function clientFor(double: ZoteroDouble): ZoteroClient {
  const base = apiBase(double.url);
  assert.ok(base instanceof URL);
  return new ZoteroClient(base, { timeoutMs: 5000 });
}

async function rejectsWith(promise: Promise<unknown>, kind: ZoteroError['kind']): Promise<ZoteroError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ZoteroError, `a ZoteroError, not ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a "${kind}" failure`);
}

describe('Zotero local API client', () => {
  let double: ZoteroDouble;
  afterEach(() => double?.stop());

  it('reads JSON answers sent as HTTP/1.0 without Content-Length, with the API`s headers', async () => {
    double = await ZoteroDouble.start();
    double.addItem('book', { title: 'A' });
    const client = clientFor(double);
    const answer = await client.get('users/0/items', { format: 'versions' });
    assert.deepEqual([answer.status, answer.total, answer.version, Object.keys(answer.json as object).length], [200, 1, 0, 1]);
  });

  it('only asks this computer, over http', () => {
    assert.equal(String(apiBase('http://127.0.0.1:23119')), 'http://127.0.0.1:23119/api/');
    assert.equal(String(apiBase('http://localhost:23119/')), 'http://localhost:23119/api/');
    assert.match(String(apiBase('http://example.org:23119')), /not on this computer/);
    assert.match(String(apiBase('https://127.0.0.1:23119')), /not an http:\/\/ address/);
    assert.match(String(apiBase('zotero')), /not an address/);
  });

  it('is refused by Zotero without Zotero-Allowed-Request when it looks like a browser; this client always sends it', async () => {
    double = await ZoteroDouble.start();
    const client = clientFor(double);
    await client.get('users/0/items');
    const browser = await fetch(`${double.url}/api/users/0/items`, { headers: { 'User-Agent': 'Mozilla/5.0' } }).then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(browser, 'refused', 'the double refuses as Zotero does');
  });

  it('tells "Local API is not enabled" (403) apart from Zotero not running, Zotero 6, broken and cut answers', async () => {
    double = await ZoteroDouble.start({ disabled: true });
    const client = clientFor(double);
    await rejectsWith(client.get('users/0/items'), 'not-enabled');
    double.setEnabled(true);
    await rejectsWith(client.get('connector/ping/api'), 'no-local-api');
    double.addItem('book', { title: 'A' });
    double.fail('malformed');
    await rejectsWith(client.get('users/0/items'), 'malformed');
    double.fail('cut');
    await rejectsWith(client.get('users/0/items'), 'malformed');
    double.fail('reset');
    // A reset shows as a broken connection or, when the last bytes came first, as a cut answer: a failure either way.
    await assert.rejects(client.get('users/0/items'), (error) => error instanceof ZoteroError && ['unreachable', 'malformed'].includes(error.kind));
    await double.stop();
    const gone = await rejectsWith(client.get('users/0/items'), 'unreachable');
    assert.match(gone.message, /is Zotero running/);
  });
});

describe('Zotero library sync', () => {
  let double: ZoteroDouble;
  afterEach(() => double?.stop());

  async function synced(options: DoubleOptions = {}, setup: (double: ZoteroDouble) => void = () => undefined) {
    double = await ZoteroDouble.start(options);
    setup(double);
    if (options.syncing) double.sync();
    const sync = new LibrarySync(clientFor(double), emptyCopy('users/0'), { pageSize: 100 });
    await sync.sync();
    return sync;
  }

  it('first sync: pages with limit/start up to Total-Results, regular items only, reporting progress', async () => {
    double = await ZoteroDouble.start();
    const collection = double.addCollection('Reading');
    const keys = Array.from({ length: 250 }, (_, index) => double.addItem('journalArticle', { title: `Paper ${index}` }, [collection]));
    double.addAttachment(keys[0]);
    double.addNote(undefined, '<p>A standalone note</p>');
    double.trashItem(keys[1]);
    const progress: number[] = [];
    const sync = new LibrarySync(clientFor(double), emptyCopy('users/0'), { pageSize: 100, onProgress: ({ done, total }) => progress.push(done, total) });
    const result = await sync.sync();
    assert.deepEqual([result.changed, sync.copy.complete, sync.copy.items.size], [true, true, 249]);
    assert.deepEqual(progress, [100, 249, 200, 249, 249, 249]);
    assert.ok(!sync.copy.items.has(keys[1]), 'the trashed item is not in the library');
    assert.deepEqual([...sync.copy.collections.values()].map((c) => [c.name, c.numItems]), [['Reading', 249]]);
    const pages = double.requests.filter((request) => request.startsWith('/api/users/0/items/top?'));
    assert.equal(pages.length, 3);
    assert.match(pages[1], /itemType=-attachment&itemType=-note&sort=dateAdded&direction=asc&limit=100&start=100/);
  });

  it('a later sync with nothing changed reads no item, and says nothing changed', async () => {
    const sync = await synced({}, (d) => d.addItem('book', { title: 'A' }));
    const before = double.requests.length;
    const result = await sync.sync();
    assert.deepEqual(result, { changed: false, fetched: 0 });
    assert.equal(double.requests.length - before, 4, 'versions, trash, collections, recently modified');
  });

  it('sees an item moved into a collection while another left it (the count stays the same)', async () => {
    let [a, b, moving, leaving] = ['', '', '', ''];
    const sync = await synced({}, (d) => {
      a = d.addCollection('A');
      b = d.addCollection('B');
      moving = d.addItem('book', { title: 'Moving' }, [a]);
      leaving = d.addItem('book', { title: 'Leaving' }, [b]);
      d.addItem('book', { title: 'Staying' }, [a]);
    });
    double.moveItem(moving, a, b);
    double.moveItem(leaving, b, undefined);
    double.trashItem([...sync.copy.items.values()].find((item) => item.data.title === 'Staying')?.key as string);
    await sync.sync();
    assert.deepEqual([sync.copy.items.get(moving)?.data.collections, sync.copy.items.get(leaving)?.data.collections], [[b], []]);
  });

  it('sees the trash when Zotero lists trashed items among the others', async () => {
    let key = '';
    const sync = await synced({ trashListed: true }, (d) => {
      key = d.addItem('book', { title: 'Soon in the trash' });
    });
    double.trashItem(key);
    await sync.sync();
    assert.equal(sync.copy.items.size, 0);
  });

  // Zotero 7.0 answers `since=0` without version-0 objects and `If-Modified-Since-Version: 0` with 304;
  // 8 and 9 do not (they differ from each other in nothing the local API shows: local versions come with 10).
  for (const [zotero, profile] of [['Zotero 7', { zotero70: true }], ['Zotero 8 and 9', {}]] as const) {
    it(`${zotero}: sees what changed in Zotero without a sync (versions stay 0): added, edited, moved, trashed, deleted, renamed`, async () => {
      let keys: string[] = [];
      let reading = '';
      let done = '';
      const sync = await synced(profile, (d) => {
        reading = d.addCollection('Reading');
        done = d.addCollection('Done', reading);
        keys = [d.addItem('journalArticle', { title: 'Edited later' }, [reading]), d.addItem('book', { title: 'Moved later' }, [reading]), d.addItem('book', { title: 'Trashed later' }), d.addItem('book', { title: 'Deleted later' })];
      });
      const added = double.addItem('preprint', { title: 'Added' }, [done]);
      double.editItem(keys[0], { title: 'Edited now' });
      double.moveItem(keys[1], reading, done);
      double.trashItem(keys[2]);
      double.deleteItem(keys[3]);
      double.renameCollection(done, 'Finished');
      const result = await sync.sync();
      assert.equal(result.changed, true);
      const items = sync.copy.items;
      assert.deepEqual([...items.keys()].sort(), [keys[0], keys[1], added].sort());
      assert.equal(items.get(keys[0])?.data.title, 'Edited now');
      assert.deepEqual(items.get(keys[1])?.data.collections, [done], 'the move is seen though no dateModified changed');
      assert.equal(items.get(added)?.data.title, 'Added');
      assert.equal(sync.copy.collections.get(done)?.name, 'Finished');
    });

    it(`${zotero}: with a syncing user, reads what a sync changed with since= and If-Modified-Since-Version`, async () => {
      let key = '';
      const sync = await synced({ ...profile, syncing: true }, (d) => {
        key = d.addItem('book', { title: 'Before' });
        d.addItem('book', { title: 'Unchanged' });
      });
      assert.equal(sync.copy.version, 1);
      double.editItem(key, { title: 'After, from another computer' });
      double.sync();
      const before = double.requests.length;
      await sync.sync();
      assert.equal(sync.copy.items.get(key)?.data.title, 'After, from another computer');
      assert.equal(sync.copy.version, 2);
      const asked = double.requests.slice(before);
      assert.ok(!asked.some((request) => request.includes('since=')), 'the recently-modified check found it first');
      // An item changed by a sync without a newer dateModified (a merge on the server) is found by version.
      const other = [...sync.copy.items.keys()].find((k) => k !== key) as string;
      double.moveItem(other, undefined, undefined);
      double.sync();
      const client = clientFor(double);
      const since = await client.get('users/0/items/top', { since: 2 }, 2);
      assert.equal(since.status, 200);
      const notModified = await client.get('users/0/items/top', { since: 3 }, 3);
      assert.equal(notModified.status, 304);
      await sync.sync();
      assert.ok(double.requests.some((request) => request.includes('since=2')), 'a version newer than the copy is read with since=');
    });

  }

  it('syncs a library of 10,000 items: 10 pages, then later syncs of 4 small requests', async function () {
    this.timeout(120_000);
    double = await ZoteroDouble.start();
    const keys = double.generate(10_000);
    const sync = new LibrarySync(clientFor(double), emptyCopy('users/0'), { pageSize: 1000 });
    await sync.sync();
    assert.equal(sync.copy.items.size, 10_000);
    assert.equal(double.requests.filter((request) => request.includes('start=')).length, 10);
    const before = double.requests.length;
    double.editItem(keys[9_999], { title: 'The last one, edited' });
    const result = await sync.sync();
    assert.deepEqual([result.changed, result.fetched, double.requests.length - before], [true, 1, 4]);
    assert.equal(sync.copy.items.get(keys[9_999])?.data.title, 'The last one, edited');
  });

  it('Zotero going away in the middle of a first sync leaves nothing half done; the next sync completes', async () => {
    double = await ZoteroDouble.start();
    for (let index = 0; index < 300; index++) double.addItem('book', { title: `Book ${index}` });
    double.goAwayAfter(2);
    const sync = new LibrarySync(clientFor(double), emptyCopy('users/0'), { pageSize: 100 });
    await rejectsWith(sync.sync(), 'unreachable');
    assert.deepEqual([sync.copy.complete, sync.copy.items.size], [false, 0]);
    await double.restart();
    await sync.sync();
    assert.deepEqual([sync.copy.complete, sync.copy.items.size], [true, 300]);
  });

  it('a broken or cut answer in a later sync keeps the copy as it was', async () => {
    let key = '';
    const sync = await synced({}, (d) => {
      key = d.addItem('book', { title: 'Kept' });
    });
    double.editItem(key, { title: 'Not seen yet' });
    double.fail('cut');
    await rejectsWith(sync.sync(), 'malformed');
    assert.equal(sync.copy.items.get(key)?.data.title, 'Kept');
    await sync.sync();
    assert.equal(sync.copy.items.get(key)?.data.title, 'Not seen yet');
  });
});

describe('Zotero session: cache, keys, status', () => {
  let double: ZoteroDouble;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-zotero-'));
  });
  afterEach(async () => {
    await double?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function session(events: SessionEvent[]) {
    const base = apiBase(double.url);
    assert.ok(base instanceof URL);
    return new ZoteroSession({ base, includeGroups: false, cacheFile: path.join(dir, 'zotero.json'), pollMs: 60_000, assignTopics: () => ['topic'], topicModel: 'test', converter: 'test' }, (event) => events.push(event));
  }
  const papersOf = (events: SessionEvent[]) => {
    const papers = new Map<string, ZoteroPaper>();
    for (const event of events) {
      if (event.type !== 'papers') continue;
      for (const paper of event.changed) papers.set(paper.id, paper);
      for (const id of event.removed) papers.delete(id);
    }
    return papers;
  };

  it('writes the copy to the cache, shows it at once next time (also while Zotero is closed), and keeps every key with its item', async () => {
    double = await ZoteroDouble.start();
    const collection = double.addCollection('Reading');
    const key = double.addItem('journalArticle', { title: 'Deep Learning of Things', creators: [{ creatorType: 'author', firstName: 'A', lastName: 'Smith' }], date: '2020', tags: [{ tag: 'rlhf' }] }, [collection]);
    const events: SessionEvent[] = [];
    const first = session(events);
    await first.syncNow();
    await first.stop();
    const papers = papersOf(events);
    assert.deepEqual([...papers.values()].map((paper) => [paper.entry.paper.key, paper.tags, paper.collections]), [['smith2020deep', ['rlhf'], [`users/0/collections/${collection}`]]]);
    const status = events.filter((event) => event.type === 'status').at(-1);
    assert.ok(status?.type === 'status' && status.status.state === 'synced' && status.status.items === 1 && status.status.syncedAt);
    const cached = await readCache(path.join(dir, 'zotero.json'), { topicModel: 'test', converter: 'test' });
    assert.deepEqual([cached?.libraries[0].items.size, [...(cached?.papers.conversions ?? [])].length, [...(cached?.papers.topics ?? [])].length], [1, 1, 1]);
    const otherVersion = await readCache(path.join(dir, 'zotero.json'), { topicModel: 'another', converter: 'another' });
    assert.deepEqual([[...(otherVersion?.papers.conversions ?? [])].length, [...(otherVersion?.papers.topics ?? [])].length, [...(otherVersion?.papers.citationKeys ?? [])].length], [0, 0, 1], 'another version reads the items again, but keeps the keys');

    // The title changes in Zotero while the editor is closed; Zotero is closed at the next start.
    double.editItem(key, { title: 'Shallow Learning of Things' });
    await double.stop();
    const later: SessionEvent[] = [];
    const second = session(later);
    await second.start();
    assert.deepEqual([...papersOf(later).values()].map((paper) => paper.entry.paper.key), ['smith2020deep'], 'the cached copy, at once');
    await second.syncNow();
    await second.stop();
    const down = later.filter((event) => event.type === 'status').at(-1);
    assert.ok(down?.type === 'status' && down.status.state === 'unreachable' && down.status.syncedAt === status.status.syncedAt, 'unreachable, showing the copy of the last sync');

    await double.restart();
    const third: SessionEvent[] = [];
    const resumed = session(third);
    await resumed.start();
    await resumed.syncNow();
    await resumed.stop();
    const paper = [...papersOf(third).values()][0];
    assert.deepEqual([paper.entry.paper.title, paper.entry.paper.key], ['Shallow Learning of Things', 'smith2020deep'], 'the new title, the key it had');
  });

  it('reads the group libraries when asked: their papers, collections named after the group, annotation links into the group', async () => {
    double = await ZoteroDouble.start();
    double.addItem('book', { title: 'Mine' });
    const lab = double.addGroup(4711, 'Lab');
    const shared = lab.addCollection('Shared');
    const paper = lab.addItem('journalArticle', { title: 'A Paper of the Lab', creators: [{ creatorType: 'author', firstName: 'L', lastName: 'Ab' }], date: '2024' }, [shared]);
    const events: SessionEvent[] = [];
    const base = apiBase(double.url) as URL;
    const withGroups = new ZoteroSession({ base, includeGroups: true, pollMs: 60_000, assignTopics: () => [], topicModel: 'test', converter: 'test' }, (event) => events.push(event));
    await withGroups.syncNow();
    let papers = papersOf(events);
    const groupPaper = [...papers.values()].find((entry) => entry.ref.library === 'groups/4711');
    assert.deepEqual([papers.size, groupPaper?.entry.paper.title, groupPaper?.collections], [2, 'A Paper of the Lab', [`groups/4711/collections/${shared}`]]);
    const collections = events.filter((event) => event.type === 'papers').at(-1);
    assert.ok(collections?.type === 'papers' && collections.collections.some((collection) => collection.path.join(' › ') === 'Lab › Shared'));
    const pdf = lab.addAttachment(paper);
    lab.addAnnotation(pdf, { type: 'highlight', text: 'Shared words', pageIndex: 0 });
    const { annotations } = await fetchAnnotations(clientFor(double), { library: 'groups/4711', key: paper });
    assert.deepEqual(annotations.map((annotation) => annotation.text), ['Shared words']);
    double.leaveGroup(4711);
    await withGroups.syncNow();
    await withGroups.stop();
    papers = papersOf(events);
    assert.deepEqual([...papers.values()].map((entry) => entry.ref.library), ['users/0'], 'a group left is dropped');
    const without: SessionEvent[] = [];
    const own = new ZoteroSession({ base, includeGroups: false, pollMs: 60_000, assignTopics: () => [], topicModel: 'test', converter: 'test' }, (event) => without.push(event));
    const asked = double.requests.length;
    await own.syncNow();
    await own.stop();
    assert.ok(!double.requests.slice(asked).some((request) => request.includes('groups')), 'groups only when asked');
    assert.deepEqual([...double.methods], ['GET'], 'nothing but GET was sent, syncs and annotations alike: nothing is written to Zotero');
  });

  it('reports a cache it cannot read as none, and never leaves a half-written file', async () => {
    double = await ZoteroDouble.start();
    double.addItem('book', { title: 'A Book' });
    fs.writeFileSync(path.join(dir, 'zotero.json'), '{"format": 1, "url": ');
    const events: SessionEvent[] = [];
    const s = session(events);
    await s.start();
    await s.syncNow();
    await s.stop();
    assert.equal(papersOf(events).size, 1);
    assert.deepEqual(fs.readdirSync(dir), ['zotero.json'], 'no temporary file left behind');
    assert.ok(await readCache(path.join(dir, 'zotero.json'), { topicModel: 'test', converter: 'test' }));
  });
});

describe('Zotero annotations through the local API', () => {
  let double: ZoteroDouble;
  afterEach(() => double?.stop());

  for (const zotero70 of [false, true]) {
    it(`reads every type, in reading order, through the attachments${zotero70 ? ' (Zotero 7.0, where itemType=annotation finds nothing)' : ''}`, async () => {
      double = await ZoteroDouble.start({ zotero70 });
      const paper = double.addItem('journalArticle', { title: 'Annotated' });
      const pdf = double.addAttachment(paper);
      const epub = double.addAttachment(paper, { contentType: 'application/epub+zip', filename: 'book.epub' });
      double.addAttachment(paper, { contentType: 'image/png', filename: 'figure.png' });
      double.addNote(paper, '<p>A child note</p>');
      const types = ['ink', 'image', 'note', 'underline', 'text', 'highlight'];
      types.forEach((type, index) => double.addAnnotation(pdf, { type, text: `${type} text`, comment: `${type} comment`, pageIndex: types.length - index, top: index }));
      double.addAnnotation(epub, { type: 'highlight', text: 'epub text', position: '{"type":"FragmentSelector","value":"epubcfi(/6/4)"}' });
      const byType = await clientFor(double).get('users/0/items', { itemType: 'annotation' });
      assert.equal((byType.json as unknown[]).length, zotero70 ? 0 : 7);
      const { attachments, annotations } = await fetchAnnotations(clientFor(double), { library: 'users/0', key: paper });
      assert.equal(attachments, 2, 'the PDF and the EPUB; the image is no reader attachment');
      assert.deepEqual(annotations.map((annotation) => annotation.type), [...types].reverse().concat('highlight'));
      assert.equal(annotations.find((annotation) => annotation.type === 'highlight')?.text, 'highlight text');
      assert.equal(annotations.find((annotation) => annotation.type === 'image')?.text, '', 'an image has no text, only its comment');
      assert.equal(annotations.at(-1)?.pageIndex, undefined);
    });
  }
});
