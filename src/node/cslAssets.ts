/**
 * The CSL processor, built-in styles and locales as the build writes them into `dist/`, and a user's
 * `.csl` files, read from disk: one loader for the extension and the command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CslError, CslFormatter, pickLocale, readStyleInfo, type CiteprocModule, type CslLoader, type CslNode } from '../core/csl';
import { cslStyleXml } from '../core/cslStyleXml';
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

/** A user's style is named by its file name without `.csl`. */
export function styleIdOfFile(file: string): string {
  return path.basename(file).replace(/\.csl$/i, '');
}

/** Reads a user's .csl file; an unreadable file is returned with its problem, to be reported when used. */
export function readStyleFile(file: string, shownAs = file): StyleFile {
  const id = styleIdOfFile(file);
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
  private locales?: string[];
  private readonly distDir: string;

  /** `distDir` relative: to the working folder (`require` would take it for a package name or the module's own folder). */
  constructor(distDir: string) {
    this.distDir = path.resolve(distDir);
  }

  builtInStyles(): CitationStyleInfo[] {
    this.builtIns ??= this.readJson('styles.json') as CitationStyleInfo[];
    return this.builtIns;
  }

  /** The CSL locales shipped, e.g. "en-GB". */
  shippedLocales(): string[] {
    this.locales ??= this.readJson('locales.json') as string[];
    return this.locales;
  }

  /** A built-in style as a .csl file's text, for pandoc; undefined for an id that is not built in. */
  builtInStyleXml(id: string): string | undefined {
    if (!this.builtInStyles().some((style) => style.id === id)) return undefined;
    return cslStyleXml(this.readJson(path.join('styles', `${id}.json`)) as CslNode);
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
      loadLocale: (lang) => {
        const shipped = pickLocale(lang, this.shippedLocales());
        return shipped && this.readJson(path.join('locales', `${shipped}.json`));
      },
    };
  }

  /**
   * Tries a .csl file before it is used: its style id and why it cannot be used, if so. `locale` is
   * the user's choice for every style (undefined: the style's own).
   */
  checkStyleFile(file: string, locale: string | undefined): { id: string; problem?: string } {
    const style = readStyleFile(file);
    const { id } = style.info;
    if (style.problem) return { id, problem: style.problem };
    try {
      new CslFormatter(this.loader(() => [style]), { locale }).check(id);
      return { id };
    } catch (error) {
      if (error instanceof CslError) return { id, problem: error.message };
      throw error;
    }
  }

  private readJson(relative: string): object {
    return JSON.parse(fs.readFileSync(path.join(this.distDir, 'csl', relative), 'utf8')) as object;
  }
}
