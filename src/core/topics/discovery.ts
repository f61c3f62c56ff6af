/**
 * Topics discovered from the papers themselves, offline: each paper becomes a TF-IDF vector of the
 * words and two-word phrases of its title (counted twice), abstract and keywords, its venue and its
 * authors; the library is split in two again and again along its principal direction (bisecting
 * spherical k-means, seeded by the data, never by chance) until it has about √(n/2) topics, then
 * refined by spherical k-means; each topic is named by the terms its papers share and the others
 * do not, as written ("Interactive theorem proving · Coq").
 *
 * Deterministic and independent of the input order (papers are taken sorted by key, and every tie
 * is broken by key or term). Linear in the papers' terms: no comparison of all pairs, sparse
 * centroids, large groups split by a sample. A paper added later is placed by `addToDiscovery`
 * (see incremental.ts): a whole discovery may move papers near the borders of every topic.
 */
import { labelTopics, type LabelledTopic } from './labelling';
import { buildCorpus, holds, termFields, wordsOf, type Corpus } from './terms';

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
const MAX_TERMS_PER_PAPER = 120;
/**
 * A centroid keeps its strongest terms only when papers are compared with all of them (the rest
 * weigh little, and would make each comparison touch every topic for every common word).
 */
const CENTROID_TERMS = 500;
/** Terms in more than this share of the papers describe the library, not a topic. */
const MAX_DOCUMENT_SHARE = 0.3;
/** A group larger than this is split by this many of its papers (spread over it); smaller groups by all of theirs. */
const SPLIT_SAMPLE = 500;
const POWER_ITERATIONS = 12;
/** The principal direction has settled when a step turns it by less than this (1 − cosine). */
const SETTLED = 1e-5;
const SPLIT_REFINEMENTS = 6;
/** Rounds of k-means at most: a library of a few hundred papers settles in two or three, a large one moves few papers after four. */
const REFINEMENTS = 4;
/** k-means has settled when a round moves at most this share of the papers (none, in a small library). */
const SETTLED_SHARE = 0.004;

/** The number of topics for n papers: a tree of about √(n/2) topics of about √(2n) papers each. */
export function topicCount(papers: number): number {
  return Math.max(1, Math.round(Math.sqrt(papers / 2)));
}

// ---------------------------------------------------------------------------------------------
// Papers as vectors

interface Vectors {
  /** The clustering vocabulary: the corpus's term ids of the terms that are neither rare nor everywhere. */
  vocabulary: Int32Array;
  /** Per paper: vocabulary indices and weights (L2-normalised) of its strongest terms. */
  ids: Int32Array[];
  weights: Float64Array[];
  /** Scratch: a dense sum over the vocabulary, and which entries it touched. */
  sum: Float64Array;
  touched: Int32Array;
  marked: Uint8Array;
  /** Scratch for a split: each vocabulary term's number among the sample's terms + 1, else 0. */
  place: Int32Array;
}

function vectorise(corpus: Corpus): Vectors {
  const papers = corpus.counts.length;
  const maxDf = Math.max(2, MAX_DOCUMENT_SHARE * papers);
  const index = new Int32Array(corpus.terms.length).fill(-1);
  const vocabulary: number[] = [];
  corpus.df.forEach((count, id) => {
    if (count < 2 || count > maxDf) return;
    index[id] = vocabulary.length;
    vocabulary.push(id);
  });
  const idf = Float64Array.from(corpus.df, (count) => Math.log(1 + papers / count));
  const ids: Int32Array[] = [];
  const weights: Float64Array[] = [];
  let kept = new Int32Array(256);
  let weightOf = new Float64Array(256);
  for (const paper of corpus.counts) {
    if (paper.ids.length > kept.length) {
      kept = new Int32Array(paper.ids.length);
      weightOf = new Float64Array(paper.ids.length);
    }
    let count = 0;
    for (let at = 0; at < paper.ids.length; at++) {
      const id = paper.ids[at];
      if (index[id] < 0) continue;
      kept[count] = id;
      weightOf[count++] = (1 + Math.log(paper.counts[at])) * idf[id];
    }
    const order = strongest(weightOf.subarray(0, count), kept);
    let norm = 0;
    for (let at = 0; at < order.length; at++) norm += weightOf[order[at]] * weightOf[order[at]];
    norm = Math.sqrt(norm) || 1;
    const paperIds = new Int32Array(order.length);
    const paperWeights = new Float64Array(order.length);
    for (let at = 0; at < order.length; at++) {
      paperIds[at] = index[kept[order[at]]];
      paperWeights[at] = weightOf[order[at]] / norm;
    }
    ids.push(paperIds);
    weights.push(paperWeights);
  }
  const size = vocabulary.length;
  return { vocabulary: Int32Array.from(vocabulary), ids, weights, sum: new Float64Array(size), touched: new Int32Array(size), marked: new Uint8Array(size), place: new Int32Array(size) };
}

