/**
 * The results: their shape (bench/results.json) and the readable tables (bench/results.md, also
 * pasted into the README's Performance section).
 */
import type { AjvSummary } from './ajv.ts';
import type { LoadSample, Machine } from './machine.ts';
import { median, round } from './stats.ts';
import { isBaseline, type NpmTestRun, type SuiteRun, type SuiteSummary, type SuiteTarget, type Temperature } from './suite.ts';
import { OPERATIONS, SERVER_LABELS, type OperationId, type ServerName, type Summary } from './throughput.ts';

export interface Goal {
  goal: string;
  figure: string;
  met: boolean | undefined;
}

export interface Results {
  machine: Machine;
  settings: {
    quick: boolean;
    sections: string[];
    loadRuns: number;
    loadSeconds: number;
    warmupSeconds: number;
    connections: number;
    suiteRuns: number;
    workers: number;
  };
  busiestAtStart: string[];
  loads: LoadSample[];
  notes: string[];
  methods: Record<OperationId, string>;
  serverStartupMs?: Record<ServerName, number>;
  throughput?: {
    connections: number;
    /** RS256 signatures per second, 2048-bit key, one core (median of runs). */
    rs256PerSecond: number;
    summary: Summary[];
    ratios: { op: OperationId; emulatorOverPrism: number; emulatorOverBare: number; proxyOverEmulator: number; prismOverBare: number }[];
    samples: { op: OperationId; server: ServerName; run: number; rps: number }[];
  };
  proxy?: {
    connections: number;
    summary: Summary[];
    added: { op: OperationId; addedMs: number; slowdown: number }[];
    samples: unknown[];
  };
  /** The git ref the suite and npm test figures are compared with (the old figure), and its commit. */
  baseline?: { ref: string; commit: string };
  suite?: {
    workers: number;
    /** The tests both checkouts have (the `-common` runs): how many, and how many each lists. */
    common?: { target: SuiteTarget; common: number; current: number; baseline: number };
    summary: SuiteSummary[];
    runs: Omit<SuiteRun, 'reportFile'>[];
  };
  /** `npm test` part by part (seconds), this checkout and the baseline. */
  npmTest?: NpmTestRun[];
  ajv?: AjvSummary & {
    suiteWall?: number;
    workerProcesses?: number;
    checksMs?: number;
    compileMs?: number;
    totalMs?: number;
    checksShare?: number;
    share?: number;
  };
  goals?: Goal[];
  elapsedSeconds?: number;
}

const CHECKOUT_LABELS: Record<Temperature, string> = {
  cold: 'this checkout',
  baseline: 'baseline',
  'cold-common': 'this checkout, the tests both have',
  'baseline-common': 'baseline, the tests both have',
};
const label = (op: OperationId) => OPERATIONS.find((o) => o.id === op)?.label ?? op;
const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '–' : round(n, digits).toLocaleString('en-US'));
const pct = (share: number | undefined, digits = 1) => (share === undefined || Number.isNaN(share) ? '–' : `${round(share * 100, digits)} %`);
const times = (ratio: number | undefined) => (ratio === undefined || Number.isNaN(ratio) ? '–' : `${round(ratio, 2)}×`);

