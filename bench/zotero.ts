/**
 * Zotero sync against the double of Zotero 7's local API serving a generated library (the
 * benchmark's generator), the double in a process of its own as Zotero would be:
 * the first sync (until the papers are there, and until their topics are), a later sync when
 * nothing changed, one after an edit, and a start from the cache. Runs the session as the worker does.
 * Part of `npm run bench` (at 10,000 items); alone: `npx tsx bench/zotero.ts [--size 10000] [--runs 5]`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { assembleLibrary } from '../src/core/sources';
import { TopicModel } from '../src/core/sources/topicAssign';
import { withZoteroData, type ZoteroPaper } from '../src/core/zotero/paperSet';
import { apiBase } from '../src/node/zotero/client';
import { ZoteroSession, type SessionEvent } from '../src/node/zotero/session';
import { readBundledLibrary, REPO_ROOT } from './generate';
import { stats, type Stats } from './stats';

async function startDouble() {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(REPO_ROOT, 'test', 'doubles', 'zoteroServerMain.ts'), '{}'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value as string) as { url?: string; result?: unknown; error?: string };
  const { url } = await next();
  const call = async (method: string, ...args: unknown[]) => {
    child.stdin.write(`${JSON.stringify({ method, args })}\n`);
    const answer = await next();
    if (answer.error) throw new Error(answer.error);
    return answer.result;
  };
  return { url: url as string, call, stop: () => child.stdin.end() };
}

export interface ZoteroFigures {
  items: number;
  /** First sync: until the papers are there, and until their topics are (one run). */
  firstSyncPapersMs: number;
  firstSyncTopicsMs: number;
  firstSyncRequests: number;
  firstSyncBytes: number;
  /** The merge with the bundled library on the editor's thread. */
  mergeMs: Stats;
  unchangedSyncMs: Stats;
  unchangedSyncRequests: number;
  unchangedSyncBytes: number;
  /** A later sync after one edit, until the edited paper is sent. */
  editSyncMs: Stats;
  cacheBytes: number;
  startFromCacheMs: Stats;
}

export async function measureZotero(size: number, runs: number, log: (line: string) => void): Promise<ZoteroFigures> {
  const double = await startDouble();
  const keys = (await double.call('generate', size)) as string[];
  const bundled = readBundledLibrary();
  const model = TopicModel.fromPapers(bundled.papers, bundled.topics);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-zotero-bench-'));
  const base = apiBase(double.url) as URL;
  const session = (events: (event: SessionEvent) => void) =>
    new ZoteroSession(
      { base, includeGroups: false, cacheFile: path.join(dir, 'zotero.json'), pollMs: 1e9, assignTopics: (paper, keywords) => model.assign(paper, keywords), topicModel: 'bench', converter: 'bench' },
      events,
    );
  let started = performance.now();
  let papersAt: number | undefined;
  let sortedAt: number | undefined;
  const papers = new Map<string, ZoteroPaper>();
  let collections: Parameters<typeof withZoteroData>[2] = [];
  const first = session((event) => {
    if (event.type !== 'papers') return;
    for (const paper of event.changed) papers.set(paper.id, paper);
    collections = event.collections;
    if (papersAt === undefined) papersAt = performance.now() - started;
    else if (event.changed.some((paper) => paper.topics !== undefined)) sortedAt = performance.now() - started;
  });
  await first.syncNow();
  const firstTraffic = { ...first.traffic };
  log(`first sync of ${size} items: papers there after ${Math.round(papersAt ?? NaN)} ms, topics after ${Math.round(sortedAt ?? NaN)} ms; ${firstTraffic.requests} requests, ${(firstTraffic.bytes / 1e6).toFixed(1)} MB`);

  // What the editor's thread does with them: the merge with the bundled library, topics given.
  const merges: number[] = [];
  const byKey = new Map([...papers.values()].map((paper) => [paper.entry.paper.key, paper]));
  for (let run = 0; run < runs; run++) {
    started = performance.now();
    const { library } = assembleLibrary([{ papers: [...papers.values()].map((paper) => paper.entry) }], bundled, true, { topicModel: () => ({ assign: (paper) => byKey.get(paper.key)?.topics ?? [] }) });
    withZoteroData(library, papers.values(), collections);
    merges.push(performance.now() - started);
  }
  log(`merge of the ${papers.size} Zotero papers with the bundled library on the editor's thread: median ${Math.round(stats(merges).median)} ms`);

  const idle: number[] = [];
  for (let run = 0; run < runs; run++) {
    started = performance.now();
    await first.syncNow();
    idle.push(performance.now() - started);
  }
  const perIdle = (first.traffic.requests - firstTraffic.requests) / runs;
  const idleBytes = (first.traffic.bytes - firstTraffic.bytes) / runs;
  log(`later sync, nothing changed: median ${Math.round(stats(idle).median)} ms (of ${runs}), ${perIdle} requests, ${(idleBytes / 1e3).toFixed(0)} kB`);

  const edits: number[] = [];
  for (let run = 0; run < runs; run++) {
    await double.call('editItem', keys[run * 7], { title: `Edited title ${run}` });
    started = performance.now();
    await first.syncNow();
    edits.push(performance.now() - started);
  }
  log(`later sync after one edit, until its paper is sent: median ${Math.round(stats(edits).median)} ms (of ${runs})`);
  await first.stop();
  const cacheSize = fs.statSync(path.join(dir, 'zotero.json')).size;

  const restarts: number[] = [];
  for (let run = 0; run < runs; run++) {
    started = performance.now();
    let at: number | undefined;
    const again = session((event) => {
      if (event.type === 'papers' && at === undefined) at = performance.now() - started;
    });
    await again.start();
    await again.stop();
    restarts.push(at ?? NaN);
  }
  log(`start from the cache (${(cacheSize / 1e6).toFixed(0)} MB) until the papers are there: median ${Math.round(stats(restarts).median)} ms (of ${runs})`);
  double.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    items: size,
    firstSyncPapersMs: papersAt ?? NaN,
    firstSyncTopicsMs: sortedAt ?? NaN,
    firstSyncRequests: firstTraffic.requests,
    firstSyncBytes: firstTraffic.bytes,
    mergeMs: stats(merges),
    unchangedSyncMs: stats(idle),
    unchangedSyncRequests: perIdle,
    unchangedSyncBytes: idleBytes,
    editSyncMs: stats(edits),
    cacheBytes: cacheSize,
    startFromCacheMs: stats(restarts),
  };
}

// Run alone (the benchmark's bundle imports this file, so `require.main` would not tell).
if (path.basename(process.argv[1] ?? '') === 'zotero.ts') {
  const argument = (name: string, fallback: number) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? Number(process.argv[index + 1]) : fallback;
  };
  void measureZotero(argument('size', 10_000), argument('runs', 5), (line) => process.stdout.write(`${line}\n`));
}
