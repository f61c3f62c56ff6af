/**
 * The library cache's goals: a start with the cache in place (warm) against one without (cold),
 * measured in turns in fresh processes of the built extension with a generated library in place of
 * the bundled one, at 10,000 and 100,000 papers. Each pair shares one storage folder: the cold
 * start writes the cache that the warm start after it reads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateLibrary, libraryFiles } from './generate';
import { round, stats, type Stats } from './stats';

interface StartRun {
  warm: boolean;
  firstAnswerMs: number;
  searchableMs: number;
  checkMs: number | null;
  unchanged: boolean;
  heapMB: number;
}

export interface StartFigures {
  firstAnswerMs: Stats;
  searchableMs: Stats;
  heapMB: Stats;
}

export interface WarmStartResult {
  papers: number;
  cacheMB: number;
  libraryJsonMB: number;
  cold: StartFigures;
  warm: StartFigures;
  /** The check of the unchanged sources on the warm starts. */
  checkMs: Stats;
}

function startOnce(extensionDir: string, storage: string): StartRun {
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', path.join(__dirname, 'activation.js'), extensionDir, 'start', storage], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`activation.js start failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as StartRun;
}

const figures = (runs: StartRun[]): StartFigures => ({
  firstAnswerMs: stats(runs.map((run) => run.firstAnswerMs)),
  searchableMs: stats(runs.map((run) => run.searchableMs)),
  heapMB: stats(runs.map((run) => run.heapMB)),
});

export function measureWarmStart(extensionDir: string, size: number, pairs: number, log: (line: string) => void): WarmStartResult {
  const dir = fs.mkdtempSync(path.join(extensionDir, 'start-'));
  try {
    fs.symlinkSync(path.join(extensionDir, 'dist'), path.join(dir, 'dist'));
    fs.mkdirSync(path.join(dir, 'data'));
    const files = libraryFiles(generateLibrary(size));
    fs.writeFileSync(path.join(dir, 'data', 'papers.json'), files.papers);
    fs.writeFileSync(path.join(dir, 'data', 'topics.json'), files.topics);
    const cold: StartRun[] = [];
    const warm: StartRun[] = [];
    let cacheBytes = 0;
    for (let pair = 0; pair < pairs; pair++) {
      const storage = path.join(dir, `storage-${pair}`);
      const first = startOnce(dir, storage);
      if (first.warm) throw new Error('a start with an empty storage folder was served from a cache');
      cacheBytes = fs.statSync(path.join(storage, 'library-cache.bin')).size;
      const second = startOnce(dir, storage);
      if (!second.warm || !second.unchanged) throw new Error(`the start after it was not served from the cache (${JSON.stringify(second)})`);
      cold.push(first);
      warm.push(second);
      fs.rmSync(storage, { recursive: true, force: true });
    }
    const result: WarmStartResult = {
      papers: size,
      cacheMB: round(cacheBytes / (1024 * 1024)),
      libraryJsonMB: round(files.papers.length / (1024 * 1024)),
      cold: figures(cold),
      warm: figures(warm),
      checkMs: stats(warm.map((run) => run.checkMs ?? NaN)),
    };
    const fmt = (value: Stats) => `${round(value.median)} / ${round(value.p95)}`;
    log(
      `  start, cold → warm (${pairs} pairs, cache ${result.cacheMB} MB for ${result.libraryJsonMB} MB of JSON): first tree answer ${fmt(result.cold.firstAnswerMs)} → ${fmt(result.warm.firstAnswerMs)} ms, searchable ${fmt(result.cold.searchableMs)} → ${fmt(result.warm.searchableMs)} ms, heap ${fmt(result.cold.heapMB)} → ${fmt(result.warm.heapMB)} MB, check of the unchanged sources ${fmt(result.checkMs)} ms`,
    );
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The goals, as ratios of the warm start to the cold one of the same run (heap: warm no larger than cold). */
export function warmStartGoals(results: readonly WarmStartResult[]) {
  return results.flatMap((result) => {
    const at = `${result.papers / 1000}k`;
    const ratio = (goal: string, measured: number, reference: number, referenceName: string, limit: number) => ({
      goal: `${at}: ${goal}`,
      limit,
      measured: round(measured / reference),
      unit: '×',
      met: measured / reference <= limit,
      ms: { measured: round(measured), reference: round(reference), referenceName },
    });
    return [
      ratio("warm start, activate() to the tree's first answer (median)", result.warm.firstAnswerMs.median, result.cold.firstAnswerMs.median, "the cold start's median", 0.1),
      ratio('warm start, activate() to a searchable index (median)', result.warm.searchableMs.median, result.cold.searchableMs.median, "the cold start's median", 0.1),
      ratio('check of the unchanged sources on a warm start (median)', result.checkMs.median, result.cold.searchableMs.median, "the cold start's median (to a searchable index)", 0.05),
      { goal: `${at}: heap after a warm start ÷ after a cold start (medians)`, limit: 1, measured: round(result.warm.heapMB.median / result.cold.heapMB.median), unit: '×', met: result.warm.heapMB.median <= result.cold.heapMB.median },
    ];
  });
}
