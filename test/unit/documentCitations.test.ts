import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveCitedPapers, type TextEdit } from '../../src/core/bibliography';
import { formattedCitationMarkdown, scanCitations } from '../../src/core/citationScanner';
import { CslFormatter, type CiteprocModule, type CslLoader } from '../../src/core/csl';
import { insertCitations, refreshCitations, type DocumentStyle, type OffsetRange } from '../../src/core/documentCitations';
import type { Paper } from '../../src/core/model';
import { archer, hostile, journal, makePaper, preprint, treg } from './paperFixtures';

/** Two papers by the same authors in the same year: only a year suffix tells them apart. */
const sameAuthors = [
  { given: 'Ada', family: 'Lovelace' },
  { given: 'Charles', family: 'Babbage' },
];
const engineA = makePaper({ key: 'lovelace1843notes', title: 'Notes on the analytical engine', authors: sameAuthors, year: 1843, venue: 'Scientific Memoirs' });
const engineB = makePaper({ key: 'lovelace1843sketch', title: 'Sketch of the analytical engine', authors: sameAuthors, year: 1843, venue: 'Scientific Memoirs' });
const PAPERS = [treg, archer, preprint, journal, hostile, engineA, engineB];
const lookup = (key: string): Paper | undefined => PAPERS.find((paper) => paper.key === key);

/** A formatted citation as Lit Notes writes it, with any text (e.g. a stale or naive one). */
const cite = (text: string, ...keys: string[]) => formattedCitationMarkdown(text, keys);

function apply(markdown: string, edits: readonly TextEdit[]): string {
  let text = markdown;
  for (const edit of [...edits].sort((a, b) => b.startOffset - a.startOffset)) {
    text = text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset);
  }
  return text;
}

/** The link texts of the formatted citations, in order. */
function formattedTexts(markdown: string): string[] {
  const seen = new Set<object>();
  const texts: string[] = [];
  for (const { formatted } of scanCitations(markdown)) {
    if (!formatted || seen.has(formatted)) continue;
    seen.add(formatted);
    texts.push(markdown.slice(formatted.textStart, formatted.textEnd));
  }
  return texts;
}

/** `|` marks the cursors. */
function cursors(marked: string): { markdown: string; ranges: OffsetRange[] } {
  const [first, ...rest] = marked.split('|');
  const ranges: OffsetRange[] = [];
  let markdown = first;
  for (const part of rest) {
    ranges.push({ start: markdown.length, end: markdown.length });
    markdown += part;
  }
  return { markdown, ranges };
}

