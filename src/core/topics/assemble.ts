/**
 * Every paper's topics, by precedence: what the user decided (topics.json) over the source's own
 * topics (groups, collections, shared keywords) over a bundled topic the paper clearly belongs to
 * (TopicModel) over a topic discovered from the papers' text; a paper none of these places is
 * Unsorted. Each rule is asked only for the papers the ones before it left without a topic, so
 * discovery never undoes what the user or the source said.
 *
 * Two steps, so that discovery (the costly one) can run in a worker: `planTopics` applies the first
 * three rules and says what discovery is asked; `finish` takes discovery's answer and gives the library.
 */
import type { Library, Paper, Topic, TopicOrigin, TopicReason } from '../model';
import { fold } from '../search/text';
import type { MergedPaper } from '../sources/merge';
import type { TopicModel } from '../sources/topicAssign';
import type { Discovery, DiscoveryInput, PinnedTopic } from './discovery';
import { keywordTopics, type SourceTopic } from './sourceTopics';
import { resolveTopicId, USER_TOPIC_PREFIX, type TopicDecisions } from './topicsFile';

export interface TopicsInput {
  papers: readonly MergedPaper[];
  /** The topics the sources define (groups, collections), in source order. */
  sourceTopics: readonly SourceTopic[];
  /** The bundled taxonomy. */
  taxonomy: readonly Topic[];
  decisions: TopicDecisions;
  /** Learns the bundled topics (costly: only asked for when a paper needs it). */
  topicModel: () => Pick<TopicModel, 'assign'>;
  /** Whether papers no other rule places are given discovered topics (off: they are Unsorted). */
  discover?: boolean;
}

/** What discovery is asked: plain data, so that it can go to a worker. */
export interface DiscoveryRequest {
  papers: DiscoveryInput[];
  pinned: PinnedTopic[];
  /**
   * Keys of the papers the user placed (moved, added to topics, members of a pinned topic): not
   * discovered, and a paper that leaves discovery for one is the user's decision, not a change of
   * the library that would call for a whole discovery. Absent: none.
   */
  decided?: string[];
}

export interface TopicPlan {
  request: DiscoveryRequest;
  finish(discovery: Discovery): Library;
}

/** No discovery: what `finish` is given when nothing was asked. */
export const NO_DISCOVERY: Discovery = { topics: [], assignments: new Map() };

interface Placed {
  topics: string[];
  reasons: TopicReason[];
}

const DESCRIPTIONS: Readonly<Record<Exclude<TopicOrigin, 'bundled' | 'discovered'>, string>> = {
  user: 'A topic you made.',
  source: 'A group of your library file.',
};

export function planTopics(input: TopicsInput): TopicPlan {
  const { decisions } = input;
  const resolve = (id: string) => resolveTopicId(decisions, id);
  const taxonomyByName = new Map<string, string>();
  for (const topic of input.taxonomy) {
    taxonomyByName.set(fold(topic.id), topic.id);
    taxonomyByName.set(fold(topic.label), topic.id);
  }
  // Keywords that name a bundled topic file the paper there; the others may make topics of their own.
  // Papers in a group of their file take no keyword topics: the groups are the user's own order.
  const keywordInput = input.papers
    .filter((entry) => entry.sourceTopics.length === 0)
    .map((entry) => ({ key: entry.paper.key, keywords: entry.keywords.filter((keyword) => !taxonomyByName.has(fold(keyword.trim()))) }));
  const keywords = keywordTopics(keywordInput);
  const pinned = [...decisions.topics].filter(([, decision]) => decision.pinned && !decision.deleted && !decision.mergedInto);
  const pinnedOf = new Map<string, string[]>();
  for (const [id, decision] of pinned) for (const key of decision.members ?? []) pinnedOf.set(key, [...(pinnedOf.get(key) ?? []), id]);

  let model: Pick<TopicModel, 'assign'> | undefined;
  const placed = new Map<string, Placed>();
  const pending: MergedPaper[] = [];
  const decided: string[] = [];
  const by = (origin: TopicOrigin, ids: readonly string[]): Placed | undefined => {
    const topics = [...new Set(ids.flatMap((id) => resolve(id) ?? []))];
    return topics.length > 0 ? { topics, reasons: topics.map((topic) => ({ topic, origin })) } : undefined;
  };
  for (const entry of input.papers) {
    const { paper } = entry;
    // The paper's own list says it all (an empty one: Unsorted); else the pinned topics that hold it.
    const chosen = decisions.papers.get(paper.key);
    const user = by('user', chosen ?? pinnedOf.get(paper.key) ?? []);
    if (user || chosen) {
      placed.set(paper.key, user ?? { topics: [], reasons: [] });
      decided.push(paper.key);
      continue;
    }
    const named = entry.keywords.flatMap((keyword) => taxonomyByName.get(fold(keyword.trim())) ?? []);
    const source = by('source', entry.sourceTopics.length > 0 ? entry.sourceTopics : [...named, ...(keywords.members.get(paper.key) ?? [])]);
    if (source) {
      placed.set(paper.key, source);
      continue;
    }
    const bundled = by('bundled', paper.topics.length > 0 ? paper.topics : (model ??= input.topicModel()).assign(paper, entry.keywords));
    if (bundled) {
      // The bundled library's own papers carry the hand-made taxonomy: no reason to give.
      placed.set(paper.key, paper.topics.length > 0 ? { topics: bundled.topics, reasons: [] } : bundled);
      continue;
    }
    pending.push(entry);
  }

  const request: DiscoveryRequest = {
    papers: input.discover === false ? [] : pending.map(({ paper, keywords: words }) => discoveryInput(paper, words)),
    pinned: pinned.map(([id, decision]) => ({ id, label: decision.label as string, members: decision.members ?? [] })),
    decided,
  };

  return {
    request,
    finish(discovery: Discovery): Library {
      for (const { paper } of pending) {
        const evidence = discovery.assignments.get(paper.key) ?? [];
        const reasons: TopicReason[] = [];
        for (const item of evidence) {
          const topic = resolve(item.topic);
          if (topic && !reasons.some((reason) => reason.topic === topic)) reasons.push({ topic, origin: 'discovered', terms: item.terms });
        }
        placed.set(paper.key, { topics: reasons.map((reason) => reason.topic), reasons });
      }
      const topics = topicList(input, keywords.topics, discovery, placed);
      const known = new Set(topics.map((topic) => topic.id));
      const papers: Paper[] = input.papers.map(({ paper }) => {
        const { topics: ids, reasons } = placed.get(paper.key) ?? { topics: [], reasons: [] };
        const kept = ids.filter((id) => known.has(id));
        const why = reasons.filter((reason) => known.has(reason.topic));
        const next: Paper = { ...paper, topics: kept };
        if (why.length > 0) next.topicReasons = why;
        else delete next.topicReasons;
        return next;
      });
      return { papers, topics };
    },
  };
}

