// The library cache across starts. A start is what activate() makes of the library: the settings,
// the library service, its sources, the cache and the search, here made afresh in the real editor
// for each start with one storage folder, and disposed as a closed window disposes them.
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeLibraryCache } from '../../src/core/cache/libraryCache';
import { errorDetail } from '../../src/core/errors';
import { decodeDiscoveryState } from '../../src/core/topics/discoveryState';
import type { DiscoveryRun } from '../../src/core/topics/incremental';
import { pickPapers } from '../../src/quickPick/paperQuickPick';
import { DiscoveryStateFile } from '../../src/services/discoveryStateFile';
import { LibraryCache } from '../../src/services/libraryCache';
import { LibraryService } from '../../src/services/libraryService';
import { LibrarySources } from '../../src/services/librarySources';
import { ReadingStateService } from '../../src/services/readingStateService';
import { SearchService } from '../../src/services/searchService';
import { Settings } from '../../src/services/settings';
import { TopicsService } from '../../src/services/topicsService';
import { TWO_THREADS_FROM } from '../../src/workers/corpusPartReader';
import { ZoteroLibrary } from '../../src/services/zoteroLibrary';
import { BacklinkIndex } from '../../src/services/backlinkIndex';
import { ExpandedGroups, PapersTreeProvider, type PapersTreeNode } from '../../src/views/papersTree';
import { EXTENSION_ID, getLoadedApi, stub, stubMessages, waitFor, withSetting, workspaceUri } from './helpers';

const FILE = 'library/cache-test.bib';
const entry = (key: string, title: string) => `@article{${key},\n  title   = {${title}},\n  author  = {Tester, Tess},\n  journal = {Journal of Tests},\n  year    = {2021}\n}\n`;
const ORIGINAL = entry('cached2021first', 'Warm Starts of Honeybee Libraries') + entry('cached2021second', 'A Paper Removed While the Window Was Closed');
// The same size as ORIGINAL: only the content hash tells them apart once the time is set back.
const EDITED = entry('cached2021first', 'Warm Starts of Bumblebee Libraries') + entry('cached2021secnd', 'A Paper Renamed While the Window Was Closed');
const CACHE_FILE = 'library-cache.bin';

/** A log channel that keeps its lines, which say where each start's library came from; `problems` its warnings and errors. */
function recordingLog(): vscode.LogOutputChannel & { lines: string[]; problems: string[] } {
  const lines: string[] = [];
  const problems: string[] = [];
  const record = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
  const problem = (...parts: unknown[]) => {
    record(...parts);
    problems.push(parts.map(String).join(' '));
  };
  return { lines, problems, trace: record, debug: record, info: record, warn: problem, error: problem, dispose: () => undefined } as unknown as vscode.LogOutputChannel & { lines: string[]; problems: string[] };
}

/**
 * One start of a window with its storage in `storage`; `close` disposes it as closing the window
 * does. It returns once the library is in place, or at once with `waitForLibrary` false.
 */
async function start(
  storage: string,
  { waitForLibrary = true, libraryFiles, extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath }: { waitForLibrary?: boolean; libraryFiles?: string[]; extensionPath?: string } = {},
) {
  const log = recordingLog();
  const settings = new Settings();
  // Library files of this start only: the extension's own library, which follows the real setting, reads none of them.
  if (libraryFiles) Object.defineProperty(settings, 'libraryFiles', { value: libraryFiles });
  const library = new LibraryService();
  const readingState = new ReadingStateService(settings, log);
  const cache = new LibraryCache(vscode.Uri.file(storage), 'integration-test', log);
  const topics = new TopicsService(settings, library, log, new DiscoveryStateFile(vscode.Uri.file(storage), 'integration-test', settings, log));
  // As activate() makes them: Zotero is always a source (with nothing while it is off), merged before the files.
  const zotero = new ZoteroLibrary({ extensionPath, globalStorageUri: vscode.Uri.file(storage), extension: { packageJSON: { version: 'integration-test' } } as vscode.Extension<unknown> }, settings, log);
  const sources = new LibrarySources(extensionPath, settings, library, topics, log, cache, zotero);
  const search = new SearchService(library, readingState, extensionPath, log, cache);
  const backlinks = new BacklinkIndex(log);
  const tree = new PapersTreeProvider(library, settings, readingState, backlinks, sources, new ExpandedGroups(memento()));
  // As activate() does: a load that fails is logged as an error (and shown).
  const loaded = sources.reload();
  loaded.catch((error: unknown) => log.error('load the library failed:', errorDetail(error)));
  // The Papers view asks at once, as VS Code does when the view is open: how many papers were there when it answered?
  const firstAnswer = tree.getChildren(undefined).then((rows) => ({ rows: rows.map((row) => rowOf(tree, row)), papersThen: library.papers.length }));
  // A search asked for at once, as a picker opened during the start asks: how many papers were there when it could answer?
  const firstSearch = search.getIndex().then((index) => ({ index, papersThen: library.papers.length }));
  // Closed before the index is there, the search rejects with an AbortError: for the tests that await it, not unhandled meanwhile.
  firstSearch.catch(() => undefined);
  if (waitForLibrary) await library.ready;
  return {
    log,
    library,
    search,
    cache,
    topics,
    loaded,
    tree,
    firstAnswer,
    firstSearch,
    close: () => [tree, backlinks, search, sources, zotero, cache, topics, readingState, library, settings].forEach((service) => service.dispose()),
  };
}

