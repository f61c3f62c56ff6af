import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderNoteHtml } from '../core/noteRender';
import type { CitationPreview } from '../markdown/citationPreview';
import { markdownItFactory } from '../node/markdownIt';
import type { Services } from '../services/services';
import { guarded } from './guarded';

export function registerExportNoteCommands(services: Services, preview: CitationPreview): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'litnotes.exportNoteHtml',
      guarded(services.log, 'export the note as HTML', (note?: unknown, target?: unknown) => exportNoteHtml(services, preview, note, target)),
    ),
  ];
}

/**
 * The note (the explorer's file, else the active Markdown editor's) as one standalone HTML page,
 * rendered as the preview renders it. `target` skips the save dialog (for scripts and tests).
 */
async function exportNoteHtml(services: Services, preview: CitationPreview, note: unknown, target: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const uri = note instanceof vscode.Uri ? note : editor?.document.languageId === 'markdown' ? editor.document.uri : undefined;
  if (!uri) {
    void vscode.window.showInformationMessage('Open a Markdown note first: Export Note as HTML writes the note in front as a web page.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const name = path.basename(uri.path).replace(/\.(md|markdown)$/i, '') || 'note';
  const destination =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          title: 'Export Note as HTML',
          defaultUri: vscode.Uri.joinPath(uri, '..', `${name}.html`),
          filters: { HTML: ['html'] },
          saveLabel: 'Export',
        });
  if (!destination) return;
  const html = renderNoteHtml(document.getText(), (options) => preview.source(uri, options), name, markdownItFactory(path.join(services.extensionUri.fsPath, 'dist')));
  await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(html));
  services.log.info(`Exported ${uri.toString(true)} as HTML to ${destination.toString(true)}`);
  if (target instanceof vscode.Uri) return;
  const open = await vscode.window.showInformationMessage(`Exported the note to ${path.basename(destination.path)}.`, 'Open in Browser');
  if (open) await vscode.env.openExternal(destination);
}
