// Builds the search index off the extension host's main thread: tokenizing a large library's
// abstracts takes seconds, and this thread's small heap spares the build the garbage-collection
// pauses of the host's. The protocol is in src/core/search/transfer.ts.
import { parentPort } from 'node:worker_threads';
import { IndexBuildSession, type BuildReply, type BuildRequest } from '../core/search/transfer';

const session = new IndexBuildSession();

parentPort?.on('message', (request: BuildRequest) => {
  try {
    const { reply, transfer } = session.handle(request);
    parentPort?.postMessage(reply, transfer);
  } catch (error) {
    parentPort?.postMessage({ kind: 'failed', error: error instanceof Error ? error.message : String(error) } satisfies BuildReply);
  }
});
