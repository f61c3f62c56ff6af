import assert from 'node:assert/strict';
import {
  findCitedKeys,
  pandocSuppressBibliographyEdit,
  referencesUpdateEdit,
  REFERENCES_END,
  REFERENCES_START,
  resolveCitedPapers,
  upsertReferencesSection,
  type TextEdit,
} from '../../src/core/bibliography';
import type { Paper } from '../../src/core/model';
import { archer, journal, treg } from './paperFixtures';

function apply(text: string, edit: TextEdit): string {
  return text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset);
}

function upsert(text: string, entries: string[], options?: { heading?: string }): string {
  return apply(text, upsertReferencesSection(text, entries, options));
}

describe('findCitedKeys', () => {
  it('finds bracketed, grouped, located and bare citations in order of first appearance', () => {
    const md = [
      'As @zhou2024treg shows [see @zhou2024archer, p. 3; also -@doe2020:intro].',
      'Grouped [@b; @a] and again [@zhou2024treg].',
      '@start_of_line: yes, and (@paren) too.',
    ].join('\n');
    assert.deepEqual(findCitedKeys(md), ['zhou2024treg', 'zhou2024archer', 'doe2020:intro', 'b', 'a', 'start_of_line', 'paren']);
  });

  it('strips trailing punctuation but keeps internal punctuation', () => {
    assert.deepEqual(findCitedKeys('See @smith.2020. Or @a:b:c, then @x-y? End @end...'), ['smith.2020', 'a:b:c', 'x-y', 'end']);
  });

  it('reads braced keys', () => {
    assert.deepEqual(findCitedKeys('[@{https://example.org/x?y=1}; @{weird key}]'), ['https://example.org/x?y=1', 'weird key']);
  });

  it('ignores e-mail addresses, escaped @, URLs and cross-references', () => {
    const md = 'Mail jane.doe@example.org or \\@notakey, https://medium.com/@user/post, see @fig:plot and @real.';
    assert.deepEqual(findCitedKeys(md), ['real']);
  });

  it('ignores code spans, fenced code and comments', () => {
    const md = [
      'Inline `@code1` and ``a ` @code2`` but @kept1.',
      '```python',
      'x = "@code3"',
      '```',
      '~~~~',
      '@code4',
      '```',
      '~~~~',
      '<!-- [@commented] -->',
      '[@kept2]',
    ].join('\n');
    assert.deepEqual(findCitedKeys(md), ['kept1', 'kept2']);
  });

  it('treats an unclosed fence as code to the end', () => {
    assert.deepEqual(findCitedKeys('@a\n```\n@b\n'), ['a']);
  });

  it('skips the generated reference list', () => {
    const md = `[@a]\n\n## References\n\n${REFERENCES_START}\nDoe (2020) https://medium.com/x @b\n${REFERENCES_END}\n`;
    assert.deepEqual(findCitedKeys(md), ['a']);
  });
});

describe('resolveCitedPapers', () => {
  it('returns the known papers in citation order and the missing keys', () => {
    const library = new Map([treg, archer].map((p) => [p.key, p]));
    const result = resolveCitedPapers('[@zhou2024archer; @nobody2020] and @zhou2024treg', (key) => library.get(key));
    assert.deepEqual(result.papers, [archer, treg]);
    assert.deepEqual(result.missingKeys, ['nobody2020']);
  });
});

