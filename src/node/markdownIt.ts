/** markdown-it, bundled apart (dist/markdownIt.js, see esbuild.config.mjs) and loaded only when a note is exported or rendered. */
import * as path from 'node:path';
import type MarkdownIt from 'markdown-it';
import type { MarkdownItFactory } from '../core/noteRender';

export function markdownItFactory(distDir: string): MarkdownItFactory {
  return (options) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, not a module to bundle
    const MarkdownItClass = require(path.join(distDir, 'markdownIt.js')) as new (options: object) => MarkdownIt;
    return new MarkdownItClass(options);
  };
}
