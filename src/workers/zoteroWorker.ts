// Syncs the Zotero libraries off the extension host's main thread: reading 10,000 items, turning
// them into papers and sorting them into topics takes seconds that would otherwise freeze the editor.
import { parentPort } from 'node:worker_threads';
import { TopicModel } from '../core/sources/topicAssign';
import { loadBundledLibrary } from '../node/bundledLibrary';
import { ZoteroSession, type SessionEvent } from '../node/zotero/session';

export type ZoteroWorkerRequest =
  | { type: 'start'; base: string; includeGroups: boolean; cacheFile: string; pollMs: number; extensionPath: string; converter: string }
  | { type: 'syncNow' }
  | { type: 'stop' };

/** What the worker sends: the session's events, and `stopped` once the cache is written after `stop`. */
export type ZoteroWorkerMessage = SessionEvent | { type: 'stopped' };

let session: ZoteroSession | undefined;
const post = (message: ZoteroWorkerMessage) => parentPort?.postMessage(message);

parentPort?.on('message', (request: ZoteroWorkerRequest) => {
  void handle(request).catch((error: unknown) => post({ type: 'log', level: 'error', message: `Zotero worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }));
});

async function handle(request: ZoteroWorkerRequest): Promise<void> {
  switch (request.type) {
    case 'start': {
      // The bundled library's topics sort Zotero's papers as they sort the library files'.
      const { library } = await loadBundledLibrary(request.extensionPath);
      const model = TopicModel.fromPapers(library.papers, library.topics);
      session = new ZoteroSession(
        {
          base: new URL(request.base),
          includeGroups: request.includeGroups,
          cacheFile: request.cacheFile,
          pollMs: request.pollMs,
          assignTopics: (paper, keywords) => model.assign(paper, keywords),
          topicModel: `${library.topics.map((topic) => topic.id).join(',')}|${library.papers.length}|${request.converter}`,
          converter: request.converter,
        },
        post,
      );
      await session.start();
      return;
    }
    case 'syncNow':
      await session?.syncNow();
      return;
    case 'stop':
      await session?.stop();
      post({ type: 'stopped' });
      return;
  }
}
