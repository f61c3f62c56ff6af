// Builds the search index off the extension host's main thread: tokenizing a large library's
// abstracts takes seconds, and this thread's small heap spares the build the garbage-collection
// pauses of the host's. The protocol is in src/core/search/transfer.ts.
import { IndexBuildSession } from '../core/search/transfer';
import { SEARCH_INDEX_WORKER } from '../core/workerRpc';
import { serve } from './serve';

const session = new IndexBuildSession();

serve(SEARCH_INDEX_WORKER, (request) => session.handle(request));
