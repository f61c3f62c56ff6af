/** The papers a mistyped or unknown citation key most likely meant, for the "replace with" quick fix. */
import type { Paper } from './model';
import { editDistance } from './search/fuzzy';
import { fold, tokensOf } from './search/text';

export interface SimilarPaper {
  paper: Paper;
  /** In [0, 1]; 1 for the same key. */
  score: number;
}

/** Below this a paper shares too little with the key to be offered. */
const MIN_SCORE = 0.25;
const KEY_WEIGHT = 0.6;

/**
 * The `limit` papers closest to `key`: by edit distance between the keys (typos, a wrong year), and
 * by how many of the key's words (`zhou2024treg` → zhou, 2024, treg) start a word of the paper's
 * title or an author's family name, or equal its year (a key written by another tool or by hand).
 */
export function closestPapers(key: string, papers: readonly Paper[], limit = 3): SimilarPaper[] {
  const wanted = fold(key);
  const parts = keyParts(wanted);
  const scored: SimilarPaper[] = [];
  for (const paper of papers) {
    const candidate = fold(paper.key);
    const longest = Math.max(wanted.length, candidate.length);
    const distance = editDistance(wanted, candidate, longest, false);
    const keyScore = longest === 0 ? 0 : 1 - distance / longest;
    const score = KEY_WEIGHT * keyScore + (1 - KEY_WEIGHT) * partsScore(parts, paper);
    if (score >= MIN_SCORE) scored.push({ paper, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.paper.key.localeCompare(b.paper.key)).slice(0, limit);
}

/** Runs of letters and runs of digits: `zhou2024treg` → zhou, 2024, treg. */
function keyParts(folded: string): string[] {
  return folded.match(/\p{L}+|\p{N}+/gu) ?? [];
}

function partsScore(parts: readonly string[], paper: Paper): number {
  if (parts.length === 0) return 0;
  const words = [
    ...tokensOf(fold(paper.title)).map((token) => token.text),
    ...paper.authors.flatMap((author) => tokensOf(fold(author.family)).map((token) => token.text)),
  ];
  let matched = 0;
  for (const part of parts) {
    if (/^\p{N}+$/u.test(part)) {
      if (paper.year !== undefined && String(paper.year) === part) matched++;
    } else if (part.length >= 2 && words.some((word) => word.startsWith(part) || (part.length >= 4 && editDistance(part, word, 1, false) <= 1))) {
      matched++;
    }
  }
  return matched / parts.length;
}
