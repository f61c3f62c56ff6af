import * as vscode from 'vscode';
import { escapeIcons } from '../core/labels';
import { shorten } from '../core/markdown';
import type { Paper, Topic } from '../core/model';
import type { LibraryService } from '../services/libraryService';
import type { TopicsService } from '../services/topicsService';
import { topicIcon, type PapersTreeNode } from '../views/papersTree';
import { guarded } from './guarded';
import { resolvePapers, type PaperArg } from './paperArgs';
import type { Workbench } from './workbench';

/** What a topic command receives: a topic row of the tree, or a topic id (tests, other commands); nothing from the palette. */
type TopicArg = PapersTreeNode | string | undefined;

/** Create, rename, merge, delete and pin topics; move and add papers to topics (also by drag and drop, see topicDragAndDrop.ts). */
export function registerTopicCommands(services: Workbench, topics: TopicsService): vscode.Disposable[] {
  const { log, library } = services;
  const topicFrom = async (arg: TopicArg, title: string): Promise<Topic | undefined> => {
    const id = typeof arg === 'string' ? arg : arg?.kind === 'group' ? arg.group.topic?.id : undefined;
    if (id !== undefined) {
      const topic = library.getTopic(id);
      // The id is not repeated: a notification would make a link of "[x](command:y)" in it.
      if (!topic) throw new Error('the library has no such topic');
      return topic;
    }
    return pickTopic(library, { title, placeHolder: 'Topic' });
  };
  return [
    vscode.commands.registerCommand(
      'litnotes.createTopic',
      guarded(log, 'create a topic', async (parentArg?: TopicArg, labelArg?: unknown) => {
        const parent = typeof parentArg === 'string' || parentArg?.kind === 'group' ? await topicFrom(parentArg, 'Create Topic') : undefined;
        const label = typeof labelArg === 'string' ? labelArg : await askLabel(parent ? `New Sub-topic of ${titleText(parent.label)}` : 'New Topic', '');
        if (!label) return;
        await topics.create(label, parent?.id);
      }),
    ),
    vscode.commands.registerCommand(
      'litnotes.renameTopic',
      guarded(log, 'rename the topic', async (arg?: TopicArg, labelArg?: unknown) => {
        const topic = await topicFrom(arg, 'Rename Topic');
        if (!topic) return;
        const label = typeof labelArg === 'string' ? labelArg : await askLabel(`Rename Topic ${titleText(topic.label)}`, topic.label);
        if (label && label !== topic.label) await topics.rename(topic.id, label);
      }),
    ),
    vscode.commands.registerCommand(
      'litnotes.mergeTopic',
      guarded(log, 'merge the topics', async (arg?: TopicArg, intoArg?: unknown) => {
        const from = await topicFrom(arg, 'Merge Topic');
        if (!from) return;
        const into =
          typeof intoArg === 'string'
            ? await topicFrom(intoArg, 'Merge Topic')
            : await pickTopic(library, { title: `Merge ${titleText(from.label)} Into…`, placeHolder: 'The topic that takes its papers and sub-topics' }, from.id);
        if (into && into.id !== from.id) await topics.merge(from.id, into.id);
      }),
    ),
    vscode.commands.registerCommand(
      'litnotes.deleteTopic',
      guarded(log, 'delete the topic', async (arg?: TopicArg, confirmed?: unknown) => {
        const topic = await topicFrom(arg, 'Delete Topic');
        if (!topic) return;
        if (confirmed !== true) {
          const count = library.papers.filter((paper) => paper.topics.includes(topic.id)).length;
          const choice = await vscode.window.showWarningMessage(
            `Delete the topic "${shorten(topic.label, 80)}"? Its ${count === 1 ? 'paper stays' : `${count} papers stay`} in the library, under their other topics or in Unsorted. The topics file (${topics.fileUri() ? vscode.workspace.asRelativePath(topics.fileUri() as vscode.Uri) : 'litnotes.topics.file'}) keeps the decision.`,
            { modal: true },
            'Delete',
          );
          if (choice !== 'Delete') return;
        }
        await topics.delete(topic.id);
      }),
    ),
    vscode.commands.registerCommand(
      'litnotes.pinTopic',
      guarded(log, 'pin the topic', async (arg?: TopicArg) => {
        const topic = await topicFrom(arg, 'Pin Topic');
        if (!topic) return;
        if (topic.origin !== 'discovered') {
          void vscode.window.showInformationMessage('Only a discovered topic can be pinned: the others do not change by themselves.');
          return;
        }
        await topics.pin(topic.id);
      }),
    ),
    vscode.commands.registerCommand(
      'litnotes.moveToTopic',
      guarded(log, 'move the papers to a topic', (arg?: PaperArg, selected?: unknown, topicArg?: unknown) => placePapers(services, topics, 'move', arg, selected, topicArg)),
    ),
    vscode.commands.registerCommand(
      'litnotes.addToTopic',
      guarded(log, 'add the papers to a topic', (arg?: PaperArg, selected?: unknown, topicArg?: unknown) => placePapers(services, topics, 'add', arg, selected, topicArg)),
    ),
    vscode.commands.registerCommand(
      'litnotes.removeFromTopic',
      guarded(log, 'remove the papers from the topic', async (arg?: PaperArg, selected?: unknown) => {
        for (const [from, keys] of byRow(arg, selected)) if (from !== undefined) await topics.move(keys, from, undefined);
      }),
    ),
  ];
}

