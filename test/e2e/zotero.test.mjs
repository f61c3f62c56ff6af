// End-to-end: Zotero as a live library, against the Zotero double (test/doubles) in a process of
// its own, answering as Zotero 7's local API on 127.0.0.1. A person sees the Papers view grouped by
// Zotero collection with the line saying when Zotero was synced, sees a title edited in Zotero
// change in the tree within 5 seconds, and imports a paper's annotations from the detail panel into
// its literature note. Screenshots go to artifacts/zotero-*.png.
/* global fetch */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, it } from 'mocha';
import { expandGroup, papersTree, ROOT, runCommand, screenshot, showPapers, treeRows, useWorkbench, visibleWebview, waitFor } from './harness.mjs';

/** Starts the double; `call(method, ...args)` scripts it. */
async function startDouble() {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'test', 'doubles', 'zoteroServerMain.ts'), '{}'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value);
  const { url } = await next();
  const call = async (method, ...args) => {
    child.stdin.write(`${JSON.stringify({ method, args })}\n`);
    const answer = await next();
    if (answer.error) throw new Error(answer.error);
    return answer.result;
  };
  return { url, call, stop: () => child.stdin.end() };
}

const ANNOTATED = 'Annotated Paper on Credit Assignment';

describe('Zotero as a live library', function () {
  let double;
  let paperKey;
  before(async function () {
    this.timeout(60_000);
    double = await startDouble();
    const reading = await double.call('addCollection', 'Reading');
    const rl = await double.call('addCollection', 'RL', reading);
    paperKey = await double.call('addItem', 'journalArticle', { title: ANNOTATED, creators: [{ creatorType: 'author', firstName: 'Ada', lastName: 'Annotator' }], date: '2023', publicationTitle: 'Journal of Tests', tags: [{ tag: 'from-zotero' }] }, [rl]);
    await double.call('addItem', 'conferencePaper', { title: 'A Title Soon Edited in Zotero', creators: [{ creatorType: 'author', firstName: 'Eve', lastName: 'Editor' }], date: '2022', proceedingsTitle: 'Proceedings of Tests' }, [reading]);
    await double.call('addItem', 'preprint', { title: '<img src=x onerror=alert(1)> [Click me](command:workbench.action.quit)', date: '2024', repository: 'arXiv' }, [reading]);
    const pdf = await double.call('addAttachment', paperKey);
    await double.call('addAnnotation', pdf, { type: 'highlight', text: 'Credit goes where it is due. *Not emphasis*', comment: 'Key claim', pageIndex: 2, pageLabel: '3' });
    await double.call('addAnnotation', pdf, { type: 'note', comment: 'A sticky note on the first page', color: '#ff6666', pageIndex: 0, pageLabel: '1' });
    await double.call('addAnnotation', pdf, { type: 'image', comment: 'Figure 1: the loss curve', color: '#5fb236', pageIndex: 1, pageLabel: '2' });
  });
  after(() => double?.stop());

  const workbench = useWorkbench({
    prepare: (workspace) => {
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
      fs.writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'litnotes.zotero.enabled': true, 'litnotes.zotero.url': double.url, 'litnotes.tree.groupBy': 'collection' }, null, 2)}\n`);
    },
  });

  it('groups the Papers view by Zotero collection and says when Zotero was synced', async () => {
    const { page } = workbench;
    await showPapers(page);
    // The first sync follows activation, which a busy machine slows down.
    const message = page.locator('.pane:has(.pane-header[aria-label^="Papers"]) .pane-body').getByText(/^Zotero: 3 items, synced at/);
    await message.waitFor({ state: 'visible', timeout: 45_000 });
    const rows = await expandGroup(page, 'Reading › RL');
    await rows.filter({ hasText: ANNOTATED }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await expandGroup(page, 'Reading');
    const labels = await treeRows(page, 1).locator('.label-name').allInnerTexts();
    assert.ok(labels.indexOf('Reading') >= 0 && labels.indexOf('Reading') < labels.indexOf('Reading › RL'), labels.join(' | '));
    // The hostile title is a row of text, not an image.
    assert.equal(await papersTree(page).locator('img').count(), 0);
    // The rows of a group just opened are drawn a moment later.
    await treeRows(page, 2).filter({ hasText: '<img src=x onerror=alert(1)> [Click me]' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await treeRows(page, 2).filter({ hasText: '<img src=x onerror=alert(1)> [Click me]' }).count(), 1);
    await screenshot(page, 'zotero-tree.png');
  });

  it('shows a title edited in Zotero within 5 seconds', async () => {
    const { page } = workbench;
    const keys = await fetch(`${double.url}/api/users/0/items/top?format=versions&q=Soon`, { headers: { 'Zotero-Allowed-Request': '1' } }).then((response) => response.json());
    await expandGroup(page, 'Reading');
    await treeRows(page, 2).filter({ hasText: 'A Title Soon Edited in Zotero' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await double.call('editItem', Object.keys(keys)[0], { title: 'A Title Edited in Zotero' });
    const started = Date.now();
    await treeRows(page, 2).filter({ hasText: 'A Title Edited in Zotero' }).first().waitFor({ state: 'visible', timeout: 5000 });
    assert.ok(Date.now() - started < 5000);
  });

  it('imports the annotations from the detail panel into the literature note', async () => {
    const { page, session } = workbench;
    await expandGroup(page, 'Reading › RL');
    await treeRows(page, 2).filter({ hasText: ANNOTATED }).first().click();
    const panel = visibleWebview(page);
    const button = panel.getByRole('button', { name: 'Import Annotations' });
    await button.waitFor({ state: 'visible', timeout: 15_000 });
    await panel.getByText('from-zotero').waitFor({ state: 'visible', timeout: 5000 });
    await screenshot(page, 'zotero-panel.png');
    await button.click();
    const note = path.join(session.workspace, 'notes', 'annotator2023annotated.md');
    const text = await waitFor(() => (fs.existsSync(note) && fs.readFileSync(note, 'utf8').includes('litnotes:zotero-annotations') ? fs.readFileSync(note, 'utf8') : undefined), 30_000);
    const section = text.slice(text.indexOf('## Annotations from Zotero'));
    assert.ok(section.indexOf('A sticky note') < section.indexOf('Figure 1') && section.indexOf('Figure 1') < section.indexOf('Credit goes'), section);
    assert.match(section, /> Credit goes where it is due\. \\\*Not emphasis\\\*/);
    assert.match(section, /Yellow highlight · \[@annotator2023annotated, p\. 3\] · \[Open in Zotero\]\(zotero:\/\/open-pdf\/library\/items\/[A-Z0-9]{8}\?page=3&annotation=[A-Z0-9]{8}\)/);
    await page.locator('.tabs-container .tab.active', { hasText: 'annotator2023annotated.md' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Control+End');
    await screenshot(page, 'zotero-annotations.png');
  });
  it('offers Import Annotations in the tree row`s context menu, the note`s title bar and the palette', async () => {
    const { page } = workbench;
    const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
    await page.locator('.tabs-container .tab.active', { hasText: 'annotator2023annotated.md' }).waitFor({ state: 'visible', timeout: 10_000 });
    const titleAction = page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Import Annotations"]');
    await titleAction.waitFor({ state: 'visible', timeout: 10_000 });
    await titleAction.click();
    await toast('are up to date with Zotero (3)').first().waitFor({ state: 'visible', timeout: 10_000 });
    // The same message again would only join the first one: clear it before asking from the palette.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await waitFor(async () => ((await toast('are up to date with Zotero (3)').count()) === 0 ? true : undefined), 10_000);
    await runCommand(page, 'Lit Notes: Import Annotations');
    await toast('are up to date with Zotero (3)').first().waitFor({ state: 'visible', timeout: 10_000 });
    await showPapers(page);
    await treeRows(page, 2).filter({ hasText: ANNOTATED }).first().click({ button: 'right' });
    const item = page.locator('.context-view .monaco-menu .action-label', { hasText: 'Import Annotations' });
    await item.waitFor({ state: 'visible', timeout: 5000 });
    await screenshot(page, 'zotero-context-menu.png');
    await page.keyboard.press('Escape');
    // Not on a paper that is not in Zotero.
    await expandGroup(page, 'In no collection');
    const group = treeRows(page, 1).filter({ hasText: 'In no collection' }).first();
    const first = papersTree(page).locator(`.monaco-list-row[data-index="${Number(await group.getAttribute('data-index')) + 1}"]`);
    await first.click({ button: 'right' });
    await page.locator('.context-view .monaco-menu').waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await item.count(), 0, 'no Import Annotations for a paper that is not in Zotero');
    await page.keyboard.press('Escape');
  });

  it('drops a paper trashed and one deleted in Zotero from the tree within 5 seconds', async () => {
    const { page } = workbench;
    const keysOf = (q) => fetch(`${double.url}/api/users/0/items/top?format=versions&q=${encodeURIComponent(q)}`, { headers: { 'Zotero-Allowed-Request': '1' } }).then((response) => response.json());
    const [edited] = Object.keys(await keysOf('Edited in Zotero'));
    const [hostile] = Object.keys(await keysOf('Click me'));
    await double.call('trashItem', edited);
    await double.call('deleteItem', hostile);
    const started = Date.now();
    const inReading = () => treeRows(page, 2).filter({ hasText: /A Title Edited in Zotero|Click me/ });
    await waitFor(async () => ((await inReading().count()) === 0 ? true : undefined), 5000);
    assert.ok(Date.now() - started < 5000, `gone after ${Date.now() - started} ms`);
  });
});
