/**
 * Every fault of `/__emulator/faults`, as a flow on a real port: what a client sees while it is on,
 * and that it is gone after its count or ttl (so it cannot leak into the next test).
 * These run on the emulator alone: the answers they provoke (503, a dropped connection) are outside
 * the contract on purpose, so the contract-checking Playwright client is not the tool for them.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startEmulator, type StartedEmulator } from '../../mock/emulator/index.ts';
import { call, PASSWORD, signUp } from './emulator-kit-helpers.ts';

let emu: StartedEmulator;
let users = 0;
const username = () => `fault_user_${++users}`;
const signIn = (name: string) => call(emu, 'POST', '/auth/v1/signin', { json: { username: name, password: PASSWORD } });
const anonymous = (device = `dev-${users}`) => call(emu, 'POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': device } });

before(async () => {
  emu = await startEmulator({ port: 0, resendIntervalSeconds: 0 });
});
after(() => emu.close());
beforeEach(() => emu.control.reset());

describe('request faults', () => {
  test('rate_limited answers 429 resource_exhausted with Retry-After, once, on the chosen operation only', async () => {
    const user = await signUp(emu, username());
    await emu.control.faults.add({ kind: 'rate_limited', operation: 'signIn', retry_after_seconds: 7 });

    const other = await call(emu, 'GET', '/auth/v1/user/me', { token: user.tokens.access_token });
    assert.equal(other.status, 200, 'another operation is not affected');
    const limited = await signIn(user.username);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'resource_exhausted');
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal(limited.headers.get('x-emulator-fault'), 'rate_limited');
    assert.equal((await signIn(user.username)).status, 200, 'the fault is used up after its count');
    assert.deepEqual(await emu.control.faults.list(), []);
  });

  test('unavailable answers 503 unavailable for `count` requests, by METHOD /path', async () => {
    await emu.control.faults.add({ kind: 'unavailable', operation: 'POST /auth/v1/signin/anonymously', count: 2 });
    for (const attempt of [1, 2]) {
      const refused = await anonymous('dev-503');
      assert.equal(refused.status, 503, `attempt ${attempt}`);
      assert.deepEqual(Object.keys(refused.body).sort(), ['error', 'error_code', 'error_description']);
      assert.equal(refused.body.error, 'unavailable');
    }
    assert.equal((await anonymous('dev-503')).status, 200);
  });

  test('latency answers late, then normally', async () => {
    await emu.control.faults.add({ kind: 'latency', operation: 'getCerts', latency_ms: 300 });
    const started = performance.now();
    const slow = await call(emu, 'GET', '/auth/v1/certs');
    assert.equal(slow.status, 200);
    assert.ok(performance.now() - started >= 290, 'the answer came after the latency');
    assert.equal(slow.headers.get('x-emulator-fault'), 'latency');
    const quick = await call(emu, 'GET', '/auth/v1/certs');
    assert.equal(quick.headers.get('x-emulator-fault'), null);
  });

  test('drop closes the connection without an answer', async () => {
    await emu.control.faults.add({ kind: 'drop', operation: 'getCerts' });
    await assert.rejects(fetch(`${emu.url}/auth/v1/certs`), /fetch failed/);
    assert.equal((await call(emu, 'GET', '/auth/v1/certs')).status, 200, 'the next request is answered');
    const [dropped] = (await emu.control.requests.list()).requests;
    assert.equal(dropped?.status, 0, 'the log records the dropped request with status 0');
    assert.equal(dropped?.fault, 'drop');
  });

  test('captcha_required answers the error the SDK reacts to by asking for a captcha', async () => {
    await emu.control.faults.add({ kind: 'captcha_required', operation: 'sendVerification' });
    const refused = await call(emu, 'POST', '/auth/v1/verification', { json: { phone_number: '+86 13800000001', target: 'ANY' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'captcha_required');
  });

  test('captcha_required is answered by the real captcha flow: a solved captcha\'s token goes through', async () => {
    await emu.control.faults.add({ kind: 'captcha_required', operation: 'sendVerification', count: 2 });
    const send = (headers: Record<string, string> = {}) =>
      call(emu, 'POST', '/auth/v1/verification', { json: { phone_number: '+86 13800000011', target: 'ANY' }, headers });
    assert.equal((await send()).body.error, 'captcha_required');
    const challenge = await call(emu, 'POST', '/auth/v1/captcha/data', { json: {} });
    const { captchas } = (await (await fetch(`${emu.url}/__emulator/captchas?token=${encodeURIComponent(String(challenge.body.token))}`)).json()) as { captchas: { answer: string }[] };
    const solved = await call(emu, 'POST', '/auth/v1/captcha/data/verify', { json: { token: challenge.body.token, key: captchas[0]?.answer } });
    assert.equal(solved.status, 200, JSON.stringify(solved.body));
    const answered = await send({ 'x-captcha-token': String(solved.body.captcha_token) });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
  });

  test('disabled switches a login method off (501 unimplemented) while others keep working', async () => {
    const user = await signUp(emu, username());
    await emu.control.faults.add({ kind: 'disabled', operation: 'signInAnonymously', count: 5 });
    const refused = await anonymous();
    assert.equal(refused.status, 501);
    assert.equal(refused.body.error, 'unimplemented');
    assert.equal((await signIn(user.username)).status, 200);
    await emu.control.faults.clear();
    assert.equal((await anonymous()).status, 200, 'DELETE /__emulator/faults switches it back on');
  });

  test('clock_skew runs the server clock off (negative allowed) for its count of requests', async () => {
    const realNow = Math.floor(Date.now() / 1000);
    await emu.control.faults.add({ kind: 'clock_skew', skew_seconds: -3600, count: 1 });
    assert.ok(Math.abs((await emu.control.now()) - (realNow - 3600)) <= 2, 'the emulator clock runs an hour behind');
    const signedIn = await anonymous();
    const iat = JSON.parse(Buffer.from(signedIn.body.access_token.split('.')[1], 'base64url').toString()).iat as number;
    assert.ok(Math.abs(iat - (realNow - 3600)) <= 2, 'the access token is issued an hour in the past');
    assert.ok(Math.abs((await emu.control.now()) - realNow) <= 2, 'the skew is gone after its count');
  });

  test('a fault lives at most ttl_seconds of emulator time', async () => {
    await emu.control.faults.add({ kind: 'unavailable', count: 100, ttl_seconds: 60 });
    assert.equal((await call(emu, 'GET', '/auth/v1/certs')).status, 503, 'without an operation, every API operation is affected');
    await emu.control.advanceClock(60);
    assert.equal((await call(emu, 'GET', '/auth/v1/certs')).status, 200);
    assert.deepEqual(await emu.control.faults.list(), []);
  });

  test('a reset clears every fault, and the emulator-only endpoints are never faulted', async () => {
    await emu.control.faults.add({ kind: 'unavailable', count: 100 });
    assert.equal((await emu.control.faults.list()).length, 1);
    await emu.control.reset();
    assert.equal((await call(emu, 'GET', '/auth/v1/certs')).status, 200);
  });

  test('an unknown kind, operation or field is refused with the reason', async () => {
    for (const [fault, reason] of [
      [{ kind: 'explode' }, /kind must be one of/],
      [{ kind: 'unavailable', operation: 'POST /auth/v1/nowhere' }, /operation must be/],
      [{ kind: 'latency', latency_ms: -1 }, /latency_ms must be/],
      [{ kind: 'unavailable', cuont: 2 }, /unknown fault field/],
      [{ kind: 'clock_skew' }, /skew_seconds/],
    ] as const) {
      const refused = await call(emu, 'POST', '/__emulator/faults', { json: fault });
      assert.equal(refused.status, 400, JSON.stringify(fault));
      assert.match(refused.body.error_description, reason);
    }
  });
});

describe('token faults', () => {
  test('revoke_tokens ends every session: access tokens get 401, refresh tokens invalid_grant', async () => {
    const user = await signUp(emu, username());
    await emu.control.faults.revokeTokens(user.username);
    assert.equal((await call(emu, 'GET', '/auth/v1/user/me', { token: user.tokens.access_token })).status, 401);
    const refreshed = await call(emu, 'POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.tokens.refresh_token } });
    assert.equal(refreshed.status, 400);
    assert.equal(refreshed.body.error, 'invalid_grant');
    assert.equal((await signIn(user.username)).status, 200, 'the user can sign in again');
  });

  test('expire_tokens expires the access tokens issued so far; a refresh gives one that works', async () => {
    const user = await signUp(emu, username());
    await emu.control.faults.expireTokens(user.phone);
    const expired = await call(emu, 'GET', '/auth/v1/user/me', { token: user.tokens.access_token });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error, 'unauthenticated');
    const refreshed = await call(emu, 'POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.tokens.refresh_token } });
    assert.equal(refreshed.status, 200, 'the refresh token still works');
    assert.equal((await call(emu, 'GET', '/auth/v1/user/me', { token: refreshed.body.access_token })).status, 200);
    assert.equal((await call(emu, 'GET', '/auth/v1/user/me', { token: user.tokens.access_token })).status, 401, 'the old token stays expired');
  });

  test('rotate_signing_key: earlier tokens fail with 401, the JWKS shows only the new key, new tokens verify with it', async () => {
    const user = await signUp(emu, username());
    const before = (await call(emu, 'GET', '/auth/v1/certs')).body;
    const kid = await emu.control.faults.rotateSigningKey();
    const jwks = (await call(emu, 'GET', '/auth/v1/certs')).body;
    assert.deepEqual(jwks.keys.map((k: { kid: string }) => k.kid), [kid]);
    assert.notEqual(before.keys[0].kid, kid);
    assert.equal((await call(emu, 'GET', '/auth/v1/user/me', { token: user.tokens.access_token })).status, 401);
    const refreshed = await call(emu, 'POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.tokens.refresh_token } });
    assert.equal(refreshed.status, 200);
    assert.equal(decodeProtectedHeader(refreshed.body.access_token).kid, kid);
    await jwtVerify(refreshed.body.access_token, createLocalJWKSet(jwks), { currentDate: new Date((await emu.control.now()) * 1000) });
    await assert.rejects(jwtVerify(user.tokens.access_token, createLocalJWKSet(jwks)), 'the old token does not verify with the new JWKS');
  });

  test('a token fault names an existing user', async () => {
    const refused = await call(emu, 'POST', '/__emulator/faults', { json: { kind: 'revoke_tokens', user: 'nobody_here' } });
    assert.equal(refused.status, 404);
  });
});

describe('startEmulator({ faults })', () => {
  test('switches faults on from the start', async () => {
    const other = await startEmulator({ port: 0, faults: [{ kind: 'unavailable', operation: 'getCerts' }] });
    try {
      assert.equal((await call(other, 'GET', '/auth/v1/certs')).status, 503);
      assert.equal((await call(other, 'GET', '/auth/v1/certs')).status, 200);
    } finally {
      await other.close();
    }
  });
});
