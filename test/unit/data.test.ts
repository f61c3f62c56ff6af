import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseLibraryJson } from '../../src/core/library';
import { parseListing } from '../../src/core/listing';
import type { Paper, Topic } from '../../src/core/model';
import { arxivAbsUrl, arxivPdfUrl, huggingFacePaperUrl } from '../../src/core/urls';
import { BuildError, buildPapers, DEFAULT_FACTS, serializePapers, type BuildInputs } from '../../scripts/build-data';

const DATA = path.resolve(__dirname, '../../data');
const LISTING_FILE = path.resolve(__dirname, '../../../shared/seeds/000_0680a37b8f59c41c.txt');
const FACTS_FILE = DEFAULT_FACTS;
const PAPER_COUNT = 65;
/** A topic bigger than this that reads like "other" would be a catch-all, not a topic. */
const CATCH_ALL_LIMIT = 5;
const CATCH_ALL_NAMES = /\b(?:other|others|misc|miscellaneous|general|uncategori[sz]ed|various)\b/i;

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

    it('ships the abstracts, dates, author counts, organisations and upvotes the listing shows', () => {
      listing.entries.forEach((entry, index) => {
        const paper = papers[index];
        assert.equal(paper.abstract, entry.abstract, `${paper.key}: abstract`);
        assert.deepEqual(paper.listingDate, entry.date, `${paper.key}: listing date`);
        assert.equal(paper.organization, entry.organization, `${paper.key}: organisation`);
        assert.equal(paper.upvotes, entry.upvotes, `${paper.key}: upvotes`);
        if (entry.authorCount !== undefined) assert.equal(paper.authorCount, entry.authorCount, `${paper.key}: author count`);
        else assert.equal(paper.authorCount, paper.authors.length, `${paper.key}: author count from the facts`);
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
});

function seedInputs(): BuildInputs {
  return {
    listingText: readFileSync(LISTING_FILE, 'utf8'),
    factsText: readFileSync(FACTS_FILE, 'utf8'),
    topicsJson: readJson('topics.json'),
    paperTopicsJson: readJson('paper-topics.json'),
  };
}
