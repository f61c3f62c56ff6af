import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportCslJson } from '../../src/core/bibtex';
import type { CiteprocModule } from '../../src/core/csl';
import { parseLibraryJson } from '../../src/core/library';
import { parseListing } from '../../src/core/listing';
import type { CslRecord, Paper, Topic } from '../../src/core/model';
import { arxivAbsUrl, arxivPdfUrl, huggingFacePaperUrl } from '../../src/core/urls';
import { BuildError, buildPapers, DEFAULT_FACTS, serializePapers, type BuildInputs } from '../../scripts/build-data';

const DATA = path.resolve(__dirname, '../../data');
const LISTING_FILE = path.resolve(__dirname, '../../../shared/seeds/000_0680a37b8f59c41c.txt');
const FACTS_FILE = DEFAULT_FACTS;
const PAPER_COUNT = 65;
/** A topic bigger than this that reads like "other" would be a catch-all, not a topic. */
const CATCH_ALL_LIMIT = 5;
const CATCH_ALL_NAMES = /\b(?:other|others|misc|miscellaneous|general|uncategori[sz]ed|various)\b/i;
/** The keys the library shipped with before its records were corrected: notes cite them, so they never change. */
const SHIPPED_KEYS = readFileSync(path.resolve(__dirname, '../fixtures/bundled-keys.txt'), 'utf8').split('\n').filter(Boolean);
/** The one venue the facts table describes ("ACM journal article, DOI …") instead of naming it. */
const ACM_ARTICLE = { arxivId: '2507.04136', venue: 'ACM Transactions on Intelligent Systems and Technology', year: 2026, doi: '10.1145/3834858' };
const BUILT_IN_STYLES = ['apa', 'ieee', 'chicago-author-date', 'modern-language-association', 'harvard-cite-them-right', 'vancouver'];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(DATA, file), 'utf8')) as Record<string, unknown>;
}

