// End-to-end: a library from another field (proof engineering, titles only, no keywords or groups)
// gets topic rows of its own in the Papers tree, named by their terms; a paper's tooltip says why it
// is under its topic; a discovered topic pinned from its context menu stays after a reload, kept in
// .litnotes/topics.json. Screenshots go to artifacts/topics-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { activityIcon, ROOT, runCommand, screenshot, showPapers, treeRows, useWorkbench, waitFor, waitForWorkbench } from './harness.mjs';

const FILE = 'library/proof-engineering.bib';
const PAPERS = 149;

describe('Topics of a library from another field, in the browser', function () {
  const workbench = useWorkbench({
    prepare(workspace) {
      fs.mkdirSync(path.join(workspace, 'library'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'test/fixtures/topics/proof-engineering.bib'), path.join(workspace, FILE));
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
      fs.writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'litnotes.library.files': [FILE], 'litnotes.library.includeBundled': false }, null, 2)}\n`);
    },
  });
  let page;
  before(() => {
    page = workbench.page;
  });

  const showTree = () => showPapers(page);
  /** The topic rows as a person reads them: label and count (the aria label is "label, N papers"). */
  const topicRows = async () => {
    const labels = await treeRows(page, 1).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
    return labels.flatMap((label) => {
      const match = /^(.*), (\d+) papers$/.exec(label);
      return match && !label.startsWith('Library file ') ? [{ label: match[1], count: Number(match[2]) }] : [];
    });
  };
  /** Every topic row, with every group closed (the list shows only what fits in the view). */
  const allTopicRows = async () => {
    // The view's title actions show while the pointer is over the side bar's title.
    await page.locator('.part.sidebar > .title').hover();
    await page.locator('.part.sidebar > .title .action-label[aria-label="Collapse All"]').click();
    await waitFor(async () => ((await treeRows(page, 2).count()) === 0 ? true : undefined), 10_000);
    return topicRows();
  };
  const hoverText = async (row) => {
    const tooltip = page.locator('.monaco-hover .hover-contents').filter({ visible: true }).first();
    for (let attempt = 0; ; attempt++) {
      await row.hover();
      try {
        await tooltip.waitFor({ state: 'visible', timeout: 8_000 });
        return await tooltip.innerText();
      } catch (error) {
        if (attempt === 2) throw error;
        await page.mouse.move(700, 850);
      }
    }
  };

  it('shows topics discovered from the titles, named by their terms, with few papers left in Unsorted', async function () {
    this.timeout(120_000);
    await activityIcon(page).waitFor({ state: 'visible', timeout: 30_000 });
    await showTree();
    const rows = await waitFor(async () => {
      const found = await topicRows();
      return found.some((row) => row.label.includes(' · ')) ? found : undefined;
    }, 30_000);
    const discovered = rows.filter((row) => row.label.includes(' · '));
    assert.ok(discovered.length >= 3, `discovered topics: ${JSON.stringify(rows)}`);
    for (const row of discovered) {
      assert.doesNotMatch(row.label, /cluster|topic \d/i, 'named by terms, not numbered');
      assert.ok(row.count >= 2, `${row.label}: ${row.count}`);
    }
    const unsorted = rows.find((row) => row.label === 'Unsorted')?.count ?? 0;
    assert.ok(unsorted < PAPERS / 2, `${unsorted} of ${PAPERS} unsorted: ${JSON.stringify(rows)}`);
    console.log(`      topic rows: ${rows.map((row) => `${row.label} (${row.count})`).join('; ')}`);

    // Open the largest discovered topic: its papers say which terms they share with it.
    const largest = [...discovered].sort((a, b) => b.count - a.count)[0];
    const topicRow = treeRows(page, 1).filter({ has: page.locator('.label-name', { hasText: largest.label }) }).first();
    await topicRow.click();
    await waitFor(async () => ((await topicRow.getAttribute('aria-expanded')) === 'true' ? true : undefined), 10_000);
    const paper = treeRows(page, 2).first();
    await paper.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await hoverText(paper);
    assert.match(text, new RegExp(`In "${largest.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" because it shares "[^"]+"`));
    await screenshot(page, 'topics-discovered.png');
  });

  it('pins a discovered topic from its context menu, moving no other topic, and the pinned topic is there again after a reload', async function () {
    this.timeout(150_000);
    await showTree();
    const rows = await allTopicRows();
    const target = rows.filter((row) => row.label.includes(' · ')).sort((a, b) => b.count - a.count)[0];
    const row = treeRows(page, 1).filter({ has: page.locator('.label-name', { hasText: target.label }) }).first();
    await page.mouse.move(700, 850);
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: 'Pin Discovered Topic' }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'topics-context-menu.png');
    await item.click();
    const file = path.join(workbench.session.workspace, '.litnotes', 'topics.json');
    const written = await waitFor(() => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined), 15_000);
    const [id, decision] = Object.entries(written.topics)[0];
    assert.match(id, /^discovered:/);
    assert.equal(decision.label, target.label);
    assert.equal(decision.pinned, true);
    assert.equal(decision.members.length, target.count);
    await waitFor(async () => ((await row.locator('.codicon-pinned').count()) > 0 ? true : undefined), 15_000);
    // Pinning the largest topic takes its papers out of discovery: no whole discovery for that.
    assert.deepEqual(await allTopicRows(), rows, 'every topic row as before the pin');

    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 30_000 });
    await waitForWorkbench(page);
    await showTree();
    const again = treeRows(page, 1).filter({ has: page.locator('.label-name', { hasText: target.label }) }).first();
    await again.waitFor({ state: 'visible', timeout: 60_000 });
    await waitFor(async () => ((await again.locator('.codicon-pinned').count()) > 0 ? true : undefined), 30_000);
    assert.equal(await again.getAttribute('aria-label'), `${target.label}, ${target.count} papers`);
    await screenshot(page, 'topics-pinned-after-reload.png');
    assert.deepEqual(await allTopicRows(), rows, 'every topic row as before the pin, after a reload');
  });
});
