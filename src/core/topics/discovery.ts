/**
 * Topics discovered from the papers themselves, offline: each paper becomes a TF-IDF vector of the
 * words and two-word phrases of its title (counted twice), abstract and keywords, its venue and its
 * authors; the library is split in two again and again along its principal direction (bisecting
 * spherical k-means, seeded by the data, never by chance) until it has about √(n/2) topics, then
 * refined by spherical k-means; each topic is named by the terms its papers share and the others
 * do not, as written ("Interactive theorem proving · Coq").
 *
 * Deterministic and independent of the input order (papers are taken sorted by key, and every tie
 * is broken by key or term), and stable: one paper more moves the principal directions and the
 * centroids only a little, so it changes the topic of few others.
 */
import { labelTopics, type LabelledTopic } from './labelling';
import { paperText, textTermCounts, wordsOf, type PaperText } from './terms';

export interface DiscoveryInput {
  key: string;
  title: string;
  abstract?: string;
  venue?: string;
  keywords?: readonly string[];
  authors?: readonly string[];
}
export interface DiscoveredTopic {
  /** Starts with "discovered:"; the same for the same members. */
  id: string;
  /** The distinctive terms, e.g. "Interactive theorem proving · Coq". */
  label: string;
  /** The topic's distinctive terms as written, most distinctive first (the label's first). */
  terms: string[];
}
export interface TopicEvidence {
  topic: string;
  /** Distinctive terms the paper shares with the topic, for the tooltip. */
  terms: string[];
  /** Cosine similarity of the paper to the topic's centroid (0–1). */
  score: number;
}
export interface Discovery {
  topics: DiscoveredTopic[];
  /** By paper key; a paper that is absent is unsorted. */
  assignments: Map<string, TopicEvidence[]>;
}
export interface PinnedTopic {
  id: string;
  label: string;
  members: readonly string[];
}

export const DISCOVERED_PREFIX = 'discovered:';

/** Smaller groups are not topics: their papers join the next closest topic, or stay unsorted. */
const MIN_TOPIC_SIZE = 3;
/** Below this cosine to its topic's centroid a paper fits nowhere. */
const MIN_SCORE = 0.05;
/** Each paper keeps its strongest terms only: the tail is noise and costs time. */
const MAX_TERMS_PER_PAPER = 200;
/** Terms in more than this share of the papers describe the library, not a topic. */
const MAX_DOCUMENT_SHARE = 0.3;
const VENUE_WEIGHT = 0.5;
const AUTHOR_WEIGHT = 0.5;
const POWER_ITERATIONS = 12;
const SPLIT_REFINEMENTS = 6;
const REFINEMENTS = 10;

/** The number of topics for n papers: a tree of about √(n/2) topics of about √(2n) papers each. */
export function topicCount(papers: number): number {
  return Math.max(1, Math.round(Math.sqrt(papers / 2)));
}

// ---------------------------------------------------------------------------------------------
// Papers as vectors

interface Vectors {
  texts: PaperText[];
  /** Vocabulary: term strings, sorted; feature terms of authors and venues are prefixed. */
  terms: string[];
  /** Per paper: term ids and weights (L2-normalised), strongest first. */
  ids: Int32Array[];
  weights: Float64Array[];
  /** Per term: in how many papers it occurs. */
  df: Int32Array;
}

function featureCounts(paper: DiscoveryInput, text: PaperText): Map<string, number> {
  const counts = textTermCounts(text);
  const venue = venueTerm(paper.venue);
  if (venue) counts.set(venue, VENUE_WEIGHT);
  for (const author of paper.authors ?? []) {
    const name = author.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
    if (name) counts.set(`author:${name}`, AUTHOR_WEIGHT);
  }
  return counts;
}

