import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generateLibrary } from '../../bench/generate';
import { keystrokes } from '../../bench/queries';
import type { Paper } from '../../src/core/model';
import { SearchIndex, type SearchBuildOptions } from '../../src/core/search';
import { finished } from '../../src/core/search/builder';
import {
  decodeIndex, IndexBuildSession, paperBatches, partTransferables, startRequest, type BuildReply, type BuildRequest, type EncodedPart,
} from '../../src/core/search/transfer';
import { SEARCH_INDEX_WORKER } from '../../src/core/workerRpc';
import { buildIndexInWorkers } from '../../src/services/searchIndexBuild';

const library = generateLibrary(1500);
const { papers, topics } = library;
// Tags on some papers, and accented names, so that every field and the folding path are compared.
const options: SearchBuildOptions = { extraText: (paper) => (paper.key.length % 3 === 0 ? `favourite tag-${paper.key.length} Ünïcode` : '') };
const inProcess = SearchIndex.build(papers, topics, options);
const queries = [...keystrokes(), 'favourite', 'unicode', 'ünï', 'Müller', 'credt asignment', 'token-level credit', '2412.02685', 'favourite credit'];

/** What a person sees of the results: the papers in order, with scores, fields and excerpts. */
function results(index: SearchIndex, query: string) {
  return index.search(query, { limit: 200 }).map(({ paper, score, matchedFields, excerpt }) => ({ key: paper.key, score, matchedFields, excerpt }));
}

let expected: ReturnType<typeof results>[] | undefined;

function assertSameResults(index: SearchIndex): void {
  expected ??= queries.map((query) => results(inProcess, query));
  // The comparison means something only if most queries find papers.
  const found = expected.filter((list) => list.length > 0).length;
  assert.ok(found > queries.length * 0.9, `${found} of ${queries.length} queries found papers`);
  assert.equal(index.size, papers.length);
  queries.forEach((query, i) => assert.deepEqual(results(index, query), expected?.[i], query));
}

/**
 * Runs the protocol in this thread, with `builders` sessions sharing the papers as the workers do:
 * every message goes through a structured clone, with the typed arrays transferred, as between threads.
 */
function buildThroughProtocol(list: readonly Paper[], batchSize: number, sliceSize: number, builders = 1): SearchIndex {
  const share = Math.ceil(list.length / builders);
  const sessions = Array.from({ length: builders }, () => new IndexBuildSession());
  const send = (k: number, request: BuildRequest, transfer: ArrayBuffer[] = []): BuildReply => {
    const { reply, transfer: back } = sessions[k].handle(structuredClone(request, { transfer }));
    return structuredClone(reply, { transfer: back });
  };
  const parts: EncodedPart[] = [];
  for (let k = builders - 1; k >= 0; k--) {
    const mine = list.slice(k * share, (k + 1) * share);
    assert.deepEqual(send(k, startRequest(k === 0 ? list.length : mine.length, topics)), { kind: 'progress', papers: 0 });
    for (const batch of paperBatches(mine, options, batchSize)) {
      assert.deepEqual(send(k, batch), { kind: 'progress', papers: batch.first + batch.records.length });
    }
    if (k === 0) break;
    const reply = send(k, { kind: 'part' });
    assert.equal(reply.kind, 'part');
    parts.unshift(reply.part);
  }
  const reply = send(0, { kind: 'finish', parts }, partTransferables(parts));
  assert.equal(reply.kind, 'built');
  return SearchIndex.fromData(list, finished(decodeIndex(reply.index, sliceSize)));
}

describe('building the search index elsewhere (worker protocol)', function () {
  // Correctness over every keystroke of the benchmark: CPU-bound, so slow on a shared machine; speed is the benchmark's job.
  this.timeout(180_000);
  it('gives the same results as the build in this thread, for every keystroke of the benchmark queries', () => {
    assertSameResults(buildThroughProtocol(papers, 97, 1000));
  });

  it('gives the same results when several builders share the papers', () => {
    assertSameResults(buildThroughProtocol(papers, 128, 5000, 3));
  });

  it('handles an empty library and a library of one paper', () => {
    assert.deepEqual(buildThroughProtocol([], 10, 10).search('anything'), []);
    const [only] = papers;
    assert.equal(buildThroughProtocol([only], 10, 1).search(only.title)[0].paper.key, only.key);
  });

  it('refuses papers out of order, a finish or part before the last paper, papers before a start, and too many papers', () => {
    const session = new IndexBuildSession();
    const [first, second] = paperBatches(papers.slice(0, 20), options, 10);
    assert.throws(() => session.handle(first), /no build started/);
    session.handle(startRequest(20, topics));
    assert.throws(() => session.handle(second), /out of order/);
    session.handle(first);
    assert.throws(() => session.handle({ kind: 'finish', parts: [] }), /finished after 10 of 20 papers/);
    assert.throws(() => session.handle({ kind: 'part' }), /finished after 10 of 20 papers/);
    const helper = new IndexBuildSession();
    helper.handle(startRequest(20, topics));
    helper.handle(first);
    helper.handle(second);
    const { reply } = helper.handle({ kind: 'part' });
    assert.equal(reply.kind, 'part');
    assert.throws(() => session.handle({ kind: 'finish', parts: [reply.part] }), /a part of 20 papers after 10 of 20/);
  });

  it('refuses index data made for another library', () => {
    const index = buildThroughProtocol(papers.slice(0, 10), 10, 10);
    assert.equal(index.size, 10);
    const session = new IndexBuildSession();
    session.handle(startRequest(0, topics));
    const { reply } = session.handle({ kind: 'finish', parts: [] });
    assert.equal(reply.kind, 'built');
    const data = decodeIndex(reply.index, 10).next();
    assert.ok(data.done);
    assert.throws(() => SearchIndex.fromData(papers.slice(0, 1), data.value), /does not fit/);
  });
});

const dist = path.join(__dirname, '..', '..', 'dist');

describe('building the search index in a worker thread', function () {
  this.timeout(180_000);
  before(function () {
    // `npm test` builds first; a bare mocha run without a build has no worker to start.
    if (!fs.existsSync(path.join(dist, SEARCH_INDEX_WORKER.file))) this.skip();
  });

  it('gives the same results as the build in this thread', async () => {
    assertSameResults(await buildIndexInWorkers(dist, papers, topics, options));
  });

  it('gives the same results with the papers shared among workers', async () => {
    const large = generateLibrary(3000).papers;
    const sample = queries.filter((_, i) => i % 5 === 0);
    const here = SearchIndex.build(large, topics, options);
    const there = await buildIndexInWorkers(dist, large, topics, { ...options, workers: 3 });
    for (const query of sample) assert.deepEqual(results(there, query), results(here, query), query);
  });

  it('stops when aborted, and fails when the worker cannot start', async () => {
    const controller = new AbortController();
    const build = buildIndexInWorkers(dist, papers, topics, { ...options, signal: controller.signal });
    setImmediate(() => controller.abort());
    await assert.rejects(build, { name: 'AbortError' });
    await assert.rejects(buildIndexInWorkers(path.join(dist, 'missing'), papers, topics), /the search index worker failed: Cannot find module/);
  });
});
