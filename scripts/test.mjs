// `npm test`: everything from a fresh clone, in order, failing if any part fails.
//
//   0. set-up      npm packages, Debian packages, the pinned code-server (skipped when already done)
//   1. build       the extension (npm run build) and the integration tests (scripts/build-tests.mjs)
//   2. static+unit npm run lint, npm run typecheck, npx mocha (test/unit)
//   3. integration the mocha suite test/integration inside code-server, in headless chromium
//   4. e2e         test/e2e: a person's clicks and keys in the VS Code page, in headless chromium
//
//   node scripts/test.mjs [unit|integration|e2e ...]   run only the named stages (set-up and build always run)
//
// Every stage runs in a process group of its own with a hard time limit and is killed when it is over,
// so nothing is left running. The last line counts the tests of all stages: `N passed, N failed, N skipped`
// (each build step, lint and typecheck count as one check; a stage that dies without reporting counts as
// one failure; skipped are mocha's pending tests, e.g. those that need the data generator's inputs).
import { spawn } from 'node:child_process';
import { ROOT, setup } from './setup.mjs';
import { countsText, mochaCounts } from './test-counts.mjs';

const MINUTE = 60_000;
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const wanted = (stage) => only.length === 0 || only.includes(stage);

const results = []; // { name, seconds, passed, failed, skipped, ok }
let activeChild;

/** Runs a command in its own process group, echoing and capturing its output; kills it after timeoutMs. */
function runCommand(command, args, { timeoutMs, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    activeChild = child;
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (data) => {
      output += data;
      process.stdout.write(data);
    });
    child.stderr.on('data', (data) => {
      output += data;
      process.stderr.write(data);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n[test] ${command} ${args.join(' ')} took longer than ${timeoutMs / 1000} s: stopping it`);
      killTree(child);
    }, timeoutMs);
    const done = (code) => {
      clearTimeout(timer);
      // Anything the command left behind in its group goes too.
      killTree(child);
      activeChild = undefined;
      resolve({ code: timedOut ? 124 : code, output, timedOut });
    };
    child.on('error', (error) => {
      output += String(error);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

function killTree(child) {
  if (!child?.pid) return;
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
  }
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    killTree(activeChild);
    process.exit(code);
  });
}
process.on('exit', () => killTree(activeChild));

function header(title) {
  console.log(`\n=== ${title} ===`);
}

async function stage(name, steps) {
  header(name);
  const started = Date.now();
  const result = { name, passed: 0, failed: 0, skipped: 0, ok: true, seconds: 0 };
  for (const step of steps) {
    const { code, output } = await runCommand(step.command, step.args, { timeoutMs: step.timeoutMs, env: step.env });
    const counts = step.tests ? mochaCounts(output) : undefined;
    if (counts) {
      result.passed += counts.passed;
      result.failed += counts.failed;
      result.skipped += counts.skipped;
      if (code !== 0 && counts.failed === 0) result.failed += 1; // passed tests but still failed (e.g. a crash after)
    } else if (step.tests || step.check) {
      if (code === 0 && step.check) result.passed += 1;
      else if (code !== 0) result.failed += 1;
      else {
        // A test step that exits 0 without reporting any test ran nothing: that is a failure here.
        console.error(`[test] ${step.label} reported no tests`);
        result.failed += 1;
        result.ok = false;
      }
    }
    if (code !== 0) {
      result.ok = false;
      console.error(`[test] ${step.label} failed (exit ${code})`);
    }
    if (code !== 0 && step.stopStageOnFailure) break;
  }
  result.seconds = (Date.now() - started) / 1000;
  console.log(`[test] ${name}: ${result.ok ? 'ok' : 'FAILED'} in ${result.seconds.toFixed(1)} s`);
  results.push(result);
  return result.ok;
}

function npmArgs(...args) {
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args };
}

const startedAll = Date.now();
let setupOk = true;
{
  header('set-up');
  const started = Date.now();
  try {
    await setup({ codeServer: wanted('integration') || wanted('e2e'), browser: wanted('integration') || wanted('e2e'), referenceTools: wanted('unit') });
  } catch (error) {
    console.error(`[test] set-up failed: ${error.message}`);
    setupOk = false;
  }
  const seconds = (Date.now() - started) / 1000;
  results.push({ name: 'set-up', passed: 0, failed: setupOk ? 0 : 1, skipped: 0, ok: setupOk, seconds });
  console.log(`[test] set-up: ${setupOk ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s`);
}

if (setupOk) {
  const built = await stage('build', [
    { label: 'npm run build', ...npmArgs('run', 'build'), timeoutMs: 5 * MINUTE, check: true, stopStageOnFailure: true },
    { label: 'build-tests', command: process.execPath, args: ['scripts/build-tests.mjs'], timeoutMs: 2 * MINUTE, check: true },
  ]);
  if (wanted('unit')) {
    await stage('lint, typecheck, unit tests', [
      { label: 'npm run lint', ...npmArgs('run', 'lint'), timeoutMs: 5 * MINUTE, check: true },
      { label: 'npm run typecheck', ...npmArgs('run', 'typecheck'), timeoutMs: 5 * MINUTE, check: true },
      { label: 'unit tests', command: process.execPath, args: ['node_modules/mocha/bin/mocha.js'], timeoutMs: 10 * MINUTE, tests: true },
    ]);
  }
  if (!built) {
    console.error('[test] the build failed: integration and end-to-end tests cannot run');
    if (wanted('integration')) results.push({ name: 'integration (not run)', passed: 0, failed: 1, skipped: 0, ok: false, seconds: 0 });
    if (wanted('e2e')) results.push({ name: 'e2e (not run)', passed: 0, failed: 1, skipped: 0, ok: false, seconds: 0 });
  } else {
    if (wanted('integration')) {
      await stage('integration tests in code-server', [
        {
          label: 'integration tests',
          command: process.execPath,
          args: ['test/integration/runInCodeServer.mjs', '--timeout', '900'],
          timeoutMs: 20 * MINUTE,
          tests: true,
        },
      ]);
    }
    if (wanted('e2e')) {
      await stage('end-to-end tests in chromium', [
        {
          label: 'e2e tests',
          command: process.execPath,
          args: ['node_modules/mocha/bin/mocha.js', '--config', 'test/e2e/.mocharc.json'],
          // Each file starts a code-server of its own: the whole suite takes 10 minutes on 2 quiet cores
          // and over 25 on busy ones; the cap only stops a hung run within CI's 90 minutes.
          timeoutMs: 40 * MINUTE,
          tests: true,
        },
      ]);
    }
  }
}

header('summary');
const sum = (key) => results.reduce((total, r) => total + r[key], 0);
const totals = { passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped') };
for (const result of results) {
  const counts = result.passed + result.failed + result.skipped > 0 ? `  (${countsText(result)})` : '';
  console.log(`${result.ok ? 'ok    ' : 'FAILED'} ${result.name.padEnd(36)} ${result.seconds.toFixed(1).padStart(7)} s${counts}`);
}
if (totals.skipped > 0) console.log(`skipped tests are the lines marked "-" in the runners' output above`);
console.log(`total ${((Date.now() - startedAll) / 1000).toFixed(1)} s`);
const allOk = results.every((r) => r.ok) && totals.failed === 0;
console.log(countsText(totals));
process.exit(allOk ? 0 : 1);