/** A venue without its year, edition and "Proceedings of": "ICML 2024" and "Proc. ICML" are one. */
export function venueTerm(venue: string | undefined): string | undefined {
  if (!venue) return undefined;
  const name = venue
    .toLowerCase()
    .replace(/\b(?:proceedings|proc|of|the|in|findings|\d+(?:st|nd|rd|th)?)\b/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return name && name !== 'arxiv' ? `venue:${name}` : undefined;
}

export const isFeature = (term: string) => term.startsWith('venue:') || term.startsWith('author:');

function vectorise(papers: readonly DiscoveryInput[]): Vectors {
  const texts = papers.map(paperText);
  const counts = papers.map((paper, index) => featureCounts(paper, texts[index]));
  const documentFrequency = new Map<string, number>();
  for (const paperCounts of counts) for (const term of paperCounts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const maxDf = Math.max(2, MAX_DOCUMENT_SHARE * papers.length);
  // Sorted, so that term ids (and every tie between them) do not depend on the input order.
  const terms = [...documentFrequency].filter(([, count]) => count >= 2 && count <= maxDf).map(([term]) => term).sort();
  const termId = new Map(terms.map((term, id) => [term, id]));
  const df = Int32Array.from(terms, (term) => documentFrequency.get(term) ?? 0);
  const ids: Int32Array[] = [];
  const weights: Float64Array[] = [];
  for (const paperCounts of counts) {
    const entries: [number, number][] = [];
    for (const [term, count] of paperCounts) {
      const id = termId.get(term);
      if (id === undefined) continue;
      entries.push([id, (1 + Math.log(count)) * Math.log(1 + papers.length / df[id])]);
    }
    entries.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    entries.length = Math.min(entries.length, MAX_TERMS_PER_PAPER);
    let norm = 0;
    for (const [, weight] of entries) norm += weight * weight;
    norm = Math.sqrt(norm) || 1;
    ids.push(Int32Array.from(entries, ([id]) => id));
    weights.push(Float64Array.from(entries, ([, weight]) => weight / norm));
  }
  return { texts, terms, ids, weights, df };
}

// ---------------------------------------------------------------------------------------------
// Clustering

/** Σ of the members' vectors (dense over the vocabulary). */
function sumOf(vectors: Vectors, members: readonly number[]): Float64Array {
  const sum = new Float64Array(vectors.terms.length);
  for (const paper of members) {
    const ids = vectors.ids[paper];
    const weights = vectors.weights[paper];
    for (let at = 0; at < ids.length; at++) sum[ids[at]] += weights[at];
  }
  return sum;
}

function norm(vector: Float64Array): number {
  let total = 0;
  for (let at = 0; at < vector.length; at++) total += vector[at] * vector[at];
  return Math.sqrt(total);
}

function dot(vectors: Vectors, paper: number, dense: Float64Array): number {
  const ids = vectors.ids[paper];
  const weights = vectors.weights[paper];
  let total = 0;
  for (let at = 0; at < ids.length; at++) total += weights[at] * dense[ids[at]];
  return total;
}

/** A deterministic pseudo-random number in [-1, 1) for a term, from its text (not its id). */
function termNoise(term: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < term.length; at++) hash = Math.imul(hash ^ term.charCodeAt(at), 16777619);
  return ((hash >>> 0) / 0x80000000) - 1;
}

/** Sum of (1 − cosine to the centroid) over the members: how loose the group is. */
function spread(vectors: Vectors, members: readonly number[]): number {
  return members.length - norm(sumOf(vectors, members));
}

/**
 * Splits a group in two: by the sign of each paper's projection on the group's principal direction
 * (power iteration from a start fixed by the terms' text), then a few rounds of spherical 2-means.
 */
function split(vectors: Vectors, members: readonly number[], noise: Float64Array): [number[], number[]] | undefined {
  const size = members.length;
  const mean = sumOf(vectors, members).map((value) => value / size);
  let direction = Float64Array.from(noise);
  const projections = new Float64Array(size);
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    let meanDot = 0;
    for (let at = 0; at < mean.length; at++) meanDot += mean[at] * direction[at];
    let projectionSum = 0;
    members.forEach((paper, at) => {
      projections[at] = dot(vectors, paper, direction) - meanDot;
      projectionSum += projections[at];
    });
    const next = new Float64Array(mean.length);
    members.forEach((paper, at) => {
      const ids = vectors.ids[paper];
      const weights = vectors.weights[paper];
      for (let term = 0; term < ids.length; term++) next[ids[term]] += projections[at] * weights[term];
    });
    for (let at = 0; at < next.length; at++) next[at] -= projectionSum * mean[at];
    const length = norm(next);
    if (length === 0) return undefined;
    for (let at = 0; at < next.length; at++) next[at] /= length;
    direction = next;
  }
  let sides = members.map((_, at) => projections[at] >= 0);
  for (let round = 0; round < SPLIT_REFINEMENTS; round++) {
    const left = sumOf(vectors, members.filter((_, at) => sides[at]));
    const right = sumOf(vectors, members.filter((_, at) => !sides[at]));
    const leftNorm = norm(left) || 1;
    const rightNorm = norm(right) || 1;
    const next = members.map((paper) => dot(vectors, paper, left) / leftNorm >= dot(vectors, paper, right) / rightNorm);
    if (next.every((side, at) => side === sides[at])) break;
    sides = next;
  }
  const left = members.filter((_, at) => sides[at]);
  const right = members.filter((_, at) => !sides[at]);
  return left.length > 0 && right.length > 0 ? [left, right] : undefined;
}

