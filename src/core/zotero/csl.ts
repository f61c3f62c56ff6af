/**
 * A Zotero item → the CSL-JSON item Zotero itself would export for it, field by field as Zotero's
 * CSL mapping does: the item type gives the CSL type; each CSL variable takes the first non-empty
 * field of its base fields (under the type's own names: `bookTitle`, `proceedingsTitle`, `university`
 * …); creators go to name roles by creator type, the primary one to `author`; `date` is `issued`,
 * `accessDate` `accessed`; Extra is the note, with CSL-spelled lines and dates read from it.
 */
import type { CslDate, CslName, CslRecord } from '../model';
import type { ZoteroCreator, ZoteroItem } from './api';
import {
  CSL_DATE_FIELDS,
  CSL_NAMES,
  CSL_TEXT_FIELDS,
  CSL_TYPES,
  EVENT_PLACE_TYPES,
  EXTRA_CSL_VARIABLES,
  EXTRA_DATE_VARIABLES,
  EXTRA_RENAMED,
  PRIMARY_CREATORS,
  TYPE_FIELDS,
} from './schema';

/** The CSL item of a regular Zotero item. An item type the schema does not know is a "document" (Zotero itself refuses it). */
export function zoteroItemToCsl(item: ZoteroItem): CslRecord {
  const { data } = item;
  const itemType = data.itemType;
  const csl: CslRecord = { type: CSL_TYPES[itemType] ?? 'document' };
  const field = (base: string): unknown => {
    if (Object.prototype.hasOwnProperty.call(data, base)) return data[base];
    const own = TYPE_FIELDS[itemType]?.[base];
    return own === undefined ? undefined : data[own];
  };
  for (const [variable, fields] of CSL_TEXT_FIELDS) {
    let candidates = fields;
    if (EVENT_PLACE_TYPES.has(itemType)) {
      if (variable === 'publisher-place') continue;
      if (variable === 'event-place') candidates = ['place'];
    }
    for (const name of candidates) {
      const value = field(name);
      if (typeof value !== 'string' || !value) continue;
      let text = value;
      if (name === 'ISBN') text = /^(?:97[89]-?)?(?:\d-?){9}[\dx](?!-)\b/i.exec(text)?.[0] ?? text;
      else if (name === 'extra') text = extraToCsl(text);
      csl[variable] = stripEnclosingQuotes(text);
      break;
    }
  }
  for (const [variable, names] of creatorsByRole(itemType, data.creators ?? [])) csl[variable] = names;
  for (const [variable, base] of CSL_DATE_FIELDS) {
    const value = field(base);
    if (typeof value !== 'string' || !value.trim()) continue;
    const date = base === 'accessDate' ? timestampDate(value) : parseDate(value, base === 'date' ? item.meta.parsedDate : undefined);
    if (date) csl[variable] = date;
  }
  if (typeof csl.note === 'string') csl.note = datesFromExtra(csl.note, csl);
  return csl;
}

/** A name role per creator type; the item type's primary creator, when no role is named for it, is the author. */
function creatorsByRole(itemType: string, creators: readonly ZoteroCreator[]): Map<string, CslName[]> {
  const roles = new Map<string, CslName[]>();
  const primary = PRIMARY_CREATORS[itemType] ?? 'author';
  for (const creator of creators) {
    const role = CSL_NAMES[creator.creatorType] ?? (creator.creatorType === primary ? 'author' : undefined);
    const name = role && cslName(creator);
    if (!role || !name) continue;
    roles.set(role, [...(roles.get(role) ?? []), name]);
  }
  return roles;
}

function cslName(creator: ZoteroCreator): CslName | undefined {
  const text = (value: string | undefined) => value?.trim() ?? '';
  const [first, last, single] = [text(creator.firstName), text(creator.lastName), text(creator.name)];
  if (single || (creator.fieldMode === 1 && last && !first)) return { literal: single || last };
  if (!first && !last) return undefined;
  const name: CslName = { family: last, given: first };
  if (!last || !first) return name;
  // A family name in quotes is taken as it is, without looking for particles.
  if (last.length > 1 && last.startsWith('"') && last.endsWith('"')) return { ...name, family: last.slice(1, -1) };
  return withParticles(name);
}