/**
 * The indices of the MAX_TERMS_PER_PAPER strongest weights, in the order the paper holds them; ties
 * go to the term seen first in the papers sorted by key (the same whatever the order given). Found
 * by selection, not a sort: a paper with an abstract holds hundreds of terms.
 */
function strongest(weights: Float64Array, ids: Int32Array): Int32Array {
  if (weights.length <= MAX_TERMS_PER_PAPER) return Int32Array.from({ length: weights.length }, (_, at) => at);
  const least = nthSmallest(weights.slice(), weights.length - MAX_TERMS_PER_PAPER);
  let above = 0;
  const tied: number[] = [];
  for (let at = 0; at < weights.length; at++) {
    if (weights[at] > least) above++;
    else if (weights[at] === least) tied.push(at);
  }
  const keptTies = new Set(tied.sort((a, b) => ids[a] - ids[b]).slice(0, MAX_TERMS_PER_PAPER - above));
  const order = new Int32Array(MAX_TERMS_PER_PAPER);
  let count = 0;
  for (let at = 0; at < weights.length; at++) if (weights[at] > least || (weights[at] === least && keptTies.has(at))) order[count++] = at;
  return order;
}

/** The value that would be at index n were the values sorted ascending (they are reordered: a selection, not a sort). */
export function nthSmallest(values: Float64Array, n: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1];
    let left = low;
    let right = high;
    while (left <= right) {
      while (values[left] < pivot) left++;
      while (values[right] > pivot) right--;
      if (left <= right) {
        const swap = values[left];
        values[left++] = values[right];
        values[right--] = swap;
      }
    }
    if (n <= right) high = right;
    else if (n >= left) low = left;
    else return values[n];
  }
  return values[n];
}

// ---------------------------------------------------------------------------------------------
// Clustering

/**
 * Σ of the members' vectors, sparse: calls `use(term, value)` for each term it holds, in the order
 * the members first hold them, and gives the sum's length. The scratch is clean again afterwards.
 */
function sumOf(vectors: Vectors, members: readonly number[], use?: (term: number, value: number) => void): number {
  const { sum, touched, marked } = vectors;
  let count = 0;
  for (const paper of members) {
    const ids = vectors.ids[paper];
    const weights = vectors.weights[paper];
    for (let at = 0; at < ids.length; at++) {
      const term = ids[at];
      if (!marked[term]) {
        marked[term] = 1;
        touched[count++] = term;
      }
      sum[term] += weights[at];
    }
  }
  let total = 0;
  for (let at = 0; at < count; at++) total += sum[touched[at]] * sum[touched[at]];
  for (let at = 0; at < count; at++) {
    const term = touched[at];
    use?.(term, sum[term]);
    sum[term] = 0;
    marked[term] = 0;
  }
  return Math.sqrt(total);
}

/** A deterministic pseudo-random number in [-1, 1) for a term, from its text (not its id). */
function termNoise(term: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < term.length; at++) hash = Math.imul(hash ^ term.charCodeAt(at), 16777619);
  return ((hash >>> 0) / 0x80000000) - 1;
}

/** Sum of (1 − cosine to the centroid) over the members: how loose the group is. */
function spread(vectors: Vectors, members: readonly number[]): number {
  return members.length - sumOf(vectors, members);
}

