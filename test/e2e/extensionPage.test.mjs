// End-to-end: what a user sees of the installed .vsix before using it: the extension page (icon,
// categories, the README with its images) and the first-use walkthrough. Screenshots go to artifacts/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { papersTree, quickPick, ROOT, runCommand, screenshot, useWorkbench, visibleWebview, waitFor } from './harness.mjs';

/** Width of each image the locator matches once it has loaded (0 for a broken one). */
const loadedWidths = (images) => images.evaluateAll((list) => list.map((image) => (image.complete ? image.naturalWidth : 0)));

describe('the extension page and the walkthrough', function () {
  const workbench = useWorkbench();
  let page;
  before(() => {
    page = workbench.page;
  });

  it('shows the icon, the categories and every image of the README on the extension page', async () => {
    await page.keyboard.press('Control+Shift+X');
    const search = page.locator('.extensions-viewlet textarea').first();
    await search.waitFor({ state: 'visible', timeout: 20_000 });
    await search.fill('@installed Lit Notes');
    await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Lit Notes' }).first().click();

    const editor = page.locator('.extension-editor').filter({ visible: true });
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepEqual(await waitFor(async () => ((await loadedWidths(editor.locator('.header img.icon')))[0] === 128 ? [128] : undefined), 10_000), [128]);
    const categories = await editor.locator('.categories').innerText();
    assert.match(categories, /Education/);

    const imagesInReadme = (fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').match(/!\[[^\]]*\]\(/g) ?? []).length;
    assert.ok(imagesInReadme >= 3, 'the README shows screenshots');
    const readme = visibleWebview(page);
    await readme.locator('h1', { hasText: 'Lit Notes' }).waitFor({ timeout: 20_000 });
    const widths = await waitFor(async () => {
      const loaded = await loadedWidths(readme.locator('img'));
      return loaded.length === imagesInReadme && loaded.every((width) => width > 0) ? loaded : undefined;
    }, 15_000);
    assert.equal(widths.length, imagesInReadme);
    await readme.locator('img').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'extension-page.png');
  });

  it('walks a new user through five steps, each with its media, and ticks a step once it is done', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const { input, rows } = quickPick(page);
    await input.fill('Lit Notes');
    await rows.filter({ hasText: 'Get Started with Lit Notes' }).first().waitFor({ state: 'visible' });
    await input.press('Enter');

    const steps = page.locator('.gettingStartedContainer .getting-started-step');
    await steps.first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepEqual(await steps.locator('.step-title').allInnerTexts(), [
      'Open the Papers view',
      'Search for a paper',
      'Cite it in your note',
      'Keep a literature note',
      'Add your own library',
    ]);
    // Step texts know bold and links only: a code span or a tag would show as typed.
    for (const text of await steps.locator('.step-description-container').allTextContents()) assert.doesNotMatch(text, /[`<>]/);
    const media = page.locator('.gettingStartedContainer .getting-started-media');
    for (const step of [0, 1, 2, 3]) {
      await steps.nth(step).click();
      await waitFor(async () => {
        const widths = await loadedWidths(media.locator('img').filter({ visible: true }));
        return widths.length > 0 && widths.every((width) => width > 0) ? true : undefined;
      }, 10_000);
    }
    await steps.nth(4).click();
    await visibleWebview(page).locator('h1', { hasText: 'Your own library' }).waitFor({ timeout: 15_000 });

    // The first step's button opens the Papers view, which completes the step.
    await steps.nth(0).click();
    await steps.nth(0).locator('.monaco-button', { hasText: 'Open the Papers View' }).click();
    await papersTree(page).waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor(async () => ((await steps.nth(0).getAttribute('aria-checked')) === 'true' ? true : undefined), 10_000);
    await screenshot(page, 'walkthrough.png');
  });
});
