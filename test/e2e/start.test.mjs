// End-to-end: `npm start` as the README tells a new user to run it. The one address it prints, the bare
// http://127.0.0.1:PORT/, must open VS Code with Lit Notes and the sample notes; Ctrl-C must stop it all.
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import { freePort, launchBrowser, portInUse, xdgEnv } from '../../scripts/code-server.mjs';
import { activityIcon, openFile, quickPick, ROOT, runCommand, screenshot, showPapers, treeRows, waitFor, waitForWorkbench } from './harness.mjs';

describe('npm start', function () {
  let start;
  let output = '';
  let browser;
  const browserHome = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-start-browser-'));

  /** Ctrl-C as in the terminal: SIGINT to start.mjs, which stops what it started; resolves with its exit code. */
  function interrupt() {
    if (!start || start.exitCode !== null) return Promise.resolve(start?.exitCode);
    const exited = new Promise((resolve) => start.once('exit', (code, signal) => resolve(code ?? signal)));
    start.kill('SIGINT');
    return Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
  }

  after(async function () {
    this.timeout(30_000);
    await browser?.close().catch(() => {});
    if ((await interrupt()) === 'still running') process.kill(-start.pid, 'SIGKILL');
    fs.rmSync(browserHome, { recursive: true, force: true });
  });

  it('opens Lit Notes and the sample notes at the bare address it prints, and stops on Ctrl-C', async function () {
    this.timeout(300_000);
    const port = await freePort();
    start = spawn(process.execPath, ['scripts/start.mjs', '--port', String(port)], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LITNOTES_PORT: '' },
    });
    start.stdout.on('data', (data) => (output += data));
    start.stderr.on('data', (data) => (output += data));
    // Set-up (done already here) and the build come first.
    await waitFor(() => (/Press Ctrl-C to stop/.test(output) ? true : start.exitCode !== null ? Promise.reject(new Error(output)) : undefined), 240_000);

    const bare = `http://127.0.0.1:${port}/`;
    const addresses = [...output.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);
    assert.deepEqual(addresses, [bare], `the only address printed is the bare one:\n${output}`);

    browser = await launchBrowser({ env: xdgEnv(browserHome) });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(bare);
    await waitForWorkbench(page);
    // The sample notes folder is open (the Explorer lists its notes) ...
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'credit-assignment.md' }).waitFor({ state: 'visible', timeout: 30_000 });
    // ... and Lit Notes is loaded from this working tree: its icon, the Papers tree by topic.
    await activityIcon(page).waitFor({ state: 'visible', timeout: 30_000 });
    await showPapers(page);
    assert.ok((await treeRows(page, 1).count()) >= 9, 'the nine topics of the bundled library');

    // The sample folder's own library file (its .vscode/settings.json) is read: its PPO entry is found.
    await runCommand(page, 'Lit Notes: Search Papers');
    const { input, rows } = quickPick(page);
    await input.fill('proximal policy optimization');
    await rows.filter({ hasText: 'Proximal Policy Optimization Algorithms' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.press('Escape');

    await openFile(page, 'credit-assignment.md');
    await page.waitForTimeout(500);
    await screenshot(page, 'npm-start-bare-address.png');
    await browser.close();
    browser = undefined;

    const code = await interrupt();
    assert.equal(code, 130, `npm start exits as interrupted:\n${output}`);
    assert.equal(await portInUse(port), false, 'nothing listens on the port after Ctrl-C');
  });
});
