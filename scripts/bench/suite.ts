/**
 * Section 2: the suite's wall time per target, cold (the run starts its servers, as `npm test` and CI
 * do), for this checkout and for a baseline (another git ref, checked out in a temporary folder with
 * this checkout's node_modules), run interleaved in one invocation so that both meet the same machine.
 * `playwright test` runs as a subprocess with the dot and JSON reporters into a temporary folder
 * (./reports and ./test-results are not touched).
 *
 * The runs happen in a private network namespace when the machine allows it: the baseline's fixed
 * ports are then its own. Elsewhere the baseline gets CONTRACT_PORT_BASE (this checkout picks free ports).
 *
 * Section 5 (`npmtest`): `npm test` itself, part by part (typecheck, lint, unit, contract:local, e2e),
 * for this checkout and the baseline: where the time of the whole goes.
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { killStragglers, ROOT, spawnProc, type Network } from './procs.ts';
import { median, round, spread } from './stats.ts';

export type SuiteTarget = 'emulator' | 'prism';
/**
 * cold: this checkout, the run starts its servers (CI=1); baseline: the same, from the baseline ref's
 * checkout. The `-common` runs are the same again, each checkout running only the tests both have
 * (same project, file and title; see {@link writeCommonTestList}): "with the same tests".
 */
export type Temperature = 'cold' | 'baseline' | 'cold-common' | 'baseline-common';

export const isBaseline = (temperature: Temperature) => temperature === 'baseline' || temperature === 'baseline-common';
const isCommon = (temperature: Temperature) => temperature === 'cold-common' || temperature === 'baseline-common';

/** Check a git ref out into `dir` (a shared clone: no network, no change to this repository), with this node_modules. */
export function checkoutBaseline(ref: string, dir: string): string {
  const git = (args: string[], cwd = ROOT) => {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
    return result.stdout.trim();
  };
  const commit = git(['rev-parse', '--verify', `${ref}^{commit}`]);
  git(['clone', '--quiet', '--shared', '--no-checkout', ROOT, dir]);
  git(['checkout', '--quiet', '--detach', commit], dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return commit;
}

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
  /** Where the runs happen; their servers are their own and go with them. */
  network: Network;
  /** The baseline's checkout (temperature `baseline`). */
  baselineDir?: string;
  /** CONTRACT_PORT_BASE for the baseline when the runs share the machine's loopback. */
  baselinePortBase?: number;
  log: (line: string) => void;
  /** More environment for the runs (the ajv replay asks for every exchange: CONTRACT_EXCHANGES=all). */
  env?: Record<string, string>;
  /** Per target, a `--test-list` file of the tests both checkouts have (the `-common` runs; a target without one has none). */
  commonTests?: Partial<Record<SuiteTarget, string>>;
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

/**
 * How many API exchanges a run made: the `_contract-exchanges` data of each test (this checkout
 * attaches the full exchanges only to failed tests), else the exchanges attached to steps (older
 * checkouts such as the baseline attach every one).
 */
export function exchangeCount(report: JsonReport): number {
  let counted = 0;
  let found = false;
  for (const result of results(report)) {
    for (const attachment of result.attachments ?? []) {
      if (attachment.name !== '_contract-exchanges' || attachment.body === undefined) continue;
      found = true;
      const list = JSON.parse(Buffer.from(attachment.body, 'base64').toString('utf8')) as unknown;
      if (Array.isArray(list)) counted += list.length;
    }
  }
  return found ? counted : exchangesOf(report).length;
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
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, CONTRACT_TARGET: target, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, FORCE_COLOR: '0', CI: '1' };
  delete env.PRISM_URL;
  delete env.EMULATOR_URL;
  delete env.CONTRACT_PORT_BASE;
  if (isBaseline(temperature) && options.baselinePortBase !== undefined) env.CONTRACT_PORT_BASE = String(options.baselinePortBase);
  const commonList = options.commonTests?.[target];
  // The serial tests are left out of the common runs: a listed one would bring its whole project along
  // (the baseline's serial project depends on the target's, and a dependency is never filtered).
  const common = isCommon(temperature) && commonList ? ['--test-list', commonList, '--grep-invert', '@serial'] : [];
  const argv = [
    'node_modules/.bin/playwright',
    'test',
    '--reporter=dot,json',
    `--output=${join(options.tmp, 'test-results')}`,
    `--workers=${options.workers}`,
    ...common,
    ...options.args,
  ];
  const started = performance.now();
  const network = options.network;
  const proc = spawnProc(`playwright ${target} ${temperature}`, argv, { network, env, cwd: isBaseline(temperature) ? options.baselineDir : ROOT });
  const exitCode = await proc.exited;
  const wall = (performance.now() - started) / 1000;
  await proc.stop();
  // A run's servers are its own; anything of it still alive in the private network goes.
  killStragglers(network);

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
    exchanges: report ? exchangeCount(report) : 0,
    workerProcesses: workers.size,
    reportFile,
  };
  if (exitCode !== 0) outcome.failed ||= 1;
  if (exitCode !== 0 && !report) options.log(`    playwright failed (exit ${exitCode}):\n${proc.stderr()}`);
  return outcome;
}

