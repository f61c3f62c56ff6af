/** The rule for citation keys that name no paper: one place for the Problems panel and `litnotes check`. */
import { scanCitations, type Citation } from './citationScanner';

export const UNKNOWN_KEY_CODE = 'unknown-citation-key';

export function unknownKeyMessage(key: string): string {
  return `No paper with the citation key "${key}" in the library.`;
}

/** The citations of a note whose key the library does not know (by key or alias), in order. */
export function unknownCitations(markdown: string, isKnown: (key: string) => boolean, citations: readonly Citation[] = scanCitations(markdown)): Citation[] {
  return citations.filter((citation) => !isKnown(citation.key));
}
