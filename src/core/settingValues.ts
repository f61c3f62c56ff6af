/**
 * How each `litnotes.*` setting's raw value is read: bad values fall back to the defaults. One table
 * for the extension (VS Code's configuration) and the command line (a folder's .vscode/settings.json).
 */

/** Paths as the user listed them, blanks dropped, each once. */
export function pathList(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()))] : [];
}

export function nonBlank(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Colour ("#ffd400", any case) → label; entries that are not a six-digit colour and a text dropped. */
export function colorLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return labels;
  for (const [color, label] of Object.entries(value)) if (/^#[0-9a-f]{6}$/i.test(color) && typeof label === 'string') labels[color.toLowerCase()] = label;
  return labels;
}
/** Where the user's topic decisions are kept, relative to the first workspace folder. */
export const DEFAULT_TOPICS_FILE = '.litnotes/topics.json';

/** The settings the library and the citations depend on, read through `get` ("library.files" → raw value). */
export function librarySettings(get: (key: string) => unknown) {
  return {
    libraryFiles: pathList(get('library.files')),
    includeBundled: get('library.includeBundled') !== false,
    cslStyle: nonBlank(get('citation.cslStyle'), 'apa'),
    extraStyles: pathList(get('citation.extraStyles')),
    /** Empty: each style's own default locale. */
    citationLocale: nonBlank(get('citation.locale'), ''),
    topicsFile: nonBlank(get('topics.file'), DEFAULT_TOPICS_FILE),
  };
}

/** `get` over a settings.json object, whose keys are flat ("litnotes.library.files"). */
export function settingsFileLookup(json: unknown): (key: string) => unknown {
  const object = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  return (key) => object[`litnotes.${key}`];
}
