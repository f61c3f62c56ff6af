import * as vscode from 'vscode';
import { citationAt } from '../core/citationScanner';
import type { Paper } from '../core/model';
import { paperSummary } from '../core/paperSummary';
import { safeExternalUrl } from '../core/urls';
import type { LibraryService } from '../services/libraryService';
import { citationRange, citationsOf, paperCommandUri } from './documentCitations';

/** The only commands a citation hover may run; every other `command:` link in it stays dead. */
const HOVER_COMMANDS = ['litnotes.showPaper', 'litnotes.openNote', 'litnotes.openCodeRepository'] as const;

/**
 * Hovering `@key` shows the paper: title, authors, venue and year, the start of the abstract, and
 * links. Hovering the text of a formatted citation shows each paper it cites.
 */
export class CitationHoverProvider implements vscode.HoverProvider {
  constructor(private readonly library: LibraryService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const offset = document.offsetAt(position);
    const citation = citationAt(citationsOf(document), offset);
    if (!citation) return undefined;
    const { formatted } = citation;
    if (formatted && (offset < citation.start || offset > citation.end)) {
      const papers = [...new Set(formatted.keys.map((key) => this.library.getPaper(key)))].filter((paper) => paper !== undefined);
      if (papers.length === 0) return undefined;
      return new vscode.Hover(papers.map(paperHover), new vscode.Range(document.positionAt(formatted.start), document.positionAt(formatted.end)));
    }
    const paper = this.library.getPaper(citation.key);
    return paper && new vscode.Hover(paperHover(paper), citationRange(document, citation));
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
