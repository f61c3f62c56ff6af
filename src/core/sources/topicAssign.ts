/**
 * Topics for imported papers. Keywords or groups that name a topic (its id or label) decide first;
 * otherwise the paper's title and abstract are compared with each topic: TF-IDF vectors, cosine
 * similarity to one centroid per topic, made of the topic's papers in the bundled library and the
 * topic's own label and description, less a quarter of the centroid of the other topics' papers
 * (Rocchio), so that what every paper of the field says does not decide. The closest topic is the one
 * the paper stands out for most against the bundled papers (see `standing`). A paper close to no
 * centroid, or not of the field (its abstract far from the field's centroid, its title not in the
 * field's words), stays without topic, which the tree shows as "Unsorted" (or gives to a discovered topic).
 */
import type { Paper, Topic } from '../model';
import { fold } from '../search/text';
import { singular } from '../topics/terms';

/**
 * A paper whose closest topic is below this similarity is left unsorted. Calibrated on the bundled
 * library, each paper left out in turn: against its own topics 63 of 65 score at least 0.115 (median
 * 0.25, lowest 0.095), every one is this close to some topic, and its first topic (by standing) is one
 * of its own for 60 of 65 (59 by cosine alone); abstracts from outside RL for language models
 * (Transformer, ResNet, DQN, protein folding, microbiology; Adam 0.112, GPT-3 0.107) stay under.
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
 * A paper with an abstract belongs to the field only when its cosine to the field's centroid (the
 * mean of the bundled papers) reaches this. A topic's centroid can be close to a paper of another
 * field by the words the two share (CompCert's and seL4's abstracts, compilers and C code, reached
 * 0.13 to "Code, SQL and hardware"): the field's centroid is made of what the field's papers say
 * most, reinforcement learning and language models. Each bundled paper left out in turn scores at
 * least 0.137 (median 0.23); CompCert 0.086, seL4 0.087, AlphaFold 0.101, Spanner 0.079.
 */
export const FIELD_SIMILARITY = 0.12;
/**
 * How much of the mean of the other topics' papers each centroid loses (Rocchio's β): the large topics'
 * centroids lie near the field's mean and drew papers of the small ones (58 → 59 of 65 left out, by
 * cosine). With the standing, 0, 0.25 and 0.5 all give 60 or 61 (DESCRIPTION_SHARE 0.3 to 0.5).
 */
const CONTRAST = 0.25;
/**
 * Share of a centroid that comes from the topic's label and description. Papers alone let the
 * vocabulary every RL paper shares decide: PPO and DeepSeekMath went to credit assignment, the
 * largest topic, because its papers talk about PPO and GRPO most. The description says what the topic
 * is about; with it, 57 instead of 54 of 65 papers left out find one of their own topics first (59
 * with singular word forms and CONTRAST, 60 with the standing).
 */
const DESCRIPTION_SHARE = 0.4;
/** A second topic is given only when it is nearly as close as the closest. */
const SECOND_TOPIC_RATIO = 0.85;
const MAX_TOPICS = 2;

const STOP_WORDS = new Set(
  'the and for with that this from are our its their these those which while into over under than then can has have had was were been being not but also such more most less very via using use used based show shows we they them one two new how what when where who why all any each both between within without across about'.split(' '),
);

type Vector = Map<string, number>;

/** A topic's similarity to a paper: the cosine, and how it stands against the bundled papers. */
export interface TopicScore {
  topic: string;
  /** Cosine similarity to the topic's centroid: decides whether the paper belongs to the topic at all. */
  score: number;
  /**
   * The cosine less the mean cosine of the bundled papers to the same centroid, in their standard
   * deviations (a z-score): decides which of the topics is the paper's. Raw cosines are not on one
   * scale: a centroid near the field's middle (a broad topic, one whose papers speak of every other
   * topic) gives every paper of the field a high cosine, a narrow one gives most papers almost none,
   * so a paper went to the broad topic that is close to everything rather than the narrow one it is
   * unusually close to. The bundled papers' own cosines measure that scale for each topic.
   */
  standing: number;
}

/** Mean and standard deviation of the cosines of the bundled papers to one centroid. */
interface Spread {
  mean: number;
  deviation: number;
}

