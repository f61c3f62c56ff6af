import * as vscode from 'vscode';
import { firstAuthorLabel } from '../core/library';
import type { Paper } from '../core/model';
import type { SearchIndex, SearchResult } from '../core/search';
import type { LibraryService } from '../services/libraryService';
import type { SearchService } from '../services/searchService';

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

export interface PaperQuickPickOptions {
  readonly title: string;
  readonly placeholder: string;
  readonly canPickMany?: boolean;
  readonly actions?: readonly PaperItemAction[];
}

/**
 * A quick pick over the library that searches with Lit Notes' own index on every keystroke
 * (typos, authors, abstracts, ids), instead of VS Code's label filter. Resolves with the
 * papers picked, or undefined when dismissed.
 */
export function pickPapers(
  library: LibraryService,
  search: SearchService,
  options: PaperQuickPickOptions,
): Promise<Paper[] | undefined> {
  const picker = vscode.window.createQuickPick<PaperItem>();
  picker.title = options.title;
  picker.placeholder = options.placeholder;
  picker.canSelectMany = options.canPickMany ?? false;
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  const actions = options.actions ?? [];
  // Multi-select keeps its choices while the list changes under it.
  const chosen = new Map<string, Paper>();

  // Shown at once so nothing typed is lost; the list fills when the index is ready.
  let index: SearchIndex | undefined;
  const render = (): void => {
    if (!index) return;
    const query = picker.value;
    const results: Array<Pick<SearchResult, 'paper' | 'excerpt'>> = query.trim()
      ? index.search(query, { limit: MAX_ITEMS })
      : library.papers.slice(0, MAX_ITEMS).map((paper) => ({ paper }));
    const shown = new Set(results.map((result) => result.paper.key));
    const kept = [...chosen.values()].filter((paper) => !shown.has(paper.key)).map((paper) => ({ paper }));
    const items = [...kept, ...results].map((result) => toItem(result, actions));
    picker.items = items;
    if (picker.canSelectMany) picker.selectedItems = items.filter((item) => chosen.has(item.paper.key));
  };

  return new Promise<Paper[] | undefined>((resolve, reject) => {
    let result: Paper[] | undefined;
    picker.onDidChangeValue(render);
    picker.onDidChangeSelection((selected) => {
      if (!picker.canSelectMany) return;
      const selectedKeys = new Set(selected.map((item) => item.paper.key));
      for (const item of picker.items) {
        if (selectedKeys.has(item.paper.key)) chosen.set(item.paper.key, item.paper);
        else chosen.delete(item.paper.key);
      }
    });
    picker.onDidTriggerItemButton(({ item, button }) => {
      actions.find((action) => action.button === button)?.run(item.paper);
    });
    picker.onDidAccept(() => {
      result = picker.canSelectMany ? [...chosen.values()] : picker.selectedItems.map((item) => item.paper);
      // Enter with nothing ticked takes the highlighted row, or the best match of what was typed.
      const fallback = picker.activeItems[0] ?? (picker.value.trim() ? picker.items[0] : undefined);
      if (result.length === 0 && fallback) result = [fallback.paper];
      picker.hide();
    });
    let hidden = false;
    picker.onDidHide(() => {
      hidden = true;
      picker.dispose();
      resolve(result && result.length > 0 ? result : undefined);
    });
    picker.busy = true;
    picker.show();
    search.getIndex().then(
      (built) => {
        if (hidden) return;
        index = built;
        picker.busy = false;
        render();
      },
      (error: unknown) => {
        reject(error);
        if (!hidden) picker.hide();
      },
    );
  });
}

function toItem(result: Pick<SearchResult, 'paper' | 'excerpt'>, actions: readonly PaperItemAction[]): PaperItem {
  const { paper } = result;
  return {
    paper,
    label: paper.title,
    description: [firstAuthorLabel(paper), paper.year].filter(Boolean).join(' · '),
    detail: result.excerpt?.text ?? paper.venue,
    // Our index decides what matches; VS Code's own label filter must not hide its results.
    alwaysShow: true,
    buttons: actions.filter((action) => action.appliesTo(paper)).map((action) => action.button),
  };
}
