/* global process, console, setTimeout, clearTimeout */
// Runs the integration suite (out/test/integration/index.js) inside a real VS Code: the pinned
// code-server, opened in headless chromium with the `payload` URL parameter that names the extension
// under development and the tests module. The workbench calls `codeAutomationExit(code)` when the suite
// is done; the extension host's console output is forwarded to stdout.
//
//   node test/integration/runInCodeServer.mjs [--timeout SECONDS] [--grep PATTERN]
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { launchBrowser, runCleanups, startCodeServer } from '../../scripts/code-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The workbench's own start-up messages share that format; they are shown with LITNOTES_VERBOSE only.
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore|Started initializing default profile|Completed initializing default profile|Ignoring fetching additional builtin)/;

/** Turns a console message of the workbench into text, or undefined when it is not the extension host's. */
async function extensionHostLine(message) {
  const args = message.args();
  if (args.length < 2) return undefined;
  const values = await Promise.all(args.map((arg) => arg.jsonValue().catch(() => String(arg))));
  // The workbench logs extension host output as ('%c INFO', 'color: ...', ...args).
  if (typeof values[0] !== 'string' || !values[0].startsWith('%c') || typeof values[1] !== 'string' || !values[1].startsWith('color')) {
    return undefined;
  }
  return util.format(...values.slice(2));
}

export async function runIntegrationTests({ timeoutMs = 300_000, workspace, grep } = {}) {
  const testsModule = path.join(root, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsModule)) throw new Error(`${testsModule} is missing: run \`node scripts/build-tests.mjs\``);
  // The extension host inherits the server's environment: that is how the grep reaches the runner.
  if (grep) process.env.LITNOTES_TEST_GREP = grep;
  const server = await startCodeServer({ quiet: !process.env.LITNOTES_VERBOSE });
  let browser;
  try {
    // Tests edit and save files: they get a copy of the fixture workspace.
    const folder = path.join(server.base, 'workspace');
    fs.cpSync(workspace ?? path.join(root, 'test', 'fixtures', 'workspace'), folder, { recursive: true });
    browser = await launchBrowser({ env: server.env });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Copy commands write to the browser's clipboard; the tests read it back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const page = await context.newPage();
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    page.on('console', (message) => {
      extensionHostLine(message).then(
        (line) => {
          if (line !== undefined && (process.env.LITNOTES_VERBOSE || !WORKBENCH_NOISE.test(line))) console.log(line);
          else if (process.env.LITNOTES_VERBOSE) console.log(`[browser] ${message.text()}`);
        },
        () => {},
      );
    });
    page.on('pageerror', (error) => process.env.LITNOTES_VERBOSE && console.log(`[page error] ${error.message}`));
    const url = server.workbenchUrl({ folder, extensionDevelopmentPath: root, extensionTestsPath: testsModule });
    await page.goto(url);
    let timer;
    const code = await Promise.race([
      exited,
      new Promise((resolve) => {
        timer = setTimeout(() => {
          console.log(`[integration] timed out after ${timeoutMs / 1000} s`);
          resolve(124);
        }, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    // Let the last console messages arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return code;
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--timeout');
  const timeoutMs = at > 0 ? Number(process.argv[at + 1]) * 1000 : undefined;
  const grepAt = process.argv.indexOf('--grep');
  const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
  let code = 1;
  try {
    code = await runIntegrationTests({ timeoutMs, grep });
  } catch (error) {
    console.error(error?.stack ?? error);
  }
  runCleanups();
  process.exit(code);
}
