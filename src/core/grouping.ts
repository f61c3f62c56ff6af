import { isPreprintVenue } from './library';
import { groupByCollection } from './collectionGroups';
import type { GroupBy, LibraryCollection, Paper, Topic } from './model';
import { paperTags, READING_STATUS_LABELS, READING_STATUSES, tagKey, type PaperReadingState } from './readingState';
import { fold } from './search/text';

/** Each way to group the Papers view: its name (the Group By picker, the view's "by …" line) and its codicon (group rows, picker). */
export const GROUPINGS: Readonly<Record<GroupBy, { label: string; icon: string }>> = {
  topic: { label: 'Topic', icon: 'tag' },
  year: { label: 'Year', icon: 'calendar' },
  venue: { label: 'Venue', icon: 'mortar-board' },
  organization: { label: 'Organisation', icon: 'organization' },
  status: { label: 'Reading status', icon: 'tasklist' },
  tag: { label: 'Tag', icon: 'bookmark' },
  collection: { label: 'Zotero collection', icon: 'folder-library' },
};

export interface PaperGroup {
  /**
   * Stable across reloads, for tree item ids and reveal: `topic:<id>`, `year:2024`, `venue:ICML 2024`,
   * `organization:NVIDIA`, `status:read`, `tag:rlhf` (a tag's id is lower case). The catch-all groups have ids without a colon, so no value can collide with them.
   */
  id: string;
  label: string;
  /** What belongs here (a topic's description). */
  description?: string;
  /** Newest first, then by title. A topic's own papers: those of its sub-topics are in `children`. */
  papers: Paper[];
  /** The topic the group stands for (grouped by topic). */
  topic?: Topic;
  /** Sub-topics, in the taxonomy's order (grouped by topic, where topics have parents). */
  children?: PaperGroup[];
}

/** How many papers a group holds with its sub-groups, each paper once. */
export function groupPaperCount(group: PaperGroup): number {
  if (!group.children) return group.papers.length;
  const keys = new Set<string>();
  const visit = (node: PaperGroup) => {
    for (const paper of node.papers) keys.add(paper.key);
    node.children?.forEach(visit);
  };
  visit(group);
  return keys.size;
}

/** A group as the tree shows it before its papers are there: their count, and its sub-groups the same way. */
export interface GroupSummary extends Omit<PaperGroup, 'papers' | 'children'> {
  count: number;
  children?: GroupSummary[];
}

