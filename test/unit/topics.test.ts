import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { groupPaperCount, groupPapers, type PaperGroup } from '../../src/core/grouping';
import type { Library, Paper } from '../../src/core/model';
import { assembleLibrary, planLibrary, runDiscovery } from '../../src/core/sources';
import { decodeDiscoveryState, encodeDiscoveryState } from '../../src/core/topics/discoveryState';
import { discoveryRun, INCREMENTAL_SHARE, updateDiscovery } from '../../src/core/topics/incremental';
import { TOPICS_WORKER } from '../../src/core/workerRpc';
import { WorkerClient } from '../../src/services/workerClient';
import { CorpusPartReader, TWO_THREADS_FROM } from '../../src/workers/corpusPartReader';
import { buildCorpus } from '../../src/core/topics/terms';
import type { DiscoveryInput } from '../../src/core/topics/discovery';
import { generateLibrary } from '../../bench/generate';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { importCslJson } from '../../src/core/sources/cslJsonImport';
import { keywordTopics, MIN_KEYWORD_PAPERS, sourceTopicId } from '../../src/core/topics/sourceTopics';
import {
  deleteTopic,
  EMPTY_DECISIONS,
  mergeTopic,
  newUserTopicId,
  parseTopicsFile,
  resolveTopicId,
  serializeTopicsFile,
  withPaperTopics,
  withTopic,
  type TopicDecisions,
} from '../../src/core/topics/topicsFile';

