/**
 * Citations and exports at the size of a long paper and of a large library, each beside the bare
 * work done directly on the same items (`measureCitations`, called by run.ts):
 *
 * - A note with 200 formatted in-text citations (cslInText) of 150 papers of a 10,000-paper library,
 *   in APA (author-date: disambiguation) and IEEE (numeric: numbering by first citation). Formatting
 *   them all is Refresh Citations (`refreshCitations`); adding one is Insert Citation near the top
 *   (`insertCitations`), which also rewrites every citation it renumbers or disambiguates. The
 *   reference is a citeproc-js engine made once from the same style and locale, given the items as
 *   CSL-JSON beforehand: per run `updateItems` from an empty registry with the cited ids in order of
 *   first citation, and one `makeCitationCluster` per citation (201 after the insertion).
 * - Export Bibliography of the 10,000 papers as BibTeX, BibLaTeX and CSL-JSON (`exportPapers`). The
 *   reference is JSON.stringify, indented as the export is, of the papers' CSL-JSON items made
 *   beforehand: writing the same data out once, with nothing to map or escape.
 *
 * Repetitions are taken in turns with their reference, so that both see the same load.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { escapeFormattedText, formattedCitationMarkdown, scanCitations, type FormattedCitation } from '../src/core/citationScanner';
import { citeprocItem, CslFormatter, finish, type CiteprocModule } from '../src/core/csl';
import { insertCitations, refreshCitations, type CitationEdits } from '../src/core/documentCitations';
import { exportPapers, type ExportFormat } from '../src/core/exportFormats';
import type { Paper } from '../src/core/model';
import { recordOf, toCslItem, type CslJsonItem } from '../src/core/sources/record';
import { generateLibrary, prng } from './generate';
import { round, stats, time, type Stats } from './stats';

const LIBRARY_SIZE = 10_000;
const CITATIONS = 200;
const CITED_PAPERS = 150;
/** Every n-th citation cites two papers together. */
const PAIR_EVERY = 10;
/** The new citation goes after this many of the note's citations: everything after it is renumbered. */
const INSERT_AFTER = 5;
const STYLES = ['apa', 'ieee'];
const EXPORT_FORMATS: ExportFormat[] = ['bibtex', 'biblatex', 'csljson'];
/** The goals' limits, as ratios to the bare work: see `citationGoals`. */
const CITATION_LIMITS = { refresh: 2, insert: 1 };
const EXPORT_LIMITS: Record<ExportFormat, number> = { bibtex: 10, biblatex: 10, csljson: 2 };

interface Paired {
  ms: Stats;
  bare: Stats;
  /** Median ÷ median, and p95 ÷ p95. */
  ratio: number;
  p95Ratio: number;
}

export interface CitationFigures {
  papers: number;
  citations: number;
  styles: Record<string, { refresh: Paired; insert: Paired; refreshEdits: number; insertEdits: number; sameAsBare: number; sample: string }>;
  export: Record<ExportFormat, Paired & { megabytes: number; notes: number }>;
}

/** A speed goal as run.ts reports it: this ratio of medians at most `limit`. */
export interface RatioGoal {
  goal: string;
  limit: number;
  measured: number;
  unit: string;
  met: boolean;
  ms: { measured: number; reference: number; referenceName: string };
}

function paired(ours: number[], bare: number[]): Paired {
  const [ms, reference] = [stats(ours), stats(bare)];
  return { ms, bare: reference, ratio: round(ms.median / reference.median), p95Ratio: round(ms.p95 / reference.p95) };
}

/** The note: 200 citations in sentences, as Insert Citation writes them before they are formatted. */
function makeNote(cited: Paper[]): { markdown: string; citations: string[][] } {
  const citations: string[][] = [];
  const lines = ['# Reading notes', ''];
  for (let index = 0; index < CITATIONS; index++) {
    const keys = [cited[index % cited.length].key];
    if (index % PAIR_EVERY === PAIR_EVERY - 1) keys.push(cited[(index * 7 + 3) % cited.length].key);
    citations.push(keys);
    lines.push(`Finding ${index + 1} is argued in ${formattedCitationMarkdown('(?)', keys)}.`, '');
  }
  return { markdown: lines.join('\n'), citations };
}

