import assert from 'node:assert/strict';
import { exportBibtex, exportCslJson, toBibtex, toBibtexAll } from '../../src/core/bibtex';
import type { CslRecord, Paper } from '../../src/core/model';
import { importBibtex } from '../../src/core/sources/bibtexImport';
import { paperFromRecord } from '../../src/core/sources/record';
import { archer, hostile, journal, makePaper, preprint, treg } from './paperFixtures';
import { cpuMs } from './cpuTime';

/** Field name → raw value, read the way BibTeX does: by counting every brace, escaped or not. */
function parseEntry(entry: string): { type: string; key: string; fields: Map<string, string> } {
  const head = /^@(\w+)\{([^,\s]+),\n/.exec(entry);
  assert.ok(head, entry);
  const fields = new Map<string, string>();
  let at = head[0].length;
  while (at < entry.length - 1) {
    const name = /^ {2}(\w+) = (\{|[a-z]{3}(?=,\n|\n\}$))/.exec(entry.slice(at));
    assert.ok(name, `field expected at ${at}: ${entry.slice(at)}`);
    if (name[2] !== '{') {
      fields.set(name[1], name[2]);
      at += name[0].length + (entry[at + name[0].length] === ',' ? 2 : 1);
      continue;
    }
    let depth = 1;
    let i = at + name[0].length;
    for (; depth > 0; i++) {
      assert.ok(i < entry.length, `unbalanced braces in ${name[1]}`);
      if (entry[i] === '{') depth++;
      else if (entry[i] === '}') depth--;
    }
    fields.set(name[1], entry.slice(at + name[0].length, i - 1));
    assert.match(entry.slice(i), /^(?:,\n|\n\}$)/, `${name[1]} must end where its closing brace is`);
    at = i + (entry[i] === ',' ? 2 : 1);
  }
  return { type: head[1], key: head[2], fields };
}

const fromRecord = (key: string, record: CslRecord): Paper => paperFromRecord(key, record);

