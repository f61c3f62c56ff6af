import * as assert from 'node:assert/strict';
import { readItem, type ZoteroItem } from '../../src/core/zotero/api';
import { heldCitationKey } from '../../src/core/zotero/citationKeys';
import { extraToCsl, parseDate, withParticles, zoteroItemToCsl } from '../../src/core/zotero/csl';
import { convertItem } from '../../src/core/zotero/papers';

/** An item as the local API answers it, with the fields given (Zotero lists every field of the type, empty ones as ""). */
function item(data: Record<string, unknown>, parsedDate?: string): ZoteroItem {
  const read = readItem({ key: 'ABCD2345', version: 7, meta: parsedDate ? { parsedDate } : {}, data: { key: 'ABCD2345', version: 7, tags: [], collections: [], relations: {}, ...data } });
  assert.ok(read, 'the fixture is an item');
  return read;
}

describe('Zotero item → CSL-JSON', () => {
  it('maps a journal article field by field as Zotero does', () => {
    const csl = zoteroItemToCsl(
      item({
        itemType: 'journalArticle',
        title: 'Gut Microbiome Composition and Obesity',
        creators: [
          { creatorType: 'author', firstName: 'Maria', lastName: 'Rossi' },
          { creatorType: 'author', name: 'The Microbiome Consortium' },
          { creatorType: 'editor', firstName: 'Ed', lastName: 'Itor' },
          { creatorType: 'translator', firstName: 'Tra', lastName: 'Nslator' },
          { creatorType: 'reviewedAuthor', firstName: 'Rev', lastName: 'Iewed' },
        ],
        abstractNote: 'A cohort study.',
        publicationTitle: 'Nature Medicine',
        volume: '27',
        issue: '5',
        pages: '812-820',
        date: '2021-05-03',
        series: '',
        journalAbbreviation: 'Nat Med',
        language: 'en',
        DOI: '10.1038/s41591-021-0001-1',
        ISSN: '1078-8956',
        url: 'https://www.nature.com/articles/x',
        accessDate: '2024-01-02T10:11:12Z',
        libraryCatalog: 'www.nature.com',
        rights: 'CC BY',
        extra: '',
        dateAdded: '2024-01-02T10:11:12Z',
        dateModified: '2024-01-03T10:11:12Z',
      }, '2021-05-03'),
    );
    assert.deepEqual(csl, {
      type: 'article-journal',
      abstract: 'A cohort study.',
      'container-title': 'Nature Medicine',
      DOI: '10.1038/s41591-021-0001-1',
      ISSN: '1078-8956',
      issue: '5',
      journalAbbreviation: 'Nat Med',
      language: 'en',
      license: 'CC BY',
      page: '812-820',
      source: 'www.nature.com',
      title: 'Gut Microbiome Composition and Obesity',
      URL: 'https://www.nature.com/articles/x',
      volume: '27',
      author: [{ family: 'Rossi', given: 'Maria' }, { literal: 'The Microbiome Consortium' }],
      editor: [{ family: 'Itor', given: 'Ed' }],
      translator: [{ family: 'Nslator', given: 'Tra' }],
      'reviewed-author': [{ family: 'Iewed', given: 'Rev' }],
      accessed: { 'date-parts': [[2024, 1, 2]] },
      issued: { 'date-parts': [[2021, 5, 3]] },
    });
  });

  it('reads type-specific fields through their base field: proceedingsTitle, bookTitle, university, archiveID, caseName', () => {
    const paper = zoteroItemToCsl(item({ itemType: 'conferencePaper', title: 'T', proceedingsTitle: 'Proceedings of ICML', conferenceName: 'ICML 2024', place: 'Vienna', publisher: 'PMLR' }));
    assert.deepEqual([paper.type, paper['container-title'], paper['event-title'], paper['publisher-place'], paper.publisher], ['paper-conference', 'Proceedings of ICML', 'ICML 2024', 'Vienna', 'PMLR']);
    const chapter = zoteroItemToCsl(
      item({
        itemType: 'bookSection',
        title: 'A Chapter',
        bookTitle: 'The Book',
        creators: [
          { creatorType: 'author', firstName: 'A', lastName: 'Author' },
          { creatorType: 'bookAuthor', firstName: 'B', lastName: 'Bookauthor' },
          { creatorType: 'seriesEditor', firstName: 'S', lastName: 'Series' },
        ],
      }),
    );
    assert.deepEqual([chapter.type, chapter['container-title'], chapter['container-author'], chapter['collection-editor']], ['chapter', 'The Book', [{ family: 'Bookauthor', given: 'B' }], [{ family: 'Series', given: 'S' }]]);
    const thesis = zoteroItemToCsl(item({ itemType: 'thesis', title: 'T', university: 'ETH Zürich', thesisType: 'PhD thesis', numPages: '200' }));
    assert.deepEqual([thesis.type, thesis.publisher, thesis.genre, thesis['number-of-pages']], ['thesis', 'ETH Zürich', 'PhD thesis', '200']);
    const preprint = zoteroItemToCsl(item({ itemType: 'preprint', title: 'T', repository: 'arXiv', archiveID: 'arXiv:2412.02685', genre: '' }));
    assert.deepEqual([preprint.type, preprint.publisher, preprint.number, preprint.genre], ['article', 'arXiv', 'arXiv:2412.02685', undefined]);
    const legal = zoteroItemToCsl(item({ itemType: 'case', caseName: 'Roe v. Wade', court: 'Supreme Court', dateDecided: '1973-01-22', reporter: 'U.S.', reporterVolume: '410', firstPage: '113' }));
    assert.deepEqual([legal.type, legal.title, legal.authority, legal.issued, legal['container-title'], legal.volume, legal.page], ['legal_case', 'Roe v. Wade', 'Supreme Court', { 'date-parts': [[1973, 1, 22]] }, 'U.S.', '410', '113']);
  });

  it('gives an unmapped primary creator the author role, maps named roles, drops roles CSL has no name for', () => {
    const film = zoteroItemToCsl(item({ itemType: 'film', title: 'F', creators: [{ creatorType: 'director', firstName: 'D', lastName: 'Irector' }, { creatorType: 'castMember', firstName: 'C', lastName: 'Ast' }] }));
    assert.deepEqual([film.type, film.director, film.performer, film.author], ['motion_picture', [{ family: 'Irector', given: 'D' }], [{ family: 'Ast', given: 'C' }], undefined]);
    const program = zoteroItemToCsl(item({ itemType: 'computerProgram', title: 'P', company: 'ACME', creators: [{ creatorType: 'programmer', firstName: 'P', lastName: 'Rogrammer' }] }));
    assert.deepEqual([program.type, program.author, program.publisher], ['software', [{ family: 'Rogrammer', given: 'P' }], 'ACME']);
    const blog = zoteroItemToCsl(item({ itemType: 'blogPost', title: 'B', blogTitle: 'A Blog', creators: [{ creatorType: 'commenter', firstName: 'C', lastName: 'Ommenter' }] }));
    assert.deepEqual([blog.type, blog['container-title'], Object.keys(blog).some((key) => key === 'commenter' || key === 'author')], ['post-weblog', 'A Blog', false]);
  });

  it('takes "place" as the event place for presentations and recordings', () => {
    const talk = zoteroItemToCsl(item({ itemType: 'presentation', title: 'T', place: 'Lisbon', meetingName: 'EMNLP', presentationType: 'Keynote' }));
    assert.deepEqual([talk.type, talk['event-place'], talk['publisher-place'], talk['event-title'], talk.genre], ['speech', 'Lisbon', undefined, 'EMNLP', 'Keynote']);
  });

  it('splits name particles and suffixes as CSL processors do; a quoted family name is kept whole; fieldMode 1 is a single name', () => {
    const csl = zoteroItemToCsl(
      item({
        itemType: 'book',
        title: 'Names',
        creators: [
          { creatorType: 'author', firstName: 'Anna', lastName: 'van den Berg' },
          { creatorType: 'author', firstName: "Jean", lastName: "d'Alembert" },
          { creatorType: 'author', firstName: 'Ludwig van', lastName: 'Beethoven' },
          { creatorType: 'author', firstName: 'John, Jr.', lastName: 'Smith' },
          { creatorType: 'author', firstName: 'Vincent', lastName: '"van Gogh"' },
          { creatorType: 'author', lastName: 'World Health Organization', fieldMode: 1 },
          { creatorType: 'author', firstName: 'Only' },
        ],
      }),
    );
    assert.deepEqual(csl.author, [
      { family: 'Berg', given: 'Anna', 'non-dropping-particle': 'van den' },
      { family: 'Alembert', given: 'Jean', 'non-dropping-particle': "d'" },
      { family: 'Beethoven', given: 'Ludwig', 'dropping-particle': 'van' },
      { family: 'Smith', given: 'John', suffix: 'Jr.' },
      { family: 'van Gogh', given: 'Vincent' },
      { literal: 'World Health Organization' },
      { family: '', given: 'Only' },
    ]);
    assert.deepEqual(withParticles({ family: 'Berg', given: 'Anna' }), { family: 'Berg', given: 'Anna' });
  });

  it('reads dates: EDTF, ranges, circa, seasons, free text, Zotero`s parsedDate, quoted literals, no year', () => {
    assert.deepEqual(parseDate('2020-05'), { 'date-parts': [[2020, 5]] });
    assert.deepEqual(parseDate('2019/2020'), { 'date-parts': [[2019], [2020]] });
    assert.deepEqual(parseDate('1850~'), { 'date-parts': [[1850]], circa: true });
    assert.deepEqual(parseDate('Spring 2021'), { 'date-parts': [[2021]], season: 1 });
    assert.deepEqual(parseDate('May 5, 2020'), { 'date-parts': [[2020, 5, 5]] });
    assert.deepEqual(parseDate('5 May 2020'), { 'date-parts': [[2020, 5, 5]] });
    assert.deepEqual(parseDate('05/06/2020', '2020-05-06'), { 'date-parts': [[2020, 5, 6]] }, 'Zotero`s own reading of an ambiguous date wins');
    assert.deepEqual(parseDate('"Forthcoming"'), { literal: 'Forthcoming' });
    assert.deepEqual(parseDate('in press'), { literal: 'in press' });
    assert.deepEqual(parseDate('2020-00-00'), { 'date-parts': [[2020]] }, 'Zotero writes an unknown month and day as 00');
  });

  it('keeps only the first ISBN and strips enclosing quotes', () => {
    const csl = zoteroItemToCsl(item({ itemType: 'book', title: '"Quoted title"', ISBN: '978-3-16-148410-0 978-1-4028-9462-6' }));
    assert.equal(csl.ISBN, '978-3-16-148410-0');
    assert.equal(csl.title, 'Quoted title');
  });

  it('writes Extra as the note, with CSL-spelled lines, and lets its date lines override the item`s', () => {
    assert.equal(extraToCsl('Original Date: 1905\nPublication Title: Annalen\nDOI: 10.1/x\nPMID: 123\nsome note: kept'), 'original-date: 1905\ncontainer-title: Annalen\nDOI: 10.1/x\nPMID: 123\nsome note: kept');
    const csl = zoteroItemToCsl(item({ itemType: 'journalArticle', title: 'T', date: '2021', extra: 'issued: 2020-05\noriginal-date: 1905\nCitation Key: einstein1905\narXiv: 2101.00001' }, '2021'));
    assert.deepEqual(csl.issued, { 'date-parts': [[2020, 5]] });
    assert.deepEqual(csl['original-date'], { 'date-parts': [[1905]] });
    assert.equal(csl.note, '\n\ncitation-key: einstein1905\narXiv: 2101.00001', 'Zotero writes its own field names in CSL spelling too');
  });

  it('names an unknown item type a document instead of failing', () => {
    assert.equal(zoteroItemToCsl(item({ itemType: 'hologram', title: 'New in a later schema' })).type, 'document');
  });
});

