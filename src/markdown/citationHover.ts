import * as vscode from 'vscode';
import { citationAt } from '../core/citationScanner';
import type { Paper } from '../core/model';
import { paperSummary } from '../core/paperSummary';
import { safeExternalUrl } from '../core/urls';
import type { LibraryService } from '../services/libraryService';
import { citationRange, citationsOf, paperCommandUri } from './documentCitations';

/** The only commands a citation hover may run; every other `command:` link in it stays dead. */
const HOVER_COMMANDS = ['litnotes.showPaper', 'litnotes.openNote', 'litnotes.openCodeRepository'] as const;

/** Hovering `@key` shows the paper: title, authors, venue and year, the start of the abstract, and links. */
export class CitationHoverProvider implements vscode.HoverProvider {
  constructor(private readonly library: LibraryService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const citation = citationAt(citationsOf(document), document.offsetAt(position));
    const paper = citation && this.library.getPaper(citation.key);
    if (!citation || !paper) return undefined;
    return new vscode.Hover(paperHover(paper), citationRange(document, citation));
  }
}

/**
 * The paper's summary, then the links. The summary escapes every field of the paper (theme icon
 * syntax too), so only the links below can run a command, and shortens them, so the links are
 * never pushed past what VS Code renders.
 */
function paperHover(paper: Paper): vscode.MarkdownString {
  const links = [
    `[$(preview) Details](${paperCommandUri('litnotes.showPaper', paper.key)} "Show paper details")`,
    `[$(note) Literature note](${paperCommandUri('litnotes.openNote', paper.key)} "Open or create the literature note")`,
  ];
  if (safeExternalUrl(paper.links.code)) {
    links.push(`[$(github) Code](${paperCommandUri('litnotes.openCodeRepository', paper.key)} "Open the code repository")`);
  }
  const hover = new vscode.MarkdownString(`${paperSummary(paper, 'start')}\n\n${links.join(' · ')}`, true);
  hover.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  return hover;
}
