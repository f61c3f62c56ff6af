import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
interface TestCounts {
  mochaCounts(output: string): Counts | undefined;
  countsText(counts: Counts): string;
}

describe('npm test summary counts', () => {
  let counts: TestCounts;
  before(async () => {
    counts = (await import(pathToFileURL(join(__dirname, '../../scripts/test-counts.mjs')).href)) as TestCounts;
  });

  it('counts skipped (pending) tests beside passed and failed ones', () => {
    const output = ['  listing', '    ✔ parses', '    - matches the shipped data', '', '', '  288 passing (59s)', '  9 pending', '  2 failing', '', '  1) x'].join('\n');
    assert.deepEqual(counts.mochaCounts(output), { passed: 288, failed: 2, skipped: 9 });
    assert.equal(counts.countsText({ passed: 288, failed: 2, skipped: 9 }), '288 passed, 2 failed, 9 skipped');
  });

  it('reads coloured output, takes the last summary and counts zero when a line is missing', () => {
    const output = '\u001b[32m  3 passing\u001b[0m (1s)\n  1 pending\n…\n\u001b[32m  12 passing\u001b[0m (4s)\n';
    assert.deepEqual(counts.mochaCounts(output), { passed: 12, failed: 0, skipped: 0 });
  });

  it('finds no counts in output without a mocha summary, or where the words are only part of a line', () => {
    assert.equal(counts.mochaCounts(''), undefined);
    assert.equal(counts.mochaCounts('Error: 3 pending requests\nnot 4 passing'), undefined);
  });
});
