import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstAuthorLabel, formatAuthors } from '../../src/core/library';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { parseBibtex } from '../../src/core/sources/bibtexParser';
import { decodeLatex } from '../../src/core/sources/latex';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/library', name), 'utf8');

describe('BibTeX import', () => {
  const { papers, problems } = importBibtex(fixture('fidelity.bib'));
  const byKey = new Map(papers.map((entry) => [entry.paper.key, entry]));
  const paper = (key: string) => {
    const found = byKey.get(key);
    assert.ok(found, `${key} was not imported`);
    return found.paper;
  };

  it('reads every well-formed entry, skipping @comment, @preamble, @string and JabRef meta blocks', () => {
    assert.deepEqual(
      papers.map((entry) => entry.paper.key),
      ['mueller2020accents', 'smith2023concat', 'zhou2024treg', 'lee2024online', 'part2021crossref', 'parent2021book', 'after2022broken'],
    );
  });

  it('decodes accents and LaTeX commands in names, titles and abstracts', () => {
    const mueller = paper('mueller2020accents');
    assert.deepEqual(mueller.authors, [
      { given: 'Jörg', family: 'Müller' },
      { given: 'José', family: 'García-López' },
      { given: 'Hans', family: 'Straße' },
      { given: 'Øystein', family: 'Škoda' },
    ]);
    assert.equal(mueller.title, 'BERT-style Pre-training for Ökologie: A Study of α-Divergences');
    assert.equal(mueller.abstract, 'We study divergences with nested braces inside braces and 50% more text.');
    assert.equal(mueller.venue, 'Journal of Machine Learning Research');
    assert.equal(mueller.doi, '10.5555/3455716.3455856');
    assert.equal(byKey.get('mueller2020accents')?.keywords.join('|'), 'preference optimization|RLHF');
  });

  it('splits "von Last, Jr, First", "First von Last" and keeps braced institutions whole', () => {
    assert.deepEqual(paper('smith2023concat').authors, [
      { given: 'John', family: 'Smith' },
      { given: 'Anna', family: 'van der Berg' },
      { given: 'Jane', family: 'Doe Jr.' },
      { given: '', family: 'OpenAI Team' },
    ]);
  });

  it('expands @string macros joined with #, and keeps protected case as written', () => {
    const smith = paper('smith2023concat');
    assert.equal(smith.venue, 'International Conference on Machine Learning 2023');
    assert.equal(smith.title, 'Protected Case and Normal Case');
    assert.equal(paper('lee2024online').title, 'Double Braces in Better BibLaTeX');
  });

  it('keeps arXiv ids from eprint/archivePrefix, eprinttype and arXiv URLs, without the version', () => {
    const treg = paper('zhou2024treg');
    assert.equal(treg.arxivId, '2412.02685');
    assert.equal(treg.links.arxiv, 'https://arxiv.org/abs/2412.02685');
    assert.equal(treg.venue, 'arXiv');
    const lee = paper('lee2024online');
    assert.equal(lee.arxivId, '2403.01234');
    assert.equal(lee.year, 2024, 'the year comes from a BibLaTeX date');
  });

  it('inherits fields through crossref: the parent title becomes the venue', () => {
    const part = paper('part2021crossref');
    assert.equal(part.venue, 'The Parent Book');
    assert.equal(part.year, 2021);
    assert.deepEqual(paper('parent2021book').authors, [{ given: 'Eve', family: 'Editor' }], 'editors stand in for missing authors');
  });

  it('reports an entry broken in the middle at its line and reads the entry after it', () => {
    assert.equal(byKey.has('broken2022middle'), false);
    const broken = problems.find((problem) => problem.key === 'broken2022middle');
    assert.ok(broken);
    assert.equal(broken.severity, 'error');
    assert.equal(broken.line, 66);
    assert.match(broken.message, /not closed before the next entry \(line 69\)/);
    assert.equal(paper('after2022broken').doi, '10.1038/S41586-022-00001-X', 'a DOI given as a doi.org URL is bare');
    assert.equal(byKey.get('after2022broken')?.line, 69);
  });

  it('skips later entries with a key already used, and entries with nothing to cite them by, saying so', () => {
    const result = importBibtex('@misc{a, title={One}}\n@misc{a, title={Two}}\n@misc{b, author={X, Y}}\n@misc{c, title={Three}, }\n@misc{d, keywords={x}}\n');
    assert.deepEqual(result.papers.map((entry) => [entry.paper.key, entry.paper.title]), [['a', 'One'], ['b', 'Untitled'], ['c', 'Three']]);
    assert.deepEqual(
      result.problems.map((problem) => [problem.line, problem.severity]),
      [
        [2, 'error'],
        [5, 'error'],
      ],
    );
    assert.match(result.problems[0].message, /earlier entry has the citation key "a"/);
    assert.match(result.problems[1].message, /"d" has no title and nothing else to cite it by/);
  });

  it('recovers from syntax errors: a missing comma loses one entry, not the file, and is reported where the comma belongs', () => {
    const result = parseBibtex('@article{x,\n  title = {A}\n  year = 2020\n}\n@article{y, title = "B {in} quotes"}\n');
    assert.deepEqual(result.entries.map((entry) => [entry.key, entry.fields.title]), [['y', 'B {in} quotes']]);
    assert.deepEqual(result.problems.map((problem) => [problem.line, problem.key]), [[2, 'x']]);
    assert.match(result.problems[0].message, /a "," is missing after the field "title" of "x"/);
  });

  it('reports an entry cut off by the end of the file where the entry starts', () => {
    for (const [text, detail] of [
      ['@misc{ok, title={Fine}}\n\n@misc{cut,\n  title = {Cut},\n', /the file ends where a field name was expected/],
      ['@misc{ok, title={Fine}}\n\n@misc{cut,\n  title = {Cut\n\n', /a "\{" on line 4 is never closed/],
      ['@misc{ok, title={Fine}}\n\n@misc{cut,\n  title = "Cut\n\n', /a quoted value opened on line 4 is never closed/],
      ['@misc{ok, title={Fine}}\n\n@misc{cut,\n  title = {Cut}\n', /the file ends before its closing brace/],
      ['@misc{ok, title={Fine}}\n\n@misc{cut,\n  title =', /the file ends where a value was expected/],
    ] as const) {
      const result = parseBibtex(text);
      assert.deepEqual(result.entries.map((entry) => entry.key), ['ok'], text);
      assert.equal(result.problems.length, 1, text);
      assert.equal(result.problems[0].line, 3, text);
      assert.equal(result.problems[0].key, 'cut');
      assert.match(result.problems[0].message, /^the entry "cut" is cut off: /);
      assert.match(result.problems[0].message, detail);
    }
  });

  it('treats text between entries as a comment and reports undefined macros', () => {
    const result = parseBibtex('Some notes.\n@misc{k, journal = nope, month = jan}\n');
    assert.equal(result.entries[0].fields.journal, 'nope');
    assert.equal(result.entries[0].fields.month, '1');
    assert.match(result.problems[0].message, /macro "nope" is not defined/);
  });
});

