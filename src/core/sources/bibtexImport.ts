/** BibTeX/BibLaTeX files (Zotero + Better BibTeX, JabRef, Google Scholar exports) → papers. */
import { entryToRecord, NOT_PAPER_TYPES } from './bibtexMapping';
import { groupFieldTopics, jabrefTopics, type EntryFields, type SourceTopics } from '../topics/sourceTopics';
import { parseBibtex, resolveCrossrefs, type BibEntry, type ParsedBibtex } from './bibtexParser';
import { decodeLatex } from './latex';
import { isCitable, paperFromRecord } from './record';
import { splitKeywords, validatePaper, type ImportedPaper, type ParsedSource, type SourceProblem } from './source';

export function importBibtex(text: string): ParsedSource {
  const parsed = parseBibtex(text);
  const problems: SourceProblem[] = [...parsed.problems];
  const papers: ImportedPaper[] = [];
  const entries = resolveCrossrefs(parsed.entries, problems).filter((entry) => !NOT_PAPER_TYPES.has(entry.type));
  for (const entry of entries) {
    const imported = entryToPaper(entry, problems);
    if (imported) papers.push(imported);
  }
  const topics = groupTopics(parsed.comments, entries, problems);
  if (topics) for (const imported of papers) {
    const ids = topics.members.get(imported.paper.key);
    if (ids) imported.topics = ids;
  }
  return { papers, problems: problems.sort((a, b) => a.line - b.line), ...(topics && { topics: topics.topics }) };
}

/** JabRef's group tree, or else the `groups` field's names, as the file's own topics. */
function groupTopics(comments: ParsedBibtex['comments'], entries: readonly BibEntry[], problems: SourceProblem[]): SourceTopics | undefined {
  const readable = entries.map((entry): EntryFields => {
    const decoded = new Map<string, string>();
    return {
      key: entry.key,
      field: (name) => {
        let value = decoded.get(name);
        if (value === undefined) decoded.set(name, (value = entry.fields[name] === undefined ? '' : decodeLatex(entry.fields[name])));
        return value;
      },
    };
  });
  return jabrefTopics(comments, readable, problems) ?? groupFieldTopics(readable);
}

function entryToPaper(entry: BibEntry, problems: SourceProblem[]): ImportedPaper | undefined {
  const record = entryToRecord(entry, problems);
  if (!isCitable(record)) {
    problems.push({ line: entry.line, message: `"${entry.key}" has no title and nothing else to cite it by; skipped`, severity: 'error', key: entry.key });
    return undefined;
  }
  const paper = validatePaper(paperFromRecord(entry.key, record), entry.line, problems);
  if (!paper) return undefined;
  return { paper, line: entry.line, keywords: splitKeywords(record.keyword) };
}
