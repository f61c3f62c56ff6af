// The programs the tests compare Lit Notes with (Debian packages the set-up installs). A test that
// needs one fails, saying what is missing and how to get it, rather than being skipped unnoticed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

export type ReferenceTool = 'pandoc' | 'bibtool' | 'biber';

const found = new Map<ReferenceTool, boolean>();

/** Fails unless `name` is on the PATH. */
export function requireTool(name: ReferenceTool): void {
  if (!found.has(name)) found.set(name, spawnSync('sh', ['-c', `command -v ${name}`]).status === 0);
  assert.ok(found.get(name), `${name} is not installed: it is a Debian package the set-up installs (scripts/setup.mjs); run "apt-get install ${name}"`);
}
