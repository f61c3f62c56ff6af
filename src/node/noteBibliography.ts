/**
 * The library files a note names in its front matter (`bibliography:`), read through the same
 * importers as the configured library and kept until the file changes, for the preview, the HTML
 * export and the command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../core/errors';
import type { NoteOptions } from '../core/frontMatter';
import type { Paper } from '../core/model';
import { paperLookup } from '../core/paperLookup';
import { importSource } from '../core/sources';
import { sourceKindOf } from '../core/sources/source';

export interface NoteLibrary {
  papers: Paper[];
  lookup(key: string): Paper | undefined;
  /** Changes when a file does. */
  version: string;
  /** What could not be read, in words (a file's problems by line). */
  problems: string[];
}

export class NoteBibliographies {
  private readonly files = new Map<string, { mtimeMs: number; papers: Paper[]; problems: string[] }>();

  /** The papers of `bibliography:` (paths relative to the note's folder), the first file winning a key. */
  read(options: Pick<NoteOptions, 'bibliography'>, noteFolder: string | undefined): NoteLibrary {
    const papers: Paper[] = [];
    const problems: string[] = [];
    const versions: string[] = [];
    for (const name of options.bibliography) {
      const file = path.resolve(noteFolder ?? '.', name);
      const read = this.readFile(file, name);
      papers.push(...read.papers);
      problems.push(...read.problems);
      versions.push(`${file}@${read.mtimeMs}`);
    }
    return { papers, lookup: paperLookup(papers), version: versions.join('|'), problems };
  }

  private readFile(file: string, shownAs: string): { mtimeMs: number; papers: Paper[]; problems: string[] } {
    const mtimeMs = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
    const known = this.files.get(file);
    if (known?.mtimeMs === mtimeMs) return known;
    const kind = sourceKindOf(file);
    let read: { mtimeMs: number; papers: Paper[]; problems: string[] };
    if (!kind) read = { mtimeMs, papers: [], problems: [`The bibliography "${shownAs}" is not a file Lit Notes reads (.bib, CSL-JSON .json, or a .txt/.md listing).`] };
    else if (mtimeMs < 0) read = { mtimeMs, papers: [], problems: [`The bibliography "${shownAs}" does not exist.`] };
    else {
      try {
        const parsed = importSource(kind, fs.readFileSync(file, 'utf8'));
        read = {
          mtimeMs,
          papers: parsed.papers.map(({ paper }) => paper),
          problems: parsed.problems.filter((problem) => problem.severity === 'error').map((problem) => `${shownAs}:${problem.line}: ${problem.message}`),
        };
      } catch (error) {
        read = { mtimeMs, papers: [], problems: [`Cannot read the bibliography "${shownAs}": ${errorText(error)}`] };
      }
    }
    this.files.set(file, read);
    return read;
  }
}
