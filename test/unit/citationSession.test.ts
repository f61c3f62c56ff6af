/**
 * The engine kept per note (citationSession.ts) against processing the note from scratch: over many
 * random edit sequences (citations inserted, deleted, edited, several at once, papers listed with
 * `nocite`, a paper's data changed, two notes edited in turns) on the bundled papers, in APA, IEEE and
 * Chicago author-date, the preview's rendering and Insert Citation give exactly what a full run gives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formattedCitationMarkdown, scanCitations, type FormattedCitation } from '../../src/core/citationScanner';
import { renderNoteCitations, type ClusterItem, type NoteCluster, type RenderOptions } from '../../src/core/citationRendering';
import type { CslFormatter } from '../../src/core/csl';
import { insertCitations, refreshCitations, type CitationEdits } from '../../src/core/documentCitations';
import type { Paper } from '../../src/core/model';
import { archer, makePaper, retitled, treg } from './paperFixtures';
import { cslAssets } from './previewHelpers';
import { prng } from '../../bench/generate';

const bundled = (JSON.parse(readFileSync(join(__dirname, '../../data/papers.json'), 'utf8')) as { papers: Paper[] }).papers;
const sameAuthors = [
  { given: 'Ada', family: 'Lovelace' },
  { given: 'Charles', family: 'Babbage' },
];
// Beside the bundled papers: two by the same authors in the same year (2024a/2024b), and two "Zhou et al., 2024".
const extra = [
  makePaper({ key: 'lovelace1843notes', title: 'Notes on the analytical engine', authors: sameAuthors, year: 1843, venue: 'Scientific Memoirs' }),
  makePaper({ key: 'lovelace1843sketch', title: 'Sketch of the analytical engine', authors: sameAuthors, year: 1843, venue: 'Scientific Memoirs' }),
  ...[treg, archer].filter((paper) => !bundled.some((other) => other.key === paper.key)),
];
const STYLES = ['apa', 'ieee', 'chicago-author-date'];
/** Random sequences per style: every comparison makes a new engine, and APA's is the slowest to make. */
const SEQUENCES: Record<string, number> = { apa: 3, ieee: 5, 'chicago-author-date': 5 };

class Library {
  papers: Paper[];
  constructor(papers: readonly Paper[]) {
    this.papers = [...papers];
  }
  lookup = (key: string): Paper | undefined => this.papers.find((paper) => paper.key === key);
}

