// Discovers topics off the extension host's main thread: for a large library clustering takes
// seconds, which would otherwise freeze the editor. The state kept for the next start is encoded
// here too (a third of a second at 10,000 papers), so that the extension host only writes it.
import { runDiscovery } from '../core/sources';
import { encodeDiscoveryState } from '../core/topics/discoveryState';
import { discoveryRun } from '../core/topics/incremental';
import { TOPICS_WORKER } from '../core/workerRpc';
import { serve } from './serve';

serve(TOPICS_WORKER, ({ request, stateShape }) => {
  const discovery = runDiscovery(request);
  if (stateShape === undefined) return { reply: { discovery } };
  return { reply: { discovery, state: { shape: stateShape, parts: encodeDiscoveryState(discoveryRun(request, discovery), stateShape) } } };
});
