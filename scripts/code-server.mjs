// Starts and stops the pinned code-server (a real VS Code build) on 127.0.0.1 only, with its user data,
// extensions and XDG folders in one temporary folder, so nothing is written to the home folder.
// The server runs in a process group of its own; the group is killed on stop(), on process exit and on
// SIGINT/SIGTERM/SIGHUP, so no code-server or extension host is ever left running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_BIN } from './setup.mjs';

// ---------------------------------------------------------------------------------------------------
// Clean-up registry shared by the scripts: everything started registers how to stop it.
const cleanups = new Set();
let handlersInstalled = false;

/** Registers a synchronous clean-up to run on exit or signal; returns a function that unregisters it. */
export function onCleanup(fn) {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function runCleanups() {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // keep cleaning up the rest
    }
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', runCleanups);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      runCleanups();
      process.exit(code);
    });
  }
}

/** Kills a process group started with `detached: true` (SIGTERM, then SIGKILL if still alive). */
export function killGroup(pid, graceMs = 1500) {
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  // Synchronous wait so that it also works inside an 'exit' handler.
  while (alive() && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  if (alive()) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

// ---------------------------------------------------------------------------------------------------

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Environment that keeps a program's config, data and cache inside `base`. */
export function xdgEnv(base) {
  const env = {
    XDG_CONFIG_HOME: path.join(base, 'xdg-config'),
    XDG_DATA_HOME: path.join(base, 'xdg-data'),
    XDG_CACHE_HOME: path.join(base, 'xdg-cache'),
    XDG_STATE_HOME: path.join(base, 'xdg-state'),
    XDG_RUNTIME_DIR: path.join(base, 'xdg-runtime'),
  };
  for (const dir of Object.values(env)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return env;
}

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/**
 * Starts code-server. Options:
 *  port        number, or 0/undefined for a free one
 *  settings    extra user settings
 *  vsix        optional .vsix to install into the temporary extensions folder first
 *  quiet       do not echo the server's log (it is still kept in `server.log()`)
 *  timeoutMs   how long to wait for "HTTP server listening"
 *  home        { folder, extensionDevelopmentPath }: what the bare address http://127.0.0.1:PORT/ opens
 *              (see frontDoor below)
 * Returns { port, origin, base, userDataDir, extensionsDir, env, log(), stop(), workbenchUrl() }.
 */
export async function startCodeServer(options = {}) {
  if (!fs.existsSync(CODE_SERVER_BIN)) throw new Error('code-server is not installed: run `node scripts/setup.mjs` first');
  const port = options.port || (await freePort());
  if (await portInUse(port)) throw new Error(`port ${port} on 127.0.0.1 is already in use`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-code-server-'));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2),
  );
  // EXTENSIONS_GALLERY={} turns the marketplace off: nothing is looked up on the network.
  const env = { ...process.env, ...xdgEnv(base), HOME: process.env.HOME ?? base, EXTENSIONS_GALLERY: '{}' };
  // Keep the server from inheriting variables that would point it at another VS Code.
  for (const name of Object.keys(env)) if (name.startsWith('VSCODE_')) delete env[name];
  const removeBase = () => fs.rmSync(base, { recursive: true, force: true });

  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (options.vsix) {
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CODE_SERVER_BIN, ...common, '--install-extension', options.vsix], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`installing ${options.vsix} failed (${code}):\n${output}`)),
      );
    }).catch((error) => {
      removeBase();
      throw error;
    });
  }

  // With a home, code-server listens on a socket in the temporary folder and the front door takes the port.
  const socketPath = options.home ? path.join(base, 'code-server.sock') : undefined;
  const args = [
    CODE_SERVER_BIN,
    ...(socketPath ? ['--socket', socketPath] : ['--bind-addr', `127.0.0.1:${port}`]),
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    ...common,
  ];
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: base });
  let stopped = false;
  let door;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unregister();
    door?.close();
    door?.closeAllConnections();
    killGroup(child.pid);
    removeBase();
  };
  const unregister = onCleanup(stop);

  let logText = '';
  let listening;
  const ready = new Promise((resolve, reject) => {
    listening = { resolve, reject };
  });
  const onData = (chunk) => {
    const text = chunk.toString();
    logText += text;
    if (!options.quiet) process.stdout.write(text.replace(/^/gm, '[code-server] '));
    if (/HTTP server listening/.test(logText)) listening.resolve();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('error', (error) => listening.reject(error));
  child.on('exit', (code, signal) => {
    listening.reject(new Error(`code-server exited early (${code ?? signal}):\n${logText}`));
    if (!stopped) stop();
  });

  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`code-server did not start within ${timeoutMs / 1000} s:\n${logText}`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const origin = `http://127.0.0.1:${port}`;
  const workbenchUrl = ({ folder, extensionDevelopmentPath, extensionTestsPath } = {}) => {
    const url = new URL(`${origin}/`);
    if (folder) url.searchParams.set('folder', folder);
    const payload = [];
    if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extensionDevelopmentPath}`]);
    if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${extensionTestsPath}`]);
    if (payload.length) url.searchParams.set('payload', JSON.stringify(payload));
    return url.toString();
  };
  if (socketPath) {
    try {
      door = await frontDoor(port, socketPath, workbenchUrl(options.home));
    } catch (error) {
      stop();
      throw error;
    }
  }
  return {
    port,
    origin,
    base,
    userDataDir,
    extensionsDir,
    /** XDG variables under the temporary folder, for a browser started alongside. */
    env: xdgEnv(path.join(base, 'browser')),
    log: () => logText,
    child,
    stop,
    /** The workbench address opening `folder`, with an optional development extension and tests module. */
    workbenchUrl,
  };
}

/**
 * Listens on 127.0.0.1:port in front of code-server's socket: the bare address `/` redirects to `home`,
 * everything else (pages, resources, WebSockets) is passed through unchanged. A front door is needed
 * because VS Code's web client takes a development extension only from its address's `payload`, which
 * code-server cannot default (its folder argument would open the folder without Lit Notes).
 */
function frontDoor(port, socketPath, home) {
  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/') {
      response.writeHead(302, { location: home, 'cache-control': 'no-store' });
      response.end();
      return;
    }
    const upstream = http.request({ socketPath, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });
  server.on('upgrade', (request, socket, head) => {
    const upstream = net.connect(socketPath, () => {
      const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
      for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is already in use`) : error));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Debian chromium with playwright-core; it is closed on exit like the server. */
export async function launchBrowser({ env = {}, executablePath } = {}) {
  const { chromium } = await import('playwright-core');
  const { CHROMIUM } = await import('./setup.mjs');
  const browser = await chromium.launch({
    executablePath: executablePath ?? CHROMIUM,
    headless: true,
    args: BROWSER_ARGS,
    env: { ...process.env, ...env },
  });
  const unregister = onCleanup(() => {
    // Synchronous best effort: the browser process is a direct child of playwright's launcher.
    const pid = browser.process?.()?.pid;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    unregister();
    await close();
  };
  return browser;
}