describe('BibTeX import of real slips (hand-kept file)', () => {
  const { papers, problems } = importBibtex(fixture('hand-kept.bib'));
  const paper = (key: string) => {
    const found = papers.find((entry) => entry.paper.key === key);
    assert.ok(found, `${key} was not imported`);
    return found.paper;
  };

  it('reads "and and" as one separator and says a name is empty', () => {
    assert.deepEqual(paper('bickford2008').authors, [
      { given: 'Mark', family: 'Bickford' },
      { given: 'Robert L.', family: 'Constable' },
    ]);
    const warning = problems.find((problem) => problem.key === 'bickford2008');
    assert.deepEqual(warning && [warning.line, warning.severity], [3, 'warning']);
    assert.match(warning?.message ?? '', /empty name between two "and"s/);
  });

  it("decodes accents, also when the file escaped them twice (Tom{\\'a}s)", () => {
    assert.deepEqual(paper('lozano2019').authors, [
      { given: 'Tomás', family: 'Lozano-Pérez' },
      { given: 'Leslie Pack', family: 'Kaelbling' },
      { given: 'Tomás', family: 'García' },
    ]);
  });

  it('keeps "and others" as a marker, shown "et al.", and counts only the named authors', () => {
    const zheng = paper('zheng2025others');
    assert.equal(zheng.andOthers, true);
    assert.equal(zheng.authorCount, 2);
    assert.equal(formatAuthors(zheng), 'Chujie Zheng, Daya Guo et al.');
    assert.equal(firstAuthorLabel(zheng), 'Zheng et al.');
  });

  it('drops a URL that is no http(s) address, saying so at the entry', () => {
    const zheng = paper('zheng2025others');
    assert.deepEqual(zheng.links, {});
    const warning = problems.find((problem) => problem.key === 'zheng2025others');
    assert.deepEqual(warning && [warning.line, warning.severity], [17, 'warning']);
    assert.match(warning?.message ?? '', /the URL "javascript:alert\(document\.cookie\)" is not an http\(s\) address; left out/);
  });

  it('reports a missing comma at the line that lacks it and a cut-off entry where it starts', () => {
    assert.deepEqual(
      papers.map((entry) => entry.paper.key),
      ['bickford2008', 'lozano2019', 'zheng2025others', 'after2022'],
    );
    const errors = problems.filter((problem) => problem.severity === 'error');
    assert.deepEqual(errors.map((problem) => [problem.line, problem.key]), [[27, 'comma2021'], [37, 'cutoff2023']]);
    assert.match(errors[0].message, /a "," is missing after the field "title"/);
    assert.match(errors[1].message, /the entry "cutoff2023" is cut off: a "\{" on line 40 is never closed/);
  });
});

