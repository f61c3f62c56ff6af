import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Writes through a temporary file in the same folder and a rename, so a reader never sees half a file.
 * A symbolic link is written through (the file it points to is replaced, the link stays), and an
 * existing file keeps its permissions.
 */
export function writeFileAtomic(file: string, text: string): void {
  const target = realTarget(file);
  const mode = fs.statSync(target, { throwIfNoEntry: false })?.mode;
  const temporary = temporaryPath(target);
  try {
    fs.writeFileSync(temporary, text, mode === undefined ? undefined : { mode: mode & 0o7777 });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * The same for large binary data, written part by part off the main thread (the file system's
 * threads do the writing): a reader sees the old file or the whole new one, never a part.
 */
export async function writePartsAtomic(file: string, parts: readonly Uint8Array[]): Promise<void> {
  const target = realTarget(file);
  const temporary = temporaryPath(target);
  try {
    await fsp.writeFile(temporary, parts);
    await fsp.rename(temporary, target);
  } catch (error) {
    await fsp.rm(temporary, { force: true });
    throw error;
  }
}

/** Beside the target, named after this process, so two windows writing at once never share one. */
function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
}

function realTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
