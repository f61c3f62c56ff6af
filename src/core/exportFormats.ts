/** What Export Bibliography and `litnotes export` write: one table of formats, one serialiser each. */
import { toBibtexAll } from './bibtex';
import { toCslJson } from './csl';
import type { Paper } from './model';

export type ExportFormat = 'csljson' | 'bibtex';

export const EXPORT_FORMATS: Readonly<Record<ExportFormat, { label: string; extension: string }>> = {
  csljson: { label: 'CSL-JSON', extension: 'json' },
  bibtex: { label: 'BibTeX', extension: 'bib' },
};

export function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(EXPORT_FORMATS, value);
}

/** The format a file name asks for by its extension, BibTeX unless it ends in .json. */
export function exportFormatOf(fileName: string): ExportFormat {
  return /\.json$/i.test(fileName) ? 'csljson' : 'bibtex';
}

export function exportPapers(papers: readonly Paper[], format: ExportFormat): string {
  switch (format) {
    case 'csljson':
      return `${JSON.stringify(papers.map(toCslJson), null, 2)}\n`;
    case 'bibtex':
      return toBibtexAll([...papers]);
  }
}
