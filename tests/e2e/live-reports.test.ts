/**
 * The live code path, the reports and the redaction, end to end and without internet.
 *
 * Three emulators: A serves the emulator target's @serial tests, C its other tests, B poses as a live
 * environment (configured only through CLOUDBASE_* variables, codes read by a command,
 * CLOUDBASE_ALLOW_DESTRUCTIVE=1, the contract monitor on in shard 1 and the failing run). A recording
 * proxy in front of each writes down every secret that crosses the wire.
 *
 *  1. Every flow of specs/ runs on the live target, and the emulator target's @serial tests beside
 *     them, in two shards (`--shard=i/2`, blob reports), merged into one report with `merge-reports`:
 *     every test is in it exactly once. The emulator target's other tests run at the same time.
 *  2. The live run passes, deletes every account it created and leaves the test account as it was.
 *  3. A second run (tests/e2e/leaky) fails on purpose with secrets in expect() messages, console
 *     output, thrown and step errors, and with contract drift: a listed drift is a known deviation,
 *     an unlisted one fails; the live guards hold.
 *  4. Every output of every run (console, HTML with its embedded zip, JUnit, JSON, blobs, test-results,
 *     the ledger) is searched for every secret value the runs used (the suite's own list, dumped by
 *     CONTRACT_SECRETS_DUMP, plus what the recorders saw): nothing may be found.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ledger } from '../../fixtures/live.ts';
import { configureEmulator, freePort, startEmulatedLive, startEmulatorProcess, type EmulatedLive, type RunningEmulator } from '../../scripts/emulated-live.ts';
import { formatFindings, readSecretsDump, scanForSecrets } from '../../scripts/secret-scan.ts';
import { readZip } from '../../scripts/zip-reader.ts';
import { holds, reportedTests, ROOT, runPlaywright, startRecorder, type Recorder, type ReportedTest, type RunResult } from './harness.ts';

/**
 * The projects of the sharded run: the live target with every spec file (the live code path in full),
 * and the emulator target's @serial tests (two targets in one merged report, and the serial tests in
 * the one-worker shard).
 */
const PROJECTS = ['--project=emulator-serial', '--project=live'];
/**
 * The emulator target's other tests of the top-level spec files run beside the shards, on an emulator
 * of their own (C: the serial tests change settings every session on A sees), with every exchange
 * attached: their outputs are searched for secrets too, and the flows the live target skips (codes to
 * generated recipients, faults, the clock) are among them. (All of them run in `contract:local`.)
 */
const EMULATOR_RUN = ['--project=emulator', '--grep-invert', '@serial', '--workers=2', 'specs/[^/]*\\.spec\\.ts$'];

let out: string;
let live: EmulatedLive;
let emulator: RunningEmulator;
let emulatorC: RunningEmulator;
let recorderA: Recorder;
let recorderB: Recorder;
let recorderC: Recorder;
let emulatorRun: RunResult;
let emulatorRunTests: ReportedTest[];
let env: Record<string, string>;
let listed: ReportedTest[];
const shards: { run: RunResult; tests: ReportedTest[] }[] = [];
let merge: RunResult;
let merged: ReportedTest[];
let leaky: RunResult;
let leakyTests: ReportedTest[];
let statsB: Record<string, number>;
/** What the emulator target's two emulators (A, C) hold at the end of the runs: stats and users export. */
let emulatorsLeft: { name: string; stats: Record<string, number>; users: { username?: string; phone_number?: string; email?: string; providers?: unknown[] }[] }[];
/** Every recorder: A and C in front of the emulator target, B in front of the emulated live environment. */
const recorders = () => [recorderA, recorderB, recorderC];
let failed = false;

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { suites: never[]; stats: Record<string, number> };
const reportEnv = (dir: string) => ({
  CONTRACT_REPORTS_DIR: dir,
  PLAYWRIGHT_HTML_OUTPUT_DIR: join(dir, 'html'),
  PLAYWRIGHT_JUNIT_OUTPUT_FILE: join(dir, 'junit.xml'),
  PLAYWRIGHT_JSON_OUTPUT_FILE: join(dir, 'results.json'),
  PLAYWRIGHT_BLOB_OUTPUT_DIR: join(dir, 'blob'),
});

