import * as path from 'path';
import * as vscode from 'vscode';
import { errorText } from '../core/errors';
import type { Paper } from '../core/model';
import { noteFileName, renderNoteTemplate } from '../core/noteTemplate';
import { paperTags } from '../core/readingState';
import type { LibraryService } from '../services/libraryService';
import type { ReadingStateService } from '../services/readingStateService';
import type { Settings } from '../services/settings';
import { resolveSettingPath } from '../services/workspacePaths';

export interface NoteDependencies {
  extensionUri: vscode.Uri;
  settings: Settings;
  library: LibraryService;
  readingState: ReadingStateService;
  log: vscode.LogOutputChannel;
}

/**
 * Opens the paper's literature note, `<notes folder>/<key>.md`, creating it from the template when
 * it does not exist. An existing note is opened as it is: it is never written to, and creation
 * itself refuses to replace a file that appeared in the meantime.
 */
export async function openLiteratureNote(paper: Paper, deps: NoteDependencies): Promise<vscode.TextEditor | undefined> {
  const folder = await pickWorkspaceFolder();
  if (!folder) return undefined;
  const uri = noteUri(folder, paper, deps.settings);
  if (!(await exists(uri))) await createNote(uri, folder, paper, deps);
  return vscode.window.showTextDocument(uri, { preview: false });
}

/** The note's address in a workspace folder; refuses a notes folder that leads out of it. */
export function noteUri(folder: vscode.WorkspaceFolder, paper: Paper, settings: Settings): vscode.Uri {
  const relative = path.posix.normalize(settings.notesFolder.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(relative) || relative === '..' || relative.startsWith('../')) {
    throw new Error(`the setting litnotes.notes.folder ("${settings.notesFolder}") must be a folder inside the workspace`);
  }
  return vscode.Uri.joinPath(folder.uri, relative, noteFileName(paper.key));
}

async function pickWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('Lit Notes keeps literature notes in a workspace folder: open a folder first (File › Open Folder…).');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder should hold the literature note?' });
}

async function createNote(uri: vscode.Uri, folder: vscode.WorkspaceFolder, paper: Paper, deps: NoteDependencies): Promise<void> {
  const template = await readTemplate(folder, deps.extensionUri, { setting: deps.settings.noteTemplate, settingName: 'litnotes.notes.template', builtIn: 'note-template.md', what: 'note template' });
  const { text, unknown } = renderNoteTemplate(template.text, {
    paper,
    getTopic: (id) => deps.library.getTopic(id),
    tags: paperTags(paper, deps.readingState.get(paper.key)),
    status: deps.readingState.get(paper.key).status,
    today: new Date(),
  });
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { overwrite: false, ignoreIfExists: true, contents: Buffer.from(text, 'utf8') });
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not create ${vscode.workspace.asRelativePath(uri)}`);
  deps.log.info(`Created the literature note ${uri.toString(true)} from ${template.name}`);
  if (unknown.length > 0) {
    const list = unknown.map((placeholder) => `{{${placeholder.name}}} (line ${placeholder.line})`).join(', ');
    deps.log.warn(`Note template ${template.name}: unknown placeholders ${list}`);
    void vscode.window.showWarningMessage(
      `The note template ${template.name} has placeholders Lit Notes does not know: ${list}. They were left in the note as written.`,
    );
  }
}

/** Which template: the user's file named by a setting, else one built into Lit Notes (in `media/`). */
export interface TemplateChoice {
  /** The setting's value: a path, absolute or relative to the workspace folder; empty for the built-in template. */
  setting: string;
  settingName: string;
  builtIn: string;
  /** "note template", for messages. */
  what: string;
}

/** The user's template when the setting names one, else the built-in one. */
export async function readTemplate(folder: vscode.WorkspaceFolder, extensionUri: vscode.Uri, choice: TemplateChoice): Promise<{ name: string; text: string }> {
  const { setting } = choice;
  const uri = setting ? resolveSettingPath(setting, choice.settingName, folder).uri : vscode.Uri.joinPath(extensionUri, 'media', choice.builtIn);
  try {
    return { name: setting || 'built-in template', text: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') };
  } catch (error) {
    throw new Error(`the ${choice.what} ${setting ? `"${setting}" (setting ${choice.settingName})` : 'built into Lit Notes'} cannot be read: ${errorText(error)}`);
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
