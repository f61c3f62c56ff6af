import * as path from 'node:path';
import * as vscode from 'vscode';

/** Where a path from a setting points, or why it points nowhere. */
export type ResolvedPath = { uri: vscode.Uri; problem?: undefined } | { uri?: undefined; problem: string };

/**
 * The one reading of "absolute, or relative to the workspace folder" for paths in settings (library
 * files, extra styles, the state file, the note template). Relative paths are taken from `folder`,
 * by default the first workspace folder; with no folder open they resolve to nothing, never to the
 * extension host's working directory. `setting` names the setting in the message.
 */
export function resolveSettingPath(value: string, setting: string, folder: vscode.WorkspaceFolder): { uri: vscode.Uri };
export function resolveSettingPath(value: string, setting: string, folder?: vscode.WorkspaceFolder): ResolvedPath;
export function resolveSettingPath(value: string, setting: string, folder = vscode.workspace.workspaceFolders?.[0]): ResolvedPath {
  if (path.isAbsolute(value)) return { uri: vscode.Uri.file(value) };
  if (!folder) {
    return { problem: `"${value}" in the setting ${setting} is relative to the workspace folder, but no folder is open: open the folder, or make the path absolute.` };
  }
  return { uri: vscode.Uri.joinPath(folder.uri, ...value.split(/[\\/]+/).filter(Boolean)) };
}
