import { availableParallelism } from 'node:os';
import type { Paper, Topic } from '../core/model';
import { SearchIndex, type AsyncBuildOptions, type IndexData, type PaperList } from '../core/search';
import { decodeIndex, paperBatches, partTransferables, startRequest, type BuildReply, type BuildRequest, type EncodedIndex, type EncodedPart } from '../core/search/transfer';
import { SEARCH_INDEX_WORKER } from '../core/workerRpc';
import { WorkerClient } from './workerClient';

/** Papers per message: copying one batch of abstracts into a message takes about a millisecond. */
const BATCH_SIZE = 500;
/** Batches sent ahead of a worker: enough to keep it busy, few enough that the text is not all copied at once. */
const BATCHES_AHEAD = 4;
/** Papers per worker at least: another worker costs tens of milliseconds to start. */
const MIN_PAPERS_PER_WORKER = 20_000;
const MAX_WORKERS = 4;

export interface WorkerBuildOptions extends AsyncBuildOptions {
  /**
   * Worker threads sharing the papers. By default one per core but one, which is left to this
   * thread: on two cores a second worker saved 5% of the time at 100,000 papers but, competing
   * with this thread for the cores, made its longest stall longer.
   */
  workers?: number;
}
/** Vocabulary terms rebuilt between two pauses for the event loop. */
const TERMS_PER_SLICE = 50_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One builder thread, fed with flow control: at most a few requests unanswered. */
class Builder {
  private readonly client: WorkerClient<BuildRequest, BuildReply>;
  private readonly unanswered: Promise<BuildReply>[] = [];

  constructor(directory: string, signal: AbortSignal | undefined) {
    this.client = new WorkerClient(SEARCH_INDEX_WORKER, directory, signal);
  }

  /** Sends a request whose answer only says the builder took it in; a failure surfaces from a later send or `settled`. */
  async send(request: BuildRequest): Promise<void> {
    if (this.unanswered.length >= BATCHES_AHEAD) await this.unanswered.shift();
    const reply = this.client.call(request);
    // Awaited later; meanwhile a failure must not count as unhandled.
    reply.catch(() => undefined);
    this.unanswered.push(reply);
  }

  /** Settles when everything sent was taken in. */
  async settled(): Promise<void> {
    await Promise.all(this.unanswered.splice(0));
  }

  async ask<K extends BuildReply['kind']>(request: BuildRequest, kind: K, transfer?: ArrayBuffer[]): Promise<BuildReply & { kind: K }> {
    const reply = await this.client.call(request, transfer);
    if (reply.kind !== kind) throw new Error(`${SEARCH_INDEX_WORKER.name} answered ${reply.kind}, not ${kind}`);
    return reply as BuildReply & { kind: K };
  }

  stop(): void {
    this.client.dispose();
  }
}

/**
 * Builds the search index of `papers` in worker threads (src/workers/searchIndexWorker.ts, bundled
 * in `directory`), each taking a share of the papers: this thread only copies the papers' text into
 * messages, a batch per turn of the event loop, and rebuilds the vocabulary from the answer in
 * slices. The workers are stopped when the build ends, fails or is aborted through `options.signal`.
 */
export async function buildIndexInWorkers(
  directory: string,
  papers: readonly Paper[],
  topics: readonly Topic[],
  options: WorkerBuildOptions = {},
): Promise<SearchIndex> {
  const { signal } = options;
  signal?.throwIfAborted();
  const count = Math.max(1, options.workers ?? Math.min(MAX_WORKERS, availableParallelism() - 1, Math.floor(papers.length / MIN_PAPERS_PER_WORKER)));
  const share = Math.ceil(papers.length / count);
  const shares = Array.from({ length: count }, (_, k) => papers.slice(k * share, (k + 1) * share));
  const builders = shares.map(() => new Builder(directory, signal));
  try {
    // The first builder absorbs the others' shares: its count covers them all.
    await Promise.all(builders.map((builder, k) => builder.send(startRequest(k === 0 ? papers.length : shares[k].length, topics))));
    const batches = shares.map((list) => paperBatches(list, options, BATCH_SIZE));
    for (let sent = true; sent; ) {
      sent = false;
      for (const [k, builder] of builders.entries()) {
        const batch = batches[k].next();
        if (batch.done) continue;
        await nextTurn();
        await builder.send(batch.value);
        sent = true;
      }
    }
    await Promise.all(builders.map((builder) => builder.settled()));
    const [lead, ...helpers] = builders;
    const parts: EncodedPart[] = await Promise.all(
      helpers.map(async (helper) => {
        const { part } = await helper.ask({ kind: 'part' }, 'part');
        helper.stop();
        return part;
      }),
    );
    const { index } = await lead.ask({ kind: 'finish', parts }, 'built', partTransferables(parts));
    return await indexFromEncoded(papers, index, signal);
  } finally {
    for (const builder of builders) builder.stop();
  }
}

/** Each encoded index's data, once cut up: the library cache's is used twice on a warm start (before and after its papers are decoded). */
const decodedData = new WeakMap<EncodedIndex, IndexData>();

/** The index of `papers` from its encoded form (a worker's answer, the library cache), cutting up the vocabulary in slices. */
export async function indexFromEncoded(papers: PaperList, index: EncodedIndex, signal?: AbortSignal): Promise<SearchIndex> {
  const known = decodedData.get(index);
  if (known) return SearchIndex.fromData(papers, known);
  const steps = decodeIndex(index, TERMS_PER_SLICE);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      decodedData.set(index, step.value);
      return SearchIndex.fromData(papers, step.value);
    }
    await nextTurn();
    signal?.throwIfAborted();
  }
}
