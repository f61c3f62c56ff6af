/**
 * Talking to a worker thread, as plain data: each request travels with an id, and the worker
 * answers each with that id and its reply, or the text of its error. A protocol names the worker's
 * bundle and types both ends, so the client (src/services/workerClient.ts) and the worker
 * (src/workers/serve.ts) cannot disagree on what crosses. The thread plumbing lives there.
 */
import { errorText } from './errors';
import type { BuildReply, BuildRequest } from './search/transfer';
import type { ParsedSource, SourceKind } from './sources/source';
import type { DiscoveryRequest } from './topics/assemble';
import type { Discovery, DiscoveryInput } from './topics/discovery';
import type { EncodedDiscoveryState } from './topics/discoveryState';
import type { CorpusPart } from './topics/terms';

export interface WorkerProtocol<Request, Reply> {
  /** Who failed, in messages: "the library worker". */
  readonly name: string;
  /** The worker's bundle in dist/ (esbuild.config.mjs). */
  readonly file: string;
  /**
   * Whether an answer depends on the requests before it: a thread that failed in the middle
   * is then not replaced, since a new one would not know them.
   */
  readonly session: boolean;
  /** Never set: it carries the types, so that a client and a worker infer them from the protocol. */
  readonly types?: { request: Request; reply: Reply };
}

export interface RequestMessage<Request> {
  id: number;
  request: Request;
}

export type ReplyMessage<Reply> = { id: number; reply: Reply } | { id: number; error: string };

/** A reply, and the buffers to move to the other thread rather than copy. */
export interface Answer<Reply> {
  reply: Reply;
  transfer?: ArrayBuffer[];
}

/** The worker's side of one request: `handle`'s answer, or what it threw, for the same id. */
export function answerRequest<Request, Reply>(
  message: RequestMessage<Request>,
  handle: (request: Request) => Answer<Reply>,
): { message: ReplyMessage<Reply>; transfer: ArrayBuffer[] } {
  try {
    const { reply, transfer = [] } = handle(message.request);
    return { message: { id: message.id, reply }, transfer };
  } catch (error) {
    return { message: { id: message.id, error: errorText(error) }, transfer: [] };
  }
}

export interface LibraryParseRequest {
  kind: SourceKind;
  text: string;
}

/** Parses one library file (src/workers/libraryWorker.ts). */
export const LIBRARY_WORKER: WorkerProtocol<LibraryParseRequest, ParsedSource> = { name: 'the library worker', file: 'libraryWorker.js', session: false };

/** Builds (a share of) the search index, fed in batches (src/workers/searchIndexWorker.ts, protocol in search/transfer.ts). */
export const SEARCH_INDEX_WORKER: WorkerProtocol<BuildRequest, BuildReply> = { name: 'the search index worker', file: 'searchIndexWorker.js', session: true };

export interface TopicsAsk {
  request: DiscoveryRequest;
  /** When set, the answer carries the discovery's state encoded for its file (src/core/topics/discoveryState.ts) with this shape. */
  stateShape?: string;
}

export interface TopicsAnswer {
  discovery: Discovery;
  state?: EncodedDiscoveryState;
  /** What went wrong on the way that did not stop the discovery (the host logs it). */
  problems?: string[];
}

/** Discovers topics for the papers no other rule placed, and encodes what is kept of them (src/workers/topicsWorker.ts). */
export const TOPICS_WORKER: WorkerProtocol<TopicsAsk, TopicsAnswer> = { name: 'the topic discovery worker', file: 'topicsWorker.js', session: false };

/**
 * Reads a run of papers' terms for the topics worker, which reads the rest meanwhile and waits for
 * this answer (src/workers/corpusPartWorker.ts, its client src/workers/corpusPartReader.ts).
 */
export const CORPUS_PART_WORKER: WorkerProtocol<readonly DiscoveryInput[], CorpusPart> = { name: 'the corpus part reader', file: 'corpusPartWorker.js', session: false };
