import * as assert from 'assert';
import * as vscode from 'vscode';
import { getLoadedApi } from './helpers';

describe('Citations in the Markdown preview (VS Code renderer)', function () {
  this.timeout(60_000);

  // Skipped: VS Code's renderer does not apply the plugin yet (it does in plain markdown-it, see
  // test/unit/citationPreview.test.ts); un-skip with the fix. The end-to-end test waits on the same.
  it.skip("renders a note's Pandoc citations through VS Code's own Markdown renderer", async () => {
    await getLoadedApi();
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', 'Token rewards [@zhou2024treg].\n');
    assert.match(html, /class="litnotes-citation"/, html);
    assert.match(html, /\(W?\.? ?Zhou et al\., 2025\)/, html);
  });
});
