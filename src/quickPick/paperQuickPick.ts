import * as vscode from 'vscode';
import { errorDetail, errorText, isAbort } from '../core/errors';
import { paperRow } from '../core/paperSummary';
import type { Paper } from '../core/model';
import type { SearchIndex, SearchResult } from '../core/search';
import type { LibraryService } from '../services/libraryService';
import type { SearchService } from '../services/searchService';
import { TickedItems } from './tickedItems';

/** How many papers the list shows: enough to scroll, few enough to stay instant with 100,000 papers. */
const MAX_ITEMS = 200;

export interface PaperItem extends vscode.QuickPickItem {
  readonly paper: Paper;
}

export interface PaperItemAction {
  readonly button: vscode.QuickInputButton;
  /** Whether the button applies to this paper (e.g. only papers with code get the code button). */
  readonly appliesTo: (paper: Paper) => boolean;
  readonly run: (paper: Paper) => unknown;
}

/** What a paper pick reads: the library, its search, and the log a failed search goes to. */
export interface PaperPickServices {
  readonly library: Pick<LibraryService, 'papers' | 'getPaper'>;
  readonly search: Pick<SearchService, 'getIndex' | 'onDidChange'>;
  readonly log: vscode.LogOutputChannel;
}

export interface PaperQuickPickOptions {
  readonly title: string;
  readonly placeholder: string;
  readonly canPickMany?: boolean;
  readonly actions?: readonly PaperItemAction[];
}

/**
 * A quick pick over the library that searches with Lit Notes' own index on every keystroke
 * (typos, authors, abstracts, ids), instead of VS Code's label filter. It opens at once, so that
 * nothing typed is lost, and fills when the index is ready, again after every change of the
 * library. An index whose search throws is said once and left until the next index: meanwhile
 * the pick lists the library and VS Code filters it by title. Resolves with the papers picked, or
 * undefined when dismissed.
 */
export function pickPapers({ library, search, log }: PaperPickServices, options: PaperQuickPickOptions): Promise<Paper[] | undefined> {
  const picker = vscode.window.createQuickPick<PaperItem>();
  picker.title = options.title;
  picker.placeholder = options.placeholder;
  const many = options.canPickMany ?? false;
  picker.canSelectMany = many;
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  const actions = options.actions ?? [];
  const ticked = new TickedItems<Paper>((paper) => paper.key);

  let index: SearchIndex | undefined;
  /** The index whose search threw: not asked again (each keystroke would throw again). */
  let failed: SearchIndex | undefined;
  let warned = false;
  const searched = (query: string): Array<Pick<SearchResult, 'paper' | 'excerpt'>> | undefined => {
    if (!index || index === failed) return undefined;
    try {
      return query.trim() ? index.search(query, { limit: MAX_ITEMS }) : index.first(MAX_ITEMS).map((paper) => ({ paper }));
    } catch (error) {
      failed = index;
      log.error('Search failed; the pick lists the library, filtered by title, until the next search index:', errorDetail(error));
      if (!warned) void vscode.window.showWarningMessage(`Lit Notes: search failed (${errorText(error)}); the list is filtered by title only.`);
      warned = true;
      return undefined;
    }
  };
  const render = (): void => {
    if (!index) return;
    const results = searched(picker.value);
    // Without our search, VS Code's label filter does the filtering.
    const listed = results ?? library.papers.slice(0, MAX_ITEMS).map((paper) => ({ paper }));
    const found = new Map(listed.map((result) => [result.paper.key, result]));
    // Ticked papers come first, in the order ticked: VS Code names items by their position, so a
    // selection it reports late, about an earlier list, still names the same papers.
    const first = ticked.items.map((paper) => found.get(paper.key) ?? { paper });
    const items = [...first, ...listed.filter((result) => !ticked.has(result.paper.key))].map((result) => toItem(result, actions, results !== undefined));
    picker.items = items;
    if (many) picker.selectedItems = items.slice(0, ticked.send().length);
  };

  return new Promise<Paper[] | undefined>((resolve, reject) => {
    let result: Paper[] | undefined;
    let hidden = false;
    let request = 0;
    /** Enter came with something typed and no results yet: it takes the best match once they come. */
    let acceptWhenReady = false;
    const accept = (): void => {
      result = many ? ticked.items : picker.selectedItems.map((item) => item.paper);
      // Enter with nothing ticked takes the highlighted row, or the best match of what was typed.
      const fallback = picker.activeItems[0] ?? (picker.value.trim() ? picker.items[0] : undefined);
      if (result.length === 0 && fallback) result = [fallback.paper];
      picker.hide();
    };
    const refresh = (): void => {
      const mine = ++request;
      index = undefined;
      picker.busy = true;
      search.getIndex().then(
        (built) => {
          if (hidden || mine !== request) return;
          index = built;
          // A paper ticked before a change of the library stays ticked, if it is still there.
          ticked.update((key) => library.getPaper(key));
          picker.busy = false;
          render();
          if (acceptWhenReady) accept();
        },
        (error: unknown) => {
          // The search closed (the window closes): nothing failed, the pick just goes.
          if (!isAbort(error)) reject(error);
          if (!hidden) picker.hide();
        },
      );
    };
    const listeners = [
      search.onDidChange(refresh),
      picker.onDidChangeValue(render),
      picker.onDidChangeSelection((selected) => {
        // A late report about an earlier list reset the window's ticks: show the user's again.
        if (many && ticked.reported(selected.map((item) => item.paper))) render();
      }),
      picker.onDidTriggerItemButton(({ item, button }) => {
        actions.find((action) => action.button === button)?.run(item.paper);
      }),
      picker.onDidAccept(() => {
        if (!index && picker.items.length === 0 && picker.value.trim()) acceptWhenReady = true;
        else accept();
      }),
      picker.onDidHide(() => {
        hidden = true;
        vscode.Disposable.from(...listeners, picker).dispose();
        resolve(result && result.length > 0 ? result : undefined);
      }),
    ];
    picker.show();
    refresh();
  });
}

function toItem(result: Pick<SearchResult, 'paper' | 'excerpt'>, actions: readonly PaperItemAction[], searched: boolean): PaperItem {
  const { paper } = result;
  return {
    paper,
    ...paperRow(paper, result.excerpt?.text),
    // Our index decides what matches; VS Code's own label filter must not hide its results.
    alwaysShow: searched,
    buttons: actions.filter((action) => action.appliesTo(paper)).map((action) => action.button),
  };
}
