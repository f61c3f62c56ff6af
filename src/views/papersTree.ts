import * as vscode from 'vscode';
import { groupPapers, GROUPINGS, type PaperGroup } from '../core/grouping';
import { firstAuthorLabel } from '../core/library';
import { LINK_KINDS, LINKS } from '../core/links';
import { escapeMarkdown, shorten } from '../core/markdown';
import type { GroupBy, Paper } from '../core/model';
import { paperSummary } from '../core/paperSummary';
import { paperTags, READING_STATUS_LABELS, type PaperReadingState, type ReadingStatus } from '../core/readingState';
import type { CitationIndex } from '../services/citationIndex';
import type { LibraryService } from '../services/libraryService';
import type { ReadingStateService } from '../services/readingStateService';
import type { Settings } from '../services/settings';

export interface GroupNode {
  readonly kind: 'group';
  readonly group: PaperGroup;
}

export interface PaperNode {
  readonly kind: 'paper';
  readonly paper: Paper;
  readonly parent: GroupNode;
}

export type PapersTreeNode = GroupNode | PaperNode;

/**
 * The "Papers" view. Nodes are cached per grouping so that `getParent` and `reveal` see the same
 * objects `getChildren` returned; paper nodes of a group are made only when the group is opened,
 * which keeps very large libraries cheap until a person looks at them.
 */