/**
 * Splits a group in two: by the sign of each paper's projection on the group's principal direction
 * (power iteration from a start fixed by the terms' text), then a few rounds of spherical 2-means.
 * Works over the terms of the papers it splits by only, so that a split costs what they hold, not the vocabulary.
 */
function split(vectors: Vectors, members: readonly number[], noise: Float64Array): [number[], number[]] | undefined {
  const size = members.length;
  // A large group is split by a sample of its papers, spread evenly over it; then every paper goes to the closer half.
  const step = Math.ceil(size / SPLIT_SAMPLE);
  const count = Math.ceil(size / step);
  // The sample in one run of numbers (its paper `at` holds entries offsets[at] … offsets[at + 1] − 1), over
  // its terms numbered 0 … local.length − 1 (`place` holds each vocabulary term's number + 1 until the split ends).
  const { place } = vectors;
  const local: number[] = [];
  const offsets = new Int32Array(count + 1);
  for (let at = 0; at < count; at++) offsets[at + 1] = offsets[at] + vectors.ids[members[at * step]].length;
  const termOf = new Int32Array(offsets[count]);
  const weightOf = new Float64Array(offsets[count]);
  for (let at = 0; at < count; at++) {
    const ids = vectors.ids[members[at * step]];
    weightOf.set(vectors.weights[members[at * step]], offsets[at]);
    for (let entry = 0; entry < ids.length; entry++) {
      const term = ids[entry];
      if (place[term] === 0) place[term] = local.push(term);
      termOf[offsets[at] + entry] = place[term] - 1;
    }
  }
  const sides = splitSample(vectors, members, step, { local, offsets, termOf, weightOf }, noise);
  for (const term of local) place[term] = 0;
  if (!sides) return undefined;
  const left = members.filter((_, at) => sides[at] === 1);
  const right = members.filter((_, at) => sides[at] === 0);
  return left.length > 0 && right.length > 0 ? [left, right] : undefined;
}

interface Sample {
  local: readonly number[];
  offsets: Int32Array;
  termOf: Int32Array;
  weightOf: Float64Array;
}

/** Each member's side (1: left) from the sample; undefined when the sample has no direction to split along. */
function splitSample(vectors: Vectors, members: readonly number[], step: number, { local, offsets, termOf, weightOf }: Sample, noise: Float64Array): Uint8Array | undefined {
  const width = local.length;
  const count = offsets.length - 1;
  // The sample by term as well (for each term, the papers that hold it, in order, and their weights):
  // a sum over the papers (their mean, a step of the power iteration, a half) then gathers each
  // term's total in turn, instead of adding paper after paper into terms spread over the whole
  // width. Each total is added in the same order as before, so it is the same to the last bit.
  const byTerm = new Int32Array(width + 1);
  for (let entry = 0; entry < termOf.length; entry++) byTerm[termOf[entry] + 1]++;
  for (let at = 0; at < width; at++) byTerm[at + 1] += byTerm[at];
  const fill = byTerm.slice(0, width);
  const paperOf = new Int32Array(termOf.length);
  const termWeight = new Float64Array(termOf.length);
  for (let at = 0; at < count; at++) {
    for (let entry = offsets[at], end = offsets[at + 1]; entry < end; entry++) {
      const slot = fill[termOf[entry]]++;
      paperOf[slot] = at;
      termWeight[slot] = weightOf[entry];
    }
  }
  const mean = new Float64Array(width);
  for (let at = 0; at < width; at++) {
    let total = 0;
    for (let slot = byTerm[at], end = byTerm[at + 1]; slot < end; slot++) total += termWeight[slot];
    mean[at] = total / count;
  }
  const projections = new Float64Array(count);
  const start = Float64Array.from(local, (term) => noise[term]);
  const byPaper = { offsets, termOf, weightOf };
  const byTerms = { byTerm, paperOf, termWeight };
  if (!principalDirection(byPaper, byTerms, mean, start, projections)) return undefined;
  let sides: Uint8Array = Uint8Array.from(projections, (projection) => (projection >= 0 ? 1 : 0));
  for (let round = 0; round < SPLIT_REFINEMENTS; round++) {
    const next = closerHalves(byPaper, halvesOf(sides, byTerms));
    let moved = 0;
    for (let at = 0; at < count; at++) if (next[at] !== sides[at]) moved++;
    sides = next;
    if (moved <= SETTLED_SHARE * count) break;
  }
  if (step === 1) return sides;
  // Every member to the closer half: its terms the sample does not hold weigh nothing in either.
  const halves = halvesOf(sides, byTerms);
  const { place } = vectors;
  const all = new Uint8Array(members.length);
  for (let at = 0; at < members.length; at++) {
    const ids = vectors.ids[members[at]];
    const weights = vectors.weights[members[at]];
    let toLeft = 0;
    let toRight = 0;
    for (let entry = 0; entry < ids.length; entry++) {
      const term = 2 * (place[ids[entry]] - 1);
      if (term < 0) continue;
      toLeft += weights[entry] * halves[term];
      toRight += weights[entry] * halves[term + 1];
    }
    all[at] = toLeft >= toRight ? 1 : 0;
  }
  return all;
}

