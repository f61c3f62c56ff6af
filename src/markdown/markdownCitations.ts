import * as vscode from 'vscode';
import type { Services } from '../services/services';
import { CitationCompletionProvider } from './citationCompletion';
import { registerCitationChecks } from './citationDiagnostics';
import { CitationHoverProvider } from './citationHover';
import { CitationLinkProvider } from './citationLinks';
import { MARKDOWN_DOCUMENTS } from './documentCitations';

/** Citations in Markdown that complete, explain, link and check themselves. */
export function registerMarkdownCitations(services: Services): vscode.Disposable[] {
  const { library, search } = services;
  return [
    vscode.languages.registerCompletionItemProvider(MARKDOWN_DOCUMENTS, new CitationCompletionProvider(library, search), '@'),
    vscode.languages.registerHoverProvider(MARKDOWN_DOCUMENTS, new CitationHoverProvider(library)),
    vscode.languages.registerDocumentLinkProvider(MARKDOWN_DOCUMENTS, new CitationLinkProvider(library)),
    ...registerCitationChecks(library),
  ];
}
