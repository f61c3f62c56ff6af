// End-to-end: Lit Notes used like a person would, in VS Code (code-server) in headless chromium.
// Screenshots go to artifacts/ on every run.
/* global navigator */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import {
  activeEditor,
  activityIcon,
  openFile,
  quickPick,
  runCommand,
  screenshot,
  settledRows,
  showPapers,
  typeInPick,
  treeRows,
  useWorkbench,
  visibleWebview,
  waitFor,
  waitForWorkbench,
} from './harness.mjs';

describe('Lit Notes in the browser', function () {
  const workbench = useWorkbench();
  let page;
  before(() => {
    page = workbench.page;
  });

  it('shows the Lit Notes icon in the activity bar and the library by topic', async () => {
    await activityIcon(page).waitFor({ state: 'visible', timeout: 30_000 });
    await showPapers(page);
    const topics = await treeRows(page, 1).allInnerTexts();
    assert.ok(topics.length >= 5, `expected several topic rows, got ${JSON.stringify(topics)}`);
  });

  it('opens a paper from the tree in the detail panel, with its title and abstract', async () => {
    const topic = treeRows(page, 1).first();
    if ((await topic.getAttribute('aria-expanded')) !== 'true') await topic.click();
    const paper = treeRows(page, 2).first();
    await paper.waitFor({ state: 'visible' });
    const rowTitle = (await paper.locator('.label-name').first().innerText()).trim();
    await paper.click();
    const detail = visibleWebview(page);
    const heading = detail.locator('h1');
    await heading.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal((await heading.innerText()).trim(), rowTitle);
    const abstract = (await detail.locator('.abstract').innerText()).trim();
    assert.ok(abstract.length > 40, `abstract too short: ${abstract}`);
    await screenshot(page, 'tree-and-detail.png');
  });

  it('runs a command from a button in the detail panel (Copy BibTeX)', async () => {
    const detail = visibleWebview(page);
    await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
    await detail.getByRole('button', { name: /Copy BibTeX/ }).click();
    await assert.doesNotReject(
      waitFor(async () => {
        const text = await page.evaluate(() => navigator.clipboard.readText());
        return /^@\w+\{\w+,/m.test(text) ? text : undefined;
      }, 10_000),
    );
  });

  it('restores the detail panel after the page is reloaded', async function () {
    this.timeout(150_000);
    const before = (await visibleWebview(page).locator('h1').innerText()).trim();
    // As a person would: "Developer: Reload Window" (VS Code saves its state, then reloads the page).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 30_000 });
    await waitForWorkbench(page);
    // The panel says "Loading…" until the library has loaded again: on a busy machine that takes a while.
    const heading = visibleWebview(page).locator('h1');
    await heading.waitFor({ state: 'visible', timeout: 90_000 });
    assert.equal((await heading.innerText()).trim(), before);
  });

  it('finds a paper with Search Papers despite typos and opens it', async function () {
    this.timeout(90_000);
    // Right after the reload above, the restored panel's webview can take the focus once it is ready,
    // which closes a quick pick opened before: typeInPick opens it again (a pick left open must list the paper).
    const { widget, input, rows } = await typeInPick(page, {
      command: 'Lit Notes: Search Papers',
      title: 'Search Papers',
      type: (field) => field.pressSequentially('credt asignment', { delay: 20 }),
      listed: async (shown) => (await shown.count()) > 0 && /credit/i.test(await shown.first().innerText()),
    });
    // On a busy machine the list still shows the results of what was typed before (whose first row may
    // be another paper) while the last keys are on their way, or the index is rebuilt (the progress bar):
    // read the first row once the index is there and the list is still.
    await widget.locator('.quick-input-progress.active').waitFor({ state: 'hidden', timeout: 30_000 });
    await settledRows(rows, 2000);
    const first = (await rows.first().locator('.label-name').first().innerText()).trim();
    await screenshot(page, 'search-quick-pick.png');
    await input.press('Enter');
    await widget.waitFor({ state: 'hidden' });
    const heading = visibleWebview(page).locator('h1', { hasText: first.slice(0, 30) });
    await heading.waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('inserts a citation into a Markdown note', async () => {
    await openFile(page, 'reading-log.md');
    await activeEditor(page).locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await runCommand(page, 'Lit Notes: Insert Citation');
    const { input, rows } = quickPick(page);
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially('archer hierarchical', { delay: 20 });
    await waitFor(async () => ((await rows.count()) > 0 && /ArCHer/.test(await rows.first().innerText()) ? true : undefined), 10_000);
    await settledRows(rows);
    // A multi-select pick: tick the paper's check box, then accept with Enter.
    await rows.first().locator('input[type="checkbox"], [role="checkbox"]').first().click({ timeout: 5000 }).catch(async (error) => {
      throw new Error(`${error.message}\n${await rows.first().evaluate((row) => row.outerHTML)}`);
    });
    await page.locator('.quick-input-widget .quick-input-count', { hasText: '1' }).waitFor({ state: 'visible', timeout: 5000 });
    await input.press('Enter');
    await quickPick(page).widget.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+S');
    const file = path.join(workbench.session.workspace, 'notes', 'reading-log.md');
    const text = await waitFor(() => {
      const content = fs.readFileSync(file, 'utf8');
      return content.includes('zhou2024archer') ? content : undefined;
    }, 10_000);
    assert.match(text, /\[@zhou2024archer\]|zhou2024archer/);
    await screenshot(page, 'citation-inserted.png');
  });
});
