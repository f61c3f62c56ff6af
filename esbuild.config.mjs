// Bundles the extension (Node, CommonJS, `vscode` external), the detail panel's script (browser),
// and the CSL processor as a bundle of its own that the extension loads on first use only.
import { cp, mkdir } from 'node:fs/promises';
import * as esbuild from 'esbuild';
import { writeCslAssets } from './scripts/csl-assets.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'info' };
/** The extension, its workers and the command line run in Node 20, as CommonJS. */
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
/** Third-party code bundled on its own, loaded on first use: always minified, without source maps. */
const vendored = (entryPoints) => ({ ...node, entryPoints, outdir: 'dist', minify: true, sourcemap: false });

const builds = [
  {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', './citeproc.js'],
  },
  {
    ...vendored({ citeproc: 'node_modules/citeproc/citeproc_commonjs.js' }),
  },
  {
    // markdown-it for exporting and rendering notes (the preview brings its own), loaded on first use.
    ...vendored({ markdownIt: 'node_modules/markdown-it/dist/index.cjs.js' }),
  },
  {
    // Library files are parsed in a worker thread, so that a large one does not freeze the editor.
    ...node,
    entryPoints: ['src/workers/libraryWorker.ts'],
    outfile: 'dist/libraryWorker.js',
  },
  {
    // Topics are discovered in a worker thread as well: clustering a large library takes seconds.
    ...node,
    entryPoints: ['src/workers/topicsWorker.ts'],
    outfile: 'dist/topicsWorker.js',
  },
  {
    // ... and it reads half of a large library's texts in a thread of its own (src/workers/corpusPartReader.ts).
    ...node,
    entryPoints: ['src/workers/corpusPartWorker.ts'],
    outfile: 'dist/corpusPartWorker.js',
  },
  {
    // The search index is built in worker threads too (src/services/searchService.ts builds it in slices without them).
    ...node,
    entryPoints: ['src/workers/searchIndexWorker.ts'],
    outfile: 'dist/searchIndexWorker.js',
  },
  {
    // Zotero is synced in a worker thread too: reading and sorting a library of 10,000 items takes seconds.
    ...node,
    entryPoints: ['src/workers/zoteroWorker.ts'],
    outfile: 'dist/zoteroWorker.js',
  },
  {
    // The command line (`litnotes`, package.json "bin"): the same core, no editor.
    ...node,
    entryPoints: { cli: 'src/cli/index.ts' },
    outdir: 'dist',
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
