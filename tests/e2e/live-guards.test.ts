/**
 * The live target's guards, end to end (fast: no full run):
 *  - a live run with no live configuration at all fails and says what to set;
 *  - a live origin that does not answer, or does not serve the auth API (an HTML page), stops the run
 *    before any test, with one message naming it;
 *  - a live run whose every test is skipped fails instead of passing;
 *  - an account left on the test phone by an interrupted run makes the next sign-up say so, and
 *    `npm run cleanup:live` deletes it (signing in with codes, no stored password) while leaving
 *    an account the suite did not create alone, unless --force.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ledger } from '../../fixtures/live.ts';
import { blankSuiteEnv, freePort, signUpInEmulator, startEmulatedLive, type EmulatedLive } from '../../scripts/emulated-live.ts';
import { holds, runPlaywright, runScript } from './harness.ts';

const SIGN_UP = 'a new user signs up with a phone number verified by an SMS code';

describe('live guards', () => {
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'contract-guards-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('a live run without any live configuration fails and says what to set', async () => {
    const run = await runPlaywright(['test', '--project', 'live', '--reporter=line'], { ...blankSuiteEnv(), CONTRACT_TARGET: 'live' });
    assert.notEqual(run.code, 0);
    holds(run.stdout + run.stderr, /CONTRACT_TARGET=live needs CLOUDBASE_ENV_ID .* or CLOUDBASE_BASE_URL/);
  });

  it('a live origin that refuses connections fails the run at once, naming it', async () => {
    const port = await freePort();
    const run = await runPlaywright(['test', '--reporter=line'], { ...blankSuiteEnv(), CONTRACT_TARGET: 'live', CLOUDBASE_BASE_URL: `http://127.0.0.1:${port}` });
    assert.notEqual(run.code, 0);
    holds(run.stdout + run.stderr, new RegExp(`live target: no answer from http://127\\.0\\.0\\.1:${port} \\(GET .*ECONNREFUSED`));
    assert.doesNotMatch(run.stdout, /passed/, 'no test ran');
  });

  it('a live origin that serves an HTML page stops the run before any test, with one message', async () => {
    const html = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Welcome to nginx!</title>');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => html.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runPlaywright(['test', '--reporter=line'], { ...blankSuiteEnv(), CONTRACT_TARGET: 'live', CLOUDBASE_BASE_URL: `http://127.0.0.1:${port}` });
      assert.notEqual(run.code, 0);
      const output = run.stdout + run.stderr;
      holds(output, new RegExp(`live target: http://127\\.0\\.0\\.1:${port} does not serve the CloudBase Auth API: GET /auth/v1/certs answered 200 text/html`));
      assert.equal(output.match(/does not serve the CloudBase Auth API/g)?.length, 1, 'said once');
      assert.doesNotMatch(run.stdout, /passed|failed/, 'no test ran');
      assert.ok(output.split('\n').length < 40, `${output.split('\n').length} lines of output`);
    } finally {
      html.close();
    }
  });

  it('a live origin that accepts and never answers fails after the request timeout, naming it', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runPlaywright(['test', '--reporter=line'], { ...blankSuiteEnv(), CONTRACT_TARGET: 'live', CLOUDBASE_BASE_URL: `http://127.0.0.1:${port}`, CONTRACT_REQUEST_TIMEOUT_MS: '1000' });
      assert.notEqual(run.code, 0);
      holds(run.stdout + run.stderr, new RegExp(`no answer from http://127\\.0\\.0\\.1:${port} \\(GET .*no answer within 1000 ms`));
      assert.ok(run.ms < 20_000, `failed after ${run.ms} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  describe('an interrupted run and cleanup:live', () => {
    let live: EmulatedLive;
    before(async () => {
      live = await startEmulatedLive({ resendIntervalSeconds: 0, codeResendSeconds: 0, workDir: join(out, 'work') });
    });
    after(() => live.close());

    it('a live run that verifies nothing (every test skipped) fails, with the reasons', async () => {
      const run = await runPlaywright(['test', '--grep', '@destructive', 'specs/account-deletion.spec.ts'], { ...live.env, CLOUDBASE_ALLOW_DESTRUCTIVE: '0' });
      assert.equal(run.code, 1);
      holds(run.stdout, /skipped 3: creates, changes or deletes accounts: set CLOUDBASE_ALLOW_DESTRUCTIVE=1/);
      holds(run.stdout, /live: nothing was verified on the live environment \(every test was skipped, reasons above\): this run fails/);
    });

    it('a leftover on the test phone stops the next sign-up with what to do; cleanup:live deletes it; --force is needed for a stranger', async () => {
      // What an interrupted run leaves: an account on the test phone, "created" in the ledger, never "deleted".
      const ledger = new Ledger(live.env.CONTRACT_LEDGER as string);
      await signUpInEmulator(live.emulatorURL, { phone_number: live.testPhone, username: 'ct-leftover01', password: 'Aa1!leftover-pass' });
      ledger.record({ event: 'created', run: 'interrupted', username: 'ct-leftover01', recipient: 'phone' });
      // And someone's own account on the test email (not the suite's).
      await signUpInEmulator(live.emulatorURL, { email: live.testEmail, username: 'somebody', password: 'Aa1!somebody-pass' });

      const blocked = await runPlaywright(['test', '--reporter=line', '--grep', SIGN_UP, 'specs/sms-sign-up.spec.ts'], live.env, join(out, 'blocked'));
      assert.equal(blocked.code, 1);
      holds(blocked.stdout, /CLOUDBASE_TEST_PHONE \(\+86 13900\*\*\*\*01\) already holds an account, probably left by an interrupted run: run `npm run cleanup:live`/);

      const cleanup = await runScript('scripts/cleanup-live.ts', [], live.env, join(out, 'cleanup'));
      assert.equal(cleanup.code, 1, 'the stranger on the test email is left, so the run is not clean');
      holds(cleanup.stdout, /deleted ct-leftover01/);
      holds(cleanup.stdout, /holds the account "somebody", which this suite did not create .* left alone; rerun with --force/);
      assert.deepEqual(ledger.pending(), [], 'the ledger records the leftover as deleted');
      let stats = await live.stats();
      assert.equal(Number(stats.users) - Number(stats.anonymous_users), 2, 'the test account and the stranger remain');

      const forced = await runScript('scripts/cleanup-live.ts', ['--force'], live.env, join(out, 'forced'));
      assert.equal(forced.code, 0, 'cleanup:live --force leaves the test recipients free');
      holds(forced.stdout, /deleted somebody/);
      stats = await live.stats();
      assert.equal(Number(stats.users) - Number(stats.anonymous_users), 1, 'only the test account remains');

      const again = await runPlaywright(['test', '--reporter=line', '--grep', SIGN_UP, 'specs/sms-sign-up.spec.ts'], live.env);
      assert.equal(again.code, 0, 'the sign-up runs again once the phone is free');
      for (const output of [cleanup.stdout, forced.stdout, blocked.stdout]) {
        assert.ok(!output.includes(live.testAccount.password) && !output.includes('Aa1!leftover-pass') && !output.includes('Aa1!somebody-pass'), 'no password in any output');
      }
    });
  });
});
