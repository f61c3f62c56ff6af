import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

  it('skips later entries with a key already used, and entries without a title, saying so', () => {
    const result = importBibtex('@misc{a, title={One}}\n@misc{a, title={Two}}\n@misc{b, author={X, Y}}\n@misc{c, title={Three}, }\n');
    assert.deepEqual(result.papers.map((entry) => entry.paper.title), ['One', 'Three']);
    assert.deepEqual(
      result.problems.map((problem) => [problem.line, problem.severity]),
      [
        [2, 'error'],
        [3, 'error'],
      ],
    );
    assert.match(result.problems[0].message, /earlier entry has the citation key "a"/);
    assert.match(result.problems[1].message, /"b" has no title/);
  });

  it('recovers from syntax errors: a missing comma loses one entry, not the file', () => {
    const result = parseBibtex('@article{x,\n  title = {A}\n  year = 2020\n}\n@article{y, title = "B {in} quotes"}\n');
    assert.deepEqual(result.entries.map((entry) => [entry.key, entry.fields.title]), [['y', 'B {in} quotes']]);
    assert.deepEqual(result.problems.map((problem) => [problem.line, problem.key]), [[3, 'x']]);
  });

  it('treats text between entries as a comment and reports undefined macros', () => {
    const result = parseBibtex('Some notes.\n@misc{k, journal = nope, month = jan}\n');
    assert.equal(result.entries[0].fields.journal, 'nope');
    assert.equal(result.entries[0].fields.month, '1');
    assert.match(result.problems[0].message, /macro "nope" is not defined/);
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
    ['\\textbackslash{} and \\textbraceleft{}x\\textbraceright{}', '\\ and {x}'],
  ] as const) {
    it(`${latex} → ${text}`, () => assert.equal(decodeLatex(latex), text));
  }
});
