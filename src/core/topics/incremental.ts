/**
 * Discovery across reloads of the library: when only a few papers came or went since the last
 * discovery, the papers that came join the topic whose terms they share (or none) and the others
 * stay exactly where they were, instead of a whole discovery that may move papers near the borders
 * of every topic. A whole discovery is run when the library changed much, or is small (then it takes
 * milliseconds and has few topics to move), or a pinned topic went.
 */
import { checksum } from '../cache/container';
import type { DiscoveryRequest } from './assemble';
import { assignToDiscovered, type Discovery, type DiscoveredTopic, type DiscoveryInput, type PinnedTopic, type TopicEvidence } from './discovery';

/** A discovery with what it was asked, to compare the next request with. */
export interface DiscoveryRun {
  discovery: Discovery;
  /**
   * Each paper's input as discovery read it, by key; restored from a saved state (discoveryState.ts),
   * its `inputDigest` instead, which tells as well whether the paper changed.
   */
  inputs: ReadonlyMap<string, DiscoveryInput | string>;
  pinned: readonly PinnedTopic[];
}

/** Below this many papers a whole discovery is quick and has few topics to move: it is always run. */
export const INCREMENTAL_FROM = 50;
/** A whole discovery is run when more than this share of the papers came, went or changed at once. */
export const INCREMENTAL_SHARE = 0.1;

/** Each input's digest, worked out once: a restored state compares every paper, then is saved again. */
const digests = new WeakMap<DiscoveryInput, string>();

/** What discovery reads of a paper, as 32 hex digits: the same digest, the same input. */
export function inputDigest(input: DiscoveryInput): string {
  let digest = digests.get(input);
  if (digest === undefined) {
    const fields = [input.title, input.abstract ?? null, input.venue ?? null, input.keywords ?? [], input.authors ?? []];
    digest = checksum(new TextEncoder().encode(JSON.stringify(fields)));
    digests.set(input, digest);
  }
  return digest;
}

/** Whether discovery reads the same of two papers (field by field: no copy of the texts is made). */
function sameInput(a: DiscoveryInput | string | undefined, b: DiscoveryInput | undefined): boolean {
  if (!a || !b) return a === b;
  if (typeof a === 'string') return a === inputDigest(b);
  const sameList = (x: readonly string[] = [], y: readonly string[] = []) => x.length === y.length && x.every((item, at) => item === y[at]);
  const same = a.title === b.title && a.abstract === b.abstract && a.venue === b.venue && sameList(a.keywords, b.keywords) && sameList(a.authors, b.authors);
  // An unchanged paper keeps its digest: saving the state then hashes only the papers that changed.
  const digest = same && digests.get(a);
  if (digest) digests.set(b, digest);
  return same;
}

export function discoveryRun(request: DiscoveryRequest, discovery: Discovery): DiscoveryRun {
  return { discovery, inputs: new Map(request.papers.map((paper) => [paper.key, paper])), pinned: request.pinned };
}

/**
 * The discovery for `request` made from the previous run without clustering again, or undefined
 * when a whole discovery is due. Papers gone (or changed) leave their topics, papers new (or
 * changed) are placed by `assignToDiscovered`, newly pinned topics take their members; every other
 * paper keeps its topics and every topic its id, label and terms.
 */
export function updateDiscovery(previous: DiscoveryRun | undefined, request: DiscoveryRequest): DiscoveryRun | undefined {
  if (!previous || previous.inputs.size < INCREMENTAL_FROM) return undefined;
  const pinnedNow = new Map(request.pinned.map((topic) => [topic.id, topic]));
  if (previous.pinned.some((topic) => !pinnedNow.has(topic.id))) return undefined;
  const inputs = new Map(request.papers.map((paper) => [paper.key, paper]));
  const added = request.papers.filter((paper) => !sameInput(previous.inputs.get(paper.key), paper));
  const gone = [...previous.inputs].filter(([key, paper]) => !sameInput(paper, inputs.get(key))).map(([key]) => key);
  // Papers the user placed since (a topic pinned, papers moved) left discovery by their word: pinning
  // a large topic must not reshuffle every other one.
  const decided = new Set(request.decided);
  const changed = new Set([...added.map((paper) => paper.key), ...gone.filter((key) => inputs.has(key) || !decided.has(key))]).size;
  if (changed > INCREMENTAL_SHARE * previous.inputs.size) return undefined;

  const assignments = new Map(previous.discovery.assignments);
  for (const key of gone) assignments.delete(key);
  // The pinned topics first, as a whole discovery lists them, each with the terms it had.
  const known = new Map(previous.discovery.topics.map((topic) => [topic.id, topic]));
  const pinnedTopics: DiscoveredTopic[] = request.pinned.map((topic) => ({ id: topic.id, label: topic.label, terms: known.get(topic.id)?.terms ?? [] }));
  const pinnedIds = new Set(pinnedTopics.map((topic) => topic.id));
  const byTopic = new Map(pinnedTopics.map((topic) => [topic.id, topic]));
  const papers = new Map(request.papers.map((paper) => [paper.key, paper]));
  const pinnedOf = new Map<string, string[]>();
  for (const topic of request.pinned) for (const key of new Set(topic.members)) pinnedOf.set(key, [...(pinnedOf.get(key) ?? []), topic.id]);
  for (const [key, ids] of pinnedOf) {
    const paper = papers.get(key);
    if (!paper) continue;
    const before = assignments.get(key) ?? [];
    // A pinned topic keeps its members whatever they share with it; the terms they share explain it.
    const evidenceFor = (id: string): TopicEvidence =>
      before.find((evidence) => evidence.topic === id) ?? assignToDiscovered({ topics: [byTopic.get(id)!], assignments }, paper)[0] ?? { topic: id, terms: [], score: 0 };
    assignments.set(key, ids.map(evidenceFor));
  }
  const topics = [...pinnedTopics, ...previous.discovery.topics.filter((topic) => !pinnedIds.has(topic.id))];
  const discovery: Discovery = { topics, assignments };
  for (const paper of added) {
    if (pinnedOf.has(paper.key)) continue;
    const evidence = assignToDiscovered(discovery, paper);
    if (evidence.length > 0) assignments.set(paper.key, evidence);
    else assignments.delete(paper.key);
  }
  // A discovered topic whose papers all went is gone too (a pinned one stays, as in a whole discovery).
  const used = new Set([...assignments.values()].flatMap((evidence) => evidence.map((entry) => entry.topic)));
  discovery.topics = topics.filter((topic) => pinnedIds.has(topic.id) || used.has(topic.id));
  return { discovery, inputs, pinned: request.pinned };
}
