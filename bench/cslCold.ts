/**
 * One fresh process's CSL formatting: the first reference (loading citeproc-js, the style and the
 * locale from the built assets), then each bundled paper once more, warm. Prints one JSON line.
 * Usage: node cslCold.js <dist folder> <style id>
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CslFormatter, type CiteprocModule } from '../src/core/csl';
import { readBundledLibrary } from './generate';

const [distDir, styleId] = process.argv.slice(2);
const { papers } = readBundledLibrary();
const load = createRequire(__filename);
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(distDir, 'csl', file), 'utf8')) as object;

const start = performance.now();
// The same sources as the extension's citation service: the separate citeproc bundle and the extracted JSON styles.
const formatter = new CslFormatter({
  loadCiteproc: () => load(path.resolve(distDir, 'citeproc.js')) as CiteprocModule,
  loadStyle: (id) => readJson(path.join('styles', `${id}.json`)),
  loadLocale: (lang) => readJson(path.join('locales', `${lang}.json`)),
});
const first = formatter.formatBibliography([papers[0]], styleId);
const coldMs = performance.now() - start;
const warmMs = papers.slice(1).map((paper) => {
  const begin = performance.now();
  formatter.formatBibliography([paper], styleId);
  return performance.now() - begin;
});
process.stdout.write(`${JSON.stringify({ coldMs, warmMs, sample: first[0] })}\n`);