describe('citation sessions: incremental processing gives what a full run gives', function () {
  this.timeout(600_000);
  let assets: Awaited<ReturnType<typeof cslAssets>>;
  /** Keeps its engines between calls, as the extension does. */
  let kept: CslFormatter;
  /** Drops them before every call: each call processes the note from scratch in a new engine. */
  let fresh: CslFormatter;

  before(async () => {
    assets = await cslAssets();
    kept = assets.formatter();
    fresh = assets.formatter();
  });
  after(() => assets.remove());

  /** A random citation of a few of `pool`'s papers (sometimes an unknown key), in one of Pandoc's forms. */
  function randomCluster(random: () => number, pool: readonly Paper[]): NoteCluster {
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const inText = random() < 0.2;
    const count = inText ? 1 : 1 + Math.floor(random() * random() * 3);
    const items: ClusterItem[] = Array.from({ length: count }, () => ({
      key: random() < 0.03 ? 'nosuchkey2099' : pick(pool).key,
      prefix: random() < 0.15 ? 'see' : '',
      locator: pick(['', '', '', 'p. 3', '12', 'chap. 2', 'pp. 4-5, and passim']),
      suppressAuthor: !inText && random() < 0.1,
    }));
    const raw = inText ? `@${items[0].key}` : `[${items.map((item) => `@${item.key}`).join('; ')}]`;
    return { start: 0, end: raw.length, raw, items, inText, formatted: false };
  }

  /** One random change: one or a few citations inserted, deleted or edited, a move, or many at once. */
  function randomEdit(random: () => number, clusters: NoteCluster[], pool: readonly Paper[]): NoteCluster[] {
    const next = [...clusters];
    const at = () => Math.floor(random() * (next.length + 1));
    const roll = random();
    const times = roll < 0.85 ? 1 : roll < 0.95 ? 2 + Math.floor(random() * 3) : 12;
    for (let step = 0; step < times; step++) {
      const kind = next.length === 0 ? 0 : Math.floor(random() * 4);
      if (kind === 0) next.splice(at(), 0, randomCluster(random, pool));
      else if (kind === 1) next.splice(Math.min(at(), next.length - 1), 1);
      else if (kind === 2) next[Math.min(at(), next.length - 1)] = randomCluster(random, pool);
      else {
        const [moved] = next.splice(Math.min(at(), next.length - 1), 1);
        next.splice(at(), 0, moved);
      }
    }
    return next;
  }

  for (const styleId of STYLES) {
    it(`renders the preview's citations and bibliography as a full run does, in ${styleId}`, () => {
      const random = prng(STYLES.indexOf(styleId) + 1);
      let compared = 0;
      for (let sequence = 0; sequence < SEQUENCES[styleId]; sequence++) {
        const library = new Library([...bundled, ...extra]);
        // Few papers, so that citations repeat and names collide.
        const pool = [...extra, ...Array.from({ length: 8 }, () => bundled[Math.floor(random() * bundled.length)])];
        // Two notes edited in turns share the kept engines.
        const notes = [0, 1].map(() => Array.from({ length: 4 + Math.floor(random() * 10) }, () => randomCluster(random, pool)));
        for (let step = 0; step < 12; step++) {
          const which = random() < 0.3 ? 1 : 0;
          notes[which] = randomEdit(random, notes[which], pool);
          if (random() < 0.08) {
            // A paper's data changed (the library reloaded it): a new object under the same key.
            const { key } = pool[Math.floor(random() * pool.length)];
            const index = library.papers.findIndex((paper) => paper.key === key);
            library.papers[index] = retitled(library.papers[index], `${library.papers[index].title} (revised ${step})`);
          }
          const options: RenderOptions = random() < 0.2 ? { nocite: [pool[Math.floor(random() * pool.length)].key, bundled[step].key] } : {};
          const incremental = renderNoteCitations(notes[which], { formatter: kept, styleId }, library.lookup, options);
          fresh.invalidate(styleId);
          const full = renderNoteCitations(notes[which], { formatter: fresh, styleId }, library.lookup, options);
          assert.equal(incremental.problem, undefined);
          assert.deepEqual(incremental, full, `${styleId}, sequence ${sequence}, step ${step}`);
          compared++;
        }
      }
      assert.equal(compared, SEQUENCES[styleId] * 12);
    });
  }

  /** A citation of one paper, as the preview's scanner gives it. */
  function cite(key: string, locator = ''): NoteCluster {
    const raw = `[@${key}]`;
    return { start: 0, end: raw.length, raw, items: [{ key, prefix: '', locator, suppressAuthor: false }], inText: false, formatted: false };
  }

  // A citation added at the start of a long note renumbers every paper first cited after it, and a
  // new paper can make another's year ambiguous (1843a/1843b): the bibliography was made again whole,
  // seconds for a note of 150 papers. Now only the entries whose text can change are made again.
  for (const [styleId, expected] of [
    ['apa', { known: 0, added: 2 }],
    // Numbers in the entries: the renumbered ones are made again (more than half of them: all at once).
    ['ieee', { known: 21, added: 22 }],
    // Numbered in the bibliography's order, so nothing to make for a paper cited earlier; but "———" for
    // an author repeated from the entry before: an entry depends on its neighbour, so all for a new one.
    ['chicago-author-date', { known: 0, added: 22 }],
  ] as const) {
    it(`makes again only the bibliography entries that change when a citation is added early, in ${styleId}`, () => {
      const library = new Library([...bundled, ...extra]);
      const formatter = assets.formatter();
      const made: number[] = [];
      const documentEngine = formatter.documentEngine.bind(formatter);
      formatter.documentEngine = (...args) => {
        const engine = documentEngine(...args);
        const makeBibliography = engine.makeBibliography.bind(engine) as (section?: unknown) => ReturnType<typeof engine.makeBibliography>;
        engine.makeBibliography = ((section?: unknown) => {
          const result = makeBibliography(section);
          made.push(result ? result[1].length : 0);
          return result;
        }) as typeof engine.makeBibliography;
        return engine;
      };
      const full = (note: NoteCluster[]) => {
        fresh.invalidate(styleId);
        return renderNoteCitations(note, { formatter: fresh, styleId }, library.lookup);
      };
      let note = [cite(extra[0].key, 'p. 2'), ...bundled.slice(0, 20).map((paper, index) => cite(paper.key, `${index + 1}`))];
      assert.deepEqual(renderNoteCitations(note, { formatter, styleId }, library.lookup), full(note));
      // An already cited paper, cited first now: renumbered, nothing else changes.
      note = [cite(bundled[10].key, 'p. 9'), ...note];
      made.length = 0;
      const known = renderNoteCitations(note, { formatter, styleId }, library.lookup);
      assert.deepEqual(known, full(note));
      assert.equal(made.reduce((sum, count) => sum + count, 0), expected.known);
      // A new paper by the same authors in the same year: it and the other one become 1843a and 1843b.
      note = [cite(extra[1].key), ...note];
      made.length = 0;
      const added = renderNoteCitations(note, { formatter, styleId }, library.lookup);
      assert.deepEqual(added, full(note));
      assert.equal(made.reduce((sum, count) => sum + count, 0), expected.added);
      assert.equal(added.bibliography.length, 22);
      if (styleId === 'apa') assert.ok(added.bibliography.some((entry) => entry.text.includes('1843a')) && added.bibliography.some((entry) => entry.text.includes('1843b')));
    });
  }

  /** The formatted citations of a note, in order. */
  function formattedOf(markdown: string): FormattedCitation[] {
    return [...new Set(scanCitations(markdown).flatMap((citation) => citation.formatted ?? []))];
  }

  function apply(markdown: string, result: CitationEdits): string {
    return [...result.edits].sort((a, b) => b.startOffset - a.startOffset).reduce((text, edit) => text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset), markdown);
  }

  for (const styleId of STYLES) {
    it(`inserts citations, renumbering and disambiguating the others, as Refresh Citations formats the note from scratch, in ${styleId}`, () => {
      const random = prng(100 + STYLES.indexOf(styleId));
      const library = new Library([...bundled, ...extra]);
      const pool = [...extra, ...bundled.slice(0, 12)];
      for (let sequence = 0; sequence < 2; sequence++) {
        let markdown = '# Notes\n\nA start.\n';
        for (let step = 0; step < 9; step++) {
          // One to three cursors, each at the end of a line or inside a citation.
          const lines = [...markdown.matchAll(/\n/g)].map((m) => m.index);
          const inside = formattedOf(markdown).map((citation) => citation.textStart + 1);
          const spots = [...lines, ...inside];
          const ranges = Array.from({ length: random() < 0.8 ? 1 : 2 + Math.floor(random() * 2) }, () => {
            const at = spots[Math.floor(random() * spots.length)];
            return { start: at, end: at };
          });
          const papers = Array.from({ length: random() < 0.8 ? 1 : 2 }, () => pool[Math.floor(random() * pool.length)]);
          const inserted = insertCitations(markdown, ranges, papers, { formatter: kept, styleId }, library.lookup);
          markdown = apply(markdown, inserted);
          fresh.invalidate(styleId);
          const refreshed = refreshCitations(markdown, { formatter: fresh, styleId }, library.lookup);
          assert.deepEqual(refreshed.edits, [], `${styleId}, sequence ${sequence}, step ${step}: ${markdown}`);
          if (step % 3 === 2) markdown += `\nSee ${formattedCitationMarkdown('(?)', [pool[step].key])} and [@${pool[step + 1].key}].\n`;
          if (step % 3 === 2) markdown = apply(markdown, refreshCitations(markdown, { formatter: kept, styleId }, library.lookup));
        }
        assert.ok(formattedOf(markdown).length >= 9);
      }
    });
  }
});
