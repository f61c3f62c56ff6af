/**
 * Runs an external program (pandoc) with an argument array, never through a shell, so no file name
 * or note text can become a command; finds programs on PATH. No vscode here: the command line and
 * the tests use it too.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The program could not be started because it is not there (ENOENT) or not executable. */
export class ProgramNotFoundError extends Error {
  override name = 'ProgramNotFoundError';

  constructor(readonly program: string) {
    super(`"${program}" was not found or cannot be run.`);
  }
}

/** The run was cancelled and the process killed. */
export class CancelledError extends Error {
  override name = 'CancelledError';

  constructor() {
    super('Cancelled.');
  }
}

export interface ProcessResult {
  /** The exit code; null when the process ended by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Written to standard input, which is then closed. */
  input?: string;
  signal?: AbortSignal;
  /** Output kept per stream; what comes after is dropped (a runaway LaTeX log must not fill memory). */
  maxOutput?: number;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/** Runs `program` with `args` and resolves with what it wrote once it has exited, whatever its exit code. */
export function runProcess(program: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const maxOutput = options.maxOutput ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    // Its own process group on POSIX, so cancelling also ends what it started (pdflatex under pandoc).
    const child = spawn(program, [...args], { cwd: options.cwd, shell: false, windowsHide: true, detached: process.platform !== 'win32', stdio: 'pipe' });
    const stdout = collector(maxOutput);
    const stderr = collector(maxOutput);
    let cancelled = false;
    const kill = () => {
      cancelled = true;
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill();
      } catch {
        child.kill();
      }
    };
    signal?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', stdout.add);
    child.stderr.on('data', stderr.add);
    // A program that exits without reading its input closes the pipe: that is not a failure of the run.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', kill);
      reject(error.code === 'ENOENT' || error.code === 'EACCES' ? new ProgramNotFoundError(program) : error);
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', kill);
      if (cancelled) reject(new CancelledError());
      else resolve({ code, stdout: stdout.text(), stderr: stderr.text() });
    });
    child.stdin.end(options.input ?? '');
  });
}

function collector(max: number): { add: (chunk: Buffer) => void; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk) => {
      if (size >= max) return;
      chunks.push(chunk.subarray(0, max - size));
      size += chunk.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/**
 * The program's path: `name` itself when it holds a directory (absolute, or relative to `baseDir`),
 * else the first executable file of that name on PATH (with PATHEXT's extensions on Windows).
 */
export function findProgram(name: string, options: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; baseDir?: string } = {}): string | undefined {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  const candidates = (file: string) => extensions.map((extension) => file + extension);
  if (/[\\/]/.test(name)) {
    const file = pathApi.isAbsolute(name) || !options.baseDir ? name : pathApi.join(options.baseDir, name);
    return candidates(file).find((candidate) => isExecutable(candidate, platform));
  }
  const pathValue = (platform === 'win32' ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  for (const dir of pathValue.split(pathApi.delimiter)) {
    if (!dir) continue;
    const found = candidates(pathApi.join(dir.replace(/^"(.*)"$/, '$1'), name)).find((candidate) => isExecutable(candidate, platform));
    if (found) return found;
  }
  return undefined;
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
