import { decodeEntities } from '../../src/core/cslMarkdown';

/**
 * Known ways in which citeproc-js (2.4) and pandoc's citeproc (0.6, in Debian's pandoc 2.17) differ, each
 * shown by a minimal style in the README, made equal before comparing. Nothing else may differ.
 */
export const PROCESSOR_DIFFERENCES: { styles: string[]; why: string; pandoc?: (entry: string) => string; litnotes?: (entry: string) => string }[] = [
  {
    styles: ['apa'],
    why: 'pandoc 2.17 ships CSL 1.0.1 locales, without the term "number" ("No."): its label of a preprint number is empty',
    litnotes: (entry) => entry.replace(/\((Preprint )?No\. (?=arXiv:)/, '($1'),
  },
  {
    styles: ['ieee'],
    why: 'the cs:group around "[Online]" also holds a group with the empty variable "accessed": pandoc suppresses the whole group (as the CSL specification says), citeproc-js keeps the term',
    litnotes: (entry) => entry.replace(' [Online]. Available: ', ' Available: '),
  },
  {
    styles: ['chicago-author-date', 'modern-language-association'],
    why: 'title case: citeproc-js leaves more prepositions in lower case than the CSL specification lists ("after", "like", "through")',
    pandoc: (entry) => entry.replace(/(?<=[\p{L}\d,] |-)(After|Like|Through)\b/gu, (word) => word.toLowerCase()),
  },
];

/** An entry of each processor with the differences of its style made equal. */
export function withoutProcessorDifferences(styleId: string, entry: string, side: 'pandoc' | 'litnotes'): string {
  return PROCESSOR_DIFFERENCES.filter((d) => d.styles.includes(styleId)).reduce((text, d) => d[side]?.(text) ?? text, entry);
}

/** An entry of either processor's HTML as text with `_italics_` and `**bold**`, spaces collapsed. */
export function normalise(html: string): string {
  const text = html
    .replace(/<\/div>/g, ' ')
    .replace(/<\/?(?:i|em)>/g, '_')
    .replace(/<\/?(?:b|strong)>/g, '**')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text).replace(/\s+/g, ' ').trim().normalize('NFC');
}
