/**
 * Export Note with Pandoc, the pure part: what pandoc is given (the note's text, its papers, the
 * arguments), how its front matter is read (from pandoc's own JSON) and what its errors mean.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Paper } from '../../src/core/model';
import {
  noteMetadata,
  pageTitleOf,
  pandocArguments,
  pandocFailure,
  pandocInput,
  pandocInstallHint,
  pandocPapers,
  pandocStyle,
  pandocWarnings,
  PDF_ENGINES,
  type NoteMetadata,
  type PandocRun,
} from '../../src/core/pandocExport';
import { paperLookup } from '../../src/core/paperLookup';
import { makePaper } from './paperFixtures';
import { requireTool } from './referenceTools';

const papers: Paper[] = [
  makePaper({ key: 'zhou2024treg', title: 'T-REG', aliases: ['treg-old'] }),
  makePaper({ key: 'zhou2024archer', title: 'ArCHer' }),
  makePaper({ key: 'weird;key{1}', title: 'Weird' }),
  makePaper({ key: 'lone', title: 'Lone' }),
];
const lookup = paperLookup(papers);
const none: NoteMetadata = { csl: undefined, lang: undefined, bibliography: [], nocite: [], hasTitle: false };

function metadataOf(markdown: string): NoteMetadata {
  return noteMetadata(JSON.parse(execFileSync('pandoc', ['--from=markdown', '--to=json'], { input: markdown, encoding: 'utf8' })));
}

describe('Export Note with Pandoc', () => {
  describe('the note as pandoc is given it', () => {
    it('turns each formatted citation into the Pandoc citation it stands for, keys braced where needed', () => {
      const note = 'As shown [(Zhou et al., 2024a; Zhou et al., 2024b)](#litnotes:zhou2024treg;zhou2024archer) and [\\[3\\]](#litnotes:weird%3Bkey%7B1%7D).\n';
      assert.equal(pandocInput(note, lookup), 'As shown [@zhou2024treg; @zhou2024archer] and [@{weird;key1}].\n');
    });

    it('cites a merged record by its paper\'s key, and leaves unknown keys, code and everything else byte for byte', () => {
      const note = 'Old key [@treg-old, p. 3] and @treg-old.\r\n`[@treg-old]` [x](#litnotes:unknown) [@nope]\r\n```\n@treg-old\n```\n';
      assert.equal(pandocInput(note, lookup), 'Old key [@zhou2024treg, p. 3] and @zhou2024treg.\r\n`[@treg-old]` [x](#litnotes:unknown) [@nope]\r\n```\n@treg-old\n```\n');
    });

    it('keeps hostile text of a formatted citation out of what pandoc reads', () => {
      const note = '[<img src=x onerror=alert(1)> [Click me](command:x)](#litnotes:lone)\n';
      assert.equal(pandocInput(note, lookup), '[@lone]\n');
    });
  });

  describe('the papers pandoc is given', () => {
    it('are the cited ones, then nocite, in order of first appearance, with the keys the library lacks', () => {
      const result = pandocPapers('[@zhou2024archer; @nope] @treg-old [x](#litnotes:lone)', { ...none, nocite: ['zhou2024treg', 'gone'] }, lookup, () => papers);
      assert.deepEqual(result.papers.map((paper) => paper.key), ['zhou2024archer', 'zhou2024treg', 'lone']);
      assert.deepEqual(result.missingKeys, ['nope', 'gone']);
      assert.deepEqual(result.aliases, []);
    });

    it('give a paper nocite names only by a merged key under that key too, once', () => {
      const result = pandocPapers('No citations.', { ...none, nocite: ['treg-old', 'treg-old'] }, lookup, () => papers);
      assert.deepEqual(result.papers.map((paper) => paper.key), ['zhou2024treg']);
      assert.deepEqual(result.aliases.map(({ key, paper }) => [key, paper.key]), [['treg-old', 'zhou2024treg']]);
    });

    it("take every paper for nocite: '@*', each once", () => {
      const result = pandocPapers('[@lone]', { ...none, nocite: ['*', 'treg-old'] }, lookup, () => papers);
      assert.deepEqual(result.papers.map((paper) => paper.key), ['lone', 'zhou2024treg', 'zhou2024archer', 'weird;key{1}']);
      assert.deepEqual(result.aliases, []);
    });
  });

  describe('the style', () => {
    const known = ['apa', 'ieee', 'my-journal'];
    it("is the setting's unless the note's csl: names a Lit Notes style; any other csl: is left to pandoc", () => {
      assert.deepEqual(pandocStyle(none, 'apa', known), { styleId: 'apa', fromNote: false });
      assert.deepEqual(pandocStyle({ ...none, csl: 'my-journal' }, 'apa', known), { styleId: 'my-journal', fromNote: true });
      assert.deepEqual(pandocStyle({ ...none, csl: 'styles/nature.csl' }, 'apa', known), { asWritten: 'styles/nature.csl' });
      assert.deepEqual(pandocStyle({ ...none, csl: '__proto__' }, 'apa', known), { asWritten: '__proto__' });
    });
  });

  describe('the arguments', () => {
    const run: PandocRun = { format: 'docx', outputFile: '/tmp/x/output.docx', libraryFile: '/tmp/x/references.json', noteBibliographies: [], styleFile: '/tmp/x/style.csl' };

    it('name each option with its value in one argument', () => {
      assert.deepEqual(pandocArguments({ ...run, locale: 'de-DE' }), [
        '--from=markdown',
        '--to=docx',
        '--standalone',
        '--citeproc',
        '--bibliography=/tmp/x/references.json',
        '--csl=/tmp/x/style.csl',
        '--metadata=lang:de-DE',
        '--output=/tmp/x/output.docx',
      ]);
    });

    it('keep hostile file names whole, each in its own argument, and the note\'s files after Lit Notes\' (the last file wins)', () => {
      const hostile = ['-o /etc/passwd', '--lua-filter=x.lua', 'a b; rm -rf ~ $(id) `id`.bib', 'new\nline.bib', '__proto__'];
      const args = pandocArguments({ ...run, noteBibliographies: hostile, outputFile: '--output=/x;y' });
      assert.deepEqual(args.filter((arg) => arg.startsWith('--bibliography=')), ['--bibliography=/tmp/x/references.json', ...hostile.map((file) => `--bibliography=${file}`)]);
      assert.equal(args.at(-1), '--output=--output=/x;y');
      assert.ok(!args.includes('--lua-filter=x.lua') && !args.includes('-o'));
    });

    it("leave out the style and locale that the note's front matter gives, and a locale that is no language tag", () => {
      const args = pandocArguments({ ...run, styleFile: undefined, locale: 'de-DE --lua-filter=x' });
      assert.ok(!args.some((arg) => arg.startsWith('--csl') || arg.startsWith('--metadata')), args.join(' '));
    });

    it('give HTML and EPUB a page title in one line, and never a boolean', () => {
      assert.ok(pandocArguments({ ...run, format: 'html', pageTitle: 'My\nnote: *x* [a](command:b)' }).includes('--metadata=pagetitle:My note: *x* [a](command:b)'));
      assert.ok(!pandocArguments({ ...run, pageTitle: 'note' }).some((arg) => arg.includes('pagetitle')), 'not for DOCX');
      assert.equal(pageTitleOf('reading.md'), 'reading');
      assert.equal(pageTitleOf('true.md'), 'true.md');
      assert.equal(pageTitleOf('FALSE.markdown'), 'FALSE.markdown');
      assert.equal(pageTitleOf('.md'), '.md');
    });

    it('make a PDF with the engine asked for, writing what the engine reads', () => {
      const latex = pandocArguments({ ...run, format: 'pdf', pdfEngine: 'lualatex', outputFile: '/tmp/x/output.pdf' });
      assert.ok(latex.includes('--to=latex') && latex.includes('--pdf-engine=lualatex'));
      const html = pandocArguments({ ...run, format: 'pdf', pdfEngine: 'weasyprint', outputFile: '/tmp/x/output.pdf' });
      assert.ok(html.includes('--to=html') && html.includes('--pdf-engine=weasyprint'));
      assert.throws(() => pandocArguments({ ...run, format: 'pdf', pdfEngine: 'sh -c id' }), /not a PDF engine/);
      assert.ok(PDF_ENGINES.every(({ name }) => /^[a-z-]+$/.test(name)));
    });
  });

  describe('the note\'s front matter, read from pandoc\'s JSON', () => {
    it('reads nothing from a note without one, or from what is not pandoc\'s JSON', () => {
      assert.deepEqual(noteMetadata({ meta: {} }), none);
      for (const junk of [null, 42, 'x', [], { meta: [] }, { meta: { csl: { t: 'MetaMap', c: {} }, nocite: 'x', bibliography: { t: 'MetaList', c: 'x' } } }]) {
        assert.deepEqual(noteMetadata(junk), none);
      }
    });

    it('reads csl, lang, bibliography, nocite and the title as pandoc does', () => {
      requireTool('pandoc');
      const metadata = metadataOf(
        '---\ntitle: "Reading *notes*"\ncsl: ieee\nlang: de-DE\nbibliography:\n  - mine.bib\n  - "with space.json"\nnocite: |\n  @lone, @{weird;key{1}}, [@treg-old]\n---\n\nBody [@zhou2024treg].\n',
      );
      assert.deepEqual(metadata, { csl: 'ieee', lang: 'de-DE', bibliography: ['mine.bib', 'with space.json'], nocite: ['lone', 'weird;key{1}', 'treg-old'], hasTitle: true });
    });

    it("reads a single bibliography, nocite: '@*' and a YAML block further down, as pandoc does", () => {
      requireTool('pandoc');
      const metadata = metadataOf("Text.\n\n---\nbibliography: refs.bib\nnocite: '@*'\npagetitle: x\n...\n\nMore.\n");
      assert.deepEqual(metadata, { csl: undefined, lang: undefined, bibliography: ['refs.bib'], nocite: ['*'], hasTitle: true });
    });

    it('keeps hostile values as text', () => {
      requireTool('pandoc');
      const metadata = metadataOf('---\ncsl: "[Click me](command:x)"\nlang: "<img src=x onerror=alert(1)>"\nbibliography: "__proto__"\nconstructor: 1\n---\n');
      assert.equal(metadata.csl, 'Click me');
      assert.equal(metadata.lang, '<img src=x onerror=alert(1)>');
      // pandoc reads the value as Markdown (strong "proto"), and so looks for the file "proto": the same file here.
      assert.deepEqual(metadata.bibliography, ['proto']);
      assert.equal(pandocArguments({ format: 'html', outputFile: 'o', libraryFile: 'l', noteBibliographies: [], locale: metadata.lang }).some((arg) => arg.includes('img')), false);
    });
  });

  describe("pandoc's messages", () => {
    it('reads the keys citeproc did not find, and the other warnings one line each', () => {
      const stderr = '[WARNING] Citeproc: citation nope not found\n[WARNING] This document format requires a nonempty <title> element.\n  Defaulting to \'-\' as the title.\n[WARNING] Citeproc: citation nope not found\n[WARNING] Citeproc: citation we;ird not found\n';
      assert.deepEqual(pandocWarnings(stderr), { missingKeys: ['nope', 'we;ird'], others: ["This document format requires a nonempty <title> element. Defaulting to '-' as the title."] });
      assert.deepEqual(pandocWarnings(''), { missingKeys: [], others: [] });
    });

    it('say in words why it failed, with the lines that matter', () => {
      const latex = "[WARNING] Missing character\nError producing PDF.\n! LaTeX Error: File `xcolor.sty' not found.\n\nType X to quit or <RETURN> to proceed,\n! Emergency stop.\n<read *>\nl.36 \\IfFileExists\n";
      assert.equal(pandocFailure(43, latex, { format: 'pdf', pdfEngine: 'pdflatex' }), "the PDF engine pdflatex failed: ! LaTeX Error: File `xcolor.sty' not found. ⏎ ! Emergency stop. ⏎ l.36 \\IfFileExists");
      assert.equal(
        pandocFailure(47, 'xelatex not found. Please select a different --pdf-engine or install xelatex\n', { format: 'pdf', pdfEngine: 'xelatex' }),
        'the PDF engine xelatex is not installed: xelatex not found. Please select a different --pdf-engine or install xelatex',
      );
      assert.equal(pandocFailure(22, 'Unknown output format odt\n', { format: 'odt' }), 'this pandoc cannot write the format OpenDocument (ODT): Unknown output format odt');
      assert.match(pandocFailure(64, "YAML parse exception at line 2, column 0,\nwhile parsing a flow sequence:\ndid not find expected ',' or ']'\n", { format: 'html' }), /^the note's front matter \(YAML\) could not be read: YAML parse exception at line 2/);
      assert.equal(pandocFailure(99, '[WARNING] x\n  more of x\nFile nope.bib not found in resource path\n', { format: 'docx' }), 'a file the note names was not found: File nope.bib not found in resource path');
      assert.match(pandocFailure(6, 'Unknown option --citeproc.\nTry pandoc --help for more information.\n', { format: 'docx' }), /older than 2\.11/);
      assert.equal(pandocFailure(1, '', { format: 'docx' }), 'pandoc failed (exit code 1).');
      assert.equal(pandocFailure(null, '', { format: 'docx' }), 'pandoc was stopped.');
      const long = pandocFailure(1, `${'x'.repeat(100_000)}\n`, { format: 'docx' });
      assert.ok(long.length < 400, `${long.length} characters`);
    });

    it('tell how to install pandoc on each system', () => {
      assert.match(pandocInstallHint('linux'), /sudo apt install pandoc.*pandoc\.org/);
      assert.match(pandocInstallHint('darwin'), /brew install pandoc/);
      assert.match(pandocInstallHint('win32'), /winget install --id JohnMacFarlane\.Pandoc/);
      assert.match(pandocInstallHint('freebsd'), /package manager.*pandoc\.org/);
    });
  });
});
