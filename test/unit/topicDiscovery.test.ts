import * as assert from 'node:assert/strict';
import { agreement } from '../../src/core/topics/agreement';
import { assignToDiscovered, discoverTopics, type Discovery, type DiscoveryInput } from '../../src/core/topics/discovery';
import { generateLibrary } from '../../bench/generate';
import { APART, buildCorpus, holds, joinParts, readPart, singular, wordsOf, type Corpus, type CorpusPart } from '../../src/core/topics/terms';

// Real titles of three fields, titles only, as most exported .bib files are.
const PROOFS = [
  'Formal Verification of a Realistic Compiler',
  'CompCert: A Formally Verified Optimizing Compiler',
  'seL4: Formal Verification of an OS Kernel',
  'Isabelle/HOL: A Proof Assistant for Higher-Order Logic',
  'The Lean Theorem Prover',
  'The Lean 4 Theorem Prover and Programming Language',
  'Interactive Theorem Proving and Program Development: Coq Art',
  'Certified Programming with Dependent Types',
  'Mechanized Semantics for the Clight Subset of the C Language',
  'A Formally Verified Compiler Back-end',
  'Verified Compilation of Functional Programs with CakeML',
  'Iris from the Ground Up: A Modular Foundation for Higher-Order Concurrent Separation Logic',
  'The Coq Proof Assistant Reference Manual',
  'Proof Engineering with the Coq Proof Assistant',
];
const BIOLOGY = [
  'Highly Accurate Protein Structure Prediction with AlphaFold',
  'Accurate Prediction of Protein Structures and Interactions Using a Three-Track Neural Network',
  'Basic Local Alignment Search Tool',
  'Fast and Accurate Short Read Alignment with Burrows-Wheeler Transform',
  'Fast Gapped-Read Alignment with Bowtie 2',
  'Improved Protein Structure Prediction Using Potentials from Deep Learning',
  'Evolutionary-Scale Prediction of Atomic-Level Protein Structure with a Language Model',
  'Minimap2: Pairwise Alignment for Nucleotide Sequences',
  'The Sequence Alignment/Map Format and SAMtools',
  'Protein Structure Prediction from Sequence Variation',
  'Differential Expression Analysis for Sequence Count Data',
  'Moderated Estimation of Fold Change and Dispersion for RNA-seq Data with DESeq2',
];
const DATABASES = [
  'A Relational Model of Data for Large Shared Data Banks',
  'The Design and Implementation of Modern Column-Oriented Database Systems',
  'C-Store: A Column-oriented DBMS',
  'Access Path Selection in a Relational Database Management System',
  'Query Evaluation Techniques for Large Databases',
  'The Volcano Optimizer Generator: Extensibility and Efficient Search',
  'Concurrency Control and Recovery in Database Systems',
  'ARIES: A Transaction Recovery Method Supporting Fine-Granularity Locking',
  'Spanner: Google\'s Globally-Distributed Database',
  'Column-Stores vs. Row-Stores: How Different Are They Really?',
  'How Good Are Query Optimizers, Really?',
  'The Case for Learned Index Structures',
];
const titled = (field: string, titles: readonly string[]): DiscoveryInput[] =>
  titles.map((title, at) => ({ key: `${field}${String(at).padStart(2, '0')}`, title }));
const library = [...titled('proof', PROOFS), ...titled('bio', BIOLOGY), ...titled('db', DATABASES)];

const topicOf = (discovery: Discovery, key: string) => discovery.assignments.get(key)?.[0]?.topic;
const fieldOf = (key: string) => key.replace(/\d+$/, '');

