/**
 * `npm run bench`: how fast the suite and its servers are, measured side by side on this machine.
 *
 *  1. throughput  the emulator, the Prism mock, the emulator behind `prism proxy --errors` and a bare
 *                 node:http server (the ceiling) on the same operations at the same concurrency,
 *                 interleaved round-robin; req/s, p50/p99 and their ratios (autocannon)
 *  2. suite       the suite's wall time per target, cold (the run starts its servers), beside the baseline;
 *                 the emulator target also with only the tests both checkouts have (--test-list)
 *  3. proxy       what `prism proxy` adds per request, at one connection
 *  4. ajv         the contract checks' share of a suite run (replayed from a recorded run)
 *  5. npmtest     `npm test` part by part (typecheck, lint, unit, contract:local, e2e), this checkout and the baseline
 *
 * Writes bench/results.json and bench/results.md (the table for the README). Every figure is the
 * median of several runs made in the same invocation.
 *
 *   npm run bench                      # 15-25 minutes on 2 cores (npm test twice)
 *   npm run bench -- --quick           # a smoke run of every section (one spec file for the suite)
 *   npm run bench -- --only=throughput,proxy
 *
 * Environment: BENCH_RUNS (load runs, default 3), BENCH_DURATION (seconds per load run, default 2),
 * BENCH_CONNECTIONS (default 50), BENCH_SUITE_RUNS (default 3), BENCH_WORKERS (Playwright workers,
 * default 2, as in CI), BENCH_PORT_BASE (default 15100: four ports from there; the baseline's suite
 * gets +20 when it cannot run in a private network), BENCH_TARGETS (suite targets, default
 * emulator,prism), BENCH_NPMTEST_RUNS (default 1), BENCH_NPMTEST_PARTS (a comma-separated subset of
 * the parts, for a smoke run).
 *
 * The suite and `npm test` figures are measured beside a baseline: the same runs, interleaved, of
 * another git ref (`--baseline=<ref>`, default the commit before the speed work; `none` to skip),
 * checked out in a temporary folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emulatorCommand, prismMockCommand, prismProxyCommand } from '../mock/servers.ts';
import { ajvShare, measureAjv, type AjvSummary } from './bench/ajv.ts';
import { busiestProcesses, loadSample, machine, type LoadSample } from './bench/machine.ts';
import { HOST_NETWORK, installCleanup, portInUse, privateNetwork, ROOT, spawnShell, stopAll, waitReady, wasInterrupted, type Network } from './bench/procs.ts';
import { renderMarkdown, type Results } from './bench/report.ts';
import { median, round } from './bench/stats.ts';
import { checkoutBaseline, exchangesOf, measureNpmTest, measureSuite, summarizeSuite, writeCommonTestList, type NpmTestRun, type SuiteRun, type SuiteTarget, type Temperature } from './bench/suite.ts';
import {
  EmulatorAccounts,
  measureMatrix,
  METHOD_NOTES,
  OPERATIONS,
  pairedDifference,
  pairedRatio,
  SERVERS,
  summarize,
  type OperationId,
  type Sample,
  type ServerName,
  type Targets,
} from './bench/throughput.ts';

const SECTIONS = ['throughput', 'proxy', 'suite', 'ajv', 'npmtest'] as const;
/** The old figure: the suite as it was before the speed work (issue 14); `--baseline=<git ref>` to compare with another. */
const DEFAULT_BASELINE = 'cf81637';
type Section = (typeof SECTIONS)[number];

