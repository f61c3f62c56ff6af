import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { statIfAny } from './cacheFiles';
import { parseLibraryJson } from '../core/library';
import type { Library } from '../core/model';

const FILES = ['papers.json', 'topics.json'];

/** Reads the library shipped in `data/` (65 papers on RL for language models). */
export async function loadBundledLibrary(extensionPath: string): Promise<{ library: Library; problems: string[] }> {
  const read = async (file: string): Promise<Record<string, unknown>> =>
    JSON.parse(await fs.readFile(path.join(extensionPath, 'data', file), 'utf8')) as Record<string, unknown>;
  const [papers, topics] = await Promise.all(FILES.map(read));
  return parseLibraryJson({ papers: papers.papers, topics: topics.topics });
}

/**
 * Size and modification time of each file of the bundled library (undefined for a missing one): it
 * changes with the extension, whose version the cache checks too, so these stand for its content.
 */
export async function bundledLibraryStamps(extensionPath: string): Promise<({ size: number; mtimeMs: number } | undefined)[]> {
  return Promise.all(FILES.map((file) => statIfAny(path.join(extensionPath, 'data', file))));
}