/** Every (target, temperature), interleaved: run 1 of each, then run 2... */
export async function measureSuite(options: SuiteOptions): Promise<SuiteRun[]> {
  const out: SuiteRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    for (const target of options.targets) {
      for (const temperature of options.temperatures) {
        if (isCommon(temperature) && !options.commonTests?.[target]) continue;
        const result = await runPlaywright(target, temperature, run, options);
        out.push(result);
        options.log(
          `  run ${run + 1}/${options.runs} ${target.padEnd(8)} ${temperature.padEnd(15)}: ${result.wall} s wall (until the first test ${result.startup ?? '?'} s), ` +
            `${result.passed} passed, ${result.skipped} skipped, ${result.failed} failed, ${result.exchanges} exchanges`,
        );
      }
    }
  }
  return out;
}

interface ListedSuite {
  title?: string;
  specs?: { title: string; file: string; tests: { projectName: string }[] }[];
  suites?: ListedSuite[];
}

/** Every test a checkout lists for a target, as a `--test-list` line: `[project] › file › describe › title`. */
export function listedTests(dir: string, target: SuiteTarget): string[] {
  const env: NodeJS.ProcessEnv = { ...process.env, CONTRACT_TARGET: target, FORCE_COLOR: '0', CI: '1' };
  for (const name of ['PRISM_URL', 'EMULATOR_URL', 'CONTRACT_PORT_BASE']) delete env[name];
  const listed = spawnSync('node_modules/.bin/playwright', ['test', '--list', '--reporter=json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`playwright test --list in ${dir}: exit ${listed.status}\n${listed.stderr}`);
  const lines: string[] = [];
  const walk = (suite: ListedSuite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) lines.push([`[${test.projectName}]`, spec.file, ...titles, spec.title].join(' › '));
    }
    for (const inner of suite.suites ?? []) walk(inner, [...titles, inner.title ?? '']);
  };
  // The top-level suites are the files: their title is the file, already on each line.
  for (const file of (JSON.parse(listed.stdout) as { suites?: ListedSuite[] }).suites ?? []) walk(file, []);
  return lines;
}

/**
 * Writes the `--test-list` file of the tests both checkouts list for `target` (same project, file and
 * title path; a test renamed since counts as gone), leaving out the serial projects. Returns the counts.
 */
export function writeCommonTestList(target: SuiteTarget, baselineDir: string, file: string): { common: number; current: number; baseline: number } {
  const current = listedTests(ROOT, target).filter((line) => !/^\[[^\]]*-serial\]/.test(line));
  const baseline = new Set(listedTests(baselineDir, target).filter((line) => !/^\[[^\]]*-serial\]/.test(line)));
  const common = current.filter((line) => baseline.has(line));
  writeFileSync(file, `${common.join('\n')}\n`);
  return { common: common.length, current: current.length, baseline: baseline.size };
}

/**
 * The parts of a checkout's `npm test`, in its order: the `npm run <part>` steps of its own `test`
 * script (the baseline's has fewer: the SDK and browser tests came later).
 */
