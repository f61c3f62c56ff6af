import * as vscode from 'vscode';
import type { LibraryService } from '../services/libraryService';
import { citationRange, citationsOf, paperCommandUri } from './documentCitations';

/**
 * Ctrl-click (Cmd-click) on a `@key` of the library opens the paper's detail panel; so does a key in
 * a formatted citation's target, and the text of a formatted citation of one paper.
 */
export class CitationLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly library: LibraryService) {}

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (const citation of citationsOf(document)) {
      if (!this.library.getPaper(citation.key)) continue;
      links.push(showPaperLink(citationRange(document, citation), citation.key));
      const { formatted } = citation;
      if (formatted?.keys.length === 1 && formatted.textEnd > formatted.textStart) {
        links.push(showPaperLink(new vscode.Range(document.positionAt(formatted.textStart), document.positionAt(formatted.textEnd)), citation.key));
      }
    }
    return links;
  }
}

function showPaperLink(range: vscode.Range, key: string): vscode.DocumentLink {
  const link = new vscode.DocumentLink(range, paperCommandUri('litnotes.showPaper', key));
  link.tooltip = 'Show paper details';
  return link;
}
