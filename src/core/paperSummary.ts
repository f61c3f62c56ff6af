/**
 * A paper as a few lines of Markdown, for the tree's tooltip, the citation hover and the completion
 * details: the title in bold, the author line and venue, and a piece of the abstract. Every field is
 * shortened to `DISPLAY_LIMIT` and escaped, so the Markdown around it (the bold title, the links a
 * hover adds after it) stays what it is, whatever the paper's text holds.
 */
import { escapeIcons } from './labels';
import { firstAuthorLabel, firstSentence, formatAuthors, venueLabel } from './library';
import { escapeMarkdown, shorten } from './markdown';
import type { Paper } from './model';

/** How much of the abstract: its first sentence (a tooltip), its start (a hover), or none (a completion). */
export type AbstractPart = 'firstSentence' | 'start' | 'none';

export function paperSummary(paper: Paper, abstract: AbstractPart): string {
  const text = (value: string) => escapeMarkdown(shorten(value));
  const byline = [formatAuthors(paper) && text(formatAuthors(paper)), venueLabel(paper) && `_${text(venueLabel(paper))}_`].filter(Boolean).join(' · ');
  const excerpt = abstract === 'none' || !paper.abstract.trim() ? '' : text(abstract === 'start' ? paper.abstract : firstSentence(paper.abstract));
  return [`**${text(paper.title)}**`, byline, excerpt].filter(Boolean).join('\n\n');
}

/**
 * A paper as a quick pick row: plain text (a row shows no Markdown), shortened, and with `$(name)`
 * kept as written rather than shown as an icon.
 */
export function paperRow(paper: Paper, excerpt: string | undefined): { label: string; description: string; detail: string } {
  const text = (value: string) => escapeIcons(shorten(value));
  return {
    label: text(paper.title),
    description: text([firstAuthorLabel(paper), paper.year].filter(Boolean).join(' · ')),
    detail: text(excerpt ?? paper.venue ?? ''),
  };
}
