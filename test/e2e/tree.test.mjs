// End-to-end: the Papers tree as a person leaves it and finds it again. A library file with a merged
// and a skipped entry shows its counts on its own row, which lists them; the groups a person opened
// are open again after a reload. Screenshots go to artifacts/tree-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import {
  activeTabTitle,
  activityIcon,
  cursorLine,
  papersTree,
  quickPick,
  ROOT,
  runCommand,
  screenshot,
  showPapers,
  treeRows,
  useWorkbench,
  waitFor,
  waitForWorkbench,
} from './harness.mjs';

const FILE = 'library/mine.bib';
// Two papers, one entry merged into the first (same DOI and title), one that cannot be read (line 17).
const LIBRARY = path.join(ROOT, 'test', 'fixtures', 'library', 'merged-and-skipped.bib');

describe('The Papers tree in the browser', function () {
  const workbench = useWorkbench({
    prepare(workspace) {
      fs.mkdirSync(path.join(workspace, 'library'), { recursive: true });
      fs.copyFileSync(LIBRARY, path.join(workspace, FILE));
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
      fs.writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'litnotes.library.files': [FILE] }, null, 2)}\n`);
    },
  });
  let page;
  before(() => {
    page = workbench.page;
  });

  const groupRow = (label) => treeRows(page, 1).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}`) }) }).first();
  const showTree = () => showPapers(page);
  const reload = async () => {
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 30_000 });
    await waitForWorkbench(page);
    await showTree();
  };

  it('shows a row for the library file with how many entries were merged and skipped, and lists them', async function () {
    this.timeout(90_000);
    await activityIcon(page).waitFor({ state: 'visible', timeout: 30_000 });
    await showTree();
    const fileRow = groupRow('mine\\.bib');
    await fileRow.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await treeRows(page, 1).first().getAttribute('aria-label'), await fileRow.getAttribute('aria-label'), 'the file row comes first');
    await waitFor(async () => (/1 skipped · 1 merged · 2 papers/.test(await fileRow.innerText()) ? true : undefined), 10_000);
    await screenshot(page, 'tree-library-file.png');

    await fileRow.click();
    const { widget, rows } = quickPick(page);
    await widget.locator('.quick-input-title', { hasText: 'Merged and Skipped Entries of library/mine.bib' }).waitFor({ state: 'visible', timeout: 10_000 });
    const texts = await waitFor(async () => {
      const all = await rows.allInnerTexts();
      return all.length === 2 ? all : undefined;
    }, 10_000);
    assert.match(texts[0], /broken2021[\s\S]*skipped · line 17[\s\S]*not closed/);
    assert.match(texts[1], /bees2023again[\s\S]*merged · line 9[\s\S]*Merged into "bees2023" \(mine\.bib, line 1\)/);
    await screenshot(page, 'tree-library-file-entries.png');
    await rows.first().click();
    await waitFor(async () => ((await activeTabTitle(page)) === 'mine.bib' ? true : undefined), 10_000);
    assert.equal(await cursorLine(page), 17, 'the editor is at the skipped entry');
  });

  it('opens the groups a person left open after the window is reloaded, and no others', async function () {
    this.timeout(150_000);
    await showTree();
    const unsorted = groupRow('Unsorted');
    const credit = groupRow('Token-level credit assignment');
    const preference = groupRow('Preference optimization');
    for (const row of [unsorted, credit, preference]) {
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      await waitFor(async () => ((await row.getAttribute('aria-expanded')) === 'true' ? true : undefined), 5_000);
    }
    // Opened, then closed again: it stays closed.
    await credit.click();
    await waitFor(async () => ((await credit.getAttribute('aria-expanded')) === 'false' ? true : undefined), 5_000);

    await reload();
    await waitFor(async () => ((await unsorted.getAttribute('aria-expanded')) === 'true' ? true : undefined), 20_000);
    assert.equal(await preference.getAttribute('aria-expanded'), 'true');
    assert.equal(await credit.getAttribute('aria-expanded'), 'false');
    const paper = treeRows(page, 2).filter({ has: page.locator('.label-name', { hasText: 'Hives, Frames and Smokers' }) }).first();
    await paper.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'tree-after-reload.png');

    // Collapse All closes every group, and they stay closed after the next reload.
    // The view's title actions show while the pointer is over the side bar's title (the only view has no header of its own).
    await page.locator('.part.sidebar > .title').hover();
    await page.locator('.part.sidebar > .title .action-label[aria-label="Collapse All"]').click();
    await waitFor(async () => ((await unsorted.getAttribute('aria-expanded')) === 'false' ? true : undefined), 5_000);
    await reload();
    await unsorted.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await papersTree(page).locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]').count(), 0, 'no group is open');
  });
});
