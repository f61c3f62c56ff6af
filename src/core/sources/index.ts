/** From source files to one library: read each file, merge them, give imported papers topics. */
import type { Library } from '../model';
import { NO_DISCOVERY, planTopics, type DiscoveryRequest, type TopicPlan } from '../topics/assemble';
import { discoverTopics, type CorpusReader, type Discovery } from '../topics/discovery';
import type { SourceTopic } from '../topics/sourceTopics';
import { EMPTY_DECISIONS, type TopicDecisions } from '../topics/topicsFile';
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

/** A source as the assembly takes it: its papers, their problems, and the topics it defines. */
export type AssemblySource = MergeInput & OutcomeInput & { topics?: readonly SourceTopic[] };

export interface AssembleOptions {
  /** The bundled topic model; learnt from `bundled` when not given (costly: only when a paper needs it). */
  topicModel?: () => Pick<TopicModel, 'assign'>;
  /** What the user decided about topics (the workspace's topics file). */
  decisions?: TopicDecisions;
  /** Off: papers no other rule places stay Unsorted instead of getting discovered topics. */
  discover?: boolean;
}

/** The library before discovery: everything but the discovered topics, and what discovery is asked. */
export interface PlannedLibrary extends Omit<AssembledLibrary, 'library'> {
  plan: TopicPlan;
}

/**
 * Merges the user's sources (in settings order) with the bundled library, which comes last and is
 * included only when `includeBundled`, and gives every paper its topics (topics/assemble.ts) but the
 * discovered ones: `plan.finish` takes those. The bundled library always supplies the taxonomy and the
 * papers the topic model learns from.
 */
export function planLibrary(sources: readonly AssemblySource[], bundled: Library, includeBundled: boolean, options: AssembleOptions = {}): PlannedLibrary {
  const inputs: MergeInput[] = [...sources];
  if (includeBundled) inputs.push({ papers: bundled.papers.map((paper) => ({ paper, line: 0, keywords: [] })) });
  const merged = mergeSources(inputs);
  const plan = planTopics({
    papers: merged.papers,
    sourceTopics: sources.flatMap((source) => source.topics ?? []),
    taxonomy: bundled.topics,
    decisions: options.decisions ?? EMPTY_DECISIONS,
    topicModel: options.topicModel ?? (() => TopicModel.fromPapers(bundled.papers, bundled.topics)),
    discover: options.discover,
  });
  return { plan, problems: merged.problems, outcomes: sourceOutcomes(sources, merged.papers) };
}

/** `planLibrary` with discovery run here: for the command line and tests (the editor runs it in a worker). */
export function assembleLibrary(sources: readonly AssemblySource[], bundled: Library, includeBundled: boolean, options: AssembleOptions = {}): AssembledLibrary {
  const { plan, problems, outcomes } = planLibrary(sources, bundled, includeBundled, options);
  return { library: plan.finish(runDiscovery(plan.request)), problems, outcomes };
}

/** Discovery for a plan's request; nothing to discover asks for no work. */
export function runDiscovery(request: DiscoveryRequest, read?: CorpusReader): Discovery {
  return request.papers.length === 0 && request.pinned.length === 0 ? NO_DISCOVERY : discoverTopics(request.papers, { pinned: request.pinned, read });
}
