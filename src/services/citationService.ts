import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatInlineCitation } from '../core/citation';
import { CslError, CslFormatter, readStyleInfo, type CiteprocModule } from '../core/csl';
import type { Paper } from '../core/model';
import type { Settings } from './settings';
import { resolveSettingPath } from './workspacePaths';

export interface CitationStyleInfo {
  readonly id: string;
  readonly title: string;
  /** The .csl file for a user's style; undefined for a built-in one. */
  readonly file?: string;
}

/**
 * Formats citations as the settings ask. The CSL processor and the styles are read from `dist/`
 * only on the first formatted reference, so activation never pays for them.
 */
export class CitationService implements vscode.Disposable {
  private formatter: CslFormatter | undefined;
  private builtIns: CitationStyleInfo[] | undefined;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly extensionPath: string,
    private readonly settings: Settings,
  ) {
    this.listener = settings.onDidChange((key) => {
      if (key === 'citation.extraStyles') this.formatter = undefined;
    });
  }

  /** What Insert Citation writes for these papers, in the configured format. */
  inline(papers: Paper[]): string {
    const format = this.settings.citationFormat;
    return formatInlineCitation(papers, format, format === 'csl' || format === 'cslInText' ? { formatter: this.cslFormatter(), styleId: this.settings.cslStyle } : undefined);
  }

  /** One reference per paper in the configured CSL style, for a References section. */
  references(papers: Paper[]): string[] {
    return this.cslFormatter().formatBibliography(papers, this.settings.cslStyle, 'text');
  }

  /** Built-in styles first, then the user's .csl files. */
  styles(): CitationStyleInfo[] {
    return [...this.builtInStyles(), ...this.extraStyles().map(({ info }) => info)];
  }

  dispose(): void {
    this.listener.dispose();
  }

  private cslFormatter(): CslFormatter {
    this.formatter ??= new CslFormatter({
      // Bundled apart from the extension (see esbuild.config.mjs) and loaded at first use.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, not a module to bundle
      loadCiteproc: () => require(path.join(this.extensionPath, 'dist', 'citeproc.js')) as CiteprocModule,
      loadStyle: (id) => {
        if (this.builtInStyles().some((style) => style.id === id)) return this.readJson(path.join('styles', `${id}.json`));
        const extra = this.extraStyles().find(({ info }) => info.id === id);
        if (extra?.problem) throw new CslError(extra.problem);
        return extra?.xml;
      },
      loadLocale: (lang) => this.readJson(path.join('locales', `${lang}.json`)),
    });
    return this.formatter;
  }

  private builtInStyles(): CitationStyleInfo[] {
    this.builtIns ??= this.readJson('styles.json') as CitationStyleInfo[];
    return this.builtIns;
  }

  /** The user's .csl files, named by file name. An unreadable file is listed, and reported when it is used. */
  private extraStyles(): { info: CitationStyleInfo; xml?: string; problem?: string }[] {
    return this.settings.extraStyles.map((configured) => {
      const resolved = resolveSettingPath(configured, 'litnotes.citation.extraStyles');
      const file = resolved.uri?.fsPath ?? configured;
      const id = path.basename(file).replace(/\.csl$/i, '');
      try {
        if (resolved.problem) throw new Error(resolved.problem);
        const xml = fs.readFileSync(file, 'utf8');
        return { info: { id, title: readStyleInfo(xml).title ?? id, file }, xml };
      } catch (error) {
        const problem = `Cannot read the citation style file "${configured}": ${(error as Error).message}`;
        return { info: { id, title: `${id} (unreadable)`, file }, problem };
      }
    });
  }

  private readJson(relative: string): object {
    return JSON.parse(fs.readFileSync(path.join(this.extensionPath, 'dist', 'csl', relative), 'utf8')) as object;
  }
}