/**
 * Particles as CSL processors read them: leading lower-case words of the family name ("van der
 * Berg", "d'Alembert") are its non-dropping particle; a suffix after a comma in the given name
 * ("John, Jr.") is the suffix; trailing lower-case words of the given name ("Ludwig van") its dropping particle.
 */
export function withParticles(name: CslName): CslName {
  const result: CslName = { ...name };
  const family = leadingParticles(result.family ?? '');
  if (family.particle) {
    result.family = family.rest;
    result['non-dropping-particle'] = family.particle;
  }
  const comma = /\s*,!?\s*/.exec(result.given ?? '');
  if (comma && result.given) {
    const suffix = result.given.slice(comma.index + comma[0].length);
    if (suffix && suffix.replace(/\./g, '') !== 'et al') {
      result.suffix = suffix;
      if (comma[0].includes('!')) result['comma-suffix'] = true;
      result.given = result.given.slice(0, comma.index);
    }
  }
  const given = trailingParticles(result.given ?? '');
  if (given.particle) {
    result.given = given.rest;
    result['dropping-particle'] = given.particle;
  }
  return result;
}

/** A word of a name that is a particle: its first character (after an apostrophe or hyphen) is a lower-case letter. */
function isParticle(word: string): boolean {
  const first = /^[-'\u02bb\u2019\s]*(.)/u.exec(word)?.[1];
  return first !== undefined && first !== first.toUpperCase();
}

function leadingParticles(family: string): { particle: string; rest: string } {
  let rest = family;
  let particle = '';
  for (;;) {
    // A particle ends at a space, a hyphen or an apostrophe ("d'", "al-"), and something must follow it.
    const match = /^([^ \-'\u2019\u02bb]+(?:[-'\u2019\u02bb]| +))(.+)$/u.exec(rest);
    if (!match || !isParticle(match[1])) break;
    particle += match[1];
    rest = match[2];
  }
  return { particle: particle.replace(/ +$/, ''), rest };
}

function trailingParticles(given: string): { particle: string; rest: string } {
  const words = given.split(/ +/);
  let end = words.length;
  while (end > 1 && isParticle(words[end - 1])) end--;
  return { particle: words.slice(end).join(' '), rest: words.slice(0, end).join(' ') };
}

/** A value in straight double quotes throughout is the value without them. */
function stripEnclosingQuotes(text: string): string {
  return text.startsWith('"') && text.indexOf('"', 1) === text.length - 1 ? text.slice(1, -1) : text;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name) => new RegExp(`\\b${name}[a-z]*\\.?(?![a-z])`, 'i'));
