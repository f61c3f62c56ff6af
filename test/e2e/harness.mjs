// End-to-end harness: packages the extension as a .vsix (what users install), installs it into a
// temporary code-server, and opens the workbench on a copy of the fixture workspace in headless
// chromium. Tests then use the page like a person: clicks, keys, reading what is on screen.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer } from '../../scripts/code-server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(ROOT, 'artifacts');

/** Packages the extension into a .vsix in `dir` exactly as `npm run package` does for users (a production build). */
export function packageExtension(dir) {
  const vsix = path.join(dir, 'litnotes.vsix');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync('npm', ['run', 'package', '--', '--out', vsix], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`vsce package failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  // Everything the build put in dist/ except source maps must ship (.vscodeignore is an allowlist).
  const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  const packaged = new Set(listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean));
  const missing = fs
    .readdirSync(path.join(ROOT, 'dist'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.map'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .filter((file) => !packaged.has(file));
  if (missing.length) throw new Error(`.vscodeignore leaves out files the extension needs: ${missing.join(', ')}`);
  if ([...packaged].some((file) => file.endsWith('.map') || file.startsWith('src/') || file.startsWith('node_modules/'))) {
    throw new Error(`the package holds files it should not: ${[...packaged].join(', ')}`);
  }
  return vsix;
}

/**
 * Starts code-server with Lit Notes installed and a page showing the workbench.
 * Returns { server, browser, context, page, workspace, url, stop() }.
 */
export async function startSession() {
  const useDevelopmentPath = Boolean(process.env.LITNOTES_E2E_DEV);
  let server;
  const packageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-vsix-'));
  try {
    const vsix = useDevelopmentPath ? undefined : packageExtension(packageDir);
    server = await startCodeServer({ quiet: !process.env.LITNOTES_VERBOSE, vsix });
  } finally {
    fs.rmSync(packageDir, { recursive: true, force: true });
  }
  let browser;
  try {
    const workspace = path.join(server.base, 'workspace');
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    browser = await launchBrowser({ env: server.env });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const page = await context.newPage();
    if (process.env.LITNOTES_VERBOSE) page.on('console', (message) => console.log(`[browser] ${message.text()}`));
    const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: useDevelopmentPath ? ROOT : undefined });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return {
      server,
      browser,
      context,
      page,
      workspace,
      url,
      async stop() {
        await browser.close().catch(() => {});
        server.stop();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    server.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers that act on the workbench the way a person would.

/** Waits until the workbench is shown and the extension host has started. */
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
  await page.locator('.activitybar').waitFor({ timeout: 30_000 });
}

/** Opens the command palette with F1 and runs a command by its title. */
export async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await input.press('Enter');
}

/** The visible quick pick's input and rows. */
export function quickPick(page) {
  const widget = page.locator('.quick-input-widget');
  return {
    widget,
    input: widget.locator('input.input'),
    rows: widget.locator('.quick-input-list .monaco-list-row'),
  };
}

/** The content frame of the visible webview (the panel's document is in a frame inside a frame). */
export function visibleWebview(page) {
  return page.locator('iframe.webview.ready').filter({ visible: true }).first().contentFrame().locator('#active-frame').contentFrame();
}

/** Opens a file of the workspace by name with Quick Open (Ctrl+P). */
export async function openFile(page, name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const { input, rows } = quickPick(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await rows.filter({ hasText: name }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator(`.tabs-container .tab.active`, { hasText: name }).waitFor({ state: 'visible' });
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}