describe('Topic discovery: terms', () => {
  it('keeps plural words apart from their singular only where English does', () => {
    assert.deepEqual(['policies', 'agents', 'process', 'analysis', 'llms', 'bias'].map(singular), ['policy', 'agent', 'process', 'analysis', 'llm', 'bias']);
  });

  it('drops stop words and numbers, and breaks phrases at them and at punctuation', () => {
    const words = wordsOf('Interactive Theorem Proving: the Coq Art, 2004');
    assert.deepEqual(words.map((word) => word.term), ['interactive', 'theorem', 'proving', 'coq', 'art']);
    assert.deepEqual(words.map((word) => word.joined), [false, true, true, false, true]);
    assert.equal(words[3].surface, 'Coq');
  });

  it('reads apostrophes, hyphens, other spaces, letters outside the BMP and scripts without capitals as written', () => {
    const read = (text: string) => wordsOf(text).map((word) => [word.term, word.surface, word.joined]);
    assert.deepEqual(read('Model’s x-ray co-training\u00a0RLHF—policy'), [['model', 'Model', false], ['ray', 'ray', false], ['co', 'co', true], ['training', 'training', true], ['rlhf', 'RLHF', true], ['policy', 'policy', false]]);
    assert.deepEqual(read("a'b2 don't 3D-printing"), [['ab', "a'b", false], ['dont', "don't", false], ['3d', '3D', true], ['printing', 'printing', true]]);
    assert.deepEqual(read('\u{1d465}-ray tests, 日本語 テキスト lone \ud800 surrogate'), [['ray', 'ray', false], ['test', 'tests', true], ['日本語', '日本語', false], ['テキスト', 'テキスト', true], ['lone', 'lone', true], ['surrogate', 'surrogate', false]]);
  });

  it('keeps in the corpus the words of each field as wordsOf reads them, as numbers', () => {
    const papers = [
      { key: 'a', title: 'Interactive Theorem Proving: the Coq Art', abstract: 'Proof assistants — Coq’s tactics.', keywords: ['type theory', 'Coq'] },
      { key: 'b', title: 'Coq-based proving of compilers', keywords: [] },
    ];
    const corpus = buildCorpus(papers);
    papers.forEach((paper, index) => {
      const fields = [paper.title, paper.abstract ?? '', ...paper.keywords];
      assert.equal(corpus.paperFields[index + 1] - corpus.paperFields[index], fields.length);
      fields.forEach((text, at) => {
        const field = corpus.paperFields[index] + at;
        const stored = [];
        for (let word = corpus.fieldStart[field]; word < corpus.fieldStart[field + 1]; word++) {
          stored.push([corpus.terms[corpus.words.term[word]], corpus.surfaces[corpus.words.surface[word]], corpus.words.glue[word] !== APART]);
        }
        assert.deepEqual(stored, wordsOf(text).map((word) => [word.term, word.surface, word.joined]), text);
      });
    });
    assert.ok(holds(corpus, 1, corpus.termId.get('coq')!) && holds(corpus, 1, corpus.termId.get('theorem proving') ?? -1) === false);
  });

  it('reads a library in parts, on any thread, into the corpus one reading gives, to the last id', () => {
    const generated = generateLibrary(400, 7).papers.map((paper, at) => ({
      key: paper.key,
      title: paper.title,
      abstract: paper.abstract,
      venue: paper.venue,
      // Keywords, authors and texts that only a later part holds, some shared with earlier parts.
      keywords: at % 3 === 0 ? ['Coq', `kw ${at % 7}`, 'type theory'] : [],
      authors: paper.authors.map((author) => `${author.given} ${author.family}`),
    }));
    const papers = [...generated, { key: 'zz1', title: 'Ünïcode Títles — 日本語 テキスト and \u{1d465}-rays', abstract: '<img src=x onerror=alert(1)> [a](command:x) *emph*' }, { key: 'zz2', title: '', abstract: '' }];
    const whole = buildCorpus(papers);
    // As a part crosses to another thread: structured clone, without its map of terms.
    const crossed = ({ termId: _termId, ...part }: ReturnType<typeof readPart>): CorpusPart => structuredClone(part);
    const comparable = (corpus: Corpus) => ({ ...corpus, counts: corpus.counts.map(({ ids, counts }) => [[...ids], [...counts]]), held: corpus.held.map(({ ids, weights }) => [[...ids], [...weights]]) });
    for (const cuts of [[1], [137], [papers.length - 1], [0, 200], [90, 91, 300]]) {
      const bounds = [0, ...cuts, papers.length];
      const [head, ...rest] = bounds.slice(1).map((end, at) => readPart(papers.slice(bounds[at], end)));
      const joined = joinParts(papers, [head, ...rest.map(crossed)]);
      assert.deepEqual(comparable(joined), comparable(whole), `cut at ${cuts.join(', ')}`);
    }
  });
});

