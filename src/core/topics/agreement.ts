/**
 * Agreement of two partitions of the same items (discovered topics against hand-assigned ones):
 * normalised mutual information (arithmetic mean of the entropies, as scikit-learn's default) and
 * the adjusted Rand index (Hubert and Arabie). Items absent from one partition count as one group
 * of their own there ("unsorted").
 */
export interface Agreement {
  nmi: number;
  ari: number;
}

export function agreement(truth: ReadonlyMap<string, string>, found: ReadonlyMap<string, string>): Agreement {
  const items = [...truth.keys()];
  const n = items.length;
  const table = new Map<string, Map<string, number>>();
  const rows = new Map<string, number>();
  const columns = new Map<string, number>();
  for (const item of items) {
    const row = truth.get(item) ?? '';
    const column = found.get(item) ?? '\u0000unsorted';
    const cells = table.get(row) ?? new Map<string, number>();
    cells.set(column, (cells.get(column) ?? 0) + 1);
    table.set(row, cells);
    rows.set(row, (rows.get(row) ?? 0) + 1);
    columns.set(column, (columns.get(column) ?? 0) + 1);
  }
  const entropy = (counts: Iterable<number>) => {
    let total = 0;
    for (const count of counts) if (count > 0) total -= (count / n) * Math.log(count / n);
    return total;
  };
  let mutual = 0;
  let pairsInCells = 0;
  for (const [row, cells] of table) {
    for (const [column, count] of cells) {
      mutual += (count / n) * Math.log((count * n) / ((rows.get(row) ?? 1) * (columns.get(column) ?? 1)));
      pairsInCells += pairs(count);
    }
  }
  const meanEntropy = (entropy(rows.values()) + entropy(columns.values())) / 2;
  const nmi = meanEntropy === 0 ? 1 : mutual / meanEntropy;
  const rowPairs = [...rows.values()].reduce((sum, count) => sum + pairs(count), 0);
  const columnPairs = [...columns.values()].reduce((sum, count) => sum + pairs(count), 0);
  const expected = (rowPairs * columnPairs) / pairs(n);
  const maximum = (rowPairs + columnPairs) / 2;
  const ari = maximum === expected ? 1 : (pairsInCells - expected) / (maximum - expected);
  return { nmi, ari };
}

const pairs = (count: number) => (count * (count - 1)) / 2;
