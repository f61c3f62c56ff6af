import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { parseTagList, READING_STATUS_LABELS, READING_STATUSES, type ReadingStatus, type ReadingStatusChoice } from '../core/readingState';
import { guarded } from './guarded';
import type { ReadingStateService } from '../services/readingStateService';
import type { Workbench } from './workbench';
import { STATUS_ICONS } from '../views/papersTree';
import { resolvePapers, type PaperArg } from './paperArgs';

export function registerReadingStateCommands(services: Workbench): vscode.Disposable[] {
  const { log, readingState } = services;
  return [
    vscode.commands.registerCommand(
      'litnotes.setStatus',
      // From the tree the second argument is the selection; from the detail panel or a test, the status.
      guarded(log, 'set the reading status', async (arg?: PaperArg, selectedOrStatus?: unknown) => {
        const papers = await resolvePapers(services, arg, selectedOrStatus, 'Set Reading Status');
        if (!papers?.length) return;
        const status = isReadingStatusChoice(selectedOrStatus) ? selectedOrStatus : await pickStatus(papers, readingState);
        if (status === undefined) return;
        await readingState.update(
          papers.map((paper) => paper.key),
          () => ({ status: status === 'none' ? undefined : status }),
        );
      }),
    ),
    vscode.commands.registerCommand(
      'litnotes.editTags',
      guarded(log, 'edit the tags', async (arg?: PaperArg, selected?: unknown) => {
        const papers = await resolvePapers(services, arg, selected, 'Edit Tags');
        if (papers?.length) await editTags(papers, readingState);
      }),
    ),
  ];
}

function isReadingStatusChoice(value: unknown): value is ReadingStatusChoice {
  return value === 'none' || READING_STATUSES.includes(value as ReadingStatus);
}

async function pickStatus(papers: readonly Paper[], readingState: ReadingStateService): Promise<ReadingStatusChoice | undefined> {
  const current = new Set(papers.map((paper) => readingState.get(paper.key).status ?? 'none'));
  const items = [...READING_STATUSES, 'none' as const].map((value) => ({
    value,
    label: value === 'none' ? '$(circle-slash) No status' : `$(${STATUS_ICONS[value]}) ${READING_STATUS_LABELS[value]}`,
    description: current.size === 1 && current.has(value) ? 'current' : undefined,
  }));
  const choice = await vscode.window.showQuickPick(items, { title: `Set Reading Status: ${describePapers(papers)}`, placeHolder: 'Reading status' });
  return choice?.value;
}

/**
 * One line of comma-separated tags. With several papers it shows the tags they all share; what the
 * user leaves there, adds or removes is applied to each paper, their other tags stay.
 */
async function editTags(papers: readonly Paper[], readingState: ReadingStateService): Promise<void> {
  const tagLists = papers.map((paper) => readingState.get(paper.key).tags);
  const shared = tagLists[0].filter((tag) => tagLists.every((tags) => tags.includes(tag)));
  const known = readingState.allTags();
  const text = await vscode.window.showInputBox({
    title: `Edit Tags: ${describePapers(papers)}`,
    value: shared.join(', '),
    prompt: known.length ? `Comma-separated. In use: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}` : 'Comma-separated, e.g. rlhf, to cite, survey',
    placeHolder: 'rlhf, agents',
  });
  if (text === undefined) return;
  const entered = parseTagList(text);
  await readingState.update(
    papers.map((paper) => paper.key),
    (current) => ({ tags: [...current.tags.filter((tag) => !shared.includes(tag)), ...entered] }),
  );
}

function describePapers(papers: readonly Paper[]): string {
  return papers.length === 1 ? papers[0].key : `${papers.length} papers`;
}
