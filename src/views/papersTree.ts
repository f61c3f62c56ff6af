import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';
import { groupPaperCount, groupPapers, GROUPINGS, UNSORTED_GROUP_ID, type GroupSummary, type PaperGroup } from '../core/grouping';
import { countOf } from '../core/labels';
import { firstAuthorLabel } from '../core/library';
import { LINK_KINDS, LINKS } from '../core/links';
import { escapeMarkdown, shorten } from '../core/markdown';
import type { GroupBy, Paper, Topic, TopicOrigin } from '../core/model';
import { paperSummary } from '../core/paperSummary';
import { paperTags, READING_STATUS_LABELS, type PaperReadingState, type ReadingStatus } from '../core/readingState';
import type { BacklinkIndex } from '../services/backlinkIndex';
import type { LibraryOverview } from '../services/libraryCacheState';
import type { LibraryService } from '../services/libraryService';
import type { LibraryFileReport, LibraryFileReports } from '../services/librarySources';
import type { ReadingStateService } from '../services/readingStateService';
import type { Settings } from '../services/settings';
import type { TopicsService } from '../services/topicsService';
import { PapersDragAndDrop } from './topicDragAndDrop';

export interface GroupNode {
  readonly kind: 'group';
  readonly group: PaperGroup;
  /** The topic row it is a sub-topic of. */
  readonly parent?: GroupNode;
}

export interface PaperNode {
  readonly kind: 'paper';
  readonly paper: Paper;
  readonly parent: GroupNode;
}

/** A row per entry of `litnotes.library.files`: how many of its entries are papers, merged or skipped. */
export interface FileNode {
  readonly kind: 'file';
  readonly report: LibraryFileReport;
}

export type PapersTreeNode = FileNode | GroupNode | PaperNode;

const EXPANDED_KEY = 'litnotes.tree.expanded';
/** Enough for every grouping's rows; the oldest are forgotten first. */
const MAX_EXPANDED = 300;

/** Which group rows are open, kept in the workspace's state so that a reload opens them again. */
export class ExpandedGroups {
  private readonly ids: Set<string>;

  constructor(private readonly state: vscode.Memento) {
    const stored = state.get<unknown>(EXPANDED_KEY);
    this.ids = new Set(Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : []);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  set(id: string, expanded: boolean): void {
    if (expanded === this.ids.has(id)) return;
    if (expanded) this.ids.add(id);
    else this.ids.delete(id);
    this.save();
  }

  clear(): void {
    this.ids.clear();
    this.save();
  }

  private save(): void {
    void this.state.update(EXPANDED_KEY, [...this.ids].slice(-MAX_EXPANDED));
  }
}

/**
 * The "Papers" view. Nodes are cached per grouping so that `getParent` and `reveal` see the same
 * objects `getChildren` returned; paper nodes of a group are made only when the group is opened,
 * which keeps very large libraries cheap until a person looks at them.
 */
export class PapersTreeProvider extends Disposable implements vscode.TreeDataProvider<PapersTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<PapersTreeNode | PapersTreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private roots: GroupNode[] | undefined;
  private files: FileNode[] | undefined;
  private readonly children = new Map<GroupNode, PaperNode[]>();
  private readonly subgroups = new Map<GroupNode, GroupNode[]>();
  /** The rows made from the library's overview while its papers load, with their papers' counts. */
  private overviewRows?: PapersTreeNode[];
  private readonly overviewCounts = new WeakMap<PaperGroup, number>();

  constructor(
    private readonly library: LibraryService,
    private readonly settings: Settings,
    private readonly readingState: ReadingStateService,
    private readonly backlinks: BacklinkIndex,
    private readonly sources: LibraryFileReports,
    private readonly expanded: ExpandedGroups,
  ) {
    super();
    // The file reports change with the library: they are made by the same load.
    this._register(library.onDidChange(() => this.refresh()));
    this._register(library.onDidChangeOverview(() => this.refresh()));
    this._register(
      settings.onDidChange((key) => {
        if (key === 'tree.groupBy') this.refresh();
      }),
    );
    // A status or tag can move a paper to another group; citation counts only change the paper rows
    // made so far. Those alone are refreshed: a whole-tree refresh while a person opens or closes a
    // group can lose that change (and the open groups kept for the next reload with it).
    this._register(readingState.onDidChange(() => this.refresh()));
    this._register(
      backlinks.onDidChange(() => {
        const shown = [...this.children.values()].flat();
        if (shown.length > 0) this.changed.fire(shown);
      }),
    );
  }