interface Group {
  members: number[];
  spread: number;
  /** Computed when first needed; undefined when it cannot be split. */
  halves?: [number[], number[]] | null;
}

/** Bisecting: always split the loosest group that can be split, until there are `count` groups. */
function bisect(vectors: Vectors, members: number[], count: number): number[][] {
  const noise = Float64Array.from(vectors.terms, termNoise);
  const groups: Group[] = [{ members, spread: spread(vectors, members) }];
  while (groups.length < count) {
    const candidates = groups.filter((group) => group.members.length >= 2 * MIN_TOPIC_SIZE && group.halves !== null);
    if (candidates.length === 0) break;
    const loosest = candidates.reduce((best, group) => (group.spread > best.spread ? group : best));
    loosest.halves ??= split(vectors, loosest.members, noise) ?? null;
    if (loosest.halves === null) continue;
    groups.splice(groups.indexOf(loosest), 1, ...loosest.halves.map((half) => ({ members: half, spread: spread(vectors, half) })));
  }
  return groups.map((group) => group.members);
}

/** Centroids laid out term-major (term × group), so that scoring a paper against all groups reads memory in order. */
function centroidMatrix(vectors: Vectors, groups: readonly (readonly number[])[]): Float64Array {
  const count = groups.length;
  const matrix = new Float64Array(vectors.terms.length * count);
  groups.forEach((members, group) => {
    const sum = sumOf(vectors, members);
    const length = norm(sum) || 1;
    for (let term = 0; term < sum.length; term++) if (sum[term] !== 0) matrix[term * count + group] = sum[term] / length;
  });
  return matrix;
}

function scoresOf(vectors: Vectors, paper: number, matrix: Float64Array, count: number, into: Float64Array): void {
  into.fill(0);
  const ids = vectors.ids[paper];
  const weights = vectors.weights[paper];
  for (let at = 0; at < ids.length; at++) {
    const row = ids[at] * count;
    const weight = weights[at];
    for (let group = 0; group < count; group++) into[group] += weight * matrix[row + group];
  }
}

// ---------------------------------------------------------------------------------------------
// Discovery

export function discoverTopics(papers: readonly DiscoveryInput[], options: { pinned?: readonly PinnedTopic[] } = {}): Discovery {
  const sorted = uniqueByKey(papers);
  const vectors = vectorise(sorted);
  const index = new Map(sorted.map((paper, at) => [paper.key, at]));
  const pinned = (options.pinned ?? []).map((topic) => ({ topic, members: [...new Set(topic.members)].flatMap((key) => index.get(key) ?? []).sort((a, b) => a - b) }));
  const fixed = new Set(pinned.flatMap(({ members }) => members));
  const free = sorted.map((_, at) => at).filter((at) => !fixed.has(at) && vectors.ids[at].length > 0);

  // Groups 0 … pinned.length − 1 are the pinned topics; the discovered ones follow.
  const discovered = bisect(vectors, free, topicCount(free.length)).filter((members) => members.length > 0);
  let groups: number[][] = [...pinned.map(({ members }) => members), ...discovered];
  groups = regroup(groups.length, refine(vectors, groups, free, pinned.length), pinned);
  // Groups too small to be topics give their papers to the next closest group.
  for (;;) {
    const small = groups.findIndex((members, group) => group >= pinned.length && members.length < MIN_TOPIC_SIZE);
    if (small < 0) break;
    groups = groups.filter((_, group) => group !== small);
    groups = regroup(groups.length, refine(vectors, groups, free, pinned.length, 2), pinned);
  }

  const matrix = centroidMatrix(vectors, groups);
  const labelled = labelTopics(vectors.texts, groups, pinned.map(({ topic }) => topic));
  const assignments = new Map<string, TopicEvidence[]>();
  const scores = new Float64Array(groups.length);
  groups.forEach((members, group) => {
    const topic = labelled[group];
    for (const paper of members) {
      scoresOf(vectors, paper, matrix, groups.length, scores);
      const terms = sharedTerms(vectors.texts[paper], topic);
      const isPinned = group < pinned.length && fixed.has(paper);
      if (!isPinned && (scores[group] < MIN_SCORE || terms.length === 0)) continue;
      assignments.set(sorted[paper].key, [...(assignments.get(sorted[paper].key) ?? []), { topic: topic.id, terms, score: round(scores[group]) }]);
    }
  });
  const used = new Set([...assignments.values()].flatMap((evidence) => evidence.map((entry) => entry.topic)));
  const topics = labelled
    .filter((topic, group) => group < pinned.length || used.has(topic.id))
    .map(({ id, label, terms }) => ({ id, label, terms: terms.map((term) => term.surface) }));
  return { topics, assignments };
}

