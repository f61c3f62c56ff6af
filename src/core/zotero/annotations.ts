/**
 * PDF (and EPUB, snapshot) annotations made in Zotero's reader, as Markdown for a literature note:
 * each through the annotation template, with its quote and comment as inert text, its colour's
 * label, a Pandoc citation with the page label (`[@key, p. 12]`) and a link that opens the page in
 * Zotero. Nothing an annotation holds becomes markup, a link or a command: every value is escaped.
 */
import { pandocKey } from '../citation';
import { escapeMarkdown, shorten } from '../markdown';
import { isRecord, OBJECT_KEY, type ZoteroItem } from './api';
import type { LibraryPrefix } from './papers';

export interface ZoteroAnnotation {
  key: string;
  /** The attachment (PDF, EPUB, snapshot) the annotation is on. */
  attachment: string;
  /** highlight, underline, note, text, image, ink (newer kinds are kept as they come). */
  type: string;
  /** The marked text (highlight, underline). */
  text: string;
  comment: string;
  /** "#ffd400" */
  color?: string;
  /** The page as the document numbers it ("12", "xii"). */
  pageLabel?: string;
  /** 0-based page of a PDF, from the annotation's position. */
  pageIndex?: number;
  /** Zotero's reading order: "00004|001234|00073" (page, offset, top), compared as text. */
  sortIndex: string;
  tags: string[];
}

