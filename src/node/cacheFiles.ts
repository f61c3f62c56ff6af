import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writePartsAtomic } from './files';

/** A file's bytes, or undefined when there is no such file. */
export async function readBytesIfAny(file: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A file opened for reading parts of it; undefined from `openIfAny` when there is no such file. */
export interface OpenedFile {
  size: number;
  /**
   * The bytes from `from` to `to` (fewer when the file ends first), in a buffer of their own that
   * starts at an aligned offset, so that typed arrays can be made on them in place.
   */
  read(from: number, to: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function openIfAny(file: string): Promise<OpenedFile | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    return {
      size,
      read: async (from, to) => {
        const bytes = new Uint8Array(new ArrayBuffer(Math.max(0, to - from)));
        let filled = 0;
        while (filled < bytes.length) {
          const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, from + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === bytes.length ? bytes : bytes.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Writes the parts as `file`, atomically, making its folder when needed. */
export async function writeBytes(file: string, parts: readonly Uint8Array[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writePartsAtomic(file, parts);
}

/** Removes `file` and what an interrupted write of it left behind; resolves with the bytes freed. */
export async function removeWithLeftovers(file: string): Promise<number> {
  const folder = path.dirname(file);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const leftover = new RegExp(`^\\.${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+\\.tmp$`);
  let freed = 0;
  for (const name of names.filter((name) => name === path.basename(file) || leftover.test(name))) {
    const target = path.join(folder, name);
    freed += (await fs.stat(target).catch(() => undefined))?.size ?? 0;
    await fs.rm(target, { force: true });
  }
  return freed;
}

/** Size and modification time, or undefined when there is no such file. */
export async function statIfAny(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const { size, mtimeMs } = await fs.stat(file);
    return { size, mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
