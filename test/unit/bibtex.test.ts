import assert from 'node:assert/strict';
import { toBibtex, toBibtexAll } from '../../src/core/bibtex';
import { archer, hostile, journal, makePaper, preprint, treg } from './paperFixtures';

/** Field name → raw value, read the way BibTeX does: by counting every brace, escaped or not. */
function parseEntry(entry: string): { type: string; key: string; fields: Map<string, string> } {
  const head = /^@(\w+)\{([^,\s]+),\n/.exec(entry);
  assert.ok(head, entry);
  const fields = new Map<string, string>();
  let at = head[0].length;
  while (at < entry.length - 1) {
    const name = /^ {2}(\w+) = \{/.exec(entry.slice(at));
    assert.ok(name, `field expected at ${at}: ${entry.slice(at)}`);
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

describe('toBibtex', () => {
  it('writes a conference paper as @inproceedings', () => {
    assert.equal(
      toBibtex(treg),
      [
        '@inproceedings{zhou2024treg,',
        '  title = {{T-REG:} Preference Optimization with Token-Level Reward Regularization},',
        '  author = {Zhou, Wenxuan and Zhang, Shujian and Zhao, Lingxiao and Meng, Tao},',
        '  booktitle = {{ACL} 2025},',
        '  year = {2024},',
        '  eprint = {2412.02685},',
        '  archivePrefix = {arXiv},',
        '  url = {https://arxiv.org/abs/2412.02685}',
        '}',
      ].join('\n'),
    );
  });

  it('writes an arXiv preprint as @misc with its eprint, and no primaryClass', () => {
    const { type, fields } = parseEntry(toBibtex(preprint));
    assert.equal(type, 'misc');
    assert.equal(fields.get('eprint'), '2504.03624');
    assert.equal(fields.get('archivePrefix'), 'arXiv');
    assert.equal(fields.get('url'), 'https://arxiv.org/abs/2504.03624');
    assert.equal(fields.get('author'), '{NVIDIA}', 'an institution is one name');
    assert.equal(fields.has('primaryClass'), false);
    assert.equal(fields.has('booktitle') || fields.has('journal'), false);
  });

  it('writes a journal article with its DOI', () => {
    const { type, fields } = parseEntry(toBibtex(journal));
    assert.equal(type, 'article');
    assert.equal(fields.get('journal'), 'Nature');
    assert.equal(fields.get('doi'), '10.1038/nature16961');
    assert.equal(fields.has('eprint'), false);
  });

  it('protects words whose capitals matter, and only those', () => {
    const title = 'A DPO and RLHF for LLMs: ArCHer meets Nemotron-H, R1-Reward and Q-Function with Multi-Turn 80/20 Learning in Zürich';
    const { fields } = parseEntry(toBibtex({ ...archer, title }));
    assert.equal(
      fields.get('title'),
      'A {DPO} and {RLHF} for {LLMs:} {ArCHer} meets {Nemotron-H,} {R1-Reward} and {Q-Function} with Multi-Turn 80/20 Learning in Zürich',
    );
  });

  it('escapes LaTeX specials and keeps every field inside its braces', () => {
    const entry = toBibtex(hostile);
    const { type, key, fields } = parseEntry(entry);
    assert.equal(type, 'article');
    assert.equal(key, 'evil2024');
    assert.equal(
      fields.get('title'),
      'Break [out](javascript:alert(1)) <img src=x onerror=alert(1)> \\& \\textbraceleft{}unbalanced \\textbackslash{} ' +
        '\\textbraceright{} \\textbraceright{} 100\\% \\$x\\$ \\#1 a\\_b \\textasciitilde{} \\textasciicircum{} next',
    );
    assert.equal(fields.get('author'), '{O\\textbraceright{}Brien, Jr}, {Tom and Jerry}');
    assert.equal(fields.has('url'), false, 'a javascript: link is no URL');
    assert.deepEqual([...fields.keys()], ['title', 'author', 'journal', 'year']);
  });

  it('survives hostile braces in every field', () => {
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
      const names = [...fields.keys()].filter((name) => name !== 'url');
      assert.deepEqual(names, ['title', 'author', 'booktitle', 'year', 'eprint', 'archivePrefix'], text);
      assert.doesNotMatch(fields.get('url') ?? '', /[{}\\\s]/, 'the URL is percent-encoded');
    }
  });

  it('keeps non-ASCII text as UTF-8', () => {
    const paper = makePaper({ key: 'k', title: 'Über Ångström – 東京', authors: [{ given: 'José', family: 'Muñoz' }] });
    const { fields } = parseEntry(toBibtex(paper));
    assert.equal(fields.get('title'), 'Über Ångström – 東京');
    assert.equal(fields.get('author'), 'Muñoz, José');
  });

  it('joins entries with a blank line', () => {
    assert.equal(toBibtexAll([treg, archer]), `${toBibtex(treg)}\n\n${toBibtex(archer)}\n`);
    assert.equal(toBibtexAll([]), '');
  });
});