function apply(markdown: string, result: CitationEdits): string {
  return [...result.edits].sort((a, b) => b.startOffset - a.startOffset).reduce((text, edit) => text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset), markdown);
}

/** The ids of the citations in order of first citation, as a numeric style numbers them. */
function firstCited(citations: string[][]): string[] {
  return [...new Set(citations.flat())];
}

export function measureCitations(distDir: string, quick: boolean, log: (line: string) => void): CitationFigures {
  const load = createRequire(__filename);
  const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(distDir, 'csl', file), 'utf8')) as object;
  const loader = {
    loadCiteproc: () => load(path.resolve(distDir, 'citeproc.js')) as CiteprocModule,
    loadStyle: (id: string) => readJson(path.join('styles', `${id}.json`)),
    loadLocale: (lang: string) => readJson(path.join('locales', `${lang}.json`)),
  };
  // Each paper with its record, as every source gives one (the synthetic papers are made without).
  const papers = generateLibrary(LIBRARY_SIZE).papers.map((paper) => ({ ...paper, record: recordOf(paper) }));
  const byKey = new Map(papers.map((paper) => [paper.key, paper]));
  const random = prng(7);
  const shuffled = [...papers];
  for (let index = 0; index < CITED_PAPERS; index++) {
    const other = index + Math.floor(random() * (shuffled.length - index));
    [shuffled[index], shuffled[other]] = [shuffled[other], shuffled[index]];
  }
  const cited = shuffled.slice(0, CITED_PAPERS);
  const note = makeNote(cited);
  const runs = quick ? 5 : 15;
  const figures: CitationFigures = { papers: LIBRARY_SIZE, citations: CITATIONS, styles: {}, export: {} as CitationFigures['export'] };

  const formatter = new CslFormatter(loader);
  const citeproc = loader.loadCiteproc();
  const items = new Map<string, CslJsonItem>(cited.map((paper) => [paper.key, citeprocItem(paper)]));
  for (const styleId of STYLES) {
    const style = { formatter, styleId };
    const lookup = (key: string) => byKey.get(key);
    const engine = new citeproc.Engine({ retrieveLocale: (lang) => loader.loadLocale(lang), retrieveItem: (id) => items.get(id) as CslJsonItem }, loader.loadStyle(styleId), 'en-US', true);
    engine.setOutputFormat('text');
    // From an empty registry, as Lit Notes registers a note's papers afresh on every call.
    const bare = (citations: string[][]) => {
      engine.updateItems([]);
      engine.updateItems(firstCited(citations));
      return citations.map((keys) => engine.makeCitationCluster(keys.map((id) => ({ id }))));
    };

    // Once untimed each: the engines are compiled and the note's formatted text is known.
    const refreshed = refreshCitations(note.markdown, style, lookup);
    const formatted = apply(note.markdown, refreshed);
    const at = formattedCitations(formatted)[INSERT_AFTER - 1].end;
    const newPaper = papers.find((paper) => !items.has(paper.key)) as Paper;
    items.set(newPaper.key, citeprocItem(newPaper));
    const withNew = [...note.citations.slice(0, INSERT_AFTER), [newPaper.key], ...note.citations.slice(INSERT_AFTER)];
    const inserted = insertCitations(formatted, [{ start: at, end: at }], [newPaper], style, lookup);
    const bareTexts = bare(note.citations).map((text) => escapeFormattedText(finish(text, 'text')));

    const sample = formattedCitations(formatted).map((citation) => formatted.slice(citation.textStart, citation.textEnd));
    const sameAsBare = sample.filter((text, index) => text === bareTexts[index]).length;
    const timed = { refresh: [] as number[], insert: [] as number[], bareRefresh: [] as number[], bareInsert: [] as number[] };
    for (let run = 0; run < runs; run++) {
      timed.refresh.push(time(() => refreshCitations(note.markdown, style, lookup)));
      timed.bareRefresh.push(time(() => bare(note.citations)));
      timed.insert.push(time(() => insertCitations(formatted, [{ start: at, end: at }], [newPaper], style, lookup)));
      timed.bareInsert.push(time(() => bare(withNew)));
    }
    items.delete(newPaper.key);
    figures.styles[styleId] = {
      refresh: paired(timed.refresh, timed.bareRefresh),
      insert: paired(timed.insert, timed.bareInsert),
      refreshEdits: refreshed.edits.length,
      insertEdits: inserted.edits.length,
      sameAsBare,
      sample: sample.slice(0, 3).join(' '),
    };
    const f = figures.styles[styleId];
    log(
      `citations ${styleId}: ${CITATIONS} in a note, all formatted ${fmt(f.refresh.ms)} ms against ${fmt(f.refresh.bare)} ms bare (${f.refresh.ratio}×); ` +
        `one inserted after the ${INSERT_AFTER}th ${fmt(f.insert.ms)} ms (${f.insertEdits} edits) against ${fmt(f.insert.bare)} ms bare (${f.insert.ratio}×); ` +
        `${sameAsBare}/${CITATIONS} texts as citeproc-js alone gives them; e.g. ${f.sample}`,
    );
  }

  const cslItems = papers.map(toCslItem);
  for (const format of EXPORT_FORMATS) {
    const ours: number[] = [];
    const reference: number[] = [];
    let output = exportPapers(papers, format);
    for (let run = 0; run < (quick ? 3 : 7); run++) {
      ours.push(time(() => (output = exportPapers(papers, format))));
      reference.push(time(() => JSON.stringify(cslItems, null, 2)));
    }
    figures.export[format] = { ...paired(ours, reference), megabytes: round(Buffer.byteLength(output.text) / 1024 / 1024), notes: output.notes.length };
    const f = figures.export[format];
    log(`export ${format}: ${LIBRARY_SIZE.toLocaleString('en')} papers ${fmt(f.ms)} ms (${f.megabytes} MB, ${f.notes} notes) against ${fmt(f.bare)} ms for JSON.stringify of the CSL items (${f.ratio}×)`);
  }
  return figures;
}

