/**
 * What an identifier lookup gives: a CSL-JSON item without its id (the citation key is given when it
 * is added), cleaned of everything that is no CSL variable, with plain-text titles and abstracts.
 * Shared helpers for the services' answers: markup to text, CSL dates, names from one string.
 */
import { decodeEntities } from './xml';

/** A CSL name as CSL-JSON writes it. */
export interface RecordName {
  family?: string;
  given?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
  suffix?: string;
  literal?: string;
}

export interface RecordDate {
  'date-parts': number[][];
}

export interface FetchedRecord {
  /** A CSL item type ("article", "article-journal", "paper-conference" …). */
  type: string;
  title?: string;
  author?: RecordName[];
  issued?: RecordDate;
  abstract?: string;
  DOI?: string;
  URL?: string;
  /** CSL 1.0.2's place for data without a CSL variable: here what arXiv says beyond CSL. */
  custom?: Record<string, string>;
  [variable: string]: unknown;
}

/** The outcome for one identifier: a record, or why there is none, in words. */
export type LookupResult = { record: FetchedRecord } | { error: string };

/** Thrown by the answer readers when an answer has not the shape its service documents. */
export class MalformedAnswer extends Error {}

/**
 * Text from a service's markup: JATS (`<jats:p>`), HTML (`<i>`, `<sub>`) or plain text. Tags go,
 * entities are decoded once, paragraphs are kept apart by a blank line, other whitespace collapses.
 * A decoded `&lt;img…&gt;` stays text: nothing here is ever read as markup again.
 */
export function plainText(markup: string): string {
  const paragraphs = markup
    // A JATS abstract often starts with its own heading ("Abstract").
    .replace(/<(?:jats:)?title\b[^>]*>[\s\S]*?<\/(?:jats:)?title>/gi, '')
    .split(/<\/?(?:jats:)?(?:p|sec|list-item)\b[^>]*>|\n\s*\n/i);
  return paragraphs
    .map((paragraph) => decodeEntities(paragraph.replace(/<\/?[A-Za-z][\w:.-]*(?:\s[^<>]*)?\/?>/g, '')).replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}

/** A line of text: markup gone, all whitespace collapsed (titles, names, venues). */
export function lineText(markup: string): string {
  return plainText(markup).replace(/\s+/g, ' ');
}

/** `2024-12-03T18:56:07Z`, `2024-12`, `2024` → CSL date parts; undefined when there is no year. */
export function dateFromIso(text: string | undefined): RecordDate | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return { 'date-parts': [match.slice(1).filter(Boolean).map(Number)] };
}

/** A date from milliseconds since 1970 (OpenReview), in UTC. */
export function dateFromMillis(ms: unknown): RecordDate | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined;
  const date = new Date(ms);
  return { 'date-parts': [[date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]] };
}

export function yearOfRecord(record: FetchedRecord): number | undefined {
  const year = record.issued?.['date-parts'][0]?.[0];
  return typeof year === 'number' && Number.isFinite(year) ? year : undefined;
}

const GENERATIONAL = /^(?:jr|sr|ii|iii|iv)\.?$/i;
/** Names that stand for a group of people, kept whole as a literal. */
const INSTITUTION = /\b(?:collaboration|consortium|team|group|project|institute|laboratory|university|association|committee|society|organi[sz]ation|inc|ltd)\b/i;

/**
 * A person's name written in one string, given names first ("Mihaela van der Schaar", "Sam Smith Jr."),
 * or "Family, Given". The family name is the last word, with the lower-case particles before it.
 */
export function nameFromText(raw: string): RecordName | undefined {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (INSTITUTION.test(text)) return { literal: text };
  const comma = text.indexOf(',');
  if (comma > 0 && !GENERATIONAL.test(text.slice(comma + 1).trim())) {
    const given = text.slice(comma + 1).trim();
    return given ? { family: text.slice(0, comma).trim(), given } : { family: text.slice(0, comma).trim() };
  }
  const words = text.replace(/,/g, '').split(' ');
  const suffix = words.length > 2 && GENERATIONAL.test(words[words.length - 1]) ? words.pop() : undefined;
  if (words.length === 1) return { family: words[0], ...(suffix && { suffix }) };
  const family = words.pop() as string;
  let particleStart = words.length;
  while (particleStart > 1 && isParticle(words[particleStart - 1])) particleStart--;
  const particle = words.splice(particleStart).join(' ');
  return {
    family,
    given: words.join(' '),
    ...(particle && { 'non-dropping-particle': particle }),
    ...(suffix && { suffix }),
  };
}

/** "van", "der", "de", "la": a lower-case word before the family name. */
function isParticle(word: string): boolean {
  const letter = /\p{L}/u.exec(word)?.[0];
  return letter !== undefined && letter === letter.toLowerCase() && letter !== letter.toUpperCase();
}

/** The name as it reads ("Mihaela van der Schaar"), for messages and comparisons. */
export function nameLabel(name: RecordName): string {
  if (name.literal) return name.literal;
  return [name.given, name['dropping-particle'], name['non-dropping-particle'], name.family, name.suffix].filter(Boolean).join(' ');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
