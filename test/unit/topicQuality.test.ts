/**
 * The quality figures of topic discovery reported in the README: discovery alone on the bundled 65
 * (their topics hidden), and libraries of titles only from three fields combined with the bundled
 * topics as the library does it (a bundled topic where the paper clearly belongs, else a discovered one).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateLibrary } from '../../bench/generate';
import type { Library, Paper } from '../../src/core/model';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { TopicModel } from '../../src/core/sources/topicAssign';
import { agreement } from '../../src/core/topics/agreement';
import { addToDiscovery, assignToDiscovered, discoverTopics, type DiscoveryInput } from '../../src/core/topics/discovery';

const root = path.join(__dirname, '../..');
const papers = (JSON.parse(fs.readFileSync(path.join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers;
const topics = (JSON.parse(fs.readFileSync(path.join(root, 'data/topics.json'), 'utf8')) as Library).topics;
const inputOf = (paper: Paper): DiscoveryInput => ({
  key: paper.key,
  title: paper.title,
  abstract: paper.abstract,
  venue: paper.venue,
  authors: paper.authors.map((author) => `${author.given} ${author.family}`.trim()),
});

describe('Topic discovery on the bundled 65, their topics hidden', () => {
  const discovery = discoverTopics(papers.map(inputOf));

  it('agrees with the hand topics (primary topic): NMI 0.54, adjusted Rand index 0.29', () => {
    const truth = new Map(papers.map((paper) => [paper.key, paper.topics[0]]));
    const found = new Map([...discovery.assignments].map(([key, evidence]) => [key, evidence[0].topic]));
    const { nmi, ari } = agreement(truth, found);
    assert.equal(Math.round(nmi * 100), 54);
    assert.equal(Math.round(ari * 100), 29);
    assert.equal(discovery.topics.length, 6);
    assert.equal(discovery.assignments.size, 64, "one unsorted: Curiosity-driven Red-teaming");
  });

  it('names each topic by words its papers write', () => {
    const text = papers.map((paper) => `${paper.title} ${paper.abstract}`).join(' ');
    for (const topic of discovery.topics) for (const part of topic.label.split(' · ')) assert.ok(text.toLowerCase().includes(part.toLowerCase()), part);
  });
});

describe('Topics of libraries of titles only (test/fixtures/topics), with the bundled topics', () => {
  const model = TopicModel.fromPapers(papers, topics);
  const cases = [
    { file: 'rlhf-reasoning.bib', size: 215, bundled: 97, unsorted: 12 },
    { file: 'proof-engineering.bib', size: 149, bundled: 9, unsorted: 16 },
    { file: 'databases.bib', size: 157, bundled: 2, unsorted: 17 },
  ];
  for (const { file, size, bundled, unsorted } of cases) {
    it(`${file}: ${bundled} of ${size} in bundled topics, the rest discovered, ${unsorted} (at most 15%) unsorted`, () => {
      const source = importBibtex(fs.readFileSync(path.join(root, 'test/fixtures/topics', file), 'utf8'));
      assert.equal(source.papers.length, size);
      assert.ok(source.papers.every((entry) => !entry.paper.abstract), 'titles only');
      const rest = source.papers.filter((entry) => model.assign(entry.paper, entry.keywords).length === 0);
      assert.equal(size - rest.length, bundled);
      const discovery = discoverTopics(rest.map((entry) => inputOf(entry.paper)));
      const left = rest.filter((entry) => !discovery.assignments.has(entry.paper.key)).length;
      assert.equal(left, unsorted);
      assert.ok(left / size <= 0.15);
    });
  }
});

describe('Topic discovery: one paper added to 2,000', function () {
  this.timeout(300000);
  const generated = generateLibrary(2001, 1).papers.map(inputOf);
  const library = generated.slice(0, 2000);
  const added = generated[2000];
  const discovery = discoverTopics(library);

  it('places it among the topics without moving any other paper or topic', () => {
    const after = addToDiscovery(discovery, added);
    assert.deepEqual(after.topics, discovery.topics);
    for (const paper of library) assert.deepEqual(after.assignments.get(paper.key), discovery.assignments.get(paper.key));
    assert.deepEqual(after.assignments.get(added.key), assignToDiscovered(discovery, added));
    assert.ok(after.assignments.get(added.key)?.[0].terms.length);
  });

  it('re-runs the same on the same library', () => {
    assert.deepEqual(discoverTopics([...library].reverse()), discovery);
  });
});

describe('Topic discovery: the same library gives the same topics, in any order', function () {
  this.timeout(300000);
  /** A fixed shuffle (a linear congruential generator), so that a failure can be run again. */
  const shuffled = <T>(items: readonly T[], seed: number): T[] => {
    const copy = [...items];
    let state = seed;
    for (let at = copy.length - 1; at > 0; at--) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const other = state % (at + 1);
      [copy[at], copy[other]] = [copy[other], copy[at]];
    }
    return copy;
  };
  for (const [size, seed] of [[150, 3], [600, 5], [1500, 7]]) {
    it(`${size} generated papers, run twice in two orders`, () => {
      const papers = generateLibrary(size, seed).papers.map(inputOf);
      const first = discoverTopics(shuffled(papers, 1));
      assert.ok(first.topics.length > 3, `${first.topics.length} topics`);
      assert.deepEqual(discoverTopics(shuffled(papers, 2)), first);
      assert.deepEqual(discoverTopics(papers), first);
    });
  }
});
