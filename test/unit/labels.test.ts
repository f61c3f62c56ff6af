import * as assert from 'node:assert/strict';
import { countOf, escapeIcons } from '../../src/core/labels';

describe('Labels', () => {
  it('counts in the singular and the plural', () => {
    assert.equal(countOf(1, 'library file'), '1 library file');
    assert.equal(countOf(0, 'library file'), '0 library files');
    assert.equal(countOf(2, 'entry', 'entries'), '2 entries');
  });

  it('escapes icon syntax so that it shows as written', () => {
    assert.equal(escapeIcons('$(zap) costs $5 (or $(x~spin))'), '\\$(zap) costs $5 (or \\$(x~spin))');
    assert.equal(escapeIcons('$(zap and $( x) and $()'), '$(zap and $( x) and $()', 'no icon, nothing to escape');
    assert.equal(escapeIcons('plain'), 'plain');
  });
});
