/**
 * The CSL processor, built-in styles and locales as the build writes them into `dist/`, and a user's
 * `.csl` files, read from disk: one loader for the extension and the command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CslError, readStyleInfo, type CiteprocModule, type CslLoader } from '../core/csl';
import { errorText } from '../core/errors';

export interface CitationStyleInfo {
  readonly id: string;
  readonly title: string;
  /** The .csl file for a user's style; undefined for a built-in one. */
  readonly file?: string;
}

export interface StyleFile {
  info: CitationStyleInfo;
  xml?: string;
  /** Why the file cannot be used, in words; set when it could not be read. */
  problem?: string;
}

/** Reads a user's .csl file, named by its file name; an unreadable file is returned with its problem. */
export function readStyleFile(file: string, shownAs = file): StyleFile {
  const id = path.basename(file).replace(/\.csl$/i, '');
  try {
    const xml = fs.readFileSync(file, 'utf8');
    return { info: { id, title: readStyleInfo(xml).title ?? id, file }, xml };
  } catch (error) {
    return { info: { id, title: `${id} (unreadable)`, file }, problem: `Cannot read the citation style file "${shownAs}": ${errorText(error)}` };
  }
}

/** The assets in `distDir` (the extension's `dist/`), with the user's style files on top. */
export class CslAssets {
  private builtIns?: CitationStyleInfo[];

  constructor(private readonly distDir: string) {}

  builtInStyles(): CitationStyleInfo[] {
    this.builtIns ??= this.readJson('styles.json') as CitationStyleInfo[];
    return this.builtIns;
  }

  /** A loader for CslFormatter: built-in ids first, then the given user styles by id. */
  loader(extraStyles: () => readonly StyleFile[]): CslLoader {
    return {
      // Bundled apart from the extension (see esbuild.config.mjs) and loaded at first use.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, not a module to bundle
      loadCiteproc: () => require(path.join(this.distDir, 'citeproc.js')) as CiteprocModule,
      loadStyle: (id) => {
        if (this.builtInStyles().some((style) => style.id === id)) return this.readJson(path.join('styles', `${id}.json`));
        const extra = extraStyles().find(({ info }) => info.id === id);
        if (extra?.problem) throw new CslError(extra.problem);
        return extra?.xml;
      },
      loadLocale: (lang) => this.readJson(path.join('locales', `${lang}.json`)),
    };
  }

  private readJson(relative: string): object {
    return JSON.parse(fs.readFileSync(path.join(this.distDir, 'csl', relative), 'utf8')) as object;
  }
}
