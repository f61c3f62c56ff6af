// The tests module loaded by VS Code's extension host (extensionTestsPath). It runs every compiled
// `*.test.js` beside it with mocha (bdd: describe/it) and rejects when a test fails; the host then
// exits with code 1. Set LITNOTES_TEST_GREP to run a subset.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.LITNOTES_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}
