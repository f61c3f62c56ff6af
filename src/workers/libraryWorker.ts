// Parses library files off the extension host's main thread: a 10,000-entry BibTeX file takes a
// fraction of a second here, which would otherwise freeze the editor.
import { importSource } from '../core/sources';
import { LIBRARY_WORKER } from '../core/workerRpc';
import { serve } from './serve';

serve(LIBRARY_WORKER, ({ kind, text }) => ({ reply: importSource(kind, text) }));