function envNumber(name: string, fallback: number, { min = 0 } = {}): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name}="${text}" must be a number >= ${min}`);
  return value;
}

function options() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, baseline: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(`usage: npm run bench [-- --quick] [-- --only=${SECTIONS.join(',')}] [-- --baseline=<git ref, default ${DEFAULT_BASELINE}; none to skip>]`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...SECTIONS];
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section "${s}"; sections: ${SECTIONS.join(', ')}`);
  return {
    quick,
    sections: new Set(only as Section[]),
    runs: envNumber('BENCH_RUNS', quick ? 1 : 3, { min: 1 }),
    duration: envNumber('BENCH_DURATION', quick ? 1 : 2, { min: 1 }),
    warmup: quick ? 0.5 : 1,
    connections: envNumber('BENCH_CONNECTIONS', 50, { min: 1 }),
    suiteRuns: envNumber('BENCH_SUITE_RUNS', quick ? 1 : 3, { min: 1 }),
    workers: envNumber('BENCH_WORKERS', 2, { min: 1 }),
    portBase: envNumber('BENCH_PORT_BASE', 15100, { min: 1024 }),
    baseline: values.baseline === 'none' ? undefined : (values.baseline ?? DEFAULT_BASELINE),
    npmTestRuns: envNumber('BENCH_NPMTEST_RUNS', 1, { min: 1 }),
    suiteTargets: (process.env.BENCH_TARGETS ?? 'emulator,prism').split(',').filter((t): t is SuiteTarget => t === 'emulator' || t === 'prism'),
  };
}

const log = (line: string) => console.error(line);

/** The four load servers, each started alone (its start-up time measured), on free ports. */
async function startLoadServers(portBase: number): Promise<{ targets: Targets; startupMs: Record<ServerName, number> }> {
  const ports: Record<ServerName, number> = { bare: portBase, emulator: portBase + 1, proxy: portBase + 2, prism: portBase + 3 };
  for (const [name, port] of Object.entries(ports)) {
    if (await portInUse(port)) throw new Error(`port ${port} (for ${name}) is in use; pick other ports with BENCH_PORT_BASE`);
  }
  const origin = (port: number) => `http://127.0.0.1:${port}`;
  const startupMs = {} as Record<ServerName, number>;
  const commands: [ServerName, string][] = [
    ['bare', `node --import tsx scripts/bench/bare-server.ts ${ports.bare}`],
    ['emulator', emulatorCommand(ports.emulator)],
    ['proxy', prismProxyCommand(ports.proxy, origin(ports.emulator))],
    ['prism', prismMockCommand(ports.prism)],
  ];
  for (const [name, command] of commands) {
    const proc = spawnShell(name, command);
    startupMs[name] = round(await waitReady(proc, ports[name]), 0);
    log(`  ${name} ready on ${origin(ports[name])} in ${startupMs[name]} ms`);
  }
  const origins = Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, origin(p)])) as Record<ServerName, string>;
  return { targets: { origins, emulatorOrigin: origins.emulator }, startupMs };
}

