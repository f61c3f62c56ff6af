/**
 * Topics a library file defines itself: JabRef's group tree (`@Comment{jabref-meta: grouping: …}`
 * and each entry's `groups` field), a `groups` field without a tree (BibLaTeX files of other tools),
 * and keywords (BibTeX `keywords`, CSL-JSON `keyword`/`categories`) shared by enough papers. Any source
 * can hand its topics over the same way (`SourceTopic` plus each paper's topic ids): a Zotero
 * collection is a topic with a parent like a JabRef group.
 */
import { fold } from '../search/text';
import { splitKeywords, type SourceProblem } from '../sources/source';

/** A topic as a source defines it; `parent` is another of the source's topic ids. */
export interface SourceTopic {
  id: string;
  label: string;
  parent?: string;
}

/** A source's topic tree and, per entry key, the ids of the topics the entry is in. */
export interface SourceTopics {
  topics: SourceTopic[];
  members: Map<string, string[]>;
}

/**
 * The id of a source topic from its path of labels: the same group in two files (or read twice) is
 * one topic. A "/" inside a label is written %2F so that the path stays unambiguous.
 */
export function sourceTopicId(path: readonly string[]): string {
  return `source:${path.map((label) => label.trim().replace(/[%/]/g, (ch) => encodeURIComponent(ch))).join('/')}`;
}

