import assert from 'node:assert/strict';
import { frontMatterBlock, readNoteOptions } from '../../src/core/frontMatter';

describe('frontMatter: the citation options pandoc reads', () => {
  it('reads every option in its usual spellings', () => {
    const note = [
      '---',
      'title: "A note: on RL"',
      "csl: 'styles/my journal.csl' # a comment",
      'lang: de-DE',
      'bibliography:',
      '  - refs.bib',
      '  - "more refs.json"',
      'nocite: |',
      '  @zhou2024treg, @{odd key}',
      '  @zhou2024archer',
      'link-citations: true',
      'suppress-bibliography: yes',
      'reference-section-title: Works cited',
      '---',
      'Body [@x].',
    ].join('\n');
    assert.deepEqual(readNoteOptions(note), {
      csl: 'styles/my journal.csl',
      lang: 'de-DE',
      bibliography: ['refs.bib', 'more refs.json'],
      nocite: ['zhou2024treg', 'odd key', 'zhou2024archer'],
      linkCitations: true,
      suppressBibliography: true,
      referenceSectionTitle: 'Works cited',
      title: 'A note: on RL',
    });
  });

  it('reads flow lists, `@*`, CRLF line ends, a byte-order mark and `...` as the closing line', () => {
    const note = '\uFEFF---\r\nbibliography: [a.bib, "b, c.json"]\r\nnocite: "@*"\r\nlink-citations: false\r\n...\r\nText';
    const options = readNoteOptions(note);
    assert.deepEqual(options.bibliography, ['a.bib', 'b, c.json']);
    assert.deepEqual(options.nocite, ['*']);
    assert.equal(options.linkCitations, false);
    assert.equal(note.slice(frontMatterBlock(note)!.end), 'Text');
  });

  it('gives the defaults without front matter, with an unclosed block and with YAML it does not read', () => {
    const defaults = { csl: undefined, lang: undefined, bibliography: [], nocite: [], linkCitations: false, suppressBibliography: false, referenceSectionTitle: undefined, title: undefined };
    assert.deepEqual(readNoteOptions('# Just text\n\ncsl: ieee\n'), defaults);
    assert.deepEqual(readNoteOptions('---\ncsl: ieee\nno end'), defaults);
    assert.deepEqual(readNoteOptions('---\n: : :\n{[ broken\ncsl:\n---\n'), defaults);
    assert.equal(frontMatterBlock('text\n---\ncsl: ieee\n---\n'), undefined);
  });

  it('keeps hostile values as text', () => {
    const options = readNoteOptions('---\ntitle: "<img src=x onerror=alert(1)> \\u0041"\nbibliography: "[x](command:y)"\n---\n');
    assert.equal(options.title, '<img src=x onerror=alert(1)> A');
    assert.deepEqual(options.bibliography, ['[x](command:y)']);
  });
});
