/**
 * Topic discovery, timed on the benchmark libraries: the whole discovery as the topics worker runs
 * it (a large library's texts read on two threads, by the production build's corpus part worker),
 * the same on one thread, and one paper added to a discovery (updateDiscovery, what the library does
 * when a paper comes in), beside a plain reference on the same texts: lower-casing and splitting
 * every title and abstract into words, the least any text clustering must do. Libraries above
 * 10,000 papers are left out (discovery runs in a worker, on the libraries people keep).
 */
import type { Paper } from '../src/core/model';
import { discoverTopics, type DiscoveryInput } from '../src/core/topics/discovery';
import { discoveryRun, updateDiscovery } from '../src/core/topics/incremental';
import { CorpusPartReader } from '../src/workers/corpusPartReader';
import { stats, time, type Stats } from './stats';

export interface TopicsResult {
  papers: number;
  topics: number;
  unsorted: number;
  /** As the topics worker discovers: texts read on two threads from TWO_THREADS_FROM characters. */
  discoverMs: Stats;
  /** The same discovery on one thread. */
  oneThreadMs: Stats;
  tokeniseMs: Stats;
  /** discoverMs.median ÷ tokeniseMs.median */
  ratio: number;
  addOneMs: Stats;
}

export const TOPICS_MAX_SIZE = 10000;

/** `workers` holds the production build's worker bundles (dist/). */
export function measureTopics(papers: readonly Paper[], runs: number, workers: string): TopicsResult {
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
  const oneThreadMs: number[] = [];
  const reader = new CorpusPartReader(workers, (problem) => {
    throw new Error(`the topics worker's second thread: ${problem}`);
  });
  let discovery = discoverTopics(library, { read: reader.read });
  const oneThread = JSON.stringify([...discoverTopics(library).assignments]);
  if (oneThread !== JSON.stringify([...discovery.assignments])) throw new Error('discovery on two threads differs from one');
  for (let run = 0; run < runs; run++) {
    tokeniseMs.push(time(() => {
      for (const paper of library) words += `${paper.title} ${paper.abstract}`.toLowerCase().split(/[^\p{L}\p{N}]+/u).length;
    }));
    discoverMs.push(time(() => (discovery = discoverTopics(library, { read: reader.read }))));
    oneThreadMs.push(time(() => discoverTopics(library)));
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
    oneThreadMs: stats(oneThreadMs),
    tokeniseMs: tokenise,
    ratio: discover.median / tokenise.median,
    addOneMs: stats(addOneMs),
  };
}
