import * as assert from 'node:assert/strict';
import { authorLine, authorName, firstAuthorLabel, firstSentence, formatAuthors, isPreprintVenue, parseAuthorName, parseLibraryJson, venueLabel } from '../../src/core/library';
import type { Author, Paper } from '../../src/core/model';

const TOPICS = [
  { id: 'token-credit-assignment', label: 'Token-level credit assignment', description: 'Dense rewards.' },
  { id: 'agentic-rl', label: 'Multi-turn and agent RL', description: 'Agents.' },
];

function paperJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: 'zhou2024treg',
    title: 'T-REG: Preference Optimization with Token-Level Reward Regularization',
    abstract: 'Reinforcement learning from human feedback (RLHF) has been crucial.',
    authors: [{ given: 'Wenxuan', family: 'Zhou' }, { given: 'Shujian', family: 'Zhang' }],
    authorCount: 4,
    year: 2024,
    listingDate: { year: 2024, month: 12, day: 3 },
    venue: 'ACL 2025',
    arxivId: '2412.02685',
    links: { arxiv: 'https://arxiv.org/abs/2412.02685', code: 'https://github.com/wzhouad/T-REG' },
    topics: ['token-credit-assignment'],
    ...overrides,
  };
}

const authors = (...names: string[]): Author[] => names.map(parseAuthorName);

describe('parseLibraryJson', () => {
  it('accepts well-formed data unchanged', () => {
    const json = { papers: [paperJson(), paperJson({ key: 'zhou2024archer', title: 'ArCHer', listingDate: { month: 2, day: 29 }, organization: 'NVIDIA', upvotes: 3, topics: ['agentic-rl', 'token-credit-assignment'] })], topics: TOPICS };
    const { library, problems } = parseLibraryJson(json);
    assert.deepEqual(problems, []);
    assert.deepEqual(library, json);
  });

  it('rejects input that is not a library object', () => {
    for (const input of [undefined, null, 42, 'papers', [], { papers: 'x', topics: {} }]) {
      const { library, problems } = parseLibraryJson(input);
      assert.deepEqual(library, { papers: [], topics: [] });
      assert.ok(problems.length > 0);
    }
  });

  it('skips papers without a usable key or title and says which', () => {
    const json = {
      papers: [paperJson({ key: 'has space' }), paperJson({ title: '' }), 'not a paper', paperJson({ key: 'ok2024' })],
      topics: TOPICS,
    };
    const { library, problems } = parseLibraryJson(json);
    assert.deepEqual(library.papers.map((paper) => paper.key), ['ok2024']);
    assert.equal(problems.length, 3);
    assert.match(problems[0], /^papers\[0\] \("has space"\): .*"key"/);
    assert.match(problems[1], /^papers\[1\] \("zhou2024treg"\): "title"/);
    assert.match(problems[2], /^papers\[2\]: expected an object; skipped/);
  });

  it('skips a paper whose key repeats an earlier one', () => {
    const { library, problems } = parseLibraryJson({ papers: [paperJson(), paperJson({ title: 'Other' })], topics: TOPICS });
    assert.equal(library.papers.length, 1);
    assert.deepEqual(problems, ['papers[1] ("zhou2024treg"): an earlier entry has the same key; skipped']);
  });

  it('drops invalid optional fields, unsafe links and unknown topics but keeps the paper', () => {
    const json = {
      papers: [
        paperJson({
          year: '2024',
          listingDate: { month: 2, day: 30 },
          upvotes: -1,
          arxivId: 'javascript:alert(1)',
          authors: [{ given: 'Wenxuan', family: 'Zhou' }, { given: 'Nobody' }],
          links: { arxiv: 'javascript:alert(1)', pdf: 'file:///etc/passwd', code: 'https://github.com/wzhouad/T-REG' },
          topics: ['token-credit-assignment', 'misc', 'token-credit-assignment'],
        }),
      ],
      topics: TOPICS,
    };
    const { library, problems } = parseLibraryJson(json);
    const [paper] = library.papers;
    assert.equal(paper.year, undefined);
    assert.equal(paper.listingDate, undefined);
    assert.equal(paper.upvotes, undefined);
    assert.equal(paper.arxivId, undefined);
    assert.deepEqual(paper.authors, [{ given: 'Wenxuan', family: 'Zhou' }]);
    assert.deepEqual(paper.links, { code: 'https://github.com/wzhouad/T-REG' });
    assert.deepEqual(paper.topics, ['token-credit-assignment']);
    for (const field of ['year', 'listingDate', 'upvotes', 'arxivId', 'authors[1]', 'links.arxiv', 'links.pdf', 'topics[1]']) {
      assert.ok(problems.some((problem) => problem.includes(`"${field}"`)), `no problem reported for ${field}`);
    }
  });

  it('fills defaults for missing optional parts', () => {
    const { library, problems } = parseLibraryJson({ papers: [{ key: 'anon2024', title: 'Untitled draft' }], topics: [] });
    assert.deepEqual(problems, []);
    assert.deepEqual(library.papers[0], { key: 'anon2024', title: 'Untitled draft', abstract: '', authors: [], authorCount: 0, links: {}, topics: [] });
  });

  it('validates topics', () => {
    const { library, problems } = parseLibraryJson({
      papers: [],
      topics: [...TOPICS, { id: 'Not Kebab', label: 'x' }, { id: 'agentic-rl', label: 'Again' }, { id: 'no-label', label: ' ' }, { id: 'bare', label: 'Bare' }],
    });
    assert.deepEqual(library.topics.map((topic) => topic.id), ['token-credit-assignment', 'agentic-rl', 'bare']);
    assert.equal(library.topics[2].description, '');
    assert.equal(problems.length, 3);
  });

  it('keeps hostile text as data', () => {
    const title = '<img src=x onerror=alert(1)>';
    const { library, problems } = parseLibraryJson({ papers: [paperJson({ title })], topics: TOPICS });
    assert.deepEqual(problems, []);
    assert.equal(library.papers[0].title, title);
  });
});

