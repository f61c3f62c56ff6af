import * as vscode from 'vscode';

/**
 * Finds the Markdown editor a citation goes into. Clicking a button in the detail panel or the
 * tree moves focus away from the note, so the last focused Markdown editor still counts while it is visible.
 */
export class MarkdownEditors implements vscode.Disposable {
  private last: vscode.TextEditor | undefined;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.remember(vscode.window.activeTextEditor);
    this.listener = vscode.window.onDidChangeActiveTextEditor((editor) => this.remember(editor));
  }

  /** The editor to write into, or a sentence saying why there is none. */
  target(): { editor: vscode.TextEditor } | { reason: string } {
    const active = vscode.window.activeTextEditor;
    if (active) {
      return isMarkdown(active)
        ? { editor: active }
        : { reason: `The active editor is not a Markdown note (its language is "${active.document.languageId}").` };
    }
    const last = this.last;
    if (last && !last.document.isClosed && vscode.window.visibleTextEditors.includes(last)) return { editor: last };
    return { reason: 'No Markdown note is open.' };
  }

  dispose(): void {
    this.listener.dispose();
  }

  private remember(editor: vscode.TextEditor | undefined): void {
    if (editor && isMarkdown(editor)) this.last = editor;
  }
}

function isMarkdown(editor: vscode.TextEditor): boolean {
  return editor.document.languageId === 'markdown';
}
