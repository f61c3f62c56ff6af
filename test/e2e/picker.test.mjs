// End-to-end: the paper pickers (Search Papers, Insert Citation, Open Literature Note) as a person
// meets them: opened the moment the window is there, with two library files named in the workspace
// settings, and the multi-select Insert Citation picker across a change of filter.
// Screenshots go to artifacts/picker-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { activeEditor, openFile, quickPick, runCommand, screenshot, settledRows, useWorkbench, waitFor, waitForWorkbench } from './harness.mjs';

const BEES = `@article{baker2023acoustic,
  author   = {Baker, Hannah and Imker, Jonas},
  title    = {Acoustic Monitoring of Honeybee Colonies Through the Winter},
  journal  = {Journal of Apicultural Tests},
  year     = {2023},
  abstract = {Microphones placed inside wooden hives record the hum of overwintering colonies.}
}
`;
const MOSS = `@inproceedings{lindqvist2021moss,
  author    = {Lindqvist, Saga and Okafor, Emeka},
  title     = {Peat Moss Regrowth after Drainage Ditches Are Blocked},
  booktitle = {Proceedings of the Wetland Restoration Workshop},
  year      = {2021},
  abstract  = {Sphagnum cover returns within five years once the water table rises.}
}
`;

/** Writes the two library files and names them in the workspace settings, before the window opens. */
function twoLibraryFiles(workspace) {
  fs.mkdirSync(path.join(workspace, 'library'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'library', 'bees.bib'), BEES);
  fs.writeFileSync(path.join(workspace, 'library', 'moss.bib'), MOSS);
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  fs.writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'litnotes.library.files': ['library/bees.bib', 'library/moss.bib'] }, null, 2)}\n`);
}

/**
 * Runs a Lit Notes command from the palette as soon as the palette offers it: right after start-up
 * the workbench may not know the extension's commands yet, and an open palette does not refresh.
 */
async function runAsSoonAsOffered(page, title) {
  await waitFor(async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const { input, rows } = quickPick(page);
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const offered = await rows
      .filter({ hasText: title })
      .first()
      .waitFor({ state: 'visible', timeout: 1000 })
      .then(() => true, () => undefined);
    if (offered) await input.press('Enter');
    return offered;
  }, 30_000);
}

/** The label of every row the picker shows. */
async function rowLabels(rows) {
  return (await rows.locator('.label-name').allInnerTexts()).map((text) => text.trim());
}

describe('Paper pickers', function () {
  const workbench = useWorkbench({ prepare: twoLibraryFiles });
  let page;
  before(() => {
    ({ page } = workbench);
  });

  // The window is new for each run: the extension starts again, and the picker opens while it loads the library.
  const pickers = ['Search Papers', 'Open Literature Note', 'Insert Citation'];
  for (const [run, title] of [...pickers, ...pickers].entries()) {
    it(`fills ${title} opened right after start-up with both library files (run ${run + 1})`, async function () {
      this.timeout(90_000);
      if (run > 0) {
        await page.reload();
        await waitForWorkbench(page);
      }
      await runAsSoonAsOffered(page, `Lit Notes: ${title}`);
      const { widget, input, rows } = quickPick(page);
      await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
      await input.pressSequentially('peat moss', { delay: 20 });
      await waitFor(async () => {
        const shown = await rowLabels(rows);
        return shown[0]?.startsWith('Peat Moss Regrowth') ? shown : undefined;
      }, 20_000).catch(async (error) => {
        await screenshot(page, `picker-startup-failed-${run + 1}.png`);
        throw new Error(`${title} shows ${JSON.stringify(await rowLabels(rows))} for "peat moss": ${error.message}`);
      });
      assert.equal(await input.inputValue(), 'peat moss', 'what was typed is kept');
      // The other file's paper is found too, once the filter changes.
      await input.fill('honeybee acoustic');
      await waitFor(async () => ((await rowLabels(rows))[0]?.startsWith('Acoustic Monitoring of Honeybee') ? true : undefined), 10_000);
      if (run === 0) await screenshot(page, 'picker-startup.png');
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    });
  }

  it('follows a change of a library file while Insert Citation is open, keeping what was typed and ticked', async function () {
    this.timeout(90_000);
    const moss = path.join(workbench.session.workspace, 'library', 'moss.bib');
    await openFile(page, 'empty.md');
    await activeEditor(page).locator('.view-lines').click();
    await runCommand(page, 'Lit Notes: Insert Citation');
    const { widget, input, rows } = quickPick(page);
    await widget.locator('.quick-input-title', { hasText: 'Insert Citation' }).waitFor({ state: 'visible' });
    await input.pressSequentially('peat moss', { delay: 20 });
    const row = (title) => rows.filter({ has: page.locator('.label-name', { hasText: title }) }).first();
    await row('Peat Moss Regrowth').waitFor({ state: 'visible', timeout: 20_000 });
    await settledRows(rows);
    await row('Peat Moss Regrowth').locator('.monaco-checkbox').first().click();
    await widget.locator('.quick-input-count', { hasText: '1 Selected' }).waitFor({ state: 'visible', timeout: 5000 });
    try {
      // Saved by another program (or a git pull) while the picker is open.
      fs.writeFileSync(moss, MOSS.replace('Peat Moss Regrowth', 'Peat Moss Recovery'));
      await row('Peat Moss Recovery').waitFor({ state: 'visible', timeout: 20_000 });
      await settledRows(rows);
      assert.equal(await row('Peat Moss Regrowth').count(), 0, 'the old title is gone from the picker');
      assert.equal(await row('Peat Moss Recovery').locator('.monaco-checkbox').first().getAttribute('aria-checked'), 'true', 'the paper stays ticked');
      assert.equal(await input.inputValue(), 'peat moss');
      await screenshot(page, 'picker-library-changed.png');
      await input.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+S');
      const note = path.join(workbench.session.workspace, 'notes', 'empty.md');
      await waitFor(() => (fs.readFileSync(note, 'utf8').includes('[@lindqvist2021moss]') ? true : undefined), 10_000);
    } finally {
      fs.writeFileSync(moss, MOSS);
    }
    await openFile(page, 'reading-log.md');
    await runCommand(page, 'Lit Notes: Search Papers');
    // Typed before the pick replaces the palette, the keys would go to the editor (a busy extension host opens it late).
    await widget.locator('.quick-input-title', { hasText: 'Search Papers' }).waitFor({ state: 'visible' });
    await input.pressSequentially('peat moss', { delay: 20 });
    assert.equal(await input.inputValue(), 'peat moss', 'everything typed reached the pick');
    await row('Peat Moss Regrowth').waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.press('Escape');
  });

  // Ticked papers must survive every change of the filter, however fast the typing (VS Code names
  // items by position, and its reports about an earlier list arrive after the next one is sent).
  for (const run of [1, 2]) {
    it(`inserts every paper ticked in Insert Citation across changes of the filter, by click and by keyboard (run ${run})`, async function () {
      this.timeout(120_000);
      const note = path.join(workbench.session.workspace, 'notes', 'reading-log.md');
      const citingLines = (text) => text.split('\n').filter((line) => line.includes('lindqvist2021moss')).length;
      const before = citingLines(fs.readFileSync(note, 'utf8'));
      await openFile(page, 'reading-log.md');
      await activeEditor(page).locator('.view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await runCommand(page, 'Lit Notes: Insert Citation');
      const { widget, input, rows } = quickPick(page);
      await widget.locator('.quick-input-title', { hasText: 'Insert Citation' }).waitFor({ state: 'visible' });
      assert.doesNotMatch(await input.getAttribute('placeholder'), /with Space/, 'Space in the input types a space');
      assert.match(await input.getAttribute('placeholder'), /click/i);
      const count = widget.locator('.quick-input-count');
      const row = (title) => rows.filter({ has: page.locator('.label-name', { hasText: title }) }).first();
      const ticked = async (title) => {
        await row(title).waitFor({ state: 'visible', timeout: 5000 });
        return (await row(title).locator('.monaco-checkbox').first().getAttribute('aria-checked')) === 'true';
      };
      const filter = async (text) => {
        await input.click();
        await input.press('Control+A');
        await input.pressSequentially(text, { delay: 5 });
      };

      // 1. A click on the check box.
      await filter('archer hierarchical');
      await row('ArCHer: Training Language Model Agents').waitFor({ state: 'visible', timeout: 20_000 });
      await settledRows(rows);
      await row('ArCHer: Training Language Model Agents').locator('.monaco-checkbox').first().click();
      await count.filter({ hasText: '1 Selected' }).waitFor({ state: 'visible', timeout: 5000 });

      // 2. The keyboard: down into the list, Space on the row.
      await filter('token-level reward regularization');
      await row('T-REG: Preference Optimization').waitFor({ state: 'visible', timeout: 10_000 });
      await settledRows(rows);
      assert.ok(await ticked('ArCHer: Training Language Model Agents'), 'ArCHer stays ticked, and shown, after the filter changed');
      // ↓ moves the keyboard focus from the filter into the list; ↓ again until T-REG is the focused row.
      const where = () =>
        page.evaluate(() => ({
          inList: Boolean(globalThis.document.activeElement?.closest('.quick-input-list')),
          row: globalThis.document.querySelector('.quick-input-list .monaco-list-row.focused')?.textContent ?? '',
        }));
      await waitFor(async () => {
        await page.keyboard.press('ArrowDown');
        const { inList, row: focused } = await where();
        return inList && focused.includes('T-REG: Preference Optimization') ? true : undefined;
      }, 10_000);
      await page.keyboard.press('Space');
      await count
        .filter({ hasText: '2 Selected' })
        .waitFor({ state: 'visible', timeout: 5000 })
        .catch(async (error) => {
          throw new Error(`${error.message}\nfocus after Space: ${JSON.stringify(await where())}, filter: ${await input.inputValue()}`);
        });
      assert.equal(await input.inputValue(), 'token-level reward regularization', 'Space in the list ticks, it types nothing');

      // 3. A paper from a library file, after another change of the filter.
      await filter('peat moss regrowth');
      await row('Peat Moss Regrowth').waitFor({ state: 'visible', timeout: 10_000 });
      await settledRows(rows);
      assert.ok(await ticked('ArCHer: Training Language Model Agents'));
      assert.ok(await ticked('T-REG: Preference Optimization'));
      await row('Peat Moss Regrowth').locator('.monaco-checkbox').first().click();
      await count.filter({ hasText: '3 Selected' }).waitFor({ state: 'visible', timeout: 5000 });
      if (run === 1) await screenshot(page, 'picker-multi-select.png');
      await input.press('Enter');
      await widget.waitFor({ state: 'hidden' });

      await page.keyboard.press('Control+S');
      const text = await waitFor(() => {
        const content = fs.readFileSync(note, 'utf8');
        return citingLines(content) > before ? content : undefined;
      }, 10_000).catch(() => fs.readFileSync(note, 'utf8'));
      assert.equal(text.split('\n').filter((line) => line === '[@zhou2024archer; @zhou2024treg; @lindqvist2021moss]').length, before + 1, text);
    });
  }
});
