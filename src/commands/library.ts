import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveCitedPapers } from '../core/bibliography';
import { EXPORT_FORMATS, exportPapers, type ExportFormat } from '../core/exportFormats';
import type { Paper } from '../core/model';
import { guarded } from './guarded';
import type { Workbench } from './workbench';
import { resolvePapers, type PaperArg } from './paperArgs';

/** The formats Export Bibliography offers, in the order of the table. */
const EXPORT_CHOICES: readonly (vscode.QuickPickItem & { format: ExportFormat; extension: string })[] = Object.entries(EXPORT_FORMATS).map(([format, { label, description, extension }]) => ({
  label,
  description,
  extension,
  format: format as ExportFormat,
}));

const LIBRARY_FILTERS = { 'Library files': ['bib', 'json', 'txt', 'md'], BibTeX: ['bib'], 'CSL-JSON': ['json'], 'Daily Papers listing': ['txt', 'md'] };

export function registerLibraryCommands(services: Workbench): vscode.Disposable[] {
  const { log } = services;
  return [
    vscode.commands.registerCommand('litnotes.addLibraryFile', guarded(log, 'add the library file', addLibraryFile)),
    vscode.commands.registerCommand(
      'litnotes.exportBibliography',
      guarded(log, 'export the bibliography', (arg?: PaperArg, selected?: unknown) => exportBibliography(services, arg, selected)),
    ),
    vscode.commands.registerCommand('litnotes.clearLibraryCache', guarded(log, 'clear the library cache', () => clearLibraryCache(services))),
  ];
}

/**
 * Removes the cached library and the topic discovery kept beside it: the library in place stays,
 * and the next start reads its files again and discovers topics afresh.
 */
async function clearLibraryCache(services: Workbench): Promise<void> {
  const [cache, topics] = await Promise.all([services.libraryCache.clear(), services.discoveryState.clear()]);
  const freed = cache + topics;
  void vscode.window.showInformationMessage(
    freed > 0
      ? `Lit Notes: library cache and topic discovery cleared (${(freed / (1024 * 1024)).toFixed(1)} MB). The next start reads the library files and discovers topics again.`
      : 'Lit Notes: there was no library cache to clear.',
  );
}

/** Picks a file and appends it to `litnotes.library.files`, relative to the workspace when inside it. */
async function addLibraryFile(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const picked = await vscode.window.showOpenDialog({ title: 'Add Library File', canSelectMany: false, defaultUri: folder?.uri, filters: LIBRARY_FILTERS, openLabel: 'Add to Library' });
  const uri = picked?.[0];
  if (!uri) return;
  const relative = folder && uri.scheme === 'file' ? path.relative(folder.uri.fsPath, uri.fsPath) : undefined;
  const setting = relative !== undefined && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : uri.fsPath;
  const configuration = vscode.workspace.getConfiguration('litnotes');
  const target = folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = configuration.inspect<unknown>('library.files');
  const current = (folder ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  const files = Array.isArray(current) ? current.filter((entry): entry is string => typeof entry === 'string') : [];
  if (files.includes(setting)) {
    void vscode.window.showInformationMessage(`"${setting}" is already in the library files.`);
    return;
  }
  await configuration.update('library.files', [...files, setting], target);
  void vscode.window.showInformationMessage(`Added "${setting}" to the library files (${folder ? 'workspace' : 'user'} settings).`);
}

/** The selected tree rows, else the papers the active Markdown note cites, else the user picks. */
async function papersToExport(services: Workbench, arg: PaperArg, selected: unknown): Promise<Paper[] | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (arg === undefined && editor?.document.languageId === 'markdown') {
    const { papers, missingKeys } = resolveCitedPapers(editor.document.getText(), (key) => services.library.getPaper(key));
    if (missingKeys.length > 0) {
      void vscode.window.showWarningMessage(`Not in the library, so not exported: ${missingKeys.map((key) => `@${key}`).join(', ')}`);
    }
    if (papers.length > 0) return papers;
    void vscode.window.showInformationMessage('The note cites no paper of the library; pick the papers to export instead.');
  }
  return resolvePapers(services, arg, selected, 'Export Bibliography');
}

async function exportBibliography(services: Workbench, arg: PaperArg, selected: unknown): Promise<void> {
  const papers = await papersToExport(services, arg, selected);
  if (!papers || papers.length === 0) return;
  const count = `${papers.length} ${papers.length === 1 ? 'Paper' : 'Papers'}`;
  const format = await vscode.window.showQuickPick(EXPORT_CHOICES, { title: `Export ${count}`, placeHolder: 'Export as' });
  if (!format) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Export ${count} as ${format.label}`,
    defaultUri: folder && vscode.Uri.joinPath(folder, `references.${format.extension}`),
    filters: { [format.label]: [format.extension] },
    saveLabel: 'Export',
  });
  if (!target) return;
  const { text, notes } = exportPapers(papers, format.format);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  services.log.info(`Exported ${papers.length} papers as ${format.label} to ${target.toString(true)}`);
  // What the format cannot hold is said, never dropped silently.
  for (const note of notes) services.log.warn(`Export: ${note}`);
  const detail = notes.length > 0 ? ` ${notes.length} ${notes.length === 1 ? 'detail' : 'details'} could not be written as ${format.label}: see the Lit Notes log.` : '';
  void vscode.window.showInformationMessage(`Exported ${papers.length} ${papers.length === 1 ? 'paper' : 'papers'} as ${format.label} to ${path.basename(target.path)}.${detail}`);
}
