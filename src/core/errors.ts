/** The one place an unknown thrown value becomes text: for the user (`errorText`) and for the log (`errorDetail`). */

/** A short sentence for a message box or a diagnostic. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}

/** What the log gets: the stack where there is one, so a bug can be found, else the same text. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : errorText(error);
}

/** Whether `error` says that the work was stopped on purpose (an AbortSignal's abort, e.g. when the window closes), not that it failed. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