describe('Zotero citation keys and papers', () => {
  it('reads the key Zotero holds: the citationKey field, else Better BibTeX`s line in Extra', () => {
    assert.equal(heldCitationKey({ key: 'ABCD2345', version: 1, itemType: 'book', citationKey: ' smith2020 ' }), 'smith2020');
    assert.equal(heldCitationKey({ key: 'ABCD2345', version: 1, itemType: 'book', citationKey: '', extra: 'tex.x: y\ncitation key: jones2019deep\n' }), 'jones2019deep');
    assert.equal(heldCitationKey({ key: 'ABCD2345', version: 1, itemType: 'book', extra: 'Citation Keys are nice' }), undefined);
  });

  it('turns an item into the paper the CSL-JSON importer makes of its export', () => {
    const converted = convertItem(
      'users/0',
      item({
        itemType: 'preprint',
        title: 'T-REG: Preference Optimization with Token-Level Reward Regularization',
        creators: [{ creatorType: 'author', firstName: 'Wenxuan', lastName: 'Zhou' }, { creatorType: 'author', firstName: 'Shujian', lastName: 'Zhang' }],
        repository: 'arXiv',
        archiveID: 'arXiv:2412.02685',
        date: '2024-12-03',
        url: 'https://arxiv.org/abs/2412.02685',
        abstractNote: 'Reward regularization at the token level.',
        dateAdded: '2024-12-05T00:00:00Z',
      }),
    );
    assert.ok(converted);
    const { paper } = converted.entry;
    assert.deepEqual([paper.key, paper.title, paper.year, paper.arxivId, paper.venue, paper.authors.length], ['zhou2024treg', 'T-REG: Preference Optimization with Token-Level Reward Regularization', 2024, '2412.02685', 'arXiv', 2]);
    assert.deepEqual(converted.claim, { id: 'users/0/items/ABCD2345', made: 'zhou2024treg', added: '2024-12-05T00:00:00Z' });
  });

  it('uses a held key that can be one, and makes one for a key that cannot (spaces, a URI)', () => {
    const held = convertItem('users/0', item({ itemType: 'book', title: 'Deep Learning', citationKey: 'goodfellow2016' }));
    assert.deepEqual([held?.entry.paper.key, held?.claim.held], ['goodfellow2016', 'goodfellow2016']);
    const bad = convertItem('users/0', item({ itemType: 'book', title: 'Deep Learning', creators: [{ creatorType: 'author', firstName: 'I', lastName: 'Goodfellow' }], date: '2016', extra: 'Citation Key: not a key' }, '2016'));
    assert.deepEqual([bad?.entry.paper.key, bad?.claim.held], ['goodfellow2016deep', undefined]);
    assert.match(bad?.problems[0]?.message ?? '', /cannot be written as a citation key/);
  });

  it('leaves a javascript: URL out and says so; hostile text stays data', () => {
    const converted = convertItem('users/0', item({ itemType: 'webpage', title: '[Click me](command:x) <img src=x onerror=alert(1)>', url: 'javascript:alert(1)', creators: [{ creatorType: 'author', lastName: '__init__', firstName: '*x*' }] }));
    assert.ok(converted);
    assert.equal(converted.entry.paper.title, '[Click me](command:x) <img src=x onerror=alert(1)>', 'the title is kept as data; every place that shows it escapes it');
    assert.deepEqual(converted.entry.paper.links, {});
    assert.match(converted.problems.map((problem) => problem.message).join('\n'), /not an http\(s\) address/);
  });

  it('skips an item with nothing to cite it by', () => {
    assert.equal(convertItem('users/0', item({ itemType: 'document' })), undefined);
  });
});
