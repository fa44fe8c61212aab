/**
 * Projects are targets. CONTRACT_TARGET (comma-separated; default `prism`) or `--project` picks them.
 * The global setup (fixtures/global-setup.ts) starts only the servers those targets need, all at once,
 * on free ports; PRISM_URL / EMULATOR_URL point a target at a server that already runs (checked first).
 *
 * Reports go to `reports/` (CONTRACT_REPORTS_DIR moves them all); `--list` writes none.
 */
import { availableParallelism } from 'node:os';
import { defineConfig, type PlaywrightTestConfig, type ReporterDescription } from '@playwright/test';
import { ConfigError, loadConfig, TARGETS, type SuiteConfig, type TargetName } from './fixtures/config.ts';

const argv = process.argv;
function optionValues(...names: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    for (const name of names) {
      if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
      else if (arg === name && argv[i + 1] !== undefined) values.push(argv[++i] ?? '');
    }
  }
  return values;
}

// Decide the targets once, in the runner process, and hand them to the workers through the environment.
const fromCommandLine = optionValues('--project')
  .map((name) => name.replace(/-serial$/, ''))
  .filter((name): name is TargetName => (TARGETS as readonly string[]).includes(name));
if (fromCommandLine.length > 0) process.env.CONTRACT_TARGET = [...new Set(fromCommandLine)].join(',');
// A random seed is chosen once per run so that every worker shares it.
process.env.FAKER_SEED ??= String(Math.floor(Math.random() * 2 ** 31));
// Traces record raw request and response bodies, tokens and passwords included: refuse them.
const traceValue = optionValues('--trace')[0];
if (traceValue && traceValue !== 'off' && process.env.CONTRACT_ALLOW_TRACE !== '1') {
  process.stderr.write(`--trace ${traceValue}: traces would record raw tokens and passwords; the steps' redacted attachments replace them (set CONTRACT_ALLOW_TRACE=1 to record one anyway, and never share it)\n`);
  process.exit(2);
}
// `--shard=i/n` adds a blob report to merge with `npx playwright merge-reports` (README, "CI and sharding").
const sharded = argv.some((arg) => arg.startsWith('--shard'));
// `--list` only lists: no report file is written, so the last run's reports stay.
const listing = argv.includes('--list');

// A configuration problem is printed once, with how to fix it, and ends the run (no stack trace).
let config: SuiteConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const reportsDir = process.env.CONTRACT_REPORTS_DIR || 'reports';
const reporters: ReporterDescription[] = listing
  ? [['list']]
  : [
      [process.env.CI ? 'dot' : 'list'],
      ['html', { outputFolder: `${reportsDir}/html`, open: 'never' }],
      // Test names carry the target ("[emulator] ..."); contract failures are <failure>, crashes <error>.
      ['./reporters/junit.ts', { outputFile: `${reportsDir}/junit.xml` }],
      ['json', { outputFile: `${reportsDir}/results.json` }],
      ...(sharded ? [['blob', { outputDir: `${reportsDir}/blob` }] as ReporterDescription] : []),
      ['./reporters/summary.ts'],
      // Which documented statuses of which operations the run exercised, per target (coverage.json / .md).
      ['./reporters/coverage.ts', { outputDir: reportsDir }],
    ];

/**
 * Tests that move the emulator's clock or change its settings (@serial) affect every session on it:
 * they run in `emulator-serial`, one at a time, after the other tests of the target. That project is
 * the target's teardown, so `--project=emulator` runs it too. A teardown project is not filtered by
 * `--grep`, so the command line's --grep / --grep-invert are folded into its own filter here.
 */
const escapeless = (source: string) => `(?:${source})`;
const userGrep = optionValues('--grep', '-g').map(escapeless);
const userGrepInvert = optionValues('--grep-invert', '-G').map(escapeless);
const SERIAL = /@serial/;
const serialOnly = new RegExp(`^(?=[^]*@serial)${userGrep.map((g) => `(?=[^]*${g})`).join('')}${userGrepInvert.map((g) => `(?![^]*${g})`).join('')}`);

/** The command line's file filters (`playwright test specs/x.spec.ts:12`), which a teardown project ignores too. */
const VALUE_OPTIONS = new Set(['--project', '--grep', '-g', '--grep-invert', '-G', '--config', '-c', '--workers', '-j', '--reporter', '--output', '--shard', '--timeout', '--retries', '--repeat-each', '--max-failures', '--trace', '--global-timeout', '--tsconfig', '--test-list', '--test-list-invert']);
const testAt = argv.indexOf('test');
const fileFilters = (testAt < 0 ? [] : argv.slice(testAt + 1)).filter((arg, i, rest) => !arg.startsWith('-') && !VALUE_OPTIONS.has(rest[i - 1] ?? ''));
const serialFiles = fileFilters.length > 0 ? fileFilters.map((filter) => new RegExp(filter.replace(/:\d+(:\d+)?$/, '').replace(/^\.\//, ''))) : undefined;

type Options = PlaywrightTestConfig<object, { targetName: TargetName }>;
const projects: NonNullable<Options['projects']> = [];
for (const target of config.targets) {
  // Only the emulator needs the split: every @serial test is also @emulator-control (a spec rule,
  // tests/unit/spec-rules.test.ts), so on prism and live it is skipped, with its reason, among the others.
  if (target !== 'emulator') {
    projects.push({ name: target, use: { targetName: target } });
    continue;
  }
  // A sharded run has no link: a teardown (or dependency) project would run in full in every shard.
  // There the serial tests may overlap the others: shard with --workers=1, or keep @serial out of shards.
  projects.push({ name: target, use: { targetName: target }, grepInvert: SERIAL, ...(sharded ? {} : { teardown: `${target}-serial` }) });
  projects.push({ name: `${target}-serial`, use: { targetName: target }, grep: sharded ? SERIAL : serialOnly, workers: 1, ...(serialFiles && !sharded ? { testMatch: serialFiles } : {}) });
}

export default defineConfig<object, { targetName: TargetName }>({
  testDir: './specs',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The tests wait on local servers as much as they compute: at least 2 workers, also on 2 cores.
  workers: process.env.CI ? 2 : Math.max(2, availableParallelism()),
  timeout: 30_000,
  globalSetup: ['./fixtures/global-setup.ts', './fixtures/live-setup.ts'],
  reporter: reporters,
  outputDir: process.env.CONTRACT_REPORTS_DIR ? `${reportsDir}/test-results` : 'test-results',
  use: {
    // Traces record raw request and response bodies, tokens included; a failed test gets its exchanges
    // attached, redacted, instead (CONTRACT_EXCHANGES).
    trace: 'off',
    extraHTTPHeaders: { accept: 'application/json' },
  },
  projects,
});