/**
 * Moves or adds the papers of the tree's selection (or the palette's pick) to a topic picked from
 * the list (or a new one). Moving takes each paper out of the row it was chosen in.
 */
async function placePapers(services: Workbench, topics: TopicsService, how: 'move' | 'add', arg: PaperArg, selected: unknown, topicArg: unknown): Promise<void> {
  const title = how === 'move' ? 'Move to Topic' : 'Add to Topic';
  const papers = await resolvePapers(services, arg, selected, title);
  if (!papers?.length) return;
  let to = typeof topicArg === 'string' ? services.library.getTopic(topicArg)?.id : undefined;
  if (typeof topicArg === 'string' && !to) throw new Error('the library has no such topic');
  if (!to) {
    const picked = await pickTopic(services.library, { title: `${title}: ${describePapers(papers)}`, placeHolder: 'Pick a topic, or make a new one' }, undefined, true);
    if (picked === 'new') {
      const label = await askLabel('New Topic', '');
      if (!label) return;
      to = await topics.create(label);
    } else to = picked?.id;
  }
  if (!to) return;
  if (how === 'add') {
    await topics.add(
      papers.map((paper) => paper.key),
      to,
    );
    return;
  }
  const rows = byRow(arg, selected);
  // From the palette there is no row: the papers move out of no topic, they are only put into this one first.
  if (rows.size === 0) rows.set(undefined, papers.map((paper) => paper.key));
  for (const [from, keys] of rows) await topics.move(keys, from, to);
}

/** The selected paper rows' keys by the topic of the row they sit in. */
function byRow(arg: unknown, selected: unknown): Map<string | undefined, string[]> {
  const nodes = Array.isArray(selected) && selected.length > 0 ? selected : [arg];
  const rows = new Map<string | undefined, string[]>();
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null || (node as { kind?: unknown }).kind !== 'paper') continue;
    const { paper, parent } = node as Extract<PapersTreeNode, { kind: 'paper' }>;
    const from = parent.group.topic?.id;
    rows.set(from, [...(rows.get(from) ?? []), paper.key]);
  }
  return rows;
}

interface TopicItem extends vscode.QuickPickItem {
  readonly topic?: Topic;
  readonly create?: true;
}

/** Picks a topic of the library: each with its parents and where it comes from; optionally "New Topic…" first. */
async function pickTopic(library: LibraryService, options: { title: string; placeHolder: string }, except?: string, offerNew?: false): Promise<Topic | undefined>;
async function pickTopic(library: LibraryService, options: { title: string; placeHolder: string }, except: string | undefined, offerNew: true): Promise<Topic | 'new' | undefined>;
async function pickTopic(library: LibraryService, options: { title: string; placeHolder: string }, except?: string, offerNew = false): Promise<Topic | 'new' | undefined> {
  const counts = new Map<string, number>();
  for (const paper of library.papers) for (const id of paper.topics) counts.set(id, (counts.get(id) ?? 0) + 1);
  const path = (topic: Topic): string => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let up = topic.parent; up && !seen.has(up); up = library.getTopic(up)?.parent) {
      seen.add(up);
      names.unshift(shorten(library.getTopic(up)?.label ?? up, 40));
    }
    return names.join(' › ');
  };
  const items: TopicItem[] = library.topics
    .filter((topic) => topic.id !== except && ((counts.get(topic.id) ?? 0) > 0 || topic.origin === 'user'))
    .map((topic) => ({
      label: escapeIcons(shorten(topic.label, 120)),
      description: escapeIcons([path(topic), `${counts.get(topic.id) ?? 0} papers`].filter(Boolean).join(' · ')),
      iconPath: new vscode.ThemeIcon(topicIcon(topic)),
      topic,
    }));
  const all: TopicItem[] = offerNew ? [{ label: '$(add) New Topic…', alwaysShow: true, create: true }, ...items] : items;
  const picked = await vscode.window.showQuickPick(all, { ...options, matchOnDescription: true });
  return picked?.create ? 'new' : picked?.topic;
}

async function askLabel(title: string, value: string): Promise<string | undefined> {
  const label = await vscode.window.showInputBox({
    title,
    value,
    prompt: 'The topic’s name, as the Papers view shows it',
    validateInput: (text) => (text.trim() ? undefined : 'A topic needs a name.'),
  });
  return label?.replace(/\s+/g, ' ').trim() || undefined;
}

/** A label in a quick input's title: short, and "$(name)" never an icon. */
function titleText(label: string): string {
  return escapeIcons(shorten(label, 60));
}

function describePapers(papers: readonly Paper[]): string {
  return papers.length === 1 ? papers[0].key : `${papers.length} papers`;
}