/** The issue's goals, judged on the figures of this run. */
export function judgeGoals(results: Results): Goal[] {
  const goals: Goal[] = [];
  const t = results.throughput;
  if (t) {
    for (const r of t.ratios) {
      goals.push({ goal: `${label(r.op)}: emulator ≥ 5× the Prism mock's req/s`, figure: times(r.emulatorOverPrism), met: r.emulatorOverPrism >= 5 });
      goals.push({ goal: `${label(r.op)}: emulator ≥ half the bare ceiling`, figure: pct(r.emulatorOverBare, 0), met: r.emulatorOverBare >= 0.5 });
      const emu = t.summary.find((s) => s.op === r.op && s.server === 'emulator');
      if (emu) goals.push({ goal: `${label(r.op)}: emulator p99 < 10 ms at ${t.connections} connections`, figure: `${fmt(emu.p99, 1)} ms`, met: emu.p99 < 10 });
    }
  }
  // Quick mode times one spec file: no suite goal can be judged on it.
  if (results.settings.quick) return goals;
  const cold = results.suite?.summary.find((s) => s.target === 'emulator' && s.temperature === 'cold');
  const old = results.suite?.summary.find((s) => s.target === 'emulator' && s.temperature === 'baseline');
  const was = (n: number | undefined) => (n === undefined ? '' : ` (baseline ${fmt(n, 1)} s)`);
  if (cold) {
    const tests = (x: SuiteSummary) => `${x.passed} tests, ${fmt((x.wallPerTest ?? Number.NaN) * 1000)} ms per test`;
    const figure = `${fmt(cold.wall, 1)} s, ${tests(cold)}${old ? ` (baseline ${fmt(old.wall, 1)} s, ${tests(old)})` : ''}`;
    goals.push({ goal: 'whole suite against the emulator, cold, < 15 s', figure, met: cold.wall < 15 });
  }
  const sameNow = results.suite?.summary.find((s) => s.target === 'emulator' && s.temperature === 'cold-common');
  const sameOld = results.suite?.summary.find((s) => s.target === 'emulator' && s.temperature === 'baseline-common');
  if (sameNow) {
    const figure = `${fmt(sameNow.wall, 1)} s, ${sameNow.passed} tests${sameOld ? ` (baseline ${fmt(sameOld.wall, 1)} s, ${sameOld.passed} tests)` : ''}`;
    goals.push({ goal: 'the emulator tests both checkouts have ("with the same tests"), cold, < 15 s', figure, met: sameNow.wall < 15 });
  }
  // Judged only on whole, passing runs of npm test.
  const whole = (r: NpmTestRun) => r.failed.length === 0 && r.partNames.every((p) => r.parts[p] !== undefined);
  const npmNow = results.npmTest?.filter((r) => r.checkout === 'current' && whole(r)).map((r) => r.total) ?? [];
  const npmOld = results.npmTest?.filter((r) => r.checkout === 'baseline' && whole(r)).map((r) => r.total) ?? [];
  if (npmNow.length > 0) {
    const now = median(npmNow);
    goals.push({ goal: '`npm test` < 90 s', figure: `${fmt(now, 1)} s${was(npmOld.length ? median(npmOld) : undefined)}`, met: now < 90 });
  } else {
    // A failing npm test is not judged, but its time is shown, with what failed.
    const broken = results.npmTest?.filter((r) => r.checkout === 'current') ?? [];
    if (broken.length > 0) {
      const failed = [...new Set(broken.flatMap((r) => r.failed))].join(', ');
      const figure = `${fmt(median(broken.map((r) => r.total)), 1)} s, ${failed || 'parts missing'} failed: not judged${was(npmOld.length ? median(npmOld) : undefined)}`;
      goals.push({ goal: '`npm test` < 90 s', figure, met: undefined });
    }
  }
  if (results.ajv?.share !== undefined) goals.push({ goal: 'ajv < 1 % of that run', figure: pct(results.ajv.share, 2), met: results.ajv.share < 0.01 });
  return goals;
}

