import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLibraryJson } from '../../src/core/library';
import type { CslRecord, Paper } from '../../src/core/model';
import { exportBibtex } from '../../src/core/bibtex';
import { BIBTEX_TYPES, CSL_TYPE_OF_ENTRY, ENTRY_TYPE_OF_CSL, FIELD_RULES, rulesFor } from '../../src/core/sources/bibtexMapping';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { importCslJson } from '../../src/core/sources/cslJsonImport';
import { paperFromRecord, toCslItem } from '../../src/core/sources/record';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/library', name), 'utf8');

function recordOf(bibtex: string): { record: CslRecord; paper: Paper; warnings: string[] } {
  const { papers, problems } = importBibtex(bibtex);
  assert.equal(papers.length, 1, `${bibtex}: ${JSON.stringify(problems)}`);
  const { paper } = papers[0];
  assert.ok(paper.record);
  return { record: paper.record, paper, warnings: problems.map((problem) => problem.message) };
}

/** A value of the right form for each kind of field, and the variable's value it gives. */
const SAMPLES = {
  rich: ['The {RL} Book', 'The <span class="nocase">RL</span> Book'],
  text: ['Caf{\\\'e} 7', 'Café 7'],
  range: ['12--34', '12-34'],
  verbatim: ['https://example.org/a\\_b', 'https://example.org/a_b'],
  names: ['Doe, Jane and van Dyck, Jr., Anton', [{ family: 'Doe', given: 'Jane' }, { family: 'Dyck', given: 'Anton', 'non-dropping-particle': 'van', suffix: 'Jr.' }]],
  date: ['2021-04-05', { 'date-parts': [[2021, 4, 5]] }],
} as const;

