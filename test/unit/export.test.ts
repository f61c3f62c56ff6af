import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportBibtex, exportCslJson, type BibtexDialect } from '../../src/core/bibtex';
import { parseLibraryJson } from '../../src/core/library';
import type { CslDate, CslRecord, Paper } from '../../src/core/model';
import { BIBTEX_TYPES, parseEdtf } from '../../src/core/sources/bibtexMapping';
import { DATE_VARIABLES } from '../../src/core/sources/cslRecord';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { importCslJson } from '../../src/core/sources/cslJsonImport';
import { plainText } from '../../src/core/sources/latex';
import type { ParsedSource } from '../../src/core/sources/source';
import { requireTool } from './referenceTools';

const FIXTURES = ['fidelity.bib', 'bibtex-types.bib', 'biblatex-export.bib', 'xampl-style.bib', 'hand-kept.bib', 'jabref-shared-doi.bib'];
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/library', name), 'utf8');
const imported = (name: string) => importBibtex(fixture(name)).papers.map((entry) => entry.paper);

const bundled: Paper[] = parseLibraryJson({
  papers: (JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/papers.json'), 'utf8')) as { papers: unknown }).papers,
  topics: [],
}).library.papers.map((paper) => ({ ...paper, topics: [] }));
/** Records that never were BibTeX: Zotero's CSL-JSON and the bundled library. */
const fromCslJson = [...importCslJson(fixture('zotero.json')).papers.map((entry) => entry.paper), ...importCslJson(fixture('zotero-ids.json')).papers.map((entry) => entry.paper)];

type Format = BibtexDialect | 'csljson';
const FORMATS: readonly Format[] = ['bibtex', 'biblatex', 'csljson'];

function exported(papers: readonly Paper[], format: Format): string {
  return format === 'csljson' ? exportCslJson(papers) : exportBibtex(papers, format).text;
}

function readBack(text: string, format: Format): ParsedSource {
  return format === 'csljson' ? importCslJson(text) : importBibtex(text);
}

/** What a paper is as a library shows it: the fields an import gives, topics and links aside. */
function asImported(paper: Paper): Paper {
  return { ...paper, topics: [] };
}

/** A date's parts as numbers, a raw EDTF date as its parts. */
function numericDate(date: unknown): unknown {
  const value = date as CslDate | undefined;
  const parts = value?.['date-parts'] ?? (value?.raw ? parseEdtf(value.raw)?.['date-parts'] : undefined);
  return parts ? { 'date-parts': parts.map((part) => part.map(Number)), ...(value?.circa && { circa: value.circa }) } : date;
}

/**
 * Every variable of `before` is in `after` with the same value; titles may have gained case
 * protection (a BibTeX export braces acronyms), and the BibTeX entry type and fields kept for the
 * way back may have been added.
 */
function assertNothingLost(before: CslRecord, after: CslRecord, label: string): void {
  for (const [variable, value] of Object.entries(before)) {
    if (variable === 'custom') continue;
    const got = after[variable];
    if (typeof value === 'string' && typeof got === 'string') assert.equal(plainText(got), plainText(value), `${label}: ${variable}`);
    // Zotero writes date parts as strings ("2021"); they come back as the numbers they are.
    else if (DATE_VARIABLES.has(variable)) assert.deepEqual(numericDate(got), numericDate(value), `${label}: ${variable}`);
    else assert.deepEqual(got, value, `${label}: ${variable}`);
  }
  if (before.custom?.['and-others']) assert.deepEqual(after.custom?.['and-others'], before.custom['and-others'], `${label}: and others`);
}

describe('Export round trip: BibTeX → record → BibTeX / BibLaTeX / CSL-JSON → record', () => {
  for (const name of FIXTURES) {
    const papers = imported(name);

    for (const format of ['biblatex', 'csljson'] as const) {
      it(`${name} through ${format}: every paper and record comes back the same`, () => {
        const again = readBack(exported(papers, format), format);
        assert.deepEqual(again.problems, []);
        assert.deepEqual(again.papers.map((entry) => entry.paper), papers.map(asImported));
      });
    }

    it(`${name} through BibTeX: the same, but for biblatex-only types, written as BibTeX's nearest`, () => {
      const { text, notes } = exportBibtex(papers, 'bibtex');
      const again = importBibtex(text);
      assert.deepEqual(again.problems, []);
      assert.equal(again.papers.length, papers.length);
      papers.forEach((paper, index) => {
        const back = again.papers[index].paper;
        const original = paper.record?.custom?.['bibtex-type'] ?? '';
        if (BIBTEX_TYPES.has(original)) {
          assert.deepEqual(back, asImported(paper), paper.key);
          return;
        }
        // The CSL type may become the BibTeX type's (a @software is a @misc), and with it the genre it implied.
        assert.ok(notes.includes(`"${paper.key}": @${original} is written as @${back.record?.custom?.['bibtex-type']}, BibTeX's nearest type (the BibLaTeX export keeps @${original})`), paper.key);
        const strip = (record: CslRecord | undefined) => ({ ...record, type: undefined, genre: undefined, custom: { ...record?.custom, 'bibtex-type': undefined } });
        assert.deepEqual(strip(back.record), strip(paper.record), paper.key);
        assert.deepEqual({ ...back, record: undefined }, { ...asImported(paper), record: undefined }, `${paper.key}: the shown fields`);
      });
    });
  }

  for (const format of FORMATS) {
    it(`loses nothing of records that never were BibTeX (CSL-JSON, the bundled library) through ${format}`, () => {
      const papers = [...fromCslJson, ...bundled];
      const notes = format === 'csljson' ? [] : exportBibtex(papers, format).notes;
      const again = readBack(exported(papers, format), format);
      assert.deepEqual(again.problems, []);
      papers.forEach((paper, index) => {
        const back = again.papers[index].paper;
        assert.equal(back.key, paper.key);
        const record = paper.record as CslRecord;
        // A type BibTeX lacks (a web page) is written as its nearest, and the export says so.
        if (back.record?.type !== record.type) assert.ok(notes.some((note) => note.startsWith(`"${paper.key}": a CSL "${record.type}" is written as`)), `${paper.key}: ${notes.join('; ')}`);
        // BibTeX and biblatex have no field for the date a published paper's preprint came out: the export says it leaves it out.
        const { 'available-date': availableDate, ...written } = record;
        if (availableDate && format !== 'csljson') assert.ok(notes.includes(`"${paper.key}": available-date has no ${format === 'bibtex' ? 'BibTeX' : 'BibLaTeX'} field for a ${record.type}; left out`), paper.key);
        assertNothingLost({ ...(format === 'csljson' ? record : written), type: back.record?.type ?? '' }, back.record as CslRecord, `${paper.key} (${format})`);
        assert.deepEqual([back.title, back.authors, back.year, back.venue, back.doi, back.arxivId, back.andOthers], [paper.title, paper.authors, paper.year, paper.venue, paper.doi, paper.arxivId, paper.andOthers], paper.key);
      });
    });
  }

  it('writes the BibTeX export in ASCII throughout', () => {
    for (const papers of [...FIXTURES.map(imported), bundled]) assert.match(exportBibtex(papers, 'bibtex').text, /^\p{ASCII}*$/u);
  });
});

describe('bibtool and biber accept every export', function () {
  this.timeout(120_000);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-export-'));
  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  /** Every fixture's papers and the bundled library in one file, each key once. */
  const everything = (() => {
    const seen = new Set<string>();
    return [...FIXTURES.flatMap(imported), ...fromCslJson, ...bundled].filter((paper) => !seen.has(paper.key) && seen.add(paper.key));
  })();
  const write = (name: string, text: string) => {
    const file = path.join(directory, name);
    fs.writeFileSync(file, text);
    return file;
  };
  it('bibtool reads the BibTeX export without a complaint', () => {
    requireTool('bibtool');
    const file = write('bibtex.bib', exportBibtex(everything, 'bibtex').text);
    const run = spawnSync('bibtool', ['-q', '-o', path.join(directory, 'bibtool-out.bib'), file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const entries = fs.readFileSync(path.join(directory, 'bibtool-out.bib'), 'utf8').match(/^@\w+\{/gm) ?? [];
    assert.equal(entries.length, everything.length, 'bibtool kept every entry');
  });

  it("bibtool with biblatex's types reads the BibLaTeX export without a complaint", () => {
    requireTool('bibtool');
    const file = write('biblatex.bib', exportBibtex(everything, 'biblatex').text);
    // bibtool 2.68's biblatex resource predates biblatex's @dataset.
    const run = spawnSync('bibtool', ['-q', '-r', 'biblatex', '--', 'new.entry.type{Dataset}', '-o', path.join(directory, 'bibtool-biblatex.bib'), file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
  });

  it("biber --tool reads the BibLaTeX export and checks it against biblatex's data model", () => {
    requireTool('biber');
    const file = write('biber.bib', exportBibtex(everything, 'biblatex').text);
    execFileSync('biber', ['--tool', '--validate-datamodel', '--output-file', path.join(directory, 'biber-out.bib'), file], { cwd: directory, stdio: 'pipe' });
    const log = fs.readFileSync(`${file}.blg`, 'utf8');
    assert.doesNotMatch(log, /\bERROR\b/);
    // What biber says about the data itself: entries of the fixtures that lack a field biblatex requires,
    // and fields their own source gave that biblatex's type does not have. Nothing about the export.
    const warnings = [...log.matchAll(/WARN - (.*)$/gm)].map((match) => match[1].replace(/ \([^)]*biber\.bib\)/, '')).filter((warning) => !/Missing mandatory field/.test(warning));
    assert.deepEqual(warnings.sort(), [
      // JabRef's groups, which biblatex does not know.
      "Datamodel: Entry 'lee2024online': Field 'groups' invalid in data model - ignoring",
      // BibTeX's @inbook may say "Section" where biblatex's has no type.
      "Datamodel: Entry 'bertsekas1996neuro': Invalid field 'type' for entrytype 'inbook'",
      // A month the source wrote as "07--09 Jul".
      "Datamodel: Entry 'schulman2015trust': Invalid value of field 'month' must be datatype 'datepart' - ignoring field",
      // A web site's name from CSL-JSON, which biblatex's @online has no field for.
      "Datamodel: Entry 'weng2024lillog': Invalid field 'booktitle' for entrytype 'online'",
      "Overwriting field 'year' with year value from field 'date' for entry 'inbook-crossref'",
      "Overwriting field 'year' with year value from field 'date' for entry 'whole-set'",
      // xampl's "{\noopsort{1980a}}1979", kept for BibTeX's sorting beside the date biber reads.
      "legacy month field '07--09 Jul' in entry 'schulman2015trust' is not an integer - this will probably not sort properly.",
      "legacy year field '{\\noopsort{1980a}}1979' in entry 'whole-set' is not an integer - this will probably not sort properly.",
      "legacy year field '{\\noopsort{1980b}}1980' in entry 'inbook-crossref' is not an integer - this will probably not sort properly.",
    ].sort());
    const entries = fs.readFileSync(path.join(directory, 'biber-out.bib'), 'utf8').match(/^@\w+\{/gm) ?? [];
    assert.equal(entries.length, everything.length, 'biber kept every entry');
  });
});
