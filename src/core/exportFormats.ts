/** What Export Bibliography and `litnotes export` write: one table of formats, one serialiser each. */
import { exportBibtex, exportCslJson } from './bibtex';
import type { Paper } from './model';

export type ExportFormat = 'csljson' | 'bibtex' | 'biblatex';

export const EXPORT_FORMATS: Readonly<Record<ExportFormat, { label: string; extension: string; description: string }>> = {
  bibtex: { label: 'BibTeX', extension: 'bib', description: '.bib, ASCII with LaTeX escapes: for bibtex and pdflatex' },
  biblatex: { label: 'BibLaTeX', extension: 'bib', description: '.bib, UTF-8: for biblatex and biber' },
  csljson: { label: 'CSL-JSON', extension: 'json', description: '.json: for Pandoc, Zotero and other CSL processors' },
};

export function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(EXPORT_FORMATS, value);
}

export interface ExportedText {
  text: string;
  /** What the format could not hold, one line per paper and reason, for the log or stderr. */
  notes: string[];
}

export function exportPapers(papers: readonly Paper[], format: ExportFormat): ExportedText {
  switch (format) {
    case 'csljson':
      return { text: exportCslJson(papers), notes: [] };
    case 'bibtex':
    case 'biblatex':
      return exportBibtex(papers, format);
  }
}
