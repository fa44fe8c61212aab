/**
 * The official SDK (`@cloudbase/oauth` 3.3.3, unchanged) against the emulator on a real port:
 * anonymous sign-in, SMS sign-up, password sign-in, refresh, sign-out, sudo, password change and
 * deletion. It checks what the SDK sees and that the emulator's state changed accordingly.
 *
 * The SDK needs a storage in Node (its default is window.localStorage); its default request uses the
 * global fetch, which Node 20 has, so no request adapter is passed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloudbaseOAuth, type Credentials } from '@cloudbase/oauth';
import { ContractClient, ControlClient } from '../../contract/index.ts';
import { startEmulator, type RunningEmulator } from '../../mock/emulator/server.ts';

const ENV_ID = 'sdk-compat-env';
let running: RunningEmulator;

/** The SDK's SimpleStorage, in memory. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  async getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  async setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  async removeItem(key: string) {
    this.items.delete(key);
  }
  getItemSync(key: string) {
    return this.items.get(key) ?? null;
  }
  setItemSync(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItemSync(key: string) {
    this.items.delete(key);
  }
}

function sdk(storage = new MemoryStorage()) {
  const oauth = new CloudbaseOAuth({ apiOrigin: running.url, env: ENV_ID, clientId: ENV_ID, storage });
  return { auth: oauth.authApi, storage };
}

/** Calls straight to the emulator, outside the SDK, to look at its state (the shared client). */
async function raw(method: 'GET' | 'POST', path: string, body?: unknown, token?: string) {
  const answer = await new ContractClient({ baseURL: running.url }).call(method, path, { data: body, token });
  return { status: answer.status, body: answer.body };
}

const refreshIsDead = async (refreshToken: string) =>
  (await raw('POST', '/auth/v1/token', { grant_type: 'refresh_token', refresh_token: refreshToken })).body.error === 'invalid_grant';
const accessIsLive = async (accessToken: string) =>
  typeof (await raw('GET', '/auth/v1/token/introspect', undefined, accessToken)).body.sub === 'string';

async function latestCode(phoneNumber: string): Promise<string> {
  const codes = await new ControlClient(running.url).codes({ phone_number: phoneNumber });
  return present(codes[0], `a code for ${phoneNumber}`).code;
}

/** A value the SDK types as optional but must be there. */
function present<T>(value: T | null | undefined, what: string): T {
  assert.ok(value !== null && value !== undefined, `${what} is missing`);
  return value;
}

/** Whatever the SDK throws (a plain `{error, error_description}` object), caught. */
async function rejection(promise: Promise<unknown>): Promise<{ error?: unknown; error_code?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { error?: unknown; error_code?: unknown };
  }
  assert.fail('expected the SDK call to fail');
}

before(async () => {
  running = await startEmulator({ port: 0, envId: ENV_ID });
});
after(async () => {
  await running?.close();
});

