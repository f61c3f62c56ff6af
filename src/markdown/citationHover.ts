import * as vscode from 'vscode';
import { citationAt } from '../core/citationScanner';
import { formatAuthors, venueLabel } from '../core/library';
import type { Paper } from '../core/model';
import { safeExternalUrl } from '../core/urls';
import type { LibraryService } from '../services/libraryService';
import { citationRange, citationsOf, paperCommandUri } from './documentCitations';

/** The only commands a citation hover may run; every other `command:` link in it stays dead. */
const HOVER_COMMANDS = ['litnotes.showPaper', 'litnotes.openNote', 'litnotes.openCodeRepository'] as const;
const ABSTRACT_START = 320;

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

/** Paper text goes in with appendText only, which escapes Markdown and icon syntax. */
function paperHover(paper: Paper): vscode.MarkdownString {
  const hover = new vscode.MarkdownString('', true);
  hover.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  hover.appendMarkdown('**').appendText(paper.title.replace(/\s+/g, ' ')).appendMarkdown('**\n\n');
  hover.appendText(formatAuthors(paper));
  const venue = venueLabel(paper);
  if (venue) hover.appendMarkdown(' · _').appendText(venue).appendMarkdown('_');
  if (paper.abstract) hover.appendMarkdown('\n\n').appendText(startOf(paper.abstract));
  const links = [
    `[$(preview) Details](${paperCommandUri('litnotes.showPaper', paper.key)} "Show paper details")`,
    `[$(note) Literature note](${paperCommandUri('litnotes.openNote', paper.key)} "Open or create the literature note")`,
  ];
  if (safeExternalUrl(paper.links.code)) {
    links.push(`[$(github) Code](${paperCommandUri('litnotes.openCodeRepository', paper.key)} "Open the code repository")`);
  }
  hover.appendMarkdown(`\n\n${links.join(' · ')}`);
  return hover;
}

function startOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= ABSTRACT_START) return flat;
  const space = flat.lastIndexOf(' ', ABSTRACT_START);
  return `${flat.slice(0, space > 0 ? space : ABSTRACT_START)}…`;
}
