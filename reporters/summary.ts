/**
 * The end-of-run verdict, per target (project): what passed, what is a known deviation, what failed,
 * and why tests were skipped, grouped by reason. For CI and QA reading a console log:
 *
 *   contract summary
 *     live: 14 passed, 1 known deviation, 0 failed, 21 skipped
 *       skipped 13: creates, changes or deletes accounts: set CLOUDBASE_ALLOW_DESTRUCTIVE=1 ...
 *       known deviation: a refresh rotates ... (expires_in comes back as a string; deviations/my-env.yaml#1)
 *     deviations not seen in this run (fixed? remove them): deviations/my-env.yaml#2 POST /auth/v1/...
 *
 * A live run that verified nothing (every live test skipped) fails: a nightly job whose configuration
 * lost its secrets must not go green. Shards are judged after merging (`merge-reports`), not alone.
 */
import type { FullConfig, FullResult, Reporter, Suite, TestCase } from '@playwright/test/reporter';
import { DEPARTURES_ATTACHMENT, type DeparturesReport } from '../fixtures/attachments.ts';
import { loadConfig, type TargetName } from '../fixtures/config.ts';
import { deviationsPathFor, KNOWN_DEVIATION, loadDeviations } from '../fixtures/deviations.ts';
import { readJsonAttachment } from './coverage.ts';

interface Tally {
  passed: number;
  known: number;
  failed: number;
  flaky: number;
  skipped: Map<string, number>;
  knownLines: string[];
  targetName?: TargetName;
}

export default class SummaryReporter implements Reporter {
  private config?: FullConfig;
  private suite?: Suite;

  printsToStdio(): boolean {
    return true;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
  }

  onEnd(result: FullResult): { status: FullResult['status'] } | undefined {
    if (!this.suite || !this.config) return undefined;
    // `--list`, or a run stopped before any test: nothing to judge.
    if (this.suite.allTests().every((test) => test.results.length === 0)) return undefined;
    const tallies = new Map<string, Tally>();
    const seenSources = new Set<string>();
    for (const test of this.suite.allTests()) {
      const project = test.parent.project();
      // `live-serial` and `live` are one target.
      const name = (project?.name ?? 'default').replace(/-serial$/, '');
      let tally = tallies.get(name);
      if (!tally) {
        tally = { passed: 0, known: 0, failed: 0, flaky: 0, skipped: new Map(), knownLines: [], targetName: (project?.use as { targetName?: TargetName } | undefined)?.targetName };
        tallies.set(name, tally);
      }
      this.count(tally, test, seenSources);
    }
    if (tallies.size === 0) return undefined;

    const lines = ['', 'contract summary'];
    for (const [name, t] of tallies) {
      const skipped = [...t.skipped.values()].reduce((a, b) => a + b, 0);
      lines.push(`  ${name}: ${t.passed} passed, ${t.known} known deviation${t.known === 1 ? '' : 's'}, ${t.failed} failed${t.flaky ? `, ${t.flaky} flaky` : ''}, ${skipped} skipped`);
      for (const [reason, count] of t.skipped) lines.push(`    skipped ${count}: ${reason}`);
      for (const line of t.knownLines) lines.push(`    known deviation: ${line}`);
    }

    const sharded = Boolean(this.config.shard);
    if (!sharded && result.status !== 'interrupted') {
      const stale = this.staleDeviations(tallies, seenSources);
      if (stale.length > 0) lines.push(`  deviations not seen in this run (fixed? remove them): ${stale.join('; ')}`);
    }

    let verdict: FullResult['status'] | undefined;
    const live = [...tallies.entries()].filter(([, t]) => t.targetName === 'live');
    for (const [name, t] of live) {
      const total = t.passed + t.known + t.failed + t.flaky + [...t.skipped.values()].reduce((a, b) => a + b, 0);
      if (!sharded && result.status === 'passed' && total > 0 && t.passed + t.known + t.flaky === 0) {
        lines.push(`  ${name}: nothing was verified on the live environment (every test was skipped, reasons above): this run fails.`);
        verdict = 'failed';
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return verdict ? { status: verdict } : undefined;
  }

  private count(tally: Tally, test: TestCase, seenSources: Set<string>): void {
    const outcome = test.outcome();
    const last = test.results[test.results.length - 1];
    // Annotations made while the test ran are on the result; static ones (test.skip in a title) on the test.
    const seen = new Set<string>();
    const annotations = [...test.annotations, ...(last?.annotations ?? [])].filter((a) => {
      const key = `${a.type}\u0000${a.description ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const knownNotes = annotations.filter((a) => a.type === KNOWN_DEVIATION);
    if (outcome === 'skipped') {
      const reason = annotations.find((a) => a.type === 'skip')?.description ?? (last ? 'skipped' : 'did not run');
      tally.skipped.set(reason, (tally.skipped.get(reason) ?? 0) + 1);
    } else if (outcome === 'expected' && last?.status === 'failed' && knownNotes.length > 0) {
      tally.known++;
      for (const note of knownNotes) tally.knownLines.push(`${test.title} (${note.description ?? ''})`);
      // Which entries matched, as data (the fixture's departures attachment), for the "not seen" list.
      for (const attachment of last.attachments.filter((a) => a.name === DEPARTURES_ATTACHMENT)) {
        for (const entry of readJsonAttachment<DeparturesReport>(attachment)?.knownDeviations ?? []) seenSources.add(entry.source);
      }
    } else if (outcome === 'expected') tally.passed++;
    else if (outcome === 'flaky') tally.flaky++;
    else tally.failed++;
  }

  /** Entries of the deviations files of the targets that ran which matched nothing. */
  private staleDeviations(tallies: Map<string, Tally>, seen: Set<string>): string[] {
    let suiteConfig;
    try {
      suiteConfig = loadConfig();
    } catch {
      return [];
    }
    const stale: string[] = [];
    const targets = new Set([...tallies.values()].map((t) => t.targetName).filter((t): t is TargetName => t !== undefined));
    for (const target of targets) {
      let entries;
      try {
        entries = loadDeviations(deviationsPathFor(target, suiteConfig));
      } catch {
        continue; // a broken file already failed the run, with its problems listed
      }
      for (const entry of entries) {
        if (!seen.has(entry.source)) stale.push(`${entry.source} ${[entry.operation, entry.check, entry.status, entry.test].filter(Boolean).join(' ')}`);
      }
    }
    return stale;
  }
}
