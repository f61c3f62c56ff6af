import * as vscode from 'vscode';
import { UNSORTED_GROUP_ID } from '../core/grouping';
import type { TopicsService } from '../services/topicsService';
import type { GroupNode, PapersTreeNode } from './papersTree';

/** The Papers view's own drag-and-drop type (VS Code's name for a tree's items: the view id in lower case). */
export const PAPERS_MIME = 'application/vnd.code.tree.litnotes.papers';

/** Where a drop puts papers: a topic, Unsorted (`undefined`), or nowhere. */
type DropPlace = { topic: string | undefined; group: GroupNode } | undefined;

/**
 * Drag and drop in the Papers view, grouped by topic: papers dropped on a topic row (or on a paper
 * under it) move there from the row they were dragged from, keeping their other topics; dropped on
 * Unsorted they leave that row's topic. A topic row dropped on another becomes its sub-topic. One or
 * many rows at a time; every move is a decision of the user, kept in the topics file.
 */
export class PapersDragAndDrop implements vscode.TreeDragAndDropController<PapersTreeNode> {
  readonly dragMimeTypes = [PAPERS_MIME];
  readonly dropMimeTypes = [PAPERS_MIME];

  constructor(
    private readonly topics: TopicsService,
    private readonly groupedByTopic: () => boolean,
  ) {}

  handleDrag(source: readonly PapersTreeNode[], dataTransfer: vscode.DataTransfer): void {
    const movable = source.filter((node) => node.kind === 'paper' || (node.kind === 'group' && node.group.topic));
    if (movable.length > 0) dataTransfer.set(PAPERS_MIME, new vscode.DataTransferItem(movable));
  }

  async handleDrop(target: PapersTreeNode | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    const value: unknown = dataTransfer.get(PAPERS_MIME)?.value;
    const nodes = (Array.isArray(value) ? value : []).filter(isNode);
    if (nodes.length === 0) return;
    if (!this.groupedByTopic()) {
      void vscode.window.showInformationMessage('Papers move between topics when the Papers view is grouped by topic.');
      return;
    }
    const place = dropPlace(target);
    if (!place) return;
    // Papers, by the row they come from: each leaves that row's topic.
    const byOrigin = new Map<string | undefined, string[]>();
    for (const node of nodes) {
      if (node.kind !== 'paper') continue;
      const from = node.parent.group.topic?.id;
      if (from === place.topic) continue;
      byOrigin.set(from, [...(byOrigin.get(from) ?? []), node.paper.key]);
    }
    for (const [from, keys] of byOrigin) await this.topics.move(keys, from, place.topic);
    const to = place.topic;
    if (to === undefined) return;
    for (const node of nodes) {
      const id = node.kind === 'group' ? node.group.topic?.id : undefined;
      // A topic cannot go into itself or below itself.
      if (!id || id === to || isBelow(place.group, id)) continue;
      await this.topics.setParent(id, to);
    }
  }
}

function dropPlace(target: PapersTreeNode | undefined): DropPlace {
  const group = target?.kind === 'paper' ? target.parent : target?.kind === 'group' ? target : undefined;
  if (!group) return undefined;
  if (group.group.topic) return { topic: group.group.topic.id, group };
  return group.group.id === UNSORTED_GROUP_ID ? { topic: undefined, group } : undefined;
}

/** Whether the row `group` is the topic `id` or sits below it. */
function isBelow(group: GroupNode, id: string): boolean {
  for (let node: GroupNode | undefined = group; node; node = node.parent) if (node.group.topic?.id === id) return true;
  return false;
}

function isNode(value: unknown): value is PapersTreeNode {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return (kind === 'paper' && 'paper' in value && 'parent' in value) || (kind === 'group' && 'group' in value);
}