describe('Topic discovery', () => {
  const discovery = discoverTopics(library);

  it('separates three fields from their titles alone', () => {
    const truth = new Map(library.map((paper) => [paper.key, fieldOf(paper.key)]));
    const found = new Map(library.flatMap((paper) => (topicOf(discovery, paper.key) ? [[paper.key, topicOf(discovery, paper.key)!]] : [])));
    const { nmi } = agreement(truth, found);
    assert.ok(nmi > 0.5, `NMI ${nmi}`);
    // Each topic is mostly one field.
    for (const topic of discovery.topics) {
      const fields = library.filter((paper) => topicOf(discovery, paper.key) === topic.id).map((paper) => fieldOf(paper.key));
      const most = Math.max(...['proof', 'bio', 'db'].map((field) => fields.filter((other) => other === field).length));
      assert.ok(most / fields.length >= 0.6, `${topic.label}: ${fields.join(' ')}`);
    }
  });

  it('names topics by their terms as written, ids prefixed and unique', () => {
    assert.ok(discovery.topics.length >= 3, discovery.topics.map((topic) => topic.label).join(' | '));
    for (const topic of discovery.topics) {
      assert.match(topic.id, /^discovered:[a-z0-9-]+$/);
      assert.ok(!/cluster|topic \d/i.test(topic.label), topic.label);
      assert.ok(topic.terms.length > 0 && topic.label.startsWith(topic.terms[0].charAt(0).toUpperCase()), `${topic.label} / ${topic.terms.join(', ')}`);
    }
    assert.equal(new Set(discovery.topics.map((topic) => topic.id)).size, discovery.topics.length);
    assert.equal(new Set(discovery.topics.map((topic) => topic.label)).size, discovery.topics.length);
    const labels = discovery.topics.map((topic) => topic.label).join(' | ');
    assert.match(labels, /Protein Structure Prediction|Protein|Alignment/, labels);
  });

  it('explains each assignment by terms the paper shares with its topic', () => {
    for (const paper of library) {
      for (const evidence of discovery.assignments.get(paper.key) ?? []) {
        assert.ok(evidence.terms.length > 0, paper.key);
        for (const term of evidence.terms) assert.ok(paper.title.toLowerCase().includes(term.toLowerCase().replace(/s$/, '')), `${paper.title} / ${term}`);
        assert.ok(evidence.score > 0 && evidence.score <= 1);
      }
    }
  });

  it('is the same for the same library, whatever the order of its papers', () => {
    const shuffled = [...library].reverse();
    const again = discoverTopics([...shuffled.slice(7), ...shuffled.slice(0, 7)]);
    assert.deepEqual(again, discovery);
  });

  it('keeps pinned topics with their id, label and members, and lets others join them', () => {
    const pinned = { id: 'user:compilers', label: 'My compilers', members: ['proof00', 'proof01', 'db05'] };
    const withPin = discoverTopics(library, { pinned: [pinned] });
    assert.deepEqual(withPin.topics[0], { ...withPin.topics[0], id: 'user:compilers', label: 'My compilers' });
    for (const key of pinned.members) assert.ok(withPin.assignments.get(key)?.some((evidence) => evidence.topic === 'user:compilers'), key);
    // The verified-compiler papers join it.
    assert.equal(topicOf(withPin, 'proof09'), 'user:compilers');
  });

  it('puts one more paper in the topic whose terms it shares, without a re-run', () => {
    const protein = assignToDiscovered(discovery, { key: 'new', title: 'Protein Structure Prediction with Graph Networks' });
    assert.equal(protein[0]?.topic, topicOf(discovery, 'bio00'));
    assert.ok(protein[0].terms.length > 0);
    assert.deepEqual(assignToDiscovered(discovery, { key: 'none', title: 'Baking Sourdough Bread at Home' }), []);
  });

  it('handles empty, hostile and huge input without failing', () => {
    assert.deepEqual(discoverTopics([]), { topics: [], assignments: new Map() });
    const hostile = [
      { key: '__proto__', title: '[Click me](command:x) <img src=x onerror=alert(1)>' },
      { key: 'constructor', title: '__init__ *x* `code`' },
      { key: 'huge', title: 'verified compiler '.repeat(6000) },
      { key: 'empty', title: '' },
    ];
    const result = discoverTopics([...library, ...hostile]);
    for (const topic of result.topics) {
      assert.ok(topic.label.length < 200, topic.label.slice(0, 50));
      // Labels and terms are words: nothing a title holds can become markup, a link or a command.
      for (const text of [topic.label, ...topic.terms]) assert.match(text, /^[\p{L}\p{N}' ·-]+$/u, text);
    }
    for (const evidence of result.assignments.values()) for (const term of evidence.flatMap((entry) => entry.terms)) assert.match(term, /^[\p{L}\p{N}' -]+$/u);
    assert.ok(!result.assignments.has('empty'));
  });
});