describe('bundled data', () => {
  const papersJson = readJson('papers.json');
  const topicsJson = readJson('topics.json');
  const { library, problems } = parseLibraryJson({ ...papersJson, ...topicsJson });
  const papers: Paper[] = library.papers;
  const topics: Topic[] = library.topics;

  it('passes the library validator without a problem', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(library.papers, papersJson.papers, 'the validator changed a paper');
  });

  it(`has exactly ${PAPER_COUNT} papers with unique keys and arXiv ids`, () => {
    assert.equal(papers.length, PAPER_COUNT);
    assert.equal(new Set(papers.map((paper) => paper.key)).size, PAPER_COUNT);
    assert.equal(new Set(papers.map((paper) => paper.arxivId)).size, PAPER_COUNT);
  });

  it('keeps every citation key it shipped with, in the same order', () => {
    assert.deepEqual(papers.map((paper) => paper.key), SHIPPED_KEYS);
  });

  it('uses Better BibTeX style keys', () => {
    for (const paper of papers) assert.match(paper.key, /^[a-z]+\d{4}[a-z0-9]*$/, paper.key);
    assert.equal(papers[0].key, 'zhou2024treg');
  });

  it('has 6 to 10 kebab-case topics with labels and descriptions', () => {
    assert.ok(topics.length >= 6 && topics.length <= 10, `${topics.length} topics`);
    for (const topic of topics) {
      assert.match(topic.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(topic.label.trim() && topic.description.trim(), topic.id);
      assert.ok(!topic.description.includes('\n'), `${topic.id}: description is not one line`);
    }
  });

  it('gives every paper 1 to 3 distinct known topics', () => {
    const ids = new Set(topics.map((topic) => topic.id));
    for (const paper of papers) {
      assert.ok(paper.topics.length >= 1 && paper.topics.length <= 3, `${paper.key}: ${paper.topics.length} topics`);
      assert.equal(new Set(paper.topics).size, paper.topics.length, `${paper.key}: repeated topic`);
      for (const topic of paper.topics) assert.ok(ids.has(topic), `${paper.key}: unknown topic ${topic}`);
    }
  });

  it('gives every topic several papers and has no catch-all topic', () => {
    for (const topic of topics) {
      const members = papers.filter((paper) => paper.topics.includes(topic.id));
      const primary = papers.filter((paper) => paper.topics[0] === topic.id);
      assert.ok(members.length >= 3, `${topic.id} has only ${members.length} papers`);
      assert.ok(primary.length >= 2, `${topic.id} is the primary topic of only ${primary.length} papers`);
      if (CATCH_ALL_NAMES.test(`${topic.id} ${topic.label}`)) {
        assert.ok(members.length <= CATCH_ALL_LIMIT, `${topic.id} is a catch-all with ${members.length} papers`);
      }
    }
  });

  it('has well-formed arXiv ids and consistent links', () => {
    for (const paper of papers) {
      assert.ok(paper.arxivId, `${paper.key}: no arXiv id`);
      assert.match(paper.arxivId, /^\d{4}\.\d{4,5}$/, paper.key);
      const [yymm] = paper.arxivId.split('.');
      assert.ok(Number(yymm.slice(2)) >= 1 && Number(yymm.slice(2)) <= 12, `${paper.key}: arXiv month`);
      assert.equal(paper.links.arxiv, arxivAbsUrl(paper.arxivId));
      assert.equal(paper.links.pdf, arxivPdfUrl(paper.arxivId));
      assert.equal(paper.links.huggingFace, huggingFacePaperUrl(paper.arxivId));
      // An arXiv id encodes its submission month, so the paper cannot be older than its id.
      assert.ok(paper.year !== undefined && paper.year >= 2000 + Number(yymm.slice(0, 2)), `${paper.key}: year ${paper.year} before arXiv id`);
    }
  });

  it('links code only over https', () => {
    for (const paper of papers) {
      if (paper.links.code !== undefined) assert.match(paper.links.code, /^https:\/\/[^/\s]+\/\S+$/, paper.key);
    }
  });

  it('has full author lists and sane counts', () => {
    for (const paper of papers) {
      assert.ok(paper.authors.length > 0, `${paper.key}: no authors`);
      for (const author of paper.authors) assert.ok(author.family.trim(), `${paper.key}: author without family name`);
      assert.ok(paper.authorCount > 0, `${paper.key}: author count`);
    }
  });

  describe('against the seed listing', () => {
    let listing: ReturnType<typeof parseListing>;
    before(function () {
      if (!existsSync(LISTING_FILE)) this.skip();
      listing = parseListing(readFileSync(LISTING_FILE, 'utf8'));
    });

    it('lists the same papers in the same order', () => {
      assert.deepEqual(listing.problems, []);
      assert.deepEqual(
        papers.map((paper) => paper.title),
        listing.entries.map((entry) => entry.title),
      );
    });

    it('ships the abstracts, dates, organisations and upvotes the listing shows', () => {
      listing.entries.forEach((entry, index) => {
        const paper = papers[index];
        assert.equal(paper.abstract, entry.abstract, `${paper.key}: abstract`);
        assert.deepEqual(paper.listingDate, entry.date, `${paper.key}: listing date`);
        assert.equal(paper.organization, entry.organization, `${paper.key}: organisation`);
        assert.equal(paper.upvotes, entry.upvotes, `${paper.key}: upvotes`);
      });
    });

    describe('against the facts table', () => {
      let facts: FactRow[];
      const paperOf = (fact: FactRow) => {
        const paper = papers.find((candidate) => candidate.arxivId === fact.arxivId);
        assert.ok(paper, `no paper for ${fact.arxivId}`);
        return { paper, record: paper.record as CslRecord };
      };
      before(function () {
        if (!existsSync(FACTS_FILE)) this.skip();
        facts = readFactRows(readFileSync(FACTS_FILE, 'utf8'));
      });

      it('has one row per paper', () => {
        assert.equal(facts.length, PAPER_COUNT);
        assert.deepEqual(new Set(facts.map((fact) => fact.arxivId)), new Set(papers.map((paper) => paper.arxivId)));
      });

      it("dates a paper published at a venue by the venue's year and keeps its arXiv date as the preprint's", () => {
        const venueYears: number[] = [];
        for (const fact of facts) {
          const { paper, record } = paperOf(fact);
          const [idYear, idMonth] = [2000 + Number(fact.arxivId.slice(0, 2)), Number(fact.arxivId.slice(2, 4))];
          assert.equal(fact.year, idYear, `${fact.arxivId}: the facts give the arXiv year`);
          if (isPreprint(fact)) {
            assert.equal(paper.year, fact.year, `${paper.key}: a preprint's year is its arXiv year`);
            assert.deepEqual(record.issued, { 'date-parts': [[fact.year]] }, paper.key);
            assert.equal(record['available-date'], undefined, paper.key);
            continue;
          }
          const year = fact.arxivId === ACM_ARTICLE.arxivId ? ACM_ARTICLE.year : Number(/\b(?:19|20)\d\d\b/.exec(fact.venue)?.[0]);
          assert.ok(Number.isInteger(year), `${fact.arxivId}: the venue "${fact.venue}" names a year`);
          assert.equal(paper.year, year, `${paper.key}: the year shown is the venue's (${paper.venue})`);
          assert.deepEqual(record.issued, { 'date-parts': [[year]] }, `${paper.key}: issued`);
          assert.deepEqual(record['available-date'], { 'date-parts': [[idYear, idMonth]] }, `${paper.key}: the preprint's date`);
          venueYears.push(year - fact.year);
        }
        // As the issue counted them: 41 conference papers and a journal article, 29 of them dated a year or two after their preprint.
        assert.equal(venueYears.length, 42);
        assert.equal(venueYears.filter((difference) => difference > 0).length, 29);
        assert.ok(venueYears.every((difference) => difference >= 0), 'no venue before its preprint');
      });

      it('names the venue the facts name, without their annotations, and the ACM article by its journal', () => {
        for (const fact of facts) {
          const { paper, record } = paperOf(fact);
          if (isPreprint(fact)) {
            assert.equal(paper.venue, 'arXiv', paper.key);
            assert.equal(record.type, 'article', paper.key);
            continue;
          }
          const journal = fact.arxivId === ACM_ARTICLE.arxivId;
          const venue = journal ? ACM_ARTICLE.venue : fact.venue.replace(/\s*\(.*\)$/, '');
          assert.equal(paper.venue, venue, fact.arxivId);
          assert.equal(record['container-title'], venue, fact.arxivId);
          assert.equal(record.type, journal ? 'article-journal' : 'paper-conference', paper.key);
          if (journal) assert.equal(paper.doi, ACM_ARTICLE.doi);
        }
        for (const paper of papers) assert.doesNotMatch(paper.venue ?? '', /\bjournal article\b|\bDOI\b|\(|\bper\b/i, `${paper.key}: a venue, not a description of one`);
      });

      it('has the authors the facts name, and an author count that agrees with them', () => {
        for (const fact of facts) {
          const { paper } = paperOf(fact);
          assert.deepEqual(paper.authors.map((author) => `${author.given} ${author.family}`.trim()), fact.names, paper.key);
          if (!fact.andOthers) {
            assert.equal(paper.authorCount, paper.authors.length, `${paper.key}: author count`);
            assert.equal(paper.andOthers, undefined, paper.key);
            continue;
          }
          // "and others": more authors than named, as many as the listing counts when it counts more.
          const listed = listing.entries.find((entry) => entry.title === paper.title)?.authorCount ?? 0;
          assert.equal(paper.andOthers, true, paper.key);
          assert.equal(paper.authorCount, Math.max(listed, paper.authors.length), `${paper.key}: author count`);
        }
      });
    });

    it('is what the build script generates (npm run build:data)', function () {
      if (!existsSync(FACTS_FILE)) this.skip();
      const { papers: rebuilt } = buildPapers(seedInputs());
      assert.equal(serializePapers(rebuilt), readFileSync(path.join(DATA, 'papers.json'), 'utf8'));
    });

    describe('the build script', () => {
      const failures = (inputs: BuildInputs): string[] => {
        try {
          buildPapers(inputs);
        } catch (error) {
          if (error instanceof BuildError) return error.problems;
          throw error;
        }
        assert.fail('the build did not fail');
      };
      before(function () {
        if (!existsSync(FACTS_FILE)) this.skip();
      });

      it('fails when a paper has no facts row', () => {
        const inputs = seedInputs();
        inputs.factsText = inputs.factsText.split('\n').filter((line) => !line.startsWith('DCPO:')).join('\n');
        assert.deepEqual(failures(inputs), [
          'listing line 265: no facts row for "DCPO: Dynamic Clipping Policy Optimization"',
          'paper-topics.json: 2509.02333 is not in the facts table',
        ]);
      });

      it('fails when a paper has no topic', () => {
        const inputs = seedInputs();
        const paperTopics = { ...(inputs.paperTopicsJson as Record<string, unknown>) };
        delete paperTopics['2509.02333'];
        inputs.paperTopicsJson = paperTopics;
        assert.deepEqual(failures(inputs), ['paper-topics.json: no topics for 2509.02333 "DCPO: Dynamic Clipping Policy Optimization"']);
      });

      it('keeps "and others" at the end of a facts author list, with the count the listing gives', () => {
        const inputs = seedInputs();
        // T-REG's listing says 4 authors; the facts name two and others.
        inputs.factsText = inputs.factsText.replace('Wenxuan Zhou; Shujian Zhang; Lingxiao Zhao; Tao Meng', 'Wenxuan Zhou; Shujian Zhang; and others');
        const treg = buildPapers(inputs).papers[0];
        assert.deepEqual([treg.key, treg.authors.map((author) => author.family), treg.andOthers, treg.authorCount], ['zhou2024treg', ['Zhou', 'Zhang'], true, 4]);
        assert.deepEqual(treg.record?.custom, { 'and-others': ['author'] });
      });

      it('fails on a venue without a year, a venue older than its preprint, and a year its arXiv id contradicts', () => {
        const inputs = seedInputs();
        inputs.factsText = inputs.factsText
          .replace('\t2024\tACL 2025\t', '\t2024\tSome Journal of Things\t')
          .replace('\t2024\tICML 2024\t', '\t2024\tICML 2023\t')
          .replace('\t2024\tarXiv\t', '\t2023\tarXiv\t');
        assert.deepEqual(failures(inputs), [
          'facts line 2: the venue "Some Journal of Things" names no year',
          'facts line 3: the venue "ICML 2023" is older than the arXiv preprint (2024)',
          'facts line 4: arXiv id 2412.15544 is from 2024, the facts give the year 2023',
        ]);
      });

      it('fails when the facts no longer say what a venue correction corrects', () => {
        const inputs = seedInputs();
        inputs.factsText = inputs.factsText.replace('ACM journal article, DOI 10.1145/3834858 (2026 per OpenAlex record)', 'ACM TIST 2026');
        assert.deepEqual(failures(inputs), [
          'facts line 11: the venue correction for 2507.04136 expects "ACM journal article, DOI 10.1145/3834858 (2026 per OpenAlex record)", the facts say "ACM TIST 2026"',
        ]);
      });

      it('fails on a citation key clash', () => {
        const inputs = seedInputs();
        // Give ArCHer T-REG's first title word: both become zhou2024treg.
        inputs.listingText = inputs.listingText.replace('ArCHer: Training', 'T-REG Training');
        inputs.factsText = inputs.factsText.replace('ArCHer: Training', 'T-REG Training');
        const paperTopics = inputs.paperTopicsJson as Record<string, { title: string; topics: string[] }>;
        inputs.paperTopicsJson = { ...paperTopics, '2402.19446': { ...paperTopics['2402.19446'], title: paperTopics['2402.19446'].title.replace('ArCHer: Training', 'T-REG Training') } };
        assert.deepEqual(failures(inputs), ['citation key clash "zhou2024treg": 2412.02685, 2402.19446']);
      });
    });
  });

  describe('in the built-in styles', function () {
    this.timeout(60_000);
    let assets: string;
    let citeproc: CiteprocModule;
    const readAsset = (file: string) => JSON.parse(readFileSync(path.join(assets, file), 'utf8')) as object;
    before(async () => {
      const script = pathToFileURL(path.resolve(__dirname, '../../scripts/csl-assets.mjs')).href;
      assets = mkdtempSync(path.join(tmpdir(), 'litnotes-data-'));
      await ((await import(script)) as { writeCslAssets: (out: string) => Promise<void> }).writeCslAssets(assets);
      citeproc = createRequire(__filename)('citeproc') as CiteprocModule;
    });
    after(() => assets && rmSync(assets, { recursive: true, force: true }));

    // The CSL-JSON export as pandoc, Zotero and citeproc-js read it: a paper dated after its
    // preprint is cited and listed by the venue's year alone ("(Zhou et al., 2025)", not "2024/2025").
    for (const styleId of BUILT_IN_STYLES) {
      it(`cites and lists a published paper by its venue's year alone in ${styleId}`, () => {
        const items = new Map((JSON.parse(exportCslJson(papers)) as { id: string }[]).map((item) => [item.id, item]));
        const engine = new citeproc.Engine(
          { retrieveLocale: (lang) => readAsset(`locales/${lang}.json`), retrieveItem: (id) => items.get(id) as never },
          readAsset(`styles/${styleId}.json`),
          'en-US',
          true,
        );
        engine.setOutputFormat('text');
        let checked = 0;
        for (const paper of papers) {
          const preprintYear = (paper.record?.['available-date'] as { 'date-parts': number[][] } | undefined)?.['date-parts'][0][0];
          if (preprintYear === undefined || preprintYear === paper.year) continue;
          engine.updateItems([paper.key]);
          const bibliography = engine.makeBibliography();
          const reference = bibliography ? bibliography[1][0] : '';
          const citation = engine.makeCitationCluster([{ id: paper.key }]);
          for (const text of [reference, citation]) assert.doesNotMatch(text, new RegExp(`\\b${preprintYear}\\b`), `${paper.key} in ${styleId}`);
          assert.match(reference, new RegExp(`\\b${paper.year}\\b`), `${paper.key} in ${styleId}`);
          checked++;
        }
        assert.equal(checked, 29);
      });
    }
  });
});

interface FactRow {
  arxivId: string;
  /** The names before a closing "and others". */
  names: string[];
  andOthers: boolean;
  year: number;
  venue: string;
}

/** The facts table (tab-separated, with a header row), read on its own rather than by the build script. */
function readFactRows(text: string): FactRow[] {
  const [header, ...rows] = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim());
  const columns = header.split('\t');
  return rows.map((line) => {
    const cells = line.split('\t');
    const cell = (name: string) => (cells[columns.indexOf(name)] ?? '').trim();
    const names = cell('authors').split(';').map((name) => name.trim()).filter(Boolean);
    const andOthers = /^(?:and )?others$|^et al\.?$/i.test(names[names.length - 1] ?? '');
    return { arxivId: cell('arxiv_id'), names: andOthers ? names.slice(0, -1) : names, andOthers, year: Number(cell('year')), venue: cell('venue') };
  });
}

function isPreprint(fact: FactRow): boolean {
  return /^arxiv$/i.test(fact.venue);
}

function seedInputs(): BuildInputs {
  return {
    listingText: readFileSync(LISTING_FILE, 'utf8'),
    factsText: readFileSync(FACTS_FILE, 'utf8'),
    topicsJson: readJson('topics.json'),
    paperTopicsJson: readJson('paper-topics.json'),
  };
}
