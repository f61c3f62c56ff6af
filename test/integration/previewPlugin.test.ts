import * as assert from 'assert';
import * as vscode from 'vscode';
import { getLoadedApi } from './helpers';

describe('Citations in the Markdown preview (VS Code renderer)', function () {
  this.timeout(60_000);

  // VS Code parses with an empty environment and renders with another: the plugin must not need the same one.
  it("renders a note's Pandoc citations through VS Code's own Markdown renderer", async () => {
    await getLoadedApi();
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', 'Token rewards [@zhou2024treg].\n');
    assert.match(html, /class="litnotes-citation"/, html);
    assert.match(html, /\(W?\.? ?Zhou et al\., 2025\)/, html);
  });
});
