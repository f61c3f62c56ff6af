import type { Author } from '../model';
import { decodeLatex } from './latex';

/**
 * BibTeX name lists: "Last, First and von Last, Jr, First and First von Last and {Institution Name}".
 * Splitting happens on the raw text, where braces still say what belongs together.
 */

export interface BibtexNames {
  authors: Author[];
  /** "and others" ends the list: more authors than are named. */
  others: boolean;
  /** An empty name between two "and"s ("Bickford, Mark and and Constable"): a slip worth reporting. */
  emptyNames: number;
}

/** " and ", or several in a row: the empty names between them are skipped, not read as "and Constable". */
const NAME_SEPARATOR = /\s+and(?:\s+and)*\s+/iy;

export function parseBibtexNames(raw: string): BibtexNames {
  let emptyNames = 0;
  // Padded, so that an "and" at either end is a separator too.
  const parts = splitTopLevel(` ${raw.trim()} `, NAME_SEPARATOR, (separator) => (emptyNames += separator.trim().split(/\s+/).length - 1)).map((name) => name.trim());
  const names = parts.filter(Boolean);
  if (raw.trim()) emptyNames += parts.length - names.length;
  const others = names.length > 0 && names[names.length - 1].toLowerCase() === 'others';
  return { authors: (others ? names.slice(0, -1) : names).map(parseBibtexName).filter((author) => author.family !== ''), others, emptyNames };
}

function parseBibtexName(raw: string): Author {
  const parts = splitTopLevel(raw, /\s*,\s*/y).map((part) => part.trim());
  if (parts.length >= 2) {
    // "von Last, First" or "von Last, Jr, First"; the suffix stays with the family name.
    const family = parts.length >= 3 && parts[1] ? `${parts[0]} ${parts[1]}` : parts[0];
    return { given: decodeLatex(parts.slice(parts.length >= 3 ? 2 : 1).join(' ')), family: decodeLatex(family) };
  }
  const words = splitTopLevel(raw, /\s+/y).filter(Boolean);
  // A single braced group is an institution ("{OpenAI Team}"), kept whole.
  if (words.length <= 1) return { given: '', family: decodeLatex(words[0] ?? '') };
  // "First von Last": the family name starts at the first lower-case word before the last one.
  let familyStart = words.length - 1;
  for (let index = 0; index < words.length - 1; index++) {
    if (startsLowerCase(words[index])) {
      familyStart = index;
      break;
    }
  }
  return { given: decodeLatex(words.slice(0, familyStart).join(' ')), family: decodeLatex(words.slice(familyStart).join(' ')) };
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
