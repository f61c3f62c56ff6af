import * as vscode from 'vscode';
import { Disposable } from '../core/dispose';

/**
 * Finds the Markdown note a citation goes into: the active editor, else the note the user was last
 * writing in. Clicking a button in the detail panel or the tree moves the focus away from the note,
 * and the panel may even cover the note in its editor group; the note is then shown again.
 */
export class MarkdownEditors extends Disposable {
  private last: vscode.TextEditor | undefined;

  constructor() {
    super();
    this.remember(vscode.window.activeTextEditor);
    this._register(vscode.window.onDidChangeActiveTextEditor((editor) => this.remember(editor)));
  }

  /** The editor to write into, or a sentence saying why there is none. */
  async target(): Promise<{ editor: vscode.TextEditor } | { reason: string }> {
    const active = vscode.window.activeTextEditor;
    if (active) {
      return isMarkdown(active)
        ? { editor: active }
        : { reason: `The active editor is not a Markdown note (its language is "${active.document.languageId}").` };
    }
    const last = this.last;
    const tab = last && !last.document.isClosed ? this.tabOf(last) : undefined;
    if (!last || !tab) {
      // No note written in since start-up (a reload restores the notes without focusing one): a note in view.
      const shown = vscode.window.visibleTextEditors.find(isMarkdown);
      return shown ? { editor: shown } : { reason: 'No Markdown note is open.' };
    }
    if (vscode.window.visibleTextEditors.includes(last)) return { editor: last };
    // Covered by another tab of its group: bring it to the front, with the cursors it had.
    const { document, selections } = last;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: tab.group.viewColumn, preview: false });
    editor.selections = selections.map((selection) => {
      const anchor = document.validatePosition(selection.anchor);
      const active = document.validatePosition(selection.active);
      return new vscode.Selection(anchor, active);
    });
    return { editor };
  }

  private remember(editor: vscode.TextEditor | undefined): void {
    if (editor && isMarkdown(editor)) this.last = editor;
  }

  /** The tab that holds the editor's note; a closed tab means the note is no longer open. */
  private tabOf(editor: vscode.TextEditor): vscode.Tab | undefined {
    const uri = editor.document.uri.toString();
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const holds = (tab: vscode.Tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri;
    return tabs.find((tab) => holds(tab) && tab.group.viewColumn === editor.viewColumn) ?? tabs.find(holds);
  }
}

function isMarkdown(editor: vscode.TextEditor): boolean {
  return editor.document.languageId === 'markdown';
}
