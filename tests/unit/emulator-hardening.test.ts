/**
 * Issue 13 "Hardening", items 4-7: the emulator's controls answer only this machine, every store is
 * bounded, slow clients are cut off, and the smaller holes are closed. Each test failed before its fix.
 * (Item 1, redirects, is tests/unit/redirect-guard.test.ts; the long memory run is emulator-load.test.ts.)
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { codeSourceFor } from '../../fixtures/codes.ts';
import type { LiveConfig } from '../../fixtures/config.ts';
import type { Target } from '../../fixtures/targets.ts';
import { canonicalIdentifier, foldAsciiCase } from '../../mock/emulator/identifiers.ts';
import { hasDotSegment, RemoteBindRefused, startEmulator } from '../../mock/emulator/server.ts';
import { assertError, assertEveryAnswerWellFormed, decodeJwt, startTestEmulator, testEmulator, type EmulatorClient } from './emulator-helpers.ts';

/** Writes raw bytes (requests fetch would refuse to send) and collects the answer until the server closes. */
function rawExchange(port: number, request: string, { end = true } = {}): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve({ text, closed: true }) : reject(error)));
    socket.on('close', () => resolve({ text, closed: true }));
    socket.write(request);
    if (end) socket.end();
  });
}

function jsonBodyOf(raw: string): Record<string, unknown> {
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

describe('item 4: the controls answer only this machine', () => {
  const api = testEmulator({ resendIntervalSeconds: 0 });

  test('a foreign Host (DNS rebinding) is refused at /__emulator/*; loopback names are served', async () => {
    assertError(await api.call('GET', '/__emulator/stats', { headers: { host: 'attacker.example:8787' } }), 403, 'permission_denied');
    for (const host of ['127.0.0.1:8787', 'localhost', '[::1]:8787']) {
      assert.equal((await api.call('GET', '/__emulator/stats', { headers: { host } })).status, 200, host);
    }
    // The API itself keeps answering whatever Host a client uses.
    assert.equal((await api.call('GET', '/auth/v1/certs', { headers: { host: 'env.ap-shanghai.tcb-api.tencentcloudapi.com' } })).status, 200);
  });

  test('cross-site browser requests to the controls are refused, and the controls send no CORS headers', async () => {
    assertError(await api.call('POST', '/__emulator/reset', { headers: { origin: 'https://attacker.example' } }), 403, 'permission_denied');
    assertError(await api.call('POST', '/__emulator/reset', { headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'permission_denied');
    const preflight = await api.call('OPTIONS', '/__emulator/reset', { headers: { origin: 'https://attacker.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const local = await api.call('GET', '/__emulator/stats', { headers: { origin: 'http://localhost:3000' } });
    assert.equal(local.status, 200);
    assert.equal(local.headers.get('access-control-allow-origin'), null, 'no page may read a control answer');
  });

  test('the API echoes the Origin for CORS but never allows credentials', async () => {
    const res = await api.call('GET', '/auth/v1/certs', { headers: { origin: 'https://app.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  test('with a control token the controls need it (x-emulator-token or Bearer); the API does not', async () => {
    const guarded = testEmulator({ controlToken: 'control-token-0123456789' });
    assertError(await guarded.call('GET', '/__emulator/stats'), 401, 'unauthenticated');
    assertError(await guarded.call('GET', '/__emulator/stats', { headers: { 'x-emulator-token': 'control-token-wrong-0000' } }), 401, 'unauthenticated');
    assert.equal((await guarded.call('GET', '/__emulator/stats', { headers: { 'x-emulator-token': 'control-token-0123456789' } })).status, 200);
    assert.equal((await guarded.call('GET', '/__emulator/stats', { token: 'control-token-0123456789' })).status, 200);
    assert.equal((await guarded.call('GET', '/auth/v1/certs')).status, 200);
  });

  test('binding anything but loopback needs allowRemote; the real bound address is reported', async () => {
    await assert.rejects(startEmulator({ port: 0, host: '0.0.0.0' }), RemoteBindRefused);
    const remote = await startTestEmulator({ host: '0.0.0.0', allowRemote: true });
    assert.equal(remote.remote, true);
    assert.equal(remote.boundAddress, `0.0.0.0:${remote.port}`);
    const local = await startTestEmulator();
    assert.equal(local.remote, false);
    assert.equal(local.boundAddress, `127.0.0.1:${local.port}`);
  });

  test('dot segments (/auth/v1/../../__emulator, %2e%2e) never reach the controls', async () => {
    const r = await startTestEmulator();
    for (const path of ['/auth/v1/../../__emulator/reset', '/auth/v1/%2e%2e/%2e%2e/__emulator/reset', '/auth/v1/%2E%2e%2f%2e%2e%2f__emulator/reset', '/auth/v1/..\\..\\__emulator/reset']) {
      const { text } = await rawExchange(r.port, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      assert.match(text, /^HTTP\/1\.1 400 /, `${path}: ${text}`);
      assert.equal(jsonBodyOf(text).error, 'invalid_argument', path);
    }
    assert.equal(hasDotSegment('/auth/v1/signin?next=../x'), false, 'a query is not a path');
    assert.equal(hasDotSegment('/auth/v1/.well-known'), false);
  });

  test('a bad Host header gets the API\'s JSON error body, not an empty 400', async () => {
    const r = await startTestEmulator();
    const { text } = await rawExchange(r.port, 'GET /auth/v1/certs HTTP/1.1\r\nHost: bad host[\r\nConnection: close\r\n\r\n');
    assert.match(text, /^HTTP\/1\.1 400 /);
    assert.match(text, /content-type: application\/json/i);
    assert.equal(jsonBodyOf(text).error, 'invalid_argument');
  });

  test('every answer above was well-formed JSON', () => assertEveryAnswerWellFormed(api));
});

describe('item 5: every store is bounded and swept', () => {
  test('users: past the cap, new accounts get 429 resource_exhausted; known devices still sign in', async () => {
    const api = testEmulator({ caps: { users: 3 } });
    for (let i = 0; i < 3; i++) await api.signInAnonymously(`device-cap-${i}-0123456789`);
    assertError(await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'device-cap-3-0123456789' } }), 429, 'resource_exhausted', 8);
    await api.signInAnonymously('device-cap-0-0123456789');
    assert.equal(api.emu.store.stats().users, 3);
  });

  test('sessions: past the cap, 429; once expired sessions are swept there is room again', async () => {
    const api = testEmulator({ caps: { sessions: 4 } });
    for (let i = 0; i < 4; i++) await api.signInAnonymously(`device-s-${i}-0123456789`);
    assertError(await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'device-s-9-0123456789' } }), 429, 'resource_exhausted');
    api.advance(32 * 24 * 3600);
    await api.signInAnonymously('device-s-9-0123456789');
    assert.equal(api.emu.store.stats().sessions, 1);
  });

  test('codes and tokens: capped, and swept once expired', async () => {
    const api = testEmulator({ caps: { verifications: 2, tokens: 2 }, resendIntervalSeconds: 0 });
    const send = (n: number) => api.call('POST', '/auth/v1/verification', { json: { phone_number: `+86 1390000000${n}` } });
    assert.equal((await send(1)).status, 200);
    assert.equal((await send(2)).status, 200);
    assertError(await send(3), 429, 'resource_exhausted');
    api.advance(601);
    assert.equal((await send(3)).status, 200);
    assert.equal(api.emu.store.stats().verifications, 1);
  });

  test('spent refresh tokens (kept for reuse detection) are capped by forgetting the oldest, and swept at expiry', async () => {
    const api = testEmulator({ caps: { spentRefreshTokens: 3 } });
    let { refresh_token } = await api.signInAnonymously();
    for (let i = 0; i < 5; i++) {
      const res = await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token } });
      refresh_token = res.body.refresh_token;
    }
    assert.equal(api.emu.store.stats().spent_refresh_tokens, 3);
    api.advance(32 * 24 * 3600);
    api.emu.store.sweep();
    assert.equal(api.emu.store.stats().spent_refresh_tokens, 0);
  });
});

describe('item 6: slow clients and connection floods', () => {
  test('a client that trickles its headers is answered 408 and cut off (slowloris)', async () => {
    const r = await startTestEmulator({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    const started = Date.now();
    const { text, closed } = await rawExchange(r.port, 'GET /auth/v1/certs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', { end: false });
    assert.ok(closed);
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.ok(Date.now() - started < 5_000, 'cut off within seconds, not left open');
  });

  test('connections past maxConnections are dropped at once; the others are served', async () => {
    const r = await startTestEmulator({ limits: { maxConnections: 2 } });
    const sockets = await Promise.all([0, 1].map(() => new Promise<Socket>((resolve) => {
      const s = connect(r.port, '127.0.0.1', () => resolve(s));
    })));
    const extra = await rawExchange(r.port, 'GET /auth/v1/certs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { end: false });
    assert.equal(extra.text, '', 'the third connection got no answer: it was dropped');
    for (const s of sockets) s.destroy();
  });

  test('the server has keep-alive, header, request and connection limits set', async () => {
    const r = await startTestEmulator();
    assert.equal(r.server.headersTimeout, 10_000);
    assert.equal(r.server.requestTimeout, 30_000);
    assert.equal(r.server.keepAliveTimeout, 5_000);
    assert.equal(r.server.maxRequestsPerSocket, 1_000);
    assert.equal(r.server.maxConnections, 512);
  });
});

describe('item 7: smaller holes', () => {
  let api: EmulatorClient;
  const fresh = (options = {}) => (api = testEmulator({ resendIntervalSeconds: 0, ...options }));

  test('a failing code-delivery command prints neither the code nor the phone number', async () => {
    const live = { region: 'ap-shanghai', smsCodeCommand: 'echo "sent 123456 to +86 13812345678" >&2; echo 654321; exit 3' } as LiveConfig;
    const source = codeSourceFor({ name: 'live' } as Target, undefined, live);
    await assert.rejects(source.codeFor({ phone_number: '+86 13812345678' }, 'vid.1'), (error: Error) => {
      for (const secret of ['123456', '654321', '13812345678']) assert.ok(!error.message.includes(secret), `${secret} in: ${error.message}`);
      assert.match(error.message, /CLOUDBASE_SMS_CODE_COMMAND failed \(exit 3\)/);
      return true;
    });
  });

  test('a sudo token authorises one operation', async () => {
    fresh();
    const user = await api.signUpByPhone();
    const sudo = await api.sudoToken(user.access_token);
    const patch = () => api.call('PATCH', '/auth/v1/user/password', { token: user.access_token, json: { sudo_token: sudo, new_password: 'N3w!Passw0rd' } });
    assert.equal((await patch()).status, 200);
    assertError(await patch(), 403, 'permission_denied', 7);
  });

  test('sudo passwords cannot be guessed without limit: the 5th wrong one locks sudo by password for 15 minutes', async () => {
    fresh();
    const user = await api.signUpByPhone();
    const sudo = (password: string) => api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { password } });
    for (let i = 0; i < 5; i++) assertError(await sudo(`Wrong!Passw0rd${i}`), 400, 'invalid_password');
    assertError(await sudo(user.password), 429, 'resource_exhausted', 8);
    api.advance(900);
    assert.equal((await sudo(user.password)).status, 200);
  });

  test('refresh-token reuse: refused either way; with the switch on, the whole session ends', async () => {
    fresh();
    const refresh = (token: string) => api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: token } });
    const first = await api.signInAnonymously('device-reuse-off-0123456789');
    const rotated = (await refresh(first.refresh_token)).body;
    assertError(await refresh(first.refresh_token), 400, 'invalid_grant');
    assert.equal((await refresh(rotated.refresh_token)).status, 200, 'switch off (default): the rotated-in token lives on');

    assert.equal((await api.call('PATCH', '/__emulator/config', { json: { refresh_token_reuse_revokes_session: true } })).body.refresh_token_reuse_revokes_session, true);
    const second = await api.signInAnonymously('device-reuse-on-0123456789');
    const next = (await refresh(second.refresh_token)).body;
    assertError(await refresh(second.refresh_token), 400, 'invalid_grant');
    assertError(await refresh(next.refresh_token), 400, 'invalid_grant');
    assert.equal(await api.isLive(next.access_token), false, 'the access token of the session died too');
  });

  test('after a resend only the newest code verifies', async () => {
    fresh();
    const phone_number = api.nextPhone();
    const first = await api.call('POST', '/auth/v1/verification', { json: { phone_number } });
    const firstCode = await api.latestCode({ phone_number });
    const second = await api.call('POST', '/auth/v1/verification', { json: { phone_number } });
    const secondCode = await api.latestCode({ phone_number });
    const verify = (id: string, code: string) => api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: id, verification_code: code } });
    assertError(await verify(first.body.verification_id, firstCode), 400, 'invalid_argument');
    const listed = await api.call('GET', `/__emulator/verification-codes?phone_number=${encodeURIComponent(phone_number)}`);
    assert.equal(listed.body.codes.at(-1).status, 'superseded');
    assert.equal((await verify(second.body.verification_id, secondCode)).status, 200);
  });

  test('sign-out echoes only http(s) redirect_uri values', async () => {
    fresh();
    for (const uri of ['javascript:alert(document.cookie)', 'data:text/html,<script>x</script>', 'vbscript:msgbox(1)']) {
      const user = await api.signInAnonymously(`device-redirect-${uri.length}-0123456789`);
      assertError(await api.call('POST', '/auth/v1/user/signout', { token: user.access_token, json: { redirect_uri: uri } }), 400, 'invalid_argument');
    }
    const user = await api.signInAnonymously('device-redirect-ok-0123456789');
    const ok = await api.call('POST', '/auth/v1/user/signout', { token: user.access_token, json: { redirect_uri: 'https://app.example/bye', state: 's1' } });
    assert.equal(ok.body.redirect_uri, 'https://app.example/bye?state=s1');
  });

  test('no Unicode case folding: the Kelvin sign is not a k', async () => {
    fresh();
    const email = 'kelly@example.com';
    const token = await api.verificationToken({ email });
    assert.equal((await api.call('POST', '/auth/v1/signup', { json: { email, verification_token: token, password: 'Passw0rd!' } })).status, 200);
    assert.equal((await api.call('POST', '/auth/v1/signin', { json: { username: 'KELLY@example.com', password: 'Passw0rd!' } })).status, 200, 'ASCII case still folds');
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: '\u212Aelly@example.com', password: 'Passw0rd!' } }), 404, 'not_found');
    assertError(await api.call('POST', '/auth/v1/verification', { json: { email: '\u212Aelly@example.com' } }), 400, 'invalid_argument');
    assert.equal(canonicalIdentifier('\uFF4Belly'), undefined, 'fullwidth letters');
    assert.equal(foldAsciiCase('\u212A\u0130Kelly'), '\u212A\u0130kelly');
  });

  test('iss comes from the configuration, never from the Host header', async () => {
    fresh({ envId: 'my-env', region: 'ap-guangzhou' });
    const res = await api.emu.app.request('http://attacker.example/auth/v1/signin/anonymously', {
      method: 'POST',
      headers: { 'x-device-id': 'device-iss-0123456789', host: 'attacker.example' },
      body: '{}',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    assert.equal(decodeJwt(access_token).payload.iss, 'http://my-env.ap-guangzhou.tcb-api.tencentcloudapi.com');
  });

  test('the clock cannot be moved past a representable time', async () => {
    fresh();
    for (const raw of ['{"advance_seconds": 1.8e308}', '{"advance_seconds": 1.7e308}', '{"advance_seconds": 1e15}']) {
      assertError(await api.call('POST', '/__emulator/clock', { raw, headers: { 'content-type': 'application/json' } }), 400, 'invalid_argument');
    }
    const now = (await api.call('GET', '/__emulator/clock')).body.now;
    assert.ok(Number.isSafeInteger(now), String(now));
    assert.equal((await api.call('POST', '/__emulator/clock', { json: { advance_seconds: 3600 } })).body.now, now + 3600);
  });
});

describe('item 5: sweeping survives a reset after the clock was moved', () => {
  test('after POST /__emulator/reset following an advance, expired state is still swept', async () => {
    const api = testEmulator();
    api.advance(40 * 24 * 3600);
    assert.equal((await api.call('POST', '/__emulator/reset')).status, 200);
    for (let i = 0; i < 3; i++) await api.signInAnonymously(`device-reset-${i}-0123456789`);
    api.advance(40 * 24 * 3600);
    await api.signInAnonymously('device-reset-x-0123456789');
    assert.equal(api.emu.store.stats().sessions, 1, 'the three expired sessions were swept');
    assert.equal(api.emu.store.stats().users, 1, 'and their idle anonymous users forgotten');
  });
});
