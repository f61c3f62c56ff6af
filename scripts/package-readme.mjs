// The README of the .vsix: README.md with each of its images inlined as a data: URI. VS Code's extension
// page shows a packaged README under a content security policy that loads images from https: and data:
// only, so the relative paths that work in the repository (docs/…png) would show as broken images there.
// `npm run package` runs this and hands the result to vsce (--readme-path).
//
//   node scripts/package-readme.mjs [out file]     default dist/README.md
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/**
 * Replaces the target of every Markdown image `![alt](path)` whose path is relative with a data: URI of
 * the file, read by `read(path)`. Throws on a missing file or a type VS Code's page would refuse (SVG).
 */
export function inlineImages(markdown, read) {
  return markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)((?:\s+"[^"]*")?)\)/g, (whole, alt, target, title) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return whole;
    const type = TYPES[path.extname(target).toLowerCase()];
    if (!type) throw new Error(`README image ${target}: only PNG, JPEG, GIF or WebP can be shown on the extension page`);
    return `![${alt}](data:${type};base64,${read(decodeURI(target)).toString('base64')}${title})`;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = path.resolve(ROOT, process.argv[2] ?? 'dist/README.md');
  try {
    const text = inlineImages(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), (file) => fs.readFileSync(path.join(ROOT, file)));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, text);
    console.log(`wrote ${path.relative(ROOT, out)} (${Math.round(Buffer.byteLength(text) / 1024)} KB, images inlined)`);
  } catch (error) {
    console.error(`[package-readme] ${error.message}`);
    process.exit(1);
  }
}
