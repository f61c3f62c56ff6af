import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatInlineCitation } from '../core/citation';
import { CslError, CslFormatter, pickLocale, readStyleInfo, type CiteprocModule, type CslLoader } from '../core/csl';
import { Disposable } from '../core/dispose';
import { errorText } from '../core/errors';
import type { DocumentStyle } from '../core/documentCitations';
import type { Paper } from '../core/model';
import type { Settings } from './settings';

export interface CitationStyleInfo {
  readonly id: string;
  readonly title: string;
  /** The .csl file for a user's style; undefined for a built-in one. */
  readonly file?: string;
}

/**
 * Formats citations as the settings ask. The CSL processor and the styles are read from `dist/`
 * only on the first formatted reference, so activation never pays for them.
 *
 * A style is tried before it is taken: the command that chooses one asks `checkStyle` first, and
 * when the setting itself comes to name a style that cannot be used, the previous one stays in use.
 */
export class CitationService extends Disposable {
  private formatter: CslFormatter | undefined;
  private builtIns: CitationStyleInfo[] | undefined;
  private locales: string[] | undefined;
  /** The style in use, and the value of the setting that was refused in its favour. */
  private style: { inUse: string; refused?: string };
  private localeWarned: string | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.style = { inUse: settings.cslStyle };
    this._register(
      settings.onDidChange((key) => {
        if (key === 'citation.extraStyles' || key === 'citation.locale') this.formatter = undefined;
        if (key === 'citation.extraStyles' || key === 'citation.cslStyle') this.followStyleSetting();
      }),
    );
  }

  /** The CSL style citations are formatted in: the setting's, unless it was refused. */
  get styleId(): string {
    const wanted = this.settings.cslStyle;
    return wanted === this.style.refused ? this.style.inUse : wanted;
  }

  /** What Insert Citation writes for these papers, in the configured format. */
  inline(papers: Paper[]): string {
    const format = this.settings.citationFormat;
    return formatInlineCitation(papers, format, format === 'csl' || format === 'cslInText' ? { formatter: this.cslFormatter(), styleId: this.styleId } : undefined);
  }

  /** One reference per paper in the current CSL style, as inert Markdown, for a References section. */
  references(papers: Paper[]): string[] {
    return this.cslFormatter().formatBibliography(papers, this.styleId, 'markdown');
  }

  /** The configured style, in which a note's in-text citations are processed together (core/documentCitations.ts). */
  documentStyle(): DocumentStyle {
    return { formatter: this.cslFormatter(), styleId: this.styleId };
  }

  /** Built-in styles first, then the user's .csl files. */
  styles(): CitationStyleInfo[] {
    return [...this.builtInStyles(), ...this.extraStyles().map(({ info }) => info)];
  }

  /** Why the style cannot be used (unreadable, not CSL, no bibliography, fails on an item), or undefined. */
  checkStyle(id: string): string | undefined {
    try {
      this.cslFormatter().check(id);
      return undefined;
    } catch (error) {
      if (error instanceof CslError) return error.message;
      throw error;
    }
  }

  /** Tries a .csl file before it is added: its style id (the file name) and why it cannot be used, if so. */
  checkStyleFile(file: string): { id: string; problem?: string } {
    const id = styleIdOfFile(file);
    let xml: string;
    try {
      xml = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return { id, problem: `Cannot read the citation style file "${file}": ${errorText(error)}` };
    }
    const formatter = new CslFormatter({ ...this.loader(), loadStyle: (styleId) => (styleId === id ? xml : undefined) }, { locale: this.chosenLocale() });
    try {
      formatter.check(id);
      return { id };
    } catch (error) {
      if (error instanceof CslError) return { id, problem: error.message };
      throw error;
    }
  }

  private followStyleSetting(): void {
    const wanted = this.settings.cslStyle;
    const problem = this.checkStyle(wanted);
    if (!problem) {
      this.style = { inUse: wanted };
      return;
    }
    if (wanted === this.style.inUse) return; // nothing better to keep; using it reports the problem
    this.style = { inUse: this.style.inUse, refused: wanted };
    this.log.warn(`Citation style "${wanted}" refused, keeping "${this.style.inUse}": ${problem}`);
    void vscode.window.showWarningMessage(`${problem} Lit Notes keeps the citation style "${this.style.inUse}".`);
  }

  private cslFormatter(): CslFormatter {
    this.formatter ??= new CslFormatter(this.loader(), { locale: this.chosenLocale() });
    return this.formatter;
  }

  private loader(): CslLoader {
    return {
      // Bundled apart from the extension (see esbuild.config.mjs) and loaded at first use.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, not a module to bundle
      loadCiteproc: () => require(path.join(this.extensionPath, 'dist', 'citeproc.js')) as CiteprocModule,
      loadStyle: (id) => {
        if (this.builtInStyles().some((style) => style.id === id)) return this.readJson(path.join('styles', `${id}.json`));
        const extra = this.extraStyles().find(({ info }) => info.id === id);
        if (extra?.problem) throw new CslError(extra.problem);
        return extra?.xml;
      },
      loadLocale: (lang) => {
        const shipped = pickLocale(lang, this.shippedLocales());
        return shipped && this.readJson(path.join('locales', `${shipped}.json`));
      },
    };
  }

  /** The locale the user chose for every style, if it is one Lit Notes ships; else each style's own. */
  private chosenLocale(): string | undefined {
    const wanted = this.settings.citationLocale;
    if (!wanted) return undefined;
    const shipped = pickLocale(wanted, this.shippedLocales());
    if (!shipped && this.localeWarned !== wanted) {
      this.localeWarned = wanted;
      this.log.warn(`Citation locale "${wanted}" is not one of the CSL locales; each style uses its own.`);
      void vscode.window.showWarningMessage(
        `Lit Notes has no CSL locale "${wanted}" (the setting litnotes.citation.locale); each style uses its own, for example en-GB or de-DE.`,
      );
    }
    return shipped;
  }

  private shippedLocales(): string[] {
    this.locales ??= this.readJson('locales.json') as string[];
    return this.locales;
  }

  private builtInStyles(): CitationStyleInfo[] {
    this.builtIns ??= this.readJson('styles.json') as CitationStyleInfo[];
    return this.builtIns;
  }

  /** The user's .csl files, named by file name. An unreadable file is listed, and reported when it is used. */
  private extraStyles(): { info: CitationStyleInfo; xml?: string; problem?: string }[] {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return this.settings.extraStyles.map((configured) => {
      const file = path.isAbsolute(configured) || !base ? configured : path.join(base, configured);
      const id = styleIdOfFile(file);
      try {
        const xml = fs.readFileSync(file, 'utf8');
        return { info: { id, title: readStyleInfo(xml).title ?? id, file }, xml };
      } catch (error) {
        const problem = `Cannot read the citation style file "${configured}": ${errorText(error)}`;
        return { info: { id, title: `${id} (unreadable)`, file }, problem };
      }
    });
  }

  private readJson(relative: string): object {
    return JSON.parse(fs.readFileSync(path.join(this.extensionPath, 'dist', 'csl', relative), 'utf8')) as object;
  }
}

/** A user's style is named by its file name without `.csl`. */
export function styleIdOfFile(file: string): string {
  return path.basename(file).replace(/\.csl$/i, '');
}
