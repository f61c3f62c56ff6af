/** BibTeX/BibLaTeX files (Zotero + Better BibTeX, JabRef, Google Scholar exports) → papers. */
import { entryToRecord, NOT_PAPER_TYPES } from './bibtexMapping';
import { parseBibtex, resolveCrossrefs, type BibEntry } from './bibtexParser';
import { decodeLatex } from './latex';
import { isCitable, paperFromRecord } from './record';
import { splitKeywords, validatePaper, type ImportedPaper, type ParsedSource, type SourceProblem } from './source';

export function importBibtex(text: string): ParsedSource {
  const parsed = parseBibtex(text);
  const problems: SourceProblem[] = [...parsed.problems];
  const papers: ImportedPaper[] = [];
  for (const entry of resolveCrossrefs(parsed.entries, problems)) {
    if (NOT_PAPER_TYPES.has(entry.type)) continue;
    const imported = entryToPaper(entry, problems);
    if (imported) papers.push(imported);
  }
  return { papers, problems: problems.sort((a, b) => a.line - b.line) };
}

function entryToPaper(entry: BibEntry, problems: SourceProblem[]): ImportedPaper | undefined {
  const record = entryToRecord(entry, problems);
  if (!isCitable(record)) {
    problems.push({ line: entry.line, message: `"${entry.key}" has no title and nothing else to cite it by; skipped`, severity: 'error', key: entry.key });
    return undefined;
  }
  const paper = validatePaper(paperFromRecord(entry.key, record), entry.line, problems);
  if (!paper) return undefined;
  const groups = record.custom?.['bibtex-fields']?.groups;
  return { paper, line: entry.line, keywords: [...splitKeywords(record.keyword), ...splitKeywords(groups && decodeLatex(groups))] };
}
