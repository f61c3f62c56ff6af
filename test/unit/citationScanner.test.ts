import assert from 'node:assert/strict';
import {
  citationAt,
  citationKeyBeingTyped,
  editKeepsCitations,
  encodeFormattedKey,
  escapeFormattedText,
  formattedCitationMarkdown,
  scanCitations,
  textEdit,
  type Citation,
  type TextEdit,
} from '../../src/core/citationScanner';
import { prng } from '../../bench/generate';

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

describe('formatted citations', () => {
  const keysOf = (md: string) => scanCitations(md).map((c) => c.key);

  it('finds the keys of a formatted citation with the offsets of each key, the link and its text', () => {
    const md = 'Intro.\nAs [(W. Zhou et al., 2024; Y. Zhou et al., 2024)](#litnotes:zhou2024treg;zhou2024archer) show.';
    const citations = scanCitations(md);
    assert.deepEqual(citations.map((c) => c.key), ['zhou2024treg', 'zhou2024archer']);
    const [first, second] = citations;
    assert.equal(md.slice(first.start, first.end), 'zhou2024treg');
    assert.equal(md.slice(second.keyStart, second.keyEnd), 'zhou2024archer');
    assert.deepEqual([first.line, first.column], [1, md.split('\n')[1].indexOf('zhou2024treg')]);
    assert.equal(first.formatted, second.formatted, 'one formatted citation');
    const formatted = first.formatted!;
    assert.equal(md.slice(formatted.start, formatted.end), '[(W. Zhou et al., 2024; Y. Zhou et al., 2024)](#litnotes:zhou2024treg;zhou2024archer)');
    assert.equal(md.slice(formatted.textStart, formatted.textEnd), '(W. Zhou et al., 2024; Y. Zhou et al., 2024)');
    assert.deepEqual(formatted.keys, ['zhou2024treg', 'zhou2024archer']);
    assert.equal(first.group, undefined);
  });

  it('returns formatted and Pandoc citations together in document order', () => {
    const md = `[@a] ${formattedCitationMarkdown('[1]', ['b'])} @c ${formattedCitationMarkdown('(D, 2020)', ['d', 'a'])} [see @e, p. 2]`;
    assert.deepEqual(keysOf(md), ['a', 'b', 'c', 'd', 'a', 'e']);
    assert.equal(scanCitations(md).at(-1)?.locator, 'p. 2');
  });

  it('writes escaped brackets, so an IEEE number cannot become a reference link, and reads them back', () => {
    const md = `See ${formattedCitationMarkdown('[1], [2]', ['a', 'b'])}.\n\n[1]: https://example.org`;
    assert.ok(md.startsWith('See [\\[1\\], \\[2\\]](#litnotes:a;b).'));
    const [citation] = scanCitations(md);
    assert.equal(md.slice(citation.formatted!.textStart, citation.formatted!.textEnd), '\\[1\\], \\[2\\]');
    assert.deepEqual(keysOf(md), ['a', 'b']);
  });

  it('survives edits inside the text: words, nested brackets, line breaks, even @ and a Pandoc group', () => {
    assert.deepEqual(keysOf('[(Zhou et al., 2024, p. 3 [my note])](#litnotes:k)'), ['k']);
    assert.deepEqual(keysOf('[(Zhou\net al., 2024)](#litnotes:k)'), ['k']);
    assert.deepEqual(keysOf('[(see @other and [@group])](#litnotes:k)'), ['k'], 'what is typed into the text is no citation');
    assert.deepEqual(keysOf('[(Zhou \\] et al.)](#litnotes:k)'), ['k'], 'an escaped bracket does not end the text');
  });

  it('reads keys that need encoding, and writes every key so that it reads back', () => {
    const keys = ['plain2024', 'with space', 'semi;colon', 'per%cent', 'paren(1)', 'ünïcødé:x/y', 'brack[et]', "quote's*!"];
    const md = formattedCitationMarkdown('(x)', keys);
    assert.deepEqual(keysOf(md), keys);
    assert.equal(encodeFormattedKey('semi;colon (1)'), 'semi%3Bcolon%20%281%29');
    assert.deepEqual(keysOf('[x](#litnotes:bad%zz;%20;;ok)'), ['bad%zz', 'ok'], 'a broken escape is read as written; empty keys are skipped');
  });

  it('is not fooled by images, escaped links, ordinary links, blank lines, code and comments', () => {
    assert.deepEqual(keysOf('![figure](#litnotes:img)'), []);
    assert.deepEqual(keysOf('\\[not a link](#litnotes:esc)'), []);
    assert.deepEqual(keysOf('[x]\\(#litnotes:esc)'), []);
    assert.deepEqual(keysOf('[x](#litnotes)  [y](#other:k) [z](https://example.org/#litnotes:k)'), []);
    assert.deepEqual(keysOf('[para one\n\npara two](#litnotes:k)'), []);
    assert.deepEqual(keysOf('`[x](#litnotes:code)` <!-- [x](#litnotes:comment) -->\n```\n[x](#litnotes:fenced)\n```'), []);
    assert.deepEqual(keysOf('[x](#litnotes:k "a title")'), [], 'only the form Lit Notes writes');
  });

  it('escapes the text so that no paper text becomes markup, HTML, math or a citation', () => {
    assert.equal(
      escapeFormattedText('[Click me](command:x) <img src=x onerror=alert(1)> __init__ *x* `c` $m$ ^s^ ~t~ a|b @key &amp; \\ R&D'),
      '\\[Click me\\](command:x) \\<img src=x onerror=alert(1)> \\_\\_init\\_\\_ \\*x\\* \\`c\\` \\$m\\$ \\^s\\^ \\~t\\~ a\\|b \\@key \\&amp; \\\\ R&D',
    );
    assert.equal(escapeFormattedText('  (Zhou\n  et al., 2024) '), '(Zhou et al., 2024)');
    const long = formattedCitationMarkdown('*'.repeat(100_000), ['k']);
    assert.ok(long.length < 2100 && long.includes('\\*…]'), 'a 100,000-character text is cut short');
    assert.deepEqual(keysOf(long), ['k'], 'and its key reads back');
    assert.deepEqual(keysOf(`[${'x'.repeat(5000)}](#litnotes:k)`), [], 'a text longer than any citation is not read as one');
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

  it('gives the first key of a formatted citation anywhere in its link, and each key on the key', () => {
    const md = 'See [(A; B)](#litnotes:a;b) now';
    const citations = scanCitations(md);
    assert.equal(citationAt(citations, md.indexOf('(A'))?.key, 'a');
    assert.equal(citationAt(citations, md.indexOf(';b') + 1)?.key, 'b');
    assert.equal(citationAt(citations, md.indexOf(' now')), undefined);
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

describe('editKeepsCitations', () => {
  const NOTE = [
    'Intro words here [@a; see @b, p. 3] and @c says, mail x@y.org, @fig:one, \\@esc, well-known.',
    '',
    'Plain prose of several words in a row, nothing else at all; and more of it.',
    '@d [p. 4] then [-@e] and [link @f](https://x.org) and ![img @g](x.png) and [plain] (x).',
    '   ```',
    '[@code] fenced',
    '```',
    'Span `[@span]` here and <!-- [@comment] --> there.',
    '[(Zhou, 2024)](#litnotes:zhou2024) formatted and [broken',
    '',
    'text](#litnotes:other) after a blank line.',
    '<!-- litnotes:references -->',
    '[@listed]',
    '<!-- /litnotes:references -->',
    'End @{braced key} and @h, [see',
    'more @i].',
  ].join('\n');

  /** What the scanner found, with every offset moved past the edit as the edit moves the text. */
  const found = (text: string, edit?: TextEdit) => {
    const move = (at: number) => (edit && at >= edit.oldEnd ? at + edit.newEnd - edit.oldEnd : at);
    return scanCitations(text).map((c) => ({
      key: c.key,
      at: [c.start, c.end, c.keyStart, c.keyEnd].map(move),
      group: c.group && [c.group.start, c.group.end].map(move),
      formatted: c.formatted && [c.formatted.start, c.formatted.end, c.formatted.textStart, c.formatted.textEnd].map(move),
      prefix: c.prefix,
      locator: c.locator,
      suppressAuthor: c.suppressAuthor,
    }));
  };
  const spans = (text: string) => scanCitations(text).map((c) => c.formatted ?? c.group ?? c);
  const keeps = (before: string, after: string) => editKeepsCitations(before, after, textEdit(before, after)!, spans(before));

  it('finds the one edit between two texts', () => {
    assert.equal(textEdit('same', 'same'), undefined);
    assert.deepEqual(textEdit('abcdef', 'abXYef'), { start: 2, oldEnd: 4, newEnd: 4 });
    assert.deepEqual(textEdit('aaaa', 'aaaaa'), { start: 4, oldEnd: 4, newEnd: 5 });
    const long = 'x'.repeat(5000);
    assert.deepEqual(textEdit(`${long}a${long}`, `${long}${long}`), { start: 5000, oldEnd: 5001, newEnd: 5000 });
  });

  it('keeps them for words typed outside every citation, a line break included', () => {
    assert.ok(keeps(NOTE, NOTE.replace('Intro words', 'Intro new words')));
    assert.ok(keeps(NOTE, NOTE.replace('Intro words', 'Intro\nwords')));
    assert.ok(keeps(NOTE, NOTE.replace('Plain prose', 'Plain\n\nprose')));
    assert.ok(keeps(NOTE, NOTE.replace('Intro words here', 'Intro here')));
  });

  it('scans again for an edit next to or inside a citation, or one that may make or break one', () => {
    for (const [from, to] of [
      ['and @c says', 'and @cx says'], // the key itself
      ['here [@a', 'herex[@a'], // next to the group
      ['see @b, p. 3]', 'see @b, px. 3]'], // inside the group, between its words
      ['mail x@y.org', 'mail @y.org'], // an e-mail address becomes a key
      ['@fig:one', '@fg:one'], // a cross-reference label becomes a key
      ['\\@esc', '@esc'],
      ['   ```', '    ```'], // a fence no longer
      ['<!-- litnotes:references -->', '<!-- litnotes:reference -->'],
      ['\n\ntext](#litnotes:other)', '\nx\ntext](#litnotes:other)'], // the blank line that stopped a formatted citation
      ['[broken', '[broken @j'],
      ['[plain] (x)', '[plain](x)'],
    ]) {
      assert.ok(NOTE.includes(from), from);
      assert.equal(keeps(NOTE, NOTE.replace(from, to)), false, `${from} → ${to}`);
    }
  });

  it('never keeps them when the scanner finds something else (random edits)', () => {
    const random = prng(12);
    const alphabet = 'ab -.,;:\n\n@[]`~<>{}\\!()#';
    let kept = 0;
    let scanned = 0;
    for (let run = 0; run < 3000; run++) {
      const at = Math.floor(random() * NOTE.length);
      const removed = random() < 0.4 ? 1 + Math.floor(random() * 3) : 0;
      const inserted = Array.from({ length: random() < 0.3 ? 0 : 1 + Math.floor(random() * 3) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const after = NOTE.slice(0, at) + inserted + NOTE.slice(at + removed);
      const edit = textEdit(NOTE, after);
      if (!edit) continue;
      if (!editKeepsCitations(NOTE, after, edit, spans(NOTE))) {
        scanned++;
        continue;
      }
      kept++;
      assert.deepEqual(found(after), found(NOTE, edit), JSON.stringify({ at, removed, inserted }));
    }
    // Both answers were tried often.
    assert.ok(kept > 250 && scanned > 1000, `${kept} kept, ${scanned} scanned again`);
  });
});
