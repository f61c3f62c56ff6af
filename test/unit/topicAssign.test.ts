import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Library, Paper } from '../../src/core/model';
import { TopicModel } from '../../src/core/sources/topicAssign';

const root = path.join(__dirname, '../..');
const papers = (JSON.parse(fs.readFileSync(path.join(root, 'data/papers.json'), 'utf8')) as { papers: Paper[] }).papers;
const topics = (JSON.parse(fs.readFileSync(path.join(root, 'data/topics.json'), 'utf8')) as Library).topics;
const model = TopicModel.fromPapers(papers, topics);

const paper = (title: string, abstract: string): Paper => ({ key: 'k', title, abstract, authors: [], authorCount: 0, links: {}, topics: [] });

describe('Topic assignment', () => {
  it('takes topics named by keywords or groups, by id or label, ignoring case and accents', () => {
    assert.deepEqual(model.assign(paper('Anything', ''), ['Reward models and self-rewarding', 'misc']), ['reward-modeling']);
    assert.deepEqual(model.assign(paper('Anything', ''), ['AGENTIC-RL']), ['agentic-rl']);
  });

  it('sorts a paper by its title and abstract when no keyword names a topic', () => {
    const dpo = paper(
      'Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
      'We fine-tune language models from human preferences without reinforcement learning, using a classification loss on preference pairs.',
    );
    assert.equal(model.assign(dpo, ['nlp'])[0], 'preference-optimization');
    const entropy = paper('Entropy collapse in RLVR', 'Exploration suffers when policy entropy collapses during reinforcement learning with verifiable rewards; we keep rollouts diverse.');
    assert.equal(model.assign(entropy, [])[0], 'exploration-entropy');
  });

  it('leaves a paper that fits no topic unsorted', () => {
    const protein = paper('Protein structure prediction with deep learning', 'We predict the three-dimensional structure of proteins from amino acid sequences.');
    assert.deepEqual(model.assign(protein, []), []);
  });
});