function formattedCitations(markdown: string): FormattedCitation[] {
  return [...new Set(scanCitations(markdown).flatMap((citation) => citation.formatted ?? []))];
}

function fmt(value: Stats): string {
  return `${round(value.median)} / ${round(value.p95)}`;
}

/**
 * The goals, as ratios of medians to the bare work. Formatting a note's citations goes through
 * citeproc-js's document API, which tracks each citation's place to disambiguate and number as a
 * word processor plugin does: at most twice the bare clusters. Adding one citation should cost no
 * more than formatting the whole note bare. A BibTeX export maps every field and escapes every
 * character in JavaScript: at most ten times the one native pass of JSON.stringify; a CSL-JSON
 * export, which only copies each record before the same JSON.stringify, at most twice.
 */
export function citationGoals(figures: CitationFigures): RatioGoal[] {
  const goal = (name: string, pair: Paired, limit: number, referenceName: string): RatioGoal => ({
    goal: name,
    limit,
    measured: pair.ratio,
    unit: '×',
    met: pair.ratio <= limit,
    ms: { measured: round(pair.ms.median), reference: round(pair.bare.median), referenceName },
  });
  const bare = 'citeproc-js alone: updateItems + a cluster per citation (median)';
  return [
    ...Object.entries(figures.styles).flatMap(([style, f]) => [
      goal(`${style}: format all ${figures.citations} citations of a note (median)`, f.refresh, CITATION_LIMITS.refresh, bare),
      goal(`${style}: insert one citation and update the others (median)`, f.insert, CITATION_LIMITS.insert, bare),
    ]),
    ...EXPORT_FORMATS.map((format) => goal(`export ${figures.papers.toLocaleString('en')} papers as ${format} (median)`, figures.export[format], EXPORT_LIMITS[format], 'JSON.stringify of the CSL items (median)')),
  ];
}