describe('upsertReferencesSection', () => {
  const entries = ['Zhou, W. (2024). T-REG.', 'Zhou, Y. (2024). ArCHer.'];
  const section = (list: string[], eol = '\n') =>
    [REFERENCES_START, ...list.flatMap((e, i) => (i ? ['', e] : [e])), REFERENCES_END].join(eol);

  it('appends a section with one blank line before it', () => {
    assert.equal(upsert('Text [@a].\n', entries), `Text [@a].\n\n## References\n\n${section(entries)}\n`);
    assert.equal(upsert('Text [@a].', entries), `Text [@a].\n\n## References\n\n${section(entries)}\n`);
    assert.equal(upsert('Text [@a].\n\n\n', entries), `Text [@a].\n\n\n## References\n\n${section(entries)}\n`);
    assert.equal(upsert('', entries, { heading: 'Bibliography' }), `## Bibliography\n\n${section(entries)}\n`);
  });

  it('appends with one edit at the end and nothing else', () => {
    const text = 'Text [@a].\n';
    const edit = upsertReferencesSection(text, entries);
    assert.equal(edit.startOffset, text.length);
    assert.equal(edit.endOffset, text.length);
  });

  it('replaces only what lies between the markers', () => {
    const before = `# Notes\n\n[@a]\n\n### My refs\n\n${section(['old entry'])}\n\nAfterword, untouched.\n`;
    const edit = upsertReferencesSection(before, entries);
    const after = apply(before, edit);
    assert.equal(after, `# Notes\n\n[@a]\n\n### My refs\n\n${section(entries)}\n\nAfterword, untouched.\n`);
    assert.equal(before.slice(0, edit.startOffset), before.slice(0, before.indexOf(REFERENCES_START) + REFERENCES_START.length));
    assert.equal(before.slice(edit.endOffset), before.slice(before.indexOf(REFERENCES_END)));
  });

  it('takes over an existing References heading up to the next heading of the same level', () => {
    const before = '# Paper\n\nBody.\n\n## References\n\n- hand-written ref\n\n### Sub of refs\n\nmore\n\n## Appendix\n\nA.\n';
    assert.equal(upsert(before, entries), `# Paper\n\nBody.\n\n## References\n\n${section(entries)}\n\n## Appendix\n\nA.\n`);
  });

  it('takes over a Bibliography heading at the end of the file, of any level', () => {
    assert.equal(upsert('Body.\n\n# Bibliography ##\nold', entries), `Body.\n\n# Bibliography ##\n\n${section(entries)}\n`);
    assert.equal(upsert('Body.\n\n#### references', entries), `Body.\n\n#### references\n\n${section(entries)}\n`);
  });

  it('ignores headings and markers inside code', () => {
    const before = `Body.\n\n\`\`\`md\n## References\n${REFERENCES_START}\n${REFERENCES_END}\n\`\`\`\n`;
    assert.equal(upsert(before, entries), `${before}\n## References\n\n${section(entries)}\n`);
  });

  it('keeps CRLF line endings', () => {
    const before = 'Text [@a].\r\n\r\n## References\r\n\r\nold\r\n\r\n## Next\r\n';
    const once = upsert(before, ['One', 'Two']);
    assert.equal(once, `Text [@a].\r\n\r\n## References\r\n\r\n${section(['One', 'Two'], '\r\n')}\r\n\r\n## Next\r\n`);
    assert.doesNotMatch(once, /[^\r]\n/);
    const appended = upsert('Text\r\n', entries);
    assert.doesNotMatch(appended, /[^\r]\n/);
  });

  it('is idempotent', () => {
    for (const start of ['Text.\n', 'Text.\n\n## References\n\nold\n\n## Next\n', 'x\r\n# Bibliography\r\n']) {
      const once = upsert(start, entries);
      const edit = upsertReferencesSection(once, entries);
      assert.equal(apply(once, edit), once);
      assert.equal(once.slice(edit.startOffset, edit.endOffset), edit.newText, 'the second edit changes nothing');
    }
  });

  it('writes an empty list, and the Markdown entries as given, one line each', () => {
    assert.equal(upsert('x\n', []), `x\n\n## References\n\n${REFERENCES_START}\n${REFERENCES_END}\n`);
    const once = upsert('x\n', ['Silver, D. (2016). Go. *Nature*. <https://doi.org/10.1038/nature16961>', 'A \\<img src=x>\nB']);
    assert.ok(once.includes(`${REFERENCES_START}\nSilver, D. (2016). Go. *Nature*. <https://doi.org/10.1038/nature16961>\n\nA \\<img src=x> B\n${REFERENCES_END}`), once);
  });
});

