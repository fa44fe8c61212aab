/**
 * JUnit XML for CI dashboards (reports/junit.xml).
 *
 *  - Every test name starts with its target, `[emulator] x.spec.ts › title`: a dashboard that keys
 *    tests by name never merges the prism and emulator results of one flow. `classname` is
 *    `<target>.<spec file>` for the same reason; each project is its own <testsuite> (`emulator` and
 *    `emulator-serial` are both the emulator target).
 *  - A test that found the API wrong (an expect() or a contract check) is a <failure>; <error> is kept
 *    for a test that could not run to a verdict: it timed out, its worker crashed, a server did not answer.
 *  - A skipped test carries its reason; a known deviation (expected to fail, and failed) passes.
 * Text is already redacted by the time it reaches a reporter (at its source; fixtures/report-guard.ts for what Playwright writes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { FullConfig, Reporter, Suite, TestError } from '@playwright/test/reporter';

export interface JUnitOptions {
  outputFile?: string;
}

const NOT_A_VERDICT = /Test timeout of \d+ms exceeded|Worker process exited|Target page, context or browser has been closed|ECONNREFUSED|ECONNRESET|socket hang up|apiRequestContext\.\w+: (?:connect|read|Timeout)/;
// eslint-disable-next-line no-control-regex -- colour codes Playwright puts in messages
const ANSI = /\u001b\[[0-9;]*m/g;

const xml = (text: string) =>
  text
    .replace(ANSI, '')
    // eslint-disable-next-line no-control-regex -- characters XML 1.0 cannot hold
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const errorText = (error: TestError) => (error.message ?? error.value ?? '').replace(ANSI, '');

/** `failure` when the API was found wrong, `error` when the test could not reach a verdict. */
export function classify(errors: TestError[]): 'failure' | 'error' {
  return errors.length > 0 && errors.every((e) => NOT_A_VERDICT.test(errorText(e))) ? 'error' : 'failure';
}

export default class JUnitReporter implements Reporter {
  private config!: FullConfig;
  private suite!: Suite;
  private readonly started = new Date();

  constructor(private readonly options: JUnitOptions = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
  }

  onEnd(): void {
    const file = resolve(this.config.configFile ? dirname(this.config.configFile) : process.cwd(), process.env.PLAYWRIGHT_JUNIT_OUTPUT_FILE || this.options.outputFile || join(process.env.CONTRACT_REPORTS_DIR || 'reports', 'junit.xml'));
    const suites: string[] = [];
    let total = 0;
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    let time = 0;
    for (const project of this.suite.suites) {
      // The target, not the project: the serial tests of `emulator-serial` are emulator tests.
      const target = String((project.project()?.use as { targetName?: string } | undefined)?.targetName ?? project.title);
      const cases: string[] = [];
      const counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
      for (const test of project.allTests()) {
        const spec = relative(this.config.rootDir, test.location.file);
        const name = `[${target}] ${spec} › ${test.titlePath().slice(3).join(' › ')}`;
        const seconds = test.results.reduce((sum, r) => sum + r.duration, 0) / 1000;
        counts.tests++;
        counts.time += seconds;
        let body = '';
        const outcome = test.outcome();
        if (outcome === 'skipped') {
          counts.skipped++;
          const reason = test.annotations.find((a) => a.type === 'skip' || a.type === 'fixme')?.description ?? 'skipped';
          body = `<skipped message="${xml(reason)}"/>`;
        } else if (outcome === 'unexpected' || outcome === 'flaky') {
          const last = test.results[test.results.length - 1];
          const testErrors = last?.errors ?? [];
          const kind = outcome === 'flaky' ? undefined : classify(testErrors);
          if (kind) {
            counts[kind === 'failure' ? 'failures' : 'errors']++;
            const text = testErrors.map(errorText).join('\n\n') || `ended ${last?.status ?? 'without a result'}`;
            const first = text.split('\n')[0] ?? '';
            body = `<${kind} message="${xml(first.slice(0, 300))}" type="${kind === 'failure' ? 'ContractFailure' : 'NoVerdict'}">${xml(text)}</${kind}>`;
          }
        }
        const out = test.results.flatMap((r) => r.stdout.map(String)).join('');
        const err = test.results.flatMap((r) => r.stderr.map(String)).join('');
        if (out) body += `<system-out>${xml(out)}</system-out>`;
        if (err) body += `<system-err>${xml(err)}</system-err>`;
        cases.push(`    <testcase name="${xml(name)}" classname="${xml(`${target}.${spec}`)}" time="${seconds.toFixed(3)}">${body}</testcase>`);
      }
      total += counts.tests;
      failures += counts.failures;
      errors += counts.errors;
      skipped += counts.skipped;
      time += counts.time;
      suites.push(
        `  <testsuite name="${xml(project.title)}" hostname="${xml(target)}" timestamp="${this.started.toISOString()}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${counts.time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`,
      );
    }
    const document = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="contract" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, document);
  }
}