describe('the live target against the emulator: shards, reports, known deviations, redaction', () => {
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'contract-e2e-'));
    [live, emulator, emulatorC] = await Promise.all([
      startEmulatedLive({ resendIntervalSeconds: 0, codeResendSeconds: 0.2, workDir: join(out, 'work') }),
      startEmulatorProcess(),
      startEmulatorProcess(),
    ]);
    await Promise.all([configureEmulator(emulator.url, { resend_interval_seconds: 0 }), configureEmulator(emulatorC.url, { resend_interval_seconds: 0 })]);
    [recorderA, recorderB, recorderC] = await Promise.all([startRecorder(emulator.url), startRecorder(live.emulatorURL), startRecorder(emulatorC.url)]);
    env = {
      ...live.env,
      CONTRACT_TARGET: 'emulator,live',
      EMULATOR_URL: recorderA.url,
      CLOUDBASE_BASE_URL: recorderB.url,
      EMULATOR_CONTROL_URL: recorderB.url,
      CONTRACT_MONITOR: '1',
      CONTRACT_MONITOR_PORT: String(await freePort()),
      CONTRACT_SECRETS_DUMP: join(out, 'secrets'),
      FAKER_SEED: '20261127',
    };

    const list = await runPlaywright(['test', '--list', '--reporter=json', ...PROJECTS], env);
    assert.equal(list.code, 0, list.stderr);
    listed = reportedTests(JSON.parse(list.stdout));

    // The two shards run at once, as on two machines (each with its own contract monitor port).
    const ports = [await freePort(), await freePort()];
    const emulatorDir = join(out, 'emulator-run');
    const emulatorRunning = runPlaywright(
      ['test', ...EMULATOR_RUN, `--output=${join(emulatorDir, 'test-results')}`],
      { ...env, ...reportEnv(emulatorDir), CONTRACT_TARGET: 'emulator', EMULATOR_URL: recorderC.url, CONTRACT_EXCHANGES: 'all' },
      join(emulatorDir, 'console'),
    );
    const runs = await Promise.all(
      [1, 2].map((i) => {
        const dir = join(out, `shard-${i}`);
        // Shard 1 attaches every exchange (CONTRACT_EXCHANGES=all), shard 2 only a failed test's: the scan sees both.
        // The contract monitor (prism proxy) is on in shard 1 only: shard 2 shows the live target without it.
        const shardEnv = { ...env, ...reportEnv(dir), CONTRACT_MONITOR: i === 1 ? '1' : '0', CONTRACT_MONITOR_PORT: String(ports[i - 1]), CONTRACT_EXCHANGES: i === 1 ? 'all' : 'failures' };
        // Shard 1 holds the emulator target's @serial tests, which change settings every session on that
        // emulator sees: one worker, as the README says for a sharded run. Shard 2 runs two workers: the
        // live flows of both shards then compete for the test phone and email (fixtures/live.ts locks).
        const workers = i === 1 ? 1 : 2;
        return runPlaywright(['test', `--shard=${i}/2`, `--workers=${workers}`, `--output=${join(dir, 'test-results')}`, ...PROJECTS], shardEnv, join(dir, 'console'));
      }),
    );
    emulatorRun = await emulatorRunning;
    emulatorRunTests = existsSync(join(emulatorDir, 'results.json')) ? reportedTests(readJson(join(emulatorDir, 'results.json'))) : [];
    for (const [index, run] of runs.entries()) {
      const results = join(out, `shard-${index + 1}`, 'results.json');
      shards.push({ run, tests: existsSync(results) ? reportedTests(readJson(results)) : [] });
    }
    mkdirSync(join(out, 'blobs'));
    for (const i of [1, 2]) for (const file of readdirSync(join(out, `shard-${i}`, 'blob'))) cpSync(join(out, `shard-${i}`, 'blob', file), join(out, 'blobs', file));
    merge = await runPlaywright(['merge-reports', '--config', 'playwright.config.ts', join(out, 'blobs')], { ...env, ...reportEnv(join(out, 'merged')) }, join(out, 'merged', 'console'));
    merged = existsSync(join(out, 'merged', 'results.json')) ? reportedTests(readJson(join(out, 'merged', 'results.json'))) : [];

    // The failing run: the emulator now limits codes (1 s), the suite does not pace them, so a rate limit happens.
    await configureEmulator(live.emulatorURL, { resend_interval_seconds: 1 });
    const leakyDir = join(out, 'leaky');
    leaky = await runPlaywright(
      ['test', '--config', 'tests/e2e/leaky.config.ts', '--workers=1', `--output=${join(leakyDir, 'test-results')}`],
      { ...env, ...reportEnv(leakyDir), CONTRACT_TARGET: 'live', CONTRACT_DEVIATIONS: 'tests/e2e/leaky/deviations.yaml', CLOUDBASE_CODE_RESEND_SECONDS: '0' },
      join(leakyDir, 'console'),
    );
    leakyTests = existsSync(join(leakyDir, 'results.json')) ? reportedTests(readJson(join(leakyDir, 'results.json'))) : [];
    const leftIn = async (name: string, url: string) => ({
      name,
      stats: (await fetch(`${url}/__emulator/stats`).then((r) => r.json())) as Record<string, number>,
      users: ((await fetch(`${url}/__emulator/users/export`).then((r) => r.json())) as { users: (typeof emulatorsLeft)[number]['users'] }).users,
    });
    [statsB, emulatorsLeft] = await Promise.all([live.stats(), Promise.all([leftIn('A (serial tests)', emulator.url), leftIn('C (the other emulator tests)', emulatorC.url)])]);
  });

  after(async () => {
    await Promise.all(recorders().map((recorder) => recorder?.close()));
    await Promise.all([live?.close(), emulator?.close(), emulatorC?.close()]);
    if (failed) console.log(`e2e outputs kept in ${out}`);
    else if (out) rmSync(out, { recursive: true, force: true });
  });

  const check = (name: string, fn: () => void | Promise<void>) =>
    it(name, async () => {
      try {
        await fn();
      } catch (error) {
        failed = true;
        throw error;
      }
    });

  check('two shards run disjoint halves and merge into one report holding every test once', () => {
    const ids = (tests: ReportedTest[]) => tests.map((t) => t.id);
    for (const [i, shard] of shards.entries()) assert.equal(shard.run.code, 0, `shard ${i + 1} failed (its console output is kept in shard-${i + 1}/console.stdout.txt)`);
    assert.equal(merge.code, 0, merge.stderr);
    const [one, two] = shards.map((s) => new Set(ids(s.tests)));
    assert.ok(one && two && one.size > 0 && two.size > 0, 'both shards ran tests');
    assert.deepEqual([...one].filter((id) => two.has(id)), [], 'no test ran in both shards');
    const all = new Set(ids(listed));
    assert.ok(all.size > 100, `the flows on two targets: ${all.size} tests`);
    assert.deepEqual(new Set([...one, ...two]), all, 'the shards together ran every listed test');
    const serial = listed.filter((t) => t.project === 'emulator-serial').map((t) => t.id);
    assert.ok(serial.length > 0 && serial.every((id) => one.has(id)), 'every @serial test ran in shard 1, the one-worker shard');
    assert.deepEqual(ids(merged).sort(), [...all].sort(), 'the merged JSON report holds every test exactly once');
    console.log(`shards: ${one.size} + ${two.size} tests (${shards.map((s) => `${Math.round(s.run.ms / 1000)} s`).join(', ')}), merged: ${all.size}, merge ${Math.round(merge.ms / 1000)} s, failing run ${Math.round(leaky.ms / 1000)} s`);
    const junit = readFileSync(join(out, 'merged', 'junit.xml'), 'utf8');
    assert.equal((junit.match(/<testcase /g) ?? []).length, all.size, 'the merged JUnit report holds every test');
    const html = readFileSync(join(out, 'merged', 'html', 'index.html'), 'utf8');
    const embedded = /id="playwrightReportBase64"[^>]*>data:application\/zip;base64,([^<]+)</.exec(html)?.[1] ?? '';
    const report = readZip(Buffer.from(embedded, 'base64')).find((e) => e.name === 'report.json');
    assert.equal((JSON.parse(report?.data.toString() ?? '{}') as { stats: { total: number } }).stats.total, all.size, 'the merged HTML report holds every test');
  });

  check('the emulator target\'s other tests pass beside the shards, on an emulator of their own', () => {
    assert.equal(emulatorRun.code, 0, `the emulator run failed (its console output is kept in emulator-run/console.stdout.txt)`);
    const ran = emulatorRunTests.filter((t) => t.status === 'passed');
    assert.ok(ran.length > 100, `${ran.length} emulator tests passed`);
    assert.ok(ran.every((t) => t.project === 'emulator'), 'no serial test among them');
  });

  check("a failed test carries its exchanges; a passing one only with CONTRACT_EXCHANGES=all (shard 1)", () => {
    const exchangeNames = (t: ReportedTest | undefined) => (t?.attachments ?? []).filter((name) => /^(GET|POST|PATCH|DELETE) \/\S+ -> \d{3}/.test(name));
    const passed = (shard: number) => shards[shard]?.tests.find((t) => t.status === 'passed' && t.attachments.includes('_contract-exchanges'));
    assert.ok(exchangeNames(passed(0)).length > 0, 'shard 1 (all): a passing test has its exchanges');
    assert.deepEqual(exchangeNames(passed(1)), [], 'shard 2 (failures): a passing test has none');
    const probe = leakyTests.find((t) => t.title === 'leaky: secrets in failure output');
    assert.ok(exchangeNames(probe).length >= 4, `the failed test has its exchanges: ${probe?.attachments.join(', ')}`);
  });

  check('the live target passes against the emulator posing as a real environment', () => {
    const unexpected = merged.filter((t) => t.status !== 'skipped' && t.status !== t.expectedStatus);
    assert.deepEqual(unexpected.map((t) => t.id), [], 'unexpected results (their errors are in the kept merged report)');
    const liveTests = merged.filter((t) => t.project === 'live');
    const passed = liveTests.filter((t) => t.status === 'passed');
    assert.ok(passed.length >= 40, `live: ${passed.length} passed`);
    for (const title of ['a registered user signs in with username and password and receives a Bearer token', 'a new user signs up with a phone number verified by an SMS code', 'a user deletes their own account with a sudo token', 'after a change the old password is refused and the new one signs in']) {
      assert.ok(passed.some((t) => t.title.includes(title)), `live: "${title}" passed`);
    }
    for (const skipped of liveTests.filter((t) => t.status === 'skipped')) {
      assert.ok(skipped.annotations.some((a) => a.type === 'skip' && a.description), `${skipped.id} is skipped with its reason`);
    }
    const console1 = readFileSync(join(out, 'shard-1', 'console.stdout.txt'), 'utf8');
    // What the run will do is said on stderr (stdout is the reporters'), the summary on stdout.
    holds(readFileSync(join(out, 'shard-1', 'console.stderr.txt'), 'utf8'), /live target: http:\/\/127\.0\.0\.1:\d+ \(through the contract monitor/);
    assert.doesNotMatch(readFileSync(join(out, 'shard-2', 'console.stderr.txt'), 'utf8'), /through the contract monitor/, 'shard 2 runs without the monitor');
    holds(console1, /contract summary/);
  });

  check('every account the runs created is deleted, the test account is left as it was', async () => {
    const ledger = new Ledger(join(out, 'work', 'created-accounts.jsonl'));
    const created = ledger.entries().filter((e) => e.event === 'created');
    assert.ok(created.length >= 15, `the ledger lists ${created.length} created accounts`);
    assert.deepEqual(ledger.pending().map((e) => e.username), [], 'every created account is recorded as deleted');
    assert.equal(Number(statsB.users) - Number(statsB.anonymous_users), 1, 'only the test account is left in the emulated live environment');
    // Every account the factory made (it signs up with a phone number or an email) is deleted. Users that
    // signed in only through a provider or a custom ticket stay: the API offers them no sudo, so no deletion.
    for (const { name: which, stats, users } of emulatorsLeft) {
      assert.deepEqual(users.filter((u) => u.phone_number !== undefined || u.email !== undefined), [], `no account with a phone number or email is left in emulator ${which}`);
      assert.ok(Number(stats.users) - Number(stats.anonymous_users) === users.length, `the users export of emulator ${which} lists every registered user`);
    }
    const signIn = await fetch(`${live.emulatorURL}/auth/v1/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: live.testAccount.username, password: live.testAccount.password }),
    });
    assert.equal(signIn.status, 200, 'the test account still signs in with its password');
  });

  check('a listed departure is a known deviation, an unlisted one fails the run', () => {
    assert.equal(leaky.code, 1, 'the failing run fails');
    const byTitle = (end: string) => {
      const test = leakyTests.find((t) => t.title.endsWith(end));
      assert.ok(test, `${end} is in the report`);
      return test;
    };
    const known = byTitle('known: expires_in comes back as a string');
    assert.equal(known.status, 'failed');
    assert.equal(known.expectedStatus, 'failed', 'reported as expected to fail, not as a failure');
    assert.ok(known.annotations.some((a) => a.type === 'known-deviation' && a.description?.includes('tests/e2e/leaky/deviations.yaml#1')));
    const drift = byTitle('new drift: token_type comes back in lower case');
    assert.equal(drift.expectedStatus, 'passed', 'new drift is a failure');
    holds(drift.errors.join('\n'), /body does not match TokenResponse/);
    const monitor = byTitle('the contract monitor reports a drift it sees');
    assert.equal(monitor.expectedStatus, 'failed');
    holds(monitor.errors.join('\n'), /prism proxy reports contract violations \(sl-violations\)[^]*expires_in/);
    const stdout = readFileSync(join(out, 'leaky', 'console.stdout.txt'), 'utf8');
    holds(stdout, /live: \d+ passed, 2 known deviations, \d+ failed/);
    holds(stdout, /deviations not seen in this run \(fixed\? remove them\): tests\/e2e\/leaky\/deviations\.yaml#3/);
  });

  check('the failing run put secrets where Playwright writes them, and they were redacted there', () => {
    const probe = leakyTests.find((t) => t.title === 'leaky: secrets in failure output');
    assert.ok(probe, 'the probe ran');
    assert.equal(probe.status, 'failed');
    assert.ok(probe.errors.length >= 4, `${probe.errors.length} errors: expect(), step, toBeAuthError, throw`);
    // eslint-disable-next-line no-control-regex -- Playwright colours its messages
    const messages = probe.errors.join('\n').replace(/\u001b\[\d+m/g, '');
    holds(messages, /Received: "\[redacted #\d+\]"/, "Playwright's own expect() message, with the secret masked");
    holds(messages, /refresh token \[redacted #\d+\]/, "a secret in an expectation's own message, masked");
    // The guard's wrappers stay out of the way: each failure is placed at the spec's line.
    assert.ok(probe.errorLocations.every((where) => where.includes('leaky.spec.ts:')), `error locations: ${probe.errorLocations.join(', ')}`);
    holds(messages, /failing with \[redacted\], \[redacted\] and \[redacted\]/);
    const console = readFileSync(join(out, 'leaky', 'console.stdout.txt'), 'utf8');
    holds(console, /access token \[redacted\]/, 'console output of the test, redacted');
  });

  check('the live guards hold: the test account is protected, rate limits are waited out, strangers get no code', () => {
    const outcome = (end: string) => leakyTests.find((t) => t.title.endsWith(end));
    assert.equal(outcome('the configured test account cannot be deleted or changed')?.status, 'passed');
    assert.equal(outcome('a rate-limited code send is retried after the back-off, not failed')?.status, 'passed');
    const stranger = outcome('a code to a generated phone number is skipped on a live environment');
    assert.equal(stranger?.status, 'skipped');
    holds(stranger?.annotations.find((a) => a.type === 'skip')?.description ?? '', /codes go only to CLOUDBASE_TEST_PHONE/);
  });

  check('no secret the runs used appears in any output: console, HTML, JUnit, JSON, blobs, test-results, ledger', () => {
    const dumped = readSecretsDump(join(out, 'secrets'));
    const witnessed = recorders().flatMap((recorder) => [...recorder.secrets]);
    // The recorders saw every kind of secret: the search below looks for real values of each.
    for (const kind of ['password', 'new_password', 'access_token', 'refresh_token', 'sudo_token', 'verification_token', 'verification_code', 'client_secret', 'authorization']) {
      assert.ok((recorderB.byKind.get(kind)?.size ?? 0) > 0, `the live recorder saw a ${kind}`);
    }
    // A value written in the suite's own source (a literal in a negative test) is not a secret, nor is one
    // character repeated (a negative test's `'x'.repeat(128)` token is found again in a 1 MiB `xxx…` body).
    const source = ['specs', 'fixtures', 'tests/e2e'].map((dir) => sourceText(join(ROOT, dir))).join('\n');
    const madeBySuite = (s: string) => source.includes(s) || /^(.)\1*$/s.test(s);
    const secrets = [...new Set([...dumped, ...witnessed, live.clientSecret, live.testAccount.password])].filter((s) => !madeBySuite(s));
    assert.ok(secrets.length > 200, `${secrets.length} secret values to look for`);

    const outputs = readdirSync(out).filter((name) => name !== 'secrets').map((name) => join(out, name));
    const { findings, stats } = scanForSecrets(outputs, secrets);
    console.log(
      `redaction: ${secrets.length} secret values (${dumped.length} registered by the workers, ${witnessed.length} seen on the wire) searched in ${stats.files} files, ` +
        `${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.zipEntries} zip entries, ${stats.decodedPayloads} base64 payloads: ${findings.length} found`,
    );
    assert.equal(findings.length, 0, `secrets found in the outputs:\n${formatFindings(findings)}`);

    // The search really looked inside the reports: the HTML report's embedded data and the attachments in it.
    assert.ok(stats.files > 30 && stats.zipEntries > 10 && stats.decodedPayloads > 100, JSON.stringify({ ...stats, htmlReportData: stats.htmlReportData.length }));
    const htmlData = stats.htmlReportData.join('\n');
    assert.ok(htmlData.includes('POST /auth/v1/signin') && htmlData.includes('[redacted]'), 'the decoded HTML report holds the steps, with redacted values');
    // And it finds secrets where they are: the dump itself.
    assert.ok(scanForSecrets([join(out, 'secrets')], secrets).findings.length > 0, 'the search finds secrets where they are');
  });

  check('every secret that reached the suite was registered for redaction (the witness agrees with the suite)', () => {
    const dumped = new Set(readSecretsDump(join(out, 'secrets')));
    const kindOf = (value: string) => recorders().flatMap((recorder) => [...recorder.byKind]).filter(([, values]) => values.has(value)).map(([kind]) => kind);
    // A drifted answer may have been replaced by the contract monitor before reaching the suite.
    const reachedTheSuite = (s: string) => !kindOf(s).every((kind) => kind.startsWith('drifted '));
    const unregistered = recorders().flatMap((recorder) => [...recorder.secrets]).filter((s) => reachedTheSuite(s) && !dumped.has(s)).map((s) => `${kindOf(s).join('/')} (${s.length} characters)`);
    assert.deepEqual(unregistered, [], 'secret values crossed the wire without the suite registering them for redaction');
  });

  check("Playwright's own steps never show a sudo_token value", () => {
    const { stats } = scanForSecrets([join(out, 'merged', 'html')], []);
    const leaks = stats.htmlReportData.join('\n').match(/sudo_token=(?!\[redacted\])[^\s"'&\\]+/g) ?? [];
    // Counted, never printed: this test's own output goes to the CI log.
    assert.equal(leaks.length, 0, `${leaks.length} step titles or texts show a sudo_token value`);
  });
});

function sourceText(dir: string): string {
  const parts: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) parts.push(sourceText(path));
    else if (/\.(ts|yaml|mjs)$/.test(name)) parts.push(readFileSync(path, 'utf8'));
  }
  return parts.join('\n');
}
