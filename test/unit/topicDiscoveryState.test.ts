import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeContainer } from '../../src/core/cache/container';
import type { DiscoveryRequest } from '../../src/core/topics/assemble';
import { discoverTopics, type DiscoveryInput } from '../../src/core/topics/discovery';
import { decodeDiscoveryState, DISCOVERY_STATE_FORMAT, encodeDiscoveryState, type RestoredDiscovery } from '../../src/core/topics/discoveryState';
import { discoveryRun, inputDigest, updateDiscovery, type DiscoveryRun } from '../../src/core/topics/incremental';
import { importBibtex } from '../../src/core/sources/bibtexImport';

// Real titles of proof-engineering papers (titles only, as most exported .bib files are).
const fixture = importBibtex(fs.readFileSync(path.join(__dirname, '../fixtures/topics/proof-engineering.bib'), 'utf8'));
const all: DiscoveryInput[] = fixture.papers.map(({ paper }) => ({ key: paper.key, title: paper.title, authors: paper.authors.map((author) => author.family) }));
const library = all.slice(0, 140);
const extra = all.slice(140);
const SHAPE = JSON.stringify({ extensionVersion: '1.2.3', includeBundled: false, libraryFiles: ['library/papers.bib'] });

const request = (papers: readonly DiscoveryInput[], pinned: DiscoveryRequest['pinned'] = []): DiscoveryRequest => ({ papers: [...papers], pinned });
const join = (parts: readonly Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const restore = (run: DiscoveryRun, shape = SHAPE): RestoredDiscovery => {
  const restored = decodeDiscoveryState(join(encodeDiscoveryState(run, shape)));
  assert.ok(!('error' in restored), 'error' in restored ? restored.error : '');
  return restored;
};
const sorted = (run: DiscoveryRun | undefined) => run && { topics: run.discovery.topics, assignments: [...run.discovery.assignments].sort(([a], [b]) => a.localeCompare(b)) };

/** A small state with hostile text in it: every byte of it is checked below. */
function smallRun(): DiscoveryRun {
  const papers: DiscoveryInput[] = [
    { key: '__proto__', title: '[Click me](command:x) <img src=x onerror=alert(1)>', authors: ['*x*'] },
    { key: 'b', title: 'Proof repair in Coq', abstract: '', venue: 'ITP', keywords: ['coq'] },
    { key: 'c', title: 'Ünïcode ✓ titles' },
  ];
  const discovery = {
    topics: [{ id: 'discovered:proof-repair', label: 'Proof repair · Coq', terms: ['proof repair', 'coq'] }],
    assignments: new Map([['b', [{ topic: 'discovered:proof-repair', terms: ['proof repair'], score: 0.667 }]]]),
  };
  return discoveryRun(request(papers, [{ id: 'discovered:proof-repair', label: 'Proof repair · Coq', members: ['b'] }]), discovery);
}

/** A seeded generator, so that a failure can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('Topic discovery state kept between sessions', () => {
  const first = discoveryRun(request(library), discoverTopics(library));

  it('reads back what was written: topics, evidence, pinned topics, and a digest of each paper', () => {
    const run = smallRun();
    const { run: back, shape } = restore(run);
    assert.equal(shape, SHAPE);
    assert.deepEqual(back.discovery, run.discovery);
    assert.deepEqual(back.pinned, run.pinned);
    assert.deepEqual([...back.inputs], [...run.inputs].map(([key, input]) => [key, inputDigest(input as DiscoveryInput)]));
    // Written again from the restored state, the same bytes.
    assert.deepEqual(join(encodeDiscoveryState(back, SHAPE)), join(encodeDiscoveryState(run, SHAPE)));
  });

  it('brings a restored discovery up to date exactly as the one in memory: a paper added, removed, changed, a topic pinned', () => {
    const restored = restore(first).run;
    const topic = first.discovery.topics[0];
    const members = library.filter((paper) => first.discovery.assignments.get(paper.key)?.some((evidence) => evidence.topic === topic.id)).map((paper) => paper.key);
    const placed = library.find((paper) => first.discovery.assignments.has(paper.key))!;
    const requests = [
      request(library),
      request([...library, extra[0]]),
      request([...extra].reverse().concat(library)),
      request(library.filter((paper) => paper !== placed)),
      request(library.map((paper) => (paper === placed ? { ...paper, title: 'Antibiotic resistance in soil bacteria' } : paper))),
      request(library.map((paper) => (paper === placed ? { ...paper, abstract: '' } : paper))),
      request(library, [{ id: topic.id, label: 'Renamed by me', members }]),
      request([...library.slice(20), ...extra]),
    ];
    for (const [at, next] of requests.entries()) {
      const fromMemory = updateDiscovery(first, next);
      const fromRestored = updateDiscovery(restored, next);
      assert.deepEqual(sorted(fromRestored), sorted(fromMemory), `request ${at}`);
      // And the next change after that goes on the same.
      if (fromMemory && fromRestored) assert.deepEqual(sorted(updateDiscovery(fromRestored, request([...next.papers, extra[1]]))), sorted(updateDiscovery(fromMemory, request([...next.papers, extra[1]]))));
    }
    assert.ok(updateDiscovery(restored, requests[1]), 'one paper more is no whole discovery');
    assert.equal(updateDiscovery(restored, requests[7]), undefined, 'a big change is a whole discovery, as in memory');
  });

  it('keeps a pinned topic from a restored state as the one in memory does', () => {
    const topic = first.discovery.topics[1];
    const pinned = [{ id: topic.id, label: 'Mine', members: [library[0].key, library[1].key] }];
    const run = discoveryRun(request(library, pinned), discoverTopics(library, { pinned }));
    const restored = restore(run).run;
    assert.deepEqual(sorted(updateDiscovery(restored, request([...library, extra[2]], pinned))), sorted(updateDiscovery(run, request([...library, extra[2]], pinned))));
    assert.equal(updateDiscovery(restored, request(library)), undefined, 'the pinned topic went: a whole discovery');
  });

  it("digests every field discovery reads, and an unchanged paper's digest is carried to its next input", () => {
    const paper: DiscoveryInput = { key: 'k', title: 'Proof repair', abstract: 'a', venue: 'v', keywords: ['x', 'y'], authors: ['A'] };
    const variants: DiscoveryInput[] = [
      { ...paper, title: 'Proof repair.' },
      { ...paper, abstract: undefined },
      { ...paper, abstract: '' },
      { ...paper, venue: undefined },
      { ...paper, keywords: ['y', 'x'] },
      { ...paper, authors: ['A', 'B'] },
      { ...paper, title: 'Proof repair","a' },
    ];
    const digests = new Set([paper, ...variants].map(inputDigest));
    assert.equal(digests.size, variants.length + 1);
    assert.equal(inputDigest({ ...paper, keywords: [] }), inputDigest({ ...paper, keywords: undefined }), 'no keywords read as none, as sameInput reads them');
    const run = discoveryRun(request(library), first.discovery);
    const copies = library.map((input) => ({ ...input }));
    const next = updateDiscovery(run, request(copies))!;
    assert.deepEqual(join(encodeDiscoveryState(next, SHAPE)), join(encodeDiscoveryState(run, SHAPE)));
  });

  it('rejects the state cut at every byte', () => {
    const bytes = join(encodeDiscoveryState(smallRun(), SHAPE));
    assert.ok(bytes.length > 200 && bytes.length < 2000, `${bytes.length} bytes`);
    for (let length = 0; length < bytes.length; length++) {
      const result = decodeDiscoveryState(bytes.subarray(0, length));
      assert.ok('error' in result, `cut at ${length} of ${bytes.length}`);
    }
  });

  it('rejects the state with any byte changed, and with random damage', () => {
    const bytes = join(encodeDiscoveryState(smallRun(), SHAPE));
    for (let at = 0; at < bytes.length; at++) {
      const damaged = new Uint8Array(bytes);
      damaged[at] ^= 0x20;
      assert.ok('error' in decodeDiscoveryState(damaged), `byte ${at} changed`);
    }
    const next = random(11);
    for (let round = 0; round < 300; round++) {
      const damaged = new Uint8Array(bytes);
      const changes = 1 + Math.floor(next() * 8);
      for (let change = 0; change < changes; change++) damaged[Math.floor(next() * damaged.length)] = Math.floor(next() * 256);
      if (damaged.every((byte, at) => byte === bytes[at])) continue;
      assert.ok('error' in decodeDiscoveryState(damaged), `round ${round}`);
    }
    const noise = new Uint8Array(4096).map(() => Math.floor(next() * 256));
    assert.ok('error' in decodeDiscoveryState(noise));
    assert.ok('error' in decodeDiscoveryState(new Uint8Array(0)));
  });

  it('rejects a state of another format version, another kind of file, and a body of an unknown shape', () => {
    const body = (value: unknown) => [{ name: 'state', bytes: new TextEncoder().encode(JSON.stringify(value)) }];
    const good = { topics: [['t', 'T', ['x']]], papers: [['a', 'f'.repeat(32), [['t', 0.5, ['x']]]]], pinned: [] };
    const decode = (parts: Uint8Array[]) => decodeDiscoveryState(join(parts));
    assert.ok(!('error' in decode(writeContainer(DISCOVERY_STATE_FORMAT, { kind: 'litnotes.topicDiscovery', shape: SHAPE }, body(good)))), 'the good body is read');

    const older = decode(writeContainer(DISCOVERY_STATE_FORMAT + 1, { kind: 'litnotes.topicDiscovery', shape: SHAPE }, body(good)));
    assert.ok('error' in older && /format/.test(older.error), JSON.stringify(older));
    const foreign = decode(writeContainer(DISCOVERY_STATE_FORMAT, { extensionVersion: '1.2.3', includeBundled: true }, body(good)));
    assert.ok('error' in foreign && /not a topic discovery state/.test(foreign.error), JSON.stringify(foreign));
    assert.ok('error' in decodeDiscoveryState(new TextEncoder().encode(JSON.stringify(good))), 'plain JSON is not the file');

    const bad: unknown[] = [
      null,
      [],
      { ...good, topics: undefined },
      { ...good, topics: [['t', 'T', ['x']], ['t', 'Again', []]] },
      { ...good, topics: [['t', 7, ['x']]] },
      { ...good, papers: [['a', 'not a digest', []]] },
      { ...good, papers: [['a', 'f'.repeat(32), [['unknown topic', 0.5, ['x']]]]] },
      { ...good, papers: [['a', 'f'.repeat(32), [['t', null, ['x']]]]] },
      { ...good, papers: [['a', 'f'.repeat(32), []], ['a', 'e'.repeat(32), []]] },
      { ...good, papers: [['a', 'f'.repeat(32)]] },
      { ...good, pinned: [['t', 'T', [3]]] },
    ];
    for (const value of bad) {
      const result = decode(writeContainer(DISCOVERY_STATE_FORMAT, { kind: 'litnotes.topicDiscovery', shape: SHAPE }, body(value)));
      assert.ok('error' in result && /unknown shape/.test(result.error), JSON.stringify(value));
    }
    const notText = decode(writeContainer(DISCOVERY_STATE_FORMAT, { kind: 'litnotes.topicDiscovery', shape: SHAPE }, [{ name: 'state', bytes: new Uint8Array([0x7b, 0xff, 0x7d]) }]));
    assert.ok('error' in notText);
  });

  it('stays small: about a hundred bytes a paper for titles only', () => {
    const bytes = join(encodeDiscoveryState(first, SHAPE));
    assert.ok(bytes.length < 200 * library.length, `${bytes.length} bytes for ${library.length} papers`);
  });
});
