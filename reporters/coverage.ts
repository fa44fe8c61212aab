/**
 * Coverage of the contract: which documented statuses of which operations a run exercised, per target.
 *
 * The validating client attaches a test's exchanges as data (`_contract-exchanges`, application/json:
 * operation, status, in the contract or not); the target is the project name without `-serial`. Only
 * tests that passed count as exercising a status (their every answer was checked against the
 * contract), but any test touching an operation puts it in scope: an operation no selected test called
 * (a filtered run) is "not run", not a gap. A status is counted under the key that documents it: the
 * exact code first, then its `NXX` range (`documentedStatus`). Statuses a target cannot show are
 * listed, with the reason, in reporters/coverage-exemptions.ts. Each exercised cell names the tests
 * that covered it (linked to their source in coverage.md).
 *
 * At the end of the run: a compact table on stdout, `reports/coverage.json` and `reports/coverage.md`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { documentedStatus, operationLabel, operations as contractOperations, type Operation } from '../contract/index.ts';
import { EXCHANGES_ATTACHMENT, type ExchangeSeen } from '../fixtures/attachments.ts';
import { COVERAGE_EXEMPTIONS, type CoverageExemption } from './coverage-exemptions.ts';

/** A test, as a cell names it. */
export interface TestRef {
  title: string;
  /** Source file (absolute, or as the reporter got it) and line. */
  file: string;
  line: number;
}

/** What one test showed: its target, whether it passed, and its exchanges. */
export interface Observation {
  target: string;
  /** Default true. A failed test puts its operations in scope but exercises nothing. */
  passed?: boolean;
  test?: TestRef;
  exchanges: readonly ExchangeSeen[];
}

export type CellState = 'exercised' | 'exempt' | 'missing' | 'not-run';

export interface Cell {
  state: CellState;
  /** How many exchanges answered this documented status. */
  count: number;
  /** The concrete statuses counted under a range key such as `4XX`. */
  seen?: number[];
  /** Why the status is exempt on this target. */
  why?: string;
  /** The tests that exercised it. */
  tests?: TestRef[];
}

export interface OperationCoverage {
  operation: string;
  operationId: string;
  /** Documented status -> target -> cell, in the document's order. */
  statuses: Record<string, Record<string, Cell>>;
}

export interface TargetSummary {
  documented: number;
  exercised: number;
  exempt: number;
  missing: number;
  /** Documented statuses of operations no test of this run called on the target. */
  notRun: number;
}

export interface CoverageMatrix {
  targets: string[];
  summary: Record<string, TargetSummary>;
  operations: OperationCoverage[];
  /** `operation status` pairs neither exercised nor exempt, of operations the run called, per target. */
  missing: Record<string, string[]>;
  /** Operations no test of the run called, per target (a filtered run): not gaps. */
  notRun: Record<string, string[]>;
  /** Exchanges with a status the operation does not document (a passed test cannot have them: a bug here). */
  undocumented: Record<string, Record<string, number>>;
  /** Exchanges outside the contract (wrong method, unknown path): `METHOD /path -> status` -> count. */
  outsideContract: Record<string, Record<string, number>>;
  /** Exemptions that do not apply: unknown operation or status, or the status was exercised after all. */
  staleExemptions: { exemption: CoverageExemption; problem: string }[];
}

/** `emulator-serial` -> `emulator`. */
export function targetOfProject(projectName: string): string {
  return projectName.replace(/-serial$/, '');
}

function increment(table: Record<string, Record<string, number>>, target: string, key: string): void {
  const row = (table[target] ??= {});
  row[key] = (row[key] ?? 0) + 1;
}

