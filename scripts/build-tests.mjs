// Compiles the integration tests (test/integration/**/*.ts) to out/test/integration/ for the extension
// host. Each file is bundled on its own so that tests may import code from src/; `vscode` and `mocha`
// stay external and are loaded at run time (mocha from node_modules).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'test', 'integration');
const outDir = path.join(root, 'out', 'test', 'integration');

const entryPoints = fs
  .readdirSync(sourceDir, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => path.join(sourceDir, file));

fs.rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir: outDir,
  outbase: sourceDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`[build-tests] ${entryPoints.length} files -> ${path.relative(root, outDir)}`);
