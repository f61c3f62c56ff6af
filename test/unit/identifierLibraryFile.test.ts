import * as assert from 'node:assert/strict';
import { LibraryIndex, identityOfIdentifier, identityOfRecord, recordItem, recordPaper } from '../../src/core/identifiers/additions';
import { appendToBibtex, appendToCslJson, LibraryFileError, updateBibtexEntry, updateCslJsonItem } from '../../src/core/identifiers/libraryFile';
import type { FetchedRecord } from '../../src/core/identifiers/record';
import { toBibtex } from '../../src/core/bibtex';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { importCslJson } from '../../src/core/sources/cslJsonImport';
import type { Paper } from '../../src/core/model';
import { makePaper } from './paperFixtures';

const paper = (overrides: Partial<Paper>): Paper => makePaper({ key: 'k', title: 'Some Paper Title That Is Long Enough', ...overrides });

const RECORD: FetchedRecord = {
  type: 'article',
  title: 'Credit Where It Is Due: Token-Level Rewards',
  author: [{ family: 'Lovelace', given: 'Ada' }, { family: 'Schaar', given: 'Mihaela', 'non-dropping-particle': 'van der' }],
  issued: { 'date-parts': [[2025, 1, 2]] },
  publisher: 'arXiv',
  number: 'arXiv:2501.01234',
  DOI: '10.48550/arXiv.2501.01234',
  URL: 'https://arxiv.org/abs/2501.01234',
};
const ITEM = recordItem('lovelace2025credit', RECORD);

describe('appending to a CSL-JSON file', () => {
  it('keeps every byte of the file and its indentation (two spaces, four, tabs)', () => {
    for (const unit of ['  ', '    ', '\t']) {
      const text = `[\n${unit}{\n${unit}${unit}"id": "a",\n${unit}${unit}"type": "book",\n${unit}${unit}"title": "A"\n${unit}}\n]\n`;
      const result = appendToCslJson(text, ITEM, 'lib.json');
      assert.ok(result.startsWith(text.slice(0, text.lastIndexOf('}') + 1)), 'the items before are untouched');
      assert.ok(result.endsWith('\n]\n'));
      assert.ok(result.includes(`,\n${unit}{\n${unit}${unit}"id": "lovelace2025credit",\n${unit}${unit}"type": "article",`), JSON.stringify(result.slice(0, 200)));
      assert.deepEqual(JSON.parse(result), [{ id: 'a', type: 'book', title: 'A' }, ITEM]);
    }
  });

  it('keeps CRLF line endings, a byte order mark and a minified file as they are', () => {
    const crlf = '\uFEFF[\r\n  {"id": "a", "type": "book", "title": "A"}\r\n]\r\n';
    const result = appendToCslJson(crlf, ITEM, 'lib.json');
    assert.ok(result.startsWith('\uFEFF[\r\n  {"id": "a", "type": "book", "title": "A"},\r\n  {\r\n    "id": "lovelace2025credit"'));
    assert.ok(!/[^\r]\n/.test(result), 'no bare LF');
    const minified = '[{"id":"a","type":"book","title":"A"}]';
    assert.equal(appendToCslJson(minified, ITEM, 'lib.json'), `[{"id":"a","type":"book","title":"A"},${JSON.stringify(ITEM)}]`);
  });

  it('starts an empty file or an empty list', () => {
    for (const text of ['', '\n', '[]', '[]\n', '[\n]\n']) {
      assert.deepEqual(JSON.parse(appendToCslJson(text, ITEM, 'lib.json')), [ITEM], JSON.stringify(text));
    }
  });

  it('never writes into a file that does not parse, and says where it breaks', () => {
    const broken = '[\n  {"id": "a", "type": "book"\n  {"id": "b"}\n]';
    assert.throws(() => appendToCslJson(broken, ITEM, 'lib.json'), (error: unknown) => error instanceof LibraryFileError && /lib\.json is not valid JSON at line 3/.test(error.message) && /left as it is/.test(error.message));
    assert.throws(() => appendToCslJson('{"items": []}', ITEM, 'lib.json'), LibraryFileError);
  });

  it('writes hostile text as JSON strings only', () => {
    const hostile = recordItem('x2025', { ...RECORD, title: '"]}, {"id": "evil"} [Click me](command:x) <img src=x onerror=alert(1)>' });
    const result = appendToCslJson('[\n]\n', hostile, 'lib.json');
    assert.deepEqual(JSON.parse(result), [hostile]);
  });
});

