/**
 * Topics for imported papers. Keywords or groups that name a topic (its id or label) decide first;
 * otherwise the paper's title and abstract are compared with each topic: TF-IDF vectors, cosine
 * similarity to one centroid per topic, made of the topic's papers in the bundled library and the
 * topic's own label and description, less a quarter of the centroid of the other topics' papers
 * (Rocchio), so that what every paper of the field says does not decide. A paper close to no centroid,
 * or whose title is not in the field's words, stays without topic, which the tree shows as
 * "Unsorted" (or gives to a discovered topic).
 */
import type { Paper, Topic } from '../model';
import { fold } from '../search/text';
import { singular } from '../topics/terms';

/**
 * Below this similarity a paper is left unsorted. Calibrated on the bundled library, each paper left
 * out in turn: against its own topics 63 of 65 score at least 0.115 (median 0.25, lowest 0.095), and
 * the best topic is one of its own for 59 of 65, each above it; abstracts from outside RL for language
 * models (Transformer, ResNet, DQN, protein folding, microbiology; Adam 0.112, GPT-3 0.107) stay under.
 */
export const SIMILARITY_THRESHOLD = 0.115;
/**
 * A paper known by its title alone belongs to the field only when at least this share of its title's
 * words are the field's: found in at least FIELD_DF bundled papers. Titles from another field share
 * single words with this one ("formal", "verification", "language"), which a short text cannot
 * outweigh; an abstract can, so papers with one are not held to it. Each bundled paper left out in
 * turn, 55 of 65 titles reach it; of the titles in test/fixtures/topics, it and the similarity give a
 * bundled topic to 97 of 215 from this field, 9 of 149 from proof engineering and 2 of 157 from databases.
 */
export const FIELD_SHARE = 0.6;
const FIELD_DF = 3;
/**
 * How much of the mean of the other topics' papers each centroid loses (Rocchio's β): the large topics'
 * centroids lie near the field's mean and drew papers of the small ones (58 → 59 of 65 left out).
 */
const CONTRAST = 0.25;
/**
 * Share of a centroid that comes from the topic's label and description. Papers alone let the
 * vocabulary every RL paper shares decide: PPO and DeepSeekMath went to credit assignment, the
 * largest topic, because its papers talk about PPO and GRPO most. The description says what the topic
 * is about; with it, 57 instead of 54 of 65 papers left out find one of their own topics first (59
 * with singular word forms and CONTRAST).
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
    /** In how many bundled papers each term occurs. */
    private readonly df: Map<string, number>,
  ) {}

  /** Learns the topics from papers that already have them (the bundled library). */
  static fromPapers(papers: readonly Paper[], topics: readonly Topic[]): TopicModel {
    const documents = papers.map((paper) => termCounts(paper));
    const df = new Map<string, number>();
    for (const counts of documents) for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const idf = new Map([...df].map(([term, count]) => [term, Math.log(1 + papers.length / count)]));
    const centroids = new Map<string, Vector>();
    const sizes = new Map<string, number>();
    const total: Vector = new Map();
    papers.forEach((paper, index) => {
      const vector = weigh(documents[index], idf);
      normalise(vector);
      for (const [term, weight] of vector) total.set(term, (total.get(term) ?? 0) + weight);
      for (const topic of paper.topics) {
        const centroid = centroids.get(topic) ?? new Map<string, number>();
        for (const [term, weight] of vector) centroid.set(term, (centroid.get(term) ?? 0) + weight);
        centroids.set(topic, centroid);
        sizes.set(topic, (sizes.get(topic) ?? 0) + 1);
      }
    });
    const byId = new Map(topics.map((topic) => [topic.id, topic]));
    for (const [id, centroid] of centroids) {
      const inside = sizes.get(id) ?? 1;
      const outside = Math.max(1, papers.length - inside);
      for (const [term, weight] of total) {
        const own = centroid.get(term) ?? 0;
        centroid.set(term, own / inside - (CONTRAST * (weight - own)) / outside);
      }
      normalise(centroid);
      const topic = byId.get(id);
      if (!topic) continue;
      const described = weigh(termCounts({ title: topic.label, abstract: topic.description }), idf);
      normalise(described);
      for (const [term, weight] of centroid) centroid.set(term, (1 - DESCRIPTION_SHARE) * weight);
      for (const [term, weight] of described) centroid.set(term, (centroid.get(term) ?? 0) + DESCRIPTION_SHARE * weight);
      normalise(centroid);
    }
    return new TopicModel(topics, idf, centroids, df);
  }

  /** Topic ids for a paper, best first; empty when nothing fits. */
  assign(paper: Paper, keywords: readonly string[]): string[] {
    const named = this.fromKeywords(keywords);
    if (named.length > 0) return named;
    if (!paper.abstract.trim() && this.fieldShare(paper.title) < FIELD_SHARE) return [];
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

  /** The share of the title's words that occur in at least FIELD_DF of the field's papers. */
  fieldShare(title: string): number {
    const words = [...termCounts({ title, abstract: '' }).keys()];
    if (words.length === 0) return 0;
    return words.filter((word) => (this.df.get(word) ?? 0) >= FIELD_DF).length / words.length;
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
  for (const word of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    // "Surveys" in a topic's label is the "survey" of a title.
    const term = singular(word);
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
