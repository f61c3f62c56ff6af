import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Paper, Topic } from '../../src/core/model';
import { SearchIndex, type SearchResult } from '../../src/core/search';
import { fold } from '../../src/core/search/text';

function paper(overrides: Partial<Paper> & Pick<Paper, 'key' | 'title'>): Paper {
  return { abstract: '', authors: [], authorCount: overrides.authors?.length ?? 0, links: {}, topics: [], ...overrides };
}

const topics: Topic[] = [
  { id: 'token-credit-assignment', label: 'Token-level credit assignment', description: 'Dense rewards.' },
  { id: 'exploration-entropy', label: 'Exploration and entropy', description: 'Entropy collapse.' },
];

const treg = paper({
  key: 'zhou2024treg',
  title: 'T-REG: Preference Optimization with Token-Level Reward Regularization',
  abstract:
    'Reinforcement learning from human feedback (RLHF) has been crucial in aligning large language models with human values. ' +
    'Recent methods rely on a trained credit assignment model. We propose token-level reward regularization.',
  authors: [{ given: 'Wenxuan', family: 'Zhou' }, { given: 'Tao', family: 'Meng' }],
  year: 2024,
  venue: 'ACL 2025',
  arxivId: '2412.02685',
  topics: ['token-credit-assignment'],
});
const archer = paper({
  key: 'zhou2024archer',
  title: 'ArCHer: Training Language Model Agents via Hierarchical Multi-Turn RL',
  abstract: 'Agents must make intelligent decisions over a multi-turn interaction to accomplish a task.',
  authors: [{ given: 'Sergey', family: 'Levine' }, { given: 'Aviral', family: 'Kumar' }],
  year: 2024,
  venue: 'ICML 2024',
  arxivId: '2402.19446',
  topics: ['unknown-topic'],
});
const vlm = paper({
  key: 'huang2024vlmrl',
  title: 'VLM-RL: Vision Language Models and Reinforcement Learning for Safe Autonomous Driving',
  abstract: 'Reinforcement learning based methods for learning driving policies have gained attention in the autonomous driving community.',
  authors: [{ given: 'Zilin', family: 'Huang' }],
  year: 2024,
  venue: 'arXiv',
  organization: 'NVIDIA',
  arxivId: '2412.15544',
  topics: ['exploration-entropy'],
});
const entropy = paper({
  key: 'mueller2025entropy',
  title: 'Beyond the 80/20 Rule: High-Entropy Minority Tokens',
  abstract:
    'Following Jürgen Müller, we study token entropy patterns in reasoning. Only a minority of tokens have high entropy, ' +
    'and these forking tokens steer the model toward diverse reasoning pathways.',
  authors: [{ given: 'Jürgen', family: 'Müller' }],
  year: 2025,
  arxivId: '2506.01939',
  topics: ['exploration-entropy'],
});
const alignment = paper({
  key: 'lambert2023alignment',
  title: 'The Alignment Ceiling',
  abstract: 'Objective mismatch between reward model training and downstream performance.',
  authors: [{ given: 'Nathan', family: 'Lambert' }],
  year: 2023,
  arxivId: '2311.00168',
});
const hostile = paper({
  key: 'x2025img',
  title: '<img src=x onerror=alert(1)> & "quotes" \u202e reversed',
  abstract: '<script>alert("x")</script> (((( [a-z]+ $1 \\ ${injection} constructor __proto__',
  authors: [{ given: '', family: '__proto__' }],
});
const library = [treg, archer, vlm, entropy, alignment, hostile];
const index = SearchIndex.build(library, topics);

const keys = (results: SearchResult[]) => results.map((result) => result.paper.key);
const first = (query: string) => index.search(query)[0]?.paper.key;

