// End-to-end: adding papers by identifier as a person does it, against the local double of arXiv,
// doi.org, Crossref and OpenReview (bundled here from test/doubles, on 127.0.0.1). The palette, the
// input box, the progress notification, the Papers tree, the detail panel and the update's quick pick
// are read from the screen. Screenshots go to artifacts/identifiers-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { after, before, describe, it } from 'mocha';
import { quickPick, ROOT, runCommand, screenshot, treeRows, useWorkbench, visibleWebview, waitFor } from './harness.mjs';

const FILE = 'library/refs.bib';
const MINE = `% kept by hand
@book{imker2019hives,
  author    = {Imker, Jonas},
  title     = {Hives, Frames and Smokers},
  publisher = {Garden Press},
  year      = {2019}
}
`;
const TITLE = 'Credit Where It Is Due: Token-Level Rewards for Multi-Turn Language Agents';

/** The double is TypeScript: bundled once into a temporary module this test can import. */
async function loadDouble() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-double-'));
  const outfile = path.join(dir, 'metadataServer.mjs');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'test', 'doubles', 'metadataServer.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return { module: await import(pathToFileURL(outfile).href), dir };
}

describe('Add Paper by Identifier in the browser', function () {
  let double;
  let doubleModule;
  let doubleDir;
  const workbench = useWorkbench({
    async prepare(workspace) {
      const loaded = await loadDouble();
      doubleDir = loaded.dir;
      doubleModule = loaded.module;
      double = await doubleModule.startMetadataDouble();
      fs.mkdirSync(path.join(workspace, 'library'), { recursive: true });
      fs.writeFileSync(path.join(workspace, FILE), MINE);
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const settings = fs.readFileSync(settingsFile, 'utf8');
      // The fixture's settings point the services at a closed port; these point them at the double.
      const endpoints = {
        'litnotes.library.files': [FILE],
        'litnotes.identifiers.arxivApi': double.endpoints.arxivApi,
        'litnotes.identifiers.doiResolver': double.endpoints.doiResolver,
        'litnotes.identifiers.crossrefApi': double.endpoints.crossrefApi,
        'litnotes.identifiers.openReviewApi': double.endpoints.openReviewApi,
      };
      const kept = settings.split('\n').filter((line) => !/"litnotes\.identifiers\./.test(line) && !/^\s*\/\//.test(line)).join('\n');
      const parsed = JSON.parse(kept.replace(/,(\s*})/, '$1'));
      fs.writeFileSync(settingsFile, `${JSON.stringify({ ...parsed, ...endpoints }, null, 2)}\n`);
    },
  });
  let page;
  let workspace;
  before(() => {
    ({ page } = workbench);
    workspace = workbench.session.workspace;
  });
  after(async () => {
    await double?.close();
    if (doubleDir) fs.rmSync(doubleDir, { recursive: true, force: true });
  });

  const notification = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  const paperRow = (title) => treeRows(page, 2).filter({ has: page.locator('.label-name', { hasText: title }) }).first();

  it('adds two papers typed into the input box, with a progress notification, and opens the first', async function () {
    this.timeout(90_000);
    await page.waitForTimeout(3000);
    double.delayMs = 2500;
    await runCommand(page, 'Lit Notes: Add Paper by Identifier…');
    const { widget, input } = quickPick(page);
    await widget.locator('.quick-input-title', { hasText: 'Add Paper by Identifier' }).waitFor({ state: 'visible' });
    await input.fill('arXiv:2501.01234v2, https://aclanthology.org/2024.acl-long.123/');
    await screenshot(page, 'identifiers-input.png');
    await input.press('Enter');
    await notification('looking up 2 papers').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'identifiers-progress.png');
    double.delayMs = 0;
    await visibleWebview(page).locator('h1', { hasText: TITLE }).waitFor({ state: 'visible', timeout: 30_000 });
    await paperRow(TITLE).waitFor({ state: 'visible', timeout: 20_000 });
    assert.match((await paperRow(TITLE).getAttribute('aria-label')) ?? '', /Lovelace et al\. · 2025/);
    await notification('Added lovelace2025credit, sparckjones2024turnlevel to refs.bib').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'identifiers-added.png');
    const text = fs.readFileSync(path.join(workspace, FILE), 'utf8');
    assert.ok(text.startsWith(`${MINE}\n@misc{lovelace2025credit,`), 'the file is kept and the entries appended');
    assert.match(text, /@inproceedings\{sparckjones2024turnlevel,/);
  });

  it('says a paper is already in the library instead of adding it again', async function () {
    this.timeout(60_000);
    const before = fs.readFileSync(path.join(workspace, FILE), 'utf8');
    await runCommand(page, 'Lit Notes: Add Paper by Identifier…');
    const { widget, input } = quickPick(page);
    await widget.locator('.quick-input-title', { hasText: 'Add Paper by Identifier' }).waitFor({ state: 'visible' });
    await input.fill('https://arxiv.org/abs/2501.01234');
    await input.press('Enter');
    await notification('Already in your library').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await notification('Already in your library').innerText(), /lovelace2025credit, same arXiv id/);
    await screenshot(page, 'identifiers-duplicate.png');
    assert.equal(fs.readFileSync(path.join(workspace, FILE), 'utf8'), before);
  });

  it('updates a paper from its new arXiv version after showing what would change', async function () {
    this.timeout(60_000);
    const original = doubleModule.ARXIV_PAPERS.find((candidate) => candidate.id === '2501.01234');
    double.setArxivPaper({ ...original, version: 3, journalRef: 'Journal of Tests 7 (2025) 1-9' });
    await runCommand(page, 'Lit Notes: Update Paper Metadata');
    const { widget, input, rows } = quickPick(page);
    await widget.locator('.quick-input-title', { hasText: 'Update Paper Metadata' }).waitFor({ state: 'visible' });
    await input.pressSequentially('lovelace credit', { delay: 20 });
    await rows.filter({ hasText: TITLE }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await input.press('Enter');
    await widget.locator('.quick-input-title', { hasText: 'Update "lovelace2025credit" in refs.bib' }).waitFor({ state: 'visible', timeout: 20_000 });
    await rows.filter({ hasText: 'journal' }).first().waitFor({ state: 'visible' });
    // The entry type, the journal and the arXiv version change.
    await rows.filter({ hasText: 'version' }).first().waitFor({ state: 'visible' });
    await screenshot(page, 'identifiers-update.png');
    await input.press('Enter');
    await notification('updated 3 fields of "lovelace2025credit"').waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor(() => (/@article\{lovelace2025credit,[^@]*journal = \{Journal of Tests 7 \(2025\) 1-9\}/.test(fs.readFileSync(path.join(workspace, FILE), 'utf8')) ? true : undefined), 10_000);
  });
});
