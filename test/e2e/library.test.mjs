// End-to-end: a person's own BibTeX library. The file and the setting are written on disk, as an
// editor or a `git pull` would; the Papers tree, the detail panel, Search Papers and the Problems
// panel are read from the screen. Screenshots go to artifacts/library-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { expandGroup, quickPick, runCommand, screenshot, treeRows, useWorkbench, visibleWebview, waitFor } from './harness.mjs';

const FILE = 'library/mine.bib';
const TITLE = 'Acoustic Monitoring of Honeybee Colonies Through the Winter';
const NEW_TITLE = 'Listening to Beehives: Acoustic Monitoring Through the Winter';
const entry = (title) => `@article{baker2023acoustic,
  author   = {Baker, Hannah and Imker, Jonas},
  title    = {${title}},
  journal  = {Journal of Apicultural Tests},
  year     = {2023},
  abstract = {Microphones placed inside wooden hives record the hum of overwintering honeybee colonies; the sound predicts colony strength in spring.}
}
`;
const SECOND = `
@book{imker2019hives,
  author    = {Imker, Jonas},
  title     = {Hives, Frames and Smokers: A Practical Handbook},
  publisher = {Garden Press},
  year      = {2019}
}
`;

describe('Your own library in the browser', function () {
  const workbench = useWorkbench();
  let page;
  let workspace;
  before(() => {
    ({ page } = workbench);
    workspace = workbench.session.workspace;
  });

  const write = (relative, text) => {
    fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    fs.writeFileSync(path.join(workspace, relative), text);
  };
  const paperRow = (title) => treeRows(page, 2).filter({ has: page.locator('.label-name', { hasText: title }) }).first();

  it('shows a paper of a .bib file named in the workspace settings in the Papers tree', async function () {
    this.timeout(90_000);
    write(FILE, entry(TITLE) + SECOND);
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    write('.vscode/settings.json', `${JSON.stringify({ ...settings, 'litnotes.library.files': [FILE] }, null, 2)}\n`);
    // Nothing about bees in the bundled topics: the papers go to "Unsorted". One try of expandGroup may
    // take its own 20 s on a busy machine, so the budget leaves room for a second look.
    await waitFor(async () => {
      await expandGroup(page, 'Unsorted');
      return (await paperRow(TITLE).isVisible()) ? true : undefined;
    }, 60_000);
    assert.match((await paperRow(TITLE).getAttribute('aria-label')) ?? '', /Baker and Imker · 2023/);
    await paperRow(TITLE).click();
    await visibleWebview(page).locator('h1', { hasText: TITLE }).waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'library-loaded.png');
  });

  it('shows a title changed on disk in the tree, the open detail panel and the search', async function () {
    this.timeout(60_000);
    write(FILE, entry(NEW_TITLE) + SECOND);
    await paperRow(NEW_TITLE).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await paperRow(TITLE).count(), 0, 'the old title is gone from the tree');
    await visibleWebview(page).locator('h1', { hasText: NEW_TITLE }).waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'library-live-reload.png');

    await runCommand(page, 'Lit Notes: Search Papers');
    const { widget, input, rows } = quickPick(page);
    // The palette's input turns into the search's only once the command has run: type after that.
    await widget.locator('.quick-input-title', { hasText: 'Search Papers' }).waitFor({ state: 'visible' });
    await input.pressSequentially('listening beehives', { delay: 20 });
    const first = await waitFor(async () => {
      const text = (await rows.count()) > 0 ? await rows.first().innerText() : '';
      return text.includes(NEW_TITLE) ? text : undefined;
    }, 10_000);
    assert.match(first, /Baker/);
    assert.equal(await input.inputValue(), 'listening beehives');
    await screenshot(page, 'library-search.png');
    await page.keyboard.press('Escape');
  });

  it('reports an entry broken on disk in the Problems panel and keeps its last good version', async function () {
    this.timeout(60_000);
    // The title is never closed: the entry runs into the next one.
    write(FILE, entry(NEW_TITLE).replace(`${NEW_TITLE}},`, `${NEW_TITLE},`) + SECOND);
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel');
    await markers.locator('.monaco-list-row', { hasText: 'mine.bib' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const problem = markers.locator('.monaco-list-row', { hasText: /"baker2023acoustic" is not closed/ }).first();
    await problem.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await problem.innerText(), /last version that could be read stays/);
    assert.match(await problem.innerText(), /Ln 1\b/);
    // The paper stays with its last good title, and the rest of the file still loads.
    await expandGroup(page, 'Unsorted');
    await paperRow(NEW_TITLE).waitFor({ state: 'visible' });
    await paperRow('Hives, Frames and Smokers').waitFor({ state: 'visible' });
    await screenshot(page, 'library-broken-entry.png');
  });
});