/** The sample's papers by term: for each term, the papers that hold it, in order, and their weights. */
interface ByTerm {
  byTerm: Int32Array;
  paperOf: Int32Array;
  termWeight: Float64Array;
}

/** Both halves' centroids (1: left) side by side, left then right per term, so that a paper's terms are looked up once for both. */
function halvesOf(sides: Uint8Array, { byTerm, paperOf, termWeight }: ByTerm): Float64Array {
  const width = byTerm.length - 1;
  const halves = new Float64Array(2 * width);
  let leftSquares = 0;
  let rightSquares = 0;
  for (let at = 0; at < width; at++) {
    let left = 0;
    let right = 0;
    for (let slot = byTerm[at], end = byTerm[at + 1]; slot < end; slot++) {
      if (sides[paperOf[slot]] === 1) left += termWeight[slot];
      else right += termWeight[slot];
    }
    halves[2 * at] = left;
    halves[2 * at + 1] = right;
    leftSquares += left * left;
    rightSquares += right * right;
  }
  const leftNorm = Math.sqrt(leftSquares) || 1;
  const rightNorm = Math.sqrt(rightSquares) || 1;
  for (let at = 0; at < width; at++) {
    halves[2 * at] /= leftNorm;
    halves[2 * at + 1] /= rightNorm;
  }
  return halves;
}

/** Each sample paper's closer half (1: left, also on a tie). */
function closerHalves({ offsets, termOf, weightOf }: Pick<Sample, 'offsets' | 'termOf' | 'weightOf'>, halves: Float64Array): Uint8Array {
  const sides = new Uint8Array(offsets.length - 1);
  for (let at = 0; at < sides.length; at++) {
    let toLeft = 0;
    let toRight = 0;
    for (let entry = offsets[at], end = offsets[at + 1]; entry < end; entry++) {
      const term = 2 * termOf[entry];
      toLeft += weightOf[entry] * halves[term];
      toRight += weightOf[entry] * halves[term + 1];
    }
    sides[at] = toLeft >= toRight ? 1 : 0;
  }
  return sides;
}

/**
 * Power iteration for the sample's principal direction (its mean taken out), from `direction`
 * (overwritten); leaves each paper's projection on it in `projections`. False when the sample has
 * no direction. One flat function over the arrays: this is the inner loop of the whole discovery.
 */
