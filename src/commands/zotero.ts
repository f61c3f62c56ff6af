import * as vscode from 'vscode';
import { shorten } from '../core/markdown';
import type { Paper } from '../core/model';
import { noteFileName } from '../core/noteTemplate';
import { DEFAULT_COLOR_LABELS, renderAnnotation, unknownAnnotationPlaceholders } from '../core/zotero/annotations';
import { ANNOTATIONS_HEADING, planAnnotationImport, type AnnotationImportPlan } from '../core/zotero/annotationSection';
import type { LibraryPrefix } from '../core/zotero/papers';
import { fetchAnnotations } from '../node/zotero/annotations';
import { ZoteroError } from '../node/zotero/client';
import { noteUri, openLiteratureNote, readTemplate } from '../notes/literatureNotes';
import { guarded } from './guarded';
import { paperFromArg, resolvePaper, type PaperArg } from './paperArgs';
import type { Workbench } from './workbench';

/** Set while the active editor is the literature note of a Zotero paper: its title bar offers Import Annotations. */
const NOTE_CONTEXT = 'litnotes.zoteroNote';

/**
 * Zotero in the editor: "Import Annotations" (palette, tree, detail panel, a note's title bar),
 * "Sync with Zotero", and the Papers view's line on the connection.
 */
export function registerZoteroCommands(services: Workbench): vscode.Disposable[] {
  const { zotero, papersView } = services;
  const showStatus = () => {
    papersView.treeView.message = zotero.statusLine();
  };
  showStatus();
  const noteContext = () => void vscode.commands.executeCommand('setContext', NOTE_CONTEXT, zotero.enabled && noteOfEditor(services, vscode.window.activeTextEditor) !== undefined);
  noteContext();
  return [
    zotero.onDidChangeStatus(showStatus),
    vscode.window.onDidChangeActiveTextEditor(noteContext),
    services.library.onDidChange(noteContext),
    vscode.commands.registerCommand(
      'litnotes.importAnnotations',
      guarded(services.log, 'import the annotations from Zotero', async (arg?: PaperArg | vscode.Uri) => {
        const paper = arg instanceof vscode.Uri ? noteOf(services, arg) : (paperFromArg(services, arg) ?? noteOfEditor(services, vscode.window.activeTextEditor) ?? (await resolvePaper(services, undefined, 'Import Annotations from Zotero')));
        if (paper) await importAnnotations(services, paper);
      }),
    ),
    vscode.commands.registerCommand(
      'litnotes.syncZotero',
      guarded(services.log, 'sync with Zotero', () => {
        if (!zotero.enabled) return offerToEnable('Zotero is not a library source of Lit Notes.');
        zotero.syncNow();
      }),
    ),
  ];
}

/** The Zotero paper whose literature note is open in `editor`. */
function noteOfEditor(services: Workbench, editor: vscode.TextEditor | undefined): Paper | undefined {
  return editor && editor.document.languageId === 'markdown' ? noteOf(services, editor.document.uri) : undefined;
}

function noteOf(services: Workbench, uri: vscode.Uri): Paper | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || !uri.path.endsWith('.md')) return undefined;
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  return services.library.papers.find((paper) => paper.zotero && noteFileName(paper.key) === name && noteUri(folder, paper, services.settings).toString() === uri.toString());
}

async function offerToEnable(why: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(`${why} Turn on the setting litnotes.zotero.enabled to read your library from a running Zotero 7.`, 'Zotero Settings');
  if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'litnotes.zotero');
}

/**
 * Reads the paper's annotations from Zotero and writes them into its literature note (created when
 * missing), in the note's one annotations section: nothing outside the section changes, and a
 * section changed by hand since the last import is only touched when the user says how.
 */
