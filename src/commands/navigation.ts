import * as vscode from 'vscode';
import { GROUPINGS } from '../core/grouping';
import type { Paper } from '../core/model';
import { GROUP_BY_VALUES } from '../core/model';
import { pickPapers, type PaperItemAction } from '../quickPick/paperQuickPick';
import { guarded } from './guarded';
import type { Workbench } from './workbench';
import { resolvePaper, type PaperArg } from './paperArgs';

export function registerNavigationCommands(services: Workbench, reload: () => Promise<void>): vscode.Disposable[] {
  const { log } = services;
  return [
    vscode.commands.registerCommand('litnotes.searchPapers', guarded(log, 'search the papers', () => searchPapers(services))),
    vscode.commands.registerCommand(
      'litnotes.showPaper',
      guarded(log, 'show the paper', async (arg?: PaperArg) => {
        const paper = await resolvePaper(services, arg, 'Show Paper Details');
        if (paper) services.detailPanels.show(paper.key);
      }),
    ),
    vscode.commands.registerCommand('litnotes.revealTopic', guarded(log, 'reveal the topic', (topicId?: string) => revealTopic(services, topicId))),
    vscode.commands.registerCommand('litnotes.groupBy', guarded(log, 'change the grouping', () => chooseGrouping(services))),
    vscode.commands.registerCommand('litnotes.refresh', guarded(log, 'refresh the library', reload)),
  ];
}

async function searchPapers(services: Workbench): Promise<void> {
  const actions: PaperItemAction[] = [
    {
      button: { iconPath: new vscode.ThemeIcon('quote'), tooltip: 'Insert Citation' },
      appliesTo: () => true,
      run: (paper) => vscode.commands.executeCommand('litnotes.insertCitation', paper.key),
    },
    {
      button: { iconPath: new vscode.ThemeIcon('github'), tooltip: 'Open Code Repository' },
      appliesTo: (paper) => paper.links.code !== undefined,
      run: (paper) => vscode.commands.executeCommand('litnotes.openCodeRepository', paper.key),
    },
  ];
  const picked = await pickPapers(services, {
    title: 'Search Papers',
    placeholder: 'Title, author, abstract, topic or arXiv id; typos are fine',
    actions,
  });
  if (picked) await openPaper(services, picked[0]);
}

async function openPaper(services: Workbench, paper: Paper): Promise<void> {
  services.detailPanels.show(paper.key);
  await services.papersView.revealPaper(paper.key);
}

async function revealTopic(services: Workbench, topicId: string | undefined): Promise<void> {
  const topic = topicId === undefined ? undefined : services.library.getTopic(topicId);
  if (!topic) throw new Error(`there is no topic "${topicId}" in the library`);
  if (services.settings.groupBy !== 'topic') await services.settings.update('tree.groupBy', 'topic');
  if (!(await services.papersView.revealGroup(`topic:${topic.id}`))) {
    void vscode.window.showInformationMessage(`No paper in the library has the topic "${topic.label}".`);
  }
}

async function chooseGrouping(services: Workbench): Promise<void> {
  const current = services.settings.groupBy;
  const items = GROUP_BY_VALUES.map((value) => ({
    value,
    label: `$(${GROUPINGS[value].icon}) ${GROUPINGS[value].label}`,
    description: value === current ? 'current' : undefined,
  }));
  const choice = await vscode.window.showQuickPick(items, { title: 'Group Papers By', placeHolder: `Currently grouped by ${GROUPINGS[current].label.toLowerCase()}` });
  if (choice && choice.value !== current) await services.settings.update('tree.groupBy', choice.value);
}