describe('parseAuthorName', () => {
  it('splits given and family names', () => {
    assert.deepEqual(parseAuthorName('Danica J. Sutherland'), { given: 'Danica J.', family: 'Sutherland' });
    assert.deepEqual(parseAuthorName('  Jost  Tobias Springenberg '), { given: 'Jost Tobias', family: 'Springenberg' });
    assert.deepEqual(parseAuthorName('Sercan Ö. Arik'), { given: 'Sercan Ö.', family: 'Arik' });
    assert.deepEqual(parseAuthorName('Yi-Fan Zhang'), { given: 'Yi-Fan', family: 'Zhang' });
  });

  it('keeps particles with the family name', () => {
    assert.deepEqual(parseAuthorName('Mihaela van der Schaar'), { given: 'Mihaela', family: 'van der Schaar' });
    assert.deepEqual(parseAuthorName('Ronan Le Bras'), { given: 'Ronan', family: 'Le Bras' });
    assert.deepEqual(parseAuthorName('Ludwig van Beethoven'), { given: 'Ludwig', family: 'van Beethoven' });
  });

  it('handles single names, "Family, Given" and suffixes', () => {
    assert.deepEqual(parseAuthorName('NVIDIA'), { given: '', family: 'NVIDIA' });
    assert.deepEqual(parseAuthorName('Sutherland, Danica J.'), { given: 'Danica J.', family: 'Sutherland' });
    assert.deepEqual(parseAuthorName('Martin Luther King Jr.'), { given: 'Martin Luther', family: 'King Jr.' });
    assert.deepEqual(parseAuthorName('Martin Luther King, Jr.'), { given: 'Martin Luther', family: 'King Jr.' });
  });
});