const SEASONS: readonly (readonly [RegExp, number])[] = [
  [/\bspring\b/i, 1],
  [/\bsummer\b/i, 2],
  [/\b(?:autumn|fall)\b/i, 3],
  [/\bwinter\b/i, 4],
];
const QUOTED = /^["“](.+)["”]$/;
/** EDTF as Zotero reads it: a day, month or year, an optional "~" (circa), an optional "/" range. */
const EDTF = /^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?(?:\/(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?)?$/;

/**
 * A date field as CSL: quoted text is literal; EDTF ("2020-05-01", "2020-05", "2019/2020", "2020~")
 * is read as such; otherwise Zotero's own reading (`parsedDate`) or a year, month and day found in
 * the text ("May 5, 2020", "Spring 2021"); a date without a year is literal.
 */
export function parseDate(text: string, parsedDate?: string): CslDate | undefined {
  const value = text.trim();
  if (!value) return undefined;
  const quoted = QUOTED.exec(value);
  if (quoted) return { literal: quoted[1] };
  const edtf = EDTF.exec(value.replace(/[ T]\d{2}:\d{2}(?::\d{2})?Z?$/, ''));
  if (edtf) {
    const begin = dateParts(edtf[1], edtf[2], edtf[3]);
    const end = edtf[5] ? dateParts(edtf[5], edtf[6], edtf[7]) : undefined;
    if (begin && (end || !edtf[5])) return { 'date-parts': end ? [begin, end] : [begin], ...((edtf[4] || edtf[8]) && { circa: true }) };
  }
  const season = SEASONS.find(([pattern]) => pattern.test(value))?.[1];
  const parsed = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(parsedDate ?? '');
  const parts = parsed ? dateParts(parsed[1], parsed[2], parsed[3]) : partsInText(value);
  if (!parts) return { literal: value };
  return parts.length === 1 && season !== undefined ? { 'date-parts': [parts], season } : { 'date-parts': [parts] };
}

/** `[year, month?, day?]`, leaving out a zero or impossible month or day. */
function dateParts(year: string, month?: string, day?: string): number[] | undefined {
  const parts = [Number(year)];
  if (!Number.isInteger(parts[0])) return undefined;
  const m = Number(month);
  if (month && m >= 1 && m <= 12) {
    parts.push(m);
    const d = Number(day);
    if (day && d >= 1 && d <= 31) parts.push(d);
  }
  return parts;
}

/** Year, month name and day in free text: "5 May 2020", "May 5, 2020", "May 2020", "2020". */
function partsInText(text: string): number[] | undefined {
  const year = /(?:^|\D)(\d{4})(?!\d)/.exec(text)?.[1];
  if (!year) return undefined;
  const monthIndex = MONTHS.findIndex((pattern) => pattern.test(text));
  if (monthIndex < 0) {
    // Numeric "2020/05/01" or "05/01/2020" are left to Zotero's parsedDate; here only the year.
    return [Number(year)];
  }
  const day = /(?:^|[^\d])([0-3]?\d)(?:st|nd|rd|th)?(?!\d)/.exec(text.replace(year, ' '))?.[1];
  return dateParts(year, String(monthIndex + 1).padStart(2, '0'), day?.padStart(2, '0'));
}

/** An access date: a SQL ("2024-01-02 10:11:12") or ISO timestamp, of which the day is kept. */
function timestampDate(text: string): CslDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  const parts = match ? dateParts(match[1], match[2], match[3]) : undefined;
  return parts ? { 'date-parts': [parts] } : parseDate(text);
}

/**
 * Extra as the CSL note: lines "Original Title: …" or "Publication Title: …" (a variable in CSL's
 * or Zotero's spelling) are written in CSL's spelling, so CSL processors read them.
 */
export function extraToCsl(extra: string): string {
  return extra.replace(/^([A-Za-z -]+)(:\s*.+)$/gm, (line, name: string, rest: string) => {
    const csl = name.trim().toLowerCase().replace(/ /g, '-');
    if (EXTRA_CSL_VARIABLES.has(csl)) return csl + rest;
    if (EXTRA_RENAMED[csl]) return EXTRA_RENAMED[csl] + rest;
    const zoteroField = zoteroFieldName(name.trim());
    const variable = CSL_TEXT_FIELDS.find(([, fields]) => fields.includes(zoteroField))?.[0];
    return variable ? variable + rest : line;
  });
}

/** "Publication Title" → "publicationTitle"; an acronym ("DOI") keeps its case. */
function zoteroFieldName(label: string): string {
  const joined = label.replace(/ ([A-Za-z])/g, (_match, letter: string) => letter.toUpperCase());
  return joined[1] && joined[1] === joined[1].toLowerCase() ? joined[0].toLowerCase() + joined.slice(1) : joined;
}

/**
 * Date lines of the note ("issued: 2020-05", "original-date: 1905") set those variables, overriding
 * the item's own, and leave the note; as in CSL processors, the first line may be anything, and the
 * first other line that is not "variable: value" ends the search.
 */
function datesFromExtra(note: string, csl: CslRecord): string {
  const lines = note.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index].trim()) continue;
    const match = /^([-_a-z]+|[A-Z]+):\s*([^}]+)$/.exec(lines[index]);
    if (!match) {
      if (index === 0) continue;
      break;
    }
    if (!EXTRA_DATE_VARIABLES.has(match[1])) continue;
    const value = match[2].trim();
    const quoted = QUOTED.exec(value);
    const edtf = quoted ? undefined : EDTF.exec(value) && parseDate(value);
    if (quoted || edtf) {
      csl[match[1]] = quoted ? { literal: quoted[1] } : edtf;
      lines[index] = '';
    }
  }
  return lines.join('\n');
}
