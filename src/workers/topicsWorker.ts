// Discovers topics off the extension host's main thread: for a large library clustering takes
// seconds, which would otherwise freeze the editor. The state kept for the next start is encoded
// here too (a third of a second at 10,000 papers), so that the extension host only writes it. A
// large library's texts are read on two threads (corpusPartReader.ts).
import { runDiscovery } from '../core/sources';
import { encodeDiscoveryState } from '../core/topics/discoveryState';
import { discoveryRun } from '../core/topics/incremental';
import { TOPICS_WORKER } from '../core/workerRpc';
import { CorpusPartReader } from './corpusPartReader';
import { serve } from './serve';

/** Said with the next answer: the host logs them. */
const problems: string[] = [];
const reader = new CorpusPartReader(__dirname, (problem) => problems.push(problem));

serve(TOPICS_WORKER, ({ request, stateShape }) => {
  const discovery = runDiscovery(request, reader.read);
  const said = problems.length > 0 ? { problems: problems.splice(0) } : {};
  if (stateShape === undefined) return { reply: { discovery, ...said } };
  return { reply: { discovery, ...said, state: { shape: stateShape, parts: encodeDiscoveryState(discoveryRun(request, discovery), stateShape) } } };
});
