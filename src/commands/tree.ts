import * as vscode from 'vscode';
import { escapeIcons } from '../core/labels';
import type { LibraryFileReport, LibraryFileReports } from '../services/librarySources';
import { guarded } from './guarded';
import type { PapersView } from '../views/papersTree';

interface EntryItem extends vscode.QuickPickItem {
  readonly uri?: vscode.Uri;
  readonly line?: number;
}

/** The commands of the Papers view's own rows and title bar. */
export function registerTreeCommands(papersView: PapersView, sources: LibraryFileReports, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'litnotes.showLibraryFileEntries',
      guarded(log, 'show the merged and skipped entries', (setting?: unknown) => showEntries(sources.reports, setting)),
    ),
    vscode.commands.registerCommand('litnotes.collapseAll', guarded(log, 'collapse the Papers view', () => papersView.collapseAll())),
  ];
}

/**
 * Lists the entries of the library files (or of the one named by `setting`, from its row in the
 * tree) that were merged or skipped; the one picked is shown at its line. With nothing to list, a
 * file's row opens the file.
 */
async function showEntries(all: readonly LibraryFileReport[], setting: unknown): Promise<void> {
  const reports = typeof setting === 'string' ? all.filter((report) => report.setting === setting) : all;
  const sections = reports.map((report) => ({ report, items: entryItems(report) })).filter((section) => section.items.length > 0);
  if (sections.length === 0) {
    const [only] = reports;
    if (typeof setting === 'string' && only?.uri && !only.problem) {
      await vscode.window.showTextDocument(only.uri);
      return;
    }
    const problem = reports.map((report) => report.problem).find(Boolean);
    void vscode.window.showInformationMessage(problem ?? (reports.length ? 'No entry of the library files was merged or skipped.' : 'No library files are set in litnotes.library.files.'));
    return;
  }
  const items =
    sections.length === 1
      ? sections[0].items
      : sections.flatMap(({ report, items: own }) => [{ label: report.setting, kind: vscode.QuickPickItemKind.Separator } satisfies EntryItem, ...own]);
  const picked = await vscode.window.showQuickPick(items, {
    title: sections.length === 1 ? `Merged and Skipped Entries of ${sections[0].report.setting}` : 'Merged and Skipped Entries',
    placeHolder: 'Pick an entry to go to it in its file',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.uri || picked.line === undefined) return;
  const position = new vscode.Position(Math.max(0, picked.line - 1), 0);
  await vscode.window.showTextDocument(picked.uri, { selection: new vscode.Range(position, position) });
}

/** Skipped entries, then merged ones, each by line; every text from the file is kept as text. */
function entryItems(report: LibraryFileReport): EntryItem[] {
  const { uri } = report;
  const skipped = report.skipped.map(
    (entry): EntryItem => ({
      label: escapeIcons(entry.key ?? `Entry at line ${entry.line}`),
      description: `skipped · line ${entry.line}`,
      detail: escapeIcons(entry.message),
      iconPath: new vscode.ThemeIcon('error'),
      uri,
      line: entry.line,
    }),
  );
  const merged = report.merged.map(
    (entry): EntryItem => ({
      label: escapeIcons(entry.key),
      description: `merged · line ${entry.line}`,
      detail: escapeIcons(entry.message),
      iconPath: new vscode.ThemeIcon('merge'),
      uri,
      line: entry.line,
    }),
  );
  return [...skipped, ...merged];
}