describe('the official SDK against the emulator', () => {
  test('anonymous sign-in: scope "anonymous"; the same device (storage) gets the same user', async () => {
    const { auth, storage } = sdk();
    const credentials = await auth.signInAnonymously();
    assert.equal(credentials.token_type, 'Bearer');
    assert.equal(credentials.scope, 'anonymous');
    assert.match(present(credentials.sub, 'sub'), /^[A-Za-z0-9_-]{22}$/);
    assert.equal(await auth.loginScope(), 'anonymous');
    assert.equal((await auth.getCredentials()).access_token, credentials.access_token);

    const again = await sdk(storage).auth.signInAnonymously();
    assert.equal(again.sub, credentials.sub, 'the SDK keeps its device id in the storage');
    const stranger = await sdk().auth.signInAnonymously();
    assert.notEqual(stranger.sub, credentials.sub);
  });

  test('SMS sign-up, sign-out, password sign-in, refresh, expiry and sign-out again', async () => {
    const phone = '+86 13912345678';
    const password = 'Passw0rd!';
    const { auth } = sdk();

    // Send a code (the SDK omits nothing here), read it from the emulator, verify, sign up.
    const sent = await auth.getVerification({ phone_number: phone, target: 'ANY' });
    assert.equal(sent.is_user, false);
    const code = await latestCode(phone);
    const verified = await auth.verify({ verification_id: sent.verification_id, verification_code: code });
    const signedUp = await auth.signUp({
      phone_number: phone,
      verification_code: code,
      verification_token: verified.verification_token,
      username: 'sdk_user',
      password,
      name: 'SDK User',
    });
    assert.equal(signedUp.scope, 'user sso');
    assert.match(present(signedUp.sub, 'sub'), /^[1-9]\d{18}$/);
    const me = await auth.getUserInfo();
    assert.equal(me.uid, signedUp.sub);
    assert.equal(me.phone_number, phone);
    assert.equal(me.username, 'sdk_user');

    // signOut() without params revokes the access token (body {token}, no Authorization).
    await auth.signOut();
    assert.equal(await auth.hasLoginState(), false);
    assert.equal(await accessIsLive(present(signedUp.access_token, 'access_token')), false);
    assert.equal(await refreshIsDead(present(signedUp.refresh_token, 'refresh_token')), true);

    const signedIn = await auth.signIn({ username: 'sdk_user', password });
    assert.equal(signedIn.sub, signedUp.sub);
    const wrong = await rejection(sdk().auth.signIn({ username: 'sdk_user', password: 'Wr0ng!pass' }));
    assert.equal(wrong.error, 'invalid_password');

    // A forced refresh rotates the refresh token; the old one is dead at once.
    const refreshed: Credentials = await auth.refreshTokenForce({});
    assert.equal(refreshed.sub, signedUp.sub);
    assert.equal(refreshed.scope, 'user sso');
    assert.notEqual(refreshed.refresh_token, signedIn.refresh_token);
    assert.equal(await refreshIsDead(present(signedIn.refresh_token, 'refresh_token')), true);
    assert.equal((await auth.getCredentials()).refresh_token, refreshed.refresh_token);

    // Past expiry by the emulator clock, the access token the SDK holds is refused: the SDK drops it.
    running.emulator.clock.advance(7200);
    const expired = await rejection(auth.getUserInfo());
    assert.equal(expired.error, 'unauthenticated');
    assert.equal(await auth.hasLoginState(), false);

    // An SDK whose stored credentials are past expires_at refreshes on its own before calling.
    const stale = new MemoryStorage();
    stale.items.set(`credentials_${ENV_ID}`, JSON.stringify({ ...refreshed, expires_at: new Date(Date.now() - 1000) }));
    const revived = sdk(stale).auth;
    const profile = await revived.getUserInfo();
    assert.equal(profile.sub, signedUp.sub);
    const current = await revived.getCredentials();
    assert.notEqual(current.refresh_token, refreshed.refresh_token);
    assert.equal(await refreshIsDead(present(refreshed.refresh_token, 'refresh_token')), true);
    assert.equal(await accessIsLive(present(current.access_token, 'access_token')), true);

    // signOut(params) goes through POST /user/signout with the Bearer token.
    await revived.signOut({ state: 'bye' });
    assert.equal(await revived.hasLoginState(), false);
    assert.equal(await accessIsLive(present(current.access_token, 'access_token')), false);
    assert.equal(await refreshIsDead(present(current.refresh_token, 'refresh_token')), true);
  });

  test('sudo, password change (sudo_token in the body) and deletion (sudo_token in the query)', async () => {
    const phone = '+86 13987654321';
    const { auth } = sdk();
    const sent = await auth.getVerification({ phone_number: phone, target: 'NOT_USER' });
    const verified = await auth.verify({ verification_id: sent.verification_id, verification_code: await latestCode(phone) });
    await auth.signUp({ phone_number: phone, verification_token: verified.verification_token, password: 'Passw0rd!' });
    const other = await sdk().auth.signIn({ username: phone, password: 'Passw0rd!' });

    await auth.updatePasswordByOld({ old_password: 'Passw0rd!', new_password: 'N3w!Passw0rd' });
    assert.equal(await accessIsLive(present(other.access_token, 'access_token')), false, 'a password change ends the other sessions');
    assert.equal(await auth.hasLoginState(), true);
    assert.equal((await rejection(sdk().auth.signIn({ username: phone, password: 'Passw0rd!' }))).error, 'invalid_password');

    const { sudo_token } = await auth.sudo({ password: 'N3w!Passw0rd' });
    const denied = await rejection(auth.deleteMe({ sudo_token: 'sudo.forged' }));
    assert.equal(denied.error, 'permission_denied');
    assert.equal(denied.error_code, 7);
    assert.deepEqual(await auth.deleteMe({ sudo_token: present(sudo_token, 'sudo_token') }), {});
    assert.equal((await rejection(sdk().auth.signIn({ username: phone, password: 'N3w!Passw0rd' }))).error, 'not_found');
    const stats = await raw('GET', '/__emulator/stats');
    assert.equal(stats.status, 200);
  });
});
