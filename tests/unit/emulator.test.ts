/**
 * The emulator's behaviour (docs/contract-decisions.md "Emulator behaviour"), in-process through
 * `app.request()`: tokens, sessions, verification, sudo, accounts. HTTP-level robustness and the
 * `/__emulator` endpoints are in emulator-robustness.test.ts.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { assertError, assertEveryAnswerWellFormed, decodeJwt, testEmulator } from './emulator-helpers.ts';

const api = testEmulator();
beforeEach(() => api.emu.reset());
after(() => assertEveryAnswerWellFormed(api));

describe('token responses', () => {
  test('an anonymous sign-in answers a Bearer token response with scope "anonymous" and a 22-character sub', async () => {
    const res = await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'a'.repeat(32) } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 7200);
    assert.equal(res.body.scope, 'anonymous');
    assert.match(res.body.sub, /^[A-Za-z0-9_-]{22}$/);
    assert.match(res.body.refresh_token, /^m\.[A-Za-z0-9_-]+$/);
    assert.ok(res.body.refresh_token.length <= 128);
    assert.deepEqual(res.body.groups, ['anonymous']);
  });

  test('a registered user gets a 19-digit sub and scope "user sso"', async () => {
    const user = await api.signUpByPhone();
    assert.match(user.sub, /^[1-9]\d{18}$/);
    assert.equal(user.scope, 'user sso');
  });

  test('the access token is an RS256 JWT with kid, verifiable with the JWKS, carrying the documented claims', async () => {
    const res = await api.call('POST', '/auth/v1/signin/anonymously?client_id=my-client', { json: {}, headers: { 'x-device-id': 'dev-claims' } });
    const { header, payload } = decodeJwt(res.body.access_token);
    assert.equal(header.alg, 'RS256');
    assert.equal(typeof header.kid, 'string');
    const certs = await api.call('GET', '/auth/v1/certs');
    assert.equal(certs.body.keys[0].kid, header.kid);
    const { payload: verified } = await jwtVerify(res.body.access_token, createLocalJWKSet(certs.body), {
      currentDate: new Date(api.emu.clock.now() * 1000),
    });
    assert.equal(verified.sub, res.body.sub);
    assert.equal(payload.aud, 'my-client', 'aud is the client id of the query');
    assert.equal(payload.project_id, 'emulator-env');
    assert.equal(payload.scope, 'anonymous');
    assert.equal(payload.user_type, 'anonymous');
    // docs (auth-sign-in-anonymously, decoded example): name "Anonymous", meta with empty WeChat ids, no provider_type.
    assert.equal(payload.name, 'Anonymous');
    assert.deepEqual(payload.meta, { wxOpenId: '', wxUnionId: '' });
    assert.equal(payload.provider_type, undefined);
    assert.equal((payload.exp as number) - (payload.iat as number), 7200);
    for (const claim of ['iss', 'jti', 'sid']) assert.equal(typeof payload[claim], 'string', claim);
  });
});

describe('refresh', () => {
  test('a refresh rotates the refresh token and the old one is refused at once', async () => {
    const user = await api.signUpByPhone();
    const refreshed = await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.notEqual(refreshed.body.refresh_token, user.refresh_token);
    assert.equal(refreshed.body.sub, user.sub);
    assert.equal(refreshed.body.scope, 'user sso');

    const again = await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } });
    assertError(again, 400, 'invalid_grant');
    const next = await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token } });
    assert.equal(next.status, 200, next.text);
    assert.ok(await api.isLive(user.access_token), 'earlier access tokens stay valid until they expire');
  });

  test('garbage, missing and unsupported refresh requests are refused', async () => {
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: 'm.garbage' } }), 400, 'invalid_grant', 16);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token' } }), 400, 'invalid_argument', 3);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'magic' } }), 400, 'invalid_argument', 3);
    assertError(await api.call('POST', '/auth/v1/token', { json: {} }), 400, 'invalid_argument', 3);
  });

  test('a refresh token given to one client is refused for another', async () => {
    const anon = await api.signInAnonymously();
    const res = await api.call('POST', '/auth/v1/token?client_id=someone-else', { json: { grant_type: 'refresh_token', refresh_token: anon.refresh_token } });
    assertError(res, 400, 'invalid_grant');
  });

  test('the password grant signs in like /signin', async () => {
    const user = await api.signUpByPhone({ username: 'grant_user' });
    const res = await api.call('POST', '/auth/v1/token', { json: { grant_type: 'password', username: 'grant_user', password: user.password } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sub, user.sub);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'password', username: 'grant_user', password: 'Wr0ng!pass' } }), 400, 'invalid_password', 16);
  });
});

describe('revocation, introspection and sign-out', () => {
  test('revoking the access token from the body (text/plain, no Authorization) ends the session', async () => {
    const user = await api.signUpByPhone();
    const res = await api.call('POST', '/auth/v1/revoke?client_id=emulator-env', { json: { token: user.access_token } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assert.equal(await api.isLive(user.access_token), false);
    assertError(await api.call('GET', '/auth/v1/user/me', { token: user.access_token }), 401, 'unauthenticated', 16);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } }), 400, 'invalid_grant');
  });

  test('revoking with the token as Bearer ends the session', async () => {
    const user = await api.signUpByPhone();
    const res = await api.call('POST', '/auth/v1/revoke', { token: user.access_token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assert.equal(await api.isLive(user.access_token), false);
  });

  test('revoking the refresh token kills the access token of its session too', async () => {
    const user = await api.signUpByPhone();
    await api.call('POST', '/auth/v1/revoke', { json: { token: user.refresh_token } });
    assert.equal(await api.isLive(user.access_token), false);
  });

  test('revoking an unknown token is fine, revoking nothing is a bad request', async () => {
    const res = await api.call('POST', '/auth/v1/revoke', { json: { token: 'not-a-token' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {});
    assertError(await api.call('POST', '/auth/v1/revoke', { json: {} }), 400, 'invalid_argument', 3);
  });

  test('introspection answers the token details when live, {} for a dead token, 401 without a Bearer token', async () => {
    const anon = await api.signInAnonymously();
    const live = await api.call('GET', '/auth/v1/token/introspect', { token: anon.access_token });
    assert.deepEqual(live.body, { token_type: 'Bearer', client_id: 'emulator-env', sub: anon.sub, scope: 'anonymous' });
    const deadHeaders: Record<string, string>[] = [{ authorization: 'Bearer garbage' }, { authorization: `Bearer ${anon.refresh_token}` }];
    for (const headers of deadHeaders) {
      const dead = await api.call('GET', '/auth/v1/token/introspect', { headers });
      assert.equal(dead.status, 200);
      assert.deepEqual(dead.body, {});
    }
    // openapi: no Bearer token is refused like on every Bearer operation.
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }] as Record<string, string>[]) {
      assertError(await api.call('GET', '/auth/v1/token/introspect', { headers }), 401, 'unauthenticated', 16);
    }
  });

  test('sign-out ends only the current session and echoes redirect_uri with state', async () => {
    const user = await api.signUpByPhone({ username: 'two_sessions' });
    const second = await api.call('POST', '/auth/v1/signin', { json: { username: 'two_sessions', password: user.password } });
    const res = await api.call('POST', '/auth/v1/user/signout', {
      token: user.access_token,
      json: { redirect_uri: 'https://example.com/bye', state: 's1' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.redirect_uri, 'https://example.com/bye?state=s1');
    assert.equal(await api.isLive(user.access_token), false);
    assert.equal(await api.isLive(second.body.access_token), true);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } }), 400, 'invalid_grant');
    assertError(await api.call('POST', '/auth/v1/user/signout', { token: user.access_token, json: {} }), 401, 'unauthenticated');
  });
});

describe('expiry through the emulator clock', () => {
  test('an access token dies at expires_in; a refresh still works', async () => {
    const user = await api.signUpByPhone();
    api.advance(7199);
    assert.equal(await api.isLive(user.access_token), true);
    api.advance(1);
    assert.equal(await api.isLive(user.access_token), false);
    assertError(await api.call('GET', '/auth/v1/user/me', { token: user.access_token }), 401, 'unauthenticated', 16);
    const refreshed = await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(await api.isLive(refreshed.body.access_token), true);
  });

  test('a refresh token dies after 31 days', async () => {
    const user = await api.signUpByPhone();
    api.advance(31 * 24 * 3600);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } }), 400, 'invalid_grant');
  });

  test('a verification code expires after 600 s', async () => {
    const phone_number = api.nextPhone();
    const sent = await api.call('POST', '/auth/v1/verification', { json: { phone_number, target: 'ANY' } });
    assert.equal(sent.body.expires_in, 600);
    const code = await api.latestCode({ phone_number });
    api.advance(600);
    const res = await api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.body.verification_id, verification_code: code } });
    assertError(res, 400, 'invalid_argument', 3);
  });

  test('a verification token expires after 600 s', async () => {
    const phone_number = api.nextPhone();
    const verification_token = await api.verificationToken({ phone_number });
    api.advance(600);
    assertError(await api.call('POST', '/auth/v1/signup', { json: { phone_number, verification_token } }), 400, 'invalid_argument');
  });

  test('a sudo token expires after 900 s', async () => {
    const user = await api.signUpByPhone();
    const sudo = await api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { password: user.password } });
    assert.equal(sudo.body.expires_in, 900);
    api.advance(900);
    const res = await api.call('PATCH', '/auth/v1/user/password', { token: user.access_token, json: { sudo_token: sudo.body.sudo_token, new_password: 'N3w!Passw0rd' } });
    assertError(res, 403, 'permission_denied', 7);
  });
});

describe('verification codes', () => {
  test('a code is 6 digits and its verification token is single use', async () => {
    const phone_number = api.nextPhone();
    const sent = await api.call('POST', '/auth/v1/verification', { json: { phone_number, target: 'ANY' } });
    assert.equal(sent.status, 200, sent.text);
    assert.equal(sent.body.is_user, false);
    const code = await api.latestCode({ phone_number });
    assert.match(code, /^\d{6}$/);
    const verify = () => api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.body.verification_id, verification_code: code } });
    const first = await verify();
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.expires_in, 600);
    assertError(await verify(), 400, 'invalid_argument', 3);
    const token = first.body.verification_token;
    assert.equal((await api.call('POST', '/auth/v1/signup', { json: { phone_number, verification_token: token } })).status, 200);
    assertError(await api.call('POST', '/auth/v1/reset', { json: { phone_number, verification_token: token, new_password: 'N3w!Passw0rd' } }), 400, 'invalid_argument');
  });

  test('wrong codes are refused, and after 5 of them even the right code is (429)', async () => {
    const phone_number = api.nextPhone();
    const sent = await api.call('POST', '/auth/v1/verification', { json: { phone_number } });
    const code = await api.latestCode({ phone_number });
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      assertError(await api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.body.verification_id, verification_code: wrong } }), 400, 'invalid_argument', 3);
    }
    const locked = await api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.body.verification_id, verification_code: code } });
    assertError(locked, 429, 'resource_exhausted', 8);
  });

  test('max_verify_attempts is configurable', async () => {
    await api.call('PATCH', '/__emulator/config', { json: { max_verify_attempts: 1 } });
    const phone_number = api.nextPhone();
    const sent = await api.call('POST', '/auth/v1/verification', { json: { phone_number } });
    const code = await api.latestCode({ phone_number });
    await api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.body.verification_id, verification_code: code === '123456' ? '654321' : '123456' } });
    assertError(await api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.body.verification_id, verification_code: code } }), 429, 'resource_exhausted');
  });

  test('a second code for the same phone within the resend interval is refused (429), for that phone only', async () => {
    const phone_number = api.nextPhone();
    assert.equal((await api.call('POST', '/auth/v1/verification', { json: { phone_number } })).status, 200);
    api.advance(59);
    assertError(await api.call('POST', '/auth/v1/verification', { json: { phone_number } }), 429, 'resource_exhausted', 8);
    assert.equal((await api.call('POST', '/auth/v1/verification', { json: { phone_number: api.nextPhone() } })).status, 200);
    api.advance(1);
    assert.equal((await api.call('POST', '/auth/v1/verification', { json: { phone_number } })).status, 200);
  });

  test('the resend interval is configurable', async () => {
    await api.call('PATCH', '/__emulator/config', { json: { resend_interval_seconds: 0 } });
    const email = 'Someone@Example.com';
    assert.equal((await api.call('POST', '/auth/v1/verification', { json: { email } })).status, 200);
    assert.equal((await api.call('POST', '/auth/v1/verification', { json: { email } })).status, 200);
    const codes = await api.call('GET', '/__emulator/verification-codes?email=someone%40example.com');
    assert.equal(codes.body.codes.length, 2);
    assert.equal(codes.body.codes[0].email, 'someone@example.com');
  });

  test('target USER needs an account, NOT_USER needs none, and is_user tells which', async () => {
    const user = await api.signUpByPhone();
    assertError(await api.call('POST', '/auth/v1/verification', { json: { phone_number: api.nextPhone(), target: 'USER' } }), 400, 'failed_precondition', 9);
    assertError(await api.call('POST', '/auth/v1/verification', { json: { phone_number: user.phone_number, target: 'NOT_USER' } }), 400, 'failed_precondition', 9);
    api.advance(60);
    const res = await api.call('POST', '/auth/v1/verification', { json: { phone_number: user.phone_number, target: 'USER' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.is_user, true);
    assertError(await api.call('POST', '/auth/v1/verification', { json: { phone_number: api.nextPhone(), target: 'SOMEONE' } }), 400, 'invalid_argument');
  });

  test('phone numbers must be "+<country code> <number>"; exactly one of phone_number and email', async () => {
    for (const phone_number of ['13800000000', '+8613800000000', '+86 12345', '+86  13800000000', '+86 23800000000']) {
      assertError(await api.call('POST', '/auth/v1/verification', { json: { phone_number } }), 400, 'invalid_argument', 3);
    }
    assertError(await api.call('POST', '/auth/v1/verification', { json: { phone_number: api.nextPhone(), email: 'a@b.co' } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/verification', { json: { target: 'ANY' } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/verification', { json: { email: 'not-an-email' } }), 400, 'invalid_argument');
    assert.equal((await api.call('POST', '/auth/v1/verification', { json: { phone_number: '+1 5551234567' } })).status, 200);
  });
});

describe('sign-up and sign-in', () => {
  test('sign-up with a taken phone number, email or username is a conflict (409)', async () => {
    const first = await api.signUpByPhone({ username: 'taken_name' });
    api.advance(60); // the resend interval
    const phoneToken = await api.verificationToken({ phone_number: first.phone_number });
    assertError(await api.call('POST', '/auth/v1/signup', { json: { phone_number: first.phone_number, verification_token: phoneToken } }), 400, 'failed_precondition', 9);

    const phone_number = api.nextPhone();
    const token = await api.verificationToken({ phone_number });
    assertError(await api.call('POST', '/auth/v1/signup', { json: { phone_number, verification_token: token, username: 'taken_name' } }), 400, 'failed_precondition', 9);
    // The refused attempt did not use the token up.
    assert.equal((await api.call('POST', '/auth/v1/signup', { json: { phone_number, verification_token: token, username: 'free_name' } })).status, 200);

    const email = 'dup@example.com';
    await api.call('POST', '/auth/v1/signup', { json: { email, verification_token: await api.verificationToken({ email }) } });
    api.advance(60);
    const again = await api.verificationToken({ email });
    assertError(await api.call('POST', '/auth/v1/signup', { json: { email, verification_token: again } }), 400, 'failed_precondition');
  });

  test('sign-up checks the verification token, the username and the password rules', async () => {
    const phone_number = api.nextPhone();
    const token = await api.verificationToken({ phone_number });
    const signUp = (json: object) => api.call('POST', '/auth/v1/signup', { json: { phone_number, verification_token: token, ...json } });
    for (const username of ['123456', '_lead', 'trail-', 'has space', 'x'.repeat(33)]) assertError(await signUp({ username }), 400, 'invalid_argument');
    for (const password of ['Sh0rt!', 'alllower1!', 'ALLUPPER1!', 'NoDigits!!', 'NoSpecial12', `Aa1!${'x'.repeat(61)}`]) assertError(await signUp({ password }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/signup', { json: { phone_number: api.nextPhone(), verification_token: token } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/signup', { json: { phone_number, verification_token: 'vt.forged' } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/signup', { json: { username: 'only_name', password: 'Passw0rd!' } }), 400, 'invalid_argument');
    assert.equal((await signUp({ username: 'a-b_c1', password: 'Passw0rd!' })).status, 200);
  });

  test('sign-in: by username or phone number; wrong password 400 invalid_password; unknown user 404', async () => {
    const user = await api.signUpByPhone({ username: 'signin_user' });
    for (const username of ['signin_user', user.phone_number]) {
      const res = await api.call('POST', '/auth/v1/signin', { json: { username, password: user.password } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.sub, user.sub);
    }
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'signin_user', password: 'Wr0ng!pass' } }), 400, 'invalid_password');
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'nobody_here', password: 'Wr0ng!pass' } }), 404, 'not_found', 5);
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'signin_user' } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/signin', { json: {} }), 400, 'invalid_argument');
  });

  test('sign-in with a verification token alone signs in the account it was issued for', async () => {
    const user = await api.signUpByPhone();
    api.advance(60);
    const token = await api.verificationToken({ phone_number: user.phone_number }, 'USER');
    const res = await api.call('POST', '/auth/v1/signin', { json: { verification_token: token } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sub, user.sub);
    assertError(await api.call('POST', '/auth/v1/signin', { json: { verification_token: token } }), 400, 'invalid_argument');
    const stranger = api.nextPhone();
    assertError(await api.call('POST', '/auth/v1/signin', { json: { verification_token: await api.verificationToken({ phone_number: stranger }) } }), 404, 'not_found');
  });
});

describe('anonymous sign-in', () => {
  test('the same device id gives the same anonymous user, a new device a new one', async () => {
    const a = await api.signInAnonymously('device-same-0001');
    const b = await api.signInAnonymously('device-same-0001');
    const c = await api.signInAnonymously('device-other-0002');
    assert.equal(a.sub, b.sub);
    assert.notEqual(a.access_token, b.access_token);
    assert.notEqual(a.sub, c.sub);
  });

  test('x-device-id is required and must be shorter than 72 characters', async () => {
    assertError(await api.call('POST', '/auth/v1/signin/anonymously', { json: {} }), 400, 'invalid_argument', 3);
    assertError(await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'd'.repeat(72) } }), 400, 'invalid_argument', 3);
    assert.equal((await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'd'.repeat(71) } })).status, 200);
    // The long-device-id rule applies to every API operation (docs: the sign-out example).
    assertError(await api.call('POST', '/auth/v1/signin', { json: {}, headers: { 'x-device-id': 'd'.repeat(100) } }), 400, 'invalid_argument');
  });

  test('anonymous sign-in switched off answers 501 unimplemented, and reset switches it back on', async () => {
    const patched = await api.call('PATCH', '/__emulator/config', { json: { anonymous_enabled: false } });
    assert.equal(patched.body.anonymous_enabled, false);
    assertError(await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'dev-off' } }), 501, 'unimplemented', 12);
    await api.call('POST', '/__emulator/reset');
    assert.equal((await api.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': 'dev-off' } })).status, 200);
  });

  test('username/password sign-in switched off answers 400 login_type_disabled; the password grant is not affected', async () => {
    const user = await api.signUpByPhone({ username: 'switched_off' });
    const patched = await api.call('PATCH', '/__emulator/config', { json: { password_login_enabled: false } });
    assert.equal(patched.body.password_login_enabled, false);
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'switched_off', password: user.password } }), 400, 'login_type_disabled', 4045);
    const grant = await api.call('POST', '/auth/v1/token', { json: { grant_type: 'password', username: 'switched_off', password: user.password } });
    assert.equal(grant.status, 200, grant.text);
    await api.call('POST', '/__emulator/reset');
    assert.equal((await api.call('GET', '/__emulator/config')).body.password_login_enabled, true);
  });
});

describe('protected operations need a live access token', () => {
  test('missing, malformed, forged, foreign, expired, revoked and deleted-user tokens all get 401 unauthenticated', async () => {
    const user = await api.signUpByPhone();
    const [h, p] = user.access_token.split('.');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = await new SignJWT(decodeJwt(user.access_token).payload)
      .setProtectedHeader({ alg: 'RS256', kid: decodeJwt(user.access_token).header.kid as string })
      .sign(privateKey);
    const cases: Record<string, Record<string, string>> = {
      missing: {},
      'no token': { authorization: 'Bearer' },
      'basic scheme': { authorization: 'Basic ZW11bGF0b3ItZW52Og==' },
      garbage: { authorization: 'Bearer not.a.jwt' },
      'forged signature': { authorization: `Bearer ${h}.${p}.AAAA` },
      'signed by another key': { authorization: `Bearer ${foreign}` },
      'a refresh token': { authorization: `Bearer ${user.refresh_token}` },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await api.call('GET', '/auth/v1/user/me', { headers });
      assertError(res, 401, 'unauthenticated', 16);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/, name);
    }
    assert.equal((await api.call('GET', '/auth/v1/user/me', { token: user.access_token })).status, 200);
  });

  test('every Bearer operation refuses a missing token', async () => {
    const ops: [string, string][] = [
      ['POST', '/auth/v1/user/signout'],
      ['GET', '/auth/v1/user/me'],
      ['DELETE', '/auth/v1/user/me'],
      ['POST', '/auth/v1/user/sudo'],
      ['PATCH', '/auth/v1/user/password'],
      ['GET', '/auth/v1/user/provider'],
      ['POST', '/auth/v1/user/provider/bind'],
      ['DELETE', '/auth/v1/user/provider/google'],
    ];
    for (const [method, path] of ops) assertError(await api.call(method, path, { json: method === 'GET' || method === 'DELETE' ? undefined : {} }), 401, 'unauthenticated', 16);
  });
});

describe('sudo, password change and deletion', () => {
  test('sudo with the password or a verification token for the own phone; wrong ones are refused', async () => {
    const user = await api.signUpByPhone();
    const byPassword = await api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { password: user.password } });
    assert.equal(byPassword.status, 200, byPassword.text);
    assert.equal(typeof byPassword.body.sudo_token, 'string');
    assert.equal(byPassword.body.expires_in, 900);
    assertError(await api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { password: 'Wr0ng!pass' } }), 400, 'invalid_password');
    api.advance(60);
    const own = await api.verificationToken({ phone_number: user.phone_number });
    assert.equal((await api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { verification_token: own } })).status, 200);
    const other = await api.verificationToken({ phone_number: api.nextPhone() });
    assertError(await api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { verification_token: other } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: {} }), 400, 'invalid_argument');
  });

  test('a password change (sudo_token in the body) ends the other sessions, not the current one', async () => {
    const user = await api.signUpByPhone({ username: 'changer' });
    const other = await api.call('POST', '/auth/v1/signin', { json: { username: 'changer', password: user.password } });
    const sudo = await api.sudoToken(user.access_token);
    const res = await api.call('PATCH', '/auth/v1/user/password', { token: user.access_token, json: { sudo_token: sudo, new_password: 'N3w!Passw0rd' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assert.equal(await api.isLive(user.access_token), true);
    assert.equal(await api.isLive(other.body.access_token), false);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: other.body.refresh_token } }), 400, 'invalid_grant');
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'changer', password: user.password } }), 400, 'invalid_password');
    assert.equal((await api.call('POST', '/auth/v1/signin', { json: { username: 'changer', password: 'N3w!Passw0rd' } })).status, 200);
  });

  test('a password change takes sudo_token in the query too; missing, forged or foreign sudo tokens get 403', async () => {
    const user = await api.signUpByPhone();
    const stranger = await api.signUpByPhone();
    const strangerSudo = await api.sudoToken(stranger.access_token);
    const patch = (query: string, json: object) => api.call('PATCH', `/auth/v1/user/password${query}`, { token: user.access_token, json });
    assertError(await patch('', { new_password: 'N3w!Passw0rd' }), 403, 'permission_denied', 7);
    assertError(await patch('?sudo_token=sudo.forged', { new_password: 'N3w!Passw0rd' }), 403, 'permission_denied', 7);
    assertError(await patch('', { sudo_token: strangerSudo, new_password: 'N3w!Passw0rd' }), 403, 'permission_denied', 7);
    const sudo = await api.sudoToken(user.access_token);
    assertError(await patch(`?sudo_token=${sudo}`, { new_password: 'weak' }), 400, 'invalid_argument');
    assertError(await patch(`?sudo_token=${sudo}`, { new_password: 'N3w!Passw0rd', confirm_password: 'Other!Passw0rd1' }), 400, 'invalid_argument');
    assert.equal((await patch(`?sudo_token=${sudo}`, { new_password: 'N3w!Passw0rd' })).status, 200);
  });

  test('deleting the account needs a sudo token, then ends every session and frees the phone number', async () => {
    const user = await api.signUpByPhone({ username: 'leaving' });
    assertError(await api.call('DELETE', '/auth/v1/user/me', { token: user.access_token }), 403, 'permission_denied', 7);
    const sudo = await api.sudoToken(user.access_token);
    const res = await api.call('DELETE', `/auth/v1/user/me?sudo_token=${sudo}`, { token: user.access_token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assertError(await api.call('GET', '/auth/v1/user/me', { token: user.access_token }), 401, 'unauthenticated');
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } }), 400, 'invalid_grant');
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'leaving', password: user.password } }), 404, 'not_found');
    api.advance(60);
    const again = await api.signUpByPhone({ phone_number: user.phone_number, username: 'leaving' });
    assert.notEqual(again.sub, user.sub);
  });

  test('password reset with a verification token: the new password works and every session ends', async () => {
    const user = await api.signUpByPhone({ username: 'forgetful' });
    api.advance(60);
    const token = await api.verificationToken({ phone_number: user.phone_number }, 'USER');
    assertError(await api.call('POST', '/auth/v1/reset', { json: { phone_number: api.nextPhone(), verification_token: token, new_password: 'N3w!Passw0rd' } }), 400, 'invalid_argument');
    assertError(await api.call('POST', '/auth/v1/reset', { json: { phone_number: user.phone_number, verification_token: token, new_password: 'weak' } }), 400, 'invalid_argument');
    const res = await api.call('POST', '/auth/v1/reset', { json: { phone_number: user.phone_number, verification_token: token, new_password: 'N3w!Passw0rd' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assert.equal(await api.isLive(user.access_token), false);
    assert.equal((await api.call('POST', '/auth/v1/signin', { json: { username: 'forgetful', password: 'N3w!Passw0rd' } })).status, 200);
  });
});

describe('profile and providers', () => {
  test('/user/me describes the user', async () => {
    const user = await api.signUpByPhone({ username: 'profiled' });
    const me = await api.call('GET', '/auth/v1/user/me?client_id=emulator-env', { token: user.access_token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.sub, user.sub);
    assert.equal(me.body.user_id, user.sub);
    assert.equal(me.body.username, 'profiled');
    assert.equal(me.body.phone_number, user.phone_number);
    assert.equal(me.body.has_password, true);
    assert.deepEqual(me.body.groups, [{ id: 'user' }]);
    assert.ok(!Number.isNaN(Date.parse(me.body.created_at)));
  });

  test('providers: list, bind with an emulator provider token, conflicts, unbind', async () => {
    const user = await api.signUpByPhone();
    const list = await api.call('GET', '/auth/v1/user/provider', { token: user.access_token });
    assert.equal(list.body.total, 3);
    assert.deepEqual(list.body.data.map((p: { id: string; bind: boolean }) => [p.id, p.bind]), [['wx_open', false], ['google', false], ['github', false]]);

    const minted = await api.call('POST', '/__emulator/provider-tokens', { json: { provider_id: 'google', provider_user_id: 'g-1' } });
    assert.equal(minted.status, 200, minted.text);
    const bound = await api.call('POST', '/auth/v1/user/provider/bind', { token: user.access_token, json: { provider_token: minted.body.provider_token } });
    assert.equal(bound.status, 200, bound.text);
    assert.deepEqual(bound.body, {});
    const after = await api.call('GET', '/auth/v1/user/provider', { token: user.access_token });
    assert.equal(after.body.data.find((p: { id: string }) => p.id === 'google').bind, true);

    const second = await api.call('POST', '/__emulator/provider-tokens', { json: { provider_id: 'google' } });
    assertError(await api.call('POST', '/auth/v1/user/provider/bind', { token: user.access_token, json: { provider_token: second.body.provider_token } }), 400, 'failed_precondition', 9);
    const other = await api.signUpByPhone();
    const sameIdentity = await api.call('POST', '/__emulator/provider-tokens', { json: { provider_id: 'google', provider_user_id: 'g-1' } });
    assertError(await api.call('POST', '/auth/v1/user/provider/bind', { token: other.access_token, json: { provider_token: sameIdentity.body.provider_token } }), 400, 'failed_precondition');
    assertError(await api.call('POST', '/auth/v1/user/provider/bind', { token: user.access_token, json: { provider_token: 'pt.bogus' } }), 400, 'invalid_grant');

    assert.equal((await api.call('DELETE', '/auth/v1/user/provider/google', { token: user.access_token })).status, 200);
    assertError(await api.call('DELETE', '/auth/v1/user/provider/google', { token: user.access_token }), 404, 'not_found', 5);
  });
});
