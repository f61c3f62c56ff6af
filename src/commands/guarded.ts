import type * as vscode from 'vscode';
import { reportFailure } from '../services/log';

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
      reportFailure(log, what, error);
    }
  };
}
