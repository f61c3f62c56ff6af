import type { Paper } from './model';

/** Finds a paper by its citation key, or by a key of a record merged into it (see `Paper.aliases`). */
export function paperLookup(papers: readonly Paper[]): (key: string) => Paper | undefined {
  const byKey = new Map(papers.map((paper) => [paper.key, paper]));
  const byAlias = new Map(papers.flatMap((paper) => (paper.aliases ?? []).map((alias) => [alias, paper] as const)));
  return (key) => byKey.get(key) ?? byAlias.get(key);
}
