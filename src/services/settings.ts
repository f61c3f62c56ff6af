import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { GROUP_BY_VALUES, type CitationFormat, type GroupBy } from '../core/model';
import { colorLabels, DEFAULT_TOPICS_FILE, nonBlank, oneOf, pathList } from '../core/settingValues';

const SECTION = 'litnotes';
const WATCHED = [
  'citation.format',
  'citation.cslStyle',
  'citation.extraStyles',
  'citation.locale',
  'tree.groupBy',
  'notes.folder',
  'notes.template',
  'notes.stateFile',
  'topics.file',
  'library.files',
  'library.includeBundled',
  'zotero.enabled',
  'zotero.url',
  'zotero.groups',
  'zotero.annotationColors',
  'zotero.annotationTemplate',
] as const;
export type SettingKey = (typeof WATCHED)[number];

const CITATION_FORMATS: readonly CitationFormat[] = ['pandoc', 'markdownLink', 'csl', 'cslInText'];

/** Typed, validated access to the `litnotes.*` settings; bad values fall back to the defaults. */
export class Settings extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<SettingKey>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        for (const key of WATCHED) {
          if (event.affectsConfiguration(`${SECTION}.${key}`)) this.changed.fire(key);
        }
      }),
    );
  }

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get citationFormat(): CitationFormat {
    return oneOf(this.config.get('citation.format'), CITATION_FORMATS, 'pandoc');
  }

  get cslStyle(): string {
    return nonBlank(this.config.get('citation.cslStyle'), 'apa');
  }

  /** The CSL locale for every style (`en-GB`); empty: each style's own default locale. */
  get citationLocale(): string {
    return nonBlank(this.config.get('citation.locale'), '');
  }

  get extraStyles(): string[] {
    return pathList(this.config.get<unknown>('citation.extraStyles'));
  }

  /** Library files (.bib, CSL-JSON .json, listing .txt/.md), absolute or relative to the first workspace folder. */
  get libraryFiles(): string[] {
    return pathList(this.config.get<unknown>('library.files'));
  }

  get includeBundled(): boolean {
    return this.config.get<unknown>('library.includeBundled') !== false;
  }

  get groupBy(): GroupBy {
    return oneOf(this.config.get('tree.groupBy'), GROUP_BY_VALUES, 'topic');
  }

  /** Where literature notes go, relative to the workspace folder. */
  get notesFolder(): string {
    return nonBlank(this.config.get('notes.folder'), 'notes');
  }

  /** A user template file (absolute, or relative to the workspace folder); empty for the built-in template. */
  get noteTemplate(): string {
    return nonBlank(this.config.get('notes.template'), '');
  }

  /** The reading status and tags file, relative to the first workspace folder. */
  get stateFile(): string {
    return nonBlank(this.config.get('notes.stateFile'), '.litnotes/reading.json');
  }

  /** The pandoc program: a path (absolute, or relative to the first workspace folder) or a name looked up on PATH; empty: "pandoc". */
  get pandocPath(): string {
    return nonBlank(this.config.get('pandoc.path'), '');
  }

  /** The topics file (topics the user made, renamed, merged, pinned; papers they placed), relative to the first workspace folder. */
  get topicsFile(): string {
    return nonBlank(this.config.get('topics.file'), DEFAULT_TOPICS_FILE);
  }

  /** Where identifier lookups go: the services, or mirrors of them (and the tests' local double). */
  get identifierEndpoints(): { arxivApi: string; doiResolver: string; crossrefApi: string; openReviewApi: string } {
    const endpoint = (key: string, fallback: string) => {
      const value = this.config.get<unknown>(`identifiers.${key}`);
      return typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value.trim()) ? value.trim() : fallback;
    };
    return {
      arxivApi: endpoint('arxivApi', 'https://export.arxiv.org/api/query'),
      doiResolver: endpoint('doiResolver', 'https://doi.org'),
      crossrefApi: endpoint('crossrefApi', 'https://api.crossref.org'),
      openReviewApi: endpoint('openReviewApi', 'https://api2.openreview.net'),
    };
  }

  /** Whether a running Zotero is a library source (`litnotes.zotero.*`). */
  get zoteroEnabled(): boolean {
    return this.config.get<unknown>('zotero.enabled') === true;
  }

  /** The address Zotero's local API answers at. */
  get zoteroUrl(): string {
    return nonBlank(this.config.get('zotero.url'), 'http://127.0.0.1:23119');
  }

  /** Whether the user's Zotero group libraries join too. */
  get zoteroGroups(): boolean {
    return this.config.get<unknown>('zotero.groups') === true;
  }

  /** Annotation colour ("#ffd400") → the label written with it; the user's own labels over Zotero's colour names. */
  get annotationColors(): Record<string, string> {
    return colorLabels(this.config.get<unknown>('zotero.annotationColors'));
  }

  /** A user template file for one annotation (absolute, or relative to the workspace folder); empty for the built-in one. */
  get annotationTemplate(): string {
    return nonBlank(this.config.get('zotero.annotationTemplate'), '');
  }

  /** Writes where the user keeps the value already (workspace or user), so the choice survives a reload. */
  async update(key: SettingKey, value: unknown): Promise<void> {
    const inspected = this.config.inspect(key);
    const target =
      inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await this.config.update(key, value, target);
  }
}
