import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiscoveryRequest } from '../../src/core/topics/assemble';
import { assignToDiscovered, discoverTopics, type DiscoveryInput } from '../../src/core/topics/discovery';
import { discoveryRun, INCREMENTAL_FROM, updateDiscovery, type DiscoveryRun } from '../../src/core/topics/incremental';
import { importBibtex } from '../../src/core/sources/bibtexImport';

// Real titles of proof-engineering papers (titles only, as most exported .bib files are).
const fixture = importBibtex(fs.readFileSync(path.join(__dirname, '../fixtures/topics/proof-engineering.bib'), 'utf8'));
const all: DiscoveryInput[] = fixture.papers.map(({ paper }) => ({ key: paper.key, title: paper.title, authors: paper.authors.map((author) => author.family) }));
const library = all.slice(0, 140);
const extra = all.slice(140);

const request = (papers: readonly DiscoveryInput[], pinned: DiscoveryRequest['pinned'] = []): DiscoveryRequest => ({ papers: [...papers], pinned });
const wholeRun = (papers: readonly DiscoveryInput[], pinned: DiscoveryRequest['pinned'] = []): DiscoveryRun => discoveryRun(request(papers, pinned), discoverTopics(papers, { pinned }));

describe('Topic discovery brought up to date (a paper added, removed or changed)', () => {
  const first = wholeRun(library);

  it('places a paper more among the topics, moving no other paper or topic', () => {
    const next = updateDiscovery(first, request([...library, extra[0]]));
    assert.ok(next, 'no whole discovery for one paper more');
    assert.deepEqual(next.discovery.topics, first.discovery.topics);
    for (const paper of library) assert.deepEqual(next.discovery.assignments.get(paper.key), first.discovery.assignments.get(paper.key), paper.key);
    assert.deepEqual(next.discovery.assignments.get(extra[0].key) ?? [], assignToDiscovered(first.discovery, extra[0]));
    assert.ok(next.inputs.has(extra[0].key), 'the next update starts from it');
  });

  it('places several papers that come at once, in any order, the same', () => {
    const one = updateDiscovery(first, request([...library, ...extra]));
    const other = updateDiscovery(first, request([...extra].reverse().concat(library)));
    assert.ok(one && other);
    assert.deepEqual([...one.discovery.assignments].sort(), [...other.discovery.assignments].sort());
    for (const paper of library) assert.deepEqual(one.discovery.assignments.get(paper.key), first.discovery.assignments.get(paper.key));
  });

  it('takes a removed paper out, and places a changed paper again', () => {
    const placed = library.find((paper) => first.discovery.assignments.has(paper.key))!;
    const removed = updateDiscovery(first, request(library.filter((paper) => paper !== placed)));
    assert.ok(removed);
    assert.equal(removed.discovery.assignments.has(placed.key), false);
    assert.equal(removed.discovery.assignments.size, first.discovery.assignments.size - 1);

    const retitled = { ...placed, title: 'Antibiotic resistance in soil bacteria' };
    const changed = updateDiscovery(first, request(library.map((paper) => (paper === placed ? retitled : paper))));
    assert.ok(changed);
    assert.deepEqual(changed.discovery.assignments.get(placed.key) ?? [], assignToDiscovered(first.discovery, retitled));
    assert.equal(changed.discovery.assignments.has(placed.key), false, 'shares no topic term: unsorted');
  });

  it('gives a topic pinned since (renamed by the user) its label and members, and moves nothing else', () => {
    const topic = first.discovery.topics[0];
    const members = library.filter((paper) => first.discovery.assignments.get(paper.key)?.some((evidence) => evidence.topic === topic.id)).map((paper) => paper.key);
    const next = updateDiscovery(first, request(library, [{ id: topic.id, label: 'Renamed by me', members }]));
    assert.ok(next);
    assert.deepEqual(next.discovery.topics[0], { ...topic, label: 'Renamed by me' });
    assert.deepEqual(next.discovery.topics.slice(1), first.discovery.topics.slice(1));
    for (const paper of library) assert.deepEqual(next.discovery.assignments.get(paper.key), first.discovery.assignments.get(paper.key), paper.key);
  });

  it('asks for a whole discovery when there is no previous one, the library is small, much changed, or a pinned topic went', () => {
    assert.equal(updateDiscovery(undefined, request(library)), undefined);
    const small = wholeRun(library.slice(0, INCREMENTAL_FROM - 1));
    assert.equal(updateDiscovery(small, request(library.slice(0, INCREMENTAL_FROM))), undefined);
    assert.equal(updateDiscovery(first, request([...library.slice(20), ...extra])), undefined, '29 of 140 changed');
    const topic = first.discovery.topics[0];
    const pinned = wholeRun(library, [{ id: topic.id, label: topic.label, members: [library[0].key] }]);
    assert.equal(updateDiscovery(pinned, request(library)), undefined);
  });

  it('keeps a discovered topic only while a paper is in it', () => {
    const membersOf = (id: string) => new Set(library.filter((paper) => first.discovery.assignments.get(paper.key)?.some((evidence) => evidence.topic === id)).map((paper) => paper.key));
    const [topic, members] = first.discovery.topics.map((candidate) => [candidate, membersOf(candidate.id)] as const).sort((a, b) => a[1].size - b[1].size)[0];
    assert.ok(members.size > 0 && members.size <= 14, `${members.size} papers`);
    const next = updateDiscovery(first, request(library.filter((paper) => !members.has(paper.key))));
    assert.ok(next);
    assert.equal(next.discovery.topics.some((candidate) => candidate.id === topic.id), false);
    assert.equal(next.discovery.topics.length, first.discovery.topics.length - 1);
  });
});
