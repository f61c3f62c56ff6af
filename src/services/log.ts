import * as vscode from 'vscode';

/** Runs a command body; on failure logs the error and tells the user in words instead of failing silently. */
export function guarded<Args extends unknown[]>(
  log: vscode.LogOutputChannel,
  what: string,
  body: (...args: Args) => unknown,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      await body(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${what} failed:`, error instanceof Error ? (error.stack ?? message) : message);
      void vscode.window.showErrorMessage(`Lit Notes: could not ${what}: ${message}`, 'Show Log').then((choice) => {
        if (choice) log.show();
      });
    }
  };
}
