// Bundles the extension (Node, CommonJS, `vscode` external), the detail panel's script (browser),
// and the CSL processor as a bundle of its own that the extension loads on first use only.
import { cp, mkdir } from 'node:fs/promises';
import * as esbuild from 'esbuild';
import { writeCslAssets } from './scripts/csl-assets.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'info' };

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', './citeproc.js'],
  },
  {
    ...common,
    entryPoints: { citeproc: 'node_modules/citeproc/citeproc_commonjs.js' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    sourcemap: false,
  },
  {
    // markdown-it for exporting and rendering notes (the preview brings its own), loaded on first use.
    ...common,
    entryPoints: { markdownIt: 'node_modules/markdown-it/dist/index.cjs.js' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    sourcemap: false,
  },
  {
    // Library files are parsed in a worker thread, so that a large one does not freeze the editor.
    ...common,
    entryPoints: ['src/workers/libraryWorker.ts'],
    outfile: 'dist/libraryWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // Topics are discovered in a worker thread as well: clustering a large library takes seconds.
    ...common,
    entryPoints: ['src/workers/topicsWorker.ts'],
    outfile: 'dist/topicsWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The search index is built in worker threads too (src/services/searchService.ts builds it in slices without them).
    ...common,
    entryPoints: ['src/workers/searchIndexWorker.ts'],
    outfile: 'dist/searchIndexWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // Zotero is synced in a worker thread too: reading and sorting a library of 10,000 items takes seconds.
    ...common,
    entryPoints: ['src/workers/zoteroWorker.ts'],
    outfile: 'dist/zoteroWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The command line (`litnotes`, package.json "bin"): the same core, no editor.
    ...common,
    entryPoints: { cli: 'src/cli/index.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: ['./citeproc.js'],
  },
  {
    ...common,
    entryPoints: ['src/webview/ui/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

await writeCslAssets('dist/csl');
// The detail panel's icons, copied so the packaged extension needs nothing from node_modules.
await mkdir('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) await cp(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
