import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bibtexEntryChanges, cslItemChanges } from '../../src/core/identifiers/update';
import { parseBibtex } from '../../src/core/sources/bibtexParser';
import { writeFileAtomic } from '../../src/node/files';

describe('what an update would change', () => {
  it('lists the CSL variables a lookup changes, merges custom data and never offers the user’s own variables', () => {
    const current = {
      id: 'lovelace2025credit',
      type: 'article',
      title: 'Credit Where It Is Due',
      author: [{ family: 'Lovelace', given: 'Ada' }],
      issued: { 'date-parts': [[2025, 1, 2]] },
      publisher: 'arXiv',
      version: '1',
      note: 'my own note',
      custom: { 'arxiv-id': '2501.01234', mine: 'kept' },
    };
    const fetched = {
      type: 'article-journal',
      title: 'Credit Where It Is Due',
      author: [{ family: 'Lovelace', given: 'Ada' }, { family: 'Hopper', given: 'Grace' }],
      issued: { 'date-parts': [[2025]] },
      'container-title': 'Journal of Tests 1 (2025)',
      version: '3',
      custom: { 'arxiv-id': '2501.01234', 'arxiv-updated': '2025-03-01T00:00:00Z' },
    };
    const changes = cslItemChanges(current, fetched);
    assert.deepEqual(
      changes.map((change) => [change.name, change.before, change.after]),
      [
        ['type', 'article', 'article-journal'],
        ['author', 'Ada Lovelace', 'Ada Lovelace, Grace Hopper'],
        ['issued', '2025-01-02', '2025'],
        ['container-title', '(none)', 'Journal of Tests 1 (2025)'],
        ['publisher', 'arXiv', '(none)'],
        ['version', '1', '3'],
        ['custom', 'arxiv-id: 2501.01234; mine: kept', 'arxiv-id: 2501.01234; mine: kept; arxiv-updated: 2025-03-01T00:00:00Z'],
      ],
    );
    assert.equal(changes.find((change) => change.name === 'publisher')?.value, undefined, 'removing is writing undefined');
    assert.deepEqual(cslItemChanges(current, { ...current, custom: { 'arxiv-id': '2501.01234' } } as never), [], 'the same record changes nothing');
  });

  it('compares BibTeX fields as text, so bracing and LaTeX alone are no change', () => {
    const [current] = parseBibtex('@misc{k,\n  title = {{T-REG}: Preference Optimization},\n  author = {Zhou, Wenxuan and M{\\"u}ller, J.},\n  year = {2024},\n  note = {mine}\n}').entries;
    const [fetched] = parseBibtex('@article{k,\n  title = {{T-REG}: Preference Optimization},\n  author = {Zhou, Wenxuan and Müller, J.},\n  journal = {Journal of Tests},\n  year = {2025},\n  archivePrefix = {arXiv}\n}').entries;
    const { type, fields } = bibtexEntryChanges(current, fetched);
    assert.deepEqual(type && [type.before, type.after], ['@misc', '@article']);
    assert.deepEqual(fields.map((change) => [change.name, change.before, change.after]), [
      ['journal', '(none)', 'Journal of Tests'],
      ['year', '2024', '2025'],
      ['archivePrefix', '(none)', 'arXiv'],
    ]);
    const [thesis] = parseBibtex('@phdthesis{k, title = {X}}').entries;
    assert.equal(bibtexEntryChanges(thesis, fetched).type, undefined, 'a thesis stays a thesis');
  });
});

describe('writeFileAtomic', () => {
  it('writes through a symbolic link and keeps the permissions', function () {
    if (process.platform === 'win32') this.skip();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-atomic-'));
    try {
      const real = path.join(folder, 'real.bib');
      const link = path.join(folder, 'link.bib');
      fs.writeFileSync(real, 'old', { mode: 0o640 });
      fs.chmodSync(real, 0o640);
      fs.symlinkSync(real, link);
      writeFileAtomic(link, 'new');
      assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is still a link');
      assert.equal(fs.readFileSync(real, 'utf8'), 'new');
      assert.equal(fs.statSync(real).mode & 0o777, 0o640);
      assert.deepEqual(fs.readdirSync(folder).sort(), ['link.bib', 'real.bib'], 'no temporary file is left');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
