import assert from 'node:assert/strict';
import { TickedItems } from '../../src/quickPick/tickedItems';

interface Item {
  key: string;
  title: string;
}
const item = (key: string, title = key.toUpperCase()): Item => ({ key, title });
const [a, b, c] = [item('a'), item('b'), item('c')];
const keys = (ticked: TickedItems<Item>) => ticked.items.map((entry) => entry.key);

describe('ticked items of a multi-select pick', () => {
  it('takes the user’s ticks and unticks, keeping the order of ticking', () => {
    const ticked = new TickedItems<Item>((entry) => entry.key);
    ticked.reported([b]);
    ticked.reported([b, a]);
    assert.deepEqual(keys(ticked), ['b', 'a']);
    ticked.reported([a]);
    assert.deepEqual(keys(ticked), ['a']);
    ticked.reported([]);
    assert.deepEqual(keys(ticked), []);
  });

  it('ignores the reports of lists it sent: the empty selection as a list is replaced, then the echo', () => {
    const ticked = new TickedItems<Item>((entry) => entry.key);
    ticked.reported([a]);
    assert.deepEqual(ticked.send(), [a]);
    assert.equal(ticked.reported([]), false);
    assert.equal(ticked.reported([a]), false, 'the window shows what was sent');
    assert.deepEqual(keys(ticked), ['a']);
    // Nothing is waiting now: an empty selection is the user's.
    ticked.reported([]);
    assert.deepEqual(keys(ticked), []);
  });

  it('keeps a tick made while reports of earlier lists are still on their way (fast typing, busy machine)', () => {
    const ticked = new TickedItems<Item>((entry) => entry.key);
    ticked.reported([a]);
    // Six keystrokes: six lists sent, none shown yet.
    for (let k = 0; k < 6; k++) ticked.send();
    ticked.reported([]);
    ticked.reported([a]);
    // The user ticks B in the list on screen; then the other five lists arrive and are reported.
    assert.equal(ticked.reported([a, b]), false);
    // Each late list unticks B on screen: the list must be sent again, with B.
    for (let k = 0; k < 5; k++) {
      assert.equal(ticked.reported([]), false);
      assert.equal(ticked.reported([a]), true);
    }
    assert.deepEqual(keys(ticked), ['a', 'b']);
    // The next list carries both, and from then on the user's changes count again.
    assert.deepEqual(ticked.send(), [a, b]);
    ticked.reported([]);
    ticked.reported([b, a]);
    ticked.reported([a, b, c]);
    assert.deepEqual(keys(ticked), ['a', 'b', 'c']);
  });

  it('does not wait for a report of a list sent with nothing ticked', () => {
    const ticked = new TickedItems<Item>((entry) => entry.key);
    assert.deepEqual(ticked.send(), []);
    ticked.reported([c]);
    assert.deepEqual(keys(ticked), ['c']);
  });

  it('follows the items when they change underneath, dropping those gone', () => {
    const ticked = new TickedItems<Item>((entry) => entry.key);
    ticked.reported([a, b, c]);
    const renamed = item('b', 'B, renamed');
    ticked.update((key) => (key === 'a' ? undefined : key === 'b' ? renamed : c));
    assert.deepEqual(ticked.items, [renamed, c]);
    assert.equal(ticked.has('a'), false);
    // A key merged into another (an alias) is ticked under the key it has now.
    ticked.update((key) => (key === 'c' ? renamed : renamed));
    assert.deepEqual(ticked.items, [renamed]);
  });
});