describe('toBibtex', () => {
  it('writes a conference paper as @inproceedings, protecting the word and not its colon', () => {
    assert.equal(
      toBibtex(treg),
      [
        '@inproceedings{zhou2024treg,',
        '  title = {{T-REG}: Preference Optimization with Token-Level Reward Regularization},',
        '  author = {Zhou, Wenxuan and Zhang, Shujian and Zhao, Lingxiao and Meng, Tao},',
        '  booktitle = {ACL 2025},',
        '  year = {2024},',
        '  url = {https://arxiv.org/abs/2412.02685},',
        '  abstract = {Reinforcement learning from human feedback (RLHF) has been crucial in aligning LLMs.},',
        '  eprint = {2412.02685},',
        '  archivePrefix = {arXiv}',
        '}',
      ].join('\n'),
    );
  });

  it('writes an arXiv preprint as @misc with its eprint (BibTeX) or @online with eprinttype (BibLaTeX)', () => {
    const { type, fields } = parseEntry(toBibtex(preprint));
    assert.equal(type, 'misc');
    assert.deepEqual([fields.get('eprint'), fields.get('archivePrefix'), fields.get('url')], ['2504.03624', 'arXiv', 'https://arxiv.org/abs/2504.03624']);
    assert.equal(fields.get('author'), '{NVIDIA}', 'an institution is one name');
    assert.equal(fields.has('number') || fields.has('publisher') || fields.has('howpublished'), false, 'the eprint says it');
    const biblatex = parseEntry(toBibtex(preprint, 'biblatex'));
    assert.equal(biblatex.type, 'online');
    assert.deepEqual([biblatex.fields.get('eprint'), biblatex.fields.get('eprinttype'), biblatex.fields.get('date')], ['2504.03624', 'arXiv', '2025']);
  });

  it('writes a journal article with its DOI, a book as a book and never as a journal article', () => {
    const { type, fields } = parseEntry(toBibtex(journal));
    assert.equal(type, 'article');
    assert.equal(fields.get('journal'), 'Nature');
    assert.equal(fields.get('doi'), '10.1038/nature16961');
    const book = parseEntry(toBibtex(fromRecord('sutton2018', { type: 'book', title: 'Reinforcement Learning: An Introduction', publisher: 'MIT Press', edition: '2', issued: { 'date-parts': [[2018]] } })));
    assert.equal(book.type, 'book');
    assert.deepEqual([book.fields.get('publisher'), book.fields.get('edition'), book.fields.has('journal')], ['MIT Press', '2', false]);
  });

  it('protects words whose capitals matter, and only those, never their punctuation', () => {
    const title = 'A DPO and RLHF for LLMs: ArCHer meets Nemotron-H, R1-Reward and Q-Function (PPO) with Multi-Turn 80/20 Learning in Zürich';
    const { fields } = parseEntry(toBibtex({ ...archer, record: { ...archer.record, type: 'paper-conference', title } }));
    assert.equal(
      fields.get('title'),
      'A {DPO} and {RLHF} for {LLMs}: {ArCHer} meets {Nemotron-H}, {R1-Reward} and {Q-Function} ({PPO}) with Multi-Turn 80/20 Learning in Z{\\"u}rich',
    );
  });

  it("keeps the source's own case protection, italics and sub/superscripts", () => {
    const [imported] = importBibtex('@article{k, title = {{BERT} and \\emph{in vivo} H\\textsubscript{2}O, {\\textit{E. coli}} and small Words}}').papers;
    assert.equal(parseEntry(toBibtex(imported.paper)).fields.get('title'), '{BERT} and \\textit{in vivo} H\\textsubscript{2}O, {{\\textit{E. coli}}} and small Words');
  });

  it('writes ASCII for BibTeX (ę as \\k{e}, pdflatex accepts it) and UTF-8 for BibLaTeX', () => {
    const paper = fromRecord('k', {
      type: 'book',
      title: 'Über Ångström – the “Straße” of Trębacz, Trȩbacz and Øystein: α ≤ β…',
      author: [{ family: 'Trębacz', given: 'Ewa' }, { family: 'Muñoz', given: 'José' }],
      publisher: '東京 Press',
    });
    const bibtex = exportBibtex([paper], 'bibtex');
    const { fields } = parseEntry(bibtex.text.trim());
    assert.equal(fields.get('title'), '{\\"U}ber {\\AA}ngstr{\\"o}m -- the ``Stra{\\ss}e\'\' of Tr{\\k{e}}bacz, Tr{\\c{e}}bacz and {\\O}ystein: $\\alpha$ $\\leq$ $\\beta${\\ldots}');
    assert.equal(fields.get('author'), 'Tr{\\k{e}}bacz, Ewa and Mu{\\~n}oz, Jos{\\\'e}');
    assert.match(bibtex.text.replace('東京', ''), /^\p{ASCII}*$/u, 'only what LaTeX has no command for stays UTF-8');
    assert.deepEqual(bibtex.notes, ['"k": 東 京 have no LaTeX command and stay UTF-8 (the BibLaTeX export is UTF-8 throughout)']);
    const biblatex = exportBibtex([paper], 'biblatex');
    assert.equal(parseEntry(biblatex.text.trim()).fields.get('author'), 'Trębacz, Ewa and Muñoz, José');
    assert.deepEqual(biblatex.notes, []);
    assert.deepEqual(importBibtex(bibtex.text).papers[0].paper.authors, paper.authors, 'the escapes read back as the names');
  });

  it('writes a suffix as BibTeX wants it, "von Last, Jr, First", also for a paper made by hand', () => {
    const recorded = fromRecord('k', { type: 'article-journal', title: 'T', author: [{ family: 'King', given: 'Martin Luther', suffix: 'Jr.' }, { family: 'Berg', given: 'Anna', 'non-dropping-particle': 'van der', suffix: 'III' }] });
    assert.equal(parseEntry(toBibtex(recorded)).fields.get('author'), 'King, Jr., Martin Luther and van der Berg, III, Anna');
    // Made by hand: the display names carry the suffix in the family name ("King Jr."), as a record shows them.
    assert.deepEqual(recorded.authors.map((a) => a.family), ['King Jr.', 'van der Berg III']);
    const byHand = makePaper({ key: 'k', title: 'T', venue: 'J', authors: [...recorded.authors, { given: 'Sammy', family: 'Davis, Jr' }, { given: 'Ann', family: 'Sr' }] });
    assert.equal(parseEntry(toBibtex(byHand)).fields.get('author'), 'King, Jr., Martin Luther and van der Berg, III, Anna and Davis, Jr, Sammy and Sr, Ann');
    const [back] = importBibtex(toBibtex(byHand)).papers;
    assert.deepEqual(back.paper.record?.author?.slice(0, 2), recorded.record?.author);
  });

  it('keeps a DOI with % (escaped for BibTeX, as is for biber) and "and others"', () => {
    const paper = fromRecord('k', { type: 'article-journal', title: 'T', DOI: '10.1002/(SICI)1097-4571%3C1::AID%3E', author: [{ family: 'Zheng', given: 'Chujie' }], custom: { 'and-others': ['author'] } });
    assert.deepEqual([parseEntry(toBibtex(paper)).fields.get('doi'), parseEntry(toBibtex(paper)).fields.get('author')], ['10.1002/(SICI)1097-4571\\%3C1::AID\\%3E', 'Zheng, Chujie and others']);
    assert.equal(parseEntry(toBibtex(paper, 'biblatex')).fields.get('doi'), '10.1002/(SICI)1097-4571%3C1::AID%3E');
    assert.equal(importBibtex(toBibtex(paper)).papers[0].paper.doi, '10.1002/(SICI)1097-4571%3C1::AID%3E');
    assert.equal(importBibtex(toBibtex(paper)).papers[0].paper.andOthers, true);
  });

  it('escapes LaTeX specials and keeps every field inside its braces', () => {
    const { type, key, fields } = parseEntry(toBibtex(hostile));
    assert.equal(type, 'article');
    assert.equal(key, 'evil2024');
    assert.equal(
      fields.get('title'),
      'Break [out](javascript:alert(1)) \\textless{}img src=x onerror=alert(1)\\textgreater{} \\& \\textbraceleft{}unbalanced \\textbackslash{} ' +
        '\\textbraceright{} \\textbraceright{} 100\\% \\$x\\$ \\#1 a\\_b \\textasciitilde{} \\textasciicircum{} next',
    );
    // "O}Brien, Jr" is the family name O}Brien with the suffix Jr: BibTeX's "von Last, Jr, First".
    assert.equal(fields.get('author'), 'O\\textbraceright{}Brien, Jr, {Tom and Jerry}');
    assert.equal(fields.get('journal'), 'Journal of \\textbraceleft{}Evil\\textbraceright{}');
    assert.equal(fields.has('url'), false, 'a javascript: link is no URL');
    assert.deepEqual([...fields.keys()], ['title', 'author', 'journal', 'year']);
  });

  it('survives hostile braces in every field, and in fields kept as written from a CSL-JSON file', () => {
    for (const text of ['}', '{', '}}} @misc{x,', '\\}', '{\\', 'a}\n}\n@comment{']) {
      const paper = makePaper({
        key: `k${text}`,
        title: text,
        venue: `ICML ${text}`,
        authors: [{ given: text, family: text }],
        arxivId: text,
        doi: `10.1000/${text}`,
        year: 2020,
      });
      const { key, fields } = parseEntry(toBibtex(paper));
      assert.match(key, /^k[^\s"#%'(),={}\\~@]*$/);
      assert.deepEqual([...fields.keys()], ['title', 'author', 'journal', 'year'], text);
      const injected = fromRecord('k', { type: 'document', title: 'T', custom: { 'bibtex-fields': { note: text, addendum: `x\n@misc{y, title={Y}}` } } });
      const exported = exportBibtex([injected]);
      const again = importBibtex(exported.text);
      assert.deepEqual(again.problems, [], text);
      assert.deepEqual(again.papers.map((entry) => entry.paper.key), ['k'], `${text}: no entry smuggled in`);
      assert.deepEqual(exported.notes, ['"k": the field "note" has unbalanced braces; left out'], text);
    }
  });

  it('says what it cannot write: variables without a field, custom data, biblatex-only types in BibTeX', () => {
    const paper = fromRecord('k', { type: 'software', title: 'T', illustrator: [{ family: 'X' }], archive: 'A', custom: { 'bibtex-type': 'software', zotero: { key: 'Z' } } });
    assert.deepEqual(exportBibtex([paper]).notes, [
      '"k": @software is written as @misc, BibTeX\'s nearest type (the BibLaTeX export keeps @software)',
      '"k": illustrator, archive have no BibTeX field for a software; left out',
      '"k": the custom data zotero is kept in CSL-JSON only',
    ]);
    assert.equal(parseEntry(toBibtex(paper, 'biblatex')).type, 'software');
  });

  it('writes a crossref only with its parent, and never an xdata, which the entry holds already', () => {
    const { papers } = importBibtex('@proceedings{p, title = {Proc}, year = 2020}\n@inproceedings{c, title = {Paper}, crossref = {p}}\n');
    const both = exportBibtex(papers.map((entry) => entry.paper));
    assert.match(both.text, /crossref = \{p\}/);
    const alone = exportBibtex([papers[1].paper]);
    assert.doesNotMatch(alone.text, /crossref/);
    assert.match(alone.text, /booktitle = \{Proc\}/);
    assert.deepEqual(alone.notes, ['"c": crossref "p" is not exported with it: its fields are in the entry']);
  });

  it('reads and writes hostile and huge titles as plain text, whole', () => {
    const hostileTitle = '[Click me](command:x) <img src=x onerror=alert(1)> __init__ *x* `code`';
    const huge = 'Long '.repeat(20_000).trim();
    for (const title of [hostileTitle, huge]) {
      const used = cpuMs(() => {
        const [paper] = importBibtex(`@misc{k, title = {${title}}}`).papers.map((entry) => entry.paper);
        assert.equal(paper.title, title);
        for (const dialect of ['bibtex', 'biblatex'] as const) {
          const again = importBibtex(toBibtex(paper, dialect));
          assert.deepEqual(again.problems, []);
          assert.equal(again.papers[0].paper.title, title, dialect);
          assert.deepEqual(again.papers[0].paper.record, paper.record, dialect);
        }
      });
      assert.ok(used < 2000, `a 100,000-character title takes no noticeable time (${used} ms)`);
    }
  });

  it('joins entries with a blank line', () => {
    assert.equal(toBibtexAll([treg, archer]), `${toBibtex(treg)}\n\n${toBibtex(archer)}\n`);
    assert.equal(toBibtexAll([]), '');
  });

  it('exports CSL-JSON items keyed by citation key, "and others" as pandoc reads it', () => {
    const paper = fromRecord('zheng2025', { type: 'article-journal', title: 'T', author: [{ family: 'Zheng' }], custom: { 'and-others': ['author'] } });
    assert.deepEqual(JSON.parse(exportCslJson([paper])), [
      { id: 'zheng2025', 'citation-key': 'zheng2025', type: 'article-journal', title: 'T', author: [{ family: 'Zheng' }, { literal: 'others' }], custom: { 'and-others': ['author'] } },
    ]);
    // The item shares the record's values without a copy, and leaves the record as it was.
    assert.deepEqual(paper.record?.author, [{ family: 'Zheng' }]);
    assert.equal(exportCslJson([paper]), exportCslJson([paper]));
  });
});