describe('author labels', () => {
  it('names one, two or the first of many authors', () => {
    assert.equal(firstAuthorLabel({ authors: authors('Wenxuan Zhou'), authorCount: 1 }), 'Zhou');
    assert.equal(firstAuthorLabel({ authors: authors('Wenxuan Zhou', 'Shujian Zhang'), authorCount: 2 }), 'Zhou and Zhang');
    assert.equal(firstAuthorLabel({ authors: authors('Wenxuan Zhou', 'Shujian Zhang', 'Lingxiao Zhao'), authorCount: 3 }), 'Zhou et al.');
  });

  it('counts authors the source only numbers', () => {
    assert.equal(firstAuthorLabel({ authors: authors('Wenxuan Zhou'), authorCount: 2 }), 'Zhou et al.');
    assert.equal(firstAuthorLabel({ authors: authors('Wenxuan Zhou', 'Shujian Zhang'), authorCount: 4 }), 'Zhou et al.');
    // The facts may know more authors than the listing counted.
    assert.equal(firstAuthorLabel({ authors: authors('Ruipeng Jia', 'Yunyi Yang'), authorCount: 1 }), 'Jia and Yang');
  });

  it('falls back to the organisation, then to "Anonymous"', () => {
    assert.equal(firstAuthorLabel({ authors: [], authorCount: 0, organization: 'NVIDIA' }), 'NVIDIA');
    assert.equal(firstAuthorLabel({ authors: [], authorCount: 3 }), 'Anonymous');
  });

  it('formats the full author list', () => {
    const paper: Pick<Paper, 'authors' | 'authorCount'> = { authors: authors('Wenxuan Zhou', 'Shujian Zhang', 'NVIDIA'), authorCount: 3 };
    assert.equal(formatAuthors(paper), 'Wenxuan Zhou, Shujian Zhang and NVIDIA');
    assert.equal(formatAuthors({ ...paper, authorCount: 5 }), 'Wenxuan Zhou, Shujian Zhang, NVIDIA and 2 more');
    assert.equal(formatAuthors({ authors: authors('Wenxuan Zhou'), authorCount: 1 }), 'Wenxuan Zhou');
    assert.equal(formatAuthors({ authors: [], authorCount: 4 }), '4 authors');
    assert.equal(formatAuthors({ authors: [], authorCount: 1 }), '1 author');
    assert.equal(formatAuthors({ authors: [], authorCount: 0 }), '');
  });

  it('names an author one way everywhere, and joins names by one rule (the detail panel gets the names)', () => {
    assert.equal(authorName({ given: 'Danica J.', family: 'Sutherland' }), 'Danica J. Sutherland');
    assert.equal(authorName({ given: '', family: 'NVIDIA' }), 'NVIDIA');
    assert.equal(authorLine(['A', 'B', 'C', 'D'], 0), 'A, B, C and D');
    assert.equal(authorLine(['A', 'B'], 0), 'A and B');
    assert.equal(authorLine(['A'], 3), 'A and 3 more');
    assert.equal(authorLine([], 2), '2 authors');
    assert.equal(authorLine([], 0), '');
  });
});

describe('isPreprintVenue', () => {
  it('knows arXiv and CoRR, and nothing else', () => {
    for (const venue of ['arXiv', 'arXiv preprint', ' arxiv 2024', 'CoRR', 'CoRR abs/2301.00001']) assert.ok(isPreprintVenue(venue), venue);
    for (const venue of ['ICML 2024', 'Proceedings of arXiv-like Things', 'Corrosion Science', '', undefined]) assert.ok(!isPreprintVenue(venue), String(venue));
  });
});

describe('firstSentence', () => {
  it('returns the first sentence', () => {
    assert.equal(
      firstSentence('Reinforcement learning from human feedback (RLHF) has been crucial. Traditionally, RLHF uses a reward model.'),
      'Reinforcement learning from human feedback (RLHF) has been crucial.',
    );
    assert.equal(firstSentence('Does RL help? We find it does.'), 'Does RL help?');
  });

  it('does not stop at abbreviations, decimals or lower-case continuations', () => {
    assert.equal(
      firstSentence('Agents (e.g. web agents) gain 3.8% over Zhou et al. in 2024, i.e. a lot. Next sentence.'),
      'Agents (e.g. web agents) gain 3.8% over Zhou et al. in 2024, i.e. a lot.',
    );
    assert.equal(firstSentence('We compare PPO vs. DPO on the task. Then more.'), 'We compare PPO vs. DPO on the task.');
  });

  it('returns the whole text when there is one sentence or none', () => {
    assert.equal(firstSentence('  A single sentence without a stop  '), 'A single sentence without a stop');
    assert.equal(firstSentence('One sentence.'), 'One sentence.');
    assert.equal(firstSentence(''), '');
  });
});

describe('venueLabel', () => {
  it('never says the year twice', () => {
    assert.equal(venueLabel({ venue: 'ICML 2024', year: 2024 }), 'ICML 2024');
    assert.equal(venueLabel({ venue: 'ACL 2025', year: 2024 }), 'ACL 2025');
  });

  it('adds the year to a venue without one, and stands in for a missing venue', () => {
    assert.equal(venueLabel({ venue: 'arXiv', year: 2025 }), 'arXiv, 2025');
    assert.equal(venueLabel({ year: 2023 }), '2023');
    assert.equal(venueLabel({ venue: '  ' }), '');
  });
});
