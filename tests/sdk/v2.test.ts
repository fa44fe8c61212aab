/**
 * The web SDK's `version: 'v2'` calls against the emulator (@cloudbase/js-sdk 3.7.0, `ApiUrlsV2`): sign-in by
 * username (plain, and encrypted with `options.is_encrypt`), sign-in by verification code, the stored v2
 * credentials refreshing at /auth/v2/token, the profile at /auth/v2/user/me, and the password change
 * without login. The same outcomes as specs/v2-*.spec.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rejection, sdkData, useSdkHarness } from './harness.ts';

const harness = useSdkHarness();

const phone = sdkData.phone;
const password = sdkData.password;
const username = () => sdkData.username('v2_');

/** A user with a username and password, signed up over plain HTTP, outside the SDK. */
async function signUp(): Promise<{ username: string; password: string; phone_number: string; sub: string }> {
  const account = { username: username(), password: password(), phone_number: phone() };
  const sent = await harness.raw('POST', '/auth/v1/verification', { phone_number: account.phone_number, target: 'ANY' });
  const code = await harness.latestCode({ phone_number: account.phone_number });
  const verified = await harness.raw('POST', '/auth/v1/verification/verify', { verification_id: sent.body.verification_id, verification_code: code });
  const signedUp = await harness.raw('POST', '/auth/v1/signup', { ...account, verification_token: verified.body.verification_token });
  assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
  return { ...account, sub: String(signedUp.body.sub) };
}

/** The SDK's auth methods this file uses, typed loosely (the .d.ts does not list all of them). */
interface SdkAuth {
  signIn(params: Record<string, unknown>): Promise<unknown>;
  signInWithPassword(params: Record<string, unknown>): Promise<{ data: { user: { id?: string } | null }; error: unknown }>;
  verify(params: Record<string, unknown>): Promise<unknown>;
  getVerification(params: Record<string, unknown>): Promise<{ verification_id?: string }>;
  refreshTokenForce(params: { version?: string }): Promise<{ refresh_token?: string; version?: string }>;
  getCredentials(): Promise<{ access_token?: string; refresh_token?: string; version?: string; sub?: string } | null>;
  getLoginState(): Promise<{ user: { refresh(params?: { version?: string }): Promise<{ sub?: string; username?: string }> } } | null>;
  modifyPasswordWithoutLogin(params: { username: string; password?: string; new_password: string }): Promise<void>;
}

function client(): SdkAuth {
  return harness.client().auth as unknown as SdkAuth;
}

const sentSince = (mark: number) => harness.sent.slice(mark).map((line) => line.replace(/\?.*$/, ''));

describe('@cloudbase/js-sdk 3.7.0 version v2 calls against the emulator', () => {
  test('signIn({version: "v2"}) signs in at /auth/v2/signin/username and stores v2 credentials', async () => {
    const account = await signUp();
    const auth = client();
    const mark = harness.sent.length;

    await auth.signIn({ username: account.username, password: account.password, version: 'v2' });

    assert.ok(sentSince(mark).includes('POST /auth/v2/signin/username'), sentSince(mark).join(', '));
    const credentials = await auth.getCredentials();
    assert.equal(credentials?.version, 'v2');
    const me = await harness.raw('GET', '/auth/v1/user/me', undefined, credentials?.access_token);
    assert.equal(me.body.sub, account.sub);
  });

  test('v2 credentials refresh at /auth/v2/token and the refresh token rotates', async () => {
    const account = await signUp();
    const auth = client();
    await auth.signIn({ username: account.username, password: account.password, version: 'v2' });
    const before = await auth.getCredentials();
    const mark = harness.sent.length;

    const refreshed = await auth.refreshTokenForce({ version: 'v2' });

    assert.deepEqual(sentSince(mark), ['POST /auth/v2/token']);
    assert.notEqual(refreshed.refresh_token, before?.refresh_token);
    const reused = await harness.raw('POST', '/auth/v2/token', { grant_type: 'refresh_token', refresh_token: before?.refresh_token });
    assert.equal(reused.body.error, 'invalid_grant');
  });

  test('loginState.user.refresh({version: "v2"}) reads the profile at /auth/v2/user/me', async () => {
    const account = await signUp();
    const auth = client();
    await auth.signIn({ username: account.username, password: account.password, version: 'v2' });
    const user = (await auth.getLoginState())?.user;
    assert.ok(user, 'no login state after sign-in');
    const mark = harness.sent.length;

    const profile = await user.refresh({ version: 'v2' });

    assert.ok(sentSince(mark).includes('GET /auth/v2/user/me'), sentSince(mark).join(', '));
    assert.equal(profile.sub, account.sub);
    assert.equal(profile.username, account.username);
  });

  test('signInWithPassword with is_encrypt fetches the public key and signs in with the encrypted body', async () => {
    const account = await signUp();
    const auth = client();
    const mark = harness.sent.length;

    const { data, error } = await auth.signInWithPassword({ username: account.username, password: account.password, options: { is_encrypt: true } });

    assert.equal(error, null, JSON.stringify(error));
    assert.equal(data.user?.id, account.sub);
    const sent = sentSince(mark);
    assert.deepEqual(sent.slice(0, 2), ['POST /auth/v2/signin/publichkey', 'POST /auth/v2/signin/username']);
    assert.equal((await auth.getCredentials())?.version, 'v2');
  });

  test('signInWithPassword with is_encrypt and a wrong password answers invalid_password', async () => {
    const account = await signUp();
    const auth = client();

    const { error } = await auth.signInWithPassword({ username: account.username, password: `${account.password}x`, options: { is_encrypt: true } });

    assert.ok(error, 'no error for a wrong password');
    assert.equal((error as { status?: string }).status ?? (error as { error?: string }).error, 'invalid_password', JSON.stringify(error));
  });

  test('verify({version: "v2"}) checks the code and signs its account in', async () => {
    const account = await signUp();
    const auth = client();
    const sent = await auth.getVerification({ phone_number: account.phone_number, target: 'USER' });
    const code = await harness.latestCode({ phone_number: account.phone_number });
    const mark = harness.sent.length;

    await auth.verify({ verification_id: sent.verification_id, verification_code: code, version: 'v2' });

    assert.deepEqual(sentSince(mark), ['POST /auth/v2/signin/verificationcode']);
    const credentials = await auth.getCredentials();
    assert.equal(credentials?.version, 'v2');
    assert.equal(credentials?.sub, account.sub);
  });

  test('modifyPasswordWithoutLogin changes the password with both passwords encrypted', async () => {
    const account = await signUp();
    const auth = client();
    const newPassword = password();
    const mark = harness.sent.length;

    await auth.modifyPasswordWithoutLogin({ username: account.username, password: account.password, new_password: newPassword });

    assert.deepEqual(sentSince(mark), ['POST /auth/v2/signin/publichkey', 'POST /auth/v2/signin/password/update']);
    const signIn = await harness.raw('POST', '/auth/v1/signin', { username: account.username, password: newPassword });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    const old = await harness.raw('POST', '/auth/v1/signin', { username: account.username, password: account.password });
    assert.equal(old.body.error, 'invalid_password');
  });

  test('modifyPasswordWithoutLogin with a wrong old password is refused with invalid_password', async () => {
    const account = await signUp();
    const auth = client();

    const error = await rejection(auth.modifyPasswordWithoutLogin({ username: account.username, password: `${account.password}x`, new_password: password() }));

    assert.equal(error.error, 'invalid_password');
  });
});
