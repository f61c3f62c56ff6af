// End-to-end: literature notes as a person writes them. Citations are typed into a note and
// completed, checked and explained by the editor; the detail panel sets the reading status, lists
// the notes that cite the paper and opens the paper's own note. Results are read from the screen
// and from the files on disk. Screenshots go to artifacts/notes-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import {
  activeEditor,
  activeTabTitle,
  cursorLine,
  expandGroup,
  openFile,
  runCommand,
  screenshot,
  showPapers,
  useWorkbench,
  visibleWebview,
  waitFor,
} from './harness.mjs';

const ARCHER = { key: 'zhou2024archer', title: 'ArCHer: Training Language Model Agents via Hierarchical Multi-Turn RL', topic: 'Multi-turn and agent RL' };
const DRAFT = 'notes/draft.md';

describe('Literature notes in the browser', function () {
  // A note of its own, so that no other suite's fixture changes.
  const workbench = useWorkbench({
    prepare: (workspace) => fs.writeFileSync(path.join(workspace, DRAFT), '# Draft\n\nA note written during the test.\n'),
  });
  let page;
  let workspace;
  before(() => {
    ({ page } = workbench);
    workspace = workbench.session.workspace;
  });

  /** The text of the editor's rendered line that contains `text` (spaces as typed). */
  const editorLine = async (text) => (await activeEditor(page).locator('.view-line', { hasText: text }).first().innerText()).replace(/\u00a0/g, ' ');
  const saveAndRead = async (expected) => {
    await page.keyboard.press('Control+S');
    return waitFor(() => {
      const content = fs.readFileSync(path.join(workspace, DRAFT), 'utf8');
      return content.includes(expected) ? content : undefined;
    }, 10_000);
  };

  it('completes a citation key typed after [@ and inserts the chosen key', async () => {
    // Show the library first: once the tree lists the papers, Lit Notes is running and has loaded them.
    await showPapers(page);
    await openFile(page, 'draft.md');
    await activeEditor(page).locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Hierarchical agents [@arch', { delay: 30 });
    const widget = page.locator('.editor-widget.suggest-widget');
    const rows = widget.locator('.monaco-list-row');
    const archer = rows.filter({ hasText: ARCHER.key });
    await archer.first().waitFor({ state: 'visible', timeout: 15_000 });
    const offered = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    assert.ok(offered.some((row) => row.includes(ARCHER.key) && row.includes('2024')), `rows: ${JSON.stringify(offered)}`);
    await screenshot(page, 'notes-completion.png');
    // Enter accepts the focused row: move the focus to ArCHer's row first if another paper ranks higher.
    for (let step = 0; step < offered.length && !(await archer.first().getAttribute('class'))?.includes('focused'); step++) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
    // The bracket closed itself when it was typed; the key replaces what was typed after the @.
    assert.equal(await editorLine('Hierarchical agents'), `Hierarchical agents [@${ARCHER.key}]`);
    assert.match(await saveAndRead(ARCHER.key), new RegExp(`^Hierarchical agents \\[@${ARCHER.key}\\]$`, 'm'));
  });

  it('flags an unknown key in the Problems panel and its quick fix replaces it with the closest paper', async () => {
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('A typo: [@zhou2024archr', { delay: 30 });
    await page.keyboard.press('Escape'); // the suggestions for the key being typed
    await page.keyboard.type(']'); // types over the bracket that closed itself
    assert.equal(await editorLine('A typo'), 'A typo: [@zhou2024archr]');
    await activeEditor(page).locator('.squiggly-warning').first().waitFor({ state: 'attached', timeout: 10_000 });

    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'No paper with the citation key "zhou2024archr"' });
    await problem.first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'notes-problems.png');

    // Back to the editor with the cursor inside the key, as a person would with the arrow keys.
    await page.keyboard.press('Control+1');
    await page.keyboard.press('End');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: `Replace with @${ARCHER.key}` });
    await fix.first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'notes-quick-fix.png');
    // The closest paper is the preferred fix, so it is the focused row: Enter applies it.
    assert.match((await fix.first().getAttribute('class')) ?? '', /\bfocused\b/);
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await editorLine('A typo')) === `A typo: [@${ARCHER.key}]` ? true : undefined), 5_000);
    await problem.first().waitFor({ state: 'detached', timeout: 10_000 });
    assert.match(await saveAndRead(`A typo: [@${ARCHER.key}]`), new RegExp(`^A typo: \\[@${ARCHER.key}\\]$`, 'm'));
  });

  it('explains a key in a hover: title, authors and links', async () => {
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+End');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await runCommand(page, 'Show or Focus Hover');
    const hover = page.locator('.monaco-hover').filter({ visible: true }).filter({ hasText: ARCHER.title }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal((await hover.locator('strong').first().innerText()).trim(), ARCHER.title);
    const text = await hover.innerText();
    assert.match(text, /Zhou/);
    assert.match(text, /Details/);
    assert.match(text, /Literature note/);
    await screenshot(page, 'notes-hover.png');
    await page.keyboard.press('Escape');
  });

  it('sets the reading status in the detail panel and goes to a note that cites the paper', async () => {
    const row = (await expandGroup(page, ARCHER.topic)).filter({ hasText: 'ArCHer' }).first();
    await row.click();
    const detail = visibleWebview(page);
    await detail.locator('h1', { hasText: ARCHER.title }).waitFor({ state: 'visible', timeout: 20_000 });

    await detail.locator('#reading-status').selectOption({ label: 'Reading' });
    const stateFile = path.join(workspace, '.litnotes', 'reading.json');
    const state = await waitFor(() => {
      const json = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      return json.papers?.[ARCHER.key]?.status === 'reading' ? json : undefined;
    }, 10_000);
    assert.equal(state.papers[ARCHER.key].status, 'reading');
    // The tree shows the status as the paper's icon (an eye for "reading").
    await row.locator('.codicon-eye').waitFor({ state: 'visible', timeout: 10_000 });
    // Its accessible label carries the description the narrow sidebar cuts off: the citation count and the status.
    const label = await waitFor(async () => {
      const text = (await row.getAttribute('aria-label')) ?? '';
      return /cited 4×.*Reading/.test(text) ? text : undefined;
    }, 10_000);
    assert.match(label, /^ArCHer: Training/);

    // Cited in: the two fixture files and the draft's two lines that the earlier tests wrote.
    const citedIn = detail.locator('.cited-in');
    await citedIn.locator('.file', { hasText: 'draft.md' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal((await detail.locator('#cited-heading').innerText()).trim().toLowerCase(), 'cited in (4)');
    const place = citedIn.locator('a.cite-line[aria-label^="notes/with-references.md, line 5"]');
    await place.waitFor({ state: 'visible' });
    await detail.locator('#cited-heading').scrollIntoViewIfNeeded();
    await screenshot(page, 'notes-detail-status-cited-in.png');
    await place.click();
    await waitFor(async () => ((await activeTabTitle(page)) === 'with-references.md' ? true : undefined), 10_000);
    await waitFor(async () => ((await cursorLine(page)) === 5 ? true : undefined), 5_000);
    await screenshot(page, 'notes-cited-in-opened.png');
  });

  it('opens a new literature note from the panel button, created on disk from the template', async () => {
    const note = path.join(workspace, 'notes', `${ARCHER.key}.md`);
    assert.equal(fs.existsSync(note), false);
    // Back to the panel through the tree, as a person would after following a citation.
    await (await expandGroup(page, ARCHER.topic)).filter({ hasText: 'ArCHer' }).first().click();
    const detail = visibleWebview(page);
    await detail.locator('h1', { hasText: ARCHER.title }).waitFor({ state: 'visible', timeout: 20_000 });
    await detail.getByRole('button', { name: /Open Literature Note/ }).click();
    await waitFor(async () => ((await activeTabTitle(page)) === `${ARCHER.key}.md` ? true : undefined), 10_000);
    const text = await waitFor(() => (fs.existsSync(note) ? fs.readFileSync(note, 'utf8') : undefined), 10_000);
    assert.match(text, /^---\n/);
    assert.match(text, new RegExp(`^citekey: "?${ARCHER.key}"?$`, 'm'));
    assert.match(text, /^title: .*ArCHer/m);
    await activeEditor(page).locator('.view-line', { hasText: 'citekey' }).waitFor({ state: 'visible' });
    await screenshot(page, 'notes-literature-note.png');
  });
});