export function summarizeGroups(groups: readonly PaperGroup[]): GroupSummary[] {
  return groups.map((group) => ({
    id: group.id,
    label: group.label,
    ...(group.description !== undefined && { description: group.description }),
    ...(group.topic && { topic: group.topic }),
    count: groupPaperCount(group),
    ...(group.children && { children: summarizeGroups(group.children) }),
  }));
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTopicLike = (value: unknown) => isRecord(value) && typeof value.id === 'string' && typeof value.label === 'string';

/** Whether `value` is a list of group summaries in every field the tree reads (a stored one is checked before it is shown). */
export function isGroupSummaryList(value: unknown): value is GroupSummary[] {
  return (
    Array.isArray(value) &&
    value.every(
      (group: unknown) =>
        isRecord(group) && typeof group.id === 'string' && typeof group.label === 'string' && Number.isSafeInteger(group.count) && (group.count as number) >= 0 &&
        (group.description === undefined || typeof group.description === 'string') &&
        (group.topic === undefined || isTopicLike(group.topic)) &&
        (group.children === undefined || isGroupSummaryList(group.children)),
    )
  );
}

/** The id of the group of papers with no topic. */
export const UNSORTED_GROUP_ID = 'topic-unsorted';
const UNSORTED: Omit<PaperGroup, 'papers'> = { id: UNSORTED_GROUP_ID, label: 'Unsorted' };
const UNKNOWN_YEAR: Omit<PaperGroup, 'papers'> = { id: 'year-unknown', label: 'Unknown year' };
const ARXIV: Omit<PaperGroup, 'papers'> = { id: 'venue-arxiv', label: 'arXiv preprint' };
const NO_VENUE: Omit<PaperGroup, 'papers'> = { id: 'venue-none', label: 'No venue' };
const NO_ORGANIZATION: Omit<PaperGroup, 'papers'> = { id: 'organization-none', label: 'No organisation' };
const NO_STATUS: Omit<PaperGroup, 'papers'> = { id: 'status-none', label: 'No reading status' };
const UNTAGGED: Omit<PaperGroup, 'papers'> = { id: 'tag-none', label: 'Untagged' };

/** The reading state, for grouping by status or tag; kept out of Paper because it lives in the workspace, not the library. */
export interface GroupingContext {
  readingState?: (key: string) => PaperReadingState | undefined;
  /** The library's collections (Zotero's), for grouping by collection. */
  collections?: readonly LibraryCollection[];
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Groups papers for the tree. Sorts the library once and then deals papers into groups in that
 * order, so each group comes out sorted without sorting it: one pass, fine for 100,000 papers.
 */
export function groupPapers(papers: readonly Paper[], by: GroupBy, topics: readonly Topic[], context: GroupingContext = {}): PaperGroup[] {
  const sorted = sortPapers(papers);
  const stateOf = context.readingState ?? (() => undefined);
  switch (by) {
    case 'topic':
      return groupByTopic(sorted, topics);
    case 'year':
      return groupByKey(sorted, (paper) => paper.year, (a, b) => b - a, (year) => ({ id: `year:${year}`, label: String(year) }), [UNKNOWN_YEAR]);
    case 'venue':
      return groupByKey(
        sorted,
        (paper) => {
          const venue = paper.venue?.trim();
          return venue && !isPreprintVenue(venue) ? venue : undefined;
        },
        collator.compare,
        (venue) => ({ id: `venue:${venue}`, label: venue }),
        // Preprints before papers with no venue at all: both at the end.
        [ARXIV, NO_VENUE],
        (paper) => (isPreprintVenue(paper.venue) ? 0 : 1),
      );
    case 'organization':
      return groupByKey(
        sorted,
        (paper) => paper.organization?.trim() || undefined,
        collator.compare,
        (organization) => ({ id: `organization:${organization}`, label: organization }),
        [NO_ORGANIZATION],
      );
    case 'status':
      return groupByKey(
        sorted,
        (paper) => stateOf(paper.key)?.status,
        // The order of reading: to read, reading, read.
        (a, b) => READING_STATUSES.indexOf(a) - READING_STATUSES.indexOf(b),
        (status) => ({ id: `status:${status}`, label: READING_STATUS_LABELS[status] }),
        [NO_STATUS],
      );
    case 'tag':
      return groupByTag(sorted, (paper) => paperTags(paper, stateOf(paper.key)));
    case 'collection':
      return groupByCollection(sorted, context.collections ?? []);
  }
}

/**
 * A group per tag in alphabetical order, a paper under each of its tags, untagged papers last. Tags
 * differing only in case are one group, shown with the spelling met first (the reading state already
 * gives each tag one spelling, see `unifyTagSpellings`).
 */
function groupByTag(sorted: readonly Paper[], tagsOf: (paper: Paper) => readonly string[]): PaperGroup[] {
  const byTag = new Map<string, { label: string; papers: Paper[] }>();
  const untagged: Paper[] = [];
  for (const paper of sorted) {
    const keys = new Set<string>();
    for (const tag of tagsOf(paper)) {
      const key = tagKey(tag);
      if (keys.has(key)) continue;
      keys.add(key);
      let group = byTag.get(key);
      if (!group) byTag.set(key, (group = { label: tag, papers: [] }));
      group.papers.push(paper);
    }
    if (keys.size === 0) untagged.push(paper);
  }
  const groups = [...byTag.entries()]
    .sort(([a], [b]) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, { label, papers }]) => ({ id: `tag:${key}`, label, papers }));
  return untagged.length > 0 ? [...groups, { ...UNTAGGED, papers: untagged }] : groups;
}

