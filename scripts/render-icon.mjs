// Renders media/icon.svg to media/icon.png, the 128×128 extension icon (vsce takes no SVG icon), in
// headless Chromium. Run it after changing the SVG and commit both files:  node scripts/render-icon.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, xdgEnv } from './code-server.mjs';
import { ROOT } from './setup.mjs';

const SIZE = 128;
const source = path.join(ROOT, 'media', 'icon.svg');
const target = path.join(ROOT, 'media', 'icon.png');

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-icon-'));
const browser = await launchBrowser({ env: xdgEnv(home) });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(`<body style="margin:0">${fs.readFileSync(source, 'utf8')}</body>`);
  await page.locator('svg').screenshot({ path: target, omitBackground: true });
  console.log(`wrote ${path.relative(ROOT, target)} (${SIZE}×${SIZE}, ${fs.statSync(target).size} bytes)`);
} finally {
  await browser.close();
  fs.rmSync(home, { recursive: true, force: true });
}