export class TopicModel {
  private constructor(
    private readonly topics: readonly Topic[],
    private readonly idf: Map<string, number>,
    /** The topics that have centroids, in the order of the columns. */
    private readonly ids: readonly string[],
    /** Each term's weight in every centroid: one look-up a term, not one a term and topic. */
    private readonly columns: Map<string, Float64Array>,
    /** In how many bundled papers each term occurs. */
    private readonly df: Map<string, number>,
    /** For each column, the spread of the bundled papers' cosines to its centroid. */
    private readonly spreads: readonly Spread[],
    /** The mean of the bundled papers, unit length: what the field is about. */
    private readonly field: Vector,
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
    const vectors = documents.map((counts) => {
      const vector = weigh(counts, idf);
      normalise(vector);
      return vector;
    });
    papers.forEach((paper, index) => {
      const vector = vectors[index];
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
    const ids = [...centroids.keys()];
    const columns = new Map<string, Float64Array>();
    ids.forEach((id, column) => {
      for (const [term, weight] of centroids.get(id) ?? []) {
        let row = columns.get(term);
        if (!row) columns.set(term, (row = new Float64Array(ids.length)));
        row[column] = weight;
      }
    });
    const bundled = vectors.map((vector) => cosines(vector, columns, ids.length));
    const spreads = ids.map((_, column) => spreadOf(bundled.map((row) => row[column])));
    const field = new Map(total);
    normalise(field);
    return new TopicModel(topics, idf, ids, columns, df, spreads, field);
  }

  /** Topic ids for a paper, best first; empty when nothing fits. */
  assign(paper: Paper, keywords: readonly string[]): string[] {
    const named = this.fromKeywords(keywords);
    if (named.length > 0) return named;
    const vector = this.vectorOf(paper);
    if (paper.abstract.trim() ? dot(vector, this.field) < FIELD_SIMILARITY : this.fieldShare(paper.title) < FIELD_SHARE) return [];
    const scores = this.scoresOf(paper, vector);
    // Whether the paper is of the field at all is its closest cosine; which topic is its, the first.
    const closest = Math.max(...scores.map((entry) => entry.score));
    if (!(closest >= SIMILARITY_THRESHOLD)) return [];
    const [first, ...others] = scores;
    const seconds = others.filter((entry) => entry.score >= SIMILARITY_THRESHOLD && entry.score >= closest * SECOND_TOPIC_RATIO);
    return [first, ...seconds].slice(0, MAX_TOPICS).map((entry) => entry.topic);
  }

  /**
   * The paper's similarity to every topic, its own first: the topic it stands out for most when it has
   * an abstract, the closest when it has a title alone. The spreads are of whole texts; a title's few
   * words are not on their scale, and a single word would make it stand out for a narrow topic
   * (titles alone, DeepSeekMath went to the surveys, DeepSeek-R1 to code; the bundled titles left out
   * in turn find their own topic first 47 times of 65 by standing, 50 by cosine).
   */
  similarities(paper: Paper): TopicScore[] {
    return this.scoresOf(paper, this.vectorOf(paper));
  }

  private vectorOf(paper: Pick<Paper, 'title' | 'abstract'>): Vector {
    const vector = weigh(termCounts(paper), this.idf);
    normalise(vector);
    return vector;
  }

  private scoresOf(paper: Paper, vector: Vector): TopicScore[] {
    const row = cosines(vector, this.columns, this.ids.length);
    const scores = this.ids.map((topic, column): TopicScore => {
      const { mean, deviation } = this.spreads[column];
      return { topic, score: row[column], standing: (row[column] - mean) / deviation };
    });
    return paper.abstract.trim() ? scores.sort((a, b) => b.standing - a.standing) : scores.sort((a, b) => b.score - a.score);
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

/** The cosines of a unit vector to every centroid. */
function cosines(vector: Vector, columns: Map<string, Float64Array>, count: number): Float64Array {
  const sums = new Float64Array(count);
  for (const [term, weight] of vector) {
    const row = columns.get(term);
    if (row) for (let column = 0; column < count; column++) sums[column] += weight * row[column];
  }
  return sums;
}

function dot(a: Vector, b: Vector): number {
  let total = 0;
  for (const [term, weight] of a) total += weight * (b.get(term) ?? 0);
  return total;
}

function spreadOf(cosines: readonly number[]): Spread {
  const mean = cosines.reduce((sum, cosine) => sum + cosine, 0) / cosines.length;
  const variance = cosines.reduce((sum, cosine) => sum + (cosine - mean) ** 2, 0) / cosines.length;
  // One paper, or papers all alike, give no spread: the cosine alone then decides.
  return variance > 0 ? { mean, deviation: Math.sqrt(variance) } : { mean: 0, deviation: 1 };
}

function normalise(vector: Vector): void {
  let norm = 0;
  for (const weight of vector.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
}
