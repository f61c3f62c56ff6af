/**
 * The Zotero double in a process of its own, for tests that drive a whole VS Code (test/e2e):
 * prints `{"url": …}` on its first line, then runs each line of standard input, a JSON
 * `{"method": "editItem", "args": [...]}` on the double, and prints `{"result": …}` or `{"error": …}`.
 * Options come as one JSON argument (`DoubleOptions`). It ends when standard input closes.
 */
import * as readline from 'node:readline';
import { ZoteroDouble, type DoubleOptions } from './zoteroServer';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as DoubleOptions;
  const double = await ZoteroDouble.start(options);
  process.stdout.write(`${JSON.stringify({ url: double.url })}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    try {
      const { method, args } = JSON.parse(line) as { method: string; args?: unknown[] };
      const target = (double as unknown as Record<string, unknown>)[method];
      if (typeof target !== 'function') throw new Error(`the double has no method ${method}`);
      const result: unknown = await (target as (...values: unknown[]) => unknown).apply(double, args ?? []);
      process.stdout.write(`${JSON.stringify({ result: result ?? null })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
    }
  }
  await double.stop();
}

void main();