function principalDirection(
  { offsets, termOf, weightOf }: Pick<Sample, 'offsets' | 'termOf' | 'weightOf'>,
  { byTerm, paperOf, termWeight }: ByTerm,
  mean: Float64Array,
  direction: Float64Array,
  projections: Float64Array,
): boolean {
  const width = mean.length;
  const count = projections.length;
  let next: Float64Array = new Float64Array(width);
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    let meanDot = 0;
    for (let at = 0; at < width; at++) meanDot += mean[at] * direction[at];
    let projectionSum = 0;
    for (let at = 0; at < count; at++) {
      let total = 0;
      for (let entry = offsets[at], end = offsets[at + 1]; entry < end; entry++) total += weightOf[entry] * direction[termOf[entry]];
      projections[at] = total - meanDot;
      projectionSum += projections[at];
    }
    let squares = 0;
    for (let at = 0; at < width; at++) {
      let total = 0;
      for (let slot = byTerm[at], end = byTerm[at + 1]; slot < end; slot++) total += projections[paperOf[slot]] * termWeight[slot];
      next[at] = total - projectionSum * mean[at];
      squares += next[at] * next[at];
    }
    const length = Math.sqrt(squares);
    if (length === 0) return false;
    let turn = 0;
    let before = 0;
    for (let at = 0; at < width; at++) {
      turn += (next[at] /= length) * direction[at];
      before += direction[at] * direction[at];
    }
    // The old direction's buffer takes the next step.
    const old = direction;
    direction = next;
    next = old;
    if (turn >= (1 - SETTLED) * Math.sqrt(before)) break;
  }
  return true;
}

interface Group {
  members: number[];
  spread: number;
  /** Computed when first needed; undefined when it cannot be split. */
  halves?: [number[], number[]] | null;
}

