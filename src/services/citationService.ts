import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatInlineCitation, plainCitation, type CslCitationStyle, type InlineCitationFormat } from '../core/citation';
import { CslError, CslFormatter, pickLocale } from '../core/csl';
import { Disposable } from '../core/dispose';
import type { DocumentStyle } from '../core/documentCitations';
import type { Paper } from '../core/model';
import { CslAssets, readStyleFile, styleIdOfFile, type CitationStyleInfo, type StyleFile } from '../node/cslAssets';
import type { StyleSource } from '../node/pandocExport';
import type { Settings } from './settings';
import { resolveSettingPath } from './workspacePaths';


/**
 * Formats citations as the settings ask. The CSL processor and the styles are read from `dist/`
 * only on the first formatted reference, so activation never pays for them.
 *
 * A style is tried before it is taken: the command that chooses one asks `checkStyle` first, and
 * when the setting itself comes to name a style that cannot be used, the previous one stays in use.
 */
export class CitationService extends Disposable {
  private formatter: CslFormatter | undefined;
  private readonly assets: CslAssets;
  /** The style in use, and the value of the setting that was refused in its favour. */
  private style: { inUse: string; refused?: string };
  private localeWarned: string | undefined;

  constructor(
    extensionPath: string,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.assets = new CslAssets(path.join(extensionPath, 'dist'));
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

  /** What Insert Citation writes for these papers in a format that does not depend on the note. */
  inline(papers: Paper[], format: InlineCitationFormat): string {
    return formatInlineCitation(papers, format, format === 'csl' ? this.cslStyle() : undefined);
  }

  /** The citation of these papers in the configured format as plain text, for the clipboard. */
  plain(papers: Paper[]): string {
    const format = this.settings.citationFormat;
    return plainCitation(papers, format, format === 'csl' || format === 'cslInText' ? this.cslStyle() : undefined);
  }

  /** One reference per paper in the current CSL style, as inert Markdown, for a References section. */
  references(papers: Paper[]): string[] {
    return this.cslFormatter().formatBibliography(papers, this.styleId, 'markdown');
  }

  /** The configured style, in which a note's in-text citations are processed together (core/documentCitations.ts). */
  documentStyle(): DocumentStyle {
    return this.cslStyle();
  }

  private cslStyle(): CslCitationStyle & DocumentStyle {
    return { formatter: this.cslFormatter(), styleId: this.styleId };
  }

  /** Built-in styles first, then the user's .csl files. */
  styles(): CitationStyleInfo[] {
    return [...this.assets.builtInStyles(), ...this.extraStyles().map(({ info }) => info)];
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
    return this.assets.checkStyleFile(file, this.chosenLocale());
  }

  /** A style as pandoc takes it (`--csl`): a built-in one as CSL XML, a user's by its file. */
  pandocStyle(id: string): StyleSource {
    const xml = this.assets.builtInStyleXml(id);
    if (xml !== undefined) return { xml };
    const extra = this.extraStyles().find(({ info }) => info.id === id);
    if (!extra?.info.file || extra.problem) throw new CslError(extra?.problem ?? `Unknown citation style "${id}".`);
    return { file: extra.info.file };
  }

  /** The locale every style is formatted in (the setting's, if Lit Notes ships it); undefined: each style's own. */
  get locale(): string | undefined {
    return this.chosenLocale();
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
    this.formatter ??= new CslFormatter(this.assets.loader(() => this.extraStyles()), { locale: this.chosenLocale() });
    return this.formatter;
  }

  /** The locale the user chose for every style, if it is one Lit Notes ships; else each style's own. */
  private chosenLocale(): string | undefined {
    const wanted = this.settings.citationLocale;
    if (!wanted) return undefined;
    const shipped = pickLocale(wanted, this.assets.shippedLocales());
    if (!shipped && this.localeWarned !== wanted) {
      this.localeWarned = wanted;
      this.log.warn(`Citation locale "${wanted}" is not one of the CSL locales; each style uses its own.`);
      void vscode.window.showWarningMessage(
        `Lit Notes has no CSL locale "${wanted}" (the setting litnotes.citation.locale); each style uses its own, for example en-GB or de-DE.`,
      );
    }
    return shipped;
  }

  /** The user's .csl files, named by file name. An unreadable file is listed, and reported when it is used. */
  private extraStyles(): StyleFile[] {
    return this.settings.extraStyles.map((configured) => {
      const resolved = resolveSettingPath(configured, 'litnotes.citation.extraStyles');
      if (!resolved.uri) return { info: { id: styleIdOfFile(configured), title: `${styleIdOfFile(configured)} (no folder open)` }, problem: resolved.problem };
      return readStyleFile(resolved.uri.fsPath, configured);
    });
  }
}
