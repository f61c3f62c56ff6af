import assert from 'node:assert/strict';
import { generateLibrary, prng } from '../../bench/generate';
import { CacheFormatError, decodeValue, encodeInSlices, encodeListInSlices, encodeValue, LazyList } from '../../src/core/cache/codec';
import { checksum, readContainer, writeContainer } from '../../src/core/cache/container';
import { decodeCachedIndex, decodeCachedLibrary, decodeLibraryCache, decodeOverview, encodeLibraryCache, extrasFingerprint, LIBRARY_CACHE_FORMAT, libraryCacheHeadLength, openLibraryCache, type AsciiDecoder, type LibraryCacheContent, type LibraryCacheLayout } from '../../src/core/cache/libraryCache';
import { SearchIndex } from '../../src/core/search';
import { decodeIndex, encodeIndex } from '../../src/core/search/transfer';
import { treg } from './paperFixtures';
import { finished } from '../../src/core/search/builder';
import type { Paper } from '../../src/core/model';
import { groupPaperCount, groupPapers, isGroupSummaryList, summarizeGroups } from '../../src/core/grouping';
import { isLibraryOverview, isPaperLike, withoutPapers, withPapers, type CachedLibrary } from '../../src/services/libraryCacheState';

const roundTrip = (value: unknown) => decodeValue(encodeValue(value));

