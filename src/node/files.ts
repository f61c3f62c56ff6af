import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes through a temporary file in the same folder and a rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