/** The pure aggregation: observations of passed tests, the contract and the exemptions -> the matrix. */
export function buildCoverage(input: {
  operations: readonly Operation[];
  targets: readonly string[];
  observations: readonly Observation[];
  exemptions?: readonly CoverageExemption[];
}): CoverageMatrix {
  const targets = [...input.targets];
  const exemptions = input.exemptions ?? [];
  const byLabel = new Map(input.operations.map((op) => [operationLabel(op), op]));

  // operation -> documented key -> target -> concrete statuses seen, and the tests that saw them
  const seen = new Map<string, Map<string, Map<string, { statuses: number[]; tests: TestRef[] }>>>();
  /** `target operation` pairs some test called, passed or not. */
  const touched = new Set<string>();
  const undocumented: CoverageMatrix['undocumented'] = {};
  const outsideContract: CoverageMatrix['outsideContract'] = {};
  for (const { target, exchanges, passed = true, test } of input.observations) {
    for (const exchange of exchanges) {
      touched.add(`${target} ${exchange.operation}`);
      if (!passed) continue;
      const name = `${exchange.operation} -> ${exchange.status}`;
      const operation = exchange.inContract ? byLabel.get(exchange.operation) : undefined;
      if (!operation) {
        increment(outsideContract, target, name);
        continue;
      }
      const key = documentedStatus(operation, exchange.status);
      if (key === undefined) {
        increment(undocumented, target, name);
        continue;
      }
      const byKey = seen.get(exchange.operation) ?? new Map<string, Map<string, { statuses: number[]; tests: TestRef[] }>>();
      seen.set(exchange.operation, byKey);
      const byTarget = byKey.get(key) ?? new Map<string, { statuses: number[]; tests: TestRef[] }>();
      byKey.set(key, byTarget);
      const entry = byTarget.get(target) ?? { statuses: [], tests: [] };
      byTarget.set(target, entry);
      entry.statuses.push(exchange.status);
      if (test && !entry.tests.some((t) => t.file === test.file && t.line === test.line && t.title === test.title)) entry.tests.push(test);
    }
  }

  const exemptionFor = (target: string, label: string, status: string) =>
    exemptions.find((e) => e.target === target && e.status === status && (e.operation === label || e.operation === '*'));

  const summary: CoverageMatrix['summary'] = {};
  const missing: CoverageMatrix['missing'] = {};
  const notRun: CoverageMatrix['notRun'] = {};
  for (const target of targets) {
    summary[target] = { documented: 0, exercised: 0, exempt: 0, missing: 0, notRun: 0 };
    missing[target] = [];
    notRun[target] = [];
  }
  for (const operation of input.operations) {
    for (const target of targets) if (!touched.has(`${target} ${operationLabel(operation)}`)) notRun[target]?.push(operationLabel(operation));
  }
  const staleExemptions: CoverageMatrix['staleExemptions'] = [];
  const usedExemptions = new Set<CoverageExemption>();

  const operations: OperationCoverage[] = input.operations.map((operation) => {
    const label = operationLabel(operation);
    const statuses: OperationCoverage['statuses'] = {};
    for (const status of Object.keys(operation.responses)) {
      const row: Record<string, Cell> = {};
      for (const target of targets) {
        const entry = seen.get(label)?.get(status)?.get(target);
        const observed = entry?.statuses ?? [];
        const exemption = exemptionFor(target, label, status);
        if (exemption) usedExemptions.add(exemption);
        const tally = summary[target] as TargetSummary;
        tally.documented++;
        let cell: Cell;
        if (observed.length > 0) {
          cell = { state: 'exercised', count: observed.length };
          if (status.endsWith('XX')) cell.seen = [...new Set(observed)].sort((a, b) => a - b);
          if (entry && entry.tests.length > 0) cell.tests = entry.tests;
          tally.exercised++;
          if (exemption) staleExemptions.push({ exemption, problem: `${label} ${status} was exercised on ${target} after all` });
        } else if (exemption) {
          cell = { state: 'exempt', count: 0, why: exemption.why };
          tally.exempt++;
        } else if (!touched.has(`${target} ${label}`)) {
          cell = { state: 'not-run', count: 0 };
          tally.notRun++;
        } else {
          cell = { state: 'missing', count: 0 };
          tally.missing++;
          missing[target]?.push(`${label} ${status}`);
        }
        row[target] = cell;
      }
      statuses[status] = row;
    }
    return { operation: label, operationId: operation.operationId, statuses };
  });

  for (const exemption of exemptions) {
    if (usedExemptions.has(exemption) || !targets.includes(exemption.target)) continue;
    const problem =
      exemption.operation !== '*' && !byLabel.has(exemption.operation)
        ? `the contract has no operation ${exemption.operation}`
        : `no operation ${exemption.operation === '*' ? '' : `${exemption.operation} `}documents ${exemption.status}`;
    staleExemptions.push({ exemption, problem });
  }

  return { targets, summary, operations, missing, notRun, undocumented, outsideContract, staleExemptions };
}

