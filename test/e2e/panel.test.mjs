// End-to-end: the paper detail panel next to the note being written. A person opens a note, clicks
// papers in the tree, presses the panel's buttons and links, and reloads the window; the results are
// read from the screen, from the note on disk and from the Lit Notes log. Nothing leaves the machine:
// the workbench's window.open is recorded instead of opening a tab, and any other address is answered
// with an empty page. Screenshots go to artifacts/panel-*.png.
/* global window, document */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import {
  expandGroup,
  openFile,
  quickPick,
  runCommand,
  screenshot,
  showPapers,
  typeInPick,
  useWorkbench,
  visibleWebview,
  waitFor,
  waitForWorkbench,
} from './harness.mjs';

const NOTE = 'notes/panel-note.md';
const ARCHER = { key: 'zhou2024archer', title: 'ArCHer: Training Language Model Agents via Hierarchical Multi-Turn RL', topic: 'Multi-turn and agent RL' };
const TREG = { key: 'zhou2024treg', title: 'T-REG: Preference Optimization with Token-Level Reward Regularization', topic: 'Token-level credit assignment' };
// A title of 100,000 characters that also tries to be markup and a link.
const LONG_KEY = 'doe2024long';
const LONG_TITLE = `<img src=x onerror=alert(1)> [Click me](command:workbench.action.quit) ${'Lengthy words repeated for a very long title '.repeat(2300)}`.slice(0, 100_000);

/**
 * Records the workbench's window.open calls (how VS Code in a browser opens a website) instead of
 * opening anything, and answers any other address with an empty page. Webview resources
 * (*.vscode-cdn.net) are the workbench's own, served by its service worker.
 */
async function recordExternalOpens({ context }) {
  await context.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && !url.hostname.endsWith('.vscode-cdn.net'),
    (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>blocked</title>' }),
  );
  await context.addInitScript(() => {
    if (window !== window.top) return;
    window.__litnotesOpened = [];
    window.open = (url) => {
      window.__litnotesOpened.push(String(url));
      return null;
    };
  });
}

