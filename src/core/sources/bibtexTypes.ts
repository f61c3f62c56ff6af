/**
 * BibTeX and biblatex entry types and the CSL item types they are read as (the table in
 * docs/bibtex-mapping.md). The type comes from the entry type alone, never from a venue's wording.
 */

/** Entry types that hold data for other entries, not papers. */
export const NOT_PAPER_TYPES: ReadonlySet<string> = new Set(['xdata', 'set']);

/** Lower-case entry type → CSL item type. */
export const CSL_TYPE_OF_ENTRY: ReadonlyMap<string, string> = new Map(Object.entries({
  article: 'article-journal',
  book: 'book',
  mvbook: 'book',
  booklet: 'pamphlet',
  inbook: 'chapter',
  bookinbook: 'chapter',
  suppbook: 'chapter',
  incollection: 'chapter',
  suppcollection: 'chapter',
  collection: 'book',
  mvcollection: 'book',
  reference: 'book',
  mvreference: 'book',
  inreference: 'entry-encyclopedia',
  inproceedings: 'paper-conference',
  conference: 'paper-conference',
  proceedings: 'book',
  mvproceedings: 'book',
  periodical: 'periodical',
  suppperiodical: 'article-journal',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  online: 'webpage',
  electronic: 'webpage',
  www: 'webpage',
  misc: 'document',
  unpublished: 'manuscript',
  manual: 'book',
  patent: 'patent',
  software: 'software',
  code: 'software',
  dataset: 'dataset',
  data: 'dataset',
  standard: 'standard',
  artwork: 'graphic',
  image: 'graphic',
  audio: 'song',
  music: 'song',
  video: 'motion_picture',
  movie: 'motion_picture',
  performance: 'performance',
  letter: 'personal_communication',
  review: 'review',
  legislation: 'legislation',
  jurisdiction: 'legal_case',
  legal: 'treaty',
}));

/** The CSL type of an entry type; one Lit Notes does not know is a generic document. */
export function cslTypeOfEntry(entryType: string): string {
  return CSL_TYPE_OF_ENTRY.get(entryType) ?? 'document';
}
