/**
 * What the user decided about topics, kept in `.litnotes/topics.json` beside the reading state: the
 * topics they made, renamed, merged, deleted or pinned, and the papers they put into topics. Plain
 * JSON with sorted keys, one entry per topic and per paper, so that a change is a small diff; a file
 * that does not parse is "broken", reported, and never rewritten on Lit Notes' own initiative (the
 * rule of the reading state, readingState.ts).
 *
 * ```json
 * { "version": 1,
 *   "topics": { "user:proof-repair": { "label": "Proof repair", "parent": "source:Coq" },
 *               "keyword:coq": { "label": "Coq" },
 *               "keyword:misc": { "deleted": true },
 *               "source:ML": { "mergedInto": "user:proof-repair" },
 *               "discovered:a1b2": { "label": "Tactics · Lean", "pinned": true, "members": ["key1", "key2"] } },
 *   "papers": { "key1": ["user:proof-repair"] } }
 * ```
 * A paper listed under `papers` has exactly those topics (an empty list: the user put it in
 * Unsorted), whatever its source or discovery says.
 */
import { errorText } from '../errors';
import { fold } from '../search/text';
import { jsonErrorPosition, type ReadingStateError } from '../readingState';
import { isObject as isRecord } from '../sources/cslRecord';

export interface TopicDecision {
  /** The label the user gave (a rename), or the label of a topic they made. */
  label?: string;
  /** The topic it is a sub-topic of (a topic the user made under another). */
  parent?: string;
  /** Gone from the tree; its papers fall back to what the other rules give them. */
  deleted?: boolean;
  /** Merged into that topic: its papers and sub-topics are there. */
  mergedInto?: string;
  /** A discovered topic kept as it is: these papers, this label. */
  pinned?: boolean;
  members?: string[];
}

export interface TopicDecisions {
  topics: ReadonlyMap<string, TopicDecision>;
  /** Citation key → the paper's topics, primary first, exactly as the user set them. */
  papers: ReadonlyMap<string, readonly string[]>;
}

export type TopicsFileError = ReadingStateError;
export type ParsedTopicsFile = { decisions: TopicDecisions } | { error: TopicsFileError };

export const EMPTY_DECISIONS: TopicDecisions = { topics: new Map(), papers: new Map() };
/** The prefix of the ids of topics the user made. */
export const USER_TOPIC_PREFIX = 'user:';
const FORMAT_VERSION = 1;
const DECISION_FIELDS = ['label', 'parent', 'deleted', 'mergedInto', 'pinned', 'members'] as const;

/** Parses the file's text. An empty file means no decisions. */
export function parseTopicsFile(text: string): ParsedTopicsFile {
  if (text.trim() === '') return { decisions: EMPTY_DECISIONS };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: { message: `not valid JSON: ${errorText(error)}`, ...jsonErrorPosition(error, text) } };
  }
  const fail = (message: string): ParsedTopicsFile => ({ error: { message } });
  if (!isRecord(json)) return fail('expected an object with "version", "topics" and "papers"');
  const unknownField = Object.keys(json).find((field) => !['version', 'topics', 'papers'].includes(field));
  if (unknownField !== undefined) return fail(`unknown field "${unknownField}"`);
  if (json.version !== FORMAT_VERSION) return fail(`"version" must be ${FORMAT_VERSION}`);
  const topics = new Map<string, TopicDecision>();
  if (json.topics !== undefined && !isRecord(json.topics)) return fail('"topics" must be an object keyed by topic id');
  for (const [id, value] of Object.entries(json.topics ?? {})) {
    const where = `topics["${id}"]`;
    if (!isRecord(value)) return fail(`${where} must be an object`);
    const field = Object.keys(value).find((name) => !(DECISION_FIELDS as readonly string[]).includes(name));
    if (field !== undefined) return fail(`${where}: unknown field "${field}"`);
    for (const name of ['label', 'parent', 'mergedInto'] as const) {
      if (value[name] !== undefined && (typeof value[name] !== 'string' || value[name].trim() === '')) return fail(`${where}.${name} must be a text`);
    }
    for (const name of ['deleted', 'pinned'] as const) if (value[name] !== undefined && value[name] !== true) return fail(`${where}.${name} must be true when it is there`);
    if (value.members !== undefined && !isTextList(value.members)) return fail(`${where}.members must be a list of citation keys`);
    if (id.startsWith(USER_TOPIC_PREFIX) && value.label === undefined && value.deleted === undefined && value.mergedInto === undefined) {
      return fail(`${where}: a topic you made needs a "label"`);
    }
    if (value.pinned && !value.label) return fail(`${where}: a pinned topic needs a "label"`);
    topics.set(id, clean(value as TopicDecision));
  }
  const papers = new Map<string, string[]>();
  if (json.papers !== undefined && !isRecord(json.papers)) return fail('"papers" must be an object keyed by citation key');
  for (const [key, value] of Object.entries(json.papers ?? {})) {
    if (!isTextList(value)) return fail(`papers["${key}"] must be a list of topic ids`);
    papers.set(key, [...new Set(value)]);
  }
  return { decisions: { topics, papers } };
}