describe('The detail panel beside a note', function () {
  const workbench = useWorkbench({
    beforeLoad: recordExternalOpens,
    prepare: (workspace) => {
      fs.writeFileSync(path.join(workspace, NOTE), '# Panel note\n\nCited here: \n');
      fs.mkdirSync(path.join(workspace, 'library'), { recursive: true });
      fs.writeFileSync(
        path.join(workspace, 'library', 'long.bib'),
        `@article{${LONG_KEY},\n  author = {Doe, Jane},\n  title = {${LONG_TITLE}},\n  journal = {Journal of Tests},\n  year = {2024}\n}\n`,
      );
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
      fs.writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'litnotes.library.files': ['library/long.bib'] }, null, 2)}\n`);
    },
  });
  let page;
  let workspace;
  before(() => {
    ({ page } = workbench);
    workspace = workbench.session.workspace;
  });

  const opened = () => page.evaluate(() => window.__litnotesOpened);
  const dialog = () => page.locator('.monaco-dialog-box').filter({ visible: true });
  const tabs = () => page.locator('.editor-group-container .tabs-container .tab');
  const panelTabs = () => tabs().filter({ has: page.locator('.label-name', { hasText: /^(ArCHer|T-REG|Lengthy|<img)/ }) });
  const noteTab = () => tabs().filter({ hasText: 'panel-note.md' });
  const paperRow = async (paper) => (await expandGroup(page, paper.topic)).filter({ hasText: paper.title.slice(0, 20) }).first();
  const noteText = () => fs.readFileSync(path.join(workspace, NOTE), 'utf8');
  /** The note's editor: the only text editor on screen, active or not. */
  const noteEditor = () => page.locator('.editor-instance .monaco-editor').filter({ visible: true }).first();

  it('opens the panel beside the note, and its Insert Citation writes into that note', async function () {
    this.timeout(90_000);
    await showPapers(page);
    await openFile(page, 'panel-note.md');
    await noteEditor().locator('.view-line', { hasText: 'Cited here' }).click();
    await page.keyboard.press('End');

    await (await paperRow(ARCHER)).click();
    const detail = visibleWebview(page);
    await detail.locator('h1', { hasText: ARCHER.title }).waitFor({ state: 'visible', timeout: 60_000 });
    // The note is still on screen, in its own group, next to the panel.
    assert.equal(await page.locator('.editor-group-container').count(), 2);
    await noteTab().first().waitFor({ state: 'visible' });
    assert.match((await noteTab().first().getAttribute('class')) ?? '', /\bactive\b/);
    await noteEditor().locator('.view-line', { hasText: 'Cited here' }).waitFor({ state: 'visible' });
    await screenshot(page, 'panel-beside-note.png');

    await detail.getByRole('button', { name: /Insert Citation/ }).click();
    await noteEditor().locator('.view-line', { hasText: `[@${ARCHER.key}]` }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await page.locator('.notifications-toasts', { hasText: 'No Markdown note is open' }).count(), 0);
    await runCommand(page, 'File: Save All');
    const text = await waitFor(() => (noteText().includes(ARCHER.key) ? noteText() : undefined), 10_000);
    assert.match(text, new RegExp(`^Cited here: \\[@${ARCHER.key}\\]$`, 'm'));
    await screenshot(page, 'panel-citation-inserted.png');
  });

  it('shows the next paper in the same panel tab, still beside the note', async function () {
    this.timeout(90_000);
    await (await paperRow(TREG)).click();
    await visibleWebview(page).locator('h1', { hasText: TREG.title }).waitFor({ state: 'visible', timeout: 60_000 });
    await waitFor(async () => ((await panelTabs().count()) === 1 ? true : undefined), 5_000);
    assert.match(await panelTabs().first().innerText(), /^T-REG/);
    await noteTab().first().waitFor({ state: 'visible' });
    // The citation goes to the note again, at its cursor (after the first one).
    await visibleWebview(page).getByRole('button', { name: /Insert Citation/ }).click();
    await noteEditor().locator('.view-line', { hasText: `[@${TREG.key}]` }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await noteEditor().locator('.view-line', { hasText: 'Cited here' }).innerText(), new RegExp(`\\[@${ARCHER.key}\\]\\[@${TREG.key}\\]`));
  });

  it('opens a link of the panel once, and logs it only when it was opened', async function () {
    this.timeout(60_000);
    const detail = visibleWebview(page);
    const arxiv = detail.locator('.links a', { hasText: 'arXiv' });
    const url = 'https://arxiv.org/abs/2412.02685';

    // First time: cancel VS Code's question about the external website, if it asks.
    await arxiv.click();
    const asked = await dialog().first().waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
    if (asked) {
      await screenshot(page, 'panel-link-dialog.png');
      assert.equal(await dialog().count(), 1, 'one question for one click');
      await dialog().getByRole('button', { name: 'Cancel' }).click();
      await dialog().first().waitFor({ state: 'hidden' });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.deepEqual(await opened(), []);
      const log = await readLog();
      assert.doesNotMatch(log, /Opening https:\/\/arxiv\.org\/abs\/2412\.02685/);
      await (await visibleWebview(page).locator('.links a', { hasText: 'arXiv' })).click();
      await dialog().first().waitFor({ state: 'visible', timeout: 5_000 });
      assert.equal(await dialog().count(), 1, 'one question for one click');
      await dialog().getByRole('button', { name: 'Open', exact: true }).click();
    }
    await waitFor(async () => ((await opened()).length > 0 ? true : undefined), 5_000);
    // Time for a second path (a second tab or a question) to show up, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(await opened(), [url]);
    assert.equal(await dialog().count(), 0);
    assert.match(await readLog(), /Opened https:\/\/arxiv\.org\/abs\/2412\.02685/);
  });

  it('comes back as the one panel with the same paper after a window reload', async function () {
    this.timeout(150_000);
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 30_000 });
    await waitForWorkbench(page);
    // The panel fills once the library has loaded again.
    await visibleWebview(page).locator('h1', { hasText: TREG.title }).waitFor({ state: 'visible', timeout: 90_000 });
    assert.equal(await panelTabs().count(), 1);
    await noteTab().first().waitFor({ state: 'visible' });
    // Insert Citation still finds the note after the reload, though no note has had the focus since.
    await visibleWebview(page).getByRole('button', { name: /Insert Citation/ }).click();
    // The line wraps in the narrow editor beside the panel: count in the editor's whole text, not in one visual line.
    const shown = async () => (await noteEditor().locator('.view-lines').innerText()).replace(/\s+/g, '');
    await waitFor(async () => ((await shown()).split(`[@${TREG.key}]`).length === 3 ? true : undefined), 10_000);
    assert.equal(await page.locator('.notifications-toasts', { hasText: 'No Markdown note is open' }).count(), 0);
    await runCommand(page, 'File: Save All');
    await waitFor(() => (noteText().split(`[@${TREG.key}]`).length === 3 ? true : undefined), 10_000);
    await screenshot(page, 'panel-after-reload.png');
  });

  it('shortens a 100,000-character title in the heading and the tab, as plain text', async function () {
    this.timeout(60_000);
    // The panel of the test before can take the focus once it is ready, closing the pick: typeInPick opens it again.
    const { input } = await typeInPick(page, {
      command: 'Lit Notes: Search Papers',
      title: 'Search Papers',
      type: (field) => field.fill(LONG_KEY),
      listed: async (rows) => (await rows.count()) > 0 && /Lengthy|img/.test(await rows.first().innerText()),
    });
    await input.press('Enter');
    const detail = visibleWebview(page);
    const heading = detail.locator('h1', { hasText: 'Lengthy words' });
    await heading.waitFor({ state: 'visible', timeout: 20_000 });
    const shown = await heading.innerText();
    assert.ok(shown.length < 400, `the heading shows ${shown.length} characters`);
    assert.ok(shown.startsWith('<img src=x onerror=alert(1)> [Click me](command:workbench.action.quit) Lengthy'), shown.slice(0, 100));
    assert.match(shown, /…$/);
    assert.equal(await detail.locator('h1 img, h1 a').count(), 0);
    assert.equal(await panelTabs().count(), 1);
    const tabTitle = (await panelTabs().first().locator('.label-name').innerText()).trim();
    assert.ok(tabTitle.length <= 41, `tab title: ${tabTitle}`);
    // The webview's own document title is shortened too.
    const documentTitle = await detail.locator('html').evaluate(() => document.title);
    assert.ok(documentTitle.length < 400, `document title of ${documentTitle.length} characters`);
    // The whole title is one click away.
    await detail.getByRole('button', { name: /Show the whole title/ }).click();
    await waitFor(async () => ((await heading.innerText()).length === LONG_TITLE.trim().replace(/\s+/g, ' ').length ? true : undefined), 5_000);
    await detail.getByRole('button', { name: /Show less/ }).click();
    await waitFor(async () => ((await heading.innerText()).length < 400 ? true : undefined), 5_000);
    await screenshot(page, 'panel-long-title.png');
  });

  /** The Lit Notes output channel's text, as the Output view shows it. */
  async function readLog() {
    await runCommand(page, 'Output: Show Output Channels...');
    const { input, rows } = quickPick(page);
    await input.fill('Lit Notes');
    await rows.filter({ hasText: 'Lit Notes' }).first().waitFor({ state: 'visible' });
    await input.press('Enter');
    const lines = page.locator('.part.panel .monaco-editor .view-lines');
    await lines.first().waitFor({ state: 'visible', timeout: 10_000 });
    const text = (await lines.first().innerText()).replace(/\u00a0/g, ' ');
    await runCommand(page, 'View: Hide Panel');
    return text;
  }
});
