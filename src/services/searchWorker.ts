import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Paper, Topic } from '../core/model';
import { SearchIndex, type AsyncBuildOptions } from '../core/search';
import {
  decodeIndex, paperBatches, partTransferables, startRequest, type BuildReply, type BuildRequest, type EncodedIndex, type EncodedPart,
} from '../core/search/transfer';

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

/** One worker thread running one builder, fed with flow control. */
class BuilderThread {
  private readonly worker: Worker;
  private indexed = 0;
  private failure: unknown;
  private wake = () => {};
  /** The worker's one answer besides progress: its part, or the index. */
  readonly answer: Promise<BuildReply>;

  constructor(workerFile: string, signal: AbortSignal | undefined) {
    this.worker = new Worker(workerFile);
    this.answer = new Promise<BuildReply>((resolve, reject) => {
      const fail = (error: unknown) => {
        this.failure ??= error;
        reject(this.failure);
        this.wake();
      };
      this.worker.on('message', (reply: BuildReply) => {
        if (reply.kind === 'progress') {
          this.indexed = reply.papers;
          this.wake();
        } else if (reply.kind === 'failed') fail(new Error(`the search index worker failed: ${reply.error}`));
        else resolve(reply);
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`the search index worker stopped (exit code ${code})`)));
      signal?.addEventListener('abort', () => fail(signal.reason), { once: true });
    });
    // Failures surface from `send` and from awaiting the answer; this keeps one meanwhile from going unhandled.
    this.answer.catch(() => undefined);
  }

  /** Sends papers once the worker is at most a few batches behind. */
  async sendPapers(batch: BuildRequest & { kind: 'papers' }): Promise<void> {
    while (batch.first - this.indexed >= BATCHES_AHEAD * BATCH_SIZE && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    this.send(batch);
  }

  send(request: BuildRequest, transfer: ArrayBuffer[] = []): void {
    if (this.failure !== undefined) throw this.failure;
    this.worker.postMessage(request, transfer);
  }

  async expect<K extends BuildReply['kind']>(kind: K): Promise<BuildReply & { kind: K }> {
    const reply = await this.answer;
    if (reply.kind !== kind) throw new Error(`the search index worker answered ${reply.kind}, not ${kind}`);
    return reply as BuildReply & { kind: K };
  }

  stop(): void {
    void this.worker.terminate();
  }
}

/**
 * Builds the search index of `papers` in worker threads running `workerFile`
 * (src/workers/searchIndexWorker.ts), each taking a share of the papers: this thread only copies the papers' text into messages, a batch per turn of the event
 * loop, and rebuilds the vocabulary from the answer in slices. The workers are stopped when the
 * build ends, fails or is aborted through `options.signal`.
 */
export async function buildIndexInWorkers(
  workerFile: string,
  papers: readonly Paper[],
  topics: readonly Topic[],
  options: WorkerBuildOptions = {},
): Promise<SearchIndex> {
  const { signal } = options;
  signal?.throwIfAborted();
  const count = Math.max(1, options.workers ?? Math.min(MAX_WORKERS, availableParallelism() - 1, Math.floor(papers.length / MIN_PAPERS_PER_WORKER)));
  const share = Math.ceil(papers.length / count);
  const shares = Array.from({ length: count }, (_, k) => papers.slice(k * share, (k + 1) * share));
  const threads = shares.map(() => new BuilderThread(workerFile, signal));
  try {
    // The first builder absorbs the others' shares: its count covers them all.
    threads.forEach((thread, k) => thread.send(startRequest(k === 0 ? papers.length : shares[k].length, topics)));
    const batches = shares.map((list) => paperBatches(list, options, BATCH_SIZE));
    for (let sent = true; sent; ) {
      sent = false;
      for (const [k, thread] of threads.entries()) {
        const batch = batches[k].next();
        if (batch.done) continue;
        await nextTurn();
        await thread.sendPapers(batch.value);
        sent = true;
      }
    }
    const [lead, ...helpers] = threads;
    const parts: EncodedPart[] = [];
    for (const helper of helpers) helper.send({ kind: 'part' });
    for (const helper of helpers) {
      parts.push((await helper.expect('part')).part);
      helper.stop();
    }
    lead.send({ kind: 'finish', parts }, partTransferables(parts));
    const built: EncodedIndex = (await lead.expect('built')).index;
    const steps = decodeIndex(built, TERMS_PER_SLICE);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return SearchIndex.fromData(papers, step.value);
      await nextTurn();
      signal?.throwIfAborted();
    }
  } finally {
    for (const thread of threads) thread.stop();
  }
}