describe('referencesUpdateEdit', () => {
  const papers = [treg, archer, journal];
  const lookup = (key: string) => papers.find((paper) => paper.key === key);
  // A stand-in for the style: one line per paper, in citation order.
  const references = (cited: Paper[]) => cited.map((paper) => `Ref ${paper.key}`);
  const applyAll = (text: string, edits: TextEdit[]) => [...edits].sort((a, b) => b.startOffset - a.startOffset).reduce(apply, text);
  const note = `Intro [@zhou2024treg].\n\nMore: \n\n## References\n\n${REFERENCES_START}\nRef zhou2024treg\n${REFERENCES_END}\n`;

  it("updates Lit Notes' References list to what the note cites after the edits, as an edit of the same text", () => {
    const at = note.indexOf('More: ') + 'More: '.length;
    const citing: TextEdit = { startOffset: at, endOffset: at, newText: '[@silver2016mastering; @zhou2024archer]' };
    const update = referencesUpdateEdit(note, [citing], lookup, references);
    assert.ok(update);
    assert.equal(
      applyAll(note, [citing, update]),
      `Intro [@zhou2024treg].\n\nMore: [@silver2016mastering; @zhou2024archer]\n\n## References\n\n${REFERENCES_START}\nRef zhou2024treg\n\nRef silver2016mastering\n\nRef zhou2024archer\n${REFERENCES_END}\n`,
    );
  });

  it('changes nothing without a References list of its own, or when the list is up to date', () => {
    const at = note.indexOf('More: ') + 'More: '.length;
    const citing: TextEdit = { startOffset: at, endOffset: at, newText: '[@zhou2024archer]' };
    assert.equal(referencesUpdateEdit('Intro [@zhou2024treg].\n\n## References\n\nmy own list\n', [citing], lookup, references), undefined);
    assert.equal(referencesUpdateEdit(note, [], lookup, references), undefined);
    assert.equal(referencesUpdateEdit(note, [{ startOffset: at, endOffset: at, newText: 'again [@zhou2024treg]' }], lookup, references), undefined);
  });

  it('leaves the list alone when an edit reaches into it', () => {
    const inside = note.indexOf('Ref zhou2024treg');
    assert.equal(referencesUpdateEdit(note, [{ startOffset: inside, endOffset: inside, newText: '[@zhou2024archer]' }], lookup, references), undefined);
  });
});

describe('pandocSuppressBibliographyEdit', () => {
  const suppress = (text: string) => {
    const edit = pandocSuppressBibliographyEdit(text);
    return edit ? apply(text, edit) : text;
  };

  it('adds the line to the front matter, before its end', () => {
    assert.equal(suppress('---\ntitle: "A"\ntags: [x]\n---\n\nText [@a].\n'), '---\ntitle: "A"\ntags: [x]\nsuppress-bibliography: true\n---\n\nText [@a].\n');
    assert.equal(suppress('---\r\ntitle: A\r\n...\r\nText\r\n'), '---\r\ntitle: A\r\nsuppress-bibliography: true\r\n...\r\nText\r\n');
  });

  it('makes front matter where there is none, after a byte order mark', () => {
    assert.equal(suppress('# Note\n\nText [@a].\n'), '---\nsuppress-bibliography: true\n---\n\n# Note\n\nText [@a].\n');
    assert.equal(suppress('\uFEFFText\n'), '\uFEFF---\nsuppress-bibliography: true\n---\n\nText\n');
    // A thematic break that is never closed is not front matter.
    assert.equal(suppress('---\nText\n'), '---\nsuppress-bibliography: true\n---\n\n---\nText\n');
  });

  it("leaves the user's own choice, either way, and is idempotent", () => {
    for (const text of ['---\nsuppress-bibliography: false\n---\nText\n', '---\nsuppress-bibliography: true\n---\nText\n']) {
      assert.equal(pandocSuppressBibliographyEdit(text), undefined);
    }
    const once = suppress('---\ntitle: A\n---\nText\n');
    assert.equal(suppress(once), once);
  });
});
