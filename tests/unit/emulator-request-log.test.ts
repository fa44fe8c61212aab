/**
 * The request log (`GET /__emulator/requests`, `?format=har`) and users in and out
 * (`importUsers`, `/__emulator/users/*`): a request the emulator tolerates but the contract refuses
 * is flagged, no secret reaches the log, and an export imports back with passwords that still work.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, writeRequestReport, type StartedEmulator } from '../../mock/emulator/index.ts';
import { MAX_LOGGED_REQUESTS, RequestLog } from '../../mock/emulator/request-log.ts';
import { call, PASSWORD, signUp } from './emulator-kit-helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a HAR entry is read field by field below
type HarEntry = Record<string, any>;

let emu: StartedEmulator;
before(async () => {
  emu = await startEmulator({ port: 0, resendIntervalSeconds: 0 });
});
after(() => emu.close());
beforeEach(() => emu.control.reset());

describe('the request log', () => {
  test('flags a malformed request the emulator still answered', async () => {
    // With tolerate_unknown_fields the emulator ignores an unknown field, as a lenient server would; the contract refuses it.
    await emu.control.setConfig({ tolerate_unknown_fields: true });
    const answered = await call(emu, 'POST', '/auth/v1/verification', { json: { phone_number: '+86 13800000002', colour: 'red' } });
    assert.equal(answered.status, 200, 'the emulator is lenient');
    const [logged] = await emu.control.requests.departing();
    assert.ok(logged, 'the request is listed as departing from the contract');
    assert.equal(logged.operation?.id, 'sendVerification');
    assert.equal(logged.status, 200);
    const lines = logged.departures.flatMap((d) => [d.summary, ...d.details]).join('\n');
    assert.match(lines, /body\.colour is not allowed/);
  });

  test('a request that keeps to the contract has no departures', async () => {
    await signUp(emu, 'log_clean_user');
    const log = await emu.control.requests.list();
    assert.equal(log.total, 3);
    assert.equal(log.departing, 0, JSON.stringify(log.requests.map((r) => r.departures)));
    assert.deepEqual(log.requests.map((r) => r.operation?.id), ['sendVerification', 'verifyVerification', 'signUp']);
  });

  test('names the envelope problems too: a missing Bearer token, a path outside the contract', async () => {
    await call(emu, 'GET', '/auth/v1/user/me');
    await call(emu, 'GET', '/auth/v1/nowhere');
    const [me, nowhere] = (await emu.control.requests.list()).requests;
    assert.match(me?.departures[0]?.details.join('\n') ?? '', /Authorization: Bearer <access_token> is required/);
    assert.equal(me?.status, 401);
    assert.match(nowhere?.departures[0]?.summary ?? '', /not an operation of the contract/);
  });

  test('holds no password, token or code, in any form', async () => {
    const user = await signUp(emu, 'log_secret_user');
    const [code] = await emu.control.codes({ phone_number: user.phone });
    const sudo = await call(emu, 'POST', '/auth/v1/user/sudo', { token: user.tokens.access_token, json: { password: PASSWORD } });
    await call(emu, 'GET', `/auth/v1/user/me?sudo_token=${encodeURIComponent(sudo.body.sudo_token)}`, { token: user.tokens.access_token });
    await call(emu, 'POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.tokens.refresh_token } });
    const text = JSON.stringify(await emu.control.requests.list()) + JSON.stringify(await emu.control.requests.har());
    for (const secret of [PASSWORD, user.tokens.access_token, user.tokens.refresh_token, sudo.body.sudo_token, code?.code]) {
      assert.ok(secret && secret.length > 4);
      assert.ok(!text.includes(secret), 'a secret reached the log');
      assert.ok(!text.includes(encodeURIComponent(secret)), 'a URL-encoded secret reached the log');
    }
    assert.match(text, /\[redacted\]/);
  });

  test('?format=har is HAR 1.2 with the departures of each entry', async () => {
    await call(emu, 'POST', '/auth/v1/signin/anonymously', { json: { provider_token: 5 }, headers: { 'x-device-id': 'har-device' } });
    const har = (await emu.control.requests.har()) as { log: { version: string; creator: { name: string }; entries: HarEntry[] } };
    assert.equal(har.log.version, '1.2');
    assert.equal(har.log.creator.name, 'cloudbase-auth-emulator');
    const [entry] = har.log.entries;
    assert.equal(entry?.request.method, 'POST');
    assert.equal(entry?.request.url, `${emu.url}/auth/v1/signin/anonymously`);
    assert.deepEqual(entry?.request.headers.find((h: { name: string }) => h.name === 'x-device-id'), { name: 'x-device-id', value: 'har-device' });
    assert.equal(typeof entry?.request.postData.text, 'string');
    assert.equal(typeof entry?.response.status, 'number');
    assert.equal(typeof entry?.response.content.text, 'string');
    for (const key of ['startedDateTime', 'time', 'cache', 'timings']) assert.ok(key in (entry ?? {}), key);
    assert.ok(Array.isArray(entry?._departures));
  });

  test('writeRequestReport (the CLI --report) writes the log as JSON or HAR', async () => {
    await call(emu, 'GET', '/auth/v1/certs');
    const dir = mkdtempSync(join(tmpdir(), 'emulator-report-'));
    try {
      writeRequestReport(emu, join(dir, 'requests.json'));
      writeRequestReport(emu, join(dir, 'requests.har'));
      assert.equal(JSON.parse(readFileSync(join(dir, 'requests.json'), 'utf8')).total, 1);
      assert.equal(JSON.parse(readFileSync(join(dir, 'requests.har'), 'utf8')).log.entries.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('DELETE /__emulator/requests empties it; emulator-only requests are never logged', async () => {
    await call(emu, 'GET', '/auth/v1/certs');
    await emu.control.requests.clear();
    await emu.control.stats();
    assert.equal((await emu.control.requests.list()).total, 0);
  });

  test('keeps at most MAX_LOGGED_REQUESTS, oldest dropped first', () => {
    const log = new RequestLog();
    const entry = { startedMs: 0, emulatorTime: 0, durationMs: 0, method: 'GET', pathAndQuery: '/auth/v1/certs', headers: {}, bodyText: '', status: 200, responseHeaders: {}, responseText: '{}' };
    for (let i = 0; i < MAX_LOGGED_REQUESTS + 3; i++) log.add(entry);
    const summary = log.summary();
    assert.equal(summary.total, MAX_LOGGED_REQUESTS);
    assert.equal(summary.dropped_from_log, 3);
    assert.equal(summary.requests[0]?.seq, 4);
  });
});

describe('users in and out', () => {
  test('the sample file imports, and its users sign in with their passwords and providers', async () => {
    const other = await startEmulator({ port: 0, importUsers: new URL('../../examples/users.json', import.meta.url).pathname });
    try {
      const sample = JSON.parse(readFileSync(new URL('../../examples/users.json', import.meta.url), 'utf8')) as { users: { username: string; password: string }[] };
      for (const user of sample.users) {
        const signedIn = await call(other, 'POST', '/auth/v1/signin', { json: { username: user.username, password: user.password } });
        assert.equal(signedIn.status, 200, user.username);
      }
      const exported = await other.control.users.export();
      assert.equal(exported.users.length, sample.users.length);
      assert.ok(exported.users.some((u) => (u.providers ?? []).length > 0), 'providers are exported');
    } finally {
      await other.close();
    }
  });

  test('an export imports back: same subs, passwords still work, no password in the export', async () => {
    const user = await signUp(emu, 'export_user');
    const exported = await emu.control.users.export();
    assert.ok(!JSON.stringify(exported).includes(PASSWORD));
    await emu.control.reset();
    assert.deepEqual(await emu.control.users.import(exported), [user.tokens.sub]);
    const signedIn = await call(emu, 'POST', '/auth/v1/signin', { json: { username: user.username, password: PASSWORD } });
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.body.sub, user.tokens.sub);
  });

  test('a bad file adds nobody and says which record is wrong', async () => {
    const refused = await call(emu, 'POST', '/__emulator/users/import', {
      json: { users: [{ username: 'fine_user', password: PASSWORD }, { username: 'bad user!', password: PASSWORD }] },
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error_description, /username/);
    assert.deepEqual((await emu.control.users.export()).users, []);
    const twice = await call(emu, 'POST', '/__emulator/users/import', { json: { users: [{ username: 'same_user' }, { username: 'same_user' }] } });
    assert.equal(twice.status, 409);
  });
});
