import type { SourceProblem } from './source';

/**
 * A BibTeX/BibLaTeX reader that never throws: it keeps every entry it can read, names each one it
 * cannot by line, and starts again at the next entry. Values come back with `@string` macros and `#`
 * concatenation resolved but LaTeX left as written (braces carry meaning: protected case, name groups),
 * so the mapping to papers decides what to decode.
 */

export interface BibEntry {
  /** Lower-case entry type: "article", "inproceedings", "online" … */
  type: string;
  key: string;
  /** Lower-case field names; values without their outer delimiters. */
  fields: Record<string, string>;
  /** 1-based line of the `@`. */
  line: number;
}

export interface ParsedBibtex {
  entries: BibEntry[];
  problems: SourceProblem[];
  /** The bodies of `@comment{…}` blocks: JabRef keeps its groups there (`jabref-meta: grouping:`). */
  comments: { text: string; line: number }[];
}

const MONTH_MACROS: Record<string, string> = {
  jan: '1', feb: '2', mar: '3', apr: '4', may: '5', jun: '6', jul: '7', aug: '8', sep: '9', oct: '10', nov: '11', dec: '12',
};

/** Characters that may not appear in an identifier (type, key, field or macro name). */
const NOT_IDENTIFIER = new Set([...' \t\r\n{}(),=#"%'].map((ch) => ch.charCodeAt(0)));
const AT = 0x40;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const HASH = 0x23;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const PERCENT = 0x25;

/** A line that starts a new entry: inside a value it means the value was never closed. */
const ENTRY_START = /^[ \t]*@[A-Za-z]+[ \t]*[{(]/;

class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    message: string,
    /** The file ended inside the entry: it is reported where the entry starts. */
    readonly endOfFile = false,
  ) {
    super(message);
  }
}

export function parseBibtex(text: string): ParsedBibtex {
  return new Parser(text.replace(/^\uFEFF/, '')).parse();
}

class Parser {
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  private readonly strings = new Map<string, string>(Object.entries(MONTH_MACROS));
  private readonly entries: BibEntry[] = [];
  private readonly problems: SourceProblem[] = [];
  private readonly comments: ParsedBibtex['comments'] = [];
  private readonly seenKeys = new Set<string>();
  /** Where the last value read ended, before the space after it. */
  private valueEnd = 0;