describe('appending to a BibTeX file', () => {
  const entry = toBibtex(recordPaper('lovelace2025credit', RECORD));

  it('adds the entry after the last one and leaves everything before it byte for byte', () => {
    for (const text of ['@misc{a,\n  title = {A}\n}\n', '@misc{a,\n  title = {A}\n}', '@misc{a,\n  title = {A}\n}\n\n', '% comment only\n', '']) {
      const result = appendToBibtex(text, entry, 'lovelace2025credit', 'lib.bib');
      assert.ok(result.startsWith(text));
      assert.ok(result.endsWith('}\n'));
      assert.ok(!result.includes('\n\n\n'), JSON.stringify(result));
      const keys = importBibtex(result).papers.map((imported) => imported.paper.key);
      assert.equal(keys[keys.length - 1], 'lovelace2025credit');
    }
    const crlf = '@misc{a,\r\n  title = {A}\r\n}\r\n';
    assert.ok(!/[^\r]\n/.test(appendToBibtex(crlf, entry, 'lovelace2025credit', 'lib.bib')));
  });

  it('refuses a file whose last entry is unfinished, and not one with a broken entry before good ones', () => {
    const unfinished = '@misc{a,\n  title = {A}\n}\n\n@misc{b,\n  title = {never closed\n';
    assert.throws(() => appendToBibtex(unfinished, entry, 'lovelace2025credit', 'lib.bib'), (error: unknown) => error instanceof LibraryFileError && /unfinished entry \(line 5/.test(error.message));
    const brokenInMiddle = '@misc{b,\n  title = {never closed\n\n@misc{a,\n  title = {A}\n}\n';
    assert.ok(appendToBibtex(brokenInMiddle, entry, 'lovelace2025credit', 'lib.bib').startsWith(brokenInMiddle));
  });
});

describe('updating an entry in place', () => {
  it('replaces the variables of one CSL-JSON item and leaves the others as written', () => {
    const text = '[\n  {"id": "a", "type": "book", "title": "A"},\n  {\n    "id": "b",\n    "type": "article",\n    "title": "Old",\n    "publisher": "arXiv"\n  }\n]\n';
    const result = updateCslJsonItem(text, 'b', { title: 'New', publisher: undefined, 'container-title': 'J' }, 'lib.json');
    assert.ok(result.startsWith('[\n  {"id": "a", "type": "book", "title": "A"},\n  {\n    "id": "b",'));
    assert.deepEqual(JSON.parse(result)[1], { id: 'b', type: 'article', title: 'New', 'container-title': 'J' });
    assert.throws(() => updateCslJsonItem(text, 'zzz', { title: 'x' }, 'lib.json'), LibraryFileError);
  });

  it('replaces and adds BibTeX fields and the entry type, leaving other fields and entries as written', () => {
    const text = '@string{jn = "Journal"}\n\n@misc{b,\n  title = {Old {Title}},\n  note  = "keep " # jn,\n  year  = 2024\n}\n\n@book{c, title = {C}}\n';
    const result = updateBibtexEntry(text, 'b', { type: 'article', fields: { title: 'New {Title}', year: '2025', journal: 'Journal of Tests' } }, 'lib.bib');
    assert.equal(
      result,
      '@string{jn = "Journal"}\n\n@article{b,\n  title = {New {Title}},\n  note  = "keep " # jn,\n  year  = {2025},\n  journal = {Journal of Tests}\n}\n\n@book{c, title = {C}}\n',
    );
    assert.throws(() => updateBibtexEntry(text, 'zzz', { fields: { title: 'x' } }, 'lib.bib'), LibraryFileError);
  });
});

describe('library index: duplicates and keys', () => {
  const treg = paper({ key: 'zhou2024treg', title: 'T-REG: Preference Optimization with Token-Level Reward Regularization', arxivId: '2412.02685', aliases: ['mytreg'] });
  const journal = paper({ key: 'johnson2024learning', title: 'Learning to Assign Credit', doi: '10.1145/3650000.3650001' });

  it('finds a paper by arXiv id, DOI (any case) or long title', () => {
    const index = new LibraryIndex([treg, journal]);
    assert.deepEqual(index.find(identityOfIdentifier({ kind: 'arxiv', id: '2412.02685', version: 3 })), { paper: treg, by: 'arXiv id' });
    assert.deepEqual(index.find(identityOfIdentifier({ kind: 'doi', doi: '10.1145/3650000.3650001'.toUpperCase() })), { paper: journal, by: 'DOI' });
    assert.deepEqual(index.find(identityOfRecord({ type: 'article', title: 't-reg: preference optimization with token level reward regularization!' })), { paper: treg, by: 'title' });
    assert.equal(index.find(identityOfRecord({ type: 'article', title: 'Introduction' })), undefined, 'a short title identifies nothing');
    assert.equal(index.find(identityOfRecord(RECORD)), undefined);
  });

  it('makes a Better BibTeX-style key that no paper, alias or file key uses', () => {
    const index = new LibraryIndex([paper({ key: 'lovelace2025credit' }), paper({ key: 'x', aliases: ['lovelace2025credita'] })], ['lovelace2025creditb']);
    assert.equal(index.keyFor(RECORD), 'lovelace2025creditc');
    assert.equal(new LibraryIndex([]).keyFor({ type: 'article', title: 'The Art', author: [{ literal: 'OpenAI' }] }), 'openaiart');
  });

  it('reads the record back as the library will: arXiv id, DOI, venue', () => {
    const added = recordPaper('lovelace2025credit', RECORD);
    assert.equal(added.arxivId, '2501.01234');
    assert.equal(added.venue, 'arXiv');
    assert.deepEqual(importCslJson(JSON.stringify([ITEM])).problems, []);
  });
});
