import * as path from 'node:path';
import { runCli } from './main';

// Bundled as dist/cli.js: the extension's folder is the one above.
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  root: path.resolve(__dirname, '..'),
}).then((status) => {
  process.exitCode = status;
});