  constructor(private readonly text: string) {
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) this.lineStarts.push(index + 1);
  }

  parse(): ParsedBibtex {
    const { text } = this;
    for (;;) {
      // Text between entries is a comment in BibTeX.
      const at = text.indexOf('@', this.pos);
      if (at < 0) break;
      this.pos = at + 1;
      let key: string | undefined;
      try {
        const type = this.identifier('an entry type after "@"').toLowerCase();
        this.skipSpace();
        const open = text.charCodeAt(this.pos);
        if (open !== OPEN_BRACE && open !== OPEN_PAREN) throw new SyntaxProblem(this.pos, `expected "{" after "@${type}"`);
        this.pos++;
        const close = open === OPEN_BRACE ? CLOSE_BRACE : CLOSE_PAREN;
        if (type === 'comment' || type === 'preamble') {
          const start = this.pos;
          this.skipBlock(close, at);
          if (type === 'comment') this.comments.push({ text: this.text.slice(start, this.pos - 1), line: this.lineOf(at) });
        } else if (type === 'string') {
          this.stringDefinition(close);
        } else {
          key = this.entryKey();
          this.entry(type, key, close, at);
        }
      } catch (error) {
        if (!(error instanceof SyntaxProblem)) throw error;
        const what = key === undefined ? 'an entry' : `the entry "${key}"`;
        this.problems.push({
          line: this.lineOf(error.endOfFile ? at : error.offset),
          message: error.endOfFile ? `${what} is cut off: ${error.message}` : error.message,
          severity: 'error',
          ...(key === undefined ? {} : { key }),
        });
        this.pos = this.nextEntryStart(Math.max(error.offset, at + 1));
      }
    }
    return { entries: this.entries, problems: this.problems, comments: this.comments };
  }

  private entryKey(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length) {
      const code = this.text.charCodeAt(this.pos);
      if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_PAREN || code === NEWLINE) break;
      this.pos++;
    }
    const key = this.text.slice(start, this.pos).trim();
    if (!key || /[\s{}"#%'=,\\]/.test(key)) throw new SyntaxProblem(start, key ? `the citation key "${key}" contains a space or a special character` : 'the entry has no citation key');
    return key;
  }

  private entry(type: string, key: string, close: number, at: number): void {
    const fields: Record<string, string> = {};
    const line = this.lineOf(at);
    let previous: { name: string; end: number } | undefined;
    for (;;) {
      this.skipSpace();
      const code = this.text.charCodeAt(this.pos);
      if (code === close) {
        this.pos++;
        break;
      }
      if (code !== COMMA) {
        if (this.pos >= this.text.length) throw new SyntaxProblem(at, 'the file ends before its closing brace', true);
        // A brace left open inside a value closed at the entry's end: the next entry follows unannounced.
        if (code === AT) throw new SyntaxProblem(at, `the entry "${key}" is not closed before the next entry (line ${this.lineOf(this.pos)}); is a brace missing?`);
        // "title = {A}\n year = 2020": the comma is missing where the last value ends, a line earlier.
        if (previous && /^[^\s{}(),=#"%]+\s*=/.test(this.text.slice(this.pos, this.pos + 100))) {
          throw new SyntaxProblem(previous.end, `a "," is missing after the field "${previous.name}" of "${key}"`);
        }
        throw new SyntaxProblem(this.pos, `expected "," or the end of the entry "${key}"`);
      }
      this.pos++;
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === close) continue; // trailing comma
      const nameStart = this.pos;
      const name = this.identifier('a field name').toLowerCase();
      this.expect(EQUALS, `expected "=" after the field "${name}"`);
      const value = this.value();
      previous = { name, end: this.valueEnd };
      if (name in fields) {
        this.problems.push({ line: this.lineOf(nameStart), message: `the field "${name}" appears twice in "${key}"; the first is kept`, severity: 'warning', key });
      } else {
        fields[name] = value;
      }
    }
    if (this.seenKeys.has(key)) {
      this.problems.push({ line, message: `an earlier entry has the citation key "${key}"; this one is skipped`, severity: 'error', key });
      return;
    }
    this.seenKeys.add(key);
    this.entries.push({ type, key, fields, line });
  }

  private stringDefinition(close: number): void {
    this.skipSpace();
    const name = this.identifier('a macro name').toLowerCase();
    this.expect(EQUALS, `expected "=" after the macro "${name}"`);
    this.strings.set(name, this.value());
    this.skipSpace();
    this.expect(close, `expected the end of the @string "${name}"`);
  }

  /** A value: parts joined by `#`, each braced, quoted, a number or a macro name. */
  private value(): string {
    let result = '';
    for (;;) {
      this.skipSpace();
      const code = this.text.charCodeAt(this.pos);
      if (code === OPEN_BRACE) {
        const start = this.pos + 1;
        this.pos = this.matchBrace(this.pos);
        result += this.text.slice(start, this.pos - 1);
      } else if (code === QUOTE) {
        result += this.quoted();
      } else {
        const start = this.pos;
        const word = this.identifier('a value');
        if (/^\d+$/.test(word)) {
          result += word;
        } else {
          const expansion = this.strings.get(word.toLowerCase());
          if (expansion === undefined) {
            this.problems.push({ line: this.lineOf(start), message: `the macro "${word}" is not defined (no @string); left as text`, severity: 'warning' });
          }
          result += expansion ?? word;
        }
      }
      this.valueEnd = this.pos;
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== HASH) return result;
      this.pos++;
    }
  }

  private quoted(): string {
    const start = this.pos + 1;
    let depth = 0;
    for (let index = start; index < this.text.length; index++) {
      const code = this.text.charCodeAt(index);
      if (code === BACKSLASH) index++;
      else if (code === OPEN_BRACE) depth++;
      else if (code === CLOSE_BRACE) depth--;
      else if (code === QUOTE && depth <= 0) {
        this.pos = index + 1;
        return this.text.slice(start, index);
      } else if (code === NEWLINE) this.checkNotEntryStart(index, start);
    }
    throw new SyntaxProblem(start - 1, `a quoted value opened on line ${this.lineOf(start)} is never closed`, true);
  }

  /** Offset just after the brace matching the one at `open`. */
  private matchBrace(open: number): number {
    const { text } = this;
    let depth = 0;
    for (let index = open; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === BACKSLASH) index++; // "\{" and "\}" are text
      else if (code === OPEN_BRACE) depth++;
      else if (code === CLOSE_BRACE) {
        if (--depth === 0) return index + 1;
      } else if (code === NEWLINE) this.checkNotEntryStart(index, open);
    }
    throw new SyntaxProblem(open, `a "{" on line ${this.lineOf(open)} is never closed`, true);
  }

  /** A new entry on the next line means the value that started at `start` ran away: report it there. */
  private checkNotEntryStart(newline: number, start: number): void {
    if (this.text.charCodeAt(newline + 1) !== AT && !/[ \t]/.test(this.text[newline + 1] ?? '')) return;
    if (ENTRY_START.test(this.text.slice(newline + 1, newline + 80))) {
      throw new SyntaxProblem(start, `a value that starts here is not closed before the next entry (line ${this.lineOf(newline + 1)})`);
    }
  }

  /** Skips a @comment or @preamble body; a JabRef "@Comment{jabref-meta: …}" holds braces of its own. */
  private skipBlock(close: number, at: number): void {
    if (close === CLOSE_BRACE) {
      this.pos = this.matchBrace(this.pos - 1);
      return;
    }
    const end = this.text.indexOf(')', this.pos);
    if (end < 0) throw new SyntaxProblem(at, 'the file ends before its ")"', true);
    this.pos = end + 1;
  }

  private identifier(what: string): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && !NOT_IDENTIFIER.has(this.text.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) {
      const atEnd = this.pos >= this.text.length;
      throw new SyntaxProblem(start, atEnd ? `the file ends where ${what} was expected` : `expected ${what}, found "${this.text[start]}"`, atEnd);
    }
    return this.text.slice(start, this.pos);
  }

  private expect(code: number, message: string): void {
    this.skipSpace();
    if (this.pos >= this.text.length) throw new SyntaxProblem(this.pos, 'the file ends inside it', true);
    if (this.text.charCodeAt(this.pos) !== code) throw new SyntaxProblem(this.pos, message);
    this.pos++;
  }

  private skipSpace(): void {
    const { text } = this;
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (code === 0x20 || code === 0x09 || code === NEWLINE || code === 0x0d) this.pos++;
      else if (code === PERCENT) {
        // biber and most tools accept % line comments between fields.
        const end = text.indexOf('\n', this.pos);
        this.pos = end < 0 ? text.length : end + 1;
      } else return;
    }
  }

  /** Where to start again after an error: the next line that starts with "@". */
  private nextEntryStart(from: number): number {
    const pattern = /\n[ \t]*@/g;
    pattern.lastIndex = from;
    const match = pattern.exec(this.text);
    return match ? match.index + match[0].length - 1 : this.text.length;
  }

  private lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

