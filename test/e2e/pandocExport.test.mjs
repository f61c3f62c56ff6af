// End-to-end: Export Note with Pandoc as a person uses it: the command from the palette, the format
// picker, VS Code's save dialog with the file beside the note, the progress notification, the HTML
// opened in an editor. Screenshots: artifacts/pandoc-formats.png, artifacts/pandoc-exported.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { openFile, quickPick, runCommand, screenshot, useWorkbench, waitFor } from './harness.mjs';

const NOTE = 'notes/pandoc-draft.md';
const hasPandoc = spawnSync('pandoc', ['--version']).status === 0;

describe('Export Note with Pandoc in the browser', function () {
  const workbench = useWorkbench({
    prepare: (workspace) =>
      fs.writeFileSync(path.join(workspace, NOTE), '---\ntitle: "Draft for pandoc"\n---\n\nHierarchical agents [@zhou2024archer] and token rewards [@zhou2024treg].\n'),
  });
  let page;
  let workspace;
  before(function () {
    if (!hasPandoc) this.skip(); // the set-up installs Debian's pandoc
    ({ page } = workbench);
    workspace = workbench.session.workspace;
  });

  it('picks a format, saves beside the note and opens the HTML with its references', async function () {
    this.timeout(120_000);
    await openFile(page, 'pandoc-draft.md');
    await runCommand(page, 'Lit Notes: Export Note with Pandoc…');
    const { widget, rows, input } = quickPick(page);
    await rows.filter({ hasText: 'Word (DOCX)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const labels = await rows.locator('.label-name').allInnerTexts();
    assert.deepEqual(labels.filter((label) => label !== 'PDF'), ['Word (DOCX)', 'OpenDocument (ODT)', 'HTML', 'EPUB', 'LaTeX']);
    await screenshot(page, 'pandoc-formats.png');
    await input.fill('HTML');
    await rows.filter({ hasText: '.html' }).first().waitFor({ state: 'visible' });
    await input.press('Enter');
    // VS Code's own save dialog, with the note's folder and name proposed.
    await waitFor(async () => ((await input.inputValue()).endsWith('/notes/pandoc-draft.html') ? true : undefined), 30_000);
    await input.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 30_000 });
    const target = path.join(workspace, 'notes', 'pandoc-draft.html');
    const html = await waitFor(() => (fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined), 60_000);
    assert.match(html, /<title>Draft for pandoc<\/title>/);
    assert.deepEqual([...html.matchAll(/<div id="ref-([^"]+)" class="csl-entry"/g)].map((m) => m[1]), ['zhou2024treg', 'zhou2024archer']);
    await page.locator('.tabs-container .tab.active', { hasText: 'pandoc-draft.html' }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.notifications-toasts', { hasText: 'Exported pandoc-draft.md as HTML' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'pandoc-exported.png');
  });
});
