// Discovers topics off the extension host's main thread: for a large library clustering takes
// seconds, which would otherwise freeze the editor.
import { runDiscovery } from '../core/sources';
import { TOPICS_WORKER } from '../core/workerRpc';
import { serve } from './serve';

serve(TOPICS_WORKER, (request) => ({ reply: runDiscovery(request) }));