async function main(): Promise<void> {
  installCleanup();
  const opts = options();
  const started = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), 'cloudbase-bench-'));
  const loads: LoadSample[] = [loadSample('start')];
  const results: Results = {
    machine: machine(),
    settings: {
      quick: opts.quick,
      sections: [...opts.sections],
      loadRuns: opts.runs,
      loadSeconds: opts.duration,
      warmupSeconds: opts.warmup,
      connections: opts.connections,
      suiteRuns: opts.suiteRuns,
      workers: opts.workers,
    },
    busiestAtStart: busiestProcesses(),
    loads,
    notes: [],
    methods: METHOD_NOTES,
  };
  log(`bench: ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}; load ${loads[0]?.loadavg.join(' ')}`);

  try {
    // ---- 1 and 3: load ----------------------------------------------------------------------
    if (opts.sections.has('throughput') || opts.sections.has('proxy')) {
      log('\nload servers:');
      const { targets, startupMs } = await startLoadServers(opts.portBase);
      results.serverStartupMs = startupMs;
      const accounts = new EmulatorAccounts(targets.emulatorOrigin);
      await accounts.prepare();
      const ops = OPERATIONS.map((o) => o.id) as OperationId[];
      if (opts.sections.has('throughput')) {
        loads.push(loadSample('throughput'));
        log(`\n1. throughput at ${opts.connections} connections, ${opts.runs} x ${opts.duration} s, round-robin:`);
        const { samples, signing } = await measureMatrix(targets, accounts, {
          ops,
          servers: SERVERS,
          runs: opts.runs,
          duration: opts.duration,
          connections: opts.connections,
          warmup: opts.warmup,
          signingSeconds: opts.quick ? 0.5 : 1,
          log,
        });
        results.throughput = {
          connections: opts.connections,
          rs256PerSecond: round(median(signing), 0),
          summary: summarize(samples),
          ratios: ops.map((op) => ({
            op,
            emulatorOverPrism: pairedRatio(samples, op, 'emulator', 'prism'),
            emulatorOverBare: pairedRatio(samples, op, 'emulator', 'bare'),
            proxyOverEmulator: pairedRatio(samples, op, 'proxy', 'emulator'),
            prismOverBare: pairedRatio(samples, op, 'prism', 'bare'),
          })),
          samples: samples.map(stripSample),
        };
      }
      if (opts.sections.has('proxy')) {
        loads.push(loadSample('proxy'));
        log(`\n3. prism proxy cost at 1 connection, ${opts.runs} x ${opts.duration} s, round-robin:`);
        const { samples } = await measureMatrix(targets, accounts, {
          ops,
          servers: ['emulator', 'proxy'],
          runs: opts.runs,
          duration: opts.duration,
          connections: 1,
          warmup: opts.warmup,
          log,
        });
        results.proxy = {
          connections: 1,
          summary: summarize(samples),
          added: ops.map((op) => ({ op, addedMs: pairedDifference(samples, op, 'proxy', 'emulator'), slowdown: pairedRatio(samples, op, 'proxy', 'emulator', 'mean') })),
          samples: samples.map(stripSample),
        };
      }
      await stopAll();
    }

    // ---- 2: the suite's wall time -------------------------------------------------------------
    let emulatorReport: string | undefined;
    if (opts.sections.has('suite') || opts.sections.has('ajv') || opts.sections.has('npmtest')) {
      loads.push(loadSample('suite'));
      const cold = await privateNetwork();
      const network: Network = cold.network ?? HOST_NETWORK;
      results.notes.push(
        cold.network
          ? 'suite runs in private network namespaces (unshare -n): their loopback ports are their own, whatever else runs on the machine'
          : `suite runs on the machine's own loopback (${cold.reason}): this checkout picks free ports, the baseline gets CONTRACT_PORT_BASE=${opts.portBase + 20}`,
      );
      const baselineDir = opts.baseline ? join(tmp, 'baseline') : undefined;
      if (opts.baseline && baselineDir) {
        const commit = checkoutBaseline(opts.baseline, baselineDir);
        results.baseline = { ref: opts.baseline, commit };
        log(`\nbaseline: ${opts.baseline} (${commit.slice(0, 12)}) checked out in ${baselineDir}`);
      }
      const baselinePortBase = cold.network ? undefined : opts.portBase + 20;
      const targets: SuiteTarget[] = opts.sections.has('suite') ? opts.suiteTargets : ['emulator'];
      // "With the same tests": each checkout also runs only the emulator tests both have (not in quick mode).
      const commonTests: Partial<Record<SuiteTarget, string>> = {};
      let common: { target: SuiteTarget; common: number; current: number; baseline: number } | undefined;
      if (opts.sections.has('suite') && baselineDir && !opts.quick) {
        commonTests.emulator = join(tmp, 'common-tests-emulator.txt');
        common = { target: 'emulator', ...writeCommonTestList('emulator', baselineDir, commonTests.emulator) };
        log(`\nthe tests both checkouts have (emulator target, serial projects left out): ${common.common} (this checkout lists ${common.current}, the baseline ${common.baseline})`);
      }
      const temperatures: Temperature[] = opts.sections.has('suite') && baselineDir ? ['cold', 'baseline', 'cold-common', 'baseline-common'] : ['cold'];
      const runs = opts.sections.has('suite') ? opts.suiteRuns : 1;
      log(`\n2. suite wall time, ${runs} run(s) of each, ${opts.workers} workers, network: ${network.name}:`);
      // Quick mode times one spec file: a smoke test of the machinery, not a figure to compare.
      const args = opts.quick ? [join('specs', readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.spec.ts')).sort()[0] ?? '')] : [];
      if (opts.quick) results.notes.push(`quick mode: the suite figures are of ${args[0]} alone`);
      const suiteOptions = { targets, temperatures, runs, workers: opts.workers, args, tmp, network, baselineDir, baselinePortBase, log, commonTests };
      const suiteRuns: SuiteRun[] = opts.sections.has('suite') || opts.sections.has('ajv') ? await measureSuite(suiteOptions) : [];
      if (opts.sections.has('suite')) results.suite = { workers: opts.workers, common, summary: summarizeSuite(suiteRuns), runs: suiteRuns.map(({ reportFile: _, ...r }) => r) };
      emulatorReport = suiteRuns.find((r) => r.target === 'emulator' && r.temperature === 'cold' && r.failed === 0)?.reportFile;

      // ---- 5: npm test, part by part ----------------------------------------------------------
      if (opts.sections.has('npmtest')) {
        loads.push(loadSample('npmtest'));
        log(`\n5. npm test, part by part, ${opts.npmTestRuns} run(s) of each checkout:`);
        const npmRuns: NpmTestRun[] = await measureNpmTest({ ...suiteOptions, runs: opts.npmTestRuns, checkouts: baselineDir ? ['current', 'baseline'] : ['current'] });
        results.npmTest = npmRuns;
      }

      // ---- 4: ajv ---------------------------------------------------------------------------
      if (opts.sections.has('ajv')) {
        loads.push(loadSample('ajv'));
        log('\n4. contract checks (ajv), replayed from a cold emulator run:');
        if (!emulatorReport) throw new Error('no passing cold emulator suite run to replay');
        let exchanges = exchangesOf(JSON.parse(readFileSync(emulatorReport, 'utf8')));
        if (exchanges.length === 0) {
          // The timed runs attach full exchanges only to failed tests: one more run (not timed) attaches every one.
          const [all] = await measureSuite({ ...suiteOptions, targets: ['emulator'], temperatures: ['cold'], runs: 1, env: { CONTRACT_EXCHANGES: 'all' } });
          if (all?.failed === 0) exchanges = exchangesOf(JSON.parse(readFileSync(all.reportFile, 'utf8')));
        }
        const ajv: AjvSummary = measureAjv(exchanges, opts.quick ? 1 : 3, tmp);
        const coldEmulator = summarizeSuite(suiteRuns).find((s) => s.target === 'emulator' && s.temperature === 'cold');
        const share = coldEmulator ? ajvShare(ajv, coldEmulator.exchanges, coldEmulator.workerProcesses, coldEmulator.wall) : undefined;
        results.ajv = { ...ajv, suiteWall: coldEmulator?.wall, workerProcesses: coldEmulator?.workerProcesses, ...share };
        log(
          `  ${ajv.exchanges} exchanges: ${ajv.perExchangeUs} µs each hot; compile ${ajv.compilePerWorkerMs} ms per worker; ` +
            `share of the cold emulator run: ${share ? round(share.share * 100, 2) : '?'} %`,
        );
      }
    }
  } finally {
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }

  loads.push(loadSample('end'));
  results.elapsedSeconds = round((performance.now() - started) / 1000, 1);
  const dir = join(ROOT, 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json.tmp'), `${JSON.stringify(results, null, 2)}\n`);
  renameSync(join(dir, 'results.json.tmp'), join(dir, 'results.json'));
  const markdown = renderMarkdown(results);
  writeFileSync(join(dir, 'results.md'), markdown);
  console.log(markdown);
  log(`bench: done in ${results.elapsedSeconds} s; bench/results.json and bench/results.md written`);
}

/** Samples keep their figures, not their per-status detail twice. */
function stripSample(s: Sample) {
  return { op: s.op, server: s.server, run: s.run, connections: s.connections, rps: round(s.rps, 0), p50: round(s.p50, 3), p99: round(s.p99, 3), mean: round(s.mean, 3), non2xx: s.non2xx, errors: s.errors };
}

main().catch(async (error: unknown) => {
  if (wasInterrupted()) return; // the signal handler stops everything and exits
  console.error(`bench: failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
});

