import assert from 'node:assert/strict';
import { citationAt, citationKeyBeingTyped, scanCitations, type Citation } from '../../src/core/citationScanner';

const brief = (citations: Citation[]) =>
  citations.map((c) => ({ key: c.key, line: c.line, column: c.column, grouped: c.group !== undefined, prefix: c.prefix, locator: c.locator }));

describe('scanCitations', () => {
  it('gives each key with its offsets, line and column', () => {
    const md = 'Intro.\nAs @zhou2024treg shows [@zhou2024archer].';
    const [bare, grouped] = scanCitations(md);
    assert.equal(bare.key, 'zhou2024treg');
    assert.equal(md.slice(bare.start, bare.end), '@zhou2024treg');
    assert.equal(md.slice(bare.keyStart, bare.keyEnd), 'zhou2024treg');
    assert.deepEqual([bare.line, bare.column], [1, 3]);
    assert.equal(bare.group, undefined);
    assert.equal(md.slice(grouped.group!.start, grouped.group!.end), '[@zhou2024archer]');
    assert.deepEqual([grouped.line, grouped.column], [1, 24]);
  });

  it('reads prefixes, locators and several keys in one group', () => {
    const md = '[see @a, p. 3; also @b, chap. 2 and @c; -@d]';
    assert.deepEqual(brief(scanCitations(md)), [
      { key: 'a', line: 0, column: 5, grouped: true, prefix: 'see', locator: 'p. 3' },
      { key: 'b', line: 0, column: 20, grouped: true, prefix: 'also', locator: 'chap. 2 and' },
      { key: 'c', line: 0, column: 36, grouped: true, prefix: 'chap. 2 and', locator: '' },
      { key: 'd', line: 0, column: 41, grouped: true, prefix: '', locator: '' },
    ]);
    const citations = scanCitations(md);
    assert.equal(citations[3].suppressAuthor, true);
    assert.equal(new Set(citations.map((c) => c.group?.start)).size, 1, 'one group');
  });

  it('takes the key of a braced citation without its braces', () => {
    const md = 'x [@{weird key}, p. 2]';
    const [citation] = scanCitations(md);
    assert.equal(citation.key, 'weird key');
    assert.equal(md.slice(citation.keyStart, citation.keyEnd), 'weird key');
    assert.equal(md.slice(citation.start, citation.end), '@{weird key}');
    assert.equal(citation.locator, 'p. 2');
  });

  it('does not treat link text as a citation group', () => {
    const [citation] = scanCitations('[talk by @someone](https://example.org)');
    assert.equal(citation.key, 'someone');
    assert.equal(citation.group, undefined);
  });

  it('ignores e-mail addresses, escaped @, URLs and cross-references', () => {
    const keys = scanCitations('Mail jane.doe@example.org or \\@notakey, https://medium.com/@user/post, see @fig:plot and @real.').map((c) => c.key);
    assert.deepEqual(keys, ['real']);
  });

  it('ignores code spans and fenced code without moving line numbers', () => {
    const md = ['Inline `@code1` and ``a ` @code2``.', '```', '[@code3]', '```', '~~~', '@code4', '~~~', 'After [@kept]'].join('\n');
    const citations = scanCitations(md);
    assert.deepEqual(brief(citations), [{ key: 'kept', line: 7, column: 7, grouped: true, prefix: '', locator: '' }]);
  });

  it('counts columns of CRLF documents from the line start', () => {
    const [citation] = scanCitations('a\r\nb @x');
    assert.deepEqual([citation.line, citation.column], [1, 2]);
  });
});

describe('citationAt', () => {
  it('finds the citation under an offset, the end of the key included', () => {
    const md = 'See [@a; @bb] now';
    const citations = scanCitations(md);
    assert.equal(citationAt(citations, md.indexOf('@bb') + 3)?.key, 'bb');
    assert.equal(citationAt(citations, md.indexOf('@a'))?.key, 'a');
    assert.equal(citationAt(citations, md.indexOf('now')), undefined);
  });
});

describe('citationKeyBeingTyped', () => {
  const at = (text: string) => citationKeyBeingTyped(text.replace('|', ''), text.indexOf('|'));

  it('recognises a key being typed after [@, [see @, ; @ and -@', () => {
    assert.deepEqual(at('Text [@|'), { keyStart: 7, typed: '' });
    assert.deepEqual(at('Text [see @zho|'), { keyStart: 11, typed: 'zho' });
    assert.deepEqual(at('[@a; @b|]'), { keyStart: 6, typed: 'b' });
    assert.deepEqual(at('[-@x|'), { keyStart: 3, typed: 'x' });
  });

  it('stays quiet outside brackets, in e-mail addresses, closed groups and code', () => {
    assert.equal(at('mail jane@exa|'), undefined);
    assert.equal(at('no bracket @a|'), undefined);
    assert.equal(at('[@a] then @b|'), undefined);
    assert.equal(at('`x` and `[@a|`'), undefined);
    assert.equal(at('```\n[@a|'), undefined);
    assert.equal(at('[old\n\nnew @a|'), undefined);
  });
});
