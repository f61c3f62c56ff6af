import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseLibraryJson } from '../core/library';
import type { Library } from '../core/model';

/** Reads the library shipped in `data/` (65 papers on RL for language models). */
export async function loadBundledLibrary(extensionPath: string): Promise<{ library: Library; problems: string[] }> {
  const read = async (file: string): Promise<Record<string, unknown>> =>
    JSON.parse(await fs.readFile(path.join(extensionPath, 'data', file), 'utf8')) as Record<string, unknown>;
  const [papers, topics] = await Promise.all([read('papers.json'), read('topics.json')]);
  return parseLibraryJson({ papers: papers.papers, topics: topics.topics });
}