describe('SearchIndex on small fixtures', () => {
  it('returns nothing for a blank or wordless query', () => {
    for (const query of ['', '   ', '\n\t', '-- ..., !!', '😀']) assert.deepEqual(index.search(query), [], JSON.stringify(query));
    assert.equal(index.size, library.length);
    assert.deepEqual(SearchIndex.build([]).search('anything'), []);
  });

  it('finds an exact title word and says the title matched', () => {
    const [result] = index.search('archer');
    assert.equal(result.paper.key, 'zhou2024archer');
    assert.ok(result.matchedFields.includes('title'));
  });

  it('treats the last word as a prefix on every keystroke', () => {
    assert.equal(first('regulariz'), 'zhou2024treg');
    assert.equal(first('hierar'), 'zhou2024archer');
    assert.equal(first('a'), first('a'), 'a one-letter query works');
    assert.ok(index.search('t').length > 0);
    // "token lev": "token" is a whole word, "lev" the word being typed ("level").
    assert.equal(first('token lev'), 'zhou2024treg');
  });

  it('tolerates typos, ranking exact and prefix matches above them', () => {
    assert.equal(first('credt asignment'), 'zhou2024treg');
    assert.equal(first('entropie'), 'mueller2025entropy');
    assert.equal(first('levin'), 'zhou2024archer');
    assert.equal(first('hierarchicla'), 'zhou2024archer');
    // "alignment" is within two edits of "assignment": the exact match comes first, even from an abstract.
    const results = keys(index.search('alignment'));
    assert.equal(results[0], 'lambert2023alignment');
    assert.ok(results.indexOf('zhou2024treg') > 0);
  });

  it('matches arXiv ids exactly, and by prefix while typing', () => {
    assert.deepEqual(keys(index.search('2412.02685')), ['zhou2024treg']);
    assert.deepEqual(keys(index.search('2412.026')), ['zhou2024treg']);
    assert.deepEqual(keys(index.search('2412.')).sort(), ['huang2024vlmrl', 'zhou2024treg']);
    assert.deepEqual(index.search('2412.02686'), []);
    assert.deepEqual(index.search('2412.02685')[0].matchedFields, ['arxivId']);
  });

  it('finds authors by given and family name, ignoring case and accents', () => {
    assert.equal(first('Levine'), 'zhou2024archer');
    assert.equal(first('sergey'), 'zhou2024archer');
    assert.equal(first('muller'), 'mueller2025entropy');
    assert.equal(first('MÜLLER'), 'mueller2025entropy');
    assert.equal(first('jurgen muller'), 'mueller2025entropy');
    assert.deepEqual(index.search('Levine')[0].matchedFields, ['authors']);
  });

  it('searches topic ids and labels, venue, organisation and citation key', () => {
    assert.deepEqual(index.search('credit')[0].matchedFields.slice(0, 2), ['topics', 'abstract']);
    assert.equal(first('token-credit-assignment'), 'zhou2024treg');
    assert.ok(keys(index.search('exploration')).includes('huang2024vlmrl'));
    assert.deepEqual(keys(index.search('ICML')), ['zhou2024archer']);
    assert.deepEqual(keys(index.search('nvidia')), ['huang2024vlmrl']);
    assert.deepEqual(keys(index.search('zhou2024archer')), ['zhou2024archer']);
    assert.deepEqual(index.search('nvidia')[0].matchedFields, ['organization']);
  });

  it('ranks papers matching every query word above those matching some', () => {
    const results = keys(index.search('autonomous driving reinforcement'));
    assert.equal(results[0], 'huang2024vlmrl');
    assert.ok(results.includes('zhou2024treg'), 'a partial match is still listed');
  });

  it('orders by a score in (0, 1] and respects the limit', () => {
    const results = index.search('reinforcement learning', { limit: 2 });
    assert.equal(results.length, 2);
    assert.ok(results[0].score <= 1 && results[1].score > 0 && results[0].score >= results[1].score);
    assert.deepEqual(index.search('reinforcement', { limit: 0 }), []);
  });

  it('gives an excerpt of the abstract with the matched words highlighted', () => {
    const [result] = index.search('forking tokens');
    assert.equal(result.paper.key, 'mueller2025entropy');
    const excerpt = result.excerpt;
    assert.ok(excerpt);
    assert.ok(excerpt.text.length <= 160, excerpt.text);
    assert.ok(excerpt.text.includes('forking tokens'));
    const highlighted = excerpt.highlights.map(([start, end]) => fold(excerpt.text.slice(start, end)));
    assert.ok(highlighted.includes('forking') && highlighted.includes('tokens'), highlighted.join());
    assert.ok(highlighted.every((word) => word === 'forking' || word.startsWith('tokens')), highlighted.join());
    for (const [start, end] of excerpt.highlights) assert.ok(start >= 0 && start < end && end <= excerpt.text.length);
  });

  it('highlights accented and typo-matched words at the right offsets', () => {
    const accented = index.search('muller entropy').find((result) => result.paper.key === 'mueller2025entropy');
    assert.ok(accented?.excerpt);
    const words = accented.excerpt.highlights.map(([start, end]) => accented.excerpt?.text.slice(start, end));
    assert.ok(words.includes('Müller') && words.includes('entropy'), words.join());

    const typo = index.search('regularisation')[0];
    assert.equal(typo.paper.key, 'zhou2024treg');
    const excerpt = typo.excerpt;
    assert.ok(excerpt);
    assert.deepEqual(excerpt.highlights.map(([start, end]) => excerpt.text.slice(start, end)), ['regularization']);
  });

  it('gives no excerpt when only other fields matched', () => {
    const [result] = index.search('Levine');
    assert.equal(result.excerpt, undefined);
  });

  it('is unbothered by hostile or odd text in papers and queries', () => {
    assert.equal(first('<img src=x onerror=alert(1)>'), 'x2025img');
    assert.equal(first('onerror'), 'x2025img');
    assert.equal(first('__proto__'), 'x2025img');
    for (const query of ['((((', '[a-z]+', '$1', '\\', '${injection}', 'constructor', '\u202e', 'a'.repeat(5000), 'x '.repeat(500), '\ud800']) {
      assert.doesNotThrow(() => index.search(query), query.slice(0, 20));
    }
    const [script] = index.search('script alert');
    assert.equal(script.paper.key, 'x2025img');
    assert.ok(script.excerpt?.text.startsWith('<script>'));
  });

  it('indexes extra text supplied by the caller (tags)', () => {
    const tagged = SearchIndex.build(library, topics, { extraText: (p) => (p.key === 'zhou2024archer' ? 'favourite' : '') });
    const [result] = tagged.search('favourite');
    assert.equal(result.paper.key, 'zhou2024archer');
    assert.deepEqual(result.matchedFields, ['extra']);
  });

  it('builds asynchronously to the same index, and can be cancelled', async () => {
    const built = await SearchIndex.buildAsync(library, topics, { yieldEvery: 2 });
    for (const query of ['credt asignment', 'levin', '2412.026', 'token lev']) {
      assert.deepEqual(keys(built.search(query)), keys(index.search(query)), query);
    }
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(SearchIndex.buildAsync(library, topics, { signal: controller.signal }));
  });
});

