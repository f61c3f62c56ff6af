import assert from 'node:assert/strict';
import {
  parseReadingState,
  parseTagList,
  serializeReadingState,
  withPaperState,
  type ReadingState,
} from '../../src/core/readingState';

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
});
