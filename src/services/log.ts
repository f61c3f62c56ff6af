import * as vscode from 'vscode';
import { errorDetail, errorText } from '../core/errors';

/** Logs a failure with its stack and tells the user in words, with a way to the log. */
export function reportFailure(log: vscode.LogOutputChannel, what: string, error: unknown): void {
  log.error(`${what} failed:`, errorDetail(error));
  void vscode.window.showErrorMessage(`Lit Notes: could not ${what}: ${errorText(error)}`, 'Show Log').then((choice) => {
    if (choice) log.show();
  });
}