function joined(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

function fileOf(content: LibraryCacheContent): Uint8Array {
  const steps = encodeLibraryCache(content, 3);
  for (;;) {
    const step = steps.next();
    if (step.done) return joined(step.value);
  }
}

const hostile = [
  '[Click me](command:x)',
  '<img src=x onerror=alert(1)>',
  '__init__',
  '*x*',
  'x'.repeat(100_000),
  'Müller – “quotes” · 日本語 · 🎉 emoji',
  '',
  '\u0000\u0001 separators \n\t',
  'lone surrogate \ud800 kept',
];

describe('library cache format', () => {
  describe('values', () => {
    it('round-trips plain data: every kind of value, hostile and long strings, key order', () => {
      const value = {
        strings: hostile,
        numbers: [0, 1, -1, 2 ** 27, 2 ** 31, -(2 ** 40), 1.5, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Infinity, -Infinity, NaN],
        flags: [true, false, null, undefined],
        nested: { b: 1, a: { z: [[], {}], y: 'y' } },
        explicitUndefined: undefined,
      };
      const back = roundTrip(value) as typeof value;
      assert.deepEqual(back, value);
      assert.deepEqual(Object.keys(back.nested), ['b', 'a']);
      assert.ok('explicitUndefined' in back);
      assert.ok(Object.is((roundTrip([-0]) as number[])[0], -0));
    });

    it('keeps "__proto__" an own property, as JSON.parse does, and never a prototype', () => {
      const value = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c", "key": "k"}') as Record<string, unknown>;
      const back = roundTrip(value) as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(back), Object.prototype);
      assert.deepEqual(Object.keys(back), ['__proto__', 'constructor', 'key']);
      assert.deepEqual(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, { polluted: true });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('brings an object met twice back shared, cycles included', () => {
      const record = { type: 'article' };
      const cycle: Record<string, unknown> = { name: 'loop' };
      cycle.self = cycle;
      const back = roundTrip({ a: { record }, b: { record }, cycle }) as { a: { record: object }; b: { record: object }; cycle: Record<string, unknown> };
      assert.equal(back.a.record, back.b.record);
      assert.equal(back.cycle.self, back.cycle);
    });

    it('gives array holes back as undefined', () => {
      // eslint-disable-next-line no-sparse-arrays
      assert.deepEqual(roundTrip([1, , 3]), [1, undefined, 3]);
    });

    it('refuses what is not plain data, saying what', () => {
      for (const [value, what] of [[new Map(), 'Map'], [new Date(0), 'Date'], [() => 1, 'function'], [Symbol('s'), 'symbol'], [1n, 'bigint']] as const) {
        assert.throws(() => encodeValue({ value }), (error: Error) => error instanceof CacheFormatError && error.message.includes(what));
      }
    });

    it('round-trips a generated library, pausing between slices', () => {
      const library = generateLibrary(300);
      const steps = encodeInSlices(library, 1000);
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      assert.ok(pauses > 10, `${pauses} pauses`);
      assert.deepEqual(decodeValue(step.value), library);
      assert.ok(step.value.chunks.length > 1, 'the strings span several chunks');
    });

    it('throws CacheFormatError on inconsistent columns', () => {
      const encoded = encodeValue({ a: ['x', 'y'] });
      assert.throws(() => decodeValue({ ...encoded, tape: encoded.tape.subarray(0, encoded.tape.length - 1) }), CacheFormatError);
      assert.throws(() => decodeValue({ ...encoded, stringLengths: encoded.stringLengths.map((length) => length + 1) }), CacheFormatError);
      assert.throws(() => decodeValue({ ...encoded, chunks: [] }), CacheFormatError);
      assert.throws(() => decodeValue({ ...encoded, shapes: Int32Array.of(5, 0) }), CacheFormatError);
    });
  });

  describe('lists', () => {
    const encodeList = (items: readonly unknown[], value: unknown = null) => finished(encodeListInSlices(items, value, 7));
    const any = (_item: unknown): _item is unknown => true;

    it('decodes each item alone, in any order, once; shared objects are shared within an item only', () => {
      const shared = { given: 'Ada', family: 'Lovelace' };
      const items = [{ key: 'a', authors: [shared, shared] }, { key: 'b', authors: [shared], title: hostile.join(' ') }, { key: 'c', n: [1.5, -2, null, undefined, true] }];
      const list = new LazyList(encodeList(items), any);
      assert.equal(list.length, 3);
      const last = list.at(2);
      assert.deepEqual(last, items[2]);
      assert.equal(list.at(2), last, 'decoded once');
      const first = list.at(0) as { authors: object[] };
      assert.deepEqual(first, items[0]);
      assert.equal(first.authors[0], first.authors[1], 'shared within the item');
      const second = list.at(1) as { authors: object[] };
      assert.deepEqual(second, items[1]);
      assert.notEqual(second.authors[0], first.authors[0], 'a copy in each item');
      assert.throws(() => list.at(3), RangeError);
    });

    it('decodes all items in slices, keeping those decoded already, and lets go of its data', () => {
      const { papers } = generateLibrary(50);
      const list = new LazyList(encodeList(papers), any);
      const early = list.at(20);
      const steps = list.all(10);
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      assert.equal(pauses, 5);
      assert.deepEqual(step.value, papers);
      assert.equal(step.value[20], early, 'the paper a search showed is the library’s');
      assert.equal(list.at(3), step.value[3]);
    });

    it('refuses an item of the wrong shape, and starts that do not cover the data', () => {
      const encoded = encodeList([{ key: 'a' }, { title: 'b' }]);
      const list = new LazyList(encoded, (item): item is { key: string } => typeof (item as { key?: unknown }).key === 'string');
      assert.deepEqual(list.at(0), { key: 'a' });
      assert.throws(() => list.at(1), (error: Error) => error instanceof CacheFormatError && /item 1/.test(error.message));
      const end = encoded.tape.length;
      for (const starts of [Int32Array.of(), Int32Array.of(1, end - 1), Int32Array.of(0, 0, end - 1), Int32Array.of(0, 2, end)]) {
        assert.throws(() => new LazyList({ ...encoded, starts }, any), CacheFormatError, `starts ${[...starts].join()}`);
      }
      // Starts inside an item: its words do not end where the next begins.
      assert.throws(() => new LazyList({ ...encoded, starts: Int32Array.of(0, 1, end - 1) }, any).at(0), CacheFormatError);
    });

    it('gives the value after the items last, its objects of items shared with them, and then lets go', () => {
      const authors = [{ given: 'Ada', family: 'Lovelace' }];
      const record = { type: 'article', author: authors };
      const items = [{ key: 'a', authors, record }, { key: 'b', authors: [] }];
      // A file's parse: another paper object, the same authors and record, and an object of its own.
      const value = { files: [{ papers: [{ paper: { ...items[0], line: 3 } }, { paper: items[1].authors }] }], own: { n: 1 } };
      const encoded = encodeList(items, value);
      const list = new LazyList(encoded, any);
      interface Parsed {
        files: { papers: { paper: { authors?: unknown; record?: { author: unknown } } }[] }[];
      }
      const back = list.value() as Parsed;
      assert.deepEqual(back, value);
      const first = list.at(0) as (typeof items)[0];
      assert.equal(back.files[0].papers[0].paper.authors, first.authors, 'shared with the item');
      assert.equal(back.files[0].papers[0].paper.record, first.record);
      assert.equal(back.files[0].papers[0].paper.record?.author, first.authors);
      assert.equal(back.files[0].papers[1].paper, (list.at(1) as (typeof items)[1]).authors);
      assert.throws(() => list.value(), /let go/);
      // A reference to an object an item does not have.
      const words = Array.from(encoded.tape);
      const at = words.findIndex((word) => (word & 15) === 11);
      assert.ok(at > 0, 'the value refers to the items');
      const wrong = Int32Array.from(words, (word, k) => (k === at + 1 ? 99 * 16 + 4 : word));
      assert.throws(() => new LazyList({ ...encoded, tape: wrong }, any).value(), (error: Error) => error instanceof CacheFormatError && /object 99 of item/.test(error.message));
    });
  });

  describe('checksum', () => {
    it('changes with any one byte changed, and with the length', () => {
      const bytes = new Uint8Array(64).map((_, k) => k * 7);
      const base = checksum(bytes);
      for (let k = 0; k < bytes.length; k++) {
        const changed = bytes.slice();
        changed[k] ^= 1;
        assert.notEqual(checksum(changed), base, `byte ${k}`);
      }
      assert.notEqual(checksum(new Uint8Array(8)), checksum(new Uint8Array(9)));
    });
  });

  it('gives the same checksum to the same bytes wherever they lie in memory', () => {
    const bytes = new TextEncoder().encode('a checksum of whole words and a tail'.repeat(5));
    for (let shift = 1; shift < 8; shift++) {
      const shifted = new Uint8Array(bytes.length + shift);
      shifted.set(bytes, shift);
      assert.equal(checksum(shifted.subarray(shift)), checksum(bytes), `shifted by ${shift}`);
    }
  });

  describe('file', () => {
    const library = generateLibrary(80);
    const index = SearchIndex.build(library.papers, library.topics);
    const content: LibraryCacheContent = { meta: { inputs: 'key', version: '1.2.3' }, value: { topics: library.topics }, papers: library.papers, index: encodeIndex(index.indexData) };

    it('round-trips the library and its search index, which answers as the one it was made from', () => {
      const back = decodeLibraryCache(fileOf(content));
      assert.deepEqual(back.meta, content.meta);
      assert.deepEqual(back.value, content.value);
      assert.deepEqual(back.papers, library.papers);
      assert.ok(back.index);
      const data = finished(decodeIndex(back.index, Number.POSITIVE_INFINITY));
      const restored = SearchIndex.fromData(back.papers as Paper[], data);
      for (const query of ['credit assignment', 'credt asignment', 'zhou', '2412.02685', 'reward model']) {
        assert.deepEqual(
          restored.search(query).map((result) => result.paper.key),
          index.search(query).map((result) => result.paper.key),
          query,
        );
      }
    });

    it('answers a search from the papers it decodes on the way, before the others are', () => {
      const file = fileOf(content);
      const opened = openLibraryCache(file, file.length);
      assert.ok(opened.indexRange);
      const decoded = new Set<number>();
      const list = decodeCachedLibrary(opened, file.slice(opened.libraryRange.from, opened.libraryRange.to), (item): item is Paper => typeof (item as Paper).key === 'string');
      const papers = { length: list.length, at: (k: number) => (decoded.add(k), list.at(k)) };
      const lazy = SearchIndex.fromData(papers, finished(decodeIndex(decodeCachedIndex(opened, file.slice(opened.indexRange.from, opened.indexRange.to))!, 1000)));
      const query = 'credit assignment';
      const results = lazy.search(query, { limit: 5 });
      assert.deepEqual(results.map((result) => result.paper), index.search(query, { limit: 5 }).map((result) => result.paper));
      assert.ok(decoded.size > 0 && decoded.size < library.papers.length, `${decoded.size} of ${library.papers.length} papers decoded`);
      assert.deepEqual(lazy.first(3), library.papers.slice(0, 3));
    });

    it('reads in parts: the head, then the overview before the rest, each part checked on its own', () => {
      const overview = { groups: [{ id: 'topic:a', label: 'A [Click me](command:x)', count: 80 }] };
      const file = fileOf({ ...content, overview });
      const opened = openLibraryCache(file.subarray(0, libraryCacheHeadLength(file.subarray(0, 16))), file.length);
      assert.deepEqual(opened.meta, content.meta);
      assert.ok(opened.overviewRange && opened.indexRange);
      assert.ok(opened.overviewRange.to <= opened.libraryRange.from && opened.libraryRange.to <= opened.indexRange.from, 'the overview first, the index last');
      // Each part in a buffer of its own, as the extension reads them.
      const part = (range: { from: number; to: number }) => file.slice(range.from, range.to);
      assert.deepEqual(decodeOverview(opened, part(opened.overviewRange)), overview);
      const valueOf = (opened: LibraryCacheLayout, bytes: Uint8Array, ascii?: AsciiDecoder) => decodeCachedLibrary(opened, bytes, (_item): _item is unknown => true, ascii).value();
      assert.deepEqual(valueOf(opened, part(opened.libraryRange)), content.value);
      assert.deepEqual(decodeCachedIndex(opened, part(opened.indexRange))?.gramWords, content.index?.gramWords);
      // With a faster decoder of ASCII chunks (the extension's), the same value; the other chunks are decoded as UTF-8.
      const asked: number[] = [];
      const latin1 = (bytes: Uint8Array) => (asked.push(bytes.length), Buffer.from(bytes).toString('latin1'));
      const mixed = { ascii: 'plain text '.repeat(20), other: hostile, papers: library.papers };
      const mixedFile = fileOf({ meta: null, value: mixed });
      const mixedOpened = openLibraryCache(mixedFile, mixedFile.length);
      assert.deepEqual(valueOf(mixedOpened, mixedFile.slice(mixedOpened.libraryRange.from, mixedOpened.libraryRange.to), latin1), mixed);
      assert.ok(asked.length > 0, 'the ASCII chunks went to it');
      // A corrupt value leaves the overview readable (it was checked on its own) and is refused itself.
      const corrupt = file.slice();
      corrupt[opened.libraryRange.from + 5] ^= 1;
      assert.deepEqual(decodeOverview(opened, corrupt.slice(opened.overviewRange.from, opened.overviewRange.to)), overview);
      assert.throws(() => valueOf(opened, corrupt.slice(opened.libraryRange.from, opened.libraryRange.to)), CacheFormatError);
      assert.throws(() => valueOf(opened, part(opened.libraryRange).subarray(1)), /truncated/, 'a part read short');
      assert.throws(() => openLibraryCache(file, file.length - 1), /truncated/, 'a file shorter than its head says');
      assert.throws(() => openLibraryCache(file, file.length + 8), /bytes more than its sections/);
    });

    it('holds a paper with its record and hostile text as it was', () => {
      const paper = { ...treg, title: hostile.join(' '), abstract: hostile[4] };
      assert.deepEqual(decodeLibraryCache(fileOf({ meta: null, value: [paper] })).value, [paper]);
      // Among the papers, and in the value beside them, which gets the paper itself back.
      const back = decodeLibraryCache(fileOf({ meta: null, value: { first: paper }, papers: [treg, paper] }));
      assert.deepEqual(back.papers, [treg, paper]);
      assert.equal((back.value as { first: unknown }).first, back.papers?.[1]);
    });

    it('is refused when its format version is another', () => {
      const file = fileOf(content);
      new DataView(file.buffer).setUint32(8, LIBRARY_CACHE_FORMAT + 1, true);
      assert.throws(() => decodeLibraryCache(file), (error: Error) => error instanceof CacheFormatError && error.message === `the file has format ${LIBRARY_CACHE_FORMAT + 1}, not ${LIBRARY_CACHE_FORMAT}`);
    });

    it('is refused when it is not a cache file', () => {
      for (const bytes of [new Uint8Array(0), new TextEncoder().encode('{"papers": []}'), new Uint8Array(4096).fill(0x41)]) {
        assert.throws(() => decodeLibraryCache(bytes), CacheFormatError);
      }
    });

    it('is refused when it is another container (sections missing)', () => {
      const other = joined(writeContainer(LIBRARY_CACHE_FORMAT, { meta: {} }, [{ name: 'tape', bytes: new Uint8Array(8) }]));
      assert.throws(() => decodeLibraryCache(other), (error: Error) => error instanceof CacheFormatError && /lacks section/.test(error.message));
    });

    const small: LibraryCacheContent = {
      meta: { small: true },
      value: { topics: ['x'] },
      papers: [{ key: 'a', title: 'Tiny', topics: ['x'] }, { key: 'b', title: 'Tinier', topics: [] }],
      overview: { groups: [{ id: 'topic:x', label: 'X', count: 1 }] },
    };

    it('is refused when truncated at any byte', () => {
      const file = fileOf(small);
      assert.ok(file.length < 4000, `${file.length} bytes`);
      for (let length = 0; length < file.length; length++) {
        assert.throws(() => decodeLibraryCache(file.slice(0, length)), CacheFormatError, `truncated to ${length} bytes`);
      }
      assert.doesNotThrow(() => decodeLibraryCache(file));
    });

    it('is refused when any one byte is corrupt', () => {
      const file = fileOf({ ...small, index: content.index, papers: library.papers });
      for (const bytes of [fileOf(small)]) {
        for (let at = 0; at < bytes.length; at++) {
          const corrupt = bytes.slice();
          corrupt[at] ^= 0x10;
          assert.throws(() => decodeLibraryCache(corrupt), CacheFormatError, `byte ${at} changed`);
        }
      }
      // The larger file with an index: random corruption, seeded, one to eight bytes at a time.
      const random = prng(15);
      for (let trial = 0; trial < 300; trial++) {
        const corrupt = file.slice();
        for (let count = 1 + Math.floor(random() * 8); count > 0; count--) corrupt[Math.floor(random() * corrupt.length)] ^= 1 + Math.floor(random() * 255);
        if (corrupt.every((byte, k) => byte === file[k])) continue;
        assert.throws(() => decodeLibraryCache(corrupt), CacheFormatError, `trial ${trial}`);
      }
    });

    it('keeps its sections readable in place from an unaligned buffer', () => {
      const file = fileOf(content);
      const shifted = new Uint8Array(file.length + 3);
      shifted.set(file, 3);
      assert.deepEqual(readContainer(shifted.subarray(3), LIBRARY_CACHE_FORMAT).meta, readContainer(file, LIBRARY_CACHE_FORMAT).meta);
    });
  });

  describe('overview', () => {
    it("summarizes the tree's topic rows: the same rows and counts (each paper once under a parent), no papers", () => {
      const library = generateLibrary(300);
      // A sub-topic, so that a parent's count must not count a paper of both twice.
      const topics = [...library.topics, { id: 'sub', label: 'Sub-topic <img src=x onerror=alert(1)>', description: '', parent: library.topics[0].id }];
      const papers = library.papers.map((paper, at) => (at % 7 === 0 ? { ...paper, topics: [library.topics[0].id, 'sub'] } : paper));
      const groups = groupPapers(papers, 'topic', topics);
      const summary = summarizeGroups(groups);
      assert.ok(isGroupSummaryList(summary));
      const rows = (list: readonly { id: string; label: string; children?: unknown[] }[], count: (at: number) => number): unknown[] =>
        list.map((group, at) => [group.id, group.label, count(at)]);
      assert.deepEqual(rows(summary, (at) => summary[at].count), rows(groups, (at) => groupPaperCount(groups[at])));
      const parent = summary.find((group) => group.children?.length);
      assert.ok(parent?.children, 'the sub-topic is under its parent');
      assert.equal(parent.children[0].label, topics[topics.length - 1].label);
      assert.ok(!JSON.stringify(summary).includes('"papers"'), 'no papers in it');
      assert.deepEqual(roundTrip(summary), summary);
    });

    it('is refused when any field the view reads has another shape', () => {
      const good = { groupBy: 'topic', groups: [{ id: 'topic:a', label: 'A', count: 2, topic: { id: 'a', label: 'A' }, children: [{ id: 'topic:b', label: 'B', count: 1 }] }], files: [{ setting: 'a.bib', path: '/x/a.bib', papers: 2, merged: [{ line: 1, key: 'k', title: 't', message: 'm' }], skipped: [{ line: 3, message: 'bad' }] }] };
      assert.ok(isLibraryOverview(good));
      const broken: unknown[] = [
        { ...good, groupBy: 'year' },
        { ...good, groups: [{ id: 'topic:a', label: 'A' }] },
        { ...good, groups: [{ id: 'topic:a', label: 'A', count: -1 }] },
        { ...good, groups: [{ id: 'topic:a', label: 'A', count: 1, children: [{ id: 3, label: 'B', count: 1 }] }] },
        { ...good, groups: [{ id: 'topic:a', label: 'A', count: 1, topic: { id: 'a' } }] },
        { ...good, files: [{ ...good.files[0], merged: [{ line: 1 }] }] },
        { ...good, files: [{ ...good.files[0], path: 7 }] },
        { ...good, files: undefined },
        null,
        [],
      ];
      for (const value of broken) assert.ok(!isLibraryOverview(value), JSON.stringify(value));
    });
  });

  it('keeps a cached library beside its papers, and puts them back only into a value of the right shape', () => {
    const library = generateLibrary(40);
    const cached: CachedLibrary = { files: [], assembled: { library, problems: [], outcomes: [] } };
    const value = withoutPapers(cached);
    assert.ok(!JSON.stringify(value).includes(library.papers[0].title), 'no paper in the value');
    const back = withPapers(roundTrip(value), library.papers, 0);
    assert.deepEqual(back, cached);
    assert.equal(back?.assembled.library.papers, library.papers);
    assert.equal(withPapers(roundTrip(value), library.papers, 1), undefined, 'an outcome missing');
    assert.equal(withPapers({ files: [] }, library.papers, 0), undefined);
    assert.equal(withPapers(null, library.papers, 0), undefined);
    const notPaper = { key: 'x', title: 7, topics: [], authors: [] };
    assert.ok(!isPaperLike(notPaper));
    assert.equal(withPapers(roundTrip(value), [...library.papers, notPaper as never], 0), undefined);
  });

  it('fingerprints the tags of the reading state, in any order, empty tags counting as none', () => {
    const none = extrasFingerprint([]);
    assert.equal(extrasFingerprint([['a', []]]), none);
    const tagged = extrasFingerprint([['a', ['rlhf']], ['b', ['x', 'y']]]);
    assert.notEqual(tagged, none);
    assert.equal(extrasFingerprint([['b', ['x', 'y']], ['c', []], ['a', ['rlhf']]]), tagged);
    assert.notEqual(extrasFingerprint([['a', ['rlhf']], ['b', ['y', 'x']]]), tagged, 'the order of the tags is what the index holds');
    assert.notEqual(extrasFingerprint([['a', ['rlhf']], ['b', ['x y']]]), tagged);
    assert.notEqual(extrasFingerprint([['b', ['rlhf']], ['a', ['x', 'y']]]), tagged);
  });
});