/**
 * biblatex's default data inheritance: for these parent → child types some fields change their
 * names (a book's title is its chapter's booktitle); every other field, and every other pair of
 * types, inherits under its own name.
 */
const RENAMED_FIELDS: readonly { parents: readonly string[]; children: readonly string[]; fields: Readonly<Record<string, readonly string[]>> }[] = [
  { parents: ['mvbook'], children: ['book', 'inbook', 'bookinbook', 'suppbook'], fields: { author: ['author', 'bookauthor'], ...titles('main') } },
  { parents: ['mvcollection', 'mvreference'], children: ['collection', 'reference', 'incollection', 'inreference', 'suppcollection'], fields: titles('main') },
  { parents: ['mvproceedings'], children: ['proceedings', 'inproceedings'], fields: titles('main') },
  { parents: ['book'], children: ['inbook', 'bookinbook', 'suppbook'], fields: { author: ['author', 'bookauthor'], ...titles('book') } },
  { parents: ['collection', 'reference'], children: ['incollection', 'inreference', 'suppcollection'], fields: titles('book') },
  { parents: ['proceedings'], children: ['inproceedings'], fields: titles('book') },
  { parents: ['periodical'], children: ['article', 'suppperiodical'], fields: { title: ['journaltitle'], subtitle: ['journalsubtitle'], shorttitle: [], sorttitle: [], indextitle: [], indexsorttitle: [] } },
];