/** The annotations of an `/items/<attachment>/children` answer; anything else there is skipped. */
export function readAnnotation(item: ZoteroItem): ZoteroAnnotation | undefined {
  const { data } = item;
  if (data.itemType !== 'annotation' || typeof data.parentItem !== 'string' || !OBJECT_KEY.test(data.parentItem)) return undefined;
  const text = (field: string) => (typeof data[field] === 'string' ? (data[field] as string) : '');
  const annotation: ZoteroAnnotation = {
    key: item.key,
    attachment: data.parentItem,
    type: text('annotationType') || 'highlight',
    text: text('annotationText'),
    comment: text('annotationComment'),
    sortIndex: text('annotationSortIndex'),
    tags: (data.tags ?? []).map((tag) => tag.tag),
  };
  const color = text('annotationColor');
  if (/^#[0-9a-f]{6}$/i.test(color)) annotation.color = color.toLowerCase();
  if (text('annotationPageLabel').trim()) annotation.pageLabel = text('annotationPageLabel').trim();
  const pageIndex = pageIndexOf(data.annotationPosition);
  if (pageIndex !== undefined) annotation.pageIndex = pageIndex;
  return annotation;
}

/** `annotationPosition` is a JSON string ({"pageIndex": 11, "rects": …}) in a PDF; EPUB and snapshot positions have no page. */
function pageIndexOf(position: unknown): number | undefined {
  let value: unknown = position;
  if (typeof position === 'string') {
    try {
      value = JSON.parse(position);
    } catch {
      return undefined;
    }
  }
  const index = isRecord(value) ? value.pageIndex : undefined;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
}

/** Zotero's reading order: by sort index, then key (two annotations at one place keep one order). */
export function inReadingOrder(annotations: readonly ZoteroAnnotation[]): ZoteroAnnotation[] {
  return [...annotations].sort((a, b) => compare(a.sortIndex, b.sortIndex) || compare(a.key, b.key));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The colours of Zotero's annotation palette, named. */
export const DEFAULT_COLOR_LABELS: Readonly<Record<string, string>> = {
  '#ffd400': 'Yellow',
  '#ff6666': 'Red',
  '#5fb236': 'Green',
  '#2ea8e5': 'Blue',
  '#a28ae5': 'Purple',
  '#e56eee': 'Magenta',
  '#f19837': 'Orange',
  '#aaaaaa': 'Gray',
};

const TYPE_LABELS: Readonly<Record<string, string>> = {
  highlight: 'highlight',
  underline: 'underline',
  note: 'note',
  text: 'text box',
  image: 'image',
  ink: 'drawing',
};

/** The link that opens the annotation's page in Zotero's reader and selects it. */
export function annotationLink(library: LibraryPrefix, annotation: ZoteroAnnotation): string {
  const place = library.startsWith('groups/') ? library : 'library';
  const page = annotation.pageIndex !== undefined ? `page=${annotation.pageIndex + 1}&` : '';
  return `zotero://open-pdf/${place}/items/${annotation.attachment}?${page}annotation=${annotation.key}`;
}

export interface AnnotationContext {
  citekey: string;
  library: LibraryPrefix;
  /** Colour (lower-case "#rrggbb") → label, from the settings: the user's own text, written as it is. */
  colorLabels: Readonly<Record<string, string>>;
}

type Values = Readonly<Record<string, string>>;

/** The placeholders of the annotation template and what each holds, escaped where it comes from the annotation. */
const PLACEHOLDERS: Readonly<Record<string, (annotation: ZoteroAnnotation, context: AnnotationContext) => string>> = {
  quote: (annotation) => escapeMarkdown(annotation.text),
  comment: (annotation) => escapeMarkdown(annotation.comment),
  colorLabel: (annotation, { colorLabels }) => (annotation.color ? (labelOf(colorLabels, annotation.color) ?? escapeMarkdown(annotation.color)) : ''),
  color: (annotation) => (annotation.color ? escapeMarkdown(annotation.color) : ''),
  type: (annotation) => escapeMarkdown(TYPE_LABELS[annotation.type] ?? shorten(annotation.type, 40)),
  page: (annotation) => (annotation.pageLabel ? escapeMarkdown(shorten(annotation.pageLabel, 40)) : ''),
  citation: (annotation, { citekey }) => `[@${pandocKey(citekey)}${annotation.pageLabel ? `, p. ${escapeMarkdown(shorten(annotation.pageLabel, 40))}` : ''}]`,
  link: (annotation, { library }) => annotationLink(library, annotation),
  tags: (annotation) => escapeMarkdown(shorten(annotation.tags.join(', '))),
  key: (annotation) => annotation.key,
};

function labelOf(labels: Readonly<Record<string, string>>, color: string): string | undefined {
  const found = Object.entries(labels).find(([hex]) => hex.toLowerCase() === color.toLowerCase());
  return found?.[1];
}

// The same form as note templates: `{{name}}`, spaces allowed inside the braces.
const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

export interface RenderedAnnotation {
  key: string;
  markdown: string;
}

/** Placeholders the template names that Lit Notes does not know, with their 1-based line. */
export function unknownAnnotationPlaceholders(template: string): { name: string; line: number }[] {
  const unknown: { name: string; line: number }[] = [];
  template.split(/\r?\n/).forEach((line, index) => {
    for (const match of line.matchAll(PLACEHOLDER)) if (!Object.prototype.hasOwnProperty.call(PLACEHOLDERS, match[1])) unknown.push({ name: match[1], line: index + 1 });
  });
  return unknown;
}

/**
 * One annotation through the template. A value of several lines continues the text before it on its
 * line when that is only quote markers (`> {{quote}}` quotes every line); a line whose placeholders
 * are all empty (no comment, no quote of an image) is left out; unknown placeholders stay as written.
 */
export function renderAnnotation(annotation: ZoteroAnnotation, template: string, context: AnnotationContext): RenderedAnnotation {
  const values: Values = Object.fromEntries(Object.entries(PLACEHOLDERS).map(([name, value]) => [name, value(annotation, context)]));
  const lines: string[] = [];
  for (const line of template.replace(/\r\n?/g, '\n').split('\n')) {
    let placeholders = 0;
    let filled = 0;
    const rendered = line.replace(PLACEHOLDER, (match: string, name: string, offset: number) => {
      if (!Object.prototype.hasOwnProperty.call(values, name)) return match;
      placeholders++;
      const value = values[name];
      if (value) filled++;
      const before = line.slice(0, offset);
      const continuation = /^[ \t>]*$/.test(before) ? before.replace(/[ \t]+$/, ' ').trimStart() : '';
      return value.split('\n').join(`\n${continuation}`);
    });
    if (placeholders > 0 && filled === 0) continue;
    lines.push(rendered.replace(/[ \t]+$/gm, ''));
  }
  const markdown = lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\n+$/g, '');
  return { key: annotation.key, markdown };
}
