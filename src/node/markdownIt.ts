/** markdown-it, bundled apart (dist/markdownIt.js, see esbuild.config.mjs) and loaded only when a note is exported or rendered. */
import * as path from 'node:path';
import type MarkdownIt from 'markdown-it';
import type { MarkdownItFactory } from '../core/noteRender';

/** `distDir` relative: to the working folder, as for CslAssets. */
export function markdownItFactory(distDir: string): MarkdownItFactory {
  const file = path.resolve(distDir, 'markdownIt.js');
  return (options) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, not a module to bundle
    const MarkdownItClass = require(file) as new (options: object) => MarkdownIt;
    return new MarkdownItClass(options);
  };
}
