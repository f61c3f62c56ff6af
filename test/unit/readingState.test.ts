import assert from 'node:assert/strict';
import {
  parseReadingState,
  parseTagList,
  serializeReadingState,
  withPaperStates,
  type PaperReadingState,
  type ReadingState,
} from '../../src/core/readingState';

/** One paper's entry changed, as the reading state service changes each selected paper. */
const withPaperState = (state: ReadingState, key: string, change: Partial<PaperReadingState>) => withPaperStates(state, [key], () => change);

function parsed(text: string): ReadingState {
  const result = parseReadingState(text);
  assert.ok('state' in result, 'error' in result ? result.error.message : '');
  return result.state;
}

describe('reading state file', () => {
  it('round-trips with sorted keys, normalised tags and empty entries left out', () => {
    let state: ReadingState = new Map();
    state = withPaperState(state, 'zhou2024treg', { status: 'read', tags: [' rlhf ', 'Agents', 'rlhf', ''] });
    state = withPaperState(state, 'abc2020', { tags: ['x'] });
    state = withPaperState(state, 'gone2021', { status: 'reading' });
    state = withPaperState(state, 'gone2021', { status: undefined });
    const text = serializeReadingState(state);
    assert.equal(
      text,
      '{\n  "version": 1,\n  "papers": {\n    "abc2020": {\n      "tags": [\n        "x"\n      ]\n    },\n    "zhou2024treg": {\n      "status": "read",\n      "tags": [\n        "Agents",\n        "rlhf"\n      ]\n    }\n  }\n}\n',
    );
    assert.deepEqual(parsed(text), state);
    assert.equal(serializeReadingState(parsed(text)), text, 'stable: reading and writing changes nothing');
  });

  it('keeps the other fields of an entry when one changes', () => {
    const state = withPaperState(new Map([['a', { status: 'to-read', tags: ['t'] }]]), 'a', { status: 'reading' });
    assert.deepEqual(state.get('a'), { status: 'reading', tags: ['t'] });
    assert.deepEqual(withPaperState(state, 'a', { tags: [] }).get('a'), { status: 'reading', tags: [] });
  });

  it('keeps a key named like an object property as an ordinary entry', () => {
    const state = withPaperState(new Map(), '__proto__', { status: 'read' });
    const text = serializeReadingState(state);
    assert.match(text, /"__proto__": \{\n\s+"status": "read"/);
    assert.deepEqual(parsed(text).get('__proto__'), { status: 'read', tags: [] });
  });

  it('reads an empty file as an empty state', () => {
    assert.equal(parsed('  \n').size, 0);
  });

  it('reports a syntax error with its line and column', () => {
    const result = parseReadingState('{\n  "version": 1,\n  "papers": {,\n}');
    assert.ok('error' in result);
    assert.match(result.error.message, /not valid JSON/);
    assert.deepEqual([result.error.line, result.error.column], [3, 14]);
  });

  it('reports content it does not understand instead of dropping it', () => {
    const cases: [string, RegExp][] = [
      ['[]', /expected an object/],
      ['{"version": 2, "papers": {}}', /"version" must be 1/],
      ['{"version": 1, "papers": [], "x": 1}', /unknown field "x"/],
      ['{"version": 1, "papers": []}', /"papers" must be an object/],
      ['{"version": 1, "papers": {"a": {"status": "done"}}}', /papers\["a"\]\.status must be one of/],
      ['{"version": 1, "papers": {"a": {"tags": "x"}}}', /tags must be a list/],
      ['{"version": 1, "papers": {"a": {"note": "x"}}}', /unknown field "note"/],
    ];
    for (const [text, message] of cases) {
      const result = parseReadingState(text);
      assert.ok('error' in result, text);
      assert.match(result.error.message, message);
    }
  });
});

describe('parseTagList', () => {
  it('splits on commas, trims, collapses spaces and removes duplicates', () => {
    assert.deepEqual(parseTagList(' rlhf,  token   level ,,rlhf, Agents'), ['Agents', 'rlhf', 'token level']);
    assert.deepEqual(parseTagList('  '), []);
  });

  it('keeps one of the tags differing only in case: the first spelling', () => {
    assert.deepEqual(parseTagList('RLHF, agents, rlhf, Rlhf, Agents'), ['agents', 'RLHF']);
  });
});

describe('tags differing only in case', () => {
  const file = (papers: Record<string, string[]>) =>
    JSON.stringify({ version: 1, papers: Object.fromEntries(Object.entries(papers).map(([key, tags]) => [key, { tags }])) });

  it('are one tag when read: the paper whose key sorts first gives the spelling', () => {
    const state = parsed(file({ zeta2024: ['rlhf'], alpha2023: ['RLHF', 'Agents'], mid2022: ['agents', 'Rlhf', 'RLHF'] }));
    assert.deepEqual(state.get('alpha2023')?.tags, ['Agents', 'RLHF']);
    assert.deepEqual(state.get('mid2022')?.tags, ['Agents', 'RLHF']);
    assert.deepEqual(state.get('zeta2024')?.tags, ['RLHF']);
  });

  it('take the spelling other papers already have', () => {
    const state = parsed(file({ a: ['RLHF'], b: ['x'] }));
    assert.deepEqual(withPaperState(state, 'b', { tags: ['x', 'rlhf'] }).get('b')?.tags, ['RLHF', 'x']);
    assert.deepEqual(withPaperState(state, 'new', { tags: ['Rlhf'] }).get('new')?.tags, ['RLHF']);
  });

  it('are renamed when every paper that has the tag gets the new spelling', () => {
    const state = parsed(file({ a: ['RLHF'], b: ['RLHF', 'x'], c: ['x'] }));
    const renamed = withPaperStates(state, ['a', 'b'], (current) => ({ tags: current.tags.map((tag) => (tag === 'RLHF' ? 'rlhf' : tag)) }));
    assert.deepEqual([renamed.get('a')?.tags, renamed.get('b')?.tags], [['rlhf'], ['rlhf', 'x']]);
    // Renaming on one paper of two keeps the spelling the other has.
    const partly = withPaperState(state, 'a', { tags: ['rlhf'] });
    assert.deepEqual(partly.get('a')?.tags, ['RLHF']);
  });
});