const MARK: Record<CellState, string> = { exercised: '✓', exempt: '~', missing: '✗', 'not-run': '·' };

function cellsOf(coverage: OperationCoverage, target: string): string {
  return Object.entries(coverage.statuses)
    .map(([status, row]) => `${status}${MARK[row[target]?.state ?? 'missing']}`)
    .join(' ');
}

function summaryLine(target: string, s: TargetSummary): string {
  const notRun = s.notRun > 0 ? `, ${s.notRun} not run (operations this run did not call)` : '';
  return `${target}: ${s.exercised}/${s.documented} documented statuses exercised, ${s.exempt} exempt, ${s.missing} missing${notRun}`;
}

/** The compact table printed at the end of a run: one line per operation, one column per target. */
export function formatTable(matrix: CoverageMatrix): string {
  const width = Math.max(...matrix.operations.map((o) => o.operation.length)) + 2;
  const columns = matrix.targets.map((target) => ({
    target,
    width: Math.max(target.length, ...matrix.operations.map((o) => cellsOf(o, target).length)) + 2,
  }));
  const lines = [
    'Contract coverage: documented statuses per operation (✓ exercised, ~ exempt, ✗ missing, · not called by this run)',
    `${'operation'.padEnd(width)}${columns.map((c) => c.target.padEnd(c.width)).join('')}`.trimEnd(),
    ...matrix.operations.map((o) => `${o.operation.padEnd(width)}${columns.map((c) => cellsOf(o, c.target).padEnd(c.width)).join('')}`.trimEnd()),
    ...matrix.targets.map((target) => summaryLine(target, matrix.summary[target] as TargetSummary)),
  ];
  for (const target of matrix.targets) {
    const gaps = matrix.missing[target] ?? [];
    if (gaps.length > 0) lines.push(`missing on ${target}: ${gaps.join(', ')}`);
    const notRun = matrix.notRun[target] ?? [];
    if (notRun.length > 0) lines.push(`not called by this run on ${target} (not gaps): ${notRun.length} operation${notRun.length === 1 ? '' : 's'}`);
  }
  for (const { problem } of matrix.staleExemptions) lines.push(`stale exemption: ${problem}`);
  return lines.join('\n');
}

/** How many tests a cell links to before it says "and N more". */
const LINKED_TESTS = 3;

function describeCell(cell: Cell | undefined, footnote: (why: string) => number, link: (test: TestRef) => string): string {
  if (!cell || cell.state === 'missing') return '✗ missing';
  if (cell.state === 'not-run') return '· not run';
  if (cell.state === 'exempt') return `~ exempt [${footnote(cell.why ?? '')}]`;
  const tests = cell.tests ?? [];
  const links = tests.slice(0, LINKED_TESTS).map((t) => `[${t.title.replace(/[[\]|]/g, ' ')}](${link(t)})`);
  if (tests.length > LINKED_TESTS) links.push(`+${tests.length - LINKED_TESTS}`);
  return `✓ ${cell.count}${cell.seen ? ` (${cell.seen.join(', ')})` : ''}${links.length > 0 ? `: ${links.join(', ')}` : ''}`;
}

/**
 * The readable report: summary, one row per operation and documented status (each exercised cell
 * linked to the tests that covered it; `link` makes a test's link, relative to the report), the
 * reasons for exemptions, the gaps and the operations the run did not call.
 */
