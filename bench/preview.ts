/**
 * The Markdown preview's citations (core/citationPlugin.ts) against markdown-it's own render of the
 * same note, on a note of 300 citations of 150 papers: typing a character outside the citations
 * (the formatted citations come from the cache: one scan of the note is the plugin's cost), and
 * adding a citation (citeproc-js, which keeps the note's state, processes the new citation and those
 * it changes). Renders of the two sides are taken in turns, so that both see the same load.
 */
import MarkdownIt from 'markdown-it';
import { citationPlugin, type CitationSource } from '../src/core/citationPlugin';
import { CslFormatter } from '../src/core/csl';
import type { Paper } from '../src/core/model';
import { paperLookup } from '../src/core/paperLookup';
import { CslAssets } from '../src/node/cslAssets';
import { prng } from './generate';
import { stats, time, type Stats } from './stats';

export interface PreviewFigures {
  citations: number;
  papers: number;
  noteChars: number;
  /** markdown-it alone, the reference. */
  plainMs: Stats;
  /** With the plugin, a character typed outside the citations before each render. */
  typingMs: Stats;
  /** With the plugin, a citation added before each render. */
  addCitationMs: Stats;
}

const CITATIONS = 300;
const PAPERS = 150;
const WORDS = 'policy reward model agent token preference gradient value learning language training signal credit assignment sparse dense'.split(' ');

/** A note of paragraphs, headings and a list, citing `keys` in every Pandoc form. */
export function benchNote(keys: readonly string[], citations: number, seed = 7): string {
  const random = prng(seed);
  const word = () => WORDS[Math.floor(random() * WORDS.length)];
  const key = () => keys[Math.floor(random() * keys.length)];
  const forms = [
    () => `[@${key()}]`,
    () => `[@${key()}; @${key()}]`,
    () => `[see @${key()}, p. ${1 + Math.floor(random() * 300)}]`,
    () => `@${key()}`,
    () => `[-@${key()}]`,
  ];
  const parts: string[] = ['---\ntitle: Benchmark note\n---\n', '# Reading notes\n'];
  for (let cited = 0; cited < citations; ) {
    if (cited % 30 === 0) parts.push(`## Section ${cited / 30 + 1}\n`);
    const sentences: string[] = [];
    for (let s = 0; s < 4 && cited < citations; s++, cited++) {
      const words = Array.from({ length: 12 + Math.floor(random() * 10) }, word).join(' ');
      sentences.push(`${words[0].toUpperCase()}${words.slice(1)} ${forms[Math.floor(random() * forms.length)]()} and *more* ${word()}.`);
    }
    parts.push(`${sentences.join(' ')}\n`);
    if (cited % 40 === 0) parts.push(`- ${word()} \`code\`\n- ${word()} [a link](https://example.org)\n`);
  }
  return parts.join('\n');
}

export function measurePreview(distDir: string, library: readonly Paper[], runs: number): PreviewFigures {
  const papers = library.slice(0, PAPERS);
  const assets = new CslAssets(distDir);
  const formatter = new CslFormatter(assets.loader(() => []));
  const lookup = paperLookup(papers);
  const note = benchNote(papers.map((paper) => paper.key), CITATIONS);
  const plain = new MarkdownIt({ html: true, linkify: true });
  const md = new MarkdownIt({ html: true, linkify: true });
  const source: CitationSource = { style: { formatter, styleId: 'apa' }, styleKey: 'apa', lookup, allPapers: () => papers, version: 0, document: 'bench.md' };
  citationPlugin(md, { source: () => source, hideFrontMatter: true });

  // Warm both (and the cache), as an open preview is.
  for (let i = 0; i < 3; i++) {
    plain.render(note, {});
    md.render(note, {});
  }
  // A style that failed to load leaves the citations as written: the figures would measure nothing.
  if (md.render(note, {}).includes('litnotes-problem')) throw new Error(`The bench note's citations were not formatted (styles from ${distDir}).`);
  const heading = '## Section 1\n\n';
  const firstParagraph = note.indexOf(heading) + heading.length;
  const plainMs: number[] = [];
  const typingMs: number[] = [];
  const addCitationMs: number[] = [];
  let typed = note;
  for (let run = 0; run < runs; run++) {
    // A character typed at the start of a paragraph: outside every citation, the text differs each time.
    typed = `${typed.slice(0, firstParagraph)}x${typed.slice(firstParagraph)}`;
    plainMs.push(time(() => plain.render(typed, {})));
    typingMs.push(time(() => md.render(typed, {})));
  }
  // Each addition changes the note's citations: they are formatted again, the new one through the note's kept engine.
  for (let run = 0; run < Math.max(20, Math.ceil(runs / 5)); run++) {
    typed = `${typed.slice(0, firstParagraph)}[@${papers[run % papers.length].key}, p. ${run + 1}] ${typed.slice(firstParagraph)}`;
    addCitationMs.push(time(() => md.render(typed, {})));
  }
  return {
    citations: CITATIONS,
    papers: papers.length,
    noteChars: note.length,
    plainMs: stats(plainMs),
    typingMs: stats(typingMs),
    addCitationMs: stats(addCitationMs),
  };
}
