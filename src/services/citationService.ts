import * as fs from 'node:fs';
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
  /** Formatters for the locales notes ask for (front matter `lang:`), and the .csl files they name (`csl:`). */
  private readonly noteFormatters = new Map<string, CslFormatter>();
  private readonly noteStyleFiles = new Map<string, { mtimeMs: number; style: StyleFile }>();

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
        if (key === 'citation.extraStyles' || key === 'citation.locale') {
          this.formatter = undefined;
          this.noteFormatters.clear();
        }
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

  /**
   * The style a note asks for in its front matter, as pandoc reads it: `style` a style id or the
   * absolute path of a .csl file (read again when it changes), `locale` its `lang:`; what it leaves
   * out is the configured one. `key` names the choice, for caches of formatted citations.
   */
  noteStyle(request: { style?: string; locale?: string }): { style: DocumentStyle; key: string } {
    const shipped = request.locale ? pickLocale(request.locale, this.assets.shippedLocales()) : undefined;
    const formatter = shipped ? this.noteFormatter(shipped) : this.cslFormatter();
    let styleId = request.style ?? this.styleId;
    let version = '';
    if (/\.csl$/i.test(styleId)) {
      const file = styleId;
      let mtimeMs = -1;
      try {
        mtimeMs = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
      } catch {
        // A path through a file, a folder it may not read: readStyleFile says why in words.
      }
      const known = this.noteStyleFiles.get(file);
      if (known?.mtimeMs !== mtimeMs) {
        const style = readStyleFile(file);
        this.noteStyleFiles.set(file, { mtimeMs, style: { ...style, info: { ...style.info, id: file } } });
        this.cslFormatter().invalidate(file);
        for (const other of this.noteFormatters.values()) other.invalidate(file);
      }
      styleId = file;
      version = String(mtimeMs);
    }
    return { style: { formatter, styleId }, key: `${styleId}|${shipped ?? this.chosenLocale() ?? ''}|${version}` };
  }

  private noteFormatter(locale: string): CslFormatter {
    let formatter = this.noteFormatters.get(locale);
    if (!formatter) {
      formatter = new CslFormatter(this.assets.loader(() => this.allStyleFiles()), { locale });
      this.noteFormatters.set(locale, formatter);
    }
    return formatter;
  }

  private allStyleFiles(): StyleFile[] {
    return [...this.extraStyles(), ...[...this.noteStyleFiles.values()].map(({ style }) => style)];
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
    this.formatter ??= new CslFormatter(this.assets.loader(() => this.allStyleFiles()), { locale: this.chosenLocale() });
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
