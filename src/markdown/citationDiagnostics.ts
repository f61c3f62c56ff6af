import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { pandocKey } from '../core/citation';
import { encodeFormattedKey } from '../core/citationScanner';
import { closestPapers } from '../core/keySimilarity';
import { UNKNOWN_KEY_CODE, unknownCitations, unknownKeyMessage } from '../core/unknownKeys';
import type { LibraryService } from '../services/libraryService';
import { PerKeyDelay } from '../services/perKeyDelay';
import { citationRange, citationsOf, MARKDOWN_DOCUMENTS } from './documentCitations';

export const DIAGNOSTIC_SOURCE = 'Lit Notes';
/** A pause in typing this long before a note is checked again. */
const CHECK_DELAY_MS = 300;
const SUGGESTIONS = 3;

/**
 * Warns about citation keys that match no paper of the library. Each document is checked on its
 * own, when opened and after a pause in typing; a library change checks the open documents again.
 */
export class CitationDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('litnotes'));
  private readonly delay = this._register(new PerKeyDelay(CHECK_DELAY_MS));
  private libraryLoaded = false;

  constructor(private readonly library: LibraryService) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.check(document)));
    this._register(vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.delay.cancel(document.uri.toString());
        this.collection.delete(document.uri);
      }),
    );
    this._register(library.onDidChange(() => this.checkAll()));
    void library.ready.then(() => this.checkAll());
  }

  private checkAll(): void {
    // Before the first load every key would look unknown.
    this.libraryLoaded = this.library.papers.length > 0;
    for (const document of vscode.workspace.textDocuments) this.check(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (document.languageId !== 'markdown') return;
    this.delay.schedule(document.uri.toString(), () => {
      if (!document.isClosed) this.check(document);
    });
  }

  private check(document: vscode.TextDocument): void {
    if (document.languageId !== 'markdown' || !this.libraryLoaded) {
      this.collection.delete(document.uri);
      return;
    }
    const diagnostics = unknownCitations(document.getText(), (key) => this.library.getPaper(key) !== undefined, citationsOf(document))
      .map((citation) => {
        const diagnostic = new vscode.Diagnostic(
          citationRange(document, citation),
          unknownKeyMessage(citation.key),
          vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = UNKNOWN_KEY_CODE;
        return diagnostic;
      });
    this.collection.set(document.uri, diagnostics);
  }
}

/** "Replace with @closest" for the closest papers by key and title similarity. */
export class UnknownKeyQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly library: LibraryService) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== UNKNOWN_KEY_CODE) continue;
      const offset = document.offsetAt(diagnostic.range.start);
      const citation = citationsOf(document).find((c) => c.start === offset);
      if (!citation || this.library.getPaper(citation.key)) continue;
      closestPapers(citation.key, this.library.papers, SUGGESTIONS).forEach(({ paper }, index) => {
        // In a formatted citation's target the key stands without `@`, percent-encoded.
        const replacement = citation.formatted ? encodeFormattedKey(paper.key) : `@${pandocKey(paper.key)}`;
        const action = new vscode.CodeAction(`Replace with @${pandocKey(paper.key)}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = index === 0;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, citationRange(document, citation), replacement);
        actions.push(action);
      });
    }
    return actions;
  }
}

export function registerCitationChecks(library: LibraryService): vscode.Disposable[] {
  return [
    new CitationDiagnostics(library),
    vscode.languages.registerCodeActionsProvider(MARKDOWN_DOCUMENTS, new UnknownKeyQuickFixes(library), UnknownKeyQuickFixes.metadata),
  ];
}
