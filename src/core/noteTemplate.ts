/**
 * Literature note templates: `{{placeholder}}` names a field of the paper. Inside the YAML front
 * matter every value is written as a quoted YAML scalar (lists as flow sequences), so no title or
 * author name can break the YAML; in the body values are plain text made inert for Markdown's HTML.
 */
import { inertHtml } from './citation';
import { arxivAbsUrl } from './urls';
import { formatAuthors, firstAuthorLabel, venueLabel } from './library';
import type { Paper, Topic } from './model';
import type { ReadingStatus } from './readingState';

export interface NoteContext {
  paper: Paper;
  getTopic: (id: string) => Topic | undefined;
  tags: readonly string[];
  status?: ReadingStatus;
  /** For `{{date}}`. */
  today: Date;
}

type Value = string | number | readonly string[] | undefined;

/** Every placeholder and what it holds; lists become YAML sequences in front matter and "a, b" in the body. */
const PLACEHOLDERS: Readonly<Record<string, (context: NoteContext) => Value>> = {
  citekey: ({ paper }) => paper.key,
  key: ({ paper }) => paper.key,
  title: ({ paper }) => oneLine(paper.title),
  abstract: ({ paper }) => paper.abstract,
  authors: ({ paper }) => paper.authors.map((author) => `${author.given} ${author.family}`.trim()),
  authorLine: ({ paper }) => formatAuthors(paper),
  firstAuthor: ({ paper }) => firstAuthorLabel(paper),
  authorCount: ({ paper }) => paper.authorCount,
  year: ({ paper }) => paper.year,
  listingDate: ({ paper }) => (paper.listingDate ? isoDate(paper.listingDate.year, paper.listingDate.month, paper.listingDate.day) : undefined),
  venue: ({ paper }) => paper.venue,
  venueLabel: ({ paper }) => venueLabel(paper) || undefined,
  organization: ({ paper }) => paper.organization,
  upvotes: ({ paper }) => paper.upvotes,
  arxivId: ({ paper }) => paper.arxivId,
  arxivUrl: ({ paper }) => paper.links.arxiv ?? (paper.arxivId ? arxivAbsUrl(paper.arxivId) : undefined),
  doi: ({ paper }) => paper.doi,
  pdfUrl: ({ paper }) => paper.links.pdf,
  huggingFaceUrl: ({ paper }) => paper.links.huggingFace,
  code: ({ paper }) => paper.links.code,
  topics: ({ paper, getTopic }) => paper.topics.map((id) => getTopic(id)?.label ?? id),
  topicIds: ({ paper }) => paper.topics,
  tags: ({ tags }) => tags,
  status: ({ status }) => status,
  date: ({ today }) => isoDate(today.getFullYear(), today.getMonth() + 1, today.getDate()),
};

export const NOTE_PLACEHOLDERS: readonly string[] = Object.keys(PLACEHOLDERS);

export interface UnknownPlaceholder {
  name: string;
  /** 1-based line in the template. */
  line: number;
}

export interface RenderedNote {
  text: string;
  /** Placeholders the template names but Lit Notes does not know; left in the note as written. */
  unknown: UnknownPlaceholder[];
}

// An optional pair of quotes around a placeholder is taken with it: `title: "{{title}}"` works too.
const PLACEHOLDER = /(["']?)\{\{\s*([^{}\s]*)\s*\}\}\1/g;
const FRONT_MATTER = /^---[ \t]*\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

export function renderNoteTemplate(template: string, context: NoteContext): RenderedNote {
  const unknown: UnknownPlaceholder[] = [];
  const frontMatterEnd = FRONT_MATTER.exec(template)?.[0].length ?? 0;
  const text = template.replace(PLACEHOLDER, (match: string, quote: string, name: string, offset: number) => {
    const field = Object.prototype.hasOwnProperty.call(PLACEHOLDERS, name) ? PLACEHOLDERS[name] : undefined;
    if (!field) {
      unknown.push({ name, line: template.slice(0, offset).split('\n').length });
      return match;
    }
    const value = field(context);
    // A quote that pairs with nothing (`'{{x}}` is not matched with its quote) stays as written.
    return offset < frontMatterEnd ? yamlValue(value) : `${quote}${bodyValue(value)}${quote}`;
  });
  return { text, unknown };
}

/** A file name for the note: the key, with characters that file systems or paths reject replaced. */
export function noteFileName(key: string): string {
  const safe = key.replace(/[/\\:*?"<>|\p{Cc}]/gu, '-').replace(/^\.+/, (dots) => '-'.repeat(dots.length));
  return `${safe || 'note'}.md`;
}

function yamlValue(value: Value): string {
  if (value === undefined) return '""';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return yamlString(value);
  return `[${value.map(yamlString).join(', ')}]`;
}

/** A double-quoted YAML scalar: the only form where every character can be written with an escape. */
function yamlString(text: string): string {
  return `"${text.replace(/[\\"\p{Cc}\u2028\u2029\u0085\ufeff]/gu, (ch) => YAML_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

const YAML_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function bodyValue(value: Value): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return inertHtml(typeof value === 'string' ? value : value.join(', '));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isoDate(year: number | undefined, month: number, day: number): string {
  const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return year === undefined ? `--${md}` : `${year}-${md}`;
}
