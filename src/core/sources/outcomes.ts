/**
 * What became of each entry of a library file: a paper of the library, merged into an earlier record
 * of the same paper, or skipped because it could not be read. The Papers view counts these per file.
 */
import type { MergedPaper } from './merge';
import type { ImportedPaper, SourceProblem } from './source';

export interface OutcomeInput {
  papers: readonly ImportedPaper[];
  /** The problems of the file's last read; errors without a paper in `papers` are skipped entries. */
  problems?: readonly SourceProblem[];
}

export interface MergedEntry {
  line: number;
  key: string;
  title: string;
  /** The record it was merged into: its source (input index), line and key in the library. */
  into?: { source: number; line: number; key: string };
}

export interface SkippedEntry {
  line: number;
  key?: string;
  message: string;
}

export interface SourceOutcome {
  /** Entries that are papers of the library (first of their paper, whatever merged into them later). */
  papers: number;
  merged: MergedEntry[];
  skipped: SkippedEntry[];
}

export function sourceOutcomes(inputs: readonly OutcomeInput[], merged: readonly MergedPaper[]): SourceOutcome[] {
  const first = new Set(merged.map((entry) => `${entry.source}:${entry.line}`));
  return inputs.map((input, source) => {
    const mergedAway = input.papers.filter((entry) => !first.has(`${source}:${entry.line}`));
    const kept = new Set(input.papers.map((entry) => entry.paper.key));
    const skipped = new Map<string, SkippedEntry>();
    for (const problem of input.problems ?? []) {
      if (problem.severity !== 'error' || (problem.key !== undefined && kept.has(problem.key))) continue;
      const id = `${problem.line}:${problem.key ?? ''}`;
      if (!skipped.has(id)) skipped.set(id, { line: problem.line, key: problem.key, message: problem.message });
    }
    return {
      papers: input.papers.length - mergedAway.length,
      merged: mergedAway.map(({ paper, line }) => ({ line, key: paper.key, title: paper.title, into: absorber(merged, paper.key, source, line) })),
      skipped: [...skipped.values()].sort((a, b) => a.line - b.line),
    };
  });
}

/** The record an entry went into: the merged paper that took its key as an alias, or kept the same key. */
function absorber(merged: readonly MergedPaper[], key: string, source: number, line: number): MergedEntry['into'] {
  const found =
    merged.find((entry) => entry.paper.aliases?.includes(key)) ??
    merged.find((entry) => entry.paper.key === key && !(entry.source === source && entry.line === line));
  return found && { source: found.source, line: found.line, key: found.paper.key };
}
