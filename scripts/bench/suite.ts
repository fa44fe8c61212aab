/**
 * Section 2: the suite's wall time per target, cold (the run starts its servers, as `npm test` and CI
 * do) and warm (the servers already run on the suite's ports and Playwright reuses them), as
 * `playwright test` subprocesses with the dot and JSON reporters into a temporary folder (./reports
 * and ./test-results are not touched).
 *
 * The runs happen in a private network namespace when the machine allows it: there the suite's
 * fixed ports are free even while a colleague's run holds them on the machine's loopback, and a cold
 * run cannot quietly reuse someone else's servers. Elsewhere they need the ports free.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUITE_PORTS } from '../../fixtures/config.ts';
import { emulatorCommand, prismMockCommand, prismProxyCommand } from '../../mock/servers.ts';
import { killStragglers, portInUse, spawnProc, spawnShell, waitReady, type Network, type Proc } from './procs.ts';
import { median, round, spread } from './stats.ts';

export type SuiteTarget = 'emulator' | 'prism';
/**
 * cold: the run starts its servers (CI=1, as CI runs it); warm: they already run on the suite's ports
 * and Playwright reuses them; direct: warm, but EMULATOR_URL points the emulator target at the
 * emulator itself, without `prism proxy` (what the proxy costs a whole run).
 */
export type Temperature = 'cold' | 'warm' | 'direct';

export interface SuiteRun {
  target: SuiteTarget;
  temperature: Temperature;
  run: number;
  /** Wall time of the `playwright test` process, seconds. */
  wall: number;
  /** Playwright's own duration (from its start to the end of the last test), seconds. */
  playwrightDuration?: number;
  /** From Playwright's start to the first test's start: config, servers, workers (seconds). */
  startup?: number;
  exitCode: number | null;
  passed: number;
  skipped: number;
  failed: number;
  /** API exchanges the tests made (one attachment each): what the client checked. */
  exchanges: number;
  /** Worker processes the run started (distinct workerIndex): each loads and compiles the contract. */
  workerProcesses: number;
  reportFile: string;
}

export interface SuiteOptions {
  targets: readonly SuiteTarget[];
  temperatures: readonly Temperature[];
  runs: number;
  workers: number;
  /** Extra arguments for `playwright test` (quick mode: one spec file). */
  args: string[];
  tmp: string;
  /** Where cold runs happen; their servers are their own and go with them. */
  coldNetwork: Network;
  /** Where the warm servers and warm runs live; may be the same as coldNetwork. */
  warmNetwork: Network;
  log: (line: string) => void;
}

interface JsonReport {
  stats?: { startTime?: string; duration?: number; expected?: number; skipped?: number; unexpected?: number; flaky?: number };
  suites?: JsonSuite[];
}
interface TestResult {
  startTime: string;
  status: string;
  workerIndex?: number;
  attachments?: { name: string; body?: string }[];
}
interface JsonSuite {
  specs?: { tests: { results: TestResult[] }[] }[];
  suites?: JsonSuite[];
}

const EXCHANGE = /^(GET|POST|PATCH|DELETE|PUT|OPTIONS|HEAD) \S+ -> \d{3}$/;

/** Every test result of a JSON report. */
export function* results(report: JsonReport): Generator<TestResult> {
  const walk = function* (suite: JsonSuite): Generator<TestResult> {
    for (const spec of suite.specs ?? []) for (const test of spec.tests) yield* test.results;
    for (const inner of suite.suites ?? []) yield* walk(inner);
  };
  for (const suite of report.suites ?? []) yield* walk(suite);
}

/** The exchanges (request and response, redacted) the client attached to a report's steps. */
export function exchangesOf(report: JsonReport): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const result of results(report)) {
    for (const attachment of result.attachments ?? []) {
      if (!EXCHANGE.test(attachment.name) || attachment.body === undefined) continue;
      const text = Buffer.from(attachment.body, 'base64').toString('utf8');
      out.push({ name: attachment.name, text: text.slice(0, text.indexOf('\n\n# replay')) });
    }
  }
  return out;
}

function readReport(file: string): JsonReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
  } catch {
    return undefined;
  }
}