/** The file's text: ids and keys sorted, each decision's fields in one order, a trailing newline. */
export function serializeTopicsFile(decisions: TopicDecisions): string {
  // No prototype: an id or key such as "__proto__" must stay an ordinary entry.
  const topics: Record<string, TopicDecision> = Object.create(null);
  for (const id of [...decisions.topics.keys()].sort()) {
    const decision = clean(decisions.topics.get(id) as TopicDecision);
    const ordered: Record<string, unknown> = {};
    for (const name of DECISION_FIELDS) if (decision[name] !== undefined) ordered[name] = decision[name];
    topics[id] = ordered;
  }
  const papers: Record<string, readonly string[]> = Object.create(null);
  for (const key of [...decisions.papers.keys()].sort()) papers[key] = decisions.papers.get(key) as readonly string[];
  return `${JSON.stringify({ version: FORMAT_VERSION, topics, papers }, null, 2)}\n`;
}

/** The id for a new topic the user names: from its label, unique among `taken`. */
export function newUserTopicId(label: string, taken: (id: string) => boolean): string {
  const slug = fold(label).replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'topic';
  let id = `${USER_TOPIC_PREFIX}${slug}`;
  for (let n = 2; taken(id); n++) id = `${USER_TOPIC_PREFIX}${slug}-${n}`;
  return id;
}

/** With one topic's decision changed (`undefined` removes it). */
export function withTopic(decisions: TopicDecisions, id: string, change: (current: TopicDecision) => TopicDecision | undefined): TopicDecisions {
  const topics = new Map(decisions.topics);
  const next = change(topics.get(id) ?? {});
  if (next && Object.keys(clean(next)).length > 0) topics.set(id, clean(next));
  else topics.delete(id);
  return { ...decisions, topics };
}

/** With the papers' topics set: `change` gets each paper's topics as shown and returns the new list. */
export function withPaperTopics(decisions: TopicDecisions, keys: readonly string[], current: (key: string) => readonly string[], change: (topics: readonly string[]) => readonly string[]): TopicDecisions {
  const papers = new Map(decisions.papers);
  for (const key of new Set(keys)) papers.set(key, [...new Set(change(current(key)))]);
  return { ...decisions, papers };
}

/**
 * `from` merged into `into`: what the user put into `from` goes to `into`. A topic the user made is
 * then gone; any other is remembered as merged, so that its papers keep going to `into` on every load.
 */
export function mergeTopic(decisions: TopicDecisions, from: string, into: string): TopicDecisions {
  const renamed = renameInPapers(decisions, from, into);
  const topics = new Map(renamed.topics);
  for (const [id, decision] of topics) if (decision.parent === from) topics.set(id, { ...decision, parent: into });
  const own = topics.get(from);
  if (from.startsWith(USER_TOPIC_PREFIX)) topics.delete(from);
  else topics.set(from, { mergedInto: into, ...(own?.label && { label: own.label }) });
  const target = topics.get(into);
  if (target?.pinned && own?.members) topics.set(into, { ...target, members: [...new Set([...(target.members ?? []), ...own.members])] });
  return { ...renamed, topics };
}

/** The topic gone: a topic the user made is forgotten, any other is remembered as deleted; no paper keeps it. */
export function deleteTopic(decisions: TopicDecisions, id: string): TopicDecisions {
  const withoutPapers = renameInPapers(decisions, id, undefined);
  const topics = new Map(withoutPapers.topics);
  const parent = topics.get(id)?.parent;
  for (const [other, decision] of topics) if (decision.parent === id) topics.set(other, clean({ ...decision, parent }));
  if (id.startsWith(USER_TOPIC_PREFIX)) topics.delete(id);
  else topics.set(id, { deleted: true });
  return { ...withoutPapers, topics };
}

/** Every paper list with `from` replaced by `to` (or removed). */
function renameInPapers(decisions: TopicDecisions, from: string, to: string | undefined): TopicDecisions {
  const papers = new Map<string, readonly string[]>();
  for (const [key, topics] of decisions.papers) {
    papers.set(key, topics.includes(from) ? [...new Set(topics.flatMap((topic) => (topic === from ? (to === undefined ? [] : [to]) : [topic])))] : topics);
  }
  return { ...decisions, papers };
}

/**
 * Where a topic's papers go: itself, the topic it was merged into (through chains of merges), or
 * nowhere when it (or the end of its chain) was deleted.
 */
export function resolveTopicId(decisions: TopicDecisions, id: string): string | undefined {
  const seen = new Set<string>();
  let current = id;
  for (;;) {
    const decision = decisions.topics.get(current);
    if (decision?.deleted) return undefined;
    if (!decision?.mergedInto || seen.has(current)) return current;
    seen.add(current);
    current = decision.mergedInto;
  }
}

function clean(decision: TopicDecision): TopicDecision {
  const result: TopicDecision = {};
  if (decision.label?.trim()) result.label = decision.label.replace(/\s+/g, ' ').trim();
  if (decision.parent) result.parent = decision.parent;
  if (decision.deleted) return { deleted: true };
  if (decision.mergedInto) result.mergedInto = decision.mergedInto;
  if (decision.pinned) result.pinned = true;
  if (decision.members) result.members = [...new Set(decision.members)].sort();
  return result;
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}
