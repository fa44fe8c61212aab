/**
 * The captcha / v2 family in-process (`app.request()`): image captchas, the switch that makes chosen
 * operations demand one, and the `/auth/v2` calls (encrypted password sign-in, code sign-in, refresh,
 * user/me, password change without login).
 */
import assert from 'node:assert/strict';
import { constants, publicEncrypt } from 'node:crypto';
import { after, beforeEach, describe, test } from 'node:test';
import { assertError, assertEveryAnswerWellFormed, testEmulator } from './emulator-helpers.ts';

const api = testEmulator();
beforeEach(() => api.emu.reset());
after(() => assertEveryAnswerWellFormed(api));

async function newCaptcha(state = 'POST:/v1/verification') {
  const res = await api.call('POST', '/auth/v1/captcha/data', { json: { state, redirect_uri: '' } });
  assert.equal(res.status, 200, res.text);
  return res.body as { data: string; type: string; token: string; expires_in: number };
}

async function answerOf(token: string): Promise<string> {
  const res = await api.call('GET', `/__emulator/captchas?token=${encodeURIComponent(token)}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.captchas.length, 1);
  return res.body.captchas[0].answer;
}

async function captchaToken(): Promise<string> {
  const captcha = await newCaptcha();
  const res = await api.call('POST', '/auth/v1/captcha/data/verify', { json: { token: captcha.token, key: await answerOf(captcha.token) } });
  assert.equal(res.status, 200, res.text);
  return res.body.captcha_token;
}

async function demandCaptchaFor(...operations: string[]) {
  const res = await api.call('PATCH', '/__emulator/config', { json: { captcha_required_operations: operations } });
  assert.equal(res.status, 200, res.text);
  return res;
}

const sendCode = (phone: string, headers: Record<string, string> = {}, query = '') =>
  api.call('POST', `/auth/v1/verification${query}`, { json: { phone_number: phone, target: 'ANY' }, headers });

describe('image captcha', () => {
  test('captcha/data answers an image data URI, type image, a token and a 300 s lifetime', async () => {
    const captcha = await newCaptcha();
    assert.match(captcha.data, /^data:image\/[a-z+]+;base64,[A-Za-z0-9+/]+=*$/);
    assert.equal(captcha.type, 'image');
    assert.equal(captcha.expires_in, 300);
    assert.ok(captcha.token.length > 8);
  });

  test('the right answer (any case) earns a captcha_token that lives 600 s', async () => {
    const captcha = await newCaptcha();
    const answer = await answerOf(captcha.token);
    assert.match(answer, /^[A-Z2-9]{4}$/);
    const res = await api.call('POST', '/auth/v1/captcha/data/verify', { json: { token: captcha.token, key: answer.toLowerCase() } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.expires_in, 600);
    assert.equal(typeof res.body.captcha_token, 'string');
  });

  test('a wrong answer is invalid_argument and spends the challenge', async () => {
    const captcha = await newCaptcha();
    const answer = await answerOf(captcha.token);
    assertError(await api.call('POST', '/auth/v1/captcha/data/verify', { json: { token: captcha.token, key: 'xxxxx' } }), 400, 'invalid_argument', 3);
    assertError(await api.call('POST', '/auth/v1/captcha/data/verify', { json: { token: captcha.token, key: answer } }), 400, 'invalid_argument', 3);
    assert.equal((await api.call('GET', `/__emulator/captchas?token=${captcha.token}`)).body.captchas[0].status, 'failed');
  });

  test('an answer after 300 s, or to an unknown token, is invalid_argument', async () => {
    const captcha = await newCaptcha();
    const answer = await answerOf(captcha.token);
    api.advance(300);
    assertError(await api.call('POST', '/auth/v1/captcha/data/verify', { json: { token: captcha.token, key: answer } }), 400, 'invalid_argument', 3);
    assertError(await api.call('POST', '/auth/v1/captcha/data/verify', { json: { token: 'cd.nope', key: 'ABCD' } }), 400, 'invalid_argument', 3);
  });

  test('captcha/init answers a url carrying state and token that the data/verify step accepts', async () => {
    const res = await api.call('POST', '/auth/v1/captcha/init', { json: { state: 's-1', redirect_uri: 'https://app.example/cb' } });
    assert.equal(res.status, 200, res.text);
    const match = /^(data:image\/[^?]+)\?(.*)$/.exec(res.body.url);
    assert.ok(match, res.body.url);
    const query = new URLSearchParams(match[2]);
    assert.equal(query.get('state'), 's-1');
    const token = query.get('token') ?? '';
    const verified = await api.call('POST', '/auth/v1/captcha/data/verify', { json: { token, key: await answerOf(token) } });
    assert.equal(verified.status, 200, verified.text);
  });

  test('reset forgets challenges and tokens', async () => {
    const token = await captchaToken();
    await demandCaptchaFor('POST /auth/v1/verification');
    api.emu.reset();
    await demandCaptchaFor('POST /auth/v1/verification');
    assertError(await sendCode(api.nextPhone(), { 'x-captcha-token': token }), 400, 'captcha_invalid', 4002);
    assert.equal((await api.call('GET', '/__emulator/captchas')).body.captchas.length, 0);
  });
});

describe('operations that demand a captcha', () => {
  test('nothing demands a captcha by default', async () => {
    assert.deepEqual((await api.call('GET', '/__emulator/config')).body.captcha_required_operations, []);
    assert.equal((await sendCode(api.nextPhone())).status, 200);
  });

  test('a chosen operation answers captcha_required (400, 4001) without a captcha token', async () => {
    await demandCaptchaFor('POST /auth/v1/verification');
    assertError(await sendCode(api.nextPhone()), 400, 'captcha_required', 4001);
  });

  test('the x-captcha-token header (docs) or the captcha_token query (SDK) lets it through', async () => {
    await demandCaptchaFor('POST /auth/v1/verification');
    const token = await captchaToken();
    assert.equal((await sendCode(api.nextPhone(), { 'x-captcha-token': token })).status, 200);
    assert.equal((await sendCode(api.nextPhone(), {}, `?captcha_token=${encodeURIComponent(token)}`)).status, 200);
  });

  test('a forged or expired captcha token is captcha_invalid (400, 4002)', async () => {
    await demandCaptchaFor('POST /auth/v1/verification');
    const token = await captchaToken();
    assertError(await sendCode(api.nextPhone(), { 'x-captcha-token': 'v1.forged' }), 400, 'captcha_invalid', 4002);
    api.advance(600);
    assertError(await sendCode(api.nextPhone(), { 'x-captcha-token': token }), 400, 'captcha_invalid', 4002);
  });

  test('other operations are not affected, and path parameters match one segment', async () => {
    await demandCaptchaFor('POST /auth/v1/signin', 'DELETE /auth/v1/user/provider/{provider_id}');
    assert.equal((await sendCode(api.nextPhone())).status, 200);
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'nobody', password: 'x' } }), 400, 'captcha_required', 4001);
    assertError(await api.call('DELETE', '/auth/v1/user/provider/github'), 400, 'captcha_required', 4001);
  });

  test('PATCH /__emulator/config refuses anything but a list of "METHOD /auth/..." strings', async () => {
    for (const bad of ['POST /auth/v1/signin', ['signin'], ['PUT /auth/v1/signin'], [1]]) {
      assertError(await api.call('PATCH', '/__emulator/config', { json: { captcha_required_operations: bad } }), 400, 'invalid_argument', 3);
    }
  });

  test('reset turns the demand off again', async () => {
    await demandCaptchaFor('POST /auth/v1/verification');
    api.emu.reset();
    assert.equal((await sendCode(api.nextPhone())).status, 200);
  });
});

/** What the SDK's bundled `encryptLong` sends: base64 of PKCS#1 v1.5 blocks, one per 117 characters. */
function encryptLikeTheSdk(publicKeyPem: string, text: string, stripLeadingZeros = false): string {
  const blocks = (text.match(/.{1,117}/g) ?? []).map((piece) => {
    for (;;) {
      const block = publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(piece));
      if (!stripLeadingZeros) return block;
      if (block[0] === 0) return block.subarray(block.findIndex((b) => b !== 0));
    }
  });
  return Buffer.concat(blocks).toString('base64');
}

async function publicKey() {
  const res = await api.call('POST', '/auth/v2/signin/publichkey', { json: {} });
  assert.equal(res.status, 200, res.text);
  assert.match(res.body.public_key, /^-----BEGIN PUBLIC KEY-----/);
  return res.body as { public_key: string; public_key_thumbprint: string };
}

describe('/auth/v2', () => {
  test('v2 sign-in by username and password answers the token response of v1', async () => {
    const user = await api.signUpByPhone({ username: 'v2_user' });
    const res = await api.call('POST', '/auth/v2/signin/username', { json: { username: 'v2_user', password: user.password } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sub, user.sub);
    assert.equal(res.body.token_type, 'Bearer');
  });

  test('v2 sign-in takes the encrypted body the SDK sends with is_encrypt', async () => {
    const user = await api.signUpByPhone({ username: 'v2_enc' });
    const key = await publicKey();
    const params = encryptLikeTheSdk(key.public_key, JSON.stringify({ username: 'v2_enc', password: user.password }));
    const res = await api.call('POST', '/auth/v2/signin/username', { json: { params, public_key_thumbprint: key.public_key_thumbprint } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sub, user.sub);
  });

  test('a block the SDK wrote without its leading zero byte still decrypts', async () => {
    const user = await api.signUpByPhone({ username: 'v2_short' });
    const key = await publicKey();
    const params = encryptLikeTheSdk(key.public_key, JSON.stringify({ username: 'v2_short', password: user.password }), true);
    const res = await api.call('POST', '/auth/v2/signin/username', { json: { params, public_key_thumbprint: key.public_key_thumbprint } });
    assert.equal(res.status, 200, res.text);
  });

  test('an encrypted wrong password is invalid_password; a foreign thumbprint or garbage is invalid_argument', async () => {
    await api.signUpByPhone({ username: 'v2_bad' });
    const key = await publicKey();
    const wrong = encryptLikeTheSdk(key.public_key, JSON.stringify({ username: 'v2_bad', password: 'Wr0ng!pass' }));
    assertError(await api.call('POST', '/auth/v2/signin/username', { json: { params: wrong, public_key_thumbprint: key.public_key_thumbprint } }), 400, 'invalid_password');
    assertError(await api.call('POST', '/auth/v2/signin/username', { json: { params: wrong, public_key_thumbprint: 'other' } }), 400, 'invalid_argument', 3);
    assertError(await api.call('POST', '/auth/v2/signin/username', { json: { params: 'bm90IHJzYQ==', public_key_thumbprint: key.public_key_thumbprint } }), 400, 'invalid_argument', 3);
  });

  test('v2 code sign-in checks the code and signs in the account of that phone number', async () => {
    const user = await api.signUpByPhone();
    api.advance(60);
    const sent = await sendCode(user.phone_number);
    const code = await api.latestCode({ phone_number: user.phone_number });
    const res = await api.call('POST', '/auth/v2/signin/verificationcode', { json: { verification_id: sent.body.verification_id, verification_code: code } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sub, user.sub);
    const again = await api.call('POST', '/auth/v2/signin/verificationcode', { json: { verification_id: sent.body.verification_id, verification_code: code } });
    assertError(again, 400, 'invalid_argument', 3);
  });

  test('v2 code sign-in of a phone number without an account is not_found', async () => {
    const phone = api.nextPhone();
    const sent = await sendCode(phone);
    const code = await api.latestCode({ phone_number: phone });
    assertError(await api.call('POST', '/auth/v2/signin/verificationcode', { json: { verification_id: sent.body.verification_id, verification_code: code } }), 404, 'not_found', 5);
  });

  test('v2 token refresh rotates like v1 and v2 user/me answers the profile', async () => {
    const user = await api.signUpByPhone();
    const refreshed = await api.call('POST', '/auth/v2/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } });
    assert.equal(refreshed.status, 200, refreshed.text);
    assertError(await api.call('POST', '/auth/v2/token', { json: { grant_type: 'refresh_token', refresh_token: user.refresh_token } }), 400, 'invalid_grant');
    const me = await api.call('GET', '/auth/v2/user/me', { token: refreshed.body.access_token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.sub, user.sub);
    assertError(await api.call('GET', '/auth/v2/user/me'), 401, 'unauthenticated', 16);
  });

  test('v2 password update without login checks the old password, sets the new one and ends the sessions', async () => {
    const user = await api.signUpByPhone({ username: 'v2_pw' });
    const key = await publicKey();
    const enc = (text: string) => encryptLikeTheSdk(key.public_key, text);
    const body = (old: string, next: string) => ({ username: 'v2_pw', password: enc(old), new_password: enc(next), public_key_thumbprint: key.public_key_thumbprint });
    assertError(await api.call('POST', '/auth/v2/signin/password/update', { json: body('Wr0ng!pass', 'N3w!Passw0rd') }), 400, 'invalid_password');
    assertError(await api.call('POST', '/auth/v2/signin/password/update', { json: body(user.password, 'weak') }), 400, 'invalid_argument', 3);
    const res = await api.call('POST', '/auth/v2/signin/password/update', { json: body(user.password, 'N3w!Passw0rd') });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assert.equal(await api.isLive(user.access_token), false);
    const signIn = await api.call('POST', '/auth/v1/signin', { json: { username: 'v2_pw', password: 'N3w!Passw0rd' } });
    assert.equal(signIn.status, 200, signIn.text);
  });
});
