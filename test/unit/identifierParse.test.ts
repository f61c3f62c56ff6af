import * as assert from 'node:assert/strict';
import { findIdentifiers, identifierLabel, parseIdentifier, type Identifier } from '../../src/core/identifiers/parse';
import { cpuMs } from './cpuTime';

const arxiv = (id: string, version?: number): Identifier => (version ? { kind: 'arxiv', id, version } : { kind: 'arxiv', id });
const doi = (value: string, anthology?: string): Identifier => (anthology ? { kind: 'doi', doi: value, anthology } : { kind: 'doi', doi: value });

describe('identifiers: one at a time', () => {
  const cases: [string, Identifier][] = [
    ['2412.02685', arxiv('2412.02685')],
    ['2412.02685v2', arxiv('2412.02685', 2)],
    ['arXiv:2412.02685v2', arxiv('2412.02685', 2)],
    ['ARXIV: 2412.02685', arxiv('2412.02685')],
    ['0706.0001', arxiv('0706.0001')],
    ['https://arxiv.org/abs/2412.02685v2', arxiv('2412.02685', 2)],
    ['http://arxiv.org/abs/2412.02685', arxiv('2412.02685')],
    ['https://arxiv.org/pdf/2412.02685v1', arxiv('2412.02685', 1)],
    ['https://arxiv.org/pdf/2412.02685v1.pdf', arxiv('2412.02685', 1)],
    ['https://www.arxiv.org/html/2412.02685v3/', arxiv('2412.02685', 3)],
    ['https://export.arxiv.org/abs/2412.02685', arxiv('2412.02685')],
    ['arxiv.org/abs/2412.02685', arxiv('2412.02685')],
    ['math.GT/0309136', arxiv('math/0309136')],
    ['math/0309136v1', arxiv('math/0309136', 1)],
    ['arXiv:hep-th/9901001', arxiv('hep-th/9901001')],
    ['https://arxiv.org/abs/math.GT/0309136', arxiv('math/0309136')],
    ['https://arxiv.org/pdf/cond-mat/0102536v1', arxiv('cond-mat/0102536', 1)],
    ['10.48550/arXiv.2412.02685', arxiv('2412.02685')],
    ['https://doi.org/10.48550/arXiv.2412.02685', arxiv('2412.02685')],
    ['10.1145/3650000.3650001', doi('10.1145/3650000.3650001')],
    ['doi:10.1145/3650000.3650001', doi('10.1145/3650000.3650001')],
    ['DOI: 10.1016/S0140-6736(20)30183-5', doi('10.1016/S0140-6736(20)30183-5')],
    ['https://doi.org/10.1145/3650000.3650001', doi('10.1145/3650000.3650001')],
    ['http://dx.doi.org/10.1103/PhysRevB.85.115117', doi('10.1103/PhysRevB.85.115117')],
    ['https://doi.org/10.1002%2F%28SICI%291097-4636', doi('10.1002/(SICI)1097-4636')],
    ['https://dl.acm.org/doi/10.1145/3650000.3650001', doi('10.1145/3650000.3650001')],
    ['https://openreview.net/forum?id=Hk3aB9xYz0', { kind: 'openreview', id: 'Hk3aB9xYz0' }],
    ['https://openreview.net/pdf?id=Hk3aB9xYz0', { kind: 'openreview', id: 'Hk3aB9xYz0' }],
    ['openreview.net/forum?id=Hk3aB9xYz0&noteId=zzzzzz', { kind: 'openreview', id: 'Hk3aB9xYz0' }],
    ['https://aclanthology.org/2024.acl-long.123/', doi('10.18653/v1/2024.acl-long.123', '2024.acl-long.123')],
    ['https://aclanthology.org/2024.acl-long.123.pdf', doi('10.18653/v1/2024.acl-long.123', '2024.acl-long.123')],
    ['https://aclanthology.org/P19-1001', doi('10.18653/v1/P19-1001', 'P19-1001')],
    ['https://www.aclweb.org/anthology/P19-1001.pdf', doi('10.18653/v1/P19-1001', 'P19-1001')],
    ['2023.findings-emnlp.17', doi('10.18653/v1/2023.findings-emnlp.17', '2023.findings-emnlp.17')],
    ['10.18653/v1/2024.acl-long.123', doi('10.18653/v1/2024.acl-long.123', '2024.acl-long.123')],
    ['<https://arxiv.org/abs/2412.02685>', arxiv('2412.02685')],
    ['"2412.02685".', arxiv('2412.02685')],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${input}`, () => assert.deepEqual(parseIdentifier(input), expected));
  }

  it('refuses what cannot be an identifier', () => {
    for (const input of [
      '',
      'hello',
      '2413.00001', // month 13
      '1501.1234', // four digits after 2014
      '1412.12345', // five digits before 2015
      '0612.1234', // before the new scheme
      'foo/0309136',
      'math/0313136',
      '10.1/x',
      'https://example.com/paper',
      'https://arxiv.org/list/cs.LG/recent',
      'https://openreview.net/forum?id=',
      'https://openreview.net/group?id=ICLR.cc',
      'https://aclanthology.org/events/acl-2024/',
      'javascript:alert(1)',
      '[Click me](command:x)',
      '<img src=x onerror=alert(1)>',
      '__init__',
    ]) {
      assert.equal(parseIdentifier(input), undefined, input);
    }
  });

  it('names identifiers for messages', () => {
    assert.equal(identifierLabel(arxiv('2412.02685', 2)), 'arXiv:2412.02685v2');
    assert.equal(identifierLabel(doi('10.1/xyz')), 'DOI 10.1/xyz');
    assert.equal(identifierLabel(doi('10.18653/v1/P19-1001', 'P19-1001')), 'ACL Anthology P19-1001');
    assert.equal(identifierLabel({ kind: 'openreview', id: 'abcde' }), 'OpenReview abcde');
  });
});

describe('identifiers: lists and running text', () => {
  const ids = (text: string) => findIdentifiers(text).found.map((found) => found.identifier);

  it('splits lines, commas, semicolons and spaces', () => {
    const expected = [arxiv('2412.02685'), doi('10.1145/3650000.3650001'), arxiv('math/0309136')];
    assert.deepEqual(ids('2412.02685\n10.1145/3650000.3650001\nmath.GT/0309136'), expected);
    assert.deepEqual(ids('2412.02685, 10.1145/3650000.3650001, math.GT/0309136'), expected);
    assert.deepEqual(ids('2412.02685,10.1145/3650000.3650001;math.GT/0309136'), expected);
    assert.deepEqual(ids('2412.02685 10.1145/3650000.3650001\tmath.GT/0309136\r\n'), expected);
  });

  it('keeps a DOI with parentheses and semicolons whole', () => {
    assert.deepEqual(ids('10.1016/S0140-6736(20)30183-5, 10.1002/(SICI)1097-4636(199812)43:4<>3.0.CO;2-K'), [doi('10.1016/S0140-6736(20)30183-5'), doi('10.1002/(SICI)1097-4636(199812)43:4')]);
  });

  it('finds identifiers in a Markdown passage and names each paper once', () => {
    const text = 'T-REG ([arXiv:2412.02685](https://arxiv.org/abs/2412.02685v2)) and its DOI 10.48550/arXiv.2412.02685; see <https://doi.org/10.1145/3650000.3650001>.';
    const { found } = findIdentifiers(text);
    assert.deepEqual(found.map((entry) => entry.identifier), [arxiv('2412.02685'), doi('10.1145/3650000.3650001')]);
    assert.equal(found[0].input, 'arXiv:2412.02685');
  });

  it('reports words and links that are no identifier', () => {
    const { found, unrecognised } = findIdentifiers('2412.02685 hello https://example.com/x 2413.00001');
    assert.deepEqual(found.map((entry) => entry.identifier), [arxiv('2412.02685')]);
    assert.deepEqual(unrecognised, ['hello', 'https://example.com/x', '2413.00001']);
  });

  it('reads a 100,000-character paste without trouble', () => {
    const text = `${'x'.repeat(100_000)} 2412.02685`;
    let result: ReturnType<typeof findIdentifiers> | undefined;
    const used = cpuMs(() => (result = findIdentifiers(text)));
    assert.deepEqual(result?.found.map((entry) => entry.identifier), [arxiv('2412.02685')]);
    assert.equal(result?.unrecognised.length, 1);
    assert.ok(used < 1000, `${used} ms`);
  });
});
