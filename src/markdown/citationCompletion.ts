import * as vscode from 'vscode';
import { pandocKey } from '../core/citation';
import { citationKeyBeingTyped } from '../core/citationScanner';
import { isAbort } from '../core/errors';
import { authorName, firstAuthorLabel } from '../core/library';
import { shorten } from '../core/markdown';
import type { Paper } from '../core/model';
import { paperSummary } from '../core/paperSummary';
import { fold } from '../core/search/text';
import type { LibraryService } from '../services/libraryService';
import type { SearchService } from '../services/searchService';

/** Items offered at most; typing more narrows them (the list is marked incomplete, so it is asked again). */
const MAX_ITEMS = 100;

/** Offers the library's papers where a key is being typed in a citation group: `[@`, `[see @`, `; @`. */
export class CitationCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly library: LibraryService,
    private readonly search: SearchService,
  ) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const typing = citationKeyBeingTyped(document.getText(), document.offsetAt(position));
    if (!typing) return undefined;
    await this.library.ready;
    const papers = await this.candidates(typing.typed);
    if (!papers) return undefined;
    const range = new vscode.Range(document.positionAt(typing.keyStart), position);
    const items = papers.map((paper, rank) => completionItem(paper, range, rank));
    return new vscode.CompletionList(items, true);
  }

  /**
   * Keys starting with what is typed first, then the search index's matches on title words, authors
   * and the rest. None when the search closed (the window closes) before its index was there.
   */
  private async candidates(typed: string): Promise<Paper[] | undefined> {
    if (!typed) return this.library.papers.slice(0, MAX_ITEMS);
    const folded = fold(typed);
    const byKey = this.library.papers.filter((paper) => fold(paper.key).startsWith(folded)).slice(0, MAX_ITEMS);
    const index = await this.search.getIndex().catch((error: unknown) => (isAbort(error) ? undefined : Promise.reject(error)));
    if (!index) return undefined;
    const found = index.search(typed, { limit: MAX_ITEMS }).map((result) => result.paper);
    return [...new Set([...byKey, ...found])].slice(0, MAX_ITEMS);
  }
}

function completionItem(paper: Paper, range: vscode.Range, rank: number): vscode.CompletionItem {
  const item = new vscode.CompletionItem(
    { label: paper.key, detail: paper.year !== undefined ? ` ${paper.year}` : undefined, description: firstAuthorLabel(paper) },
    vscode.CompletionItemKind.Reference,
  );
  item.detail = shorten(paper.title);
  item.documentation = new vscode.MarkdownString(paperSummary(paper, 'none'));
  item.insertText = pandocKey(paper.key);
  item.range = range;
  // VS Code filters what is typed against this: the key, title words and author names all match.
  item.filterText = [paper.key, shorten(paper.title), ...paper.authors.map(authorName)].join(' ');
  item.sortText = String(rank).padStart(5, '0');
  return item;
}
