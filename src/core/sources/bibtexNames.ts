import { decodeLatex } from './latex';

/**
 * BibTeX name lists: "Last, First and von Last, Jr, First and First von Last and {Institution Name}",
 * and biblatex's "family=Berg, given=Anna, prefix=van den". Splitting happens on the raw text, where
 * braces still say what belongs together; the parts come back decoded.
 */

/** One name in BibTeX's four parts, or an institution (a single braced group) as a literal. */
export interface BibtexPerson {
  given?: string;
  von?: string;
  family?: string;
  jr?: string;
  literal?: string;
}

export interface BibtexNames {
  people: BibtexPerson[];
  /** "and others" ends the list: more authors than are named. */
  others: boolean;
  /** An empty name between two "and"s ("Bickford, Mark and and Constable"): a slip worth reporting. */
  emptyNames: number;
}

/** " and ", or several in a row: the empty names between them are skipped, not read as "and Constable". */
const NAME_SEPARATOR = /\s+and(?:\s+and)*\s+/iy;
/** biblatex's extended name format: every part is "key=value". */
const EXTENDED_PART = /^(family|given|prefix|suffix|useprefix|giveni|familyi|prefixi|suffixi)\s*=/i;

export function parseBibtexNames(raw: string): BibtexNames {
  let emptyNames = 0;
  // Padded, so that an "and" at either end is a separator too.
  const parts = splitTopLevel(` ${raw.trim()} `, NAME_SEPARATOR, (separator) => (emptyNames += separator.trim().split(/\s+/).length - 1)).map((name) => name.trim());
  const names = parts.filter(Boolean);
  if (raw.trim()) emptyNames += parts.length - names.length;
  const others = names.length > 0 && names[names.length - 1].toLowerCase() === 'others';
  const people = (others ? names.slice(0, -1) : names).map(parseBibtexName).filter((person) => person.family || person.given || person.literal);
  return { people, others, emptyNames };
}

function parseBibtexName(raw: string): BibtexPerson {
  const parts = splitTopLevel(raw, /\s*,\s*/y).map((part) => part.trim());
  if (parts.length >= 2 && parts.every((part) => EXTENDED_PART.test(part))) return extendedName(parts);
  if (parts.length >= 2) {
    // "von Last, First" or "von Last, Jr, First".
    const { von, last } = splitVon(splitTopLevel(parts[0], /\s+/y).filter(Boolean));
    return person({ given: parts.slice(parts.length >= 3 ? 2 : 1).join(' '), von, family: last, jr: parts.length >= 3 ? parts[1] : '' });
  }
  const words = splitTopLevel(raw, /\s+/y).filter(Boolean);
  // A single braced group is an institution ("{OpenAI Team}"), kept whole.
  if (words.length === 1 && /^\{[^]*\}$/.test(words[0]) && !words[0].startsWith('{\\')) return { literal: decodeLatex(words[0]) };
  if (words.length <= 1) return person({ family: words[0] ?? '' });
  // "First von Last": von runs from the first to the last lower-case word before the last word.
  const firstLower = words.findIndex((word, index) => index < words.length - 1 && startsLowerCase(word));
  if (firstLower < 0) return person({ given: words.slice(0, -1).join(' '), family: words[words.length - 1] });
  const { von, last } = splitVon(words.slice(firstLower));
  return person({ given: words.slice(0, firstLower).join(' '), von, family: last });
}

/** The lower-case words that start a family name ("van der" Berg), never its last word. */
function splitVon(words: string[]): { von: string; last: string } {
  let end = 0;
  for (let index = 0; index < words.length - 1; index++) if (startsLowerCase(words[index])) end = index + 1;
  return { von: words.slice(0, end).join(' '), last: words.slice(end).join(' ') };
}

function extendedName(parts: string[]): BibtexPerson {
  const value = (key: string) => {
    const part = parts.find((candidate) => new RegExp(`^${key}\\s*=`, 'i').test(candidate));
    return part?.slice(part.indexOf('=') + 1).trim().replace(/^\{([^]*)\}$/, '$1') ?? '';
  };
  return person({ given: value('given'), von: value('prefix'), family: value('family'), jr: value('suffix') });
}

function person(raw: { given?: string; von?: string; family?: string; jr?: string }): BibtexPerson {
  const result: BibtexPerson = {};
  for (const part of ['given', 'von', 'family', 'jr'] as const) {
    const text = raw[part] === undefined ? '' : decodeLatex(raw[part]);
    if (text) result[part] = text;
  }
  return result;
}

/** BibTeX's rule: the case of the first letter outside braces, or of a `{\command…}` group's letter. */
function startsLowerCase(word: string): boolean {
  const special = /^\{\\[^a-zA-Z]?[a-zA-Z]*\s*\{?([a-zA-Z])/.exec(word);
  if (special) return /[a-z]/.test(special[1]);
  if (word.startsWith('{')) return false;
  const letter = /\p{L}/u.exec(word)?.[0];
  return letter !== undefined && letter === letter.toLowerCase() && letter !== letter.toUpperCase();
}

/** Splits at matches of a sticky `separator` that occur outside braces; `onSeparator` sees each match. */
function splitTopLevel(text: string, separator: RegExp, onSeparator?: (match: string) => void): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const ch = text[index];
    if (ch === '\\') index++;
    else if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (depth === 0) {
      separator.lastIndex = index;
      const match = separator.exec(text);
      if (match && match[0].length > 0) {
        onSeparator?.(match[0]);
        parts.push(text.slice(start, index));
        start = index + match[0].length;
        index = start - 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts;
}
