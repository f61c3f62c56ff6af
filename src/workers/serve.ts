// The worker's end of a protocol (src/core/workerRpc.ts): every request is answered, the reply
// or the error, with its id. `protocol` gives the types of both ends.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { answerRequest, type Answer, type RequestMessage, type WorkerProtocol } from '../core/workerRpc';

export function serve<Request, Reply>(_protocol: WorkerProtocol<Request, Reply>, handle: (request: Request) => Answer<Reply>): void {
  parentPort?.on('message', (message: RequestMessage<Request>) => {
    const { message: reply, transfer } = answerRequest(message, handle);
    parentPort?.postMessage(reply, transfer);
  });
}

/**
 * The same for a worker whose client blocks until it answers (corpusPartReader.ts): answers on
 * `port` and counts its answers in `answered[0]`, which wakes the client from Atomics.wait.
 */
export function serveWaited<Request, Reply>(_protocol: WorkerProtocol<Request, Reply>, port: MessagePort, answered: Int32Array, handle: (request: Request) => Answer<Reply>): void {
  port.on('message', (message: RequestMessage<Request>) => {
    const { message: reply, transfer } = answerRequest(message, handle);
    port.postMessage(reply, transfer);
    Atomics.add(answered, 0, 1);
    Atomics.notify(answered, 0);
  });
}
