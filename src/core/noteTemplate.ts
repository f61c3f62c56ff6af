/**
 * Literature note templates: `{{placeholder}}` names a field of the paper. Inside the YAML front
 * matter every value is data, written whole as a quoted YAML scalar (lists as flow sequences), so no
 * title or author name can break the YAML. In the body every value is inert Markdown text: a title
 * such as `[Click me](command:x)` stays those characters. Names and labels there are shortened to
 * `DISPLAY_LIMIT` (a heading, a line under it); the abstract is whole; addresses are http(s) only.
 */
import { arxivAbsUrl } from './urls';
import { authorName, formatAuthors, firstAuthorLabel, venueLabel } from './library';
import { escapeMarkdown, markdownUrl, oneLine, shorten } from './markdown';
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

/** How the body writes a value: a display `line` (shortened), `text` whole, an `address` (http(s) only). */
type BodyForm = 'line' | 'text' | 'address';

/** Every placeholder, what it holds and its body form; lists become YAML sequences in front matter and "a, b" in the body. */
const PLACEHOLDERS: Readonly<Record<string, { value: (context: NoteContext) => Value; body: BodyForm }>> = {
  citekey: { value: ({ paper }) => paper.key, body: 'text' },
  key: { value: ({ paper }) => paper.key, body: 'text' },
  title: { value: ({ paper }) => oneLine(paper.title), body: 'line' },
  abstract: { value: ({ paper }) => paper.abstract, body: 'text' },
  authors: { value: ({ paper }) => paper.authors.map(authorName), body: 'line' },
  authorLine: { value: ({ paper }) => formatAuthors(paper), body: 'line' },
  firstAuthor: { value: ({ paper }) => firstAuthorLabel(paper), body: 'line' },
  authorCount: { value: ({ paper }) => paper.authorCount, body: 'text' },
  year: { value: ({ paper }) => paper.year, body: 'text' },
  listingDate: { value: ({ paper }) => (paper.listingDate ? isoDate(paper.listingDate.year, paper.listingDate.month, paper.listingDate.day) : undefined), body: 'text' },
  venue: { value: ({ paper }) => paper.venue, body: 'line' },
  venueLabel: { value: ({ paper }) => venueLabel(paper) || undefined, body: 'line' },
  organization: { value: ({ paper }) => paper.organization, body: 'line' },
  upvotes: { value: ({ paper }) => paper.upvotes, body: 'text' },
  arxivId: { value: ({ paper }) => paper.arxivId, body: 'text' },
  arxivUrl: { value: ({ paper }) => paper.links.arxiv ?? (paper.arxivId ? arxivAbsUrl(paper.arxivId) : undefined), body: 'address' },
  doi: { value: ({ paper }) => paper.doi, body: 'text' },
  pdfUrl: { value: ({ paper }) => paper.links.pdf, body: 'address' },
  huggingFaceUrl: { value: ({ paper }) => paper.links.huggingFace, body: 'address' },
  code: { value: ({ paper }) => paper.links.code, body: 'address' },
  topics: { value: ({ paper, getTopic }) => paper.topics.map((id) => getTopic(id)?.label ?? id), body: 'line' },
  topicIds: { value: ({ paper }) => paper.topics, body: 'text' },
  tags: { value: ({ tags }) => tags, body: 'line' },
  status: { value: ({ status }) => status, body: 'text' },
  date: { value: ({ today }) => isoDate(today.getFullYear(), today.getMonth() + 1, today.getDate()), body: 'text' },
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
    const placeholder = Object.prototype.hasOwnProperty.call(PLACEHOLDERS, name) ? PLACEHOLDERS[name] : undefined;
    if (!placeholder) {
      unknown.push({ name, line: template.slice(0, offset).split('\n').length });
      return match;
    }
    const value = placeholder.value(context);
    // A quote that pairs with nothing (`'{{x}}` is not matched with its quote) stays as written.
    return offset < frontMatterEnd ? yamlValue(value) : `${quote}${bodyValue(value, placeholder.body)}${quote}`;
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

function bodyValue(value: Value, form: BodyForm): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : value.join(', ');
  if (form === 'address') return markdownUrl(text) ?? '';
  return escapeMarkdown(form === 'line' ? shorten(text) : text);
}

function isoDate(year: number | undefined, month: number, day: number): string {
  const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return year === undefined ? `--${md}` : `${year}-${md}`;
}
