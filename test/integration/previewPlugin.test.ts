import * as assert from 'assert';
import * as vscode from 'vscode';
import { getLoadedApi, workspaceUri } from './helpers';

const encode = (text: string) => new TextEncoder().encode(text);

describe('Citations in the Markdown preview (VS Code renderer)', function () {
  this.timeout(60_000);

  // VS Code parses with an empty environment and renders with another: the plugin must not need the same one.
  it("renders a note's Pandoc citations through VS Code's own Markdown renderer", async () => {
    await getLoadedApi();
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', 'Token rewards [@zhou2024treg].\n');
    assert.match(html, /class="litnotes-citation"/, html);
    assert.match(html, /\(W?\.? ?Zhou et al\., 2025\)/, html);
  });

  describe("a note whose csl: cannot be used", () => {
    const folder = () => workspaceUri('notes', 'preview-styles');
    before(async () => {
      await getLoadedApi();
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder(), 'styles', 'broken.csl'), encode('<style><info><title>x</title></info><citation><layout></citation></style>'));
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder(), 'plain.txt'), encode('not a folder'));
    });
    after(async () => {
      await vscode.workspace.fs.delete(folder(), { recursive: true, useTrash: false });
    });

    // A .csl file relative to the note: broken, missing, or behind a path through a file (which the file system refuses outright).
    for (const [csl, reason] of [
      ['styles/broken.csl', /is not well-formed XML: &lt;\/citation&gt; on line 1 does not close &lt;layout&gt;\./],
      ['styles/missing.csl', /Cannot read the citation style file &quot;[^&]*missing\.csl&quot;: ENOENT/],
      ['plain.txt/style.csl', /Cannot read the citation style file &quot;[^&]*style\.csl&quot;: ENOTDIR/],
      ['no-such-style', /Unknown citation style &quot;no-such-style&quot;\./],
    ] as const) {
      it(`shows why in the preview, with the citations as written: ${csl}`, async () => {
        // A note of its own: VS Code keeps an opened document's text until it notices the file changed.
        const note = vscode.Uri.joinPath(folder(), `${csl.replace(/\W/g, '-')}.md`);
        await vscode.workspace.fs.writeFile(note, encode(`---\ncsl: ${csl}\n---\nToken rewards [@zhou2024treg; @zhou2024archer].\n`));
        const html = await vscode.commands.executeCommand<string>('markdown.api.render', await vscode.workspace.openTextDocument(note));
        assert.match(html, /<p class="litnotes-problem">Lit Notes could not format the citations: [^<]+<\/p>/, html);
        const [problem] = /<p class="litnotes-problem">[^<]+<\/p>/.exec(html) ?? [''];
        assert.match(problem, reason);
        assert.match(html, /<span class="litnotes-citation">\[@zhou2024treg; @zhou2024archer\]<\/span>/, html);
      });
    }
  });
});
