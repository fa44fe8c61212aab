/**
 * Projects are targets. CONTRACT_TARGET (comma-separated; default `prism`) or `--project` picks them,
 * and only the servers those targets need are started (webServer), each on a fixed local port.
 * PRISM_URL / EMULATOR_URL point a target at a server that already runs: then nothing is started for it.
 */
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { liveBaseURL, loadConfig, SUITE_PORTS, TARGETS, type TargetName } from './fixtures/config.ts';
import { contractMonitorCommand, emulatorCommand, prismMockCommand, prismProxyCommand, READY_PATH } from './mock/servers.ts';

function projectsOnCommandLine(): string[] {
  const names: string[] = [];
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
    else if (arg === '--project' && argv[i + 1]) names.push(argv[++i] ?? '');
  }
  return names;
}

// Decide the targets once, in the runner process, and hand them to the workers through the environment.
const fromCommandLine = projectsOnCommandLine()
  .map((name) => name.replace(/-serial$/, ''))
  .filter((name): name is TargetName => (TARGETS as readonly string[]).includes(name));
if (fromCommandLine.length > 0) process.env.CONTRACT_TARGET = [...new Set(fromCommandLine)].join(',');
// A random seed is chosen once per run so that every worker shares it.
process.env.FAKER_SEED ??= String(Math.floor(Math.random() * 2 ** 31));
// Traces record raw request and response bodies, tokens and passwords included: refuse them.
const traceAt = process.argv.findIndex((arg) => arg === '--trace' || arg.startsWith('--trace='));
const traceValue = traceAt < 0 ? undefined : (process.argv[traceAt]?.split('=')[1] ?? process.argv[traceAt + 1]);
if (traceValue && traceValue !== 'off' && process.env.CONTRACT_ALLOW_TRACE !== '1') {
  throw new Error(`--trace ${traceValue}: traces would record raw tokens and passwords; the steps' redacted attachments replace them (set CONTRACT_ALLOW_TRACE=1 to record one anyway, and never share it)`);
}
// `--shard=i/n` adds a blob report (reports/blob) to merge with `npx playwright merge-reports` (README, "CI and sharding").
const sharded = process.argv.some((arg) => arg.startsWith('--shard'));

const config = loadConfig();
const targets = config.targets;
const local = (port: number) => `http://127.0.0.1:${port}`;

const webServer: NonNullable<PlaywrightTestConfig['webServer']> = [];
const server = (name: string, command: string, port: number) => ({
  name,
  command,
  url: `${local(port)}${READY_PATH}`,
  reuseExistingServer: !process.env.CI,
  timeout: 60_000,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
});
if (targets.includes('prism') && !config.prismURL) {
  webServer.push(server('prism mock', prismMockCommand(SUITE_PORTS.prism), SUITE_PORTS.prism));
}
if (targets.includes('emulator') && !config.emulatorURL) {
  webServer.push(server('emulator', emulatorCommand(SUITE_PORTS.emulator), SUITE_PORTS.emulator));
  webServer.push(server('prism proxy', prismProxyCommand(SUITE_PORTS.proxy, local(SUITE_PORTS.emulator)), SUITE_PORTS.proxy));
}
const liveOrigin = liveBaseURL(config.live);
if (targets.includes('live') && config.monitor && liveOrigin) {
  // The contract monitor: live traffic through `prism proxy --errors`. Ready once it listens (its answers depend on the live origin).
  // Prism's upstream is the redirect guard, never the origin: Prism would follow a 307 with the credentials (mock/redirect-guard.ts).
  const { url: _readyURL, ...monitor } = server('contract monitor (prism proxy + redirect guard)', contractMonitorCommand(config.monitorPort, liveOrigin), config.monitorPort);
  webServer.push({ ...monitor, port: config.monitorPort });
}

const SERIAL = /@serial/;
type Options = PlaywrightTestConfig<object, { targetName: TargetName }>;
const projects: NonNullable<Options['projects']> = [];
for (const target of targets) {
  projects.push({ name: target, use: { targetName: target }, grepInvert: SERIAL });
  // Tests that move the emulator's clock or change its settings affect every session on it: they run
  // after the others, one at a time.
  projects.push({ name: `${target}-serial`, use: { targetName: target }, grep: SERIAL, dependencies: [target], workers: 1 });
}

export default defineConfig<object, { targetName: TargetName }>({
  testDir: './specs',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  timeout: 30_000,
  globalSetup: ['./fixtures/global-setup.ts', './fixtures/live-setup.ts'],
  reporter: [
    [process.env.CI ? 'dot' : 'list'],
    ['html', { outputFolder: 'reports/html', open: 'never' }],
    ['junit', { outputFile: 'reports/junit.xml' }],
    ['json', { outputFile: 'reports/results.json' }],
    ...(sharded ? [['blob', { outputDir: 'reports/blob' }] as const] : []),
    ['./reporters/summary.ts'],
    // Which documented statuses of which operations the run exercised, per target (reports/coverage.*).
    ['./reporters/coverage.ts'],
  ],
  outputDir: 'test-results',
  use: {
    // Traces record raw request and response bodies, tokens included; the client attaches redacted
    // exchanges to every step instead.
    trace: 'off',
    extraHTTPHeaders: { accept: 'application/json' },
  },
  projects,
  webServer,
});
