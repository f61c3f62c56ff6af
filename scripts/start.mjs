// `npm start`: from a fresh clone to Lit Notes running in VS Code in your browser.
//
//   npm start                 set-up, build, serve VS Code (code-server) on http://127.0.0.1:8737/
//   npm start -- --port 9000  another port (or LITNOTES_PORT=9000)
//   npm start -- --watch      rebuild on every change (then run "Developer: Reload Window")
//
// The bare address opens VS Code with Lit Notes loaded from this working tree as an extension under
// development and the sample notes in sample-notes/ (it redirects to the workbench address that names
// them). The server listens on 127.0.0.1 only. Ctrl-C stops everything
// started here; temporary files go to the system temp folder and are removed.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, setup, SetupError } from './setup.mjs';

const DEFAULT_PORT = 8737;

function parsePort() {
  const at = process.argv.indexOf('--port');
  const raw = at > 0 ? process.argv[at + 1] : process.env.LITNOTES_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`[start] not a port number: ${raw}`);
    process.exit(2);
  }
  return port;
}

const port = parsePort();
const watch = process.argv.includes('--watch');

try {
  await setup({ codeServer: true, browser: false });
} catch (error) {
  console.error(`[start] ${error instanceof SetupError ? error.message : error?.stack ?? error}`);
  process.exit(1);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
console.log('[start] building the extension');
const build = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[start] the build failed; fix the errors above and run `npm start` again');
  process.exit(1);
}

// Imported only now: the set-up above may just have installed what it needs.
const { startCodeServer, onCleanup, killGroup, runCleanups } = await import('./code-server.mjs');

if (watch) {
  const watcher = spawn(process.execPath, ['esbuild.config.mjs', '--watch'], { cwd: ROOT, stdio: 'inherit', detached: true });
  onCleanup(() => killGroup(watcher.pid, 500));
}

let server;
try {
  server = await startCodeServer({
    port,
    quiet: true,
    timeoutMs: 60_000,
    home: { folder: path.join(ROOT, 'sample-notes'), extensionDevelopmentPath: ROOT },
  });
} catch (error) {
  console.error(`[start] ${error.message}`);
  if (/already in use/.test(error.message)) console.error(`[start] choose another one: npm start -- --port ${port + 1}`);
  runCleanups();
  process.exit(1);
}

server.child.on('exit', (code) => {
  console.error(`[start] code-server stopped (${code}); see its log above`);
  process.stderr.write(server.log());
  runCleanups();
  process.exit(1);
});

console.log(`
  Lit Notes is running in VS Code (code-server on 127.0.0.1:${server.port}).
  Open this address in your browser:

    ${server.origin}/

  The Lit Notes icon is in the activity bar on the left; the sample notes are in sample-notes/.
  ${watch ? 'Changes are rebuilt as you save; then run "Developer: Reload Window".' : 'After changing the code, run `npm run build` and "Developer: Reload Window".'}
  Press Ctrl-C to stop.
`);
