import * as assert from 'assert';
import * as vscode from 'vscode';
import { getLoadedApi, waitFor, withSetting, type TestApi, type TreeNode } from './helpers';

async function children(api: TestApi, node?: TreeNode): Promise<TreeNode[]> {
  return ((await api.papersTree.getChildren(node)) ?? []) as TreeNode[];
}

describe('Papers tree', () => {
  let api: TestApi;

  before(async () => {
    api = await getLoadedApi();
  });

  it('lists all 65 papers under the topics they belong to', async () => {
    const groups = await children(api);
    assert.ok(groups.length >= 5, `only ${groups.length} groups`);
    const seen = new Set<string>();
    const topicIds = new Set(api.library.topics.map((topic) => topic.id));
    for (const group of groups) {
      assert.strictEqual(group.kind, 'group');
      if (group.kind !== 'group') continue;
      const papers = await children(api, group);
      assert.ok(papers.length > 0, `group ${group.group.label} is empty`);
      for (const node of papers) {
        assert.strictEqual(node.kind, 'paper');
        if (node.kind !== 'paper') continue;
        seen.add(node.paper.key);
        const topicId = group.group.id.replace(/^topic:/, '');
        if (topicIds.has(topicId)) assert.ok(node.paper.topics.includes(topicId), `${node.paper.key} is not in topic ${topicId}`);
      }
    }
    assert.strictEqual(seen.size, 65);
    assert.strictEqual(seen.size, api.library.papers.length);
    // Every paper appears under each of its topics.
    for (const paper of api.library.papers) {
      for (const topicId of paper.topics) {
        const group = groups.find((g) => g.kind === 'group' && g.group.id === `topic:${topicId}`);
        assert.ok(group, `no group for topic ${topicId}`);
        const keys = (await children(api, group)).map((n) => (n.kind === 'paper' ? n.paper.key : ''));
        assert.ok(keys.includes(paper.key), `${paper.key} missing under ${topicId}`);
      }
    }
  });

  it('getParent agrees with getChildren', async () => {
    assert.ok(api.papersTree.getParent, 'the provider implements getParent (needed for reveal)');
    const groups = await children(api);
    for (const group of groups) {
      assert.strictEqual(await api.papersTree.getParent!(group), undefined);
      for (const node of await children(api, group)) {
        assert.strictEqual(await api.papersTree.getParent!(node), group);
      }
    }
  });

  it('shows topic rows with counts and paper rows with title and "Author et al. · year"', async () => {
    const groups = await children(api);
    const topicItem = await api.papersTree.getTreeItem(groups[0]);
    const topicText = `${typeof topicItem.label === 'string' ? topicItem.label : topicItem.label?.label} ${topicItem.description ?? ''}`;
    const count = groups[0].kind === 'group' ? groups[0].group.papers.length : -1;
    assert.ok(topicText.includes(String(count)), `topic row "${topicText}" does not show its count ${count}`);
    assert.strictEqual(topicItem.collapsibleState !== vscode.TreeItemCollapsibleState.None, true);

    const treg = groups
      .filter((g) => g.kind === 'group' && g.group.id === 'topic:token-credit-assignment')
      .flatMap((g) => (g.kind === 'group' ? g.group.papers : []))
      .find((p) => p.key === 'zhou2024treg');
    assert.ok(treg, 'zhou2024treg is under token-credit-assignment');
    const group = groups.find((g) => g.kind === 'group' && g.group.id === 'topic:token-credit-assignment')!;
    const node = (await children(api, group)).find((n) => n.kind === 'paper' && n.paper.key === 'zhou2024treg')!;
    const item = await api.papersTree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : item.label?.label;
    assert.strictEqual(label, treg.title);
    // "cited N×" joins once the backlinks are known (an earlier test may have opened a panel, which asks for them).
    assert.match(String(item.description), /^Zhou et al\. · 2025(?: · cited \d+×)?$/);
    assert.strictEqual(item.command?.command, 'litnotes.showPaper');
    assert.deepStrictEqual(item.command?.arguments, ['zhou2024treg']);
  });

  for (const groupBy of ['year', 'venue', 'organization'] as const) {
    it(`regroups when litnotes.tree.groupBy is "${groupBy}"`, async () => {
      const before = (await children(api)).map((g) => (g.kind === 'group' ? g.group.id : ''));
      await withSetting('litnotes', 'tree.groupBy', groupBy, async () => {
        const ids = await waitFor(async () => {
          const now = (await children(api)).map((g) => (g.kind === 'group' ? g.group.id : ''));
          return now.join() !== before.join() ? now : undefined;
        }, 20_000, `groups to change to ${groupBy}`);
        assert.ok(ids.every((id) => !id.startsWith('topic:')), `still grouped by topic: ${ids.join(', ')}`);
        if (groupBy === 'year') assert.ok(ids.includes('year:2024') && ids.includes('year:2025'), ids.join(', '));
        // Still every paper, each once per group it belongs to.
        const keys = new Set<string>();
        for (const group of await children(api)) for (const node of await children(api, group)) if (node.kind === 'paper') keys.add(node.paper.key);
        assert.strictEqual(keys.size, 65);
      });
      await waitFor(async () => (await children(api)).some((g) => g.kind === 'group' && g.group.id.startsWith('topic:')), 20_000, 'topic grouping to return');
    });
  }
});