describe('BibTeX import of xampl-style crossrefs and untitled entries', () => {
  const { papers, problems } = importBibtex(fixture('xampl-style.bib'));
  const paper = (key: string) => {
    const found = papers.find((entry) => entry.paper.key === key);
    assert.ok(found, `${key} was not imported`);
    return found.paper;
  };

  it('keeps every entry, titled or not, without a problem', () => {
    assert.deepEqual(problems, []);
    assert.equal(papers.length, 15);
  });

  it('lets a child without a title take it from a parent of its own type, as biber does', () => {
    const reprint = paper('article-reprint');
    assert.equal(reprint.title, 'Typesetting Oysters on a Sandy Shore');
    assert.deepEqual(reprint.authors, [{ given: 'O[lga] B.', family: 'Oyster' }]);
    assert.equal(reprint.venue, 'Walrus & Carpenter Journal');
    assert.equal(reprint.year, 1995, 'its own year wins');
  });

  it("turns a book's title into its chapter's booktitle and a proceedings' title into its paper's", () => {
    const chapter = paper('inbook-crossref');
    assert.equal(chapter.title, 'Cabbages and Kings');
    assert.equal(chapter.venue, 'The Art of Talking of Many Things');
    assert.deepEqual(chapter.authors, [{ given: 'Tweedle D.', family: 'Dee' }]);
    assert.equal(chapter.year, 1980);
    const talk = paper('inproceedings-crossref');
    assert.equal(talk.title, 'On Sitting on Walls');
    assert.equal(talk.venue, 'Proc. Seventh Looking-Glass Symposium');
    assert.equal(talk.year, 1985);
  });

  it('shows an untitled entry by how it was published, its journal or its note', () => {
    assert.equal(paper('misc-minimal').title, 'This is a minimal MISC entry');
    assert.equal(paper('misc-untitled').title, 'Read aloud at the tea party');
    assert.deepEqual(paper('misc-untitled').authors, [{ given: 'Mad', family: 'Hatter' }]);
    assert.equal(paper('whole-issue').title, 'Walrus & Carpenter Journal');
    assert.equal(paper('whole-issue').year, 1991);
  });
});

describe('LaTeX decoding', () => {
  for (const [latex, text] of [
    ['{\\"u}ber', 'über'],
    ["\\'{e}t\\'e", 'été'],
    ['\\ss{} and \\o', 'ß and ø'],
    ["Garc\\'{\\i}a", 'García'],
    ['\\v{S}koda \\c{c}a', 'Škoda ça'],
    ['pages 1--2 --- done', 'pages 1–2 — done'],
    ['\\emph{Deep} \\textbf{RL} \\& more \\%', 'Deep RL & more %'],
    ['$\\alpha$-divergence $O(n^2)$', 'α-divergence O(n^2)'],
    ['``quoted\'\'', '“quoted”'],
    ['{{Nested {Braces}}}', 'Nested Braces'],
    ["Tom{\\'a}s", 'Tomás'],
    ["Tom{\\\\'a}s", 'Tomás'],
    ['a\\\\b', 'a b'],
    ['\\textbackslash{} and \\textbraceleft{}x\\textbraceright{}', '\\ and {x}'],
  ] as const) {
    it(`${latex} → ${text}`, () => assert.equal(decodeLatex(latex), text));
  }
});
