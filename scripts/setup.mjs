// Shared set-up for `npm start` and `npm test` on a fresh machine. Uses Node built-ins only, because it
// runs before `npm ci`. Every step checks first and is skipped when already done, so a second run is fast.
//
//   node scripts/setup.mjs            npm packages, Debian packages, the pinned code-server
//   node scripts/setup.mjs --no-code-server
//
// Steps:
//  1. npm packages: `npm ci` when node_modules is missing or does not match package-lock.json.
//  2. Debian packages chromium (browser for the tests), ripgrep and libkrb5-dev (needed by the
//     code-server install): `apt-get update` once, then `apt-get install`, only as root.
//  3. code-server (a VS Code build that runs offline) installed on demand into
//     .vscode-test/code-server-<version>/, the way @vscode/test-electron caches its VS Code download.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = path.join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.LITNOTES_CHROMIUM || '/usr/bin/chromium';
// pandoc is the reference for CSL output; bibtool and biber check the BibTeX and BibLaTeX exports (unit tests).
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'pandoc', 'bibtool', 'biber'];
// code-server's nested @vscode/ripgrep postinstall downloads ripgrep from the network; it accepts a cached
// archive instead, which we make from Debian's `rg`.
const RIPGREP_CACHE = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

const log = (message) => console.log(`[setup] ${message}`);

export class SetupError extends Error {}

function run(command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.error) throw new SetupError(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when node_modules holds every non-optional package of package-lock.json at its locked version. */
export function nodeModulesUpToDate() {
  const lock = readJson(path.join(ROOT, 'package-lock.json'));
  const installed = readJson(path.join(ROOT, 'node_modules', '.package-lock.json'));
  if (!installed) return false;
  if (!lock) return fs.existsSync(path.join(ROOT, 'node_modules', '.bin'));
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    if (location === '' || entry.optional || entry.link) continue;
    const have = installed.packages?.[location];
    if (!have || have.version !== entry.version) return false;
    if (!fs.existsSync(path.join(ROOT, location))) return false;
  }
  return true;
}

export function ensureNodeModules() {
  if (nodeModulesUpToDate()) return log('npm packages: up to date');
  const hasLock = fs.existsSync(path.join(ROOT, 'package-lock.json'));
  run(npmCommand(), hasLock ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}

function missingDebianPackages(packages) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...packages], { encoding: 'utf8' });
  if (result.error) return undefined; // not a Debian-like system
  const installed = new Set(
    result.stdout.split('\n').filter((line) => line.endsWith(' installed')).map((line) => line.split(' ')[0]),
  );
  return packages.filter((name) => !installed.has(name));
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function ensureDebianPackages(packages = APT_PACKAGES) {
  if (packages.length === 0) return;
  const missing = missingDebianPackages(packages);
  if (missing === undefined) {
    // Not Debian: all we can do is check the programs we use and explain.
    const absent = [];
    if (!fs.existsSync(CHROMIUM)) absent.push(`chromium at ${CHROMIUM} (set LITNOTES_CHROMIUM to another path)`);
    if (!commandExists('rg')) absent.push('ripgrep (rg)');
    if (absent.length) log(`warning: no dpkg here; please install: ${absent.join(', ')} and Kerberos headers (libkrb5-dev)`);
    return;
  }
  if (missing.length === 0) return log(`Debian packages: ${packages.join(', ')} present`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new SetupError(
      `missing Debian packages: ${missing.join(' ')}. Install them with\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\nand run this command again.`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', ...missing], { env });
}

export function codeServerInstalled() {
  const pkg = readJson(path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'package.json'));
  return pkg?.version === CODE_SERVER_VERSION && fs.existsSync(path.join(CODE_SERVER_DIR, '.complete')) && fs.existsSync(CODE_SERVER_BIN);
}

function ensureRipgrepCache() {
  const target = RIPGREP_TARGETS[process.arch];
  if (!target) throw new SetupError(`no ripgrep archive name known for architecture ${process.arch}`);
  const archive = path.join(RIPGREP_CACHE, `ripgrep-v13.0.0-10-${target}.tar.gz`);
  if (fs.existsSync(archive)) return;
  const which = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' });
  const rg = which.stdout.trim();
  if (which.status !== 0 || !rg) throw new SetupError('ripgrep (rg) is needed to install code-server offline; install the Debian package ripgrep');
  fs.mkdirSync(RIPGREP_CACHE, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-rg-'));
  try {
    fs.copyFileSync(fs.realpathSync(rg), path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const partial = `${archive}.${process.pid}.partial`;
    run('tar', ['-czf', partial, '-C', staging, 'rg']);
    fs.renameSync(partial, archive);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`ripgrep cache archive: ${archive}`);
}

export function ensureCodeServer() {
  if (codeServerInstalled()) return log(`code-server ${CODE_SERVER_VERSION}: installed`);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CODE_SERVER_DIR)} (about 80 s, 300 MB; once)`);
  ensureRipgrepCache();
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(CODE_SERVER_DIR, 'package.json'),
    JSON.stringify({ name: 'litnotes-code-server-cache', private: true }, null, 2) + '\n',
  );
  const env = { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' };
  run(
    npmCommand(),
    ['install', '--prefix', CODE_SERVER_DIR, '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`],
    { env, cwd: CODE_SERVER_DIR },
  );
  if (!fs.existsSync(CODE_SERVER_BIN)) throw new SetupError(`code-server installed but ${CODE_SERVER_BIN} is missing`);
  fs.writeFileSync(path.join(CODE_SERVER_DIR, '.complete'), `${new Date().toISOString()}\n`);
}

/** The independent references the unit tests compare with: pandoc (CSL), bibtool and biber (BibTeX exports). */
const REFERENCE_TOOLS = ['pandoc', 'bibtool', 'biber'];

/**
 * browser: also the Debian chromium that the tests drive (`npm start` does not need it).
 * referenceTools: also pandoc, bibtool and biber, for the tests.
 */
export async function setup({ codeServer = true, browser = true, referenceTools = false } = {}) {
  const started = Date.now();
  ensureNodeModules();
  const needed = [];
  if (browser) needed.push('chromium');
  if (referenceTools) needed.push(...REFERENCE_TOOLS);
  if (codeServer && !codeServerInstalled()) needed.push('ripgrep', 'libkrb5-dev');
  ensureDebianPackages(needed);
  if (codeServer) ensureCodeServer();
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await setup({ codeServer: !process.argv.includes('--no-code-server') });
  } catch (error) {
    console.error(`[setup] ${error instanceof SetupError ? error.message : error?.stack ?? error}`);
    process.exit(1);
  }
}
