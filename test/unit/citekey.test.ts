import * as assert from 'node:assert/strict';
import { asciiFold, disambiguateKey, makeCitationKey, uniqueKeys } from '../../src/core/citekey';
import type { Author } from '../../src/core/model';

const author = (given: string, family: string): Author => ({ given, family });

describe('makeCitationKey', () => {
  it('joins family name, year and the first title word', () => {
    const authors = [author('Wenxuan', 'Zhou'), author('Shujian', 'Zhang')];
    assert.equal(makeCitationKey({ authors, year: 2024, title: 'T-REG: Preference Optimization with Token-Level Reward Regularization' }), 'zhou2024treg');
    assert.equal(makeCitationKey({ authors: [author('Yifei', 'Zhou')], year: 2024, title: 'ArCHer: Training Language Model Agents' }), 'zhou2024archer');
    assert.equal(makeCitationKey({ authors: [author('Yi-Fan', 'Zhang')], year: 2025, title: 'R1-Reward: Training Multimodal Reward Model' }), 'zhang2025r1reward');
  });

  it('skips stop words and words that are only digits or punctuation', () => {
    const authors = [author('Shenzhi', 'Wang')];
    assert.equal(makeCitationKey({ authors, year: 2025, title: 'Beyond the 80/20 Rule: High-Entropy Minority Tokens' }), 'wang2025rule');
    assert.equal(makeCitationKey({ authors, year: 2025, title: 'A Technical Survey of RL' }), 'wang2025technical');
    assert.equal(makeCitationKey({ authors, year: 2025, title: 'On The Expressivity of Formalisms' }), 'wang2025expressivity');
    assert.equal(makeCitationKey({ authors, year: 2025, title: 'Toward Evaluative Thinking' }), 'wang2025evaluative');
    assert.equal(makeCitationKey({ authors, year: 2025, title: '100 Days After DeepSeek-R1' }), 'wang2025days');
    assert.equal(makeCitationKey({ authors, year: 2025, title: '"Is" — RL (Not) for NLP?' }), 'wang2025rl');
  });

  it('folds accents and special letters to ASCII', () => {
    assert.equal(makeCitationKey({ authors: [author('Thomas', 'Müller')], year: 2020, title: 'Über Lernen' }), 'muller2020uber');
    assert.equal(makeCitationKey({ authors: [author('Sercan Ö.', 'Arık')], year: 2025, title: 'Ægis' }), 'arik2025aegis');
    assert.equal(makeCitationKey({ authors: [author('Paweł', 'Łukasiewicz')], year: 1999, title: 'Straße' }), 'lukasiewicz1999strasse');
    assert.equal(asciiFold('Ørsted-Ødegård'), 'orstedodegard');
  });

  it('leaves lower-case particles and generational suffixes out of the name', () => {
    assert.equal(makeCitationKey({ authors: [author('Mihaela', 'van der Schaar')], year: 2025, title: 'Inverse RL' }), 'schaar2025inverse');
    assert.equal(makeCitationKey({ authors: [author('Ronan', 'Le Bras')], year: 2023, title: 'Leftover Lunch' }), 'lebras2023leftover');
    assert.equal(makeCitationKey({ authors: [author('Martin Luther', 'King Jr.')], year: 1963, title: 'Dream' }), 'king1963dream');
  });

  it('uses "anon" without authors and leaves out a missing year', () => {
    assert.equal(makeCitationKey({ authors: [], year: 2024, title: 'Token Rewards' }), 'anon2024token');
    assert.equal(makeCitationKey({ authors: [author('', '株式会社')], year: 2024, title: 'Token Rewards' }), 'anon2024token');
    assert.equal(makeCitationKey({ authors: [author('Wenxuan', 'Zhou')], title: 'Token Rewards' }), 'zhoutoken');
    assert.equal(makeCitationKey({ authors: [], title: 'The' }), 'anon');
  });

  it('produces only lower-case ASCII letters and digits for hostile input', () => {
    const key = makeCitationKey({ authors: [author('<script>', '<img src=x onerror=alert(1)>')], year: 2024, title: '[@evil] {\\} `rm -rf`' });
    assert.match(key, /^[a-z0-9]+$/);
  });
});

describe('uniqueKeys', () => {
  it('leaves distinct keys alone', () => {
    assert.deepEqual(uniqueKeys(['zhou2024treg', 'zhou2024archer']), ['zhou2024treg', 'zhou2024archer']);
  });

  it('suffixes clashes a, b, c in order, as Better BibTeX does', () => {
    assert.deepEqual(uniqueKeys(['zhou2024treg', 'zhou2024treg', 'li2025x', 'zhou2024treg']), ['zhou2024treg', 'zhou2024trega', 'li2025x', 'zhou2024tregb']);
  });

  it('does not hand out a suffixed key that is already used', () => {
    assert.deepEqual(uniqueKeys(['zhou2024trega', 'zhou2024treg', 'zhou2024treg']), ['zhou2024trega', 'zhou2024treg', 'zhou2024tregb']);
    assert.deepEqual(uniqueKeys(['li2025x'], ['li2025x']), ['li2025xa']);
  });

  it('continues with aa, ab after z', () => {
    const keys = uniqueKeys(Array.from({ length: 29 }, () => 'k'));
    assert.deepEqual(keys.slice(0, 2), ['k', 'ka']);
    assert.deepEqual(keys.slice(26), ['kz', 'kaa', 'kab']);
    assert.equal(new Set(keys).size, 29);
  });

  it('disambiguates a single key against the keys in use', () => {
    assert.equal(disambiguateKey('zhou2024treg', new Set()), 'zhou2024treg');
    assert.equal(disambiguateKey('zhou2024treg', new Set(['zhou2024treg', 'zhou2024trega'])), 'zhou2024tregb');
  });
});