function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return { keys: () => [...values.keys()], get: (key: string) => values.get(key), update: async (key: string, value: unknown) => void values.set(key, value) } as vscode.Memento;
}

/** What a row shows. */
function rowOf(tree: PapersTreeProvider, node: PapersTreeNode) {
  const item = tree.getTreeItem(node);
  return { id: item.id, label: item.label, description: item.description, tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip, icon: (item.iconPath as vscode.ThemeIcon).id };
}

async function writeLibraryFile(text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceUri(FILE), new TextEncoder().encode(text));
}

describe('Library cache', function () {
  // Each test starts the library twice and waits for a search index build.
  this.timeout(180_000);
  let storage: string;

  before(async () => {
    await getLoadedApi();
  });

  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-cache-'));
  });

  afterEach(async () => {
    fs.rmSync(storage, { recursive: true, force: true });
    await vscode.workspace.fs.delete(workspaceUri(FILE), { useTrash: false }).then(undefined, () => undefined);
  });

  it('a start with an unchanged library is served from the cache, its search index too, and nothing is read again', async () => {
    await writeLibraryFile(ORIGINAL);
    await withSetting('litnotes', 'library.files', [FILE], async () => {
      const cold = await start(storage);
      await cold.loaded;
      const coldPapers = cold.library.papers.map((paper) => paper.key);
      assert.ok(coldPapers.includes('cached2021first'), 'the library file is read');
      await cold.search.getIndex();
      await waitFor(() => cold.log.lines.some((line) => line.startsWith('Library cache: wrote')), 30_000, 'the cache to be written');
      assert.match(cold.log.lines.find((line) => line.startsWith('Library cache: wrote'))!, /× the library files'/, 'its size is reported against the library');
      const coldResults = (await cold.search.getIndex()).search('honeybee warm').map((result) => result.paper.key);

      const coldRows = (await cold.firstAnswer).rows;
      assert.ok(coldRows.some((row) => row.id === `file:${FILE}`) && coldRows.length > 2, JSON.stringify(coldRows));
      cold.close();

      const warm = await start(storage);
      try {
        const first = await warm.firstAnswer;
        assert.equal(first.papersThen, 0, 'the Papers view answered before the papers were read');
        assert.deepEqual(first.rows, coldRows, "the overview's rows are the rows of the library: topics, counts, tooltips, the library file's row");
        assert.deepEqual((await warm.tree.getChildren(undefined)).map((row) => rowOf(warm.tree, row)), coldRows, 'and so are the rows once the papers are there');
        const topic = (await warm.tree.getChildren(undefined)).find((row) => row.kind === 'group');
        assert.ok(topic && (await warm.tree.getChildren(topic)).length > 0, "a topic's papers once they are there");
        assert.ok(warm.log.lines.some((line) => /^Library cache: \d+ papers read in \d+ ms, with their search index$/.test(line)), warm.log.lines.join('\n'));
        assert.deepEqual(warm.library.papers.map((paper) => paper.key), coldPapers, 'the same papers, in the same order, at once');
        assert.equal(warm.library.getPaper('cached2021first')?.title, 'Warm Starts of Honeybee Libraries');
        let changes = 0;
        warm.library.onDidChange(() => changes++);
        await warm.loaded;
        assert.ok(warm.log.lines.some((line) => /^Library sources checked in \d+ ms: unchanged/.test(line)), warm.log.lines.join('\n'));
        assert.equal(changes, 0, 'an unchanged library is not replaced: nothing flickers');
        assert.ok(!warm.log.lines.some((line) => line.startsWith(`${FILE}:`)), 'the unchanged file is not parsed again');
        assert.deepEqual((await warm.search.getIndex()).search('honeybee warm').map((result) => result.paper.key), coldResults);
        assert.ok(!warm.log.lines.some((line) => /^Search index of \d+ papers built/.test(line)), 'the index comes from the cache, not a build');
      } finally {
        warm.close();
      }
    });
  });

  it('a start from the cache searches before its papers are all decoded, and shows the papers the library then holds', async () => {
    // More papers than are decoded between two turns of the event loop.
    const count = 2500;
    await writeLibraryFile(Array.from({ length: count }, (_, k) => entry(`early${k}`, `Early Search of Honeybee Colony ${k}`)).join(''));
    await withSetting('litnotes', 'library.files', [FILE], async () => {
      const cold = await start(storage);
      await cold.loaded;
      await cold.search.getIndex();
      await waitFor(() => cold.log.lines.some((line) => line.startsWith('Library cache: wrote')), 60_000, 'the cache to be written');
      const coldFound = (await cold.search.getIndex()).search('honeybee colony 1234', { limit: 3 }).map((result) => result.paper.key);
      assert.equal(coldFound[0], 'early1234');
      cold.close();

      const warm = await start(storage);
      try {
        const { index, papersThen } = await warm.firstSearch;
        assert.equal(papersThen, 0, 'the index answered before the papers were in place');
        const found = index.search('honeybee colony 1234', { limit: 3 });
        assert.deepEqual(found.map((result) => result.paper.key), coldFound);
        await warm.loaded;
        assert.ok(warm.library.papers.length >= count);
        assert.equal(found[0].paper, warm.library.getPaper('early1234'), 'the paper found is the one the library holds, decoded once');
        assert.deepEqual(index.first(2), warm.library.papers.slice(0, 2));
        assert.ok(!warm.log.lines.some((line) => /^Search index of \d+ papers built/.test(line)), 'the index comes from the cache, not a build');
      } finally {
        warm.close();
      }
    });
  });

  it('a library file edited while the window is closed is picked up on the next start, its removed paper gone', async () => {
    await writeLibraryFile(ORIGINAL);
    await withSetting('litnotes', 'library.files', [FILE], async () => {
      const cold = await start(storage);
      await cold.loaded;
      await cold.search.getIndex();
      await waitFor(() => cold.log.lines.some((line) => line.startsWith('Library cache: wrote')), 30_000, 'the cache to be written');
      cold.close();

      // Same size and, set back, the same time: only the content differs.
      const file = workspaceUri(FILE).fsPath;
      const { atime, mtime } = fs.statSync(file);
      assert.equal(Buffer.byteLength(EDITED), Buffer.byteLength(ORIGINAL));
      fs.writeFileSync(file, EDITED);
      fs.utimesSync(file, atime, mtime);

      const warm = await start(storage);
      try {
        await warm.loaded;
        assert.ok(warm.log.lines.some((line) => /^Library sources checked in \d+ ms: changed/.test(line)), warm.log.lines.join('\n'));
        assert.equal(warm.library.getPaper('cached2021first')?.title, 'Warm Starts of Bumblebee Libraries');
        assert.equal(warm.library.getPaper('cached2021second'), undefined, 'a paper whose entry is gone is not shown after the check');
        assert.ok(warm.library.getPaper('cached2021secnd'));
        const found = (await warm.search.getIndex()).search('bumblebee').map((result) => result.paper.key);
        assert.deepEqual(found, ['cached2021first'], 'the search follows the new library');
      } finally {
        warm.close();
      }
    });
  });

  it('a library file changed right after the start read it, before a watcher could have seen it, is read again: cold and warm', async () => {
    // Outside the workspace, which VS Code watches anyway: there a watcher of its own starts late.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-outside-'));
    const target = path.join(outside, 'library.bib');
    /** Starts with the file changing to `text` the moment the start's read of it resolves, and waits for the library to show it. */
    const startChangedAfterRead = async (text: string, key: string) => {
      let changed = false;
      // The module's own object, which the reads of the sources go through (an import of it here would be a read-only copy).
      const readFile = fs.promises.readFile;
      const restore = stub(fs.promises, 'readFile', (async (...args: Parameters<typeof readFile>) => {
        if (changed || args[0] !== target) return readFile(...args);
        // The read is done at once, and the file changes the moment after: as soon as a watcher could be there.
        const bytes = fs.readFileSync(target);
        changed = true;
        fs.writeFileSync(target, text);
        return bytes;
      }) as typeof readFile);
      try {
        const next = await start(storage, { libraryFiles: [target] });
        await next.loaded;
        assert.ok(changed, 'the start read the library file');
        await waitFor(() => next.library.getPaper(key), 10_000, `the changed file's paper ${key}`).catch(() => assert.fail(`the change is seen: ${next.log.lines.join('\n')}`));
        return next;
      } finally {
        restore();
      }
    };
    fs.writeFileSync(target, ORIGINAL);
    try {
      const cold = await startChangedAfterRead(EDITED, 'cached2021secnd');
      await cold.cache.settled;
      cold.close();
      // The cache now holds EDITED: the warm start's check reads the file, which then changes back.
      const warm = await startChangedAfterRead(ORIGINAL, 'cached2021second');
      assert.equal(warm.library.getPaper('cached2021secnd'), undefined, 'the paper of the version read first is gone');
      warm.close();
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a corrupt cache file is ignored with a log line, and rebuilt', async () => {
    const cold = await start(storage);
    await cold.loaded;
    const papers = cold.library.papers.length;
    await cold.search.getIndex();
    await waitFor(() => cold.log.lines.some((line) => line.startsWith('Library cache: wrote')), 30_000, 'the cache to be written');
    cold.close();

    const cacheFile = path.join(storage, CACHE_FILE);
    const bytes = fs.readFileSync(cacheFile);
    bytes[Math.floor(bytes.length * 0.7)] ^= 0x5a;
    fs.writeFileSync(cacheFile, bytes);

    const next = await start(storage);
    try {
      await next.loaded;
      assert.ok(next.log.lines.some((line) => /^Library cache ignored \(.*corrupt.*\); the library is read from its files and the cache rebuilt$/.test(line)), next.log.lines.join('\n'));
      assert.equal(next.library.papers.length, papers, 'the library is read from its files');
      assert.equal(next.library.overview, undefined, 'no overview of a file that cannot be used stays shown');
      await next.search.getIndex();
      await waitFor(() => next.log.lines.some((line) => line.startsWith('Library cache: wrote')), 30_000, 'the cache to be rebuilt');
      const rebuilt = decodeLibraryCache(fs.readFileSync(cacheFile));
      assert.equal(rebuilt.papers?.length, papers);
    } finally {
      next.close();
    }
  });

  it('a window closed while its search index is built, or read from the cache, closes quietly: no unhandled rejection, no error logged', async () => {
    const count = 2500;
    await writeLibraryFile(Array.from({ length: count }, (_, k) => entry(`closing${k}`, `Closing Windows of Honeybee Colony ${k}`)).join(''));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await withSetting('litnotes', 'library.files', [FILE], async () => {
        // Closed as soon as the topics of the library read are asked of the worker.
        const discovering = await start(storage, { waitForLibrary: false });
        const discover = discovering.topics.discover.bind(discovering.topics);
        stub(discovering.topics, 'discover', (request, whole) =>
          discover(request, (asked) => {
            const found = whole(asked);
            discovering.close();
            return found;
          }),
        );
        await discovering.loaded;
        assert.equal(discovering.library.papers.length, 0, 'the load ended with the close, the library as it was');
        // Closed as soon as the library is in place: the index build (in a worker that takes longer to start) is under way.
        const building = await start(storage);
        const messages = stubMessages();
        let picking: Promise<unknown>;
        try {
          // A pick opened during the start, as Search Papers opens it, waits for the index.
          picking = pickPapers(building, { title: 'Closing during the build', placeholder: '' });
          building.close();
          await assert.rejects(building.firstSearch, { name: 'AbortError' }, 'a search waiting for the index is told it was stopped');
          assert.equal(await picking, undefined, 'the pick goes, with nothing picked and no failure');
        } finally {
          messages.restore();
        }
        assert.deepEqual(messages.calls, [], 'no message is shown');
        // A start that writes the cache, then one from it closed while its index is still being read.
        const cold = await start(storage);
        await cold.search.getIndex();
        await waitFor(() => cold.log.lines.some((line) => line.startsWith('Library cache: wrote')), 60_000, 'the cache to be written');
        cold.close();
        const warm = await start(storage, { waitForLibrary: false });
        // The overview is shown as soon as the cache is checked, before the papers and the index are decoded (and may be gone again by the next look).
        let shown = false;
        warm.library.onDidChangeOverview(() => (shown ||= warm.library.overview !== undefined));
        await waitFor(() => shown, 20_000, 'the cached overview');
        warm.close();
        await warm.firstSearch.then(
          () => undefined,
          (error: unknown) => assert.equal((error as Error).name, 'AbortError'),
        );
        // What a closed start left running has stopped, and an unhandled rejection is reported, by now.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        for (const closed of [discovering, building, cold, warm]) assert.deepEqual(closed.log.problems, [], closed.log.lines.join('\n'));
      });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled.map((reason) => (reason instanceof Error ? reason.stack : String(reason))), [], 'no rejection is left unhandled');
  });

  it('Clear Library Cache removes the cache and the topic discovery state of this workspace, which lie in its own storage', async () => {
    const api = (await getLoadedApi()) as unknown as { libraryCache: LibraryCache; search: SearchService };
    const file = api.libraryCache.file;
    assert.ok(file, 'a workspace is open: the cache has a place');
    const stateFile = path.join(path.dirname(file), 'topic-discovery.bin');
    await api.search.getIndex();
    await waitFor(async () => {
      await api.libraryCache.settled;
      return fs.existsSync(file) && fs.existsSync(stateFile);
    }, 30_000, 'the extension to write its cache and its topic discovery state');
    await vscode.commands.executeCommand('litnotes.clearLibraryCache');
    assert.ok(!fs.existsSync(file), 'the cache file is removed');
    assert.ok(!fs.existsSync(stateFile), 'the topic discovery state is removed: the next start discovers topics afresh');
    const leftovers = fs.readdirSync(path.dirname(file)).filter((name) => name.includes(path.basename(file)) || name.includes(path.basename(stateFile)));
    assert.deepEqual(leftovers, [], 'and no temporary file stays');
  });

  it('clearing the topic discovery state drops a save still waiting, so that the file does not come back', async () => {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-clear-'));
    const state = new DiscoveryStateFile(vscode.Uri.file(storage), 'integration-test', new Settings(), recordingLog());
    const run: DiscoveryRun = {
      discovery: { topics: [{ id: 'discovered:bees', label: 'Bees', terms: ['bee'] }], assignments: new Map([['cached2021first', [{ topic: 'discovered:bees', score: 1, terms: ['bee'] }]]]) },
      inputs: new Map([['cached2021first', 'digest']]),
      pinned: [],
    };
    try {
      state.save(run);
      assert.equal(await state.clear(), 0, 'nothing was written yet: nothing freed');
      // Longer than a save waits for the next discovery.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await state.flush();
      assert.deepEqual(fs.readdirSync(storage), [], 'the save that was waiting is not written after the clear');
      state.save(run);
      await state.flush();
      assert.ok(fs.existsSync(state.file!), 'a save after the clear is written');
      assert.ok((await state.clear()) > 0, 'a written state is removed, its bytes counted');
      assert.deepEqual(fs.readdirSync(storage), []);
    } finally {
      state.dispose();
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });
});