describe('SearchIndex quality on the bundled library', () => {
  const dataDir = path.join(__dirname, '..', '..', 'data');
  const { papers } = JSON.parse(fs.readFileSync(path.join(dataDir, 'papers.json'), 'utf8')) as { papers: Paper[] };
  const bundledTopics = (JSON.parse(fs.readFileSync(path.join(dataDir, 'topics.json'), 'utf8')) as { topics: Topic[] }).topics;
  const bundled = SearchIndex.build(papers, bundledTopics);

  // Query → the arXiv id of the paper a person typing it means; it must be among the first three.
  const cases: [query: string, arxivId: string][] = [
    ['credt asignment', '2505.23564'],
    ['credt asignment', '2508.02298'],
    ['Levine', '2402.19446'],
    ['levin', '2402.19446'],
    ['2412.02685', '2412.02685'],
    ['2412.026', '2412.02685'],
    ['T-REG', '2412.02685'],
    ['treg', '2412.02685'],
    ['archer', '2402.19446'],
    ['entropie', '2506.01939'],
    ['macro actions', '2410.02743'],
    ['text-to-sql', '2503.23157'],
    ['sql', '2503.23157'],
    ['rubric', '2508.12790'],
    ['red teaming', '2402.19464'],
    ['red-teaming', '2402.19464'],
    ['autonomous driving', '2412.15544'],
    ['high-entropy minority tokens', '2506.01939'],
    ['Q-function', '2404.12358'],
    ['chip RTL', '2507.04736'],
    ['lookah', '2510.24302'],
    ['Thrampoulidis', '2510.03669'],
    ['rafailov', '2404.12358'],
    ['van der schaar', '2507.13158'],
    ['ICML 2024', '2402.19446'],
    ['nvidia', '2510.01180'],
    ['curiosity red team', '2402.19464'],
    ['segment level credit', '2505.23564'],
  ];

  for (const [query, arxivId] of cases) {
    it(`"${query}" → ${arxivId}`, () => {
      const top = bundled.search(query, { limit: 3 }).map((result) => result.paper.arxivId);
      assert.ok(top.includes(arxivId), `got ${top.join(', ')}`);
    });
  }
});
