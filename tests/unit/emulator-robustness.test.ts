/**
 * The emulator at the HTTP level (bad input never crashes it, every answer is JSON) and its
 * emulator-only `/__emulator` endpoints, in-process through `app.request()`.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { OffsetClock } from '../../mock/emulator/clock.ts';
import { assertError, assertEveryAnswerWellFormed, testEmulator } from './emulator-helpers.ts';

const api = testEmulator();
beforeEach(() => api.emu.reset());
after(() => assertEveryAnswerWellFormed(api));

describe('HTTP robustness', () => {
  test('an unknown path is 404 not_found; a known path with the wrong method is 405 with Allow', async () => {
    assertError(await api.call('GET', '/auth/v1/nope'), 404, 'not_found', 5);
    assertError(await api.call('GET', '/'), 404, 'not_found');
    assertError(await api.call('POST', '/auth/v1/signin/'), 404, 'not_found');
    const wrong = await api.call('GET', '/auth/v1/signin');
    assertError(wrong, 405, 'invalid_argument', 3);
    assert.equal(wrong.headers.get('allow'), 'POST, OPTIONS');
    const me = await api.call('PUT', '/auth/v1/user/me');
    assertError(me, 405, 'invalid_argument');
    assert.equal(me.headers.get('allow'), 'GET, DELETE, OPTIONS');
    const provider = await api.call('GET', '/auth/v1/user/provider/bind');
    assert.equal(provider.headers.get('allow'), 'POST, DELETE, OPTIONS', 'the bind path also matches /provider/:provider_id');
  });

  test('a body over 1 MiB is refused with 413, streamed or declared', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(1024 * 1024) });
    assertError(await api.call('POST', '/auth/v1/signin', { raw: big }), 413, 'invalid_argument', 3);
    assertError(
      await api.call('POST', '/auth/v1/signin', { raw: '{}', headers: { 'content-length': String(2 * 1024 * 1024) } }),
      413,
      'invalid_argument',
    );
    const justUnder = JSON.stringify({ username: 'x'.repeat(1024 * 1024 - 20) });
    assert.ok(Buffer.byteLength(justUnder) <= 1024 * 1024);
    assertError(await api.call('POST', '/auth/v1/signin', { raw: justUnder }), 400, 'invalid_argument');
  });

  test('malformed JSON, a non-object body and wrongly typed fields are 400 invalid_argument naming the problem', async () => {
    assertError(await api.call('POST', '/auth/v1/signin', { raw: '{"username":' }), 400, 'invalid_argument', 3);
    for (const raw of ['[]', '"text"', '42', 'null', 'true']) {
      const res = await api.call('POST', '/auth/v1/signin', { raw });
      assertError(res, 400, 'invalid_argument');
      assert.match(res.body.error_description, /JSON object/);
    }
    const typed = await api.call('POST', '/auth/v1/signin', { json: { username: 123, password: 'x' } });
    assertError(typed, 400, 'invalid_argument');
    assert.match(typed.body.error_description, /username/);
    const grant = await api.call('POST', '/auth/v1/token', { json: { grant_type: ['refresh_token'] } });
    assert.match(grant.body.error_description, /grant_type/);
  });

  test('JSON is parsed whatever the Content-Type says, and an empty body counts as {}', async () => {
    for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
      const res = await api.call('POST', '/auth/v1/signin/anonymously', { raw: '{}', headers: { 'content-type': contentType, 'x-device-id': 'dev-ct' } });
      assert.equal(res.status, 200, `${contentType}: ${res.text}`);
    }
    const empty = await api.call('POST', '/auth/v1/signin/anonymously', { headers: { 'x-device-id': 'dev-empty' } });
    assert.equal(empty.status, 200, empty.text);
    const blank = await api.call('POST', '/auth/v1/signin/anonymously', { raw: '  \n', headers: { 'x-device-id': 'dev-blank' } });
    assert.equal(blank.status, 200, blank.text);
  });

  test('CORS: any origin, any request header (even one named "undefined"), preflight answered with JSON', async () => {
    const preflight = await api.call('OPTIONS', '/auth/v1/signin', {
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'undefined, x-device-id, x-request-id' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'undefined, x-device-id, x-request-id');
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    const unknownPreflight = await api.call('OPTIONS', '/auth/v1/nowhere', { headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } });
    assert.equal(unknownPreflight.status, 200, 'a preflight always passes so the real answer (404) is readable');

    const real = await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { undefined: 'undefined', 'x-device-id': 'dev-cors', origin: 'https://app.example' } });
    assert.equal(real.status, 200, real.text);
    assert.equal(real.headers.get('access-control-allow-origin'), 'https://app.example');
    const error = await api.call('GET', '/auth/v1/nope', { headers: { origin: 'https://app.example' } });
    assert.equal(error.headers.get('access-control-allow-origin'), 'https://app.example', 'errors carry CORS headers too');
    assert.equal((await api.call('GET', '/auth/v1/certs')).headers.get('access-control-allow-origin'), '*');
  });

  test('the client_id query parameter is accepted everywhere', async () => {
    const anon = await api.call('POST', '/auth/v1/signin/anonymously?client_id=emulator-env', { json: {}, headers: { 'x-device-id': 'dev-cid' } });
    assert.equal(anon.status, 200);
    for (const path of ['/auth/v1/user/me', '/auth/v1/user/provider', '/auth/v1/token/introspect', '/auth/v1/certs']) {
      assert.equal((await api.call('GET', `${path}?client_id=emulator-env`, { token: anon.body.access_token })).status, 200, path);
    }
  });

  test('a handler bug becomes 500 internal JSON, and the emulator keeps answering', async () => {
    const clock = new OffsetClock();
    const broken = testEmulator({ clock });
    let explode = false;
    const now = clock.now.bind(clock);
    clock.now = () => {
      if (explode) throw new Error('boom');
      return now();
    };
    explode = true;
    const res = await broken.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'dev-500' } });
    assertError(res, 500, 'internal', 13);
    explode = false;
    assert.equal((await broken.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'dev-500' } })).status, 200);
    assertEveryAnswerWellFormed(broken);
  });

  test('odd headers and values do not break anything', async () => {
    assertError(await api.call('GET', '/auth/v1/user/me', { headers: { authorization: 'Bearer ' + 'a'.repeat(20000) } }), 401, 'unauthenticated');
    assertError(await api.call('GET', '/auth/v1/user/me', { headers: { authorization: 'Bearer a.b.c' } }), 401, 'unauthenticated');
    assertError(await api.call('GET', '/auth/v1/user/me', { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } }), 401, 'unauthenticated');
    assertError(await api.call('DELETE', '/auth/v1/user/provider/%E0%A4%A', { token: 'x' }), 401, 'unauthenticated');
    assertError(await api.call('POST', '/auth/v1/signin', { raw: '\u0000\u0001\u0002' }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: { nested: true }, password: 'x' } }), 400, 'invalid_argument');
  });
});

describe('emulator-only endpoints', () => {
  test('the clock: GET answers now, POST advances it (forward only)', async () => {
    const before = (await api.call('GET', '/__emulator/clock')).body.now;
    assert.ok(Number.isInteger(before));
    const advanced = await api.call('POST', '/__emulator/clock', { json: { advance_seconds: 3600 } });
    assert.ok(advanced.body.now >= before + 3600);
    assertError(await api.call('POST', '/__emulator/clock', { json: { advance_seconds: -1 } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/__emulator/clock', { json: { advance_seconds: '10' } }), 400, 'invalid_argument');
  });

  test('the config: GET answers it, PATCH changes known fields and refuses unknown or mistyped ones', async () => {
    const config = await api.call('GET', '/__emulator/config');
    assert.deepEqual(
      { anonymous_enabled: config.body.anonymous_enabled, resend_interval_seconds: config.body.resend_interval_seconds, max_verify_attempts: config.body.max_verify_attempts },
      { anonymous_enabled: true, resend_interval_seconds: 60, max_verify_attempts: 5 },
    );
    assert.equal(config.body.env_id, 'emulator-env');
    assert.equal((await api.call('PATCH', '/__emulator/config', { json: { resend_interval_seconds: 5 } })).body.resend_interval_seconds, 5);
    assertError(await api.call('PATCH', '/__emulator/config', { json: { surprise: 1 } }), 400, 'invalid_argument');
    assertError(await api.call('PATCH', '/__emulator/config', { json: { anonymous_enabled: 'no' } }), 400, 'invalid_argument');
    assertError(await api.call('PATCH', '/__emulator/config', { json: { max_verify_attempts: 0 } }), 400, 'invalid_argument');
    await api.call('POST', '/__emulator/reset');
    assert.equal((await api.call('GET', '/__emulator/config')).body.resend_interval_seconds, 60);
  });

  test('verification codes are listed newest first, by phone (even with an unencoded +) or email', async () => {
    await api.call('PATCH', '/__emulator/config', { json: { resend_interval_seconds: 0 } });
    const phone_number = api.nextPhone();
    const first = await api.call('POST', '/auth/v1/verification', { json: { phone_number } });
    api.advance(1);
    const second = await api.call('POST', '/auth/v1/verification', { json: { phone_number } });
    await api.call('POST', '/auth/v1/verification', { json: { email: 'list@example.com' } });
    const listed = await api.call('GET', `/__emulator/verification-codes?phone_number=${phone_number}`);
    assert.deepEqual(listed.body.codes.map((c: { verification_id: string }) => c.verification_id), [second.body.verification_id, first.body.verification_id]);
    const entry = listed.body.codes[0];
    assert.equal(entry.phone_number, phone_number);
    assert.match(entry.code, /^\d{6}$/);
    assert.equal(entry.expires_at, api.emu.clock.now() + 600);
    assert.equal((await api.call('GET', '/__emulator/verification-codes')).body.codes.length, 3);
    assert.equal((await api.call('GET', '/__emulator/verification-codes?email=nobody@example.com')).body.codes.length, 0);
  });

  test('reset forgets users and sessions; stats count them', async () => {
    const user = await api.signUpByPhone();
    await api.signInAnonymously();
    const stats = await api.call('GET', '/__emulator/stats');
    assert.equal(stats.body.users, 2);
    assert.equal(stats.body.anonymous_users, 1);
    assert.equal(stats.body.sessions, 2);
    assert.equal(stats.body.verifications, 1);
    assert.deepEqual(await api.call('POST', '/__emulator/reset').then((r) => r.body), {});
    const empty = await api.call('GET', '/__emulator/stats');
    assert.equal(empty.body.users, 0);
    assert.equal(empty.body.sessions, 0);
    assert.equal(await api.isLive(user.access_token), false);
  });

  test('provider tokens: only for catalogue providers', async () => {
    assertError(await api.call('POST', '/__emulator/provider-tokens', { json: { provider_id: 'myspace' } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/__emulator/provider-tokens', { json: {} }), 400, 'invalid_argument');
    const minted = await api.call('POST', '/__emulator/provider-tokens', { json: { provider_id: 'github' } });
    assert.equal(typeof minted.body.provider_token, 'string');
  });
});

describe('memory stays bounded', () => {
  test('expired verifications, verification tokens and sessions are swept', async () => {
    for (let i = 0; i < 20; i++) await api.call('POST', '/auth/v1/verification', { json: { phone_number: api.nextPhone() } });
    await api.verificationToken({ phone_number: api.nextPhone() });
    await api.signUpByPhone();
    assert.equal((await api.call('GET', '/__emulator/stats')).body.verifications, 22);
    api.advance(31 * 24 * 3600);
    await api.call('POST', '/auth/v1/verification', { json: { phone_number: api.nextPhone() } }); // any write triggers the sweep
    const stats = (await api.call('GET', '/__emulator/stats')).body;
    assert.equal(stats.verifications, 1);
    assert.equal(stats.verification_tokens, 0);
    assert.equal(stats.sessions, 0);
    assert.equal(stats.refresh_tokens, 0);
  });

  test('one user keeps at most maxSessionsPerUser sessions; the oldest ends first', async () => {
    const small = testEmulator({ maxSessionsPerUser: 3 });
    const sessions = [];
    for (let i = 0; i < 5; i++) sessions.push(await small.signInAnonymously('same-device-for-all'));
    assert.equal((await small.call('GET', '/__emulator/stats')).body.sessions, 3);
    assert.equal(await small.isLive(sessions[0]!.access_token), false);
    assert.equal(await small.isLive(sessions[4]!.access_token), true);
  });
});