describe('Topic discovery across starts', function () {
  // Two or three starts of a library of 148 titles, each with a whole discovery at most.
  this.timeout(180_000);
  const STABLE = 'library/topics-restart.bib';
  const STATE_FILE = 'topic-discovery.bin';
  let storage: string;
  let text: string;

  before(async () => {
    await getLoadedApi();
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    text = fs.readFileSync(path.join(extensionPath, 'test/fixtures/topics/proof-engineering.bib'), 'utf8');
  });

  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-topics-'));
  });

  afterEach(async () => {
    fs.rmSync(storage, { recursive: true, force: true });
    await vscode.workspace.fs.delete(workspaceUri(STABLE), { useTrash: false }).then(undefined, () => undefined);
  });

  const write = (content: string) => vscode.workspace.fs.writeFile(workspaceUri(STABLE), new TextEncoder().encode(content));
  const withLibrary = (body: () => Promise<void>) => withSetting('litnotes', 'library.includeBundled', false, () => withSetting('litnotes', 'library.files', [STABLE], body));
  const topicsOf = (library: LibraryService) => new Map(library.papers.map((paper) => [paper.key, paper.topics.join(',')]));

  /** A start with the library less its last paper, closed once it saved its discovery; its papers' topics. */
  async function firstStart(): Promise<Map<string, string>> {
    await write(text.slice(0, text.lastIndexOf('\n@') + 1));
    const cold = await start(storage);
    try {
      await cold.loaded;
      assert.equal(cold.library.papers.length, 148);
      assert.ok(cold.library.library.topics.filter((topic) => topic.origin === 'discovered').length >= 5, 'topics are discovered');
      await waitFor(() => cold.log.lines.some((line) => /^Topic discovery state saved: \d+ papers/.test(line)), 30_000, 'the discovery to be saved').catch(() => assert.fail(`the discovery is saved: ${cold.log.lines.join('\n')}`));
      return topicsOf(cold.library);
    } finally {
      cold.close();
    }
  }

  it('a paper added to the library file while the window was closed joins a topic, and no other paper moves', async () => {
    await withLibrary(async () => {
      const before = await firstStart();
      await write(text);
      const warm = await start(storage);
      try {
        await warm.loaded;
        assert.ok(warm.log.lines.some((line) => /^Library sources checked in \d+ ms: changed/.test(line)), warm.log.lines.join('\n'));
        assert.ok(warm.log.lines.some((line) => /^Topic discovery state read: \d+ papers in \d+ topics$/.test(line)), warm.log.lines.join('\n'));
        const added = warm.library.getPaper('leroy2006formal');
        assert.ok(added, 'the paper added is there');
        const after = topicsOf(warm.library);
        for (const [key, topics] of before) assert.equal(after.get(key), topics, key);
        assert.ok(added.topics.length > 0 && added.topicReasons?.[0].origin === 'discovered', `"${added.title}" joins a discovered topic: ${added.topics.join(', ')}`);
        await waitFor(() => warm.log.lines.some((line) => /^Topic discovery state saved: \d+ papers/.test(line)), 30_000, 'the discovery brought up to date to be saved');
      } finally {
        warm.close();
      }
    });
  });

  it('a truncated, corrupt or foreign state file is ignored with a log line, and topics are discovered afresh', async () => {
    await withLibrary(async () => {
      const before = await firstStart();
      const stateFile = path.join(storage, STATE_FILE);
      const good = fs.readFileSync(stateFile);
      const damaged = new Uint8Array(good);
      damaged[Math.floor(good.length / 2)] ^= 0x5a;
      const cases: [string, Uint8Array][] = [
        ['truncated', good.subarray(0, good.length - 7)],
        ['corrupt', damaged],
        ['foreign', new TextEncoder().encode('{"version":1,"topics":{"__proto__":"<img src=x onerror=alert(1)>"}}')],
      ];
      for (const [what, bytes] of cases) {
        fs.writeFileSync(stateFile, bytes);
        // Without the library cache, so that the start assembles the library and discovers its topics.
        fs.rmSync(path.join(storage, CACHE_FILE), { force: true });
        const next = await start(storage);
        try {
          await next.loaded;
          assert.ok(next.log.lines.some((line) => /^Topic discovery state ignored \(.+\); topics are discovered afresh$/.test(line)), `${what}: ${next.log.lines.join('\n')}`);
          // The same library discovered afresh: the same topics (discovery is deterministic).
          assert.deepEqual(topicsOf(next.library), before, what);
          await waitFor(() => next.log.lines.some((line) => /^Topic discovery state saved: \d+ papers/.test(line)), 30_000, `${what}: the state to be written anew`);
        } finally {
          next.close();
        }
      }
      assert.ok(!('error' in decodeDiscoveryState(fs.readFileSync(stateFile))), 'a sound state replaced the broken one');
    });
  });

  it('a state made for other library settings is not used', async () => {
    await withLibrary(async () => {
      await firstStart();
    });
    await withSetting('litnotes', 'library.files', [STABLE], async () => {
      const next = await start(storage);
      try {
        await next.loaded;
        assert.ok(next.log.lines.some((line) => /^Topic discovery state not used: /.test(line)), next.log.lines.join('\n'));
      } finally {
        next.close();
      }
    });
  });

  it("reads a large library's texts on two threads, and without the part worker on one, said once, to the same topics", async () => {
    const LARGE = 'library/topics-large.json';
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    // Ten made-up fields of made-up words (the bundled topics take none of their papers), each
    // paper's abstract 180 words of its field: enough text for two threads.
    const syllables = 'ka lo mi ne ru sa ti vo ze pa qu be do fi gu ho ja ke lu mo'.split(' ');
    const word = (n: number) => syllables[n % 20] + syllables[Math.floor(n / 20) % 20] + syllables[Math.floor(n / 400) % 20];
    const words = (at: number, count: number) => Array.from({ length: count }, (_, k) => word((at % 10) * 300 + ((at * 31 + k * 17) % 300))).join(' ');
    const items = Array.from({ length: 900 }, (_, at) => ({
      id: `large${at}`,
      type: 'article',
      title: `${words(at, 8)} ${word(5000 + at)}`,
      abstract: words(at, 180),
      author: [{ given: 'Tess', family: `Tester${at % 40}` }],
      issued: { 'date-parts': [[2000 + (at % 25)]] },
    }));
    assert.ok(items.reduce((total, item) => total + item.title.length + (item.abstract?.length ?? 0), 0) >= TWO_THREADS_FROM);
    await vscode.workspace.fs.writeFile(workspaceUri(LARGE), new TextEncoder().encode(JSON.stringify(items)));
    // The extension as installed, but for its corpus part worker (the topics worker copied: Node starts a worker from its real path).
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-no-part-worker-'));
    for (const name of fs.readdirSync(extensionPath)) if (name !== 'dist') fs.symlinkSync(path.join(extensionPath, name), path.join(bare, name));
    fs.mkdirSync(path.join(bare, 'dist'));
    for (const name of fs.readdirSync(path.join(extensionPath, 'dist'))) {
      if (name === 'corpusPartWorker.js') continue;
      if (name === 'topicsWorker.js') fs.copyFileSync(path.join(extensionPath, 'dist', name), path.join(bare, 'dist', name));
      else fs.symlinkSync(path.join(extensionPath, 'dist', name), path.join(bare, 'dist', name));
    }
    const topicsAfter = async (options: { extensionPath?: string }) => {
      const run = await start(fs.mkdtempSync(path.join(storage, 'start-')), options);
      try {
        await run.loaded;
        assert.equal(run.library.papers.length, 900, run.log.lines.join('\n'));
        // A large library shows before its topics are discovered: the tree never waits for them.
        await waitFor(() => run.library.library.topics.filter((topic) => topic.origin === 'discovered').length >= 5, 60_000, 'topics to be discovered').catch(() => assert.fail(run.log.lines.join('\n')));
        return { topics: topicsOf(run.library), problems: run.log.problems };
      } finally {
        run.close();
      }
    };
    try {
      await withSetting('litnotes', 'library.includeBundled', false, () =>
        withSetting('litnotes', 'library.files', [LARGE], async () => {
          const two = await topicsAfter({});
          assert.deepEqual(two.problems, []);
          const one = await topicsAfter({ extensionPath: bare });
          assert.equal(one.problems.length, 1, one.problems.join('\n'));
          assert.match(one.problems[0], /^Topic discovery: the corpus part reader is missing \(corpusPartWorker\.js\); .*one thread/);
          assert.deepEqual(one.topics, two.topics, 'the same topics on one thread');
        }),
      );
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
      await vscode.workspace.fs.delete(workspaceUri(LARGE), { useTrash: false }).then(undefined, () => undefined);
    }
  });
});