export function npmTestParts(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const parts = [...(pkg.scripts?.test ?? '').matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1] as string);
  if (parts.length === 0) throw new Error(`${dir}/package.json: no \`npm run <part>\` steps in its test script`);
  return parts;
}

export interface NpmTestRun {
  checkout: 'current' | 'baseline';
  run: number;
  /** Seconds per part, and their sum (what `npm test` takes). */
  parts: Record<string, number>;
  total: number;
  /** Parts that exited non-zero. */
  failed: string[];
  /** The parts of that checkout's `npm test`, in order (a run is whole when all of them ran). */
  partNames: string[];
}

/** `npm test` part by part, for this checkout and the baseline, interleaved. */
export async function measureNpmTest(options: SuiteOptions & { checkouts: ('current' | 'baseline')[] }): Promise<NpmTestRun[]> {
  const out: NpmTestRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    for (const checkout of options.checkouts) {
      const cwd = checkout === 'baseline' ? options.baselineDir : ROOT;
      const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', CI: '1' };
      for (const name of ['PRISM_URL', 'EMULATOR_URL', 'CONTRACT_PORT_BASE', 'CONTRACT_TARGET']) delete env[name];
      if (checkout === 'baseline' && options.baselinePortBase !== undefined) env.CONTRACT_PORT_BASE = String(options.baselinePortBase);
      const parts: Record<string, number> = {};
      const failed: string[] = [];
      const only = process.env.BENCH_NPMTEST_PARTS?.split(',');
      const partNames = npmTestParts(cwd ?? ROOT);
      for (const part of partNames.filter((p) => !only || only.includes(p))) {
        const started = performance.now();
        const proc = spawnProc(`npm run ${part} (${checkout})`, ['npm', 'run', '--silent', part], { network: options.network, env, cwd, stdout: 'pipe' });
        const code = await proc.exited;
        const seconds = (performance.now() - started) / 1000;
        // 'exit' can come before the last of stdout (the runner's list of failures): let it drain, briefly.
        const stdout = proc.child.stdout;
        if (stdout && !stdout.readableEnded) await Promise.race([new Promise((resolve) => stdout.once('end', resolve)), new Promise((resolve) => setTimeout(resolve, 2000))]);
        await proc.stop();
        killStragglers(options.network);
        parts[part] = round(seconds, 1);
        if (code !== 0) {
          failed.push(part);
          // The test runners report failures on stdout: the last lines of both say which and why.
          options.log(`    npm run ${part} (${checkout}) failed (exit ${code}):\n${proc.output().trim().split('\n').slice(-60).join('\n')}`);
        }
      }
      const total = round(Object.values(parts).reduce((a, b) => a + b, 0), 1);
      out.push({ checkout, run, parts, total, failed, partNames });
      options.log(`  run ${run + 1}/${options.runs} npm test (${checkout}): ${total} s = ${Object.entries(parts).map(([p, seconds]) => `${p} ${seconds} s`).join(', ')}${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
    }
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
  /**
   * Seconds of wall time per test run (passed), and of the time after the first test's start per test
   * and per exchange: the fair figures when the two checkouts run different numbers of tests (the
   * baseline's spec files were split since, so "the same tests" cannot be chosen by file).
   */
  wallPerTest?: number;
  testsPerTest?: number;
  testsPerExchange?: number;
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
      wallPerTest: first.passed > 0 ? round(median(group.map((r) => r.wall)) / first.passed, 3) : undefined,
      testsPerTest: first.passed > 0 && startups.length ? round((median(group.map((r) => r.wall)) - median(startups)) / first.passed, 3) : undefined,
      testsPerExchange: first.exchanges > 0 && startups.length ? round((median(group.map((r) => r.wall)) - median(startups)) / median(group.map((r) => r.exchanges)), 4) : undefined,
      exchanges: round(median(group.map((r) => r.exchanges)), 0),
      workerProcesses: round(median(group.map((r) => r.workerProcesses)), 0),
    };
  });
}
