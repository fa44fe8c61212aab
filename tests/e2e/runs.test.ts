/**
 * How a run behaves as a whole (issue 14 items 1, 4, 5, 8, 10; issue 13 item 3), end to end:
 *  - `--list` writes no report; sub-runs never write to reports/ (the harness gives each its own folder);
 *  - `--reporter=json` on stdout is valid JSON (the setup writes to stderr), checked in the two runs below;
 *  - `--project=emulator` runs the target's serial tests too;
 *  - a configuration problem is printed once, with how to fix it, without a stack trace;
 *  - two runs at once each start their own servers and both pass;
 *  - a run never takes a server it did not start for its own (CONTRACT_PORT_BASE on a taken port fails);
 *  - `npm run mock -- --port <n>` serves on that port.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { blankSuiteEnv, freePort } from '../../scripts/emulated-live.ts';
import { reportedTests, ROOT, runPlaywright } from './harness.ts';

const local = (target: string) => ({ ...blankSuiteEnv(), CONTRACT_TARGET: target, FAKER_SEED: '20261203' });

describe('a run as a whole', () => {
  let out: string;
  // reports/ holds the contract run of `npm test` (what CI uploads): no run here may touch it.
  const reportsBefore = new Map<string, number>();
  const snapshot = (into: Map<string, number>) => {
    const dir = join(ROOT, 'reports');
    if (existsSync(dir)) for (const name of readdirSync(dir)) into.set(name, statSync(join(dir, name)).mtimeMs);
  };
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'contract-runs-'));
    snapshot(reportsBefore);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('--list writes no report, and --project=emulator lists the serial tests of the target too', async () => {
    const reports = join(out, 'list-reports');
    const run = await runPlaywright(['test', '--list', '--project=emulator'], { ...local('emulator'), CONTRACT_REPORTS_DIR: reports });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(out).includes('list-reports') ? readdirSync(reports) : [], [], 'no report file written by --list');
    assert.match(run.stdout, /\[emulator\] › /);
    assert.match(run.stdout, /\[emulator-serial\] › .*@serial|\[emulator-serial\] › /, 'the serial tests come with --project=emulator');
  });

  it('a configuration problem is printed once, with how to fix it, and no stack trace', async () => {
    const run = await runPlaywright(['test'], { ...local('prism'), FAKER_SEED: 'tomorrow', CLOUDBASE_REGION: 'shanghai' });
    assert.notEqual(run.code, 0);
    const all = run.stdout + run.stderr;
    assert.equal(all.match(/Configuration has 2 problems/g)?.length, 1, all);
    assert.match(all, /FAKER_SEED="tomorrow" must be a whole number .* example: FAKER_SEED=1234/);
    assert.doesNotMatch(all, /^\s+at /m, 'no stack trace');
  });

  it('two runs at once start their own servers and both pass; --reporter=json on stdout is valid JSON', async () => {
    const args = ['test', '--workers=1', 'specs/refresh-token.spec.ts'];
    const [one, two] = await Promise.all([runPlaywright([...args, '--reporter=json'], local('emulator')), runPlaywright(args, local('emulator'))]);
    assert.equal(one?.code, 0, one?.stderr);
    assert.equal(two?.code, 0, two?.stdout);
    // The setup speaks on stderr: stdout is the reporter's alone.
    const tests = reportedTests(JSON.parse(one?.stdout ?? '') as { suites: never[] });
    assert.ok(tests.length > 0 && tests.every((t) => t.status === 'passed'), 'the JSON report on stdout lists the tests');
    assert.match(one?.stderr ?? '', /contract targets: emulator; Faker seed 20261203/);
    const servers = (stderr: string) => /local servers \(started by this run[^)]*\): (.*)/.exec(stderr)?.[1] ?? '';
    const urls = (stderr: string) => new Set(servers(stderr).match(/http:\/\/[\d.:]+/g) ?? []);
    assert.equal(urls(one?.stderr ?? '').size, 2, 'the emulator and its proxy');
    assert.deepEqual([...urls(one?.stderr ?? '')].filter((u) => urls(two?.stderr ?? '').has(u)), [], 'no server shared');
  });

  it('a port held by someone else is never taken for the run\'s own server', async () => {
    // A stale server that looks ready (it answers GET /auth/v1/certs), on the port the run is told to use.
    const stale = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"keys":[]}');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => stale.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runPlaywright(['test', 'specs/tokens.spec.ts'], { ...local('prism'), CONTRACT_PORT_BASE: String(port) });
      assert.notEqual(run.code, 0, 'the run does not pass against a server it did not start');
      assert.match(run.stdout + run.stderr, new RegExp(`prism mock: port ${port} \\(fixed by CONTRACT_PORT_BASE or CONTRACT_MONITOR_PORT\\) is taken by another process`));
    } finally {
      stale.close();
    }
  });

  it('none of these runs wrote to reports/', () => {
    const reportsAfter = new Map<string, number>();
    snapshot(reportsAfter);
    assert.deepEqual([...reportsAfter], [...reportsBefore], 'reports/ is as it was before these runs');
  });

  it('npm run mock -- --port <n> serves the Prism mock on that port', async () => {
    const port = await freePort();
    const child = spawn('npm', ['run', '--silent', 'mock', '--', '--port', String(port)], { cwd: ROOT, stdio: 'ignore', detached: true });
    try {
      let status = 0;
      for (let i = 0; i < 300 && status !== 200; i++) {
        status = await fetch(`http://127.0.0.1:${port}/auth/v1/certs`).then((r) => r.status, () => 0);
        if (status !== 200) await sleep(100);
      }
      assert.equal(status, 200, `nothing served on ${port}`);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  });
});