/** Bisecting: always split the loosest group that can be split, until there are `count` groups. */
function bisect(corpus: Corpus, vectors: Vectors, members: number[], count: number): number[][] {
  const noise = Float64Array.from(vectors.vocabulary, (id) => termNoise(corpus.terms[id]));
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

/**
 * The groups' centroids (unit length, each cut to its CENTROID_TERMS strongest terms) laid out by
 * term: for each term, the groups that hold it and its weight there, so that comparing a paper
 * with every group touches only the groups that share its terms.
 */
interface Centroids {
  start: Int32Array;
  group: Int32Array;
  weight: Float64Array;
}

function centroidsOf(vectors: Vectors, groups: readonly (readonly number[])[]): Centroids {
  const size = vectors.vocabulary.length;
  const start = new Int32Array(size + 1);
  const kept = groups.map((members) => {
    const terms: number[] = [];
    const values: number[] = [];
    const length = sumOf(vectors, members, (term, value) => {
      terms.push(term);
      values.push(value);
    }) || 1;
    // The CENTROID_TERMS-th strongest value: the terms at or above it stay.
    const least = values.length > CENTROID_TERMS ? nthSmallest(Float64Array.from(values), values.length - CENTROID_TERMS) : 0;
    for (let at = 0; at < values.length; at++) {
      if (values[at] >= least) start[terms[at] + 1]++;
      else terms[at] = -1;
      values[at] /= length;
    }
    return { terms, values };
  });
  for (let term = 0; term < size; term++) start[term + 1] += start[term];
  const fill = start.slice(0, -1);
  const group = new Int32Array(start[size]);
  const weight = new Float64Array(group.length);
  kept.forEach(({ terms, values }, index) => {
    for (let at = 0; at < terms.length; at++) {
      if (terms[at] < 0) continue;
      group[fill[terms[at]]] = index;
      weight[fill[terms[at]]++] = values[at];
    }
  });
  return { start, group, weight };
}

function scoresOf(vectors: Vectors, paper: number, { start, group, weight }: Centroids, into: Float64Array): void {
  into.fill(0);
  const ids = vectors.ids[paper];
  const weights = vectors.weights[paper];
  for (let at = 0; at < ids.length; at++) {
    const value = weights[at];
    const end = start[ids[at] + 1];
    for (let entry = start[ids[at]]; entry < end; entry++) into[group[entry]] += value * weight[entry];
  }
}

// ---------------------------------------------------------------------------------------------
// Discovery

/** Reads the papers' terms: buildCorpus here, or in parts on two threads (src/workers/corpusPartReader.ts), to the same corpus. */
export type CorpusReader = (papers: readonly DiscoveryInput[]) => Corpus;

export interface DiscoveryOptions {
  pinned?: readonly PinnedTopic[];
  read?: CorpusReader;
}

export function discoverTopics(papers: readonly DiscoveryInput[], options: DiscoveryOptions = {}): Discovery {
  const sorted = uniqueByKey(papers);
  const corpus = (options.read ?? buildCorpus)(sorted);
  const vectors = vectorise(corpus);
  const index = new Map(sorted.map((paper, at) => [paper.key, at]));
  const pinned = (options.pinned ?? []).map((topic) => ({ topic, members: [...new Set(topic.members)].flatMap((key) => index.get(key) ?? []).sort((a, b) => a - b) }));
  const fixed = new Set(pinned.flatMap(({ members }) => members));
  const free = sorted.map((_, at) => at).filter((at) => !fixed.has(at) && vectors.ids[at].length > 0);

  // Groups 0 … pinned.length − 1 are the pinned topics; the discovered ones follow.
  const discovered = bisect(corpus, vectors, free, topicCount(free.length)).filter((members) => members.length > 0);
  let groups: number[][] = [...pinned.map(({ members }) => members), ...discovered];
  groups = regroup(groups.length, refine(vectors, groups, free, pinned.length), free, pinned);
  // Groups too small to be topics give their papers to the next closest groups.
  for (;;) {
    const kept = groups.filter((members, group) => group < pinned.length || members.length >= MIN_TOPIC_SIZE);
    if (kept.length === groups.length) break;
    groups = regroup(kept.length, refine(vectors, kept, free, pinned.length, 2), free, pinned);
  }

  const labelled = labelTopics(corpus, groups, pinned.map(({ topic }) => topic));
  const assignments = new Map<string, TopicEvidence[]>();
  const centroid = new Float64Array(vectors.vocabulary.length);
  groups.forEach((members, group) => {
    const length = sumOf(vectors, members, (term, value) => (centroid[term] = value)) || 1;
    const topic = labelled[group];
    const lookups = lookupsOf(corpus, topic);
    for (const paper of members) {
      let score = 0;
      const ids = vectors.ids[paper];
      const weights = vectors.weights[paper];
      for (let at = 0; at < ids.length; at++) score += weights[at] * centroid[ids[at]];
      score /= length;
      const terms = sharedTerms(corpus, paper, lookups);
      const isPinned = group < pinned.length && fixed.has(paper);
      if (!isPinned && (score < MIN_SCORE || terms.length === 0)) continue;
      assignments.set(sorted[paper].key, [...(assignments.get(sorted[paper].key) ?? []), { topic: topic.id, terms, score: round(score) }]);
    }
    for (const paper of members) for (const term of vectors.ids[paper]) centroid[term] = 0;
  });
  const used = new Set([...assignments.values()].flatMap((evidence) => evidence.map((entry) => entry.topic)));
  const topics = labelled
    .filter((topic, group) => group < pinned.length || used.has(topic.id))
    .map(({ id, label, terms }) => ({ id, label, terms: terms.map((term) => term.surface) }));
  return { topics, assignments };
}

/**
 * Spherical k-means over the free papers; pinned papers stay in their groups. Returns each free
 * paper's group by paper index (−1 for the others).
 */
function refine(vectors: Vectors, groups: readonly (readonly number[])[], free: readonly number[], pinnedCount: number, rounds = REFINEMENTS): Int32Array {
  const membership = new Int32Array(vectors.ids.length).fill(-1);
  // No group left (every one was too small): there is nothing to assign to.
  if (groups.length === 0) return membership;
  let current = groups;
  const scores = new Float64Array(groups.length);
  for (let round = 0; round < rounds; round++) {
    const centroids = centroidsOf(vectors, current);
    let moved = 0;
    for (const paper of free) {
      scoresOf(vectors, paper, centroids, scores);
      let best = 0;
      for (let group = 1; group < current.length; group++) if (scores[group] > scores[best]) best = group;
      if (membership[paper] !== best) moved++;
      membership[paper] = best;
    }
    if (moved <= SETTLED_SHARE * free.length) break;
    current = groupsFrom(current.length, membership, free, current.slice(0, pinnedCount));
  }
  return membership;
}

/** The groups of a membership: the pinned members first, then the free papers in order (ascending, as `free` is). */
function groupsFrom(count: number, membership: Int32Array, free: readonly number[], pinned: readonly (readonly number[])[]): number[][] {
  const groups: number[][] = Array.from({ length: count }, (_, group) => [...(pinned[group] ?? [])]);
  for (const paper of free) if (membership[paper] >= 0) groups[membership[paper]].push(paper);
  for (let group = 0; group < pinned.length; group++) groups[group].sort((a, b) => a - b);
  return groups;
}

function regroup(count: number, membership: Int32Array, free: readonly number[], pinned: readonly { members: number[] }[]): number[][] {
  return groupsFrom(count, membership, free, pinned.map(({ members }) => members));
}

/** One paper per key; of two with the same key, the one that sorts first as data, so that the order given does not matter. */
function uniqueByKey(papers: readonly DiscoveryInput[]): DiscoveryInput[] {
  const byKey = new Map<string, DiscoveryInput>();
  for (const paper of papers) {
    const other = byKey.get(paper.key);
    if (!other || (other !== paper && JSON.stringify(paper) < JSON.stringify(other))) byKey.set(paper.key, paper);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** A topic's terms as ids, looked up once per topic: each of its papers is checked against them. */
interface TermLookup {
  surface: string;
  /** The ids of the term's word, or of each of its two-word phrases (−1 when no paper holds one). */
  pairs: number[];
  /** The ids of a longer phrase's words, looked for in order; undefined for one or two words. */
  words?: number[];
}

function lookupsOf(corpus: Corpus, topic: LabelledTopic): TermLookup[] {
  const id = (term: string) => corpus.termId.get(term) ?? -1;
  return topic.terms.map(({ parts, surface }) => ({
    surface,
    pairs: parts.length === 1 ? [id(parts[0])] : parts.slice(1).map((part, at) => id(`${parts[at]} ${part}`)),
    ...(parts.length > 2 && { words: parts.map(id) }),
  }));
}

/** The topic's terms (as written) that the paper's text holds, in the topic's order. */
function sharedTerms(corpus: Corpus, paper: number, lookups: readonly TermLookup[], limit = 5): string[] {
  const shared: string[] = [];
  for (const term of lookups) {
    if (shared.length >= limit) break;
    // A longer phrase is looked for only in the papers that hold each of its two-word phrases.
    if (term.pairs.every((pair) => pair >= 0 && holds(corpus, paper, pair)) && (!term.words || containsPhrase(corpus, paper, term.words))) shared.push(term.surface);
  }
  return shared;
}

/** Whether a field of the paper holds the words one after the other (as the term's two-word phrases are looked up: whatever joins them). */
function containsPhrase(corpus: Corpus, paper: number, ids: readonly number[]): boolean {
  const { term } = corpus.words;
  for (let field = corpus.paperFields[paper]; field < corpus.paperFields[paper + 1]; field++) {
    const end = corpus.fieldStart[field + 1] - ids.length;
    for (let at = corpus.fieldStart[field]; at <= end; at++) {
      let part = 0;
      while (part < ids.length && term[at + part] === ids[part]) part++;
      if (part === ids.length) return true;
    }
  }
  return false;
}

/** A topic's terms as words, worked out once per topic: a paper added is compared with every topic. */
const topicParts = new WeakMap<DiscoveredTopic, { surface: string; wanted: string }[]>();

function partsOf(topic: DiscoveredTopic): { surface: string; wanted: string }[] {
  let parts = topicParts.get(topic);
  if (!parts) {
    parts = topic.terms.map((surface) => ({ surface, words: wordsOf(surface).map((word) => word.term) })).filter(({ words }) => words.length > 0).map(({ surface, words }) => ({ surface, wanted: ` ${words.join(' ')} ` }));
    topicParts.set(topic, parts);
  }
  return parts;
}

/**
 * The topic for one paper added after discovery, from the topics' terms alone (no re-run, fast):
 * the topic whose distinctive terms the paper holds most, the label's first; none when it holds none.
 */
export function assignToDiscovered(discovery: Discovery, paper: DiscoveryInput): TopicEvidence[] {
  const fields = termFields(paper);
  let best: TopicEvidence | undefined;
  for (const topic of discovery.topics) {
    let total = 0;
    let matched = 0;
    const shared: string[] = [];
    partsOf(topic).forEach((term, rank) => {
      const weight = 1 / (1 + rank / 2);
      total += weight;
      if (fields.some((field) => field.includes(term.wanted))) {
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
