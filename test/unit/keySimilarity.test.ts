import assert from 'node:assert/strict';
import { closestPapers } from '../../src/core/keySimilarity';
import { archer, journal, preprint, treg } from './paperFixtures';

const papers = [treg, archer, preprint, journal];

describe('closestPapers', () => {
  it('puts a key with a typo or a wrong year next to the paper meant', () => {
    assert.equal(closestPapers('zhou2024terg', papers)[0].paper.key, 'zhou2024treg');
    assert.equal(closestPapers('zhou2023archer', papers)[0].paper.key, 'zhou2024archer');
  });

  it('matches a key written another way by its author, year and title words', () => {
    assert.equal(closestPapers('silver-go-2016', papers)[0].paper.key, 'silver2016mastering');
    assert.equal(closestPapers('Nemotron2025', papers)[0].paper.key, 'nvidia2025nemotron');
  });

  it('returns at most the limit, best first, and nothing for an unrelated key', () => {
    const result = closestPapers('zhou2024', papers, 2);
    assert.equal(result.length, 2);
    assert.ok(result[0].score >= result[1].score);
    assert.deepEqual(closestPapers('qqqqqqqqqqqqqqqq', papers), []);
  });
});
