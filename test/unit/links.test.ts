import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { isLinkKind, LINK_KINDS, LINKS } from '../../src/core/links';
import { PAPER_COMMANDS } from '../../src/webview/protocol';

interface Contributes {
  commands: { command: string; title: string; category: string }[];
  menus: Record<string, { command: string; when?: string }[]>;
}

const contributes = (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: Contributes }).contributes;

describe('the table of link kinds', () => {
  it('lists every kind once, in the order the panel shows them', () => {
    assert.deepStrictEqual(LINK_KINDS, ['arxiv', 'pdf', 'huggingFace', 'code']);
    assert.strictEqual(new Set(LINK_KINDS.map((kind) => LINKS[kind].command)).size, LINK_KINDS.length);
  });

  it('names commands that package.json contributes, with titles that say what they open', () => {
    for (const kind of LINK_KINDS) {
      const { command, what } = LINKS[kind];
      const contributed = contributes.commands.find((entry) => entry.command === command);
      assert.ok(contributed, `${command} is not contributed`);
      assert.strictEqual(contributed.category, 'Lit Notes');
      assert.strictEqual(contributed.title.toLowerCase(), `open ${what.toLowerCase()}`);
    }
  });

  it('has the context flags that the tree menus test', () => {
    for (const kind of LINK_KINDS) {
      const { command, contextFlag } = LINKS[kind];
      const menu = contributes.menus['view/item/context'].filter((entry) => entry.command === command);
      assert.ok(menu.length > 0, `${command} is in no tree menu`);
      // The when clause's regular expression tests the flag as a whole word.
      for (const entry of menu) assert.ok(entry.when?.includes(`\\b${contextFlag}\\b`), `${command}: ${entry.when}`);
    }
  });

  it('recognises only its own kinds', () => {
    for (const kind of LINK_KINDS) assert.ok(isLinkKind(kind));
    for (const value of ['toString', '__proto__', 'constructor', 'javascript', '', undefined, 3, {}]) assert.strictEqual(isLinkKind(value), false, String(value));
  });
});

describe('the detail panel buttons', () => {
  it('run commands that package.json contributes', () => {
    for (const { id } of Object.values(PAPER_COMMANDS)) {
      assert.ok(contributes.commands.some((entry) => entry.command === id), `${id} is not contributed`);
    }
  });
});