export class PapersTreeProvider implements vscode.TreeDataProvider<PapersTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PapersTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: GroupNode[] | undefined;
  private readonly children = new Map<GroupNode, PaperNode[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly library: LibraryService,
    private readonly settings: Settings,
    private readonly readingState: ReadingStateService,
    private readonly citations: CitationIndex,
  ) {
    this.subscriptions.push(
      library.onDidChange(() => this.refresh()),
      settings.onDidChange((key) => {
        if (key === 'tree.groupBy') this.refresh();
      }),
      // A status or tag can move a paper to another group; citation counts only change row descriptions.
      readingState.onDidChange(() => this.refresh()),
      citations.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  get groupBy(): GroupBy {
    return this.settings.groupBy;
  }

  refresh(): void {
    this.roots = undefined;
    this.children.clear();
    this.changed.fire(undefined);
  }

  async getChildren(node?: PapersTreeNode): Promise<PapersTreeNode[]> {
    if (!node) {
      await this.library.ready;
      return this.rootNodes();
    }
    if (node.kind === 'paper') return [];
    return this.paperNodes(node);
  }

  getParent(node: PapersTreeNode): PapersTreeNode | undefined {
    return node.kind === 'paper' ? node.parent : undefined;
  }

  getTreeItem(node: PapersTreeNode): vscode.TreeItem {
    return node.kind === 'group'
      ? this.groupItem(node)
      : paperItem(node, this.readingState.get(node.paper.key), this.citations.count(node.paper));
  }

  /** The node under which a paper is first listed (its primary topic when grouped by topic). */
  findPaperNode(key: string): PaperNode | undefined {
    const paper = this.library.getPaper(key);
    if (!paper) return undefined;
    const roots = this.rootNodes();
    const primary = this.groupBy === 'topic' ? roots.find((node) => node.group.id === `topic:${paper.topics[0]}`) : undefined;
    for (const group of primary ? [primary, ...roots] : roots) {
      const found = this.paperNodes(group).find((node) => node.paper.key === key);
      if (found) return found;
    }
    return undefined;
  }

  findGroupNode(groupId: string): GroupNode | undefined {
    return this.rootNodes().find((node) => node.group.id === groupId);
  }

  dispose(): void {
    this.changed.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private rootNodes(): GroupNode[] {
    this.roots ??= groupPapers(this.library.papers, this.groupBy, this.library.topics, {
      readingState: (key) => this.readingState.get(key),
      collections: this.library.library.collections,
    }).map((group) => ({
      kind: 'group' as const,
      group,
    }));
    return this.roots;
  }

  private paperNodes(group: GroupNode): PaperNode[] {
    let nodes = this.children.get(group);
    if (!nodes) {
      nodes = group.group.papers.map((paper) => ({ kind: 'paper' as const, paper, parent: group }));
      this.children.set(group, nodes);
    }
    return nodes;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const { group } = node;
    const label = shorten(group.label);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = group.id;
    item.description = String(group.papers.length);
    item.tooltip = group.description ? new vscode.MarkdownString(`**${escapeMarkdown(label)}**\n\n${escapeMarkdown(shorten(group.description))}`) : label;
    item.iconPath = new vscode.ThemeIcon(GROUPINGS[this.groupBy].icon);
    item.contextValue = 'group';
    item.accessibilityInformation = { label: `${label}, ${group.papers.length} papers` };
    return item;
  }
}

/** Codicons for the reading status, in the tree and in Set Reading Status. */
export const STATUS_ICONS: Readonly<Record<ReadingStatus, string>> = {
  'to-read': 'circle-large-outline',
  reading: 'eye',
  read: 'pass-filled',
};
const STATUS_COLORS: Readonly<Partial<Record<ReadingStatus, string>>> = { read: 'charts.green', reading: 'charts.blue' };

function paperItem(node: PaperNode, state: PaperReadingState, cited: number): vscode.TreeItem {
  const { paper } = node;
  const title = shorten(paper.title);
  const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
  // A paper can sit under several topics: the id must be unique per place, not per paper.
  item.id = `${node.parent.group.id}/${paper.key}`;
  item.description = [firstAuthorLabel(paper), paper.year, cited > 0 ? `cited ${cited}×` : ''].filter(Boolean).join(' · ');
  item.tooltip = paperTooltip(paper, state, cited);
  // The reading status, once set, says more than whether there is code (the context menu still knows).
  const { status } = state;
  item.iconPath = status
    ? new vscode.ThemeIcon(STATUS_ICONS[status], STATUS_COLORS[status] ? new vscode.ThemeColor(STATUS_COLORS[status] as string) : undefined)
    : new vscode.ThemeIcon(paper.links.code ? 'file-code' : 'file-text');
  const tags = paperTags(paper, state);
  const spoken = [title, item.description, status ? READING_STATUS_LABELS[status] : '', tags.length ? `tags ${tags.join(', ')}` : ''];
  item.accessibilityInformation = { label: spoken.filter(Boolean).join(', ') };
  item.contextValue = paperContextValue(paper);
  item.command = { command: 'litnotes.showPaper', title: 'Show Paper Details', arguments: [paper.key] };
  return item;
}

/** Space-separated flags that the menus in package.json test with regular expressions. */
function paperContextValue(paper: Paper): string {
  const flags = ['paper'];
  for (const kind of LINK_KINDS) if (paper.links[kind]) flags.push(LINKS[kind].contextFlag);
  if (paper.zotero) flags.push('zotero');
  return flags.join(' ');
}

/** The summary of the paper, then what this workspace knows of it. Plain Markdown (no command runs from a tooltip), every field escaped. */
function paperTooltip(paper: Paper, state: PaperReadingState, cited: number): vscode.MarkdownString {
  const tags = paperTags(paper, state);
  const notes = [
    state.status ? READING_STATUS_LABELS[state.status] : '',
    tags.length ? `Tags: ${tags.join(', ')}` : '',
    cited > 0 ? `Cited ${cited}× in the workspace's notes` : '',
  ].filter(Boolean);
  const workspace = notes.length ? `\n\n---\n\n${escapeMarkdown(shorten(notes.join(' · ')))}` : '';
  return new vscode.MarkdownString(paperSummary(paper, 'firstSentence') + workspace);
}

/** The tree view itself: owns the provider and reveals papers and groups on request. */
export class PapersView implements vscode.Disposable {
  readonly provider: PapersTreeProvider;
  readonly treeView: vscode.TreeView<PapersTreeNode>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(library: LibraryService, settings: Settings, readingState: ReadingStateService, citations: CitationIndex) {
    this.provider = new PapersTreeProvider(library, settings, readingState, citations);
    this.treeView = vscode.window.createTreeView('litnotes.papers', {
      treeDataProvider: this.provider,
      showCollapseAll: true,
      canSelectMany: true,
    });
    const describe = (): void => {
      this.treeView.description = `${library.papers.length} papers by ${GROUPINGS[settings.groupBy].label.toLowerCase()}`;
    };
    describe();
    this.subscriptions.push(this.provider, this.treeView, this.provider.onDidChangeTreeData(describe));
  }

  async revealPaper(key: string): Promise<void> {
    const node = this.provider.findPaperNode(key);
    if (node) await this.treeView.reveal(node, { select: true, focus: false, expand: true });
  }

  /** Selects and expands a group; false when the tree has no such group. */
  async revealGroup(groupId: string): Promise<boolean> {
    const node = this.provider.findGroupNode(groupId);
    if (!node) return false;
    await this.treeView.reveal(node, { select: true, focus: true, expand: true });
    return true;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