/** Spherical k-means over the free papers; pinned papers stay in their groups. Returns each free paper's group. */
function refine(vectors: Vectors, groups: readonly (readonly number[])[], free: readonly number[], pinnedCount: number, rounds = REFINEMENTS): Map<number, number> {
  let current = groups;
  let membership = new Map<number, number>();
  const scores = new Float64Array(groups.length);
  // No group left (every one was too small): there is nothing to assign to.
  if (groups.length === 0) return membership;
  for (let round = 0; round < rounds; round++) {
    const matrix = centroidMatrix(vectors, current);
    const next = new Map<number, number>();
    for (const paper of free) {
      scoresOf(vectors, paper, matrix, current.length, scores);
      let best = 0;
      for (let group = 1; group < current.length; group++) if (scores[group] > scores[best]) best = group;
      next.set(paper, best);
    }
    const changed = free.some((paper) => membership.get(paper) !== next.get(paper));
    membership = next;
    if (!changed) break;
    current = groupsFrom(current.length, membership, current.slice(0, pinnedCount));
  }
  return membership;
}

function groupsFrom(count: number, membership: Map<number, number>, pinned: readonly (readonly number[])[]): number[][] {
  const groups: number[][] = Array.from({ length: count }, (_, group) => [...(pinned[group] ?? [])]);
  for (const [paper, group] of membership) groups[group].push(paper);
  for (const members of groups) members.sort((a, b) => a - b);
  return groups;
}

function regroup(count: number, membership: Map<number, number>, pinned: readonly { members: number[] }[]): number[][] {
  return groupsFrom(count, membership, pinned.map(({ members }) => members));
}

function uniqueByKey(papers: readonly DiscoveryInput[]): DiscoveryInput[] {
  const byKey = new Map<string, DiscoveryInput>();
  for (const paper of papers) if (!byKey.has(paper.key)) byKey.set(paper.key, paper);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The topic's terms (as written) that the paper's text holds, in the topic's order. */
function sharedTerms(text: PaperText, topic: LabelledTopic, limit = 5): string[] {
  const own = textTermCounts(text);
  return topic.terms.filter((term) => term.parts.every((part) => own.has(part)) && (term.parts.length < 2 || containsPhrase(text, term.parts))).slice(0, limit).map((term) => term.surface);
}

function containsPhrase(text: PaperText, parts: readonly string[]): boolean {
  const wanted = ` ${parts.join(' ')} `;
  return text.fields.some((words) => ` ${words.map((word) => word.term).join(' ')} `.includes(wanted));
}

/**
 * The topic for one paper added after discovery, from the topics' terms alone (no re-run, fast):
 * the topic whose distinctive terms the paper holds most, the label's first; none when it holds none.
 */
export function assignToDiscovered(discovery: Discovery, paper: DiscoveryInput): TopicEvidence[] {
  const text = paperText(paper);
  let best: TopicEvidence | undefined;
  for (const topic of discovery.topics) {
    const terms = topic.terms.map((surface) => ({ surface, parts: wordsOf(surface).map((word) => word.term) })).filter((term) => term.parts.length > 0);
    let total = 0;
    let matched = 0;
    const shared: string[] = [];
    terms.forEach((term, rank) => {
      const weight = 1 / (1 + rank / 2);
      total += weight;
      if (containsPhrase(text, term.parts)) {
        matched += weight;
        shared.push(term.surface);
      }
    });
    if (matched > 0 && (!best || matched / total > best.score)) best = { topic: topic.id, terms: shared.slice(0, 5), score: round(matched / total) };
  }
  return best ? [best] : [];
}

/**
 * The discovery with one more paper, placed by assignToDiscovered; every other paper and every topic
 * stay as they were, so adding a paper never reshuffles the library (a full re-run may move papers
 * near the borders of topics, and is best left for when the user asks for one).
 */
export function addToDiscovery(discovery: Discovery, paper: DiscoveryInput): Discovery {
  const assignments = new Map(discovery.assignments);
  const evidence = assignToDiscovered(discovery, paper);
  if (evidence.length > 0) assignments.set(paper.key, evidence);
  else assignments.delete(paper.key);
  return { topics: discovery.topics, assignments };
}
