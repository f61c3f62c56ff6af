import * as assert from 'node:assert/strict';
import { exportPapers } from '../../src/core/exportFormats';
import type { Library, Paper } from '../../src/core/model';
import { assembleLibrary } from '../../src/core/sources';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { toCslItem } from '../../src/core/sources/record';
import { readItem, type ZoteroItem } from '../../src/core/zotero/api';
import { zoteroItemToCsl } from '../../src/core/zotero/csl';
import { ZoteroPaperSet, withZoteroData } from '../../src/core/zotero/paperSet';

function item(key: string, data: Record<string, unknown>, parsedDate?: string): ZoteroItem {
  const read = readItem({
    key,
    version: 4,
    meta: parsedDate ? { parsedDate } : {},
    data: { key, version: 4, tags: [], collections: [], relations: {}, dateAdded: '2024-01-01T00:00:00Z', dateModified: '2024-01-01T00:00:00Z', ...data },
  });
  assert.ok(read, 'the fixture is an item');
  return read;
}

const thesis = item('THES2345', {
  itemType: 'thesis',
  title: 'Credit Assignment in <i>Long</i> Horizons',
  creators: [{ creatorType: 'author', firstName: 'Ada', lastName: 'van der Berg' }, { creatorType: 'contributor', firstName: 'Sam', lastName: 'Advisor' }],
  thesisType: 'PhD thesis',
  university: 'University of Amsterdam',
  place: 'Amsterdam',
  date: '2022-09-15',
  numPages: '212',
  url: 'https://example.org/thesis',
  extra: 'Citation Key: berg2022credit\noriginal-date: 2021',
}, '2022-09-15');
const chapter = item('CHAP2345', {
  itemType: 'bookSection',
  title: 'Policy Gradients',
  creators: [{ creatorType: 'author', firstName: 'Bo', lastName: 'Lin' }, { creatorType: 'editor', firstName: 'Eve', lastName: 'Ditor' }, { creatorType: 'seriesEditor', firstName: 'Sue', lastName: 'Ries' }],
  bookTitle: 'Handbook of Reinforcement Learning',
  series: 'Lecture Notes',
  seriesNumber: '12',
  edition: '2',
  publisher: 'Springer',
  place: 'Cham',
  pages: '101-140',
  ISBN: '978-3-030-12345-6',
  date: '2020',
  DOI: '10.1007/978-3-030-12345-6_5',
}, '2020');
// Added later and holding the key the thesis holds: it gets a letter.
const report = item('REPT2345', {
  itemType: 'report',
  title: 'A Technical Report',
  creators: [{ creatorType: 'author', name: 'ACME Research' }],
  reportNumber: 'TR-7',
  reportType: 'Technical report',
  institution: 'ACME',
  date: '2019-03',
  citationKey: 'berg2022credit',
  dateAdded: '2024-06-01T00:00:00Z',
}, '2019-03');

/** What the record holds of Zotero's CSL-JSON: all but the key, which stands beside it as the paper's. */
function recordOfItem(source: ZoteroItem): Record<string, unknown> {
  const record: Record<string, unknown> = zoteroItemToCsl(source);
  delete record['citation-key'];
  return record;
}

function zoteroLibrary(bundled: Library, bib = ''): { library: Library; papers: Map<string, Paper> } {
  const set = new ZoteroPaperSet();
  const items = new Map([thesis, chapter, report].map((entry) => [entry.key, entry]));
  const change = set.update([{ prefix: 'users/0', items, collections: new Map() }], () => []);
  const files = bib ? [importBibtex(bib)] : [];
  const assembled = assembleLibrary([{ papers: change.papers.map((paper) => paper.entry) }, ...files], bundled, false, { topicModel: () => ({ assign: () => [] }) });
  const library = withZoteroData(assembled.library, change.papers, change.collections);
  const byItem = new Map(change.papers.map((paper) => [paper.ref.key, library.papers.find((entry) => entry.key === paper.entry.paper.key) as Paper]));
  return { library, papers: byItem };
}

const empty: Library = { papers: [], topics: [] };

describe('Zotero items as faithful records', () => {
  it('a Zotero paper of the assembled library holds the CSL-JSON Zotero maps its item to, whole, with no id of its own', () => {
    const { papers } = zoteroLibrary(empty);
    for (const source of [thesis, chapter, report]) {
      const paper = papers.get(source.key);
      assert.ok(paper?.record, `${source.key} has a record`);
      assert.deepEqual(paper.record, recordOfItem(source), source.key);
      assert.equal(paper.zotero?.key, source.key);
    }
    assert.deepEqual([papers.get('THES2345')?.key, papers.get('REPT2345')?.key], ['berg2022credit', 'berg2022credita']);
    assert.equal(zoteroItemToCsl(report)['citation-key'], 'berg2022credit', 'Zotero maps the field to CSL');
    // The display fields are read from the record.
    const shown = papers.get('THES2345') as Paper;
    assert.deepEqual([shown.year, shown.venue, shown.authors[0]], [2022, 'University of Amsterdam', { given: 'Ada', family: 'van der Berg' }]);
  });

  it('exports read the record: CSL-JSON as Zotero would give it under the final key, BibTeX and BibLaTeX with the types and fields of the item', () => {
    const { papers } = zoteroLibrary(empty);
    const all = [...papers.values()];
    const csl = JSON.parse(exportPapers(all, 'csljson').text) as Record<string, unknown>[];
    for (const source of [thesis, chapter, report]) {
      const paper = papers.get(source.key) as Paper;
      assert.deepEqual(
        csl.find((entry) => entry.id === paper.key),
        { id: paper.key, 'citation-key': paper.key, ...recordOfItem(source) },
      );
      assert.deepEqual(toCslItem(paper), { id: paper.key, 'citation-key': paper.key, ...recordOfItem(source) });
    }
    const bibtex = exportPapers(all, 'bibtex').text;
    assert.match(bibtex, /@phdthesis\{berg2022credit,/);
    assert.match(bibtex, /school = \{University of Amsterdam\}/);
    assert.match(bibtex, /@incollection\{lin2020policy,[^@]*editor = \{Ditor, Eve\},\n {2}booktitle = \{Handbook of Reinforcement Learning\}/);
    assert.match(bibtex, /pages = \{101--140\}/);
    assert.match(bibtex, /@techreport\{berg2022credita,[^@]*number = \{TR-7\}[^@]*institution = \{ACME\}/);
    const biblatex = exportPapers(all, 'biblatex').text;
    assert.match(biblatex, /@thesis\{berg2022credit,[^@]*institution = \{University of Amsterdam\}/);
    assert.match(biblatex, /origdate = \{2021\}/);
    assert.match(biblatex, /isbn = \{978-3-030-12345-6\}/);
  });

  it('merged first, before a library file with the same paper: the Zotero record wins, the file key stays an alias', () => {
    const bib = '@book{handbook2020,\n  title = {Policy Gradients},\n  author = {Lin, Bo},\n  year = {2020},\n  doi = {10.1007/978-3-030-12345-6_5},\n  publisher = {Other House}\n}\n';
    const { library, papers } = zoteroLibrary(empty, bib);
    const paper = papers.get('CHAP2345') as Paper;
    assert.equal(library.papers.filter((entry) => entry.doi === '10.1007/978-3-030-12345-6_5').length, 1);
    assert.equal(paper.record?.type, 'chapter');
    assert.equal(paper.record?.publisher, 'Springer');
    assert.deepEqual(paper.aliases, ['handbook2020']);
  });
});