const root = path.join(__dirname, '../..');
const fixture = (name: string) => fs.readFileSync(path.join(root, 'test/fixtures/topics', name), 'utf8');
const bundled: Library = {
  papers: (JSON.parse(fs.readFileSync(path.join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers,
  topics: (JSON.parse(fs.readFileSync(path.join(root, 'data/topics.json'), 'utf8')) as Library).topics,
};

function decisionsOf(text: string): TopicDecisions {
  const parsed = parseTopicsFile(text);
  assert.ok('decisions' in parsed, 'error' in parsed ? parsed.error.message : '');
  return parsed.decisions;
}

describe('Topics from the source', () => {
  describe('a JabRef 5 export with a group tree', () => {
    const parsed = importBibtex(fixture('jabref5-groups.bib'));
    const topicsOf = (key: string) => parsed.papers.find((entry) => entry.paper.key === key)?.topics;

    it('turns the group tree into topics with their parents, in the tree order', () => {
      assert.deepEqual(parsed.topics, [
        { id: 'source:Proof assistants', label: 'Proof assistants' },
        { id: 'source:Proof assistants/Coq', label: 'Coq', parent: 'source:Proof assistants' },
        { id: 'source:Proof assistants/Lean', label: 'Lean', parent: 'source:Proof assistants' },
        { id: 'source:Proof repair', label: 'Proof repair' },
        { id: 'source:Verified systems', label: 'Verified systems' },
        { id: 'source:Machine learning', label: 'Machine learning' },
      ]);
    });

    it("puts each entry in the static groups its groups field names and the keyword groups its keywords match", () => {
      assert.deepEqual(topicsOf('Ringer2019'), ['source:Proof assistants/Coq', 'source:Proof repair']);
      assert.deepEqual(topicsOf('First2023'), ['source:Proof repair', 'source:Machine learning']);
      assert.deepEqual(topicsOf('Yang2019'), ['source:Machine learning'], 'by the keyword group only');
      assert.deepEqual(topicsOf('Leroy2009'), ['source:Proof assistants/Coq', 'source:Verified systems']);
      assert.deepEqual(topicsOf('Yang2023'), ['source:Proof assistants/Lean', 'source:Machine learning']);
      // The groups are not keywords: no keyword topic repeats them.
      assert.deepEqual(parsed.papers.find((entry) => entry.paper.key === 'Ringer2019')?.keywords, ['proof reuse', 'ornaments']);
    });

    it('names the search group it cannot read in a warning at the comment, and keeps the rest', () => {
      const warning = parsed.problems.find((problem) => /SearchGroup/.test(problem.message));
      assert.ok(warning, parsed.problems.map((problem) => problem.message).join('\n'));
      assert.equal(warning.severity, 'warning');
      assert.equal(warning.line, fixture('jabref5-groups.bib').split('\n').findIndex((line) => line.includes('jabref-meta: grouping')) + 1);
      assert.equal(parsed.papers.length, 8);
    });

    it('shows the tree with sub-topics in the Papers view, counting each paper once', () => {
      const { library } = assembleLibrary([parsed], bundled, false);
      const groups = groupPapers(library.papers, 'topic', library.topics);
      const assistants = groups.find((group) => group.id === 'topic:source:Proof assistants') as PaperGroup;
      assert.deepEqual(assistants.children?.map((child) => [child.label, child.papers.length]), [['Coq', 2], ['Lean', 2]]);
      assert.equal(assistants.papers.length, 0);
      assert.equal(groupPaperCount(assistants), 4);
      assert.equal(groups.find((group) => group.id === 'topic:source:Proof repair')?.papers.length, 3);
      assert.ok(!groups.some((group) => group.id === 'topic-unsorted'), 'every paper of the file is in a group');
      const ringer = library.papers.find((paper) => paper.key === 'Ringer2019');
      assert.deepEqual(ringer?.topicReasons, [{ topic: 'source:Proof assistants/Coq', origin: 'source' }, { topic: 'source:Proof repair', origin: 'source' }]);
    });
  });

  it("reads JabRef 2's explicit groups, which list their keys, and regular-expression keyword groups", () => {
    const text = `@article{a, title={One}}\n@article{b, title={Two}, keywords={Type Theory}}\n@article{c, title={Three about HoTT}}\n
@comment{jabref-meta: groupstree:
0 AllEntriesGroup:;
1 ExplicitGroup:Reading list\\;0\\;a\\;c\\;;
1 KeywordGroup:Types\\;0\\;keywords\\;^type\\\\\\\\s+theory$\\;0\\;1\\;;
1 KeywordGroup:HoTT\\;0\\;title\\;hott\\;0\\;0\\;;
}`;
    const parsed = importBibtex(text);
    const topicsOf = (key: string) => parsed.papers.find((entry) => entry.paper.key === key)?.topics;
    assert.deepEqual(topicsOf('a'), ['source:Reading list']);
    assert.deepEqual(topicsOf('b'), ['source:Types']);
    assert.deepEqual(topicsOf('c'), ['source:Reading list', 'source:HoTT'], 'a term in the title, case aside');
  });

  it("makes one sub-topic per value of an automatic keyword group, with JabRef's hierarchical keywords", () => {
    const text = `@article{a, title={One}, keywords={Logic > Modal, Coq}}\n@article{b, title={Two}, keywords={Logic}}\n
@Comment{jabref-meta: grouping:
0 AllEntriesGroup:;
1 AutomaticKeywordGroup:Keywords\\;2\\;keywords\\;,\\;>\\;1\\;0x8a8a8aff\\;\\;\\;;
}`;
    const parsed = importBibtex(text);
    assert.deepEqual(
      parsed.topics?.map((topic) => [topic.id, topic.parent]),
      [
        ['source:Keywords', undefined],
        ['source:Keywords/Logic', 'source:Keywords'],
        ['source:Keywords/Logic/Modal', 'source:Keywords/Logic'],
        ['source:Keywords/Coq', 'source:Keywords'],
      ],
    );
    assert.deepEqual(parsed.papers[0].topics, ['source:Keywords/Logic/Modal', 'source:Keywords/Coq']);
    assert.deepEqual(parsed.papers[1].topics, ['source:Keywords/Logic']);
  });

  it('makes each name of a groups field a topic when there is no JabRef tree, and keeps hostile names as text', () => {
    const parsed = importBibtex('@article{a, title={One}, groups={[Click me](command:x), __proto__}}\n@article{b, title={Two}, groups={__proto__}}');
    assert.deepEqual(parsed.topics, [
      { id: 'source:[Click me](command:x)', label: '[Click me](command:x)' },
      { id: 'source:__proto__', label: '__proto__' },
    ]);
    assert.deepEqual(parsed.papers[1].topics, ['source:__proto__']);
    assert.equal(sourceTopicId(['a/b', 'c']), 'source:a%2Fb/c', 'a slash in a name does not make a level');
  });

  describe('keywords (a Better BibLaTeX export)', () => {
    const parsed = importBibtex(fixture('better-biblatex-keywords.bib'));

    it(`makes topics only of keywords that at least ${MIN_KEYWORD_PAPERS} papers share, spelt as most papers spell them`, () => {
      const { topics, members } = keywordTopics(parsed.papers.map((entry) => ({ key: entry.paper.key, keywords: entry.keywords })));
      assert.deepEqual(
        topics.map((topic) => [topic.id, topic.label]),
        [
          ['keyword:coq', 'Coq'],
          ['keyword:machine learning', 'machine learning'],
          ['keyword:verified systems', 'verified systems'],
        ],
      );
      assert.deepEqual(members.get('sanchez-stern2020generating'), ['keyword:coq', 'keyword:machine learning']);
      assert.deepEqual(members.get('bansal2019holist'), ['keyword:machine learning'], '"Machine Learning" is the same keyword');
      assert.equal(members.get('leino2010dafny'), undefined, 'Dafny and program verification are on too few papers');
    });

    it('leaves out a keyword on more than half of the papers, and files "A > B" under B inside A', () => {
      const papers = Array.from({ length: 12 }, (_, index) => ({ key: `p${index}`, keywords: ['computer science', ...(index < 4 ? ['Logic > Modal logic'] : index < 6 ? ['Logic'] : [])] }));
      const { topics, members } = keywordTopics(papers);
      assert.deepEqual(
        topics.map((topic) => [topic.id, topic.parent]),
        [
          ['keyword:logic', undefined],
          ['keyword:logic/modal logic', 'keyword:logic'],
        ],
      );
      assert.deepEqual(members.get('p0'), ['keyword:logic/modal logic']);
      assert.deepEqual(members.get('p5'), ['keyword:logic']);
      assert.equal(members.get('p9'), undefined);
    });

    it('gives the papers without a shared keyword bundled or discovered topics, never a keyword row of one paper', () => {
      const { library } = assembleLibrary([parsed], bundled, false);
      const dafny = library.papers.find((paper) => paper.key === 'leino2010dafny') as Paper;
      assert.ok(!dafny.topics.some((id) => id.startsWith('keyword:')), dafny.topics.join(', '));
      const coq = library.topics.find((topic) => topic.id === 'keyword:coq');
      assert.equal(coq?.origin, 'source');
    });
  });

  it('reads CSL-JSON keyword and categories as keywords', () => {
    const parsed = importCslJson(
      JSON.stringify([
        { id: 'a', type: 'article', title: 'One', keyword: 'Coq, tactics' },
        { id: 'b', type: 'article', title: 'Two', categories: ['Coq', 'Lean'] },
        { id: 'c', type: 'article', title: 'Three', keyword: 'coq', categories: ['Lean'] },
      ]),
    );
    assert.deepEqual(
      parsed.papers.map((entry) => entry.keywords),
      [['Coq', 'tactics'], ['Coq', 'Lean'], ['coq', 'Lean']],
    );
    assert.deepEqual(keywordTopics(parsed.papers.map((entry) => ({ key: entry.paper.key, keywords: entry.keywords }))).topics.map((topic) => topic.label), ['Coq']);
  });
});

describe('The topics file (.litnotes/topics.json)', () => {
  it('round-trips with sorted ids and keys and one order of fields', () => {
    let decisions: TopicDecisions = EMPTY_DECISIONS;
    decisions = withTopic(decisions, 'user:proof-repair', () => ({ label: ' Proof   repair ', parent: 'source:Coq' }));
    decisions = withTopic(decisions, 'discovered:x', () => ({ members: ['b', 'a', 'a'], pinned: true, label: 'Tactics · Lean' }));
    decisions = withTopic(decisions, 'keyword:misc', () => ({ deleted: true, label: 'ignored' }));
    decisions = withPaperTopics(decisions, ['zz', 'aa'], () => ['keyword:coq'], (topics) => ['user:proof-repair', ...topics]);
    const text = serializeTopicsFile(decisions);
    assert.equal(
      text,
      `{
  "version": 1,
  "topics": {
    "discovered:x": {
      "label": "Tactics · Lean",
      "pinned": true,
      "members": [
        "a",
        "b"
      ]
    },
    "keyword:misc": {
      "deleted": true
    },
    "user:proof-repair": {
      "label": "Proof repair",
      "parent": "source:Coq"
    }
  },
  "papers": {
    "aa": [
      "user:proof-repair",
      "keyword:coq"
    ],
    "zz": [
      "user:proof-repair",
      "keyword:coq"
    ]
  }
}
`,
    );
    assert.equal(serializeTopicsFile(decisionsOf(text)), text, 'reading and writing changes nothing');
  });

  it('keeps hostile ids and keys as ordinary entries', () => {
    const decisions = withPaperTopics(withTopic(EMPTY_DECISIONS, '__proto__', () => ({ label: '<img src=x onerror=alert(1)>' })), ['__proto__', 'constructor'], () => [], () => ['__proto__']);
    const back = decisionsOf(serializeTopicsFile(decisions));
    assert.deepEqual(back.topics.get('__proto__'), { label: '<img src=x onerror=alert(1)>' });
    assert.deepEqual(back.papers.get('__proto__'), ['__proto__']);
    assert.deepEqual(back.papers.get('constructor'), ['__proto__']);
  });

  it('calls a file it cannot read broken, with the place of the problem', () => {
    const broken = parseTopicsFile('{\n  "version": 1,\n  "topics": {\n}');
    assert.ok('error' in broken);
    assert.equal(broken.error.line, 4);
    const cases: [string, RegExp][] = [
      ['[]', /expected an object/],
      ['{"version": 2}', /"version" must be 1/],
      ['{"version": 1, "extra": {}}', /unknown field "extra"/],
      ['{"version": 1, "topics": {"user:x": {}}}', /needs a "label"/],
      ['{"version": 1, "topics": {"a": {"colour": "red"}}}', /unknown field "colour"/],
      ['{"version": 1, "topics": {"a": {"deleted": false}}}', /deleted must be true/],
      ['{"version": 1, "topics": {"a": {"pinned": true, "members": []}}}', /pinned topic needs a "label"/],
      ['{"version": 1, "papers": {"k": "coq"}}', /list of topic ids/],
    ];
    for (const [text, message] of cases) {
      const parsed = parseTopicsFile(text);
      assert.ok('error' in parsed && message.test(parsed.error.message), `${text}: ${JSON.stringify(parsed)}`);
    }
    assert.ok('decisions' in parseTopicsFile('  \n'), 'an empty file means no decisions');
  });

  it('merges a topic into another: the papers, sub-topics and pinned papers go there, and later loads follow', () => {
    let decisions = decisionsOf(
      JSON.stringify({
        version: 1,
        topics: { 'user:a': { label: 'A' }, 'user:child': { label: 'Child', parent: 'keyword:coq' }, 'discovered:p': { label: 'P', pinned: true, members: ['m'] } },
        papers: { k1: ['keyword:coq', 'user:a'], k2: ['user:b'] },
      }),
    );
    decisions = mergeTopic(decisions, 'keyword:coq', 'user:a');
    assert.deepEqual(decisions.papers.get('k1'), ['user:a']);
    assert.deepEqual(decisions.topics.get('keyword:coq'), { mergedInto: 'user:a' });
    assert.equal(decisions.topics.get('user:child')?.parent, 'user:a');
    assert.equal(resolveTopicId(decisions, 'keyword:coq'), 'user:a');
    decisions = mergeTopic(decisions, 'user:a', 'discovered:p');
    assert.equal(decisions.topics.has('user:a'), false, 'a topic the user made is gone once merged');
    assert.equal(resolveTopicId(decisions, 'keyword:coq'), 'user:a', 'the chain ends at a topic that no longer exists: its papers fall back');
    decisions = deleteTopic(decisions, 'discovered:p');
    assert.deepEqual(decisions.topics.get('discovered:p'), { deleted: true });
    assert.equal(resolveTopicId(decisions, 'discovered:p'), undefined);
    const loop = withTopic(withTopic(EMPTY_DECISIONS, 'a', () => ({ mergedInto: 'b' })), 'b', () => ({ mergedInto: 'a' }));
    assert.ok(['a', 'b'].includes(resolveTopicId(loop, 'a') as string), 'a merge loop ends');
    assert.equal(newUserTopicId('Proof repair!', (id) => id === 'user:proof-repair'), 'user:proof-repair-2');
    assert.equal(newUserTopicId('***', () => false), 'user:topic');
  });
});

describe('Precedence of topics: the user, the source, the bundled topic, discovery, Unsorted', () => {
  const bib = `
@article{repair, title={Proof Repair across Type Equivalences}, groups={Proof repair}}
@article{dpo, title={Direct Preference Optimization: Your Language Model is Secretly a Reward Model},
  abstract={We fine-tune language models from human preferences without reinforcement learning, using a classification loss on preference pairs.}}
@article{coq1, title={Ornaments for Proof Reuse in Coq}, keywords={proof reuse}}
@article{coq2, title={Hammer for Coq: Automation for Dependent Type Theory}, keywords={hammers}}
@article{coq3, title={Proof Automation in Coq with Tactic Learning}, keywords={automation}}
@article{lean1, title={The Lean 4 Theorem Prover and Programming Language}}
@article{named, title={Anything at all}, keywords={Reward models and self-rewarding}}
`;
  const source = importBibtex(bib);
  const assemble = (decisions: TopicDecisions = EMPTY_DECISIONS) => assembleLibrary([source], bundled, true, { decisions }).library;
  const paperOf = (library: Library, key: string) => library.papers.find((paper) => paper.key === key) as Paper;

  it('without decisions: the source group, then the bundled topic, then discovery', () => {
    const library = assemble();
    assert.deepEqual(paperOf(library, 'repair').topics, ['source:Proof repair']);
    assert.equal(paperOf(library, 'dpo').topics[0], 'preference-optimization');
    assert.deepEqual(paperOf(library, 'dpo').topicReasons?.[0], { topic: 'preference-optimization', origin: 'bundled' });
    assert.deepEqual(paperOf(library, 'named').topics, ['reward-modeling'], 'a keyword naming a bundled topic is the source speaking');
    assert.equal(paperOf(library, 'named').topicReasons?.[0].origin, 'source');
    const treg = paperOf(library, 'zhou2024treg');
    assert.ok(treg.topics.length > 0 && treg.topicReasons === undefined, 'a bundled paper keeps its hand-made topics');
  });

  it('asks discovery only about the papers the other rules left without a topic, with what it reads of them', () => {
    const { plan } = planLibrary([source], bundled, true);
    const asked = plan.request.papers.map((paper) => paper.key);
    for (const key of ['repair', 'dpo', 'named', 'zhou2024treg']) assert.ok(!asked.includes(key), `${key} has a topic before discovery`);
    for (const key of ['coq1', 'coq2']) assert.ok(asked.includes(key), `${key} reaches discovery: ${asked.join(', ')}`);
    assert.deepEqual(
      plan.request.papers.find((paper) => paper.key === 'coq1'),
      { key: 'coq1', title: 'Ornaments for Proof Reuse in Coq', keywords: ['proof reuse'] },
    );
    const found = plan.finish({
      topics: [{ id: 'discovered:coq', label: 'Coq · proof', terms: ['coq', 'proof'] }],
      assignments: new Map([['coq1', [{ topic: 'discovered:coq', terms: ['coq'], score: 0.5 }]]]),
    });
    assert.deepEqual(paperOf(found, 'coq1').topicReasons, [{ topic: 'discovered:coq', origin: 'discovered', terms: ['coq'] }]);
    assert.equal(found.topics.find((topic) => topic.id === 'discovered:coq')?.origin, 'discovered');
    assert.deepEqual(paperOf(found, 'coq2').topics, [], 'what discovery does not place is Unsorted');
  });

  it("the user's decisions win over everything, an empty list means Unsorted, and discovery never undoes them", () => {
    let decisions = withTopic(EMPTY_DECISIONS, 'user:mine', () => ({ label: 'Mine' }));
    decisions = withPaperTopics(decisions, ['repair', 'dpo'], () => [], () => ['user:mine']);
    decisions = withPaperTopics(decisions, ['zhou2024treg'], () => [], () => []);
    decisions = withPaperTopics(decisions, ['coq1'], () => [], () => ['user:mine', 'discovered:gone']);
    const library = assemble(decisions);
    assert.deepEqual(paperOf(library, 'repair').topics, ['user:mine']);
    assert.deepEqual(paperOf(library, 'dpo').topicReasons, [{ topic: 'user:mine', origin: 'user' }]);
    assert.deepEqual(paperOf(library, 'zhou2024treg').topics, [], 'put in Unsorted by the user');
    assert.deepEqual(paperOf(library, 'coq1').topics, ['user:mine'], 'a topic that no longer exists is dropped');
    const mine = library.topics.find((topic) => topic.id === 'user:mine');
    assert.deepEqual(mine, { id: 'user:mine', label: 'Mine', description: 'A topic you made.', origin: 'user' });
    assert.ok(!library.topics.some((topic) => topic.id === 'source:Proof repair') || !library.papers.some((paper) => paper.topics.includes('source:Proof repair')));
  });

  it('a deleted source topic lets its papers fall to the next rule; a renamed one keeps its papers; a merged one sends them on', () => {
    const deleted = assemble(deleteTopic(EMPTY_DECISIONS, 'source:Proof repair'));
    assert.ok(!paperOf(deleted, 'repair').topics.includes('source:Proof repair'));
    assert.ok(!deleted.topics.some((topic) => topic.id === 'source:Proof repair'));
    const renamed = assemble(withTopic(EMPTY_DECISIONS, 'source:Proof repair', () => ({ label: 'Repairing proofs' })));
    assert.equal(renamed.topics.find((topic) => topic.id === 'source:Proof repair')?.label, 'Repairing proofs');
    assert.deepEqual(paperOf(renamed, 'repair').topics, ['source:Proof repair']);
    const merged = assemble(mergeTopic(EMPTY_DECISIONS, 'source:Proof repair', 'agentic-rl'));
    assert.deepEqual(paperOf(merged, 'repair').topics, ['agentic-rl']);
  });

  it('a pinned topic keeps its papers and name; a user topic under a parent is a sub-topic; a parent loop is dropped', () => {
    let decisions = withTopic(EMPTY_DECISIONS, 'discovered:pinned', () => ({ label: 'Coq proofs', pinned: true, members: ['coq1', 'coq2'] }));
    decisions = withTopic(decisions, 'user:a', () => ({ label: 'A', parent: 'user:b' }));
    decisions = withTopic(decisions, 'user:b', () => ({ label: 'B', parent: 'user:a' }));
    decisions = withTopic(decisions, 'user:c', () => ({ label: 'C', parent: 'discovered:pinned' }));
    const library = assemble(decisions);
    assert.deepEqual(paperOf(library, 'coq1').topics, ['discovered:pinned']);
    const pinned = library.topics.find((topic) => topic.id === 'discovered:pinned');
    assert.equal(pinned?.label, 'Coq proofs');
    assert.equal(pinned?.pinned, true);
    assert.equal(library.topics.find((topic) => topic.id === 'user:c')?.parent, 'discovered:pinned');
    const a = library.topics.find((topic) => topic.id === 'user:a');
    const b = library.topics.find((topic) => topic.id === 'user:b');
    assert.ok(a?.parent === undefined || b?.parent === undefined, 'no loop of parents');
    const groups = groupPapers(library.papers, 'topic', library.topics);
    const shownPinned = groups.find((group) => group.id === 'topic:discovered:pinned');
    assert.deepEqual(shownPinned?.children?.map((child) => child.label), ['C'], 'an empty topic the user made is shown, to drop papers into');
  });

  it('gives the same topics on a second run', () => {
    assert.deepEqual(assemble(), assemble());
  });
});

describe('Decisions of the user and the last discovery', () => {
  // A library of titles only, with the bundled topics: the papers discovery is asked about are the rest.
  const source = importBibtex(fixture('proof-engineering.bib'));
  const first = planLibrary([source], bundled, true).plan.request;
  const run = discoveryRun(first, runDiscovery(first));
  const membersOf = (id: string) => first.papers.filter((paper) => run.discovery.assignments.get(paper.key)?.some((evidence) => evidence.topic === id)).map((paper) => paper.key);
  const [largest, members] = run.discovery.topics.map((topic) => [topic, membersOf(topic.id)] as const).sort((a, b) => b[1].length - a[1].length)[0];
  const othersOf = (discovery: ReturnType<typeof runDiscovery>) => first.papers.filter((paper) => !members.includes(paper.key)).map((paper) => [paper.key, discovery.assignments.get(paper.key)]);

  it('pins a large discovered topic without a whole discovery: its papers leave discovery by the user\'s word, nothing else moves', () => {
    assert.ok(members.length > INCREMENTAL_SHARE * first.papers.length, `${members.length} of ${first.papers.length} papers: more than a small change`);
    const decisions = withTopic(EMPTY_DECISIONS, largest.id, () => ({ label: largest.label, pinned: true, members }));
    const { plan } = planLibrary([source], bundled, true, { decisions });
    assert.equal(plan.request.papers.some((paper) => members.includes(paper.key)), false, 'the pinned papers are placed by the user, not discovered');
    assert.deepEqual([...(plan.request.decided ?? [])].sort(), [...members].sort());
    const next = updateDiscovery(run, plan.request);
    assert.ok(next, 'pinning is no change of the library');
    assert.deepEqual(next.discovery.topics, [largest, ...run.discovery.topics.filter((topic) => topic !== largest)], 'the same topics, the pinned one first');
    assert.deepEqual(othersOf(next.discovery), othersOf(run.discovery));
    const library = plan.finish(next.discovery);
    for (const key of members) assert.deepEqual(library.papers.find((paper) => paper.key === key)?.topics, [largest.id], key);
  });

  it('moving many papers to a topic of the user moves no other paper either; the same papers changed on disk still run a whole discovery', () => {
    const decisions = withPaperTopics(EMPTY_DECISIONS, members, () => [], () => ['user:mine']);
    const { plan } = planLibrary([source], bundled, true, { decisions: withTopic(decisions, 'user:mine', () => ({ label: 'Mine' })) });
    const next = updateDiscovery(run, plan.request);
    assert.ok(next);
    assert.deepEqual(othersOf(next.discovery), othersOf(run.discovery));
    assert.equal(updateDiscovery(run, { ...plan.request, decided: [] }), undefined, 'the same papers gone without a decision are a large change');
  });
});

describe('Discovery in the topics worker', function () {
  const dist = path.join(root, 'dist');
  before(function () {
    // `npm test` builds first; a bare mocha run without a build has no worker to start.
    if (!fs.existsSync(path.join(dist, TOPICS_WORKER.file))) this.skip();
  });

  it('gives the same topics and evidence as discovery on this thread, for a proof-engineering library of titles only', async function () {
    this.timeout(60_000);
    const { plan } = planLibrary([importBibtex(fixture('proof-engineering.bib'))], bundled, false);
    assert.ok(plan.request.papers.length > 20, `${plan.request.papers.length} papers asked`);
    const client = new WorkerClient(TOPICS_WORKER, dist);
    try {
      const { discovery, state } = await client.call({ request: plan.request });
      assert.deepEqual(discovery, runDiscovery(plan.request));
      assert.equal(state, undefined, 'no state asked, none encoded');
      assert.ok(discovery.assignments instanceof Map && discovery.topics.length > 0, 'the Map of assignments crosses intact');
      const library = plan.finish(discovery);
      assert.ok(library.topics.some((topic) => topic.origin === 'discovered'));
    } finally {
      client.dispose();
    }
  });

  it('encodes the discovery state for the file beside the discovery, so that the extension host only writes it', async function () {
    this.timeout(60_000);
    const { plan } = planLibrary([importBibtex(fixture('proof-engineering.bib'))], bundled, false);
    const shape = JSON.stringify({ extensionVersion: '1.2.3', libraryFiles: ['<img src=x onerror=alert(1)>.bib'] });
    const client = new WorkerClient(TOPICS_WORKER, dist);
    try {
      const { discovery, state } = await client.call({ request: plan.request, stateShape: shape });
      assert.ok(state, 'a state was asked for');
      assert.equal(state.shape, shape);
      const here = encodeDiscoveryState(discoveryRun(plan.request, runDiscovery(plan.request)), shape);
      assert.deepEqual(Buffer.concat(state.parts), Buffer.concat(here), 'the same bytes as encoded on this thread');
      const restored = decodeDiscoveryState(new Uint8Array(Buffer.concat(state.parts)));
      assert.ok(!('error' in restored) && restored.shape === shape && restored.run.inputs.size === plan.request.papers.length);
      assert.deepEqual(restored.run.discovery.topics, discovery.topics);
    } finally {
      client.dispose();
    }
  });

  /** A generated library with abstracts, large enough to be read on two threads. */
  const large = (): DiscoveryInput[] => {
    const papers = generateLibrary(700, 3).papers.map((paper) => ({ key: paper.key, title: paper.title, abstract: paper.abstract, venue: paper.venue, authors: paper.authors.map((author) => `${author.given} ${author.family}`) }));
    assert.ok(papers.reduce((total, paper) => total + paper.title.length + (paper.abstract?.length ?? 0), 0) >= TWO_THREADS_FROM, 'enough text for two threads');
    return papers;
  };

  it('reads a large library on two threads into the topics one thread gives, and says nothing', async function () {
    this.timeout(120_000);
    const request = { papers: large(), pinned: [] };
    const client = new WorkerClient(TOPICS_WORKER, dist);
    try {
      const answer = await client.call({ request });
      assert.equal(answer.problems, undefined);
      assert.deepEqual(answer.discovery, runDiscovery(request));
    } finally {
      client.dispose();
    }
    const problems: string[] = [];
    const reader = new CorpusPartReader(dist, (problem) => problems.push(problem));
    const papers = large().sort((a, b) => (a.key < b.key ? -1 : 1));
    assert.deepEqual(reader.read(papers), buildCorpus(papers));
    assert.deepEqual(problems, []);
  });

  it('reads on one thread, saying why once, when the part worker is missing or fails', function () {
    this.timeout(120_000);
    const papers = large().sort((a, b) => (a.key < b.key ? -1 : 1));
    const whole = buildCorpus(papers);
    const missing: string[] = [];
    const noBundle = new CorpusPartReader(fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-no-bundle-')), (problem) => missing.push(problem));
    assert.deepEqual(noBundle.read(papers), whole);
    assert.deepEqual(noBundle.read(papers), whole);
    assert.equal(missing.length, 1, missing.join('\n'));
    assert.match(missing[0], /corpus part reader is missing .*one thread/);

    // A part worker that answers every request with an error, as the real one would report a throw.
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-broken-part-'));
    fs.writeFileSync(
      path.join(broken, 'corpusPartWorker.js'),
      "const { workerData } = require('node:worker_threads');\n" +
        'const { port, answered } = workerData;\n' +
        "port.on('message', ({ id }) => { port.postMessage({ id, error: 'RangeError: out of memory <img src=x>' }); Atomics.add(answered, 0, 1); Atomics.notify(answered, 0); });\n",
    );
    const failed: string[] = [];
    const failing = new CorpusPartReader(broken, (problem) => failed.push(problem));
    assert.deepEqual(failing.read(papers), whole);
    assert.deepEqual(failing.read(papers), whole);
    assert.equal(failed.length, 1, failed.join('\n'));
    assert.match(failed[0], /failed: RangeError: out of memory <img src=x>; .*one thread/);
  });
});