describe('documentCitations', () => {
  let assets: string;
  let formatter: CslFormatter;
  const requireFromHere = createRequire(__filename);
  const loader: CslLoader = {
    loadCiteproc: () => requireFromHere('citeproc') as CiteprocModule,
    loadStyle: (id) => JSON.parse(readFileSync(join(assets, 'styles', `${id}.json`), 'utf8')) as object,
    loadLocale: (lang) => {
      const file = join(assets, 'locales', `${lang}.json`);
      return JSON.parse(readFileSync(existsSync(file) ? file : join(assets, 'locales', 'en-US.json'), 'utf8')) as object;
    },
  };
  const style = (styleId: string): DocumentStyle => ({ formatter, styleId });
  const refresh = (markdown: string, styleId: string) => apply(markdown, refreshCitations(markdown, style(styleId), lookup).edits);

  before(async () => {
    const script = pathToFileURL(join(__dirname, '../../scripts/csl-assets.mjs')).href;
    const { writeCslAssets } = (await import(script)) as { writeCslAssets: (outDir: string) => Promise<void> };
    assets = mkdtempSync(join(tmpdir(), 'litnotes-doccite-'));
    await writeCslAssets(assets);
  });
  after(() => rmSync(assets, { recursive: true, force: true }));
  beforeEach(() => {
    formatter = new CslFormatter(loader);
  });

  describe('author-date styles', () => {
    it('gives two different "Zhou et al., 2024" papers different strings in APA', () => {
      const note = `T-REG ${cite('(Zhou et al., 2024)', 'zhou2024treg')} and ArCHer ${cite('(Zhou et al., 2024)', 'zhou2024archer')}.`;
      const result = refreshCitations(note, style('apa'), lookup);
      assert.equal(result.formatted, 2);
      assert.equal(result.updated, 2);
      const text = apply(note, result.edits);
      assert.deepEqual(formattedTexts(text), ['(W. Zhou et al., 2024)', '(Y. Zhou et al., 2024)']);
      assert.equal(text, 'T-REG [(W. Zhou et al., 2024)](#litnotes:zhou2024treg) and ArCHer [(Y. Zhou et al., 2024)](#litnotes:zhou2024archer).');
    });

    it('counts Pandoc citations of the note when it disambiguates, and never rewrites them', () => {
      const note = `See [@zhou2024archer, p. 3] and ${cite('(Zhou et al., 2024)', 'zhou2024treg')}.`;
      const text = refresh(note, 'chicago-author-date');
      assert.equal(text, `See [@zhou2024archer, p. 3] and ${cite('(W. Zhou et al. 2024)', 'zhou2024treg')}.`);
    });

    it('adds a year suffix where the style asks for one, and the References section agrees', () => {
      const note = `${cite('x', 'lovelace1843notes')} then ${cite('y', 'lovelace1843sketch')}; both ${cite('z', 'lovelace1843notes', 'lovelace1843sketch')}.`;
      const text = refresh(note, 'apa');
      assert.deepEqual(formattedTexts(text), ['(Lovelace & Babbage, 1843a)', '(Lovelace & Babbage, 1843b)', '(Lovelace & Babbage, 1843a, 1843b)']);
      const { papers } = resolveCitedPapers(text, lookup);
      const references = formatter.formatBibliography(papers, 'apa');
      assert.match(references[0], /^Lovelace, A\., & Babbage, C\. \(1843a\)\. Notes/);
      assert.match(references[1], /^Lovelace, A\., & Babbage, C\. \(1843b\)\. Sketch/);
    });

    it('inserts a citation in context and updates the one it now has to be told apart from, in one set of edits', () => {
      const { markdown, ranges } = cursors(`T-REG ${cite('(Zhou et al., 2024)', 'zhou2024treg')} differs from ArCHer |.`);
      const result = insertCitations(markdown, ranges, [archer], style('apa'), lookup);
      assert.equal(result.updated, 1, 'the T-REG citation changes');
      assert.equal(result.edits.length, 2);
      assert.equal(apply(markdown, result.edits), `T-REG ${cite('(W. Zhou et al., 2024)', 'zhou2024treg')} differs from ArCHer ${cite('(Y. Zhou et al., 2024)', 'zhou2024archer')}.`);
    });

    it('leaves the other citations alone when the new one changes nothing for them', () => {
      const { markdown, ranges } = cursors(`Go ${cite('(Silver & Huang, 2016)', 'silver2016mastering')}; T-REG |.`);
      const result = insertCitations(markdown, ranges, [treg], style('apa'), lookup);
      assert.equal(result.updated, 0);
      assert.deepEqual(result.edits, [{ startOffset: ranges[0].start, endOffset: ranges[0].start, newText: cite('(Zhou et al., 2024)', 'zhou2024treg') }]);
    });

    it('puts several papers in one citation, sorted as the style sorts them', () => {
      const { markdown, ranges } = cursors('Both |.');
      const text = apply(markdown, insertCitations(markdown, ranges, [treg, journal], style('apa'), lookup).edits);
      assert.equal(text, `Both ${cite('(Silver & Huang, 2016; Zhou et al., 2024)', 'zhou2024treg', 'silver2016mastering')}.`);
    });
  });

  describe('numeric styles', () => {
    it('numbers by first citation in IEEE, Pandoc citations included', () => {
      const note = [`Go ${cite('[9]', 'silver2016mastering')}.`, 'ArCHer [@zhou2024archer].', `T-REG ${cite('[9]', 'zhou2024treg')}, again Go ${cite('[9]', 'silver2016mastering')}.`].join('\n');
      assert.deepEqual(formattedTexts(refresh(note, 'ieee')), ['\\[1\\]', '\\[3\\]', '\\[1\\]']);
    });

    it('renumbers when a citation is inserted earlier, and the References follow the new order', () => {
      const first = cursors('Go |. T-REG |.');
      const numbered = apply(first.markdown, insertCitations(first.markdown, [first.ranges[0]], [journal], style('ieee'), lookup).edits);
      const again = cursors(numbered.replace('T-REG ', 'T-REG |'));
      const two = apply(again.markdown, insertCitations(again.markdown, again.ranges, [treg], style('ieee'), lookup).edits);
      assert.deepEqual(formattedTexts(two), ['\\[1\\]', '\\[2\\]']);

      // Now ArCHer before both: it becomes [1], the others move up by one.
      const earlier = cursors(`ArCHer |first. ${two}`);
      const result = insertCitations(earlier.markdown, earlier.ranges, [archer], style('ieee'), lookup);
      assert.equal(result.updated, 2);
      const text = apply(earlier.markdown, result.edits);
      assert.equal(text, `ArCHer ${cite('[1]', 'zhou2024archer')}first. Go ${cite('[2]', 'silver2016mastering')}. T-REG ${cite('[3]', 'zhou2024treg')}.`);
      const references = formatter.formatBibliography(resolveCitedPapers(text, lookup).papers, 'ieee');
      assert.deepEqual(references.map((entry) => entry.slice(0, 12)), ['[1] Y. Zhou,', '[2] D. Silve', '[3] W. Zhou,']);
    });

    it('writes Vancouver clusters and keeps one number per paper', () => {
      const note = `${cite('?', 'zhou2024treg', 'zhou2024archer')} and ${cite('?', 'zhou2024archer')} and ${cite('?', 'silver2016mastering', 'zhou2024treg')}`;
      assert.deepEqual(formattedTexts(refresh(note, 'vancouver')), ['(1,2)', '(2)', '(1,3)']);
    });

    it('inserts at several cursors, numbered in document order', () => {
      const { markdown, ranges } = cursors('a | b | c');
      const text = apply(markdown, insertCitations(markdown, ranges, [archer], style('ieee'), lookup).edits);
      assert.equal(text, `a ${cite('[1]', 'zhou2024archer')} b ${cite('[1]', 'zhou2024archer')} c`);
    });
  });

  describe('edits and odd input', () => {
    it('survives a user edit inside the text: the key is still read, and refresh writes the formatted text again', () => {
      const edited = 'As shown [(Zhou and others, 2024, see p. 3 @nokey)](#litnotes:zhou2024treg).';
      assert.deepEqual(scanCitations(edited).map((c) => c.key), ['zhou2024treg']);
      assert.equal(refresh(edited, 'apa'), `As shown ${cite('(Zhou et al., 2024)', 'zhou2024treg')}.`);
    });

    it('changes nothing when every citation is up to date', () => {
      const note = `${cite('(W. Zhou et al., 2024)', 'zhou2024treg')} ${cite('(Y. Zhou et al., 2024)', 'zhou2024archer')}`;
      assert.deepEqual(refreshCitations(note, style('apa'), lookup), { edits: [], formatted: 2, updated: 0, missingKeys: [] });
      assert.deepEqual(refreshCitations('No citations.', style('apa'), lookup), { edits: [], formatted: 0, updated: 0, missingKeys: [] });
    });

    it('leaves citations of keys the library lacks as they are, and names the keys', () => {
      const note = `${cite('(Nobody, 2020)', 'nobody2020')} ${cite('?', 'zhou2024treg', 'ghost')} [@ghost]`;
      const result = refreshCitations(note, style('apa'), lookup);
      assert.deepEqual(result.missingKeys, ['nobody2020', 'ghost']);
      assert.deepEqual(formattedTexts(apply(note, result.edits)), ['(Nobody, 2020)', '(Zhou et al., 2024)']);
    });

    it('ignores formatted citations in code and in the generated reference list', () => {
      const note = ['`[x](#litnotes:zhou2024treg)`', '```', '[x](#litnotes:zhou2024treg)', '```', '<!-- litnotes:references -->', '[x](#litnotes:zhou2024treg)', '<!-- /litnotes:references -->'].join('\n');
      assert.deepEqual(refreshCitations(note, style('apa'), lookup), { edits: [], formatted: 0, updated: 0, missingKeys: [] });
    });

    it('inserts after a citation the cursor is inside, and replaces one a selection covers', () => {
      const existing = cite('(Silver & Huang, 2016)', 'silver2016mastering');
      const inside = `Go ${existing}.`;
      const at = inside.indexOf('Huang');
      const after = insertCitations(inside, [{ start: at, end: at }], [treg], style('apa'), lookup);
      assert.equal(apply(inside, after.edits), `Go ${existing}${cite('(Zhou et al., 2024)', 'zhou2024treg')}.`);

      const start = inside.indexOf('[');
      const replaced = insertCitations(inside, [{ start, end: start + existing.length }], [treg], style('ieee'), lookup);
      assert.equal(apply(inside, replaced.edits), `Go ${cite('[1]', 'zhou2024treg')}.`);
    });

    it('keeps a paper text inert: a hostile title cited by title stays text, and the keys read back', () => {
      const untitledAuthors = makePaper({ ...hostile, key: 'evil [x](command:y); 100%', authors: [], record: undefined });
      const papers = [untitledAuthors];
      const { markdown, ranges } = cursors('Cited |.');
      const result = insertCitations(markdown, ranges, papers, style('apa'), (key) => (key === untitledAuthors.key ? untitledAuthors : undefined));
      const text = apply(markdown, result.edits);
      const link = text.slice('Cited '.length, -1);
      assert.match(link, /^\[.*\]\(#litnotes:evil%20%5Bx%5D%28command:y%29%3B%20100%25\)$/);
      assert.doesNotMatch(link.slice(1, link.indexOf('](#litnotes:')), /(?<!\\)[[\]<`*_$]/, 'every markup character of the text is escaped');
      assert.deepEqual(scanCitations(text).map((c) => c.key), [untitledAuthors.key]);
      // Case-insensitive: how the title is cased is the title mapping's business, not this one's.
      assert.match(text, /Break \\\[out\\\]\(javascript:alert\(1\)\) \\<img/i);
    });

    it('reads the keys of the note (Insert Bibliography) in the order they are cited, formatted and Pandoc alike', () => {
      const note = `${cite('[1]', 'zhou2024archer')} [@silver2016mastering; @zhou2024treg] ${cite('[2]', 'nvidia2025nemotron', 'zhou2024archer')}`;
      assert.deepEqual(resolveCitedPapers(note, lookup).papers.map((paper) => paper.key), ['zhou2024archer', 'silver2016mastering', 'zhou2024treg', 'nvidia2025nemotron']);
      assert.deepEqual(formattedTexts(refresh(note, 'ieee')), ['\\[1\\]', '\\[1\\], \\[4\\]']);
    });

    it('leaves the shared engine clean for the one-off formatters', () => {
      refresh(`${cite('?', 'zhou2024treg')} ${cite('?', 'zhou2024archer')}`, 'ieee');
      assert.equal(formatter.formatCitation([journal], 'ieee'), '[1]');
      assert.deepEqual(formatter.formatBibliography([journal], 'ieee').length, 1);
    });
  });
});
