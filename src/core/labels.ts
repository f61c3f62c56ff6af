/** Small pieces of text the extension shows in more than one place. */

/** "1 paper", "3 papers", "0 library files". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/**
 * Where VS Code reads `$(name)` as an icon (quick pick rows), text from a user's files keeps it as
 * written: `\$(name)` is shown as `$(name)`, never as an icon. Anything else is left alone, since
 * VS Code would show a backslash that escapes nothing.
 */
export function escapeIcons(text: string): string {
  return text.replace(/\$\((?=[A-Za-z0-9~-]+\))/g, '\\$(');
}
