import type { Paper } from '../core/model';
import { pickPapers } from '../quickPick/paperQuickPick';
import type { Workbench } from './workbench';

/**
 * What a paper command receives: a citation key (detail panel, links, tests), a tree node
 * (inline and context menus), or nothing (command palette: the user picks).
 */
export type PaperArg = string | { readonly paper: Paper } | undefined;

export function paperFromArg(services: Workbench, arg: PaperArg): Paper | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') {
    const paper = services.library.getPaper(arg);
    if (!paper) throw new Error(`there is no paper with the citation key "${arg}" in the library`);
    return paper;
  }
  if (typeof arg === 'object' && arg !== null && 'paper' in arg) return services.library.getPaper(arg.paper.key) ?? arg.paper;
  throw new Error('the command was given something that is not a paper');
}

/** The paper a command acts on; asks the user when the command came from the palette. */
export async function resolvePaper(services: Workbench, arg: PaperArg, title: string): Promise<Paper | undefined> {
  const paper = paperFromArg(services, arg);
  if (paper) return paper;
  const picked = await pickPapers(services, { title, placeholder: 'Search papers by title, author, abstract, topic or arXiv id' });
  return picked?.[0];
}

/**
 * The papers a command acts on. A tree context menu with several rows selected passes the
 * clicked node first and all selected nodes second.
 */
export async function resolvePapers(services: Workbench, arg: PaperArg, selected: unknown, title: string): Promise<Paper[] | undefined> {
  if (Array.isArray(selected) && selected.length > 0) {
    const papers = selected
      .filter((node): node is { paper: Paper } => typeof node === 'object' && node !== null && 'paper' in node)
      .map((node) => paperFromArg(services, node) as Paper);
    if (papers.length > 0) return papers;
  }
  const paper = paperFromArg(services, arg);
  if (paper) return [paper];
  return pickPapers(services, {
    title,
    // In VS Code's multi-select pick Space types into the filter; it ticks only in the list, which ↓ moves to.
    placeholder: 'Search papers, tick each with a click (or ↓ to the list, then Space), and press Enter',
    canPickMany: true,
  });
}
