/**
 * One fresh process's CSL formatting: the first reference (loading citeproc-js, the style and the
 * locale from the built assets), then each bundled paper once more, warm. Prints one JSON line.
 * With `bare`, the same work by citeproc-js alone, without Lit Notes' formatter: the reference the
 * benchmark's CSL goals are ratios to. The papers are converted to CSL-JSON before the clock starts.
 * Usage: node cslCold.js <dist folder> <style id> [litnotes|bare]
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { citeprocItem, CslFormatter, type CiteprocModule } from '../src/core/csl';
import type { CslJsonItem } from '../src/core/sources/record';
import { readBundledLibrary } from './generate';

const [distDir, styleId, mode = 'litnotes'] = process.argv.slice(2);
const { papers } = readBundledLibrary();
const load = createRequire(__filename);
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(distDir, 'csl', file), 'utf8')) as object;
const loadCiteproc = () => load(path.resolve(distDir, 'citeproc.js')) as CiteprocModule;
const loadStyle = (id: string) => readJson(path.join('styles', `${id}.json`));
const loadLocale = (lang: string) => readJson(path.join('locales', `${lang}.json`));

/** Formats one paper's bibliography entry; the first call loads everything. */
function formatter(): (index: number) => string {
  if (mode === 'bare') {
    const items = new Map<string, CslJsonItem>(papers.map((paper) => [paper.key, citeprocItem(paper)]));
    let engine: InstanceType<CiteprocModule['Engine']> | undefined;
    return (index) => {
      engine ??= new (loadCiteproc().Engine)({ retrieveLocale: () => loadLocale('en-US'), retrieveItem: (id) => items.get(id) as CslJsonItem }, loadStyle(styleId), 'en-US', true);
      engine.setOutputFormat('text');
      engine.updateItems([papers[index].key]);
      const bibliography = engine.makeBibliography();
      return bibliography ? bibliography[1][0].trim() : '';
    };
  }
  if (mode !== 'litnotes') throw new Error(`unknown mode ${mode}`);
  // The same sources as the extension's citation service: the separate citeproc bundle and the extracted JSON styles.
  const csl = new CslFormatter({ loadCiteproc, loadStyle, loadLocale });
  return (index) => csl.formatBibliography([papers[index]], styleId)[0];
}

const format = formatter();
const start = performance.now();
const first = format(0);
const coldMs = performance.now() - start;
const warmMs = papers.slice(1).map((_, i) => {
  const begin = performance.now();
  format(i + 1);
  return performance.now() - begin;
});
process.stdout.write(`${JSON.stringify({ coldMs, warmMs, sample: first })}\n`);
