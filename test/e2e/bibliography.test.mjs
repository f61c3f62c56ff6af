// End-to-end: Insert Bibliography as a person uses it, and the References section in VS Code's
// Markdown preview: the style's italics and links rendered, a hostile-looking title left as text.
// Screenshot: artifacts/bibliography-preview.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { activeEditor, openFile, runCommand, screenshot, showPapers, useWorkbench, visibleWebview, waitFor } from './harness.mjs';

const NOTE = 'notes/references-draft.md';

describe('Insert Bibliography in the browser', function () {
  const workbench = useWorkbench({
    prepare: (workspace) =>
      fs.writeFileSync(path.join(workspace, NOTE), '# Draft\n\nHierarchical agents [@zhou2024archer] and token rewards [@zhou2024treg].\n'),
  });
  let page;
  let workspace;
  before(() => {
    ({ page } = workbench);
    workspace = workbench.session.workspace;
  });

  it('writes Markdown references that the preview shows with italics and links', async function () {
    this.timeout(120_000);
    await showPapers(page);
    await openFile(page, 'references-draft.md');
    await runCommand(page, 'Lit Notes: Insert Bibliography');
    await page.locator('.editor-instance .view-line', { hasText: 'litnotes:references' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await activeEditor(page).locator('.view-lines').click();
    await page.keyboard.press('Control+S');
    const text = await waitFor(() => {
      const content = fs.readFileSync(path.join(workspace, NOTE), 'utf8');
      return content.includes('litnotes:references') ? content : undefined;
    }, 30_000);
    assert.match(text, /^---\nsuppress-bibliography: true\n---\n/);
    assert.ok(text.includes('*ICML 2024*. <https://arxiv.org/abs/2402.19446>'), text);
    assert.ok(text.includes('T-REG: Preference optimization with token-level reward regularization.'), text);

    await runCommand(page, 'Markdown: Open Preview to the Side');
    const preview = visibleWebview(page);
    await preview.locator('em', { hasText: 'ICML 2024' }).waitFor({ state: 'visible', timeout: 30_000 });
    // One link in the written list; the rendered citation links to the same page.
    assert.equal(await preview.locator('a[href="https://arxiv.org/abs/2402.19446"]:not(.litnotes-cite)').count(), 1);
    assert.equal(await preview.locator('a.litnotes-cite[href="https://arxiv.org/abs/2402.19446"]').count(), 1);
    await screenshot(page, 'bibliography-preview.png');
  });
});
