// End-to-end harness: packages the extension as a .vsix (what users install), installs it into a
// temporary code-server, and opens the workbench on a copy of the fixture workspace in headless
// chromium. Tests then use the page like a person: clicks, keys, reading what is on screen.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before } from 'mocha';
import { launchBrowser, onCleanup, startCodeServer } from '../../scripts/code-server.mjs';

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

let packaged;

/** The .vsix, packaged once per process: every test file installs the same build. */
function packagedExtension() {
  if (!packaged) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-vsix-'));
    onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
    packaged = packageExtension(dir);
  }
  return packaged;
}

/**
 * Starts code-server with Lit Notes installed and a page showing the workbench.
 * `prepare(workspace)` may add files to the workspace copy before the page opens it.
 * Returns { server, browser, context, page, workspace, url, stop() }.
 */
export async function startSession({ prepare } = {}) {
  const useDevelopmentPath = Boolean(process.env.LITNOTES_E2E_DEV);
  const server = await startCodeServer({ quiet: !process.env.LITNOTES_VERBOSE, vsix: useDevelopmentPath ? undefined : packagedExtension() });
  let browser;
  try {
    const workspace = path.join(server.base, 'workspace');
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    await prepare?.(workspace);
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

/**
 * Mocha hooks for a test file that shares one workbench: starts it before the first test, stops it
 * after the last, and saves a screenshot of each failed test. Returns an object whose `session` and
 * `page` are set once the workbench is shown. `beforeLoad(session)` may set up the browser context
 * (routes, init scripts) before the page first loads.
 */
export function useWorkbench(options = {}) {
  const shared = { session: undefined, page: undefined };
  before(async function () {
    // The first file also packages the extension: minutes on busy cores.
    this.timeout(360_000);
    shared.session = await startSession(options);
    shared.page = shared.session.page;
    await options.beforeLoad?.(shared.session);
    await shared.page.goto(shared.session.url);
    await waitForWorkbench(shared.page);
  });
  after(async function () {
    this.timeout(30_000);
    await shared.session?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && shared.page) {
      const name = `failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`;
      await screenshot(shared.page, name).catch(() => {});
    }
  });
  return shared;
}

/** Polls `probe` until it returns something other than undefined, or fails after timeoutMs. */
export async function waitFor(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`);
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
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await page.bringToFront();
  // A webview's frame can keep or take back the browser's focus: then F1 does not reach the workbench,
  // or the palette closes again as it opens (even after it was shown). Each attempt starts over, with
  // the focus moved to the status bar first; nothing has run until Enter is pressed in a shown row.
  for (let attempt = 0; ; attempt++) {
    try {
      if (attempt > 0) await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await input.press('Enter', { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
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

/**
 * Runs a command that opens a quick pick titled `title`, types into it with `type(input)`, and waits
 * until `listed(rows)` holds. A webview that takes the focus as it becomes ready (a panel restored
 * after a reload, or one just opened) closes a pick opened before, at any moment: then it all starts
 * over, three times at most. Gives the pick's input and rows.
 */
export async function typeInPick(page, { command, title, type, listed, timeoutMs = 20_000 }) {
  const pick = quickPick(page);
  for (let attempt = 0; ; attempt++) {
    await runCommand(page, command);
    const state = await waitFor(async () => {
      if (await pick.widget.locator('.quick-input-title', { hasText: title }).isVisible()) return 'open';
      return undefined;
    }, 10_000).catch(() => 'closed');
    // The command palette's input is the same element: what is typed before the pick replaces it is lost.
    if (state === 'open') {
      const typed = await type(pick.input).then(() => 'typed', () => 'closed');
      const shown =
        typed === 'typed' &&
        (await waitFor(async () => {
          if (!(await pick.widget.isVisible())) return 'closed';
          return (await listed(pick.rows)) ? 'listed' : undefined;
        }, timeoutMs));
      if (shown === 'listed') return pick;
    }
    if (attempt === 2) throw new Error(`${title} closed three times before it listed what was typed`);
  }
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
  // first(): a preview of the file beside it has an active tab of the same name.
  await page.locator(`.tabs-container .tab.active`, { hasText: name }).first().waitFor({ state: 'visible' });
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

/** The Lit Notes icon in the activity bar. */
export const activityIcon = (page) => page.locator('.activitybar .action-item .action-label[aria-label^="Lit Notes"]');
/** The Papers tree, and its rows at a level (1: groups, 2: papers). */
export const papersTree = (page) => page.locator('.pane:has(.pane-header[aria-label^="Papers"]) .monaco-list[role="tree"]');
export const treeRows = (page, level) => papersTree(page).locator(`.monaco-list-row[aria-level="${level}"]`);

/**
 * Shows the Papers view. The Lit Notes icon is clicked only while its view is not the one shown: a
 * click on the shown one hides the side bar (as when a reload has just restored the view).
 */
export async function showPapers(page) {
  const item = page.locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label^="Lit Notes"]') });
  await waitFor(async () => {
    if (await papersTree(page).isVisible()) return true;
    if (!/\bchecked\b/.test((await item.getAttribute('class')) ?? '')) await activityIcon(page).click();
    return undefined;
  }, 60_000);
  // After a reload the extension host starts again first: on a busy machine that takes a while.
  await treeRows(page, 1).first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** Shows the Papers view and expands the group whose label starts with `group`; returns the paper rows of the tree. */
export async function expandGroup(page, group) {
  if (!(await papersTree(page).isVisible())) await showPapers(page);
  const label = new RegExp(`^${group.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  const row = treeRows(page, 1).filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  return treeRows(page, 2);
}

/** The text editor of the active editor group (the detail panel opens in a group of its own). */
export const activeEditor = (page) => page.locator('.editor-group-container.active .editor-instance .monaco-editor').filter({ visible: true }).first();

/** The cursor's line as the status bar shows it ("Ln 5, Col 1" → 5). */
export async function cursorLine(page) {
  const text = await page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first().innerText();
  return Number(/Ln (\d+)/.exec(text)[1]);
}

/** The title of the active tab of the active editor group. */
export async function activeTabTitle(page) {
  return (await page.locator('.editor-group-container.active .tabs-container .tab.active .label-name').first().innerText()).trim();
}

/**
 * Waits until the quick pick's rows stop changing, as a person looks at the list before clicking:
 * on a busy machine the window is still showing the lists for what was typed before.
 */
export async function settledRows(rows, quietMs = 1000) {
  let last;
  let since = Date.now();
  return waitFor(async () => {
    const now = JSON.stringify(await rows.allInnerTexts());
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return Date.now() - since >= quietMs ? true : undefined;
  }, 30_000);
}
