// The worker's end of a protocol (src/core/workerRpc.ts): every request is answered, the reply
// or the error, with its id. `protocol` gives the types of both ends.
import { parentPort } from 'node:worker_threads';
import { answerRequest, type Answer, type RequestMessage, type WorkerProtocol } from '../core/workerRpc';

export function serve<Request, Reply>(_protocol: WorkerProtocol<Request, Reply>, handle: (request: Request) => Answer<Reply>): void {
  parentPort?.on('message', (message: RequestMessage<Request>) => {
    const { message: reply, transfer } = answerRequest(message, handle);
    parentPort?.postMessage(reply, transfer);
  });
}
