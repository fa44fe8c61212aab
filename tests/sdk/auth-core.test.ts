/**
 * The web SDK's core auth methods against the emulator: the same outcomes as the raw HTTP flows in specs/
 * (anonymous sign-in, sign-up and sign-in with an SMS code, password sign-in, session refresh with rotation,
 * the user's profile, sign-out). Other families have their own files beside this one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { faker } from '@faker-js/faker';
import { sdkData, useSdkHarness, type SdkHarness } from './harness.ts';

const harness = useSdkHarness();

const phone = sdkData.phone;
const password = sdkData.password;

/** Sign up with a password over plain HTTP (send the code, verify it, sign up), outside the SDK. */
async function signUpByHttpWithPassword(phoneNumber: string, secret: string): Promise<void> {
  const sent = await harness.raw('POST', '/auth/v1/verification', { phone_number: phoneNumber, target: 'ANY' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const code = await harness.latestCode({ phone_number: phoneNumber });
  const verified = await harness.raw('POST', '/auth/v1/verification/verify', { verification_id: sent.body.verification_id, verification_code: code });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  const signedUp = await harness.raw('POST', '/auth/v1/signup', { phone_number: phoneNumber, verification_token: verified.body.verification_token, password: secret });
  assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
}

/** Sign up a new user by SMS through the SDK's v3 flow: send the code, then verify it. */
async function signUpBySms(auth: ReturnType<SdkHarness['client']>['auth'], phoneNumber: string) {
  const sent = await auth.signInWithOtp({ phone: phoneNumber.replace(' ', '') });
  assert.equal(sent.error ?? null, null, `signInWithOtp failed: ${JSON.stringify(sent.error)}`);
  const code = await harness.latestCode({ phone_number: phoneNumber });
  const signedIn = await sent.data.verifyOtp({ token: code });
  assert.equal(signedIn.error ?? null, null, `verifyOtp failed: ${JSON.stringify(signedIn.error)}`);
  return signedIn.data;
}

describe('@cloudbase/js-sdk 3.7.0 against the emulator', () => {
  test('signInAnonymously gives an anonymous session whose user the emulator knows', async () => {
    const { auth } = harness.client();
    await auth.signInAnonymously();
    const { data } = await auth.getUser();
    assert.ok(data.user?.id, 'getUser returned no user id');
    const session = await auth.getSession();
    const me = await harness.raw('GET', '/auth/v1/user/me', undefined, session.data.session.access_token);
    assert.equal(me.status, 200);
    assert.equal(me.body.sub, data.user.id);
  });

  test('signInWithOtp then verifyOtp signs a new phone number up and in', async () => {
    const { auth } = harness.client();
    const phoneNumber = phone();
    const data = await signUpBySms(auth, phoneNumber);
    assert.ok(data.session?.access_token, 'no session after verifyOtp');
    const me = await harness.raw('GET', '/auth/v1/user/me', undefined, data.session.access_token);
    assert.equal(me.body.phone_number, phoneNumber);
  });

  test('refreshSession rotates the refresh token: the old one is dead afterwards', async () => {
    const { auth } = harness.client();
    await signUpBySms(auth, phone());
    const before = (await auth.getSession()).data.session;
    const refreshed = await auth.refreshSession();
    assert.equal(refreshed.error ?? null, null, `refreshSession failed: ${JSON.stringify(refreshed.error)}`);
    const after = refreshed.data.session;
    assert.notEqual(after.refresh_token, before.refresh_token);
    const reuse = await harness.raw('POST', '/auth/v1/token', { grant_type: 'refresh_token', refresh_token: before.refresh_token, client_id: harness.client().env });
    assert.equal(reuse.body.error, 'invalid_grant');
  });

  test('signInWithPassword signs in a user who has a password; a wrong one is refused as invalid_password, not as a captcha demand', async () => {
    const phoneNumber = phone();
    const secret = password();
    await signUpByHttpWithPassword(phoneNumber, secret);
    const { auth } = harness.client();
    const wrong = await auth.signInWithPassword({ phone: phoneNumber.replace(' ', ''), password: `${secret}x` });
    assert.equal(wrong.error?.code, 'invalid_password', JSON.stringify(wrong.error));
    assert.notEqual(wrong.error?.category, 'CAPTCHA_REQUIRED', 'the SDK reads the error_code as a captcha demand');
    const ok = await auth.signInWithPassword({ phone: phoneNumber.replace(' ', ''), password: secret });
    assert.equal(ok.error ?? null, null, `signInWithPassword failed: ${JSON.stringify(ok.error)}`);
    const me = await harness.raw('GET', '/auth/v1/user/me', undefined, ok.data.session.access_token);
    assert.equal(me.body.phone_number, phoneNumber);
  });

  test('signOut ends the session: its access token no longer works', async () => {
    const { auth } = harness.client();
    await auth.signInAnonymously();
    const token = (await auth.getSession()).data.session.access_token;
    await auth.signOut();
    const me = await harness.raw('GET', '/auth/v1/user/me', undefined, token);
    assert.equal(me.status, 401);
    const { data } = await auth.getSession();
    assert.equal(data.session ?? null, null, 'the SDK still holds a session after signOut');
  });

  test('the SDK reached no host but the emulator', () => {
    const strangers = harness.blocked.filter((url) => !url.startsWith('http://metadata.tencentyun.com/'));
    assert.deepEqual(strangers, []);
  });

  test('an SDK error keeps the error string the emulator sent', async () => {
    const { auth } = harness.client();
    const wrong = await auth.signInWithPassword({ username: `nobody${faker.string.numeric(6)}`, password: password() });
    assert.ok(wrong.error, 'signing in as an unknown user succeeded');
    assert.notEqual(wrong.error.category, 'CAPTCHA_REQUIRED');
    assert.match(String(wrong.error.code), /^(user_not_found|not_found)$/);
  });
});
