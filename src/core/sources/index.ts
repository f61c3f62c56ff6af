/** From source files to one library: read each file, merge them, give imported papers topics. */
import type { Library, Paper } from '../model';
import { importBibtex } from './bibtexImport';
import { importCslJson } from './cslJsonImport';
import { importListing } from './listingImport';
import { mergeSources, type MergeInput, type MergeProblem } from './merge';
import { sourceOutcomes, type OutcomeInput, type SourceOutcome } from './outcomes';
import type { ParsedSource, SourceKind } from './source';
import { TopicModel } from './topicAssign';

export function importSource(kind: SourceKind, text: string): ParsedSource {
  switch (kind) {
    case 'bibtex':
      return importBibtex(text);
    case 'csl-json':
      return importCslJson(text);
    case 'listing':
      return importListing(text);
  }
}

export interface AssembledLibrary {
  library: Library;
  /** Problems found while merging, by input index and line (key clashes, duplicates within a file). */
  problems: MergeProblem[];
  /** Per source, in the order given: how many entries are papers, which were merged or skipped. */
  outcomes: SourceOutcome[];
}

/**
 * Merges the user's sources (in settings order) with the bundled library, which comes last and is
 * included only when `includeBundled`. The bundled library always supplies the taxonomy and the
 * papers the topic model learns from.
 */
export function assembleLibrary(
  sources: readonly (MergeInput & OutcomeInput)[],
  bundled: Library,
  includeBundled: boolean,
  topicModel: () => Pick<TopicModel, 'assign'> = () => TopicModel.fromPapers(bundled.papers, bundled.topics),
): AssembledLibrary {
  const inputs: MergeInput[] = [...sources];
  if (includeBundled) inputs.push({ papers: bundled.papers.map((paper) => ({ paper, line: 0, keywords: [] })) });
  const merged = mergeSources(inputs);
  // Learning the topics costs time in proportion to the bundled library: only when a paper needs them.
  let model: Pick<TopicModel, 'assign'> | undefined;
  const papers: Paper[] = merged.papers.map(({ paper, keywords }) =>
    paper.topics.length > 0 ? paper : { ...paper, topics: (model ??= topicModel()).assign(paper, keywords) },
  );
  return { library: { papers, topics: bundled.topics }, problems: merged.problems, outcomes: sourceOutcomes(sources, merged.papers) };
}
