/**
 * Section 4: what the contract checks (ajv and the checks around it) cost in a suite run. The client
 * (fixtures/api.ts) is not instrumented: the exchanges one suite run recorded are replayed through the
 * same functions it calls on each (checkResponse on the answer, requestMatchesContract on the
 * request), in fresh processes, as a Playwright worker meets them.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './procs.ts';
import { median, round } from './stats.ts';

export interface AjvReplay {
  exchanges: number;
  skipped: number;
  failures: number;
  importMs: number;
  firstPassMs: number;
  steadyMs: number;
  responseUs: number;
  requestUs: number;
}

export interface AjvSummary {
  runs: number;
  /** Exchanges replayed (one suite run against the emulator). */
  exchanges: number;
  /** Check failures in the replay: the recorded bodies are redacted, so a few may not pass. */
  replayFailures: number;
  /** Hot cost per exchange: response checks + request checks (microseconds). */
  perExchangeUs: number;
  responseUs: number;
  requestUs: number;
  /** Per worker process: compiling the validators on first use (firstPass - steady), ms. */
  compilePerWorkerMs: number;
  /** Per worker process: loading the contract runtime (modules, openapi.yaml, schemas), ms. Not ajv alone. */
  importPerWorkerMs: number;
}

export function measureAjv(exchanges: { name: string; text: string }[], runs: number, tmp: string): AjvSummary {
  const file = join(tmp, 'exchanges.json');
  writeFileSync(file, JSON.stringify(exchanges));
  const samples: AjvReplay[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench/ajv-replay.ts', file], { cwd: ROOT, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`ajv replay failed:\n${child.stderr}`);
    samples.push(JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as AjvReplay);
  }
  const first = samples[0] as AjvReplay;
  const m = (f: (s: AjvReplay) => number) => median(samples.map(f));
  return {
    runs,
    exchanges: first.exchanges,
    replayFailures: first.failures,
    perExchangeUs: round(m((s) => (s.steadyMs / s.exchanges) * 1000), 2),
    responseUs: round(m((s) => s.responseUs), 2),
    requestUs: round(m((s) => s.requestUs), 2),
    compilePerWorkerMs: round(m((s) => s.firstPassMs - s.steadyMs), 1),
    importPerWorkerMs: round(m((s) => s.importMs), 1),
  };
}

/** ajv's share of a suite run: validators compiled once per worker process, plus every exchange checked. */
export function ajvShare(ajv: AjvSummary, exchangesPerRun: number, workerProcesses: number, suiteWallSeconds: number) {
  const checksMs = (exchangesPerRun * ajv.perExchangeUs) / 1000;
  const compileMs = workerProcesses * ajv.compilePerWorkerMs;
  const totalMs = checksMs + compileMs;
  return {
    checksMs: round(checksMs, 1),
    compileMs: round(compileMs, 1),
    totalMs: round(totalMs, 1),
    checksShare: round(checksMs / (suiteWallSeconds * 1000), 5),
    share: round(totalMs / (suiteWallSeconds * 1000), 5),
  };
}