function titles(prefix: 'main' | 'book'): Record<string, readonly string[]> {
  // The parent's short and sorting titles describe the parent only.
  return { title: [`${prefix}title`], subtitle: [`${prefix}subtitle`], titleaddon: [`${prefix}titleaddon`], shorttitle: [], sorttitle: [], indextitle: [], indexsorttitle: [] };
}

/** Fields that belong to their own entry and are never inherited. */
const NOT_INHERITED = new Set([
  'crossref', 'xref', 'xdata', 'ids', 'entryset', 'entrysubtype', 'execute', 'label', 'options', 'presort',
  'related', 'relatedoptions', 'relatedstring', 'relatedtype', 'shorthand', 'shorthandintro', 'sortkey',
]);

/**
 * Fills the fields an entry lacks from the entries its `xdata` (a comma-separated list, all fields
 * under their own names) and its `crossref` name, parents resolved first, as biber does.
 */
export function resolveCrossrefs(entries: BibEntry[], problems: SourceProblem[]): BibEntry[] {
  const byKey = new Map(entries.map((entry) => [entry.key.toLowerCase(), entry]));
  const resolved = new Map<BibEntry, BibEntry>();
  const resolving = new Set<BibEntry>();
  const resolve = (entry: BibEntry): BibEntry => {
    const done = resolved.get(entry);
    if (done) return done;
    if (resolving.has(entry)) {
      problems.push({ line: entry.line, message: `"${entry.key}" inherits from itself through crossref or xdata; the loop is cut here`, severity: 'warning', key: entry.key });
      return entry;
    }
    resolving.add(entry);
    const fields = { ...entry.fields };
    const parent = (reference: string): BibEntry | undefined => {
      const found = byKey.get(reference.trim().toLowerCase());
      if (found && found !== entry) return resolve(found);
      problems.push({ line: entry.line, message: `"${entry.key}" refers to "${reference.trim()}", which is not in the file`, severity: 'warning', key: entry.key });
      return undefined;
    };
    for (const reference of (entry.fields.xdata ?? '').split(',').filter((part) => part.trim())) {
      const data = parent(reference);
      if (data) inherit(fields, data.fields, {});
    }
    if (entry.fields.crossref?.trim()) {
      const data = parent(entry.fields.crossref);
      if (data) inherit(fields, data.fields, RENAMED_FIELDS.find((rule) => rule.parents.includes(data.type) && rule.children.includes(entry.type))?.fields ?? {});
    }
    resolving.delete(entry);
    const result = { ...entry, fields };
    resolved.set(entry, result);
    return result;
  };
  return entries.map(resolve);
}

function inherit(fields: Record<string, string>, from: Readonly<Record<string, string>>, renamed: Readonly<Record<string, readonly string[]>>): void {
  for (const [name, value] of Object.entries(from)) {
    if (NOT_INHERITED.has(name)) continue;
    for (const target of renamed[name] ?? [name]) if (!(target in fields)) fields[target] = value;
  }
}
