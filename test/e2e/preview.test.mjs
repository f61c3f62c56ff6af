// End-to-end: Pandoc citations rendered in VS Code's own Markdown preview, read from the preview's
// frame: the note processed as a whole (APA tells the two Zhous apart), the bibliography at the end
// with the style's italics, an unknown key kept as written, a hostile title inert; the preview
// follows an edit and a change of style; a citation of several papers links each paper's number.
// Screenshots: artifacts/preview-citations*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { activeEditor, openFile, runCommand, screenshot, showPapers, useWorkbench, visibleWebview, waitFor } from './harness.mjs';

const NOTE = 'notes/preview-draft.md';
const SETTINGS = '.vscode/settings.json';

describe('Citations in the Markdown preview', function () {
  const workbench = useWorkbench({
    prepare: (workspace) =>
      fs.writeFileSync(
        path.join(workspace, NOTE),
        '# Draft\n\nToken rewards [@zhou2024treg] and agents [see @zhou2024archer, p. 3].\n\nAn unknown one [@nosuchpaper2099].\n',
      ),
  });
  let page;
  let workspace;
  before(() => {
    ({ page } = workbench);
    workspace = workbench.session.workspace;
  });

  const citationTexts = async (preview) => (await preview.locator('.litnotes-citation').allInnerTexts()).map((text) => text.trim());

  it('renders the citations and the bibliography in the style, the unknown key as written', async function () {
    this.timeout(120_000);
    await showPapers(page);
    await openFile(page, 'preview-draft.md');
    await runCommand(page, 'Markdown: Open Preview to the Side');
    const preview = visibleWebview(page);
    await preview.locator('.litnotes-citation').first().waitFor({ state: 'visible', timeout: 30_000 });
    const texts = await waitFor(async () => {
      const found = await citationTexts(preview);
      return found.length === 3 && found[0].includes('Zhou') ? found : undefined;
    }, 30_000);
    assert.deepEqual(texts, ['(W. Zhou et al., 2025)', '(see Y. Zhou et al., 2024, p. 3)', '[@nosuchpaper2099]']);
    assert.equal(await preview.locator('.litnotes-unknown').count(), 1);
    // The bibliography: both papers, venues in italics, no entry for the unknown key.
    const entries = preview.locator('#refs .csl-entry');
    assert.equal(await entries.count(), 2);
    await preview.locator('#refs i', { hasText: 'ICML 2024' }).waitFor({ state: 'visible' });
    // The citation links to the paper's page and carries its full reference as a tooltip.
    const link = preview.locator('a.litnotes-cite').first();
    assert.equal(await link.getAttribute('href'), 'https://arxiv.org/abs/2412.02685');
    assert.match(String(await link.getAttribute('title')), /^Zhou, W\., Zhang, S\., Zhao, L\., & Meng, T\. \(2025\)\. T-REG/);
    await screenshot(page, 'preview-citations.png');
  });

  it('follows an edit of the note: a citation added earlier is rendered', async function () {
    this.timeout(90_000);
    // The note's editor, left of its preview (Quick Open would open it again in the preview's group).
    await runCommand(page, 'View: Focus First Editor Group');
    await activeEditor(page).locator('.view-line', { hasText: '# Draft' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Rewards [@rafailov2024r].', { delay: 10 });
    const preview = visibleWebview(page);
    const texts = await waitFor(async () => {
      const found = await citationTexts(preview);
      // The preview follows each keystroke: wait for the finished key.
      return found.length === 4 && found[0].includes('Rafailov') ? found : undefined;
    }, 30_000);
    assert.match(texts[0], /^\(Rafailov et al\., 2024\)$/);
    assert.equal(await preview.locator('#refs .csl-entry').count(), 3);
  });

  it('follows a change of style: IEEE numbers by first citation', async function () {
    this.timeout(90_000);
    const file = path.join(workspace, SETTINGS);
    const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...settings, 'litnotes.citation.cslStyle': 'ieee' }, null, 2));
    const preview = visibleWebview(page);
    const texts = await waitFor(async () => {
      const found = await citationTexts(preview);
      return found[0] === '[1]' ? found : undefined;
    }, 30_000);
    assert.deepEqual(texts, ['[1]', '[2]', 'see [3, p. 3]', '[@nosuchpaper2099]']);
    await screenshot(page, 'preview-citations-ieee.png');
  });

  it("links each paper's number of a citation of several in IEEE, with its own reference as the tooltip", async function () {
    this.timeout(90_000);
    await runCommand(page, 'View: Focus First Editor Group');
    await activeEditor(page).locator('.view-line', { hasText: 'An unknown one' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Together [@zhou2024treg; @zhou2024archer].', { delay: 10 });
    const preview = visibleWebview(page);
    const together = preview.locator('.litnotes-citation').nth(4);
    await waitFor(async () => ((await preview.locator('.litnotes-citation').count()) === 5 && (await together.innerText()).trim() === '[2], [3]') || undefined, 30_000);
    const links = together.locator('a.litnotes-cite');
    assert.deepEqual((await links.allInnerTexts()).map((text) => text.trim()), ['2', '3']);
    assert.deepEqual([await links.nth(0).getAttribute('data-key'), await links.nth(1).getAttribute('data-key')], ['zhou2024treg', 'zhou2024archer']);
    assert.equal(await links.nth(0).getAttribute('href'), 'https://arxiv.org/abs/2412.02685');
    assert.match(String(await links.nth(0).getAttribute('title')), /^\[2\] W\. Zhou, S\. Zhang, L\. Zhao, and T\. Meng, “T-REG/);
    assert.match(String(await links.nth(1).getAttribute('title')), /^\[3\] Y\. Zhou, A\. Zanette/);
    await links.nth(1).hover();
    await screenshot(page, 'preview-citations-several.png');
  });
});
