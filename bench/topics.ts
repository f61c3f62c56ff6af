/**
 * Topic discovery, timed on the benchmark libraries: the whole discovery, and one paper added to a
 * discovery (updateDiscovery, what the library does when a paper comes in), beside a plain reference
 * on the same texts: lower-casing and splitting every title and abstract into words, the least any
 * text clustering must do. Libraries above 10,000 papers are left out (discovery runs in a worker,
 * on the libraries people keep).
 */
import type { Paper } from '../src/core/model';
import { discoverTopics, type DiscoveryInput } from '../src/core/topics/discovery';
import { discoveryRun, updateDiscovery } from '../src/core/topics/incremental';
import { stats, time, type Stats } from './stats';

export interface TopicsResult {
  papers: number;
  topics: number;
  unsorted: number;
  discoverMs: Stats;
  tokeniseMs: Stats;
  /** discoverMs.median ÷ tokeniseMs.median */
  ratio: number;
  addOneMs: Stats;
}

export const TOPICS_MAX_SIZE = 10000;

export function measureTopics(papers: readonly Paper[], runs: number): TopicsResult {
  const inputs: DiscoveryInput[] = papers.map((paper) => ({
    key: paper.key,
    title: paper.title,
    abstract: paper.abstract,
    venue: paper.venue,
    authors: paper.authors.map((author) => `${author.given} ${author.family}`.trim()),
  }));
  const library = inputs.slice(0, -1);
  const last = inputs[inputs.length - 1];
  let words = 0;
  const tokeniseMs: number[] = [];
  const discoverMs: number[] = [];
  let discovery = discoverTopics(library);
  for (let run = 0; run < runs; run++) {
    tokeniseMs.push(time(() => {
      for (const paper of library) words += `${paper.title} ${paper.abstract}`.toLowerCase().split(/[^\p{L}\p{N}]+/u).length;
    }));
    discoverMs.push(time(() => (discovery = discoverTopics(library))));
  }
  const addOneMs: number[] = [];
  const previous = discoveryRun({ papers: library, pinned: [] }, discovery);
  const next = { papers: [...library, last], pinned: [] };
  for (let run = 0; run < Math.max(20, runs); run++) {
    addOneMs.push(time(() => {
      if (!updateDiscovery(previous, next)) throw new Error('one paper more ran a whole discovery');
    }));
  }
  if (words === 0) throw new Error('no words in the library');
  const discover = stats(discoverMs);
  const tokenise = stats(tokeniseMs);
  return {
    papers: library.length,
    topics: discovery.topics.length,
    unsorted: library.length - discovery.assignments.size,
    discoverMs: discover,
    tokeniseMs: tokenise,
    ratio: discover.median / tokenise.median,
    addOneMs: stats(addOneMs),
  };
}
