/**
 * Citations in VS Code's Markdown preview: the plugin (core/citationPlugin.ts) that the preview loads
 * through `extendMarkdownIt`, fed with the library, the configured or front-matter style and the
 * note's own bibliography files; the preview is refreshed when any of these change (it re-renders
 * on typing by itself). Also the renders of Export Note as HTML….
 */
import * as path from 'node:path';
import type MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import { citationPlugin, type CitationSource } from '../core/citationPlugin';
import { Disposable } from '../core/dispose';
import type { NoteOptions } from '../core/frontMatter';
import type { Paper } from '../core/model';
import { NoteBibliographies } from '../node/noteBibliography';
import type { Services } from '../services/services';

/** How long changes of the library or settings are gathered before the preview renders again. */
const REFRESH_DELAY_MS = 150;

export class CitationPreview extends Disposable {
  private libraryVersion = 0;
  private readonly bibliographies = new NoteBibliographies();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly services: Pick<Services, 'library' | 'settings' | 'citations'>) {
    super();
    this._register(
      services.library.onDidChange(() => {
        this.libraryVersion++;
        this.refresh();
      }),
    );
    this._register(
      services.settings.onDidChange((key) => {
        if (key.startsWith('citation.') || key.startsWith('library.')) this.refresh();
      }),
    );
    this._register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  /** What `activate` hands VS Code's Markdown preview. */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt {
    citationPlugin(md, { source: (env, options) => this.source(documentOf(env), options) });
    return md;
  }

  /** The citation context of a note: its style, the library with its own bibliography files. */
  source(document: vscode.Uri | undefined, options: NoteOptions): CitationSource {
    const folder = document?.scheme === 'file' ? path.dirname(document.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const { library } = this.services;
    const own = this.bibliographies.read(options, folder);
    const csl = options.csl && /\.csl$/i.test(options.csl) && folder ? path.resolve(folder, options.csl) : options.csl;
    const { style, key } = this.services.citations.noteStyle({ style: csl, locale: options.lang });
    return {
      style,
      styleKey: key,
      lookup: (citationKey): Paper | undefined => own.lookup(citationKey) ?? library.getPaper(citationKey),
      // `nocite: @*` lists the note's own bibliography when it names one, else the library.
      allPapers: () => (options.bibliography.length > 0 ? own.papers : library.papers),
      version: `${this.libraryVersion}|${own.version}`,
      document: document?.toString(),
      problems: own.problems,
    };
  }

  private refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      // Renders every open Markdown preview again; a no-op when none is open.
      void vscode.commands.executeCommand('markdown.preview.refresh').then(undefined, () => undefined);
    }, REFRESH_DELAY_MS);
  }
}

/** The note the preview renders: VS Code puts its URI into the render's environment. */
function documentOf(env: object): vscode.Uri | undefined {
  const current = (env as { currentDocument?: unknown }).currentDocument;
  // Another extension's Uri: read it by its string form.
  return current && typeof current === 'object' && 'scheme' in current ? vscode.Uri.parse(String(current)) : undefined;
}
