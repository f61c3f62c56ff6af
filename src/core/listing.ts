import type { PartialDate } from './model';

/**
 * Parser for paper listings copied from the Hugging Face "Daily Papers" page (plain text or a
 * Markdown copy). Per paper: a title line, a blank line, the abstract, then optionally an
 * "N authors" or organisation line, a "·" line and a date line such as "Dec 3, 2024" or "Sep 20 2"
 * (year-less, followed by the upvote count).
 */

export interface ListingEntry {
  /** 1-based line of the title in the source text. */
  line: number;
  title: string;
  /** Empty only when the source gives none (always reported as a problem). */
  abstract: string;
  authorCount?: number;
  organization?: string;
  date?: PartialDate;
  upvotes?: number;
  /** Only when the title is a Markdown link to the paper's arXiv or Hugging Face page. */
  arxivId?: string;
}

export interface ListingProblem {
  /** 1-based line the problem was found on. */
  line: number;
  message: string;
}

export interface ParsedListing {
  entries: ListingEntry[];
  problems: ListingProblem[];
  /** The date the listing page itself shows in its header ("Dec 19"). */
  listingDate?: PartialDate;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Page chrome around the list; skipped wherever it appears, since users paste whole pages. */
const BOILERPLATE = [
  /^new$/i,
  /^get trending papers in your e-?mail inbox!?$/i,
  /^subscribe$/i,
  /^daily papers$/i,
  /^by\s*ak and the research community$/i,
];

const AUTHORS_LINE = /^(?:[•·*+-]\s*)?(\d{1,4})\s+authors?$/i;
const SEPARATOR_LINE = /^[·•]$/;
/** Shape of a date line, checked before the date itself so that "Dec 32" is reported, not taken for a title. */
const DATE_SHAPE = /^([A-Za-z]{3,9})\.?\s+\d[\d,\s]*$/;
/** "Oct 3, 2024 2": the year always follows a comma; a number after a space is the upvote count. */
const DATE_LINE = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d{1,7}))?$/;
const MARKDOWN_HEADING = /^#{1,6}\s+/;
const MARKDOWN_RULE = /^(?:-{3,}|\*{3,}|_{3,})$/;
const MARKDOWN_LINK_LINE = /^\[(.+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)$/;
const PAPER_URL = /(?:huggingface\.co\/papers|^\/papers|arxiv\.org\/(?:abs|pdf))\/(\d{4}\.\d{4,5})(?:v\d+)?(?:[/?#.]|$)/;
/** An abstract nearly always ends with a full stop and a title almost never does. */
const SENTENCE_END = /[.。]["'”’)\]]*$/;
const ABSTRACT_MIN_LENGTH = 250;
const ORGANIZATION_MAX_WORDS = 6;
const ORGANIZATION_MAX_LENGTH = 80;

type Line =
  | { kind: 'blank' }
  | { kind: 'text'; text: string; heading: boolean; arxivId?: string }
  | { kind: 'authors'; count: number }
  | { kind: 'separator' }
  | { kind: 'date'; date: PartialDate; upvotes?: number }
  | { kind: 'badDate'; text: string };

interface Paragraph {
  line: number;
  text: string;
  /** Length of the paragraph's first line, to split off a title that lost its blank line. */
  firstLineLength: number;
  arxivId?: string;
}

type Token =
  | ({ kind: 'paragraph' } & Paragraph)
  | { kind: 'organization'; line: number; name: string }
  | { kind: 'authors'; line: number; count: number }
  | { kind: 'separator'; line: number }
  | { kind: 'date'; line: number; date: PartialDate; upvotes?: number }
  | { kind: 'badDate'; line: number; text: string };

/** Parses a listing; never throws. Whatever cannot be read is skipped and reported in `problems`. */
export function parseListing(text: string): ParsedListing {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map(classifyLine);
  return pairTokens(tokenize(lines));
}

/**
 * Reads a listing date line ("Dec 3, 2024", "Oct 4", "Sep 20 2") into a date and an optional
 * upvote count; undefined when the line is not a valid date.
 */
export function parseDateLine(line: string): { date: PartialDate; upvotes?: number } | undefined {
  const match = DATE_LINE.exec(line.trim());
  if (!match) return undefined;
  const month = monthNumber(match[1]);
  const day = Number(match[2]);
  const year = match[3] === undefined ? undefined : Number(match[3]);
  // Without a year, Feb 29 has to stay possible.
  if (month === undefined || day < 1 || day > daysInMonth(month, year ?? 2000)) return undefined;
  const date: PartialDate = year === undefined ? { month, day } : { year, month, day };
  return match[4] === undefined ? { date } : { date, upvotes: Number(match[4]) };
}

function monthNumber(word: string): number | undefined {
  const lower = word.toLowerCase();
  const index = MONTHS.findIndex((name) => lower === name || lower === name.slice(0, 3));
  if (index >= 0) return index + 1;
  return lower === 'sept' ? 9 : undefined;
}

function daysInMonth(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function classifyLine(raw: string): Line {
  const trimmed = raw.trim();
  const heading = MARKDOWN_HEADING.test(trimmed);
  const text = heading ? trimmed.replace(MARKDOWN_HEADING, '') : trimmed;
  if (!text || MARKDOWN_RULE.test(text) || BOILERPLATE.some((pattern) => pattern.test(text))) return { kind: 'blank' };
  const authors = AUTHORS_LINE.exec(text);
  if (authors) return { kind: 'authors', count: Number(authors[1]) };
  if (SEPARATOR_LINE.test(text)) return { kind: 'separator' };
  const shape = DATE_SHAPE.exec(text);
  if (shape && monthNumber(shape[1]) !== undefined) {
    const parsed = parseDateLine(text);
    return parsed ? { kind: 'date', ...parsed } : { kind: 'badDate', text };
  }
  const link = MARKDOWN_LINK_LINE.exec(text);
  if (!link) return { kind: 'text', text, heading };
  return { kind: 'text', text: link[1], heading: true, arxivId: PAPER_URL.exec(link[2])?.[1] };
}

/** Joins wrapped text lines into paragraphs and turns metadata lines into tokens. */
function tokenize(lines: Line[]): Token[] {
  const tokens: Token[] = [];
  let paragraph: Paragraph | undefined;
  const flush = () => {
    if (paragraph) tokens.push({ kind: 'paragraph', ...paragraph });
    paragraph = undefined;
  };
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    switch (line.kind) {
      case 'blank':
        flush();
        return;
      case 'text': {
        const next = lines[index + 1];
        // The organisation sits right above the "·" or date line, with no blank line between.
        if (!line.heading && (next?.kind === 'separator' || next?.kind === 'date') && isOrganizationLike(line.text)) {
          flush();
          tokens.push({ kind: 'organization', line: lineNumber, name: organizationName(line.text) });
        } else if (line.heading) {
          flush();
          tokens.push({ kind: 'paragraph', line: lineNumber, text: line.text, firstLineLength: line.text.length, arxivId: line.arxivId });
        } else if (paragraph) {
          paragraph.text += ` ${line.text}`;
        } else {
          paragraph = { line: lineNumber, text: line.text, firstLineLength: line.text.length };
        }
        return;
      }
      default:
        flush();
        tokens.push({ ...line, line: lineNumber });
    }
  });
  flush();
  return tokens;
}

function isOrganizationLike(text: string): boolean {
  return text.length <= ORGANIZATION_MAX_LENGTH && text.split(/\s+/).length <= ORGANIZATION_MAX_WORDS && !SENTENCE_END.test(text);
}

/**
 * The page shows an organisation as "<handle> <display name>" ("nvidia NVIDIA", "OpenMOSS-Team OpenMOSS").
 * The handle is dropped only when it is recognisably one, so a plain "Google DeepMind" stays whole.
 */
function organizationName(text: string): string {
  const match = /^(\S+)\s+(.+)$/.exec(text);
  if (!match) return text;
  const [, handle, name] = match;
  const squash = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const similar = squash(handle).includes(squash(name)) || squash(name).includes(squash(handle));
  const slugThenName = /^[a-z0-9._-]+$/.test(handle) && /^[A-Z]/.test(name);
  return similar || slugThenName ? name : text;
}

/** Pairs titles with abstracts and attaches metadata to the entry it follows. */
function pairTokens(tokens: Token[]): ParsedListing {
  const entries: ListingEntry[] = [];
  const problems: ListingProblem[] = [];
  let listingDate: PartialDate | undefined;
  let current: ListingEntry | undefined;
  // Set once the current entry's date line, its last line, has been read.
  let closed = false;
  let pending: Paragraph[] = [];
  let afterSeparator = false;

  const report = (line: number, message: string) => problems.push({ line, message });
  const skipPending = (reason: string) => {
    for (const paragraph of pending) report(paragraph.line, `skipped "${clip(paragraph.text)}": ${reason}`);
    pending = [];
  };
  const finish = () => {
    if (!current) return;
    if (!current.abstract) report(current.line, `"${clip(current.title)}" has no abstract`);
    entries.push(current);
    current = undefined;
  };
  // Only the paragraph right before an abstract or metadata is a title; anything earlier is stray text.
  const startEntry = (abstract?: string) => {
    const title = pending.pop();
    if (!title) return;
    skipPending('a title without an abstract, or a stray line');
    finish();
    current = { line: title.line, title: title.text, abstract: abstract ?? '' };
    closed = false;
    if (title.arxivId) current.arxivId = title.arxivId;
  };
  // Metadata and the end of the text come after an abstract: a short paragraph without a full stop
  // right after a title is that abstract, not a new title.
  const startFromPending = (): Paragraph | undefined => {
    const abstract = pending.length >= 2 ? pending.pop() : undefined;
    startEntry(abstract?.text);
    return abstract;
  };

  for (const token of tokens) {
    const wasAfterSeparator = afterSeparator;
    afterSeparator = token.kind === 'separator';
    if (token.kind === 'paragraph') {
      const title = token.text.slice(0, token.firstLineLength);
      const rest = token.text.slice(token.firstLineLength + 1);
      if (!isAbstractLike(token.text)) {
        pending.push(token);
      } else if (pending.length > 0) {
        startEntry(token.text);
      } else if (rest && !isAbstractLike(title) && isAbstractLike(rest)) {
        // A copy that lost its blank lines puts the title right above the abstract.
        pending.push({ line: token.line, text: title, firstLineLength: title.length });
        startEntry(rest);
      } else {
        report(token.line, `skipped an abstract without a title: "${clip(token.text)}"`);
      }
      continue;
    }
    // A date before the first entry and not after "·" is the page's own date.
    if (token.kind === 'date' && !wasAfterSeparator && !current && entries.length === 0 && listingDate === undefined) {
      skipPending('unexpected text in the page header');
      listingDate = token.date;
      continue;
    }
    if (pending.length > 0) startFromPending();
    if (!current || closed) {
      report(token.line, `skipped ${describe(token)}: it does not follow a paper`);
      continue;
    }
    closed = applyMetadata(current, token, report);
  }
  if (pending.length >= 2) {
    const abstract = startFromPending();
    if (abstract && current) report(abstract.line, `the abstract of "${clip(current.title)}" looks cut off (is the listing truncated?)`);
  }
  skipPending('a title without an abstract (is the listing truncated?)');
  finish();
  return listingDate ? { entries, problems, listingDate } : { entries, problems };
}

/** Returns true when the token ends the entry (its date line). */
function applyMetadata(entry: ListingEntry, token: Exclude<Token, { kind: 'paragraph' }>, report: (line: number, message: string) => void): boolean {
  const duplicate = () => report(token.line, `skipped ${describe(token)}: "${clip(entry.title)}" already has one`);
  switch (token.kind) {
    case 'authors':
      if (entry.authorCount === undefined) entry.authorCount = token.count;
      else duplicate();
      return false;
    case 'organization':
      if (entry.organization === undefined) entry.organization = token.name;
      else duplicate();
      return false;
    case 'separator':
      return false;
    case 'date':
      entry.date = token.date;
      if (token.upvotes !== undefined) entry.upvotes = token.upvotes;
      return true;
    case 'badDate':
      report(token.line, `unreadable date "${clip(token.text)}" for "${clip(entry.title)}"`);
      return true;
  }
}

function isAbstractLike(text: string): boolean {
  return text.length >= ABSTRACT_MIN_LENGTH || SENTENCE_END.test(text);
}

function describe(token: Exclude<Token, { kind: 'paragraph' }>): string {
  switch (token.kind) {
    case 'authors':
      return `the author count "${token.count} authors"`;
    case 'organization':
      return `the organisation "${clip(token.name)}"`;
    case 'separator':
      return 'a "·" line';
    case 'date':
      return 'a date line';
    case 'badDate':
      return `the unreadable date "${clip(token.text)}"`;
  }
}

function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