/** Newest first (unknown year last), then by title ignoring case and accents; keys made once, not per comparison. */
function sortPapers(papers: readonly Paper[]): Paper[] {
  return papers
    .map((paper) => ({ paper, year: paper.year ?? -Infinity, title: fold(paper.title) }))
    .sort((a, b) => (a.year !== b.year ? b.year - a.year : a.title < b.title ? -1 : a.title > b.title ? 1 : 0))
    .map((entry) => entry.paper);
}

/**
 * A group per topic, in the taxonomy's order, sub-topics inside their parent's group. A topic with no
 * paper in it or below it is left out, except a topic the user made (so that papers can be put there).
 */
function groupByTopic(sorted: readonly Paper[], topics: readonly Topic[]): PaperGroup[] {
  // A Map keeps the taxonomy's order.
  const groups = new Map<string, PaperGroup>(
    topics.map((topic) => [topic.id, { id: `topic:${topic.id}`, label: topic.label, description: topic.description, papers: [], topic }]),
  );
  const unsorted: Paper[] = [];
  for (const paper of sorted) {
    let placed = false;
    for (const [index, topicId] of paper.topics.entries()) {
      const group = groups.get(topicId);
      // A topic listed twice files the paper once.
      if (!group || paper.topics.indexOf(topicId) !== index) continue;
      group.papers.push(paper);
      placed = true;
    }
    if (!placed) unsorted.push(paper);
  }
  const roots: PaperGroup[] = [];
  for (const topic of topics) {
    const group = groups.get(topic.id) as PaperGroup;
    const parent = topic.parent === undefined ? undefined : groups.get(topic.parent);
    if (parent && parent !== group && !isAbove(group, parent)) (parent.children ??= []).push(group);
    else roots.push(group);
  }
  const result = prune(roots);
  if (unsorted.length > 0) result.push({ ...UNSORTED, papers: unsorted });
  return result;
}

/** Whether `group` holds `other` somewhere below it (a parent loop in hand-made data). */
function isAbove(group: PaperGroup, other: PaperGroup): boolean {
  return (group.children ?? []).some((child) => child === other || isAbove(child, other));
}

function prune(groups: readonly PaperGroup[]): PaperGroup[] {
  return groups.flatMap((group) => {
    const children = group.children && prune(group.children);
    const kept: PaperGroup = { ...group };
    if (children?.length) kept.children = children;
    else delete kept.children;
    return kept.papers.length > 0 || kept.children || group.topic?.origin === 'user' ? [kept] : [];
  });
}

/**
 * Groups by a value, ordered by `compare`; papers without one go to the `fallbacks` at the end
 * (`fallbackOf` picks which, by index).
 */
function groupByKey<K>(
  sorted: readonly Paper[],
  keyOf: (paper: Paper) => K | undefined,
  compare: (a: K, b: K) => number,
  describe: (key: K) => Omit<PaperGroup, 'papers'>,
  fallbacks: readonly Omit<PaperGroup, 'papers'>[],
  fallbackOf: (paper: Paper) => number = () => 0,
): PaperGroup[] {
  const byKey = new Map<K, Paper[]>();
  const rest: Paper[][] = fallbacks.map(() => []);
  for (const paper of sorted) {
    const key = keyOf(paper);
    if (key === undefined) {
      rest[fallbackOf(paper)].push(paper);
      continue;
    }
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = []));
    group.push(paper);
  }
  return [
    ...[...byKey.keys()].sort(compare).map((key) => ({ ...describe(key), papers: byKey.get(key) as Paper[] })),
    ...fallbacks.map((fallback, index) => ({ ...fallback, papers: rest[index] })).filter((group) => group.papers.length > 0),
  ];
}
