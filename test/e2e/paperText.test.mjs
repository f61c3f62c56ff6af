// End-to-end: a paper whose text is hostile and very long, read from a CSL-JSON library file, as
// the tree's tooltip and the citation hover show it. Everything must be text (no link, bold, image
// or code from the paper), long fields shortened, and lines must break between words, never inside
// one (they did when every space was written as &nbsp;). Screenshots go to artifacts/text-*.png.
/* global document, NodeFilter */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import { activeEditor, expandGroup, openFile, runCommand, screenshot, useWorkbench } from './harness.mjs';

const KEY = 'hostile2099text';
const HOSTILE = '[Click me](command:workbench.action.terminal.new) <b>bold</b> <img src=x onerror=alert(1)> *x* __init__ `code` | a | importance and';
// About bees, so that no bundled topic takes it: it stays in "Unsorted".
const TITLE = `${HOSTILE} ${'quiet winter hives '.repeat(5_300)}`.trim();
// As shown: `<b>` is CSL-JSON's own rich-text markup, read as bold text; everything else stays as typed.
const SHOWN = HOSTILE.replace('<b>bold</b>', 'bold');
const LIBRARY = 'library/hostile.json';
const NOTE = 'notes/hostile.md';

/** The rendered lines of an element's text that begin inside a word: "importa|nce" for a break after "importa". */
function breaksInsideWords(element) {
  const breaks = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    let previousTop;
    for (let index = 0; index < text.length; index++) {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      const rect = range.getClientRects()[0];
      if (!rect || rect.width === 0) continue;
      if (previousTop !== undefined && rect.top > previousTop + 2 && !/[\s\-–/…]/.test(text[index - 1]) && !/\s/.test(text[index])) {
        breaks.push(`${text.slice(Math.max(0, index - 12), index)}|${text.slice(index, index + 12)}`);
      }
      previousTop = rect.top;
    }
  }
  return breaks;
}

describe('Hostile and very long paper text in the browser', function () {
  const workbench = useWorkbench({
    prepare: (workspace) => {
      const paper = {
        id: KEY,
        type: 'article-journal',
        title: TITLE,
        author: [{ family: '<i>Jerry</i>', given: 'Tom' }, { family: 'Zhang', given: 'Shujian' }],
        'container-title': '_Proceedings_ of [x](command:y)',
        issued: { 'date-parts': [[2024]] },
        abstract: `Honeybee colonies hum louder in cold winters, which matters for the importance and the stability of the hive and its keeper. ${HOSTILE}. ${'Wax and honey '.repeat(3_000)}`,
        URL: 'https://github.com/o/r',
      };
      fs.mkdirSync(path.join(workspace, 'library'), { recursive: true });
      fs.writeFileSync(path.join(workspace, LIBRARY), JSON.stringify([paper], null, 2));
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
      fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'litnotes.library.files': [LIBRARY] }, null, 2));
      fs.writeFileSync(path.join(workspace, NOTE), `# Hostile\n\nSee [@${KEY}].\n`);
    },
  });
  let page;
  before(() => {
    page = workbench.page;
  });

  /** The part of the visible hover (tooltips and editor hovers share the widget) that shows the paper. */
  const paperHover = () => page.locator('.monaco-hover .hover-contents').filter({ visible: true }).filter({ hasText: 'Click me' }).first();

  it('shows the tooltip of a tree row as text: no markup from the paper, a short title, words kept whole', async function () {
    this.timeout(90_000);
    const row = (await expandGroup(page, 'Unsorted')).filter({ hasText: 'Click me' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const tooltip = paperHover();
    // The row is drawn again when its backlink count arrives, which can cancel a tooltip on its way: hover again.
    for (let attempt = 0; ; attempt++) {
      await row.hover();
      try {
        await tooltip.waitFor({ state: 'visible', timeout: 8_000 });
        break;
      } catch (error) {
        if (attempt === 2) throw error;
        await page.mouse.move(700, 850);
      }
    }
    assert.equal(await tooltip.locator('a, img, code, b, i, script').count(), 0, 'no link, image, code or HTML from the paper');
    assert.deepEqual(await tooltip.locator('em').allInnerTexts(), ['_Proceedings_ of [x](command:y), 2024'], 'the venue is the only italics');
    const strong = tooltip.locator('strong');
    assert.equal(await strong.count(), 1);
    const title = await strong.innerText();
    assert.ok(title.startsWith(SHOWN), title.slice(0, 200));
    assert.ok(title.length <= 300 && title.endsWith('…'), `a title of ${title.length} characters`);
    const text = await tooltip.innerText();
    assert.ok(!text.includes('\u00a0'), 'no no-break spaces');
    assert.match(text, /Tom <i>Jerry<\/i> and Shujian Zhang/);
    assert.match(text, /_Proceedings_ of \[x\]\(command:y\)/);
    assert.deepEqual(await tooltip.evaluate(breaksInsideWords), [], 'a line breaks inside a word');
    await screenshot(page, 'text-tooltip.png');
    await page.mouse.move(700, 850);
    await tooltip.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => page.keyboard.press('Escape'));
  });

  it('explains the citation in a hover of text whose links are only its own, with the title shortened', async function () {
    this.timeout(60_000);
    await openFile(page, 'hostile.md');
    await activeEditor(page).locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await runCommand(page, 'Show or Focus Hover');
    const hover = paperHover();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const title = await hover.locator('strong').first().innerText();
    assert.ok(title.startsWith(SHOWN) && title.length <= 300, `a title of ${title.length} characters: ${title.slice(0, 120)}`);
    const links = await hover.locator('a').evaluateAll((anchors) => anchors.map((anchor) => `${anchor.textContent.trim()} -> ${decodeURIComponent(anchor.dataset.href ?? anchor.getAttribute('href') ?? '')}`));
    assert.deepEqual(
      links.map((link) => link.replace(/\?.*$/, '')),
      ['Details -> command:litnotes.showPaper', 'Literature note -> command:litnotes.openNote', 'Code -> command:litnotes.openCodeRepository'],
      links.join('\n'),
    );
    const text = await hover.innerText();
    assert.ok(!text.includes('**'), 'no raw bold markers');
    assert.ok(!text.includes('\u00a0'), 'no no-break spaces');
    assert.ok(text.length < 2_000, `a hover of ${text.length} characters`);
    assert.equal(await hover.locator('img, code').count(), 0);
    assert.deepEqual(await hover.evaluate(breaksInsideWords), []);
    await screenshot(page, 'text-hover.png');
    await page.keyboard.press('Escape');
  });

  it('shows a bundled paper\'s tooltip with lines broken between words', async function () {
    this.timeout(60_000);
    const row = (await expandGroup(page, 'Token-level credit assignment')).first();
    await row.waitFor({ state: 'visible' });
    await row.hover();
    const tooltip = page.locator('.monaco-hover .hover-contents').filter({ visible: true }).first();
    await tooltip.waitFor({ state: 'visible', timeout: 15_000 });
    assert.deepEqual(await tooltip.evaluate(breaksInsideWords), []);
    await screenshot(page, 'text-tooltip-bundled.png');
  });
});
