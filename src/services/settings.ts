import * as vscode from 'vscode';
import { GROUP_BY_VALUES, type CitationFormat, type GroupBy } from '../core/model';

const SECTION = 'litnotes';
const WATCHED = [
  'citation.format',
  'citation.cslStyle',
  'citation.extraStyles',
  'tree.groupBy',
  'notes.folder',
  'notes.template',
  'notes.stateFile',
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
export class Settings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SettingKey>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      for (const key of WATCHED) {
        if (event.affectsConfiguration(`${SECTION}.${key}`)) this.changed.fire(key);
      }
    });
  }

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get citationFormat(): CitationFormat {
    return oneOf(this.config.get('citation.format'), CITATION_FORMATS, 'pandoc');
  }

  get cslStyle(): string {
    const style = this.config.get<string>('citation.cslStyle');
    return typeof style === 'string' && style.trim() ? style.trim() : 'apa';
  }

  get extraStyles(): string[] {
    const paths = this.config.get<unknown>('citation.extraStyles');
    return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  }

  /** Library files (.bib, CSL-JSON .json, listing .txt/.md), absolute or relative to the first workspace folder. */
  get libraryFiles(): string[] {
    const paths = this.config.get<unknown>('library.files');
    return Array.isArray(paths) ? [...new Set(paths.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()))] : [];
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
    const value = this.config.get<unknown>('zotero.annotationColors');
    const labels: Record<string, string> = {};
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [color, label] of Object.entries(value)) if (/^#[0-9a-f]{6}$/i.test(color) && typeof label === 'string') labels[color.toLowerCase()] = label;
    }
    return labels;
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

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}

function nonBlank(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}
