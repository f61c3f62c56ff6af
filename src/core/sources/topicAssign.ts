/**
 * Topics for imported papers. Keywords or groups that name a topic (its id or label) decide first;
 * otherwise the paper's title and abstract are compared with each topic: TF-IDF vectors, cosine
 * similarity to one centroid per topic, made of the topic's papers in the bundled library and the
 * topic's own label and description. A paper close to no centroid stays without topic, which the
 * tree shows as "Unsorted".
 */
import type { Paper, Topic } from '../model';
import { fold } from '../search/text';

/**
 * Below this similarity a paper is left unsorted. Calibrated on the bundled library, each paper left
 * out in turn: against its own topics they score at least 0.11 (median 0.25), and the best topic is
 * one of its own for 57 of 65; abstracts from outside RL for language models (Transformer, ResNet,
 * Adam, GPT-3, DQN, protein folding, microbiology) stay under 0.11.
 */
export const SIMILARITY_THRESHOLD = 0.11;
/**
 * Share of a centroid that comes from the topic's label and description. Papers alone let the
 * vocabulary every RL paper shares decide: PPO and DeepSeekMath went to credit assignment, the
 * largest topic, because its papers talk about PPO and GRPO most. The description says what the topic
 * is about; with it, 57 instead of 54 of 65 papers left out find one of their own topics first.
 */
const DESCRIPTION_SHARE = 0.4;
/** A second topic is given only when it is nearly as close as the first. */
const SECOND_TOPIC_RATIO = 0.85;
const MAX_TOPICS = 2;

const STOP_WORDS = new Set(
  'the and for with that this from are our its their these those which while into over under than then can has have had was were been being not but also such more most less very via using use used based show shows we they them one two new how what when where who why all any each both between within without across about'.split(' '),
);

type Vector = Map<string, number>;

export class TopicModel {
  private constructor(
    private readonly topics: readonly Topic[],
    private readonly idf: Map<string, number>,
    private readonly centroids: Map<string, Vector>,
  ) {}

  /** Learns the topics from papers that already have them (the bundled library). */
  static fromPapers(papers: readonly Paper[], topics: readonly Topic[]): TopicModel {
    const documents = papers.map((paper) => termCounts(paper));
    const df = new Map<string, number>();
    for (const counts of documents) for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const idf = new Map([...df].map(([term, count]) => [term, Math.log(1 + papers.length / count)]));
    const centroids = new Map<string, Vector>();
    papers.forEach((paper, index) => {
      const vector = weigh(documents[index], idf);
      for (const topic of paper.topics) {
        const centroid = centroids.get(topic) ?? new Map<string, number>();
        for (const [term, weight] of vector) centroid.set(term, (centroid.get(term) ?? 0) + weight);
        centroids.set(topic, centroid);
      }
    });
    const byId = new Map(topics.map((topic) => [topic.id, topic]));
    for (const [id, centroid] of centroids) {
      normalise(centroid);
      const topic = byId.get(id);
      if (!topic) continue;
      const described = weigh(termCounts({ title: topic.label, abstract: topic.description }), idf);
      normalise(described);
      for (const [term, weight] of centroid) centroid.set(term, (1 - DESCRIPTION_SHARE) * weight);
      for (const [term, weight] of described) centroid.set(term, (centroid.get(term) ?? 0) + DESCRIPTION_SHARE * weight);
      normalise(centroid);
    }
    return new TopicModel(topics, idf, centroids);
  }

  /** Topic ids for a paper, best first; empty when nothing fits. */
  assign(paper: Paper, keywords: readonly string[]): string[] {
    const named = this.fromKeywords(keywords);
    if (named.length > 0) return named;
    const scores = this.similarities(paper);
    const best = scores[0];
    if (!best || best.score < SIMILARITY_THRESHOLD) return [];
    return scores
      .filter((entry) => entry.score >= SIMILARITY_THRESHOLD && entry.score >= best.score * SECOND_TOPIC_RATIO)
      .slice(0, MAX_TOPICS)
      .map((entry) => entry.topic);
  }

  /** Cosine similarity of the paper to every topic's centroid, highest first. */
  similarities(paper: Paper): { topic: string; score: number }[] {
    const vector = weigh(termCounts(paper), this.idf);
    normalise(vector);
    const scores: { topic: string; score: number }[] = [];
    for (const [topic, centroid] of this.centroids) {
      let dot = 0;
      for (const [term, weight] of vector) dot += weight * (centroid.get(term) ?? 0);
      scores.push({ topic, score: dot });
    }
    return scores.sort((a, b) => b.score - a.score);
  }

  private fromKeywords(keywords: readonly string[]): string[] {
    const wanted = new Set(keywords.map((keyword) => fold(keyword.trim())));
    return this.topics.filter((topic) => wanted.has(fold(topic.id)) || wanted.has(fold(topic.label))).map((topic) => topic.id);
  }
}

function termCounts(paper: Pick<Paper, 'title' | 'abstract'>): Map<string, number> {
  const counts = new Map<string, number>();
  // The title says more per word than the abstract: it counts twice.
  const text = `${paper.title} ${paper.title} ${paper.abstract}`;
  for (const term of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    if (term.length < 3 || STOP_WORDS.has(term) || /^\d+$/.test(term)) continue;
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return counts;
}

function weigh(counts: Map<string, number>, idf: Map<string, number>): Vector {
  const vector: Vector = new Map();
  for (const [term, count] of counts) {
    const weight = idf.get(term);
    if (weight !== undefined) vector.set(term, (1 + Math.log(count)) * weight);
  }
  return vector;
}

function normalise(vector: Vector): void {
  let norm = 0;
  for (const weight of vector.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
}
