// `npm run test:electron`: the integration suite (test/integration) under @vscode/test-electron, for
// people with a desktop and a network (it downloads VS Code 1.100.3 into .vscode-test/ on first use).
// CI runs the same suite inside code-server instead: `npm run test:integration`.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  version: '1.100.3',
  workspaceFolder: './test/fixtures/workspace',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 30000, color: true },
});
