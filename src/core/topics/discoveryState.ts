/**
 * The last discovery kept between sessions, so that the first change after a restart is brought
 * up to date by `updateDiscovery` as if the session had never ended (a whole discovery would move
 * papers near the borders of every topic). Kept compactly: the topics (id, label, terms), each
 * paper's key, the digest of what discovery read of it and its topics' evidence, and the pinned
 * topics; in the cache's container (src/core/cache/container.ts), whose checksums make a truncated
 * or corrupt file fail to read rather than give a wrong state. `shape` says what made the state
 * (the extension's version and the settings): a state of another shape is not used.
 */
import { readContainer, writeContainer } from '../cache/container';
import { errorText } from '../errors';
import type { DiscoveredTopic, PinnedTopic, TopicEvidence } from './discovery';
import { inputDigest, type DiscoveryRun } from './incremental';

/** The container's format version for this file; a file of another version is not read. */
export const DISCOVERY_STATE_FORMAT = 1;
const KIND = 'litnotes.topicDiscovery';
const SECTION = 'state';

type TopicRow = [id: string, label: string, terms: string[]];
type EvidenceRow = [topic: string, score: number, terms: string[]];
type PaperRow = [key: string, digest: string, evidence: EvidenceRow[]];
type PinnedRow = [id: string, label: string, members: string[]];
interface Body {
  topics: TopicRow[];
  papers: PaperRow[];
  pinned: PinnedRow[];
}

/** A state encoded where the discovery ran (the topics worker), with the shape it was made for. */
export interface EncodedDiscoveryState {
  shape: string;
  parts: Uint8Array[];
}

/** The file's bytes, as parts to write one after another. */
export function encodeDiscoveryState(run: DiscoveryRun, shape: string): Uint8Array[] {
  const body: Body = {
    topics: run.discovery.topics.map((topic) => [topic.id, topic.label, topic.terms]),
    papers: [...run.inputs].map(([key, input]) => [
      key,
      typeof input === 'string' ? input : inputDigest(input),
      (run.discovery.assignments.get(key) ?? []).map((evidence) => [evidence.topic, evidence.score, evidence.terms]),
    ]),
    pinned: run.pinned.map((topic) => [topic.id, topic.label, [...topic.members]]),
  };
  return writeContainer(DISCOVERY_STATE_FORMAT, { kind: KIND, shape }, [{ name: SECTION, bytes: new TextEncoder().encode(JSON.stringify(body)) }]);
}

/** A state read back: the run, and the shape it was made with (for the caller to compare). */
export interface RestoredDiscovery {
  run: DiscoveryRun;
  shape: string;
}

/** The state in `file`, or why it cannot be used (never throws). */
export function decodeDiscoveryState(file: Uint8Array): RestoredDiscovery | { error: string } {
  try {
    const { meta, sections } = readContainer(file, DISCOVERY_STATE_FORMAT);
    const { kind, shape } = (meta ?? {}) as { kind?: unknown; shape?: unknown };
    if (kind !== KIND || typeof shape !== 'string') return { error: 'it is not a topic discovery state' };
    const bytes = sections.get(SECTION);
    if (!bytes) return { error: 'it holds no state' };
    const run = runOf(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
    return run ? { run, shape } : { error: 'its state has an unknown shape' };
  } catch (error) {
    // CacheFormatError for the container, SyntaxError for the JSON, TypeError for text that is not UTF-8.
    return { error: errorText(error) };
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isRow = (value: unknown, length: number): value is unknown[] => Array.isArray(value) && value.length === length;
const DIGEST = /^[0-9a-f]{32}$/;

/** The run the body describes, every part checked; undefined when anything is amiss. */
function runOf(value: unknown): DiscoveryRun | undefined {
  const body = value as Partial<Body> | null;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.topics) || !Array.isArray(body.papers) || !Array.isArray(body.pinned)) return undefined;
  const topics: DiscoveredTopic[] = [];
  for (const row of body.topics as unknown[]) {
    if (!isRow(row, 3) || !isString(row[0]) || !isString(row[1]) || !isStrings(row[2])) return undefined;
    topics.push({ id: row[0], label: row[1], terms: row[2] });
  }
  const pinned: PinnedTopic[] = [];
  for (const row of body.pinned as unknown[]) {
    if (!isRow(row, 3) || !isString(row[0]) || !isString(row[1]) || !isStrings(row[2])) return undefined;
    pinned.push({ id: row[0], label: row[1], members: row[2] });
  }
  if (new Set(topics.map((topic) => topic.id)).size !== topics.length) return undefined;
  const known = new Set([...topics, ...pinned].map((topic) => topic.id));
  const inputs = new Map<string, string>();
  const assignments = new Map<string, TopicEvidence[]>();
  for (const row of body.papers as unknown[]) {
    if (!isRow(row, 3) || !isString(row[0]) || !isString(row[1]) || !DIGEST.test(row[1]) || !Array.isArray(row[2]) || inputs.has(row[0])) return undefined;
    const evidence: TopicEvidence[] = [];
    for (const item of row[2] as unknown[]) {
      if (!isRow(item, 3) || !isString(item[0]) || !known.has(item[0]) || typeof item[1] !== 'number' || !Number.isFinite(item[1]) || !isStrings(item[2])) return undefined;
      evidence.push({ topic: item[0], terms: item[2], score: item[1] });
    }
    inputs.set(row[0], row[1]);
    if (evidence.length > 0) assignments.set(row[0], evidence);
  }
  return { discovery: { topics, assignments }, inputs, pinned };
}
