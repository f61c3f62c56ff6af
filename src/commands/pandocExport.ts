import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pandocInstallHint, PANDOC_FORMATS, PDF_ENGINES, type PandocFormat } from '../core/pandocExport';
import { exportWithPandoc, PandocError, type PandocExportResult } from '../node/pandocExport';
import { CancelledError, findProgram, ProgramNotFoundError } from '../node/processes';
import { resolveSettingPath } from '../services/workspacePaths';
import { guarded } from './guarded';
import type { Workbench } from './workbench';

const PATH_SETTING = 'litnotes.pandoc.path';
const INSTALL_PAGE = 'https://pandoc.org/installing.html';

type FormatItem = vscode.QuickPickItem & { format: PandocFormat; pdfEngine?: string };

export function registerPandocCommands(services: Workbench): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'litnotes.exportNoteWithPandoc',
      guarded(services.log, 'export the note with pandoc', (uri?: unknown) => exportNoteWithPandoc(services, uri instanceof vscode.Uri ? uri : undefined)),
    ),
  ];
}

async function exportNoteWithPandoc(services: Workbench, uri: vscode.Uri | undefined): Promise<void> {
  const document = await noteDocument(services, uri);
  if (!document) return;
  const note = noteFile(document);
  if (!note) {
    void vscode.window.showInformationMessage('Export Note with Pandoc exports notes saved on this computer; save the note first.');
    return;
  }
  const pandoc = pandocProgram(services);
  if ('problem' in pandoc) return offerInstall(pandoc.problem);

  // A PDF needs an engine pandoc can run: only those found on PATH are offered.
  const engines = PDF_ENGINES.filter(({ name }) => findProgram(name) !== undefined);
  const items: FormatItem[] = (Object.keys(PANDOC_FORMATS) as PandocFormat[]).flatMap((format): FormatItem[] => {
    const { label, description } = PANDOC_FORMATS[format];
    if (format !== 'pdf') return [{ label, description, format }];
    return engines.map(({ name }) => ({ label, description: `${description}: typeset by ${name}`, format, pdfEngine: name }));
  });
  const name = path.basename(note);
  const choice = await vscode.window.showQuickPick(items, {
    title: `Export ${name} with Pandoc`,
    placeHolder: engines.length > 0 ? 'Export as' : 'Export as (PDF needs a PDF engine such as xelatex, lualatex, pdflatex or wkhtmltopdf on PATH)',
  });
  if (!choice) return;
  const info = PANDOC_FORMATS[choice.format];
  const target = await vscode.window.showSaveDialog({
    title: `Export ${name} as ${info.label}`,
    defaultUri: vscode.Uri.file(path.join(path.dirname(note), `${path.parse(name).name}.${info.extension}`)),
    filters: { [info.label]: [info.extension] },
    saveLabel: 'Export',
  });
  if (!target) return;

  // Opened at start-up, the command may come before the library: the note's papers must be there.
  await services.library.ready;
  let result: PandocExportResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting ${name} as ${info.label} with pandoc`, cancellable: true },
      (progress, token) => {
        const cancel = new AbortController();
        token.onCancellationRequested(() => cancel.abort());
        return exportWithPandoc({
          pandoc: pandoc.program,
          markdown: document.getText(),
          noteFile: note,
          target: target.fsPath,
          format: choice.format,
          pdfEngine: choice.pdfEngine,
          lookup: (key) => services.library.getPaper(key),
          everyPaper: () => services.library.papers,
          style: { configured: services.citations.styleId, known: services.citations.styles().map(({ id }) => id), source: (id) => services.citations.pandocStyle(id) },
          locale: services.citations.locale,
          signal: cancel.signal,
          progress: (step) => progress.report({ message: step }),
        });
      },
    );
  } catch (error) {
    if (error instanceof CancelledError) {
      services.log.info(`Export of ${document.uri.toString(true)} with pandoc cancelled`);
      return;
    }
    if (error instanceof ProgramNotFoundError) return offerInstall(`Lit Notes could not run pandoc ("${pandoc.program}").`);
    if (!(error instanceof PandocError)) throw error;
    services.log.error(`pandoc could not export ${document.uri.toString(true)} as ${info.label}: ${error.message}\n${error.stderr}`);
    void vscode.window.showErrorMessage(`Lit Notes: pandoc could not export ${name} as ${info.label}: ${error.message}`, 'Show Log').then((show) => show && services.log.show());
    return;
  }

  services.log.info(`Exported ${document.uri.toString(true)} as ${info.label} to ${target.toString(true)} (${result.papers} papers, style ${result.style})`);
  for (const warning of result.warnings) services.log.warn(`pandoc: ${warning}`);
  if (result.missingKeys.length > 0) {
    void vscode.window.showWarningMessage(
      `Neither the library nor the note's bibliography files have ${result.missingKeys.map((key) => `@${key}`).join(', ')}: pandoc printed ${result.missingKeys.length === 1 ? 'it' : 'them'} with "?".`,
    );
  }
  await showResult(target, info.text, `Exported ${name} as ${info.label} to ${path.basename(target.fsPath)}.`);
}

