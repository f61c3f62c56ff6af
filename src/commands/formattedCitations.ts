import * as vscode from 'vscode';
import { referencesUpdateEdit, type TextEdit } from '../core/bibliography';
import { insertCitations, refreshCitations, type CitationEdits } from '../core/documentCitations';
import type { Paper } from '../core/model';
import type { Workbench } from './workbench';

/**
 * Insert Citation in `cslInText` format: the citation formatted in the context of the note's other
 * citations, which are updated where the new one changes them, all in one edit (one undo step).
 */
export async function insertInTextCitation(services: Workbench, editor: vscode.TextEditor, papers: Paper[]): Promise<void> {
  const { document } = editor;
  const ranges = editor.selections.map((selection) => ({ start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) }));
  const result = insertCitations(document.getText(), ranges, papers, services.citations.documentStyle(), (key) => services.library.getPaper(key));
  await applyEdits(editor, withReferences(services, document, result.edits));
  services.log.info(`Inserted ${papers.map((paper) => `@${paper.key}`).join(', ')} at ${ranges.length} cursor(s) of ${document.uri.toString(true)}${describeUpdates(result)}`);
  if (result.updated > 0) vscode.window.setStatusBarMessage(`$(sync) ${plural(result.updated, 'other citation')} updated`, 4000);
}

/** "Refresh Citations": every formatted citation of the note formatted again, in one edit. */
export async function refreshNoteCitations(services: Workbench): Promise<void> {
  const target = await services.markdownEditors.target();
  if ('reason' in target) {
    void vscode.window.showInformationMessage(`${target.reason} Refresh Citations updates the formatted citations of a Markdown note.`);
    return;
  }
  const { editor } = target;
  const { document } = editor;
  const result = refreshCitations(document.getText(), services.citations.documentStyle(), (key) => services.library.getPaper(key));
  const edits = withReferences(services, document, result.edits);
  if (result.formatted === 0 && edits.length === 0) {
    void vscode.window.showInformationMessage(
      'This note has no formatted citations. Insert Citation writes them when "litnotes.citation.format" is "cslInText".',
    );
    return;
  }
  await applyEdits(editor, edits);
  services.log.info(`Refreshed the citations of ${document.uri.toString(true)}${describeUpdates(result)}`);
  vscode.window.setStatusBarMessage(
    result.updated > 0 ? `$(sync) ${plural(result.updated, 'citation')} updated` : `$(check) All ${plural(result.formatted, 'citation')} up to date`,
    4000,
  );
  if (result.missingKeys.length > 0) {
    void vscode.window.showWarningMessage(
      `Citations of keys that are not in the library were left as they are: ${result.missingKeys.map((key) => `@${key}`).join(', ')}.`,
    );
  }
}

/** The edits, and the one that keeps the note's References list (if Lit Notes wrote one) listing what it cites after them. */
export function withReferences(services: Workbench, document: vscode.TextDocument, edits: readonly TextEdit[]): TextEdit[] {
  const update = referencesUpdateEdit(document.getText(), edits, (key) => services.library.getPaper(key), (papers) => services.citations.references(papers));
  return update ? [...edits, update].sort((a, b) => a.startOffset - b.startOffset) : [...edits];
}

/** All edits in one: a single undo step takes them back. */
export async function applyEdits(editor: vscode.TextEditor, edits: readonly TextEdit[]): Promise<void> {
  if (edits.length === 0) return;
  const { document } = editor;
  const applied = await editor.edit((builder) => {
    for (const edit of edits) builder.replace(new vscode.Range(document.positionAt(edit.startOffset), document.positionAt(edit.endOffset)), edit.newText);
  });
  if (!applied) throw new Error('the editor refused the edit (is the note read-only?)');
}

function describeUpdates(result: CitationEdits): string {
  const missing = result.missingKeys.length > 0 ? `; not in the library: ${result.missingKeys.join(', ')}` : '';
  return ` (${result.updated} of ${result.formatted} formatted citations updated${missing})`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
