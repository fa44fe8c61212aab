/**
 * The web SDK's user-account methods against the emulator: the same outcomes as the raw HTTP flows of
 * the user family in specs/ (user-basic-edit, user-profile-update, contact-binding, user-lookups,
 * sign-out-everywhere, device-sign-out, current-user-code). Methods left out, and why, are listed in
 * docs/api-facts.md ("User profile, contact, account look-ups, sessions and devices").
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rejection, sdkData, useSdkHarness, type SdkClient } from './harness.ts';

const harness = useSdkHarness();

const phone = sdkData.phone;
const password = sdkData.password;
const email = sdkData.email;
const username = () => sdkData.username();

/** The OAuth layer's Auth API object the js-sdk wraps (`auth.oauthInstance.authApi`), for methods the wrapper does not expose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const authApiOf = (auth: SdkClient['auth']): any => (auth as unknown as { oauthInstance: { authApi: unknown } }).oauthInstance.authApi;

/** A code sent, read and verified over plain HTTP: a verification token for that phone number or email. */
async function verificationTokenFor(to: { phone_number: string } | { email: string }): Promise<string> {
  const sent = await harness.raw('POST', '/auth/v1/verification', { ...to, target: 'ANY' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const code = await harness.latestCode(to);
  const verified = await harness.raw('POST', '/auth/v1/verification/verify', { verification_id: sent.body.verification_id, verification_code: code });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  return String(verified.body.verification_token);
}

/** A user signed up over HTTP with a phone number, password and username, then signed in through the SDK. */
async function signedInUser(extra: { username?: string } = {}) {
  const phoneNumber = phone();
  const secret = password();
  const name = extra.username ?? username();
  const verificationToken = await verificationTokenFor({ phone_number: phoneNumber });
  const signedUp = await harness.raw('POST', '/auth/v1/signup', { phone_number: phoneNumber, verification_token: verificationToken, password: secret, username: name });
  assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
  const client = harness.client();
  const signedIn = await client.auth.signInWithPassword({ phone: phoneNumber.replace(' ', ''), password: secret });
  assert.equal(signedIn.error ?? null, null, `signInWithPassword failed: ${JSON.stringify(signedIn.error)}`);
  const accessToken = String(signedIn.data.session?.access_token);
  return { ...client, phoneNumber, password: secret, username: name, sub: String(signedUp.body.sub), accessToken };
}

async function meOf(accessToken: string) {
  const me = await harness.raw('GET', '/auth/v1/user/me', undefined, accessToken);
  assert.equal(me.status, 200, JSON.stringify(me.body));
  return me.body;
}

describe('@cloudbase/js-sdk 3.7.0 user-account methods against the emulator', () => {
  test('auth.updateUser({nickname, gender, ...}) saves through basic/edit and answers the updated user', async () => {
    const user = await signedInUser();
    const updated = await user.auth.updateUser({ nickname: 'Ada Lovelace', gender: 'FEMALE', avatar_url: 'https://example.com/ada.png' } as never);
    assert.equal(updated.error ?? null, null, `updateUser failed: ${JSON.stringify(updated.error)}`);
    assert.equal(updated.data.user?.user_metadata?.name, 'Ada Lovelace');
    const me = await meOf(user.accessToken);
    assert.equal(me.name, 'Ada Lovelace');
    assert.equal(me.picture, 'https://example.com/ada.png');
    assert.ok(harness.sent.some((line) => line.startsWith('POST /auth/v1/user/basic/edit')), 'the SDK did not call basic/edit');
  });

  test('auth.updateUser({email}) sends a code to the new address; verifyOtp with it changes the email', async () => {
    const user = await signedInUser();
    const newEmail = email();
    const started = await user.auth.updateUser({ email: newEmail });
    assert.equal(started.error ?? null, null, `updateUser failed: ${JSON.stringify(started.error)}`);
    const code = await harness.latestCode({ email: newEmail });
    const done = await (started.data as unknown as { verifyOtp(p: { email: string; token: string }): Promise<{ error: unknown }> }).verifyOtp({ email: newEmail, token: code });
    assert.equal(done.error ?? null, null, `verifyOtp failed: ${JSON.stringify(done.error)}`);
    assert.equal((await meOf(user.accessToken)).email, newEmail);
  });

  test('auth.updateUser({username}) to a username another account holds fails with failed_precondition', async () => {
    const holder = await signedInUser();
    const user = await signedInUser();
    const refused = await user.auth.updateUser({ username: holder.username } as never);
    assert.ok(refused.error, 'updateUser to a taken username succeeded');
    assert.match(JSON.stringify(refused.error), /failed_precondition|already exists/);
  });

  test('auth.queryUser and auth.isUsernameRegistered find a registered user', async () => {
    const holder = await signedInUser();
    const user = await signedInUser();
    const found = await user.auth.queryUser({ username: holder.username });
    assert.equal(found.total, 1);
    assert.equal(found.data?.[0]?.sub, holder.sub);
    const byIds = await user.auth.queryUser({ id: [holder.sub, user.sub] as never });
    assert.deepEqual(byIds.data?.map((u) => u.sub).sort(), [holder.sub, user.sub].sort());
    assert.equal(await user.auth.isUsernameRegistered(holder.username), true);
    assert.equal(await user.auth.isUsernameRegistered(username()), false);
  });

  test('the Node build cannot send PATCH or DELETE: bindEmail, bindPhoneNumber, User.update, revokeAllDevices and revokeDevice fail before any request', async () => {
    // @cloudbase/js-sdk 3.7.0 auth adapter (useAuthAdapter): the Node request class has get/post/upload/download only.
    const user = await signedInUser();
    const before = harness.sent.length;
    const attempts: [string, Promise<unknown>][] = [
      ['bindEmail', user.auth.bindEmail({ email: email(), sudo_token: 'sudo.x', verification_token: 'vt.x' })],
      ['bindPhoneNumber', user.auth.bindPhoneNumber({ phone_number: phone(), sudo_token: 'sudo.x', verification_token: 'vt.x', conflict_resolution: 'DEFAULT' })],
      ['setUserProfile', authApiOf(user.auth).setUserProfile({ name: 'x' })],
      ['revokeAllDevices', authApiOf(user.auth).revokeAllDevices()],
      ['revokeDevice', authApiOf(user.auth).revokeDevice({ device_id: 'd' })],
    ];
    for (const [name, attempt] of attempts) {
      const error = await rejection(attempt);
      assert.match(String((error as { message?: unknown }).message ?? JSON.stringify(error)), /invalid 【(patch|delete)】 request method/, name);
    }
    assert.deepEqual(harness.sent.slice(before), [], 'no request reached the emulator');
  });

  test('auth.getVerification({target: CUR_USER}) sends a code to the signed-in user\'s own phone with the Bearer token', async () => {
    // sendVerificationCodeToCurrentUser sends the same request but asks for a captcha first (withCaptcha: POST /auth/v1/captcha/data).
    const user = await signedInUser();
    const sent = await user.auth.getVerification({ target: 'CUR_USER' });
    assert.equal(typeof sent.verification_id, 'string');
    assert.equal(sent.is_user, true);
    const code = await harness.latestCode({ phone_number: user.phoneNumber });
    const verified = await user.auth.verify({ verification_id: String(sent.verification_id), verification_code: code });
    const sudo = await authApiOf(user.auth).sudo({ verification_token: verified.verification_token });
    assert.equal(typeof sudo.sudo_token, 'string');
  });
});
