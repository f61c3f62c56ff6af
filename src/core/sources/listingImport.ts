/** Daily Papers listings (the format the bundled library came from) → papers. */
import { makeCitationKey, uniqueKeys } from '../citekey';
import { parseListing } from '../listing';
import type { Paper } from '../model';
import { huggingFacePaperUrl } from '../urls';
import { paperLinks, validatePaper, type ImportedPaper, type ParsedSource, type SourceProblem } from './source';

export function importListing(text: string): ParsedSource {
  const listing = parseListing(text);
  const problems: SourceProblem[] = listing.problems.map((problem) => ({ ...problem, severity: 'warning' }));
  // A listing names no authors: the key stands on the organisation, when there is one.
  const keys = uniqueKeys(
    listing.entries.map((entry) => makeCitationKey({ authors: entry.organization ? [{ given: '', family: entry.organization }] : [], year: entry.date?.year, title: entry.title })),
  );
  const papers = listing.entries.flatMap((entry, index): ImportedPaper[] => {
    const paper: Paper = {
      key: keys[index],
      title: entry.title,
      abstract: entry.abstract,
      authors: [],
      authorCount: entry.authorCount ?? 0,
      links: paperLinks(entry.arxivId, entry.arxivId && huggingFacePaperUrl(entry.arxivId)),
      topics: [],
    };
    if (entry.date?.year !== undefined) paper.year = entry.date.year;
    if (entry.date) paper.listingDate = entry.date;
    if (entry.organization) paper.organization = entry.organization;
    if (entry.upvotes !== undefined) paper.upvotes = entry.upvotes;
    if (entry.arxivId) {
      paper.arxivId = entry.arxivId;
      paper.venue = 'arXiv';
    }
    const validated = validatePaper(paper, entry.line, problems);
    return validated ? [{ paper: validated, line: entry.line, keywords: [] }] : [];
  });
  return { papers, problems: problems.sort((a, b) => a.line - b.line) };
}