/** Splits on `separator` where it is not escaped by a backslash; `\x` becomes `x` (JabRef's quoting). */
function splitEscaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const ch = text[index];
    if (ch === '\\' && index + 1 < text.length) current += text[++index];
    else if (ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

/** An entry as the group rules read it: its key and its fields' text (LaTeX decoded), by lower-case name. */
export interface EntryFields {
  key: string;
  field(name: string): string;
}

/** The group types JabRef writes whose members Lit Notes can tell. */
type Matcher = (entry: EntryFields) => boolean;

/** The entry's own list in a field (keywords, groups): split at commas and semicolons, trimmed. */
function listOf(entry: EntryFields, field: string): string[] {
  return splitKeywords(entry.field(field));
}

/**
 * JabRef's groups: the tree from the `jabref-meta: grouping:` (JabRef 3 to 5) or `groupstree:`
 * (JabRef 2) comment, each line `LEVEL Type:name;context;…`. Static and explicit groups hold the
 * entries whose `groups` field names them (JabRef 2's explicit groups list their keys themselves);
 * keyword groups the entries whose field contains the term; automatic keyword groups one sub-topic
 * per value of their field. Search, person and TeX groups are named in a warning and left out:
 * their members depend on JabRef's search language or on files outside the library.
 */
export function jabrefTopics(comments: readonly { text: string; line: number }[], entries: readonly EntryFields[], problems: SourceProblem[]): SourceTopics | undefined {
  const comment = comments.find((candidate) => /^\s*jabref-meta:\s*(?:grouping|groupstree):/.test(candidate.text));
  if (!comment) return undefined;
  const body = comment.text.replace(/^\s*jabref-meta:\s*(?:grouping|groupstree):/, '');
  const topics: SourceTopic[] = [];
  const members = new Map<string, string[]>();
  const join = (key: string, id: string) => {
    const list = members.get(key) ?? [];
    if (!list.includes(id)) list.push(id);
    members.set(key, list);
  };
  // The path of labels down to the current level: a line's parent is the last line one level up.
  const path: string[] = [];
  const seen = new Set<string>();
  const add = (labels: readonly string[]): string => {
    const id = sourceTopicId(labels);
    if (!seen.has(id)) {
      seen.add(id);
      topics.push({ id, label: labels[labels.length - 1].trim(), ...(labels.length > 1 && { parent: sourceTopicId(labels.slice(0, -1)) }) });
    }
    return id;
  };
  const skipped = new Set<string>();
  for (const item of splitEscaped(body, ';')) {
    const match = /^\s*(\d+)\s+([A-Za-z]+):([\s\S]*)$/.exec(item);
    if (!match) continue;
    const level = Number(match[1]);
    const type = match[2];
    if (type === 'AllEntriesGroup' || level === 0) continue;
    const [rawName = '', , ...rest] = splitEscaped(match[3], ';');
    const label = rawName.trim();
    if (!label || level > path.length + 1) continue;
    path.length = level - 1;
    path.push(label);
    const labels = [...path];
    const matcher = groupMatcher(type, rest, entries);
    if (matcher === undefined) {
      skipped.add(type);
      continue;
    }
    const id = add(labels);
    if (matcher === 'automatic') {
      const [field = 'keywords', delimiter = ',', hierarchy = '>'] = rest;
      for (const entry of entries) {
        for (const value of entry.field(field.toLowerCase()).split(delimiter || ',')) {
          const parts = value.split(hierarchy || '>').map((part) => part.trim()).filter(Boolean);
          if (parts.length === 0) continue;
          for (let depth = 1; depth < parts.length; depth++) add([...labels, ...parts.slice(0, depth)]);
          join(entry.key, add([...labels, ...parts]));
        }
      }
      continue;
    }
    for (const entry of entries) if (listOf(entry, 'groups').includes(label) || matcher(entry)) join(entry.key, id);
  }
  if (skipped.size > 0) {
    problems.push({
      line: comment.line,
      message: `JabRef ${[...skipped].sort().join(', ')} groups are not read (their members depend on JabRef's own search); the other groups are topics`,
      severity: 'warning',
    });
  }
  return { topics, members };
}

/**
 * Who else belongs to a group beside the entries whose `groups` field names it; `automatic` for a
 * group made of one sub-group per value; undefined for a group Lit Notes cannot read.
 */
function groupMatcher(type: string, rest: readonly string[], entries: readonly EntryFields[]): Matcher | 'automatic' | undefined {
  switch (type) {
    case 'StaticGroup':
      return () => false;
    case 'ExplicitGroup': {
      // JabRef 2 listed the members' keys after the context.
      const keys = new Set(rest);
      return keys.size > 0 && entries.some((entry) => keys.has(entry.key)) ? (entry) => keys.has(entry.key) : () => false;
    }
    case 'KeywordGroup': {
      const [field = 'keywords', term = '', caseSensitive = '0', regex = '0'] = rest;
      const name = field.toLowerCase();
      if (!term) return () => false;
      if (regex === '1') {
        let pattern: RegExp;
        try {
          pattern = new RegExp(term, caseSensitive === '1' ? 'u' : 'iu');
        } catch {
          return undefined;
        }
        return (entry) => pattern.test(entry.field(name));
      }
      const wanted = caseSensitive === '1' ? term : fold(term);
      const same = (value: string) => (caseSensitive === '1' ? value : fold(value));
      // In a list field a keyword is a whole item; in any other field the term is looked for in the text.
      return name === 'keywords' || name === 'groups'
        ? (entry) => listOf(entry, name).some((keyword) => same(keyword) === wanted)
        : (entry) => same(entry.field(name)).includes(wanted);
    }
    case 'AutomaticKeywordGroup':
      return 'automatic';
    default:
      return undefined;
  }
}

/** A `groups` field with no JabRef tree to place it: each group name is a topic of its own. */
export function groupFieldTopics(entries: readonly EntryFields[]): SourceTopics | undefined {
  const topics = new Map<string, SourceTopic>();
  const members = new Map<string, string[]>();
  for (const entry of entries) {
    const ids = listOf(entry, 'groups').map((label) => {
      const id = sourceTopicId([label]);
      if (!topics.has(id)) topics.set(id, { id, label });
      return id;
    });
    if (ids.length > 0) members.set(entry.key, [...new Set(ids)]);
  }
  return topics.size > 0 ? { topics: [...topics.values()], members } : undefined;
}

/**
 * A keyword becomes a topic when at least this many papers share it, and this share of the papers
 * with keywords (0.5%): keywords are noisy (publishers' and databases' subject terms, one-off tags),
 * and a row for two papers that share a word by chance makes the tree longer, not clearer. Three
 * papers is the least that makes a group; the share keeps a 10,000-paper library at a few hundred
 * keyword rows rather than thousands.
 */
export const MIN_KEYWORD_PAPERS = 3;
export const MIN_KEYWORD_SHARE = 0.005;
/** A keyword on more than half the papers (of a library of some size) says nothing about any of them ("computer science"). */
export const MAX_KEYWORD_SHARE = 0.5;
const MAX_KEYWORD_SHARE_FROM = 10;
/** A paper goes under at most this many keyword topics, the most specific (fewest papers) first. */
export const MAX_KEYWORD_TOPICS = 3;
/** A hierarchical keyword, as JabRef and Zotero write them: "Logic > Type theory". */
const HIERARCHY = /\s+>\s+/;

/** The id of a keyword topic: the keyword path, case and accents aside. */
function keywordTopicId(path: readonly string[]): string {
  return `keyword:${path.map((part) => fold(part).replace(/[%/]/g, (ch) => encodeURIComponent(ch))).join('/')}`;
}

/**
 * Topics from the papers' keywords: those shared by enough papers (see MIN_KEYWORD_PAPERS), spelt as
 * most papers spell them, with "A > B" keywords as sub-topics. Each paper gets its qualifying keywords'
 * topics, most specific first. `papers` lists each paper's keywords.
 */
export function keywordTopics(papers: readonly { key: string; keywords: readonly string[] }[]): SourceTopics {
  const counts = new Map<string, { papers: Set<string>; spellings: Map<string, number>; path: string[] }>();
  const withKeywords = papers.filter((paper) => paper.keywords.length > 0);
  for (const paper of withKeywords) {
    for (const keyword of paper.keywords) {
      const parts = keyword.split(HIERARCHY).map((part) => part.trim()).filter(Boolean);
      // Each level of "A > B" counts for its own topic: a paper filed under "A > B" is in "A" too.
      for (let depth = 1; depth <= parts.length; depth++) {
        const path = parts.slice(0, depth);
        const id = keywordTopicId(path);
        const entry = counts.get(id) ?? { papers: new Set<string>(), spellings: new Map<string, number>(), path };
        entry.papers.add(paper.key);
        const spelling = path[path.length - 1];
        entry.spellings.set(spelling, (entry.spellings.get(spelling) ?? 0) + 1);
        counts.set(id, entry);
      }
    }
  }
  const least = Math.max(MIN_KEYWORD_PAPERS, Math.ceil(withKeywords.length * MIN_KEYWORD_SHARE));
  const most = withKeywords.length >= MAX_KEYWORD_SHARE_FROM ? withKeywords.length * MAX_KEYWORD_SHARE : Infinity;
  const qualifies = (id: string) => {
    const size = counts.get(id)?.papers.size ?? 0;
    return size >= least && size <= most;
  };
  const topics: SourceTopic[] = [];
  for (const [id, entry] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!qualifies(id)) continue;
    // The spelling most papers use; on a tie the one that sorts first, so that the label does not depend on the order of the file.
    const label = [...entry.spellings].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))[0][0];
    const parent = entry.path.length > 1 ? keywordTopicId(entry.path.slice(0, -1)) : undefined;
    topics.push({ id, label, ...(parent && qualifies(parent) && { parent }) });
  }
  const kept = new Set(topics.map((topic) => topic.id));
  const members = new Map<string, string[]>();
  for (const paper of withKeywords) {
    const ids = new Set<string>();
    for (const keyword of paper.keywords) {
      const parts = keyword.split(HIERARCHY).map((part) => part.trim()).filter(Boolean);
      // The deepest level that is a topic: "A > B" files the paper under B, which sits in A.
      for (let depth = parts.length; depth >= 1; depth--) {
        const id = keywordTopicId(parts.slice(0, depth));
        if (kept.has(id)) {
          ids.add(id);
          break;
        }
      }
    }
    const size = (id: string) => counts.get(id)?.papers.size ?? 0;
    const chosen = [...ids].sort((a, b) => size(a) - size(b) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_KEYWORD_TOPICS);
    if (chosen.length > 0) members.set(paper.key, chosen);
  }
  return { topics, members };
}
