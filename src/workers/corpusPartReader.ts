/**
 * The topics worker's client of the corpus part worker: a large library's texts are read on two
 * threads, the second half by the part worker while this thread reads the first, and joined into
 * the corpus one reading of them all gives (joinParts in core/topics/terms.ts: the same ids, so
 * the same topics). Discovery runs synchronously, so this thread blocks on Atomics.wait for the
 * answer (a worker thread may). A part worker that fails or does not answer in time is reported
 * and not started again, and its half is read here: the topics come out the same, only slower.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { errorText } from '../core/errors';
import type { CorpusReader, DiscoveryInput } from '../core/topics/discovery';
import { buildCorpus, joinParts, readPart, type CorpusPart } from '../core/topics/terms';
import { CORPUS_PART_WORKER, type ReplyMessage } from '../core/workerRpc';

/** Below this many characters of text a library is read here alone: a second thread costs more than it saves. */
export const TWO_THREADS_FROM = 1_000_000;
/** How long the part worker may take beyond this thread's reading of its own half (it reads as much). */
const GRACE_MS = 10_000;

interface PartWorker {
  worker: Worker;
  port: MessagePort;
  answered: Int32Array;
}

export class CorpusPartReader {
  private partWorker?: PartWorker;
  private failed = false;
  private lastId = 0;

  /**
   * `directory` holds the bundles (dist/); `problem` hears, once, why the texts are read on this
   * thread alone from then on.
   */
  constructor(
    private readonly directory: string,
    private readonly problem: (text: string) => void,
  ) {}

  readonly read: CorpusReader = (papers) => {
    const half = halfOf(papers);
    const partWorker = half > 0 ? this.start() : undefined;
    if (!partWorker) return buildCorpus(papers);
    const id = ++this.lastId;
    const before = Atomics.load(partWorker.answered, 0);
    partWorker.port.postMessage({ id, request: papers.slice(half) });
    const started = Date.now();
    const head = readPart(papers.slice(0, half));
    const tail = this.answer(partWorker, id, before, Date.now() - started + GRACE_MS) ?? readPart(papers.slice(half));
    return joinParts(papers, [head, tail]);
  };

  private start(): PartWorker | undefined {
    if (this.partWorker || this.failed) return this.partWorker;
    const file = path.join(this.directory, CORPUS_PART_WORKER.file);
    // A missing bundle would fail only after the first wait.
    if (!existsSync(file)) return this.fail(`${CORPUS_PART_WORKER.name} is missing (${CORPUS_PART_WORKER.file})`);
    try {
      const { port1, port2 } = new MessageChannel();
      const answered = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(file, { workerData: { port: port2, answered }, transferList: [port2] });
      // It must not keep the topics worker alive.
      worker.unref();
      worker.on('error', (error) => this.fail(`${CORPUS_PART_WORKER.name} failed: ${errorText(error)}`));
      worker.on('exit', (code) => this.fail(`${CORPUS_PART_WORKER.name} stopped (exit code ${code})`));
      this.partWorker = { worker, port: port1, answered };
      return this.partWorker;
    } catch (error) {
      return this.fail(`${CORPUS_PART_WORKER.name} could not start: ${errorText(error)}`);
    }
  }

  /** The part worker's answer to `id`, waiting at most `waitMs`; undefined (and the worker given up) on an error or no answer. */
  private answer(partWorker: PartWorker, id: number, before: number, waitMs: number): CorpusPart | undefined {
    const deadline = Date.now() + waitMs;
    for (let seen = before; ; seen = Atomics.load(partWorker.answered, 0)) {
      const received: { message: ReplyMessage<CorpusPart> } | undefined = receiveMessageOnPort(partWorker.port);
      if (received) {
        // One request at a time, each waited for to the end: the answer is to this one.
        if (received.message.id !== id) return this.fail(`${CORPUS_PART_WORKER.name} answered request ${received.message.id}, not ${id}`);
        if ('reply' in received.message) return received.message.reply;
        return this.fail(`${CORPUS_PART_WORKER.name} failed: ${received.message.error}`);
      }
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(partWorker.answered, 0, seen, left) === 'timed-out') return this.fail(`${CORPUS_PART_WORKER.name} did not answer in ${Math.round(waitMs / 1000)} s`);
    }
  }

  /** Gives the part worker up for good, said once. */
  private fail(text: string): undefined {
    if (this.failed) return undefined;
    this.failed = true;
    this.problem(`${text}; a library's texts are read on one thread from now on (the topics are the same, they take longer)`);
    if (this.partWorker) {
      this.partWorker.port.close();
      void this.partWorker.worker.terminate();
      this.partWorker = undefined;
    }
    return undefined;
  }
}

/** Where the second half of the papers' text starts, or 0 when the library is read on one thread. */
function halfOf(papers: readonly DiscoveryInput[]): number {
  const lengths = papers.map((paper) => paper.title.length + (paper.abstract?.length ?? 0));
  const total = lengths.reduce((sum, length) => sum + length, 0);
  if (total < TWO_THREADS_FROM) return 0;
  let read = 0;
  for (let at = 0; at < papers.length; at++) if ((read += lengths[at]) >= total / 2) return at + 1;
  return 0;
}
