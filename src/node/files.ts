import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes through a temporary file in the same folder and a rename, so a reader never sees half a file.
 * A symbolic link is written through (the file it points to is replaced, the link stays), and an
 * existing file keeps its permissions.
 */
export function writeFileAtomic(file: string, text: string): void {
  const target = realTarget(file);
  const mode = fs.statSync(target, { throwIfNoEntry: false })?.mode;
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, text, mode === undefined ? undefined : { mode: mode & 0o7777 });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function realTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
