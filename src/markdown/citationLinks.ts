import * as vscode from 'vscode';
import type { LibraryService } from '../services/libraryService';
import { citationRange, citationsOf, paperCommandUri } from './documentCitations';

/** Ctrl-click (Cmd-click) on a `@key` of the library opens the paper's detail panel. */
export class CitationLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly library: LibraryService) {}

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    return citationsOf(document)
      .filter((citation) => this.library.getPaper(citation.key))
      .map((citation) => {
        const link = new vscode.DocumentLink(citationRange(document, citation), paperCommandUri('litnotes.showPaper', citation.key));
        link.tooltip = 'Show paper details';
        return link;
      });
  }
}