describe('BibTeX → record: the mapping table', () => {
  for (const [entryType, cslType] of CSL_TYPE_OF_ENTRY) {
    it(`@${entryType} is a CSL "${cslType}" and remembers its entry type`, () => {
      const { record } = recordOf(`@${entryType}{k, title = {A Title}, year = 2020}`);
      assert.equal(record.type, cslType);
      assert.equal(record.custom?.['bibtex-type'], entryType);
    });
  }

  it('reads an unknown entry type as a document and keeps its name', () => {
    const { record } = recordOf('@podcast{k, title = {Episode}}');
    assert.deepEqual([record.type, record.custom?.['bibtex-type']], ['document', 'podcast']);
  });

  it('reads the type from the entry type and its arXiv eprint, never from the venue', () => {
    assert.equal(recordOf('@misc{k, title = {T}, eprint = {2412.02685}, archivePrefix = {arXiv}}').record.type, 'article');
    assert.equal(recordOf('@online{k, title = {T}, eprint = {2412.02685}, eprinttype = {arxiv}}').record.type, 'article');
    assert.equal(recordOf('@misc{k, title = {T}, howpublished = {NeurIPS 2024}}').record.type, 'document');
    assert.equal(recordOf('@book{k, title = {T}, publisher = {MIT Press}}').record.type, 'book');
    assert.equal(recordOf('@report{k, title = {T}, eprint = {2303.08774}, eprinttype = {arXiv}}').record.type, 'report');
    assert.equal(recordOf('@article{k, title = {T}, journaltitle = {Wired}, entrysubtype = {magazine}}').record.type, 'article-magazine');
    assert.equal(recordOf('@article{k, title = {T}, journal = {The Times}, entrysubtype = {newspaper}}').record.type, 'article-newspaper');
  });

  for (const rule of FIELD_RULES) {
    for (const field of rule.fields) {
      const type = [...CSL_TYPE_OF_ENTRY].find(([, csl]) => rulesFor(csl).includes(rule))?.[0];
      it(`${field} → ${rule.variable} (${rule.kind}${type ? `, in @${type}` : ''})`, () => {
        assert.ok(type, 'some entry type takes this field');
        const [input, expected] = rule.variable === 'DOI' ? ['10.1000/50\\%off', '10.1000/50%off'] : SAMPLES[rule.kind];
        const title = rule.variable === 'title' ? '' : 'title = {Some Title}, ';
        const { record } = recordOf(`@${type}{k, ${title}${field} = {${input}}}`);
        assert.deepEqual(record[rule.variable], expected);
        assert.equal(record.custom?.['bibtex-fields']?.[field], undefined, 'a mapped field is not also kept as written');
      });
    }
  }

  it("takes `number` as an article's issue, a book's number in its series, a report's number", () => {
    assert.equal(recordOf('@article{k, title={T}, number = 7}').record.issue, '7');
    assert.equal(recordOf('@book{k, title={T}, series = {S}, number = 9}').record['collection-number'], '9');
    assert.equal(recordOf('@inproceedings{k, title={T}, number = 17}').record['collection-number'], '17');
    assert.equal(recordOf('@techreport{k, title={T}, number = {TR-1}}').record.number, 'TR-1');
    assert.equal(recordOf('@patent{k, title={T}, number = {US 5,052,043}}').record.number, 'US 5,052,043');
  });

  it('reads publisher, institution, school, organization or howpublished as the publisher, the first given winning', () => {
    assert.equal(recordOf('@phdthesis{k, title={T}, school = {MIT}}').record.publisher, 'MIT');
    assert.equal(recordOf('@techreport{k, title={T}, institution = {CMU}}').record.publisher, 'CMU');
    assert.equal(recordOf('@manual{k, title={T}, organization = {Farama}}').record.publisher, 'Farama');
    assert.equal(recordOf('@booklet{k, title={T}, howpublished = {Handed out}}').record.publisher, 'Handed out');
    const both = recordOf('@inproceedings{k, title={T}, publisher = {ACM}, organization = {SIGPLAN}}').record;
    assert.equal(both.publisher, 'ACM');
    assert.deepEqual(both.custom?.['bibtex-fields'], { organization: 'SIGPLAN' }, 'the other one stays as written');
    const url = recordOf('@misc{k, title={T}, howpublished = {\\url{https://example.org/x}}}').record;
    assert.deepEqual([url.URL, url.publisher], ['https://example.org/x', undefined], 'a \\url in howpublished is the URL');
  });

  it('reads `type` as the genre, biblatex type keys in words, and the thesis kind from the entry type', () => {
    assert.equal(recordOf('@phdthesis{k, title={T}}').record.genre, 'PhD thesis');
    assert.equal(recordOf('@mastersthesis{k, title={T}}').record.genre, "Master's thesis");
    assert.equal(recordOf('@mastersthesis{k, title={T}, type = {{MSc} thesis}}').record.genre, 'MSc thesis');
    assert.equal(recordOf('@thesis{k, title={T}, type = {mathesis}}').record.genre, "Master's thesis");
    assert.equal(recordOf('@report{k, title={T}, type = {techreport}}').record.genre, 'Technical report');
    assert.equal(recordOf('@inbook{k, title={T}, type = {Section}}').record.genre, 'Section');
  });

  it('reads dates: EDTF with ranges, open ends and "about", or year, month and day', () => {
    const date = (fields: string) => recordOf(`@misc{k, title={T}, ${fields}}`).record.issued;
    assert.deepEqual(date('date = {2024-03-15}'), { 'date-parts': [[2024, 3, 15]] });
    assert.deepEqual(date('date = {2022-11-28/2022-12-09}'), { 'date-parts': [[2022, 11, 28], [2022, 12, 9]] });
    assert.deepEqual(date('date = {2021/..}'), { 'date-parts': [[2021]] });
    assert.deepEqual(date('date = {1957~}'), { 'date-parts': [[1957]], circa: true });
    assert.deepEqual(date('year = 2010, month = dec, day = 5'), { 'date-parts': [[2010, 12, 5]] });
    assert.deepEqual(date('year = 2010, month = {March}'), { 'date-parts': [[2010, 3]] });
    assert.deepEqual(date('year = {in press}'), { literal: 'in press' });
    const both = recordOf('@misc{k, title={T}, date = {2024-03}, year = 2024, month = mar}').record;
    assert.deepEqual([both.issued, both.custom?.['bibtex-fields']], [{ 'date-parts': [[2024, 3]] }, undefined], 'a year and month the date says too add nothing');
    const sorting = recordOf('@book{k, title={T}, year = "{\\noopsort{1973b}}1973"}').record;
    assert.deepEqual(sorting.issued, { 'date-parts': [[1973]] });
    assert.equal(sorting.custom?.['bibtex-fields']?.year, '{\\noopsort{1973b}}1973', 'the sorting trick stays for the export');
    const odd = recordOf('@inproceedings{k, title={T}, year = 2015, month = {07--09 Jul}}').record;
    assert.deepEqual([odd.issued, odd.custom?.['bibtex-fields']?.month], [{ 'date-parts': [[2015]] }, '07--09 Jul']);
    const bad = recordOf('@misc{k, title={T}, date = {next spring}}');
    assert.deepEqual(bad.record.issued, { literal: 'next spring' });
    assert.match(bad.warnings.join('\n'), /the date "next spring" is not a date; kept as text/);
  });

  it('describes an arXiv preprint as Zotero does, keeping the eprint fields as written', () => {
    const { record, paper } = recordOf('@misc{k, title={{T-REG}: Preference}, eprint = {2412.02685v2}, archivePrefix = {arXiv}, primaryClass = {cs.CL}}');
    assert.deepEqual(record, {
      type: 'article',
      title: '<span class="nocase">T-REG</span>: Preference',
      publisher: 'arXiv',
      number: 'arXiv:2412.02685',
      custom: { 'bibtex-type': 'misc', 'bibtex-fields': { eprint: '2412.02685v2', eprinttype: 'arXiv', eprintclass: 'cs.CL' } },
    });
    assert.deepEqual([paper.title, paper.venue, paper.arxivId], ['T-REG: Preference', 'arXiv', '2412.02685']);
  });

  it('joins a subtitle to the title, as pandoc does, and keeps every field it has no variable for as written', () => {
    const { record } = recordOf('@book{k, title = {Main}, subtitle = {{A} Sub}, foo = {\\emph{raw} value}, eprinttype = {jstor}, eprint = {123}}');
    assert.equal(record.title, 'Main: <span class="nocase">A</span> Sub');
    assert.deepEqual(record.custom?.['bibtex-fields'], { subtitle: '{A} Sub', foo: '\\emph{raw} value', eprinttype: 'jstor', eprint: '123' });
  });

  it('drops empty fields (they only block inheritance) and unsafe URLs, saying so', () => {
    const { record, warnings } = recordOf('@article{k, title = {T}, organization = {}, url = {javascript:alert(1)}, note = "  "}');
    assert.deepEqual(record, { type: 'article-journal', title: 'T', custom: { 'bibtex-type': 'article' } });
    assert.deepEqual(warnings, ['"k": the URL "javascript:alert(1)" is not an http(s) address; left out']);
  });

  it('reads biblatex name forms: extended "family=…, given=…", braced institutions, particles', () => {
    const { record } = recordOf('@book{k, title={T}, author = {family=Berg, given=Anna, prefix=van den and {Barnes and Noble, Inc.} and Ludwig van Beethoven}}');
    assert.deepEqual(record.author, [
      { family: 'Berg', given: 'Anna', 'non-dropping-particle': 'van den' },
      { literal: 'Barnes and Noble, Inc.' },
      { family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' },
    ]);
  });

  it('reads real exports into full records: a Better BibLaTeX library', () => {
    const { papers, problems } = importBibtex(fixture('biblatex-export.bib'));
    assert.deepEqual(problems, []);
    const record = (key: string) => papers.find((entry) => entry.paper.key === key)?.paper.record;
    assert.deepEqual(record('sutton2018reinforcement'), {
      type: 'book',
      title: 'Reinforcement Learning: <span class="nocase">An Introduction</span>',
      author: [
        { family: 'Sutton', given: 'Richard S.' },
        { family: 'Barto', given: 'Andrew G.' },
      ],
      'collection-title': 'Adaptive Computation and Machine Learning',
      edition: '2',
      'number-of-pages': '526',
      'publisher-place': 'Cambridge, MA',
      ISBN: '978-0-262-03924-6',
      keyword: 'reinforcement learning,textbook',
      publisher: 'MIT Press',
      issued: { 'date-parts': [[2018]] },
      custom: { 'bibtex-type': 'book', 'bibtex-fields': { langid: 'english' } },
    });
    assert.deepEqual(record('ouyang2022training')?.['event-date'], { 'date-parts': [[2022, 11, 28], [2022, 12, 9]] });
    assert.deepEqual(record('ouyang2022training')?.custom?.['and-others'], ['author']);
    assert.deepEqual(record('bellman1957chapter')?.translator, [{ family: 'Trębacz', given: 'Ewa' }]);
    assert.equal(record('silver2016mastering')?.annote, 'Read for the reading group.');
    const shown = papers.find((entry) => entry.paper.key === 'sutton2018reinforcement')?.paper;
    assert.deepEqual([shown?.title, shown?.venue, shown?.year], ['Reinforcement Learning: An Introduction', 'MIT Press', 2018], 'a book is shown with its publisher, never as a journal');
  });

  it('reads BibTeX types with their fields: theses, reports, crossref proceedings, inbook', () => {
    const { papers, problems } = importBibtex(fixture('bibtex-types.bib'));
    assert.deepEqual(problems, []);
    const record = (key: string) => papers.find((entry) => entry.paper.key === key)?.paper.record;
    assert.deepEqual(record('ziebart2010modeling'), {
      type: 'thesis',
      title: 'Modeling Purposeful Adaptive Behavior with the Principle of Maximum Causal Entropy',
      author: [{ family: 'Ziebart', given: 'Brian D.' }],
      'publisher-place': 'Pittsburgh, PA',
      publisher: 'Carnegie Mellon University',
      genre: 'PhD thesis',
      issued: { 'date-parts': [[2010, 12]] },
      custom: { 'bibtex-type': 'phdthesis' },
    });
    const attention = record('vaswani2017attention');
    assert.equal(attention?.['container-title'], 'Advances in Neural Information Processing Systems 30', "the proceedings' title is the paper's booktitle");
    assert.deepEqual(attention?.editor?.map((name) => name.family), ['Guyon', 'Luxburg', 'Bengio']);
    assert.deepEqual(record('williams1992simple')?.custom?.['bibtex-fields'], { key: 'Williams' });
  });
});

describe('record → .bib: the mapping table read backwards', () => {
  const entryOf = (record: CslRecord, dialect: 'bibtex' | 'biblatex') => {
    const text = exportBibtex([paperFromRecord('k', record)], dialect).text;
    return { type: /^@(\w+)\{/.exec(text)?.[1], text, again: importBibtex(text).papers[0]?.paper.record };
  };

  for (const [cslType, [bibtex, biblatex]] of ENTRY_TYPE_OF_CSL) {
    it(`a CSL "${cslType}" is @${bibtex} in BibTeX and @${biblatex} in BibLaTeX`, () => {
      const record: CslRecord = { type: cslType, title: 'A Title', ...(cslType === 'chapter' || cslType.startsWith('entry') ? { 'container-title': 'The Book' } : {}) };
      assert.equal(entryOf(record, 'bibtex').type, bibtex);
      assert.equal(entryOf(record, 'biblatex').type, biblatex);
      assert.equal(entryOf(record, 'biblatex').again?.type, cslType === 'article' ? 'webpage' : CSL_TYPE_OF_ENTRY.get(biblatex), 'read back as the table says');
    });
  }

  it("writes a thesis as BibTeX's @mastersthesis or @phdthesis by its genre, a chapter without a book as @inbook", () => {
    assert.equal(entryOf({ type: 'thesis', title: 'T', genre: "Master's thesis" }, 'bibtex').type, 'mastersthesis');
    assert.equal(entryOf({ type: 'thesis', title: 'T', genre: 'MSc thesis' }, 'bibtex').type, 'mastersthesis');
    assert.equal(entryOf({ type: 'thesis', title: 'T', genre: 'Doctoral dissertation' }, 'bibtex').type, 'phdthesis');
    assert.equal(entryOf({ type: 'chapter', title: 'T' }, 'bibtex').type, 'inbook');
  });

  for (const [cslType] of ENTRY_TYPE_OF_CSL) {
    for (const entryType of [...CSL_TYPE_OF_ENTRY].filter(([, csl]) => csl === cslType).map(([entry]) => entry)) {
      it(`@${entryType} comes back as @${entryType} from BibLaTeX, and from BibTeX when BibTeX has it`, () => {
        const { record } = recordOf(`@${entryType}{k, title = {A Title}}`);
        assert.equal(entryOf(record, 'biblatex').type, entryType);
        if (BIBTEX_TYPES.has(entryType)) assert.equal(entryOf(record, 'bibtex').type, entryType);
      });
    }
  }

  for (const rule of FIELD_RULES) {
    const type = [...CSL_TYPE_OF_ENTRY].find(([, csl]) => rulesFor(csl).includes(rule))?.[1];
    it(`${rule.variable} → ${rule.bibtex ?? rule.fields[0]} (BibTeX), ${rule.fields[0]} (BibLaTeX), and back`, () => {
      assert.ok(type);
      const value = rule.variable === 'DOI' ? '10.1000/50%off' : SAMPLES[rule.kind][1];
      const record: CslRecord = { type, ...(rule.variable === 'title' ? {} : { title: 'T' }), [rule.variable]: value };
      for (const dialect of ['bibtex', 'biblatex'] as const) {
        const { text, again } = entryOf(record, dialect);
        const field = dialect === 'bibtex' ? (rule.bibtex ?? rule.fields[0]) : rule.fields[0];
        assert.match(text, new RegExp(`^  ${field} = `, 'm'), `${dialect}: ${text}`);
        assert.deepEqual(again?.[rule.variable], value, `${dialect}: ${text}`);
      }
    });
  }

  it('writes the publisher in the field of the type, the date as year and month or as a date, and the genre as type', () => {
    const fields = (record: CslRecord, dialect: 'bibtex' | 'biblatex') => entryOf(record, dialect).text;
    assert.match(fields({ type: 'thesis', title: 'T', publisher: 'MIT' }, 'bibtex'), /school = \{MIT\}/);
    assert.match(fields({ type: 'thesis', title: 'T', publisher: 'MIT' }, 'biblatex'), /institution = \{MIT\}/);
    assert.match(fields({ type: 'report', title: 'T', publisher: 'CMU' }, 'bibtex'), /institution = \{CMU\}/);
    assert.match(fields({ type: 'document', title: 'T', publisher: 'Handed out' }, 'bibtex'), /howpublished = \{Handed out\}/);
    assert.match(fields({ type: 'book', title: 'T', publisher: 'MIT Press' }, 'bibtex'), /publisher = \{MIT Press\}/);
    const dated: CslRecord = { type: 'article-journal', title: 'T', issued: { 'date-parts': [[2024, 3, 15]] } };
    assert.match(fields(dated, 'bibtex'), /year = \{2024\},\n {2}month = mar,\n {2}date = \{2024-03-15\}/);
    assert.match(fields(dated, 'biblatex'), /date = \{2024-03-15\}/);
    assert.doesNotMatch(fields(dated, 'biblatex'), /year =/);
    assert.match(fields({ type: 'thesis', title: 'T', genre: 'PhD thesis' }, 'biblatex'), /type = \{phdthesis\}/);
    assert.doesNotMatch(fields({ type: 'thesis', title: 'T', genre: 'PhD thesis' }, 'bibtex'), /type =/, "@phdthesis says it");
    assert.match(fields({ type: 'report', title: 'T', genre: 'White paper' }, 'bibtex'), /type = \{White paper\}/);
  });
});

describe('CSL-JSON → record', () => {
  it('keeps every variable an item brings, known to Lit Notes or not', () => {
    const item = {
      id: 'rossi2021gut',
      type: 'article-journal',
      title: 'Gut <i>Microbiome</i> and <span class="nocase">BMI</span>',
      author: [{ family: 'Rossi', given: 'Maria', 'dropping-particle': 'de', suffix: 'III' }, { literal: 'The Consortium' }],
      editor: [{ family: 'Ed', given: 'E.' }],
      translator: [{ family: 'Tr', given: 'T.' }],
      'container-author': [{ family: 'Ca' }],
      'collection-editor': [{ family: 'Ce' }],
      illustrator: [{ family: 'Il' }],
      issued: { 'date-parts': [['2021', '5', '3']] },
      accessed: { 'date-parts': [[2024, 1, 2]] },
      'event-date': { raw: '2021-06' },
      'original-date': { literal: 'Spring 1999' },
      'container-title': 'Nature Medicine',
      'collection-title': 'Series',
      'collection-number': 4,
      event: 'Conference',
      'event-place': 'Rome',
      volume: '27',
      issue: '5',
      page: '801-810',
      'number-of-pages': '10',
      edition: 2,
      publisher: 'Nature',
      'publisher-place': 'London',
      number: 'X-1',
      genre: 'Research article',
      DOI: '10.1038/s41591-021-0001-1',
      URL: 'https://www.nature.com/articles/s41591-021-0001-1',
      ISBN: '978-1',
      ISSN: '1078-8956',
      PMID: '33000000',
      note: 'extra: value',
      language: 'en-GB',
      keyword: 'microbiome, obesity',
      abstract: 'An abstract.',
      'archive_location': 'Box 3',
      categories: ['a', 'b'],
      custom: { 'other-tool': { nested: true } },
    };
    const { papers, problems } = importCslJson(JSON.stringify([item]));
    assert.deepEqual(problems, []);
    const rest: Record<string, unknown> = { ...item };
    delete rest.id;
    assert.deepEqual(papers[0].paper.record, rest);
    assert.deepEqual(toCslItem(papers[0].paper), { id: 'rossi2021gut', 'citation-key': 'rossi2021gut', ...rest });
    assert.equal(papers[0].paper.title, 'Gut Microbiome and BMI', 'the shown title drops CSL markup');
  });

  it('leaves out what could not be kept safely, saying what', () => {
    const { papers, problems } = importCslJson('[{"id": "k", "title": "T", "author": "Smith", "issued": "soon", "editor": [{"x": 1}, {"family": "Ok"}], "URL": "file:///etc/passwd", "__proto__": {"polluted": true}}]');
    assert.deepEqual(papers[0].paper.record, { type: 'document', title: 'T', issued: { raw: 'soon' }, editor: [{ family: 'Ok' }] });
    assert.deepEqual(
      problems.map((problem) => problem.message),
      [
        '"k": has no CSL "type"; read as "document"',
        '"k": "author" is not a list of names; left out',
        '"k": editor[0] is not a CSL name (family, given or literal); left out',
        '"k": the URL "file:///etc/passwd" is not an http(s) address; left out',
        '"k": "__proto__" is no CSL variable; left out',
      ],
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('the bundled library as records', () => {
  const papers = parseLibraryJson({
    papers: (JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/papers.json'), 'utf8')) as { papers: unknown }).papers,
    topics: (JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/topics.json'), 'utf8')) as { topics: unknown }).topics,
  }).library.papers;

  it('gives every bundled paper a record whose derived fields are the ones shipped', () => {
    for (const paper of papers) {
      assert.ok(paper.record, paper.key);
      const { key, record, topics, links, listingDate, organization, upvotes, authorCount } = paper;
      assert.deepEqual(paperFromRecord(key, record, { topics, links, listingDate, organization, upvotes, authorCount }), paper, key);
    }
  });

  it('types bundled papers by their venue facts: conference papers, preprints, a journal article', () => {
    const byType = new Map<string, string[]>();
    for (const paper of papers) byType.set(paper.record?.type ?? '', [...(byType.get(paper.record?.type ?? '') ?? []), paper.key]);
    assert.deepEqual([...byType.keys()].sort(), ['article', 'article-journal', 'paper-conference']);
    const treg = papers.find((paper) => paper.key === 'zhou2024treg');
    assert.deepEqual([treg?.record?.type, treg?.record?.['container-title']], ['paper-conference', 'ACL 2025']);
    for (const key of byType.get('article') ?? []) {
      const record = papers.find((paper) => paper.key === key)?.record;
      assert.deepEqual([record?.publisher, record?.number], ['arXiv', `arXiv:${papers.find((paper) => paper.key === key)?.arxivId}`], key);
    }
  });
});

describe('docs/bibtex-mapping.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/bibtex-mapping.md'), 'utf8');
  const rows = (pattern: RegExp) => [...doc.matchAll(pattern)];

  it('lists every entry type the import maps, as the code maps it', () => {
    assert.deepEqual(rows(/^\| `@(\w+)` \| `([\w-]+)` \|/gm).map(([, entry, csl]) => [entry, csl]), [...CSL_TYPE_OF_ENTRY]);
  });

  it('lists every CSL type the export maps, as the code maps it', () => {
    assert.deepEqual(rows(/^\| `([\w-]+)` \| `@(\w+)` \| `@(\w+)` \|$/gm).map(([, csl, bibtex, biblatex]) => [csl, [bibtex, biblatex]]), [...ENTRY_TYPE_OF_CSL]);
  });

  it('lists every field rule, with the fields read and written, as the code has them', () => {
    const documented = rows(/^\| `([\w-]+)` \| ((?:`\w+`(?:, )?)+) \| `(\w+)` \| `(\w+)` \|/gm).map(([, variable, read, biblatex, bibtex]) => [variable, read.replace(/`/g, '').split(', '), biblatex, bibtex]);
    assert.deepEqual(documented, FIELD_RULES.map((rule) => [rule.variable, [...rule.fields], rule.fields[0], rule.bibtex ?? rule.fields[0]]));
  });
});