export function renderMarkdown(results: Results): string {
  results.goals = judgeGoals(results);
  const m = results.machine;
  const s = results.settings;
  const out: string[] = [];
  const loadText = results.loads.map((l) => `${l.when} ${l.loadavg[0]}`).join(', ');
  out.push(
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}` +
      ` (\`npm run bench\`${s.quick ? ' --quick' : ''}; 1-minute load average: ${loadText}).`,
  );
  out.push('');

  const t = results.throughput;
  if (t) {
    out.push(
      `**Throughput** at ${t.connections} connections (autocannon in the same machine, so the server shares its ${m.cores} cores with the load generator),` +
        ` median of ${s.loadRuns} interleaved runs of ${s.loadSeconds} s:`,
    );
    out.push('');
    out.push('| operation | server | req/s | p50 ms | p99 ms | ÷ ceiling |');
    out.push('|---|---|--:|--:|--:|--:|');
    for (const op of OPERATIONS) {
      // Each server's req/s over the bare server's in the same run, the median of those (as the ratios below).
      const samples = t.samples;
      const shareOfCeiling = (server: ServerName) =>
        median(
          samples
            .filter((x) => x.op === op.id && x.server === server)
            .flatMap((x) => samples.filter((b) => b.op === op.id && b.server === 'bare' && b.run === x.run).map((b) => x.rps / b.rps)),
        );
      for (const server of ['bare', 'emulator', 'proxy', 'prism'] as ServerName[]) {
        const row = t.summary.find((x) => x.op === op.id && x.server === server);
        if (!row) continue;
        const flag = row.non2xx || row.errors ? ` ⚠ ${row.non2xx} non-2xx, ${row.errors} errors` : '';
        out.push(
          `| ${op.label} | ${SERVER_LABELS[server]} | ${fmt(row.rps)}${flag} | ${fmt(row.p50, 2)} | ${fmt(row.p99, 2)} | ${pct(shareOfCeiling(server), 0)} |`,
        );
      }
    }
    out.push('');
    out.push('| operation | emulator ÷ Prism mock | emulator ÷ ceiling | emulator ÷ RS256 signing | through the proxy ÷ direct |');
    out.push('|---|--:|--:|--:|--:|');
    for (const r of t.ratios) {
      const emu = t.summary.find((x) => x.op === r.op && x.server === 'emulator');
      const rsa = r.op === 'me' || !emu ? '–' : pct(emu.rps / t.rs256PerSecond, 0);
      out.push(`| ${label(r.op)} | ${times(r.emulatorOverPrism)} | ${pct(r.emulatorOverBare, 0)} | ${rsa} | ${pct(r.proxyOverEmulator, 0)} |`);
    }
    out.push('');
    out.push(
      `A real token costs one RS256 signature: this machine makes ${fmt(t.rs256PerSecond)} per second on one core (2048-bit key, node:crypto), ` +
        'the ceiling of sign-in and refresh whatever the server around them (the emulator signs in the thread pool, so it may pass it a little).',
    );
    out.push('');
  }

  const p = results.proxy;
  if (p) {
    out.push(`**What \`prism proxy --errors\` adds** per request (1 connection, mean latency, median of ${s.loadRuns} runs):`);
    out.push('');
    out.push('| operation | emulator direct | through the proxy | added |');
    out.push('|---|--:|--:|--:|');
    for (const a of p.added) {
      const direct = p.summary.find((x) => x.op === a.op && x.server === 'emulator');
      const proxied = p.summary.find((x) => x.op === a.op && x.server === 'proxy');
      out.push(`| ${label(a.op)} | ${fmt(direct?.mean, 2)} ms | ${fmt(proxied?.mean, 2)} ms | +${fmt(a.addedMs, 2)} ms (${times(a.slowdown)}) |`);
    }
    out.push('');
  }

  const suite = results.suite;
  if (suite) {
    out.push(`**The suite's wall time** (\`playwright test\`, ${suite.workers} workers as in CI, median of ${s.suiteRuns} runs):`);
    out.push('');
    const base = results.baseline ? ` (${results.baseline.ref})` : '';
    out.push(
      `| target | cold, this checkout | until the first test | tests run / skipped | per test | cold, baseline${base} | until the first test | tests run / skipped | per test |`,
    );
    out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
    const rows: [string, SuiteTarget, Temperature, Temperature][] = [
      ['emulator', 'emulator', 'cold', 'baseline'],
      ['emulator, the tests both have', 'emulator', 'cold-common', 'baseline-common'],
      ['prism', 'prism', 'cold', 'baseline'],
    ];
    for (const [name, target, now, then] of rows) {
      const cold = suite.summary.find((x) => x.target === target && x.temperature === now);
      const old = suite.summary.find((x) => x.target === target && x.temperature === then);
      if (!cold && !old) continue;
      const counts = (x: SuiteSummary | undefined) => (x ? `${x.passed} / ${x.skipped}${x.failedRuns ? ` ⚠ ${x.failedRuns} failed runs` : ''}` : '–');
      const perTest = (x: SuiteSummary | undefined) => (x?.wallPerTest === undefined ? '–' : `${fmt(x.wallPerTest * 1000)} ms`);
      out.push(
        `| ${name} | ${fmt(cold?.wall, 1)} s | ${fmt(cold?.startup, 1)} s | ${counts(cold)} | ${perTest(cold)} |` +
          ` ${fmt(old?.wall, 1)} s | ${fmt(old?.startup, 1)} s | ${counts(old)} | ${perTest(old)} |`,
      );
    }
    out.push('');
    if (suite.common) {
      out.push(
        `"The tests both have": each checkout runs only the ${suite.common.target} tests listed by both with the same project, file and title ` +
          `(${suite.common.common}; this checkout lists ${suite.common.current}, the baseline ${suite.common.baseline}; serial projects left out), through \`--test-list\`: the same tests, side by side.`,
      );
      out.push('');
    }
    out.push(
      'Per test: the wall time divided by the tests run; after the start: from the first test\'s start to the end, per test and per API exchange ' +
        '(the whole-suite rows run different tests, so these are the fair comparison there, not the totals).',
    );
    out.push('');
    out.push('| target | checkout | tests run | wall | per test | after the start, per test | per exchange |');
    out.push('|---|---|--:|--:|--:|--:|--:|');
    for (const x of suite.summary) {
      const ms = (v: number | undefined, digits = 0) => (v === undefined ? '–' : `${fmt(v * 1000, digits)} ms`);
      out.push(
        `| ${x.target} | ${CHECKOUT_LABELS[x.temperature]}${isBaseline(x.temperature) ? base : ''} | ${x.passed} | ${fmt(x.wall, 1)} s | ${ms(x.wallPerTest)} | ${ms(x.testsPerTest)} | ${ms(x.testsPerExchange, 1)} |`,
      );
    }
    out.push('');
  }

  const npm = results.npmTest;
  if (npm && npm.length > 0) {
    out.push(`**\`npm test\`, part by part** (seconds, median of runs; baseline: ${results.baseline?.ref ?? 'none'}):`);
    out.push('');
    const partNames = [...new Set(npm.flatMap((r) => r.partNames ?? Object.keys(r.parts)))];
    out.push(`| checkout | ${partNames.join(' | ')} | npm test |`);
    out.push(`|---|${partNames.map(() => '--:').join('|')}|--:|`);
    for (const checkout of ['current', 'baseline'] as const) {
      const runs = npm.filter((r) => r.checkout === checkout);
      if (runs.length === 0) continue;
      const failed = [...new Set(runs.flatMap((r) => r.failed))];
      out.push(
        `| ${checkout === 'current' ? 'this checkout' : `baseline (${results.baseline?.ref ?? '?'})`} | ${partNames.map((p) => fmt(median(runs.map((r) => r.parts[p] ?? Number.NaN)), 1)).join(' | ')} | ` +
          `${fmt(median(runs.map((r) => r.total)), 1)}${failed.length ? ` ⚠ failed: ${failed.join(', ')}` : ''} |`,
      );
    }
    out.push('');
  }

  const a = results.ajv;
  if (a) {
    out.push(
      `**Contract checks (ajv)**: ${fmt(a.exchanges)} exchanges per emulator run, ${fmt(a.perExchangeUs, 1)} µs each (response ${fmt(a.responseUs, 1)} µs + request ${fmt(a.requestUs, 1)} µs), ` +
        `${fmt(a.checksMs, 1)} ms per run; compiling the validators ${fmt(a.compilePerWorkerMs)} ms in each of ${a.workerProcesses ?? '?'} worker processes; ` +
        `in all ${fmt(a.totalMs)} ms = **${pct(a.share, 2)}** of the ${fmt(a.suiteWall, 1)} s cold run (checks alone ${pct(a.checksShare, 3)}).`,
    );
    out.push('');
  }

  if (results.goals.length > 0) {
    out.push('| goal | this run | met |');
    out.push('|---|--:|:-:|');
    for (const g of results.goals) out.push(`| ${g.goal} | ${g.figure} | ${g.met === undefined ? '–' : g.met ? 'yes' : '**no**'} |`);
    out.push('');
  }
  if (results.busiestAtStart.length > 0) out.push(`Busiest processes at the start: ${results.busiestAtStart.join(', ')}.`);
  for (const note of results.notes) out.push(`Note: ${note}.`);
  return `${out.join('\n')}\n`;
}