async function runPlaywright(target: SuiteTarget, temperature: Temperature, run: number, options: SuiteOptions): Promise<SuiteRun> {
  const reportFile = join(options.tmp, `suite-${target}-${temperature}-${run}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, CONTRACT_TARGET: target, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, FORCE_COLOR: '0' };
  delete env.PRISM_URL;
  delete env.EMULATOR_URL;
  // Cold: as CI runs it (CI=1: servers are never reused, so a busy port fails the run instead of
  // quietly making it warm). Warm: not CI, so the servers already on the suite's ports are reused.
  if (temperature === 'cold') env.CI = '1';
  else delete env.CI;
  if (temperature === 'direct') env.EMULATOR_URL = `http://127.0.0.1:${SUITE_PORTS.emulator}`;
  const argv = [
    'node_modules/.bin/playwright',
    'test',
    '--reporter=dot,json',
    `--output=${join(options.tmp, 'test-results')}`,
    `--workers=${options.workers}`,
    ...options.args,
  ];
  const started = performance.now();
  const network = temperature === 'cold' ? options.coldNetwork : options.warmNetwork;
  const proc = spawnProc(`playwright ${target} ${temperature}`, argv, { network, env });
  const exitCode = await proc.exited;
  const wall = (performance.now() - started) / 1000;
  await proc.stop();
  // A cold run's webServers are its own; anything of it still alive in the private network goes.
  if (temperature === 'cold') killStragglers(network);

  const report = readReport(reportFile);
  const stats = report?.stats ?? {};
  let firstStart = Number.POSITIVE_INFINITY;
  const workers = new Set<number>();
  for (const result of report ? results(report) : []) {
    if (result.status !== 'skipped') firstStart = Math.min(firstStart, Date.parse(result.startTime));
    if (result.workerIndex !== undefined && result.workerIndex >= 0) workers.add(result.workerIndex);
  }
  const runStart = stats.startTime ? Date.parse(stats.startTime) : Number.NaN;
  const outcome: SuiteRun = {
    target,
    temperature,
    run,
    wall: round(wall, 2),
    playwrightDuration: stats.duration === undefined ? undefined : round(stats.duration / 1000, 2),
    startup: Number.isFinite(firstStart) && Number.isFinite(runStart) ? round((firstStart - runStart) / 1000, 2) : undefined,
    exitCode,
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
    failed: stats.unexpected ?? 0,
    exchanges: report ? exchangesOf(report).length : 0,
    workerProcesses: workers.size,
    reportFile,
  };
  if (exitCode !== 0) outcome.failed ||= 1;
  if (exitCode !== 0 && !report) options.log(`    playwright failed (exit ${exitCode}):\n${proc.stderr()}`);
  return outcome;
}

/** The suite's servers on the suite's ports, for warm runs (the same command lines the config uses). */
async function startWarmServers(target: SuiteTarget, network: Network): Promise<Proc[]> {
  const procs: Proc[] = [];
  const start = async (name: string, command: string, port: number) => {
    const proc = spawnShell(name, command, { network });
    procs.push(proc);
    await waitReady(proc, port, { network });
  };
  if (target === 'prism') await start('prism mock (warm)', prismMockCommand(SUITE_PORTS.prism), SUITE_PORTS.prism);
  else {
    await start('emulator (warm)', emulatorCommand(SUITE_PORTS.emulator), SUITE_PORTS.emulator);
    await start('prism proxy (warm)', prismProxyCommand(SUITE_PORTS.proxy, `http://127.0.0.1:${SUITE_PORTS.emulator}`), SUITE_PORTS.proxy);
  }
  return procs;
}

/** Outside a private network the suite's ports must be free, or the figures would be someone else's. */
export async function busySuitePorts(network: Network): Promise<number[]> {
  if (network.enter.length > 0) return [];
  const busy: number[] = [];
  for (const port of Object.values(SUITE_PORTS)) if (await portInUse(port)) busy.push(port);
  return busy;
}

/**
 * Every (target, temperature), interleaved: run 1 of each, then run 2... Warm servers are started
 * once per target, before its first warm run, and kept for the later rounds (so warm runs 2 and 3
 * meet servers that already served a run, as a developer's re-run does). When cold and warm runs
 * share one network, a cold run first stops the warm servers of its target.
 */
export async function measureSuite(options: SuiteOptions): Promise<SuiteRun[]> {
  const out: SuiteRun[] = [];
  const warm = new Map<SuiteTarget, Proc[]>();
  const shared = options.coldNetwork === options.warmNetwork;
  try {
    for (let run = 0; run < options.runs; run++) {
      for (const target of options.targets) {
        for (const temperature of options.temperatures) {
          if (temperature === 'direct' && target !== 'emulator') continue;
          if (temperature !== 'cold' && !warm.has(target)) warm.set(target, await startWarmServers(target, options.warmNetwork));
          if (temperature === 'cold' && shared) {
            for (const proc of warm.get(target) ?? []) await proc.stop();
            warm.delete(target);
          }
          const result = await runPlaywright(target, temperature, run, options);
          out.push(result);
          options.log(
            `  run ${run + 1}/${options.runs} ${target.padEnd(8)} ${temperature.padEnd(6)}: ${result.wall} s wall (until the first test ${result.startup ?? '?'} s), ` +
              `${result.passed} passed, ${result.skipped} skipped, ${result.failed} failed, ${result.exchanges} exchanges`,
          );
        }
      }
    }
  } finally {
    for (const procs of warm.values()) for (const proc of procs) await proc.stop();
  }
  return out;
}

export interface SuiteSummary {
  target: SuiteTarget;
  temperature: Temperature;
  runs: number;
  wall: number;
  wallSpread: number;
  startup?: number;
  playwrightDuration?: number;
  passed: number;
  skipped: number;
  failedRuns: number;
  exchanges: number;
  workerProcesses: number;
}

export function summarizeSuite(runs: SuiteRun[]): SuiteSummary[] {
  const groups = new Map<string, SuiteRun[]>();
  for (const r of runs) groups.set(`${r.target}|${r.temperature}`, [...(groups.get(`${r.target}|${r.temperature}`) ?? []), r]);
  return [...groups.values()].map((group) => {
    const first = group[0] as SuiteRun;
    const startups = group.map((r) => r.startup).filter((s): s is number => s !== undefined);
    const durations = group.map((r) => r.playwrightDuration).filter((s): s is number => s !== undefined);
    return {
      target: first.target,
      temperature: first.temperature,
      runs: group.length,
      wall: round(median(group.map((r) => r.wall)), 2),
      wallSpread: round(spread(group.map((r) => r.wall)), 3),
      startup: startups.length ? round(median(startups), 2) : undefined,
      playwrightDuration: durations.length ? round(median(durations), 2) : undefined,
      passed: first.passed,
      skipped: first.skipped,
      failedRuns: group.filter((r) => r.failed > 0).length,
      exchanges: round(median(group.map((r) => r.exchanges)), 0),
      workerProcesses: round(median(group.map((r) => r.workerProcesses)), 0),
    };
  });
}