export function formatMarkdown(matrix: CoverageMatrix, generatedAt = new Date().toISOString(), link: (test: TestRef) => string = (t) => `${t.file}#L${t.line}`): string {
  const reasons: string[] = [];
  const footnote = (why: string) => {
    const index = reasons.indexOf(why);
    if (index >= 0) return index + 1;
    reasons.push(why);
    return reasons.length;
  };
  const lines = [
    '# Contract coverage',
    '',
    `Documented statuses of every operation of \`schemas/openapi.yaml\` exercised by the tests that passed, per target (${generatedAt}).`,
    'A count is the number of exchanges; under a range such as `4XX` the statuses seen are in brackets.',
    '',
    ...matrix.targets.map((target) => `- ${summaryLine(target, matrix.summary[target] as TargetSummary)}`),
    '',
    `| operation | status | ${matrix.targets.join(' | ')} |`,
    `|---|---|${matrix.targets.map(() => '---|').join('')}`,
  ];
  for (const o of matrix.operations) {
    for (const [status, row] of Object.entries(o.statuses)) {
      lines.push(`| \`${o.operation}\` | ${status} | ${matrix.targets.map((t) => describeCell(row[t], footnote, link)).join(' | ')} |`);
    }
  }
  if (reasons.length > 0) {
    lines.push('', '## Why a status is exempt', '', ...reasons.map((why, i) => `${i + 1}. ${why}`));
  }
  const missing = matrix.targets.flatMap((t) => (matrix.missing[t] ?? []).map((gap) => `- ${t}: \`${gap}\``));
  if (missing.length > 0) lines.push('', '## Missing', '', ...missing);
  const notRun = matrix.targets.flatMap((t) => (matrix.notRun[t] ?? []).map((op) => `- ${t}: \`${op}\``));
  if (notRun.length > 0) lines.push('', '## Not called by this run (a filtered run; not gaps)', '', ...notRun);
  const outside = matrix.targets.flatMap((t) => Object.entries(matrix.outsideContract[t] ?? {}).map(([name, n]) => `- ${t}: \`${name}\` (${n})`));
  if (outside.length > 0) lines.push('', '## Outside the contract (negative tests)', '', ...outside);
  const undocumented = matrix.targets.flatMap((t) => Object.entries(matrix.undocumented[t] ?? {}).map(([name, n]) => `- ${t}: \`${name}\` (${n})`));
  if (undocumented.length > 0) lines.push('', '## Undocumented statuses seen', '', ...undocumented);
  if (matrix.staleExemptions.length > 0) lines.push('', '## Stale exemptions', '', ...matrix.staleExemptions.map((s) => `- ${s.problem}`));
  return `${lines.join('\n')}\n`;
}

export interface CoverageReporterOptions {
  /** Where coverage.json and coverage.md go, relative to the config file; default `reports`. */
  outputDir?: string;
}

export default class CoverageReporter implements Reporter {
  private readonly observations: Observation[] = [];
  private targets: string[] = [];
  private outputDir = 'reports';

  constructor(private readonly options: CoverageReporterOptions = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    const root = config.configFile ? dirname(config.configFile) : process.cwd();
    this.outputDir = resolve(root, this.options.outputDir ?? 'reports');
    const projects = suite.suites.map((s) => s.project()?.name).filter((name): name is string => name !== undefined);
    this.targets = [...new Set(projects.map(targetOfProject))];
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project()?.name;
    if (!project) return;
    const exchanges = result.attachments.filter((a) => a.name === EXCHANGES_ATTACHMENT).flatMap((a) => readJsonAttachment<ExchangeSeen[]>(a) ?? []);
    if (exchanges.length === 0) return;
    this.observations.push({
      target: targetOfProject(project),
      passed: result.status === 'passed',
      test: { title: test.titlePath().slice(3).join(' > ') || test.title, file: test.location.file, line: test.location.line },
      exchanges,
    });
  }

  onEnd(_result: FullResult): void {
    if (this.targets.length === 0) return;
    const matrix = buildCoverage({ operations: contractOperations, targets: this.targets, observations: this.observations, exemptions: COVERAGE_EXEMPTIONS });
    mkdirSync(this.outputDir, { recursive: true });
    const generatedAt = new Date().toISOString();
    writeFileSync(join(this.outputDir, 'coverage.json'), `${JSON.stringify({ generatedAt, ...matrix }, null, 2)}\n`);
    const link = (t: TestRef) => `${relative(this.outputDir, t.file).split('\\').join('/')}#L${t.line}`;
    writeFileSync(join(this.outputDir, 'coverage.md'), formatMarkdown(matrix, generatedAt, link));
    const where = relative(process.cwd(), join(this.outputDir, 'coverage.md')) || 'coverage.md';
    console.log(`\n${formatTable(matrix)}\n(details: ${where})`);
  }
}

/** The JSON of an attachment (a body in memory, or a file); undefined when there is none or it is not JSON. */
export function readJsonAttachment<T>(attachment: TestResult['attachments'][number]): T | undefined {
  try {
    const text = attachment.body ? attachment.body.toString('utf8') : attachment.path ? readFileSync(attachment.path, 'utf8') : undefined;
    return text === undefined ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}
