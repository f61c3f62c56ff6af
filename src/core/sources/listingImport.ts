/** Daily Papers listings (the format the bundled library came from) → papers. */
import { makeCitationKey, uniqueKeys } from '../citekey';
import { parseListing } from '../listing';
import type { CslRecord } from '../model';
import { huggingFacePaperUrl } from '../urls';
import { paperFromRecord, preprintRecord } from './record';
import { validatePaper, type ImportedPaper, type ParsedSource, type SourceProblem } from './source';

export function importListing(text: string): ParsedSource {
  const listing = parseListing(text);
  const problems: SourceProblem[] = listing.problems.map((problem) => ({ ...problem, severity: 'warning' }));
  // A listing names no authors: the key stands on the organisation, when there is one.
  const keys = uniqueKeys(
    listing.entries.map((entry) => makeCitationKey({ authors: entry.organization ? [{ given: '', family: entry.organization }] : [], year: entry.date?.year, title: entry.title })),
  );
  const papers = listing.entries.flatMap((entry, index): ImportedPaper[] => {
    // The listing's date is when the paper was listed: only its year says when it appeared.
    const record: CslRecord = entry.arxivId ? preprintRecord(entry.arxivId, entry.title) : { type: 'article', title: entry.title };
    if (entry.abstract) record.abstract = entry.abstract;
    if (entry.date?.year !== undefined) record.issued = { 'date-parts': [[entry.date.year]] };
    const paper = paperFromRecord(keys[index], record, {
      ...(entry.authorCount !== undefined && { authorCount: entry.authorCount }),
      ...(entry.date && { listingDate: entry.date }),
      ...(entry.organization && { organization: entry.organization }),
      ...(entry.upvotes !== undefined && { upvotes: entry.upvotes }),
      ...(entry.arxivId && { links: { huggingFace: huggingFacePaperUrl(entry.arxivId) } }),
    });
    const validated = validatePaper(paper, entry.line, problems);
    return validated ? [{ paper: validated, line: entry.line, keywords: [] }] : [];
  });
  return { papers, problems: problems.sort((a, b) => a.line - b.line) };
}
