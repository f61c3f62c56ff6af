/**
 * Zotero sync against the double of Zotero 7's local API serving a generated library (the
 * benchmark's generator), the double in a process of its own as Zotero would be:
 * the first sync (until the papers are there, and until their topics are), a later sync when
 * nothing changed, one after an edit, and a start from the cache. Runs the session as the worker does.
 *
 *   npx tsx bench/zotero.ts [--size 10000] [--runs 5]
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

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const SIZE = argument('size', 10_000);
const RUNS = argument('runs', 5);

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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const double = await startDouble();
  const keys = (await double.call('generate', SIZE)) as string[];
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
  const marks: string[] = [];
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
  marks.push(`first sync of ${SIZE} items: papers there after ${Math.round(papersAt ?? NaN)} ms, topics after ${Math.round(sortedAt ?? NaN)} ms; ${firstTraffic.requests} requests, ${(firstTraffic.bytes / 1e6).toFixed(1)} MB`);

  // What the editor's thread does with them: the merge with the bundled library, topics given.
  const merges: number[] = [];
  const byKey = new Map([...papers.values()].map((paper) => [paper.entry.paper.key, paper]));
  for (let run = 0; run < RUNS; run++) {
    started = performance.now();
    const { library } = assembleLibrary([{ papers: [...papers.values()].map((paper) => paper.entry) }], bundled, true, { topicModel: () => ({ assign: (paper) => byKey.get(paper.key)?.topics ?? [] }) });
    withZoteroData(library, papers.values(), collections);
    merges.push(performance.now() - started);
  }
  marks.push(`merge of the ${papers.size} Zotero papers with the bundled library on the editor's thread: median ${Math.round(median(merges))} ms`);

  const idle: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    started = performance.now();
    await first.syncNow();
    idle.push(performance.now() - started);
  }
  const perIdle = (first.traffic.requests - firstTraffic.requests) / RUNS;
  const idleBytes = (first.traffic.bytes - firstTraffic.bytes) / RUNS;
  marks.push(`later sync, nothing changed: median ${Math.round(median(idle))} ms (of ${RUNS}), ${perIdle} requests, ${(idleBytes / 1e3).toFixed(0)} kB`);

  const edits: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await double.call('editItem', keys[run * 7], { title: `Edited title ${run}` });
    started = performance.now();
    await first.syncNow();
    edits.push(performance.now() - started);
  }
  marks.push(`later sync after one edit, until its paper is sent: median ${Math.round(median(edits))} ms (of ${RUNS})`);
  await first.stop();
  const cacheSize = fs.statSync(path.join(dir, 'zotero.json')).size;

  const restarts: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    started = performance.now();
    let at: number | undefined;
    const again = session((event) => {
      if (event.type === 'papers' && at === undefined) at = performance.now() - started;
    });
    await again.start();
    await again.stop();
    restarts.push(at ?? NaN);
  }
  marks.push(`start from the cache (${(cacheSize / 1e6).toFixed(0)} MB) until the papers are there: median ${Math.round(median(restarts))} ms (of ${RUNS})`);
  double.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const mark of marks) console.log(mark);
}

void main();
