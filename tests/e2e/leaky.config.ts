/**
 * The suite's configuration, pointed at tests/e2e/leaky instead of specs/ (used by the redaction test).
 * Relative paths in a Playwright config resolve from the config's folder: make them absolute.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import base from '../../playwright.config.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const absolute = (path: string) => (path.startsWith('./') ? join(root, path) : path);
const servers = base.webServer === undefined ? [] : [base.webServer].flat();
const reporters = (base.reporter ?? []) as unknown as [string, unknown?][];

export default defineConfig({
  ...base,
  testDir: fileURLToPath(new URL('./leaky', import.meta.url)),
  outputDir: join(root, 'test-results'),
  globalSetup: [base.globalSetup ?? []].flat().map((p) => absolute(String(p))),
  reporter: reporters.map(([name, options]) => [absolute(name), options]) as PlaywrightTestConfig['reporter'],
  webServer: servers.map((server) => ({ ...server, cwd: root })),
});
