/**
 * What people type into Search Papers. Every query is typed one keystroke at a time, and the
 * extension searches on every keystroke, so each prefix counts as a search.
 */

export type QueryKind = 'title' | 'author' | 'arxiv id' | 'topic' | 'typo' | 'name';

export interface TypedQuery {
  text: string;
  kind: QueryKind;
}

export const TYPED_QUERIES: readonly TypedQuery[] = [
  // Title beginnings of the bundled papers.
  { kind: 'title', text: 'lookahead tree-based rollouts' },
  { kind: 'title', text: 'segment policy optimization' },
  { kind: 'title', text: 'curiosity-driven red-teaming' },
  { kind: 'title', text: 'high-entropy minority tokens' },
  { kind: 'title', text: 'reinforcement learning with rubric anchors' },
  { kind: 'title', text: 'from r to q' },
  { kind: 'title', text: 'dpo meets ppo' },
  { kind: 'title', text: 'random policy valuation' },
  { kind: 'title', text: 'the alignment ceiling' },
  { kind: 'title', text: 'imitating language via scalable inverse' },
  // Authors.
  { kind: 'author', text: 'levine' },
  { kind: 'author', text: 'sergey levine' },
  { kind: 'author', text: 'thrampoulidis' },
  { kind: 'author', text: 'rafailov' },
  { kind: 'author', text: 'van der schaar' },
  { kind: 'author', text: 'zhang' },
  { kind: 'author', text: 'aviral kumar' },
  // arXiv ids, pasted or typed.
  { kind: 'arxiv id', text: '2412.02685' },
  { kind: 'arxiv id', text: '2402.19446' },
  { kind: 'arxiv id', text: '2510.24302' },
  // Topic words.
  { kind: 'topic', text: 'credit assignment' },
  { kind: 'topic', text: 'entropy collapse' },
  { kind: 'topic', text: 'reward model' },
  { kind: 'topic', text: 'verifiable rewards' },
  { kind: 'topic', text: 'multimodal' },
  { kind: 'topic', text: 'agents' },
  { kind: 'topic', text: 'preference optimization' },
  { kind: 'topic', text: 'rlhf' },
  { kind: 'topic', text: 'text-to-sql' },
  // Typos.
  { kind: 'typo', text: 'credt asignment' },
  { kind: 'typo', text: 'entropie' },
  { kind: 'typo', text: 'levin' },
  { kind: 'typo', text: 'reinforcment learning' },
  { kind: 'typo', text: 'policy optimzation' },
  { kind: 'typo', text: 'exploraton' },
  { kind: 'typo', text: 'thrampoulids' },
  // Paper names, venues and organisations.
  { kind: 'name', text: 'archer' },
  { kind: 'name', text: 't-reg' },
  { kind: 'name', text: 'chipseek' },
  { kind: 'name', text: 'brorl' },
  { kind: 'name', text: 'nvidia' },
  { kind: 'name', text: 'icml 2024' },
];

/** Each query as typed: "l", "le", "lev", … "levine". Blank prefixes (after a space) are skipped: the search ignores them. */
export function keystrokes(queries: readonly TypedQuery[] = TYPED_QUERIES): string[] {
  return queries.flatMap(({ text }) =>
    Array.from({ length: text.length }, (_, index) => text.slice(0, index + 1)).filter((prefix) => !prefix.endsWith(' ')),
  );
}

/**
 * Queries with the paper a person typing them means, by arXiv id; it must be among the first five
 * results. Each names its paper specifically enough to tell it from the recombined papers, which
 * share its title phrases, its authors' names and its sentences: in the 100,000-paper library at
 * most four other papers hold all the meant words in their title, authors, id, key or venue (the
 * benchmark counts them as "rivals"). `means` spells out a query with typos.
 */
export interface QualityQuery {
  query: string;
  arxivId: string;
  means?: string;
}

export const QUALITY_QUERIES: readonly QualityQuery[] = [
  { query: '2412.02685', arxivId: '2412.02685' },
  { query: '2402.19446', arxivId: '2402.19446' },
  { query: '2506.0193', arxivId: '2506.01939' },
  { query: 'archer', arxivId: '2402.19446' },
  { query: 'levine archer', arxivId: '2402.19446' },
  { query: 'levin archer', arxivId: '2402.19446', means: 'levine archer' },
  { query: 'sergey levine kumar hierarchical', arxivId: '2402.19446' },
  { query: 'treg zhou', arxivId: '2412.02685' },
  { query: 'chipseek rtl', arxivId: '2507.04736' },
  { query: 'brorl nvidia', arxivId: '2510.01180' },
  { query: 'lookahead trajectory-level exploration verifiable', arxivId: '2510.24302' },
  { query: 'entropie collapse cure', arxivId: '2508.11016', means: 'entropy collapse cure' },
  { query: 'credt asignment capo', arxivId: '2508.02298', means: 'credit assignment capo' },
  { query: 'macro actions rlhf', arxivId: '2410.02743' },
  { query: 'writing-zero non-verifiable', arxivId: '2506.00103' },
  { query: 'laser last-token', arxivId: '2510.14943' },
  { query: 'alignditsil', arxivId: '2503.02832', means: 'aligndistil' },
  { query: 'kl penalties bayesian', arxivId: '2205.11275' },
  { query: 'dcpo dynamic clipping', arxivId: '2509.02333' },
  { query: 'gui-g1 grounding', arxivId: '2505.15810' },
];
