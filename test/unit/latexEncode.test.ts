import * as assert from 'node:assert/strict';
import { decodeLatex, encodeLatex } from '../../src/core/sources/latex';

describe('encodeLatex', () => {
  const cases: [text: string, ascii: string, utf8: string][] = [
    ['50% & $5 #1 _x_', '50\\% \\& \\$5 \\#1 \\_x\\_', '50\\% \\& \\$5 \\#1 \\_x\\_'],
    ['\\ {x} ~^|<>', '\\textbackslash{} \\textbraceleft{}x\\textbraceright{} \\textasciitilde{}\\textasciicircum{}\\textbar{}\\textless{}\\textgreater{}', '\\textbackslash{} \\textbraceleft{}x\\textbraceright{} \\textasciitilde{}\\textasciicircum{}\\textbar{}\\textless{}\\textgreater{}'],
    // Typed pairs are not TeX's ligatures: "--" is two hyphens, not an en dash.
    ["a--b ---c ''q'' ``r``", "a-{}-b -{}-{}-c '{}'q'{}' `{}`r`{}`", "a-{}-b -{}-{}-c '{}'q'{}' `{}`r`{}`"],
    ['Trȩbacz ı ß α', 'Tr{\\c{e}}bacz {\\i} {\\ss} $\\alpha$', 'Trȩbacz ı ß α'],
    ['a\t\n  b', 'a b', 'a b'],
  ];

  for (const [text, ascii, utf8] of cases) {
    it(`writes ${JSON.stringify(text)} as LaTeX that reads back the same`, () => {
      assert.deepEqual(encodeLatex(text, true), { latex: ascii, unencoded: [] });
      assert.deepEqual(encodeLatex(text, false), { latex: utf8, unencoded: [] });
      assert.equal(decodeLatex(ascii), text.replace(/\s+/g, ' '));
    });
  }

  it('keeps a character LaTeX has no command for, whole, and names it', () => {
    assert.deepEqual(encodeLatex('smile 😀 now', true), { latex: 'smile 😀 now', unencoded: ['😀'] });
    assert.deepEqual(encodeLatex('smile 😀 now', false), { latex: 'smile 😀 now', unencoded: [] });
  });

  it('writes every run of white space or control characters as one space, a no-break space as a tie', () => {
    for (const ascii of [true, false]) {
      assert.equal(encodeLatex('two  spaces,\u2028a\u0007bell\u0000 ', ascii).latex, 'two spaces, a bell ');
      assert.equal(encodeLatex('no\u00a0break', ascii).latex, ascii ? 'no~break' : 'no\u00a0break');
    }
  });

  it('passes a long plain text through unchanged', () => {
    const text = 'Token-level credit assignment for language models. '.repeat(2000).trim();
    assert.equal(encodeLatex(text, true).latex, text);
  });
});
