// Parses library files off the extension host's main thread: a 10,000-entry BibTeX file takes a
// fraction of a second here, which would otherwise freeze the editor.
import { parentPort } from 'node:worker_threads';
import { importSource } from '../core/sources';
import type { SourceKind } from '../core/sources/source';

export interface WorkerRequest {
  id: number;
  kind: SourceKind;
  text: string;
}

parentPort?.on('message', ({ id, kind, text }: WorkerRequest) => {
  try {
    parentPort?.postMessage({ id, result: importSource(kind, text) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
