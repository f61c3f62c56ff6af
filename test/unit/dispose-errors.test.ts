import * as assert from 'node:assert/strict';
import { Disposable, disposeAll } from '../../src/core/dispose';
import { errorDetail, errorText } from '../../src/core/errors';

class Owner extends Disposable {
  own(item: { dispose(): void }) {
    return this._register(item);
  }
}

describe('Disposable', () => {
  it('disposes what it registered, newest first, once', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.own({ dispose: () => order.push('a') });
    owner.own({ dispose: () => order.push('b') });
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, ['b', 'a']);
  });

  it('disposes at once what is registered after disposal', () => {
    const owner = new Owner();
    owner.dispose();
    let disposed = false;
    owner.own({ dispose: () => (disposed = true) });
    assert.equal(disposed, true);
  });

  it('disposeAll disposes the rest when one throws, then rethrows the first error', () => {
    const seen: number[] = [];
    assert.throws(
      () => disposeAll([{ dispose: () => { throw new Error('one'); } }, { dispose: () => seen.push(2) }]),
      /one/,
    );
    assert.deepEqual(seen, [2]);
  });
});

describe('errorText and errorDetail', () => {
  it('gives the message of an Error, the text of anything else', () => {
    assert.equal(errorText(new Error('broken')), 'broken');
    assert.equal(errorText('plain'), 'plain');
    assert.equal(errorText(42), '42');
    assert.match(errorDetail(new Error('broken')), /^Error: broken\n\s+at /);
    assert.equal(errorDetail({ toString: () => 'odd' }), 'odd');
  });
});