/** What discovery reads of a paper. */
function discoveryInput(paper: Paper, keywords: readonly string[]): DiscoveryInput {
  return {
    key: paper.key,
    title: paper.title,
    ...(paper.abstract && { abstract: paper.abstract }),
    ...(paper.venue && { venue: paper.venue }),
    ...(keywords.length > 0 && { keywords: [...keywords] }),
    ...(paper.authors.length > 0 && { authors: paper.authors.map((author) => author.family) }),
  };
}

/**
 * The library's topics in the tree's order: the user's, the sources', the bundled taxonomy, then
 * the discovered ones, largest first. Renames and parents from the decisions are applied; deleted and
 * merged topics are left out; a parent that is not a topic (or would make a cycle) is dropped.
 */
function topicList(input: TopicsInput, keywordList: readonly SourceTopic[], discovery: Discovery, placed: ReadonlyMap<string, Placed>): Topic[] {
  const { decisions } = input;
  const byId = new Map<string, Topic>();
  const add = (topic: Topic) => {
    if (byId.has(topic.id)) return;
    const decision = decisions.topics.get(topic.id);
    if (decision?.deleted || decision?.mergedInto) return;
    byId.set(topic.id, { ...topic, ...(decision?.label && { label: decision.label }), ...(decision?.parent && { parent: decision.parent }) });
  };
  const userTopics = [...decisions.topics].filter(([id, decision]) => id.startsWith(USER_TOPIC_PREFIX) && decision.label);
  for (const [id, decision] of userTopics.sort(([, a], [, b]) => (a.label as string).localeCompare(b.label as string))) {
    add({ id, label: decision.label as string, description: DESCRIPTIONS.user, origin: 'user' });
  }
  for (const topic of input.sourceTopics) add({ id: topic.id, label: topic.label, description: DESCRIPTIONS.source, origin: 'source', ...(topic.parent && { parent: topic.parent }) });
  for (const topic of keywordList) {
    add({ id: topic.id, label: topic.label, description: `The keyword "${topic.label}" of your library file.`, origin: 'source', ...(topic.parent && { parent: topic.parent }) });
  }
  for (const topic of input.taxonomy) add(topic);
  const sizes = new Map<string, number>();
  for (const { topics } of placed.values()) for (const id of topics) sizes.set(id, (sizes.get(id) ?? 0) + 1);
  const discovered = new Map(discovery.topics.map((topic) => [topic.id, topic]));
  for (const [id, decision] of decisions.topics) {
    if (!decision.pinned) continue;
    const terms = discovered.get(id)?.terms ?? [];
    add({ id, label: decision.label as string, description: describeDiscovered(terms, true), origin: 'discovered', pinned: true });
  }
  const bySize = [...discovery.topics].sort((a, b) => (sizes.get(b.id) ?? 0) - (sizes.get(a.id) ?? 0) || a.label.localeCompare(b.label));
  for (const topic of bySize) add({ id: topic.id, label: topic.label, description: describeDiscovered(topic.terms, false), origin: 'discovered' });
  // A parent must be a topic, reached without coming back to the child.
  for (const topic of byId.values()) {
    const parent = topic.parent && resolveTopicId(decisions, topic.parent);
    if (!parent || !byId.has(parent) || parent === topic.id) {
      delete topic.parent;
      continue;
    }
    topic.parent = parent;
  }
  for (const topic of byId.values()) {
    const seen = new Set([topic.id]);
    for (let up = topic.parent; up !== undefined; up = byId.get(up)?.parent) {
      if (seen.has(up)) {
        delete topic.parent;
        break;
      }
      seen.add(up);
    }
  }
  return [...byId.values()];
}

function describeDiscovered(terms: readonly string[], pinned: boolean): string {
  const shared = terms.length > 0 ? `Found in the papers' text: they share ${terms.slice(0, 6).join(', ')}.` : "Found in the papers' text.";
  return pinned ? `${shared} Pinned: it keeps its papers and name.` : shared;
}
