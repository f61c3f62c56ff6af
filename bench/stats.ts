/** Medians and 95th percentiles: the machines are shared and noisy, so no figure is a single run. */

export interface Stats {
  median: number;
  p95: number;
  n: number;
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) return { median: NaN, p95: NaN, n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, p95: at(0.95), n: sorted.length };
}

/** Milliseconds spent in `body`. */
export function time(body: () => unknown): number {
  const start = performance.now();
  body();
  return performance.now() - start;
}

export async function timeAsync(body: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await body();
  return performance.now() - start;
}

/** Three significant digits at most, so tables stay readable from 0.01 ms to 100 s. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 3)));
}