  get groupBy(): GroupBy {
    return this.settings.groupBy;
  }

  refresh(): void {
    this.roots = undefined;
    this.files = undefined;
    this.overviewRows = undefined;
    this.children.clear();
    this.subgroups.clear();
    this.changed.fire(undefined);
  }

  /** The library files first (only when the settings name some), then the groups. */
  async getChildren(node?: PapersTreeNode): Promise<PapersTreeNode[]> {
    if (!node) {
      // A start from the cache: its rows at once, the papers when they are read.
      await this.library.overviewOrReady();
      const overview = this.library.overview;
      if (overview?.groupBy === this.groupBy) return (this.overviewRows ??= this.overviewNodes(overview));
      await this.library.ready;
      this.files ??= this.sources.reports.map((report) => ({ kind: 'file' as const, report }));
      return [...this.files, ...this.rootNodes()];
    }
    if (node.kind === 'group' && this.overviewCounts.has(node.group)) {
      // A row of the overview opened before the papers are there: the same row's children, once they are.
      await this.library.ready;
      const loaded = this.findGroupNode(node.group.id);
      return loaded ? this.getChildren(loaded) : [];
    }
    return node.kind === 'group' ? [...this.subgroupNodes(node), ...this.paperNodes(node)] : [];
  }

  private overviewNodes(overview: LibraryOverview): PapersTreeNode[] {
    const toGroup = (summary: GroupSummary): PaperGroup => {
      const { count, children, ...row } = summary;
      const group: PaperGroup = { ...row, papers: [], ...(children && { children: children.map(toGroup) }) };
      this.overviewCounts.set(group, count);
      return group;
    };
    const files = overview.files.map(({ path, ...report }) => ({ kind: 'file' as const, report: { ...report, uri: path === undefined ? undefined : vscode.Uri.file(path) } }));
    return [...files, ...overview.groups.map((summary) => ({ kind: 'group' as const, group: toGroup(summary) }))];
  }

  getParent(node: PapersTreeNode): PapersTreeNode | undefined {
    return node.kind === 'file' ? undefined : node.parent;
  }

