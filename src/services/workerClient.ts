import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IDisposable } from '../core/dispose';
import { errorText } from '../core/errors';
import type { RequestMessage, ReplyMessage, WorkerProtocol } from '../core/workerRpc';

interface Waiting<Reply> {
  resolve(reply: Reply): void;
  reject(error: unknown): void;
}

/**
 * One worker thread spoken to through a protocol (src/core/workerRpc.ts): `call` sends a request
 * and settles with its answer. The thread starts on the first call, and keeps the process alive
 * only while a call waits. When it fails (cannot start, dies, throws) or `signal` aborts, every
 * waiting call is rejected with the reason; a later call starts a new thread, unless the protocol
 * is a session, whose later calls are rejected with the same reason.
 */
export class WorkerClient<Request, Reply> implements IDisposable {
  private worker?: Worker;
  private failure: unknown;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting<Reply>>();

  constructor(
    private readonly protocol: WorkerProtocol<Request, Reply>,
    /** The folder of the worker bundles: dist/. */
    private readonly directory: string,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.stop(signal.reason), { once: true });
  }

  /** Calls sent and not answered yet. */
  get pending(): number {
    return this.waiting.size;
  }

  call(request: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.signal?.aborted) return Promise.reject(this.signal.reason);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, request } satisfies RequestMessage<Request>, transfer);
    });
  }

  /** Stops the thread; waiting calls are rejected. */
  dispose(): void {
    this.stop(new Error(`${this.protocol.name} was stopped`));
  }

  private start(): Worker {
    const worker = new Worker(path.join(this.directory, this.protocol.file));
    worker.unref();
    worker.on('message', (message: ReplyMessage<Reply>) => {
      const call = this.waiting.get(message.id);
      if (!call) return;
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in message) call.reject(new Error(`${this.protocol.name} failed: ${message.error}`));
      else call.resolve(message.reply);
    });
    worker.on('error', (error) => this.fail(worker, new Error(`${this.protocol.name} failed: ${errorText(error)}`, { cause: error })));
    worker.on('exit', (code) => this.fail(worker, new Error(`${this.protocol.name} stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The end of `worker`: its waiting calls are rejected with `reason`. */
  private fail(worker: Worker, reason: unknown): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.protocol.session) this.failure = reason;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const call of waiting) call.reject(reason);
  }

  private stop(reason: unknown): void {
    const worker = this.worker;
    this.failure ??= reason;
    if (!worker) return;
    this.fail(worker, reason);
    void worker.terminate();
  }
}

/**
 * The same in-process fallback for every worker: runs `inWorker`, and when the worker fails (its
 * bundle is missing, it dies or throws), logs why and runs `here` on this thread instead, for the
 * same answer at the cost of a busier editor. An abort through `signal` is passed on, not retried.
 */
export async function inWorkerOrHere<T>(
  what: string,
  inWorker: () => Promise<T>,
  here: () => T | Promise<T>,
  log: { warn(message: string): void },
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await inWorker();
  } catch (error) {
    if (signal?.aborted) throw error;
    log.warn(`Could not ${what} in a worker thread, so it is done on the main thread: ${errorText(error)}`);
    return here();
  }
}
