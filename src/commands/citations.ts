import * as vscode from 'vscode';
import { pandocSuppressBibliographyEdit, resolveCitedPapers, upsertReferencesSection, type TextEdit } from '../core/bibliography';
import type { Paper } from '../core/model';
import { escapeIcons } from '../core/labels';
import { guarded } from './guarded';
import type { Workbench } from './workbench';
import { applyEdits, insertInTextCitation, refreshNoteCitations, withReferences } from './formattedCitations';
import { resolvePapers, type PaperArg } from './paperArgs';

export function registerCitationCommands(services: Workbench): vscode.Disposable[] {
  const { log } = services;
  return [
    vscode.commands.registerCommand('litnotes.insertCitation', guarded(log, 'insert the citation', (arg?: PaperArg, selected?: unknown) => insertCitation(services, arg, selected))),
    vscode.commands.registerCommand('litnotes.refreshCitations', guarded(log, 'refresh the citations', () => refreshNoteCitations(services))),
    vscode.commands.registerCommand('litnotes.insertBibliography', guarded(log, 'insert the bibliography', () => insertBibliography(services))),
    vscode.commands.registerCommand('litnotes.chooseCitationStyle', guarded(log, 'choose the citation style', () => chooseCitationStyle(services))),
  ];
}

async function insertCitation(services: Workbench, arg: PaperArg, selected: unknown): Promise<void> {
  const papers = await resolvePapers(services, arg, selected, 'Insert Citation');
  if (!papers) return;
  const target = await services.markdownEditors.target();
  if ('reason' in target) {
    offerClipboard(`${target.reason} Lit Notes inserts citations into Markdown notes.`, services.citations.plain(papers));
    return;
  }
  const { editor } = target;
  const format = services.settings.citationFormat;
  if (format === 'cslInText') return insertInTextCitation(services, editor, papers);
  const text = services.citations.inline(papers, format);
  const { document } = editor;
  const insertions = editor.selections.map((selection) => ({ startOffset: document.offsetAt(selection.start), endOffset: document.offsetAt(selection.end), newText: text }));
  // One edit for all cursors and the References list: a single undo step takes the whole insertion back.
  await applyEdits(editor, withReferences(services, document, insertions));
  services.log.info(`Inserted ${describe(papers)} at ${editor.selections.length} cursor(s) of ${editor.document.uri.toString(true)}`);
}

async function insertBibliography(services: Workbench): Promise<void> {
  const target = await services.markdownEditors.target();
  if ('reason' in target) {
    void vscode.window.showInformationMessage(`${target.reason} Insert Bibliography writes the References section of a Markdown note.`);
    return;
  }
  const { editor } = target;
  const { document } = editor;
  const text = document.getText();
  const { papers, missingKeys } = resolveCitedPapers(text, (key) => services.library.getPaper(key));
  if (papers.length === 0) {
    void vscode.window.showInformationMessage(
      missingKeys.length > 0
        ? `None of the keys this note cites is in the library: ${missingKeys.map((key) => `@${key}`).join(', ')}.`
        : 'This note cites no papers yet. Insert a citation first (Lit Notes: Insert Citation).',
    );
    return;
  }
  const edits = [upsertReferencesSection(text, services.citations.references(papers)), pandocSuppressBibliographyEdit(text)];
  const range = (edit: TextEdit) => new vscode.Range(document.positionAt(edit.startOffset), document.positionAt(edit.endOffset));
  // One undo step: the list, and the front matter line that keeps pandoc from writing a second one.
  const applied = await editor.edit((builder) => {
    for (const edit of edits) if (edit) builder.replace(range(edit), edit.newText);
  });
  if (!applied) throw new Error('the editor refused the edit (is the note read-only?)');
  services.log.info(`Wrote ${papers.length} references into ${document.uri.toString(true)}`);
  if (missingKeys.length > 0) {
    void vscode.window.showWarningMessage(`The References list leaves out keys that are not in the library: ${missingKeys.map((key) => `@${key}`).join(', ')}.`);
  }
}

async function chooseCitationStyle(services: Workbench): Promise<void> {
  const current = services.citations.styleId;
  type StyleItem = vscode.QuickPickItem & { id?: string };
  const addFile: StyleItem = { label: '$(add) Add a .csl Style File…', alwaysShow: true };
  const items: StyleItem[] = [
    ...services.citations.styles().map((style) => ({
      id: style.id,
      label: escapeIcons(style.title),
      description: style.id === current ? `${style.id} (current)` : style.id,
      detail: style.file,
      picked: style.id === current,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    addFile,
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Citation Style', placeHolder: `Current: ${current}`, matchOnDescription: true });
  if (!choice) return;
  let id = choice.id;
  if (choice === addFile) {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSL styles': ['csl'] }, title: 'Add a CSL Style' });
    if (!files?.[0]) return;
    const file = files[0].fsPath;
    const checked = services.citations.checkStyleFile(file);
    const taken = services.citations.styles().find((style) => style.id === checked.id && style.file !== file);
    const problem = checked.problem ?? (taken && `A citation style named "${checked.id}" is already listed (${taken.file ?? 'built in'}); rename the file.`);
    if (problem) return refuseStyle(services, checked.id, problem, current);
    if (!services.settings.extraStyles.includes(file)) await services.settings.update('citation.extraStyles', [...services.settings.extraStyles, file]);
    id = checked.id;
  } else if (id) {
    const problem = services.citations.checkStyle(id);
    if (problem) return refuseStyle(services, id, problem, current);
  }
  if (!id) return;
  await services.settings.update('citation.cslStyle', id);
  const format = services.settings.citationFormat;
  if (format === 'pandoc' || format === 'markdownLink') {
    const writes = format === 'pandoc' ? 'Pandoc keys' : 'Markdown links';
    void vscode.window
      .showInformationMessage(`Citation style set to "${id}". Insert Bibliography uses it; Insert Citation writes ${writes}.`, 'Insert Formatted References Instead')
      .then((switchFormat) => (switchFormat ? services.settings.update('citation.format', 'csl') : undefined));
  }
}

/** A style that cannot be used is not taken: the user is told why, the log gets one line. */
function refuseStyle(services: Workbench, id: string, problem: string, current: string): void {
  services.log.warn(`Citation style "${id}" refused, keeping "${current}": ${problem}`);
  void vscode.window.showErrorMessage(`${problem} The citation style stays "${current}".`);
}

function offerClipboard(message: string, text: string): void {
  void vscode.window.showWarningMessage(message, 'Copy to Clipboard').then(async (choice) => {
    if (!choice) return;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage('$(copy) Citation copied', 3000);
  });
}

function describe(papers: Paper[]): string {
  return papers.map((paper) => `@${paper.key}`).join(', ');
}
