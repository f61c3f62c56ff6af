/**
 * Grouping the Papers view by the collections of the library sources (Zotero's): one group per
 * collection, named by its path ("Reading › RL"), in the order of the paths, so that a
 * sub-collection follows its parent; a paper under each collection it is in, as Zotero lists it.
 */
import type { PaperGroup } from './grouping';
import type { LibraryCollection, Paper } from './model';

const NO_COLLECTION: Omit<PaperGroup, 'papers'> = { id: 'collection-none', label: 'In no collection' };
const SEPARATOR = ' › ';
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function groupByCollection(sorted: readonly Paper[], collections: readonly LibraryCollection[]): PaperGroup[] {
  const byId = new Map(collections.map((collection) => [collection.id, { collection, papers: [] as Paper[] }]));
  const rest: Paper[] = [];
  for (const paper of sorted) {
    let placed = false;
    for (const id of new Set(paper.collections ?? [])) {
      const group = byId.get(id);
      if (!group) continue;
      group.papers.push(paper);
      placed = true;
    }
    if (!placed) rest.push(paper);
  }
  const groups = [...byId.values()]
    .filter((group) => group.papers.length > 0)
    .sort((a, b) => comparePaths(a.collection.path, b.collection.path))
    .map(({ collection, papers }) => ({ id: `collection:${collection.id}`, label: collection.path.join(SEPARATOR), papers }));
  return rest.length > 0 ? [...groups, { ...NO_COLLECTION, papers: rest }] : groups;
}

/** Name by name, so that "A" and its children come before "A B". */
function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const order = collator.compare(a[index], b[index]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