async function importAnnotations(services: Workbench, paper: Paper): Promise<void> {
  const { zotero, settings, log } = services;
  if (!zotero.enabled) return offerToEnable('Lit Notes reads annotations from Zotero, which is not a library source yet.');
  const ref = zotero.itemOf(paper);
  if (!ref) {
    void vscode.window.showWarningMessage(`"${shortLabel(paper.title)}" is not in your Zotero library, so Lit Notes has no annotations to import for it.`);
    return;
  }
  const client = zotero.client();
  if (!client) throw new Error(`the setting litnotes.zotero.url ("${settings.zoteroUrl}") is not an address on this computer`);
  let found;
  try {
    found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading annotations from Zotero…' }, () => fetchAnnotations(client, ref));
  } catch (error) {
    if (!(error instanceof ZoteroError)) throw error;
    log.warn(`Import Annotations: ${error.message}`);
    void vscode.window.showErrorMessage(annotationError(error, settings.zoteroUrl));
    return;
  }
  if (found.annotations.length === 0) {
    void vscode.window.showInformationMessage(
      found.attachments === 0
        ? `"${shortLabel(paper.title)}" has no PDF, EPUB or snapshot in Zotero, so it has no annotations.`
        : `Zotero has no annotations on "${shortLabel(paper.title)}" (${found.attachments === 1 ? 'its attachment' : `its ${found.attachments} attachments`}).`,
    );
    return;
  }
  const editor = await openLiteratureNote(paper, services);
  if (!editor) return;
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
  if (!folder) throw new Error('the literature note is not in a workspace folder');
  const template = await readTemplate(folder, services.extensionUri, {
    setting: settings.annotationTemplate,
    settingName: 'litnotes.zotero.annotationTemplate',
    builtIn: 'annotation-template.md',
    what: 'annotation template',
  });
  const unknown = unknownAnnotationPlaceholders(template.text);
  if (unknown.length > 0) {
    void vscode.window.showWarningMessage(
      `The annotation template ${template.name} has placeholders Lit Notes does not know: ${unknown.map((entry) => `{{${entry.name}}} (line ${entry.line})`).join(', ')}. They were left as written.`,
    );
  }
  const context = { citekey: paper.key, library: ref.library as LibraryPrefix, colorLabels: { ...DEFAULT_COLOR_LABELS, ...settings.annotationColors } };
  const rendered = found.annotations.map((annotation) => renderAnnotation(annotation, template.text, context));
  const document = editor.document;
  const plan = planAnnotationImport(document.getText(), rendered);
  const where = vscode.workspace.asRelativePath(document.uri);
  const edit = await chooseEdit(plan, where, editor);
  if (!edit) return;
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(edit.startOffset), document.positionAt(edit.endOffset)), edit.newText);
  if (!(await vscode.workspace.applyEdit(workspaceEdit))) throw new Error(`could not write into ${where}`);
  await document.save();
  const count = `${plan.total} annotation${plan.total === 1 ? '' : 's'}`;
  log.info(`Imported ${count} (${plan.added} new) from Zotero ${ref.library}/items/${ref.key} into ${where}`);
  void vscode.window.showInformationMessage(plan.state === 'new' ? `Imported ${count} from Zotero into ${where} ("${ANNOTATIONS_HEADING}").` : `Updated the annotations in ${where}: ${count}, ${plan.added} new.`);
}

/** The edit to make, asking first about a section changed by hand; undefined: nothing to do. */
async function chooseEdit(plan: AnnotationImportPlan, where: string, editor: vscode.TextEditor) {
  switch (plan.state) {
    case 'unchanged':
      void vscode.window.showInformationMessage(`The annotations in ${where} are up to date with Zotero (${plan.total}).`);
      return undefined;
    case 'broken': {
      const line = Math.max(0, (plan.line ?? 1) - 1);
      editor.selection = new vscode.Selection(line, 0, line, 0);
      editor.revealRange(new vscode.Range(line, 0, line, 0));
      void vscode.window.showErrorMessage(
        `${where} has an annotations marker without its partner (line ${plan.line}). Lit Notes leaves the note as it is: remove the marker or restore its partner, then import again.`,
      );
      return undefined;
    }
    case 'edited': {
      const addNew = plan.addMissing ? `Add the ${plan.added} New Only` : undefined;
      const choice = await vscode.window.showWarningMessage(
        `The annotations section of ${where} was changed by hand since the last import. Replace it with Zotero's ${plan.total} annotations (your changes inside the section are lost; lines outside it stay)${addNew ? `, or add only the ${plan.added} it does not have yet` : ''}?`,
        { modal: true },
        ...(addNew ? [addNew] : []),
        'Replace Section',
      );
      return choice === 'Replace Section' ? plan.replace : choice !== undefined && choice === addNew ? plan.addMissing : undefined;
    }
    default:
      return plan.replace;
  }
}

function annotationError(error: ZoteroError, url: string): string {
  switch (error.kind) {
    case 'not-enabled':
      return `Lit Notes cannot read the annotations: Zotero's local API is off. In Zotero, open Settings → Advanced and tick "Allow other applications on this computer to communicate with Zotero", then try again.`;
    case 'unreachable':
      return `Lit Notes cannot reach Zotero at ${url} to read the annotations: start Zotero 7 or later, then try again.`;
    case 'no-local-api':
      return `The Zotero at ${url} has no local API: Lit Notes reads annotations from Zotero 7 or later.`;
    default:
      return `Lit Notes could not read the annotations from Zotero: ${error.message}.`;
  }
}

/** A title for a message (plain text): one line, not too long. */
function shortLabel(title: string): string {
  return shorten(title, 80);
}
