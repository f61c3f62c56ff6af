// Reads the second half of a large library's texts for the topics worker, which reads the first
// half meanwhile and then waits for this answer (corpusPartReader.ts): reading the texts is the
// largest share of a discovery, and the part of it that splits cleanly over two cores.
import { workerData, type MessagePort } from 'node:worker_threads';
import { readPart, type CorpusPart } from '../core/topics/terms';
import { CORPUS_PART_WORKER } from '../core/workerRpc';
import { serveWaited } from './serve';

const { port, answered } = workerData as { port: MessagePort; answered: Int32Array };

/** The part's own buffers, moved to the topics worker rather than copied. */
const buffersOf = (part: CorpusPart) =>
  [part.df, part.offsets, part.ids, part.counts, part.presence, part.words.term, part.words.surface, part.words.glue, part.paperFields, part.fieldStart].map((array) => array.buffer as ArrayBuffer);

serveWaited(CORPUS_PART_WORKER, port, answered, (papers) => {
  // The terms' map stays here: the topics worker numbers this part's terms after its own.
  const { termId, ...part } = readPart(papers);
  return { reply: part, transfer: buffersOf(part) };
});