/** The note of the editor title or explorer menu, else the Markdown note being written. */
async function noteDocument(services: Workbench, uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const target = await services.markdownEditors.target();
  if ('editor' in target) return target.editor.document;
  void vscode.window.showInformationMessage(`${target.reason} Export Note with Pandoc exports a Markdown note.`);
  return undefined;
}

/** The note's path; an untitled note is exported as if it were in the workspace folder (or the home folder). */
function noteFile(document: vscode.TextDocument): string | undefined {
  if (document.uri.scheme === 'file') return document.uri.fsPath;
  if (!document.isUntitled) return undefined;
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file')?.uri.fsPath ?? os.homedir();
  return path.join(folder, `${path.basename(document.uri.path)}.md`);
}

/** The pandoc of the setting (a path, or a name on PATH), else the one on PATH. */
function pandocProgram(services: Workbench): { program: string } | { problem: string } {
  const configured = services.settings.pandocPath;
  if (configured && /[\\/]/.test(configured)) {
    const resolved = resolveSettingPath(configured, PATH_SETTING);
    if (!resolved.uri) return { problem: resolved.problem };
    const program = findProgram(resolved.uri.fsPath);
    return program ? { program } : { problem: `Lit Notes found no program at "${configured}" (the setting ${PATH_SETTING}).` };
  }
  const program = findProgram(configured || 'pandoc');
  if (program) return { program };
  return { problem: configured ? `Lit Notes found no "${configured}" on PATH (the setting ${PATH_SETTING}).` : 'Lit Notes found no pandoc on PATH; Export Note with Pandoc runs it.' };
}

function offerInstall(problem: string): void {
  void vscode.window.showErrorMessage(`${problem} ${pandocInstallHint(process.platform)} Or set ${PATH_SETTING} to the program.`, 'Installing pandoc', 'Open Settings').then((choice) => {
    if (choice === 'Installing pandoc') void vscode.env.openExternal(vscode.Uri.parse(INSTALL_PAGE));
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', PATH_SETTING);
  });
}

/** Text opens in VS Code; any result can be opened in its application (HTML in the browser) or shown in its folder. */
async function showResult(target: vscode.Uri, text: boolean, message: string): Promise<void> {
  if (text) await vscode.window.showTextDocument(target, { preview: false });
  const reveal = process.platform === 'darwin' ? 'Reveal in Finder' : process.platform === 'win32' ? 'Reveal in File Explorer' : 'Open Containing Folder';
  void vscode.window.showInformationMessage(message, 'Open', reveal).then((choice) => {
    if (choice === 'Open') void vscode.env.openExternal(target);
    if (choice === reveal) void vscode.commands.executeCommand('revealFileInOS', target);
  });
}