  getTreeItem(node: PapersTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'file':
        return fileItem(node.report);
      case 'group':
        return this.groupItem(node);
      case 'paper':
        return paperItem(node, this.readingState.get(node.paper.key), this.backlinks.count(node.paper));
    }
  }

  /** The node under which a paper is first listed (its primary topic when grouped by topic). */
  findPaperNode(key: string): PaperNode | undefined {
    const paper = this.library.getPaper(key);
    if (!paper) return undefined;
    const groups = this.allGroupNodes();
    const primary = this.groupBy === 'topic' ? groups.find((node) => node.group.id === `topic:${paper.topics[0]}`) : undefined;
    for (const group of primary ? [primary, ...groups] : groups) {
      const found = this.paperNodes(group).find((node) => node.paper.key === key);
      if (found) return found;
    }
    return undefined;
  }

  findGroupNode(groupId: string): GroupNode | undefined {
    return this.allGroupNodes().find((node) => node.group.id === groupId);
  }

  /** Every group row, sub-topics after their parent. */
  allGroupNodes(): GroupNode[] {
    const all: GroupNode[] = [];
    const visit = (node: GroupNode) => {
      all.push(node);
      this.subgroupNodes(node).forEach(visit);
    };
    this.rootNodes().forEach(visit);
    return all;
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

  private subgroupNodes(parent: GroupNode): GroupNode[] {
    let nodes = this.subgroups.get(parent);
    if (!nodes) {
      nodes = (parent.group.children ?? []).map((group) => ({ kind: 'group' as const, group, parent }));
      this.subgroups.set(parent, nodes);
    }
    return nodes;
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
    const item = new vscode.TreeItem(label, this.expanded.has(group.id) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = group.id;
    const count = this.overviewCounts.get(group) ?? groupPaperCount(group);
    item.description = String(count);
    const origin = group.topic ? TOPIC_ORIGIN_LINES[group.topic.origin ?? 'bundled'] : '';
    const lines = [`**${escapeMarkdown(label)}**`, group.description ? escapeMarkdown(shorten(group.description)) : '', origin].filter(Boolean);
    item.tooltip = lines.length > 1 ? new vscode.MarkdownString(lines.join('\n\n')) : label;
    item.iconPath = new vscode.ThemeIcon(group.topic ? topicIcon(group.topic) : GROUPINGS[this.groupBy].icon);
    item.contextValue = groupContextValue(group);
    item.accessibilityInformation = { label: `${label}, ${count} papers` };
    return item;
  }
}

/** Codicons for a topic by where it comes from, in the tree and in the topic pickers. */
const TOPIC_ICONS: Readonly<Record<TopicOrigin, string>> = {
  bundled: 'tag',
  source: 'library',
  user: 'account',
  discovered: 'sparkle',
};

export function topicIcon(topic: Topic): string {
  return topic.pinned ? 'pinned' : TOPIC_ICONS[topic.origin ?? 'bundled'];
}

/** What a topic's tooltip says of where it comes from. */
const TOPIC_ORIGIN_LINES: Readonly<Record<TopicOrigin, string>> = {
  source: '*From your library file.*',
  user: '*Made by you.*',
  discovered: "*Discovered from the papers' text.*",
  bundled: "*A topic of the bundled papers' field.*",
};

/**
 * Flags the menus in package.json test: `group`, and for a topic row `topic`, its origin, `pinned`;
 * the Unsorted row is `unsorted` (papers can be dropped there, it cannot be renamed).
 */
function groupContextValue(group: PaperGroup): string {
  if (group.topic) return ['group', 'topic', group.topic.origin ?? 'bundled', group.topic.pinned ? 'pinned' : ''].filter(Boolean).join(' ');
  return group.id === UNSORTED_GROUP_ID ? 'group unsorted' : 'group';
}

/** A library file's row: its papers, and the entries merged or skipped, which a click lists. */
function fileItem(report: LibraryFileReport): vscode.TreeItem {
  const name = report.setting.split(/[\\/]/).pop() || report.setting;
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
  item.id = `file:${report.setting}`;
  const { merged, skipped } = report;
  // What needs a look first: the row is narrow, and its end is cut off.
  const counts = [skipped.length ? `${skipped.length} skipped` : '', merged.length ? `${merged.length} merged` : '', countOf(report.papers, 'paper')].filter(Boolean);
  item.description = report.problem ? 'not loaded' : counts.join(' · ');
  const sentences = report.problem
    ? [report.problem]
    : [
        `${countOf(report.papers, 'entry', 'entries')} of this file ${report.papers === 1 ? 'is a paper' : 'are papers'} of the library.`,
        merged.length ? `${countOf(merged.length, 'entry was', 'entries were')} merged into an earlier record of the same paper.` : '',
        skipped.length ? `${countOf(skipped.length, 'entry', 'entries')} could not be read and ${skipped.length === 1 ? 'is' : 'are'} not in the library.` : '',
        merged.length || skipped.length ? 'Click to see which.' : '',
      ].filter(Boolean);
  // Plain text: a path or a parser's message is never markup.
  item.tooltip = `${report.setting}\n\n${sentences.join(' ')}`;
  const warn = report.problem !== undefined || skipped.length > 0;
  item.iconPath = warn ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('library');
  item.contextValue = 'libraryFile';
  item.accessibilityInformation = { label: `Library file ${name}, ${item.description}` };
  item.command = { command: 'litnotes.showLibraryFileEntries', title: 'Show Merged and Skipped Entries', arguments: [report.setting] };
  return item;
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
  item.tooltip = paperTooltip(paper, state, cited, placeReason(node));
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

/** Why the paper is under the topic row it is shown under: from the source, the user, or the terms it shares with the topic. */
function placeReason(node: PaperNode): string {
  const topic = node.parent.group.topic;
  if (!topic) return '';
  const reason = node.paper.topicReasons?.find((candidate) => candidate.topic === topic.id);
  const name = `"${shorten(topic.label, 80)}"`;
  switch (reason?.origin) {
    case 'user':
      return topic.pinned ? `In ${name}, a discovered topic you pinned.` : `In ${name} because you put it there.`;
    case 'source':
      return `In ${name} because your library file says so (its groups or keywords).`;
    case 'discovered':
      return reason.terms?.length ? `In ${name} because it shares ${reason.terms.slice(0, 5).map((term) => `"${term}"`).join(', ')} with its papers.` : `In ${name}: discovered from its text.`;
    case 'bundled':
      return `In ${name} because its text is close to that topic's bundled papers.`;
    default:
      return (topic.origin ?? 'bundled') === 'bundled' ? `In ${name}, as the bundled library files it.` : '';
  }
}

/** The summary of the paper, then why it is here and what this workspace knows of it. Plain Markdown (no command runs from a tooltip), every field escaped. */
function paperTooltip(paper: Paper, state: PaperReadingState, cited: number, reason: string): vscode.MarkdownString {
  const tags = paperTags(paper, state);
  const notes = [
    state.status ? READING_STATUS_LABELS[state.status] : '',
    tags.length ? `Tags: ${tags.join(', ')}` : '',
    cited > 0 ? `Cited ${cited}× in the workspace's notes` : '',
  ].filter(Boolean);
  const why = reason ? `\n\n---\n\n${escapeMarkdown(reason)}` : '';
  const workspace = notes.length ? `\n\n---\n\n${escapeMarkdown(shorten(notes.join(' · ')))}` : '';
  return new vscode.MarkdownString(paperSummary(paper, 'firstSentence') + why + workspace);
}

/** The tree view itself: owns the provider, remembers the open groups and reveals papers and groups on request. */
export class PapersView extends Disposable {
  readonly provider: PapersTreeProvider;
  readonly treeView: vscode.TreeView<PapersTreeNode>;
  /** Moves papers between topics (also driven by the integration tests, as a drop would). */
  readonly dragAndDrop: PapersDragAndDrop;
  private readonly expanded: ExpandedGroups;

  constructor(
    library: LibraryService,
    settings: Settings,
    readingState: ReadingStateService,
    backlinks: BacklinkIndex,
    sources: LibraryFileReports,
    topics: TopicsService,
    workspaceState: vscode.Memento,
  ) {
    super();
    const expanded = (this.expanded = new ExpandedGroups(workspaceState));
    this.provider = this._register(new PapersTreeProvider(library, settings, readingState, backlinks, sources, expanded));
    this.dragAndDrop = new PapersDragAndDrop(topics, () => settings.groupBy === 'topic');
    this.treeView = this._register(
      vscode.window.createTreeView('litnotes.papers', {
        treeDataProvider: this.provider,
        dragAndDropController: this.dragAndDrop,
        // VS Code's own Collapse All tells the extension nothing, so the open groups would come back
        // after a reload: the view's Collapse All is litnotes.collapseAll.
        showCollapseAll: false,
        canSelectMany: true,
      }),
    );
    this._register(this.treeView.onDidExpandElement(({ element }) => element.kind === 'group' && expanded.set(element.group.id, true)));
    this._register(this.treeView.onDidCollapseElement(({ element }) => element.kind === 'group' && expanded.set(element.group.id, false)));
    const describe = (): void => {
      this.treeView.description = `${countOf(library.papers.length, 'paper')} by ${GROUPINGS[settings.groupBy].label.toLowerCase()}`;
    };
    describe();
    this._register(this.provider.onDidChangeTreeData(describe));
    // "No papers in the library" is true only once a load has finished, not while the first one runs.
    this._register(library.onDidChange(() => void vscode.commands.executeCommand('setContext', 'litnotes.libraryLoaded', true)));
  }

  /** Closes every group, and forgets them. */
  async collapseAll(): Promise<void> {
    this.expanded.clear();
    await vscode.commands.executeCommand('workbench.actions.treeView.litnotes.papers.collapseAll');
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
}
