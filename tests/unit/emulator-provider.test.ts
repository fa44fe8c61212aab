/**
 * The provider family in-process (docs/api-facts.md "Provider sign-in and custom tickets"): the fake
 * provider's authorize -> provider/token -> signin/with/provider flow, PATCH provider/token, and custom
 * sign-in with tickets made the way @cloudbase/node-sdk makes them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { createCustomTicket, generateCustomLoginCredentials, type CustomLoginCredentials } from '../../mock/emulator/custom-tickets.ts';
import { assertError, assertEveryAnswerWellFormed, decodeJwt, testEmulator, type EmulatorClient } from './emulator-helpers.ts';

const api = testEmulator();
beforeEach(() => api.emu.reset());
after(() => assertEveryAnswerWellFormed(api));

const REDIRECT = 'https://app.example.com/callback';

/** Steps 1-2 of the flow: the authorize URL, followed; the code and state it redirects back with. */
async function authorize(client: EmulatorClient, providerId: string, identity: Record<string, string> = {}) {
  const uri = await client.call('GET', `/auth/v1/provider/uri?provider_id=${providerId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=st-1`);
  assert.equal(uri.status, 200, uri.text);
  const url = new URL(uri.body.uri);
  for (const [name, value] of Object.entries(identity)) url.searchParams.set(name, value);
  const redirected = await client.call('GET', `${url.pathname}${url.search}`);
  assert.equal(redirected.status, 302, redirected.text);
  const location = new URL(redirected.headers.get('location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
  return { code: location.searchParams.get('code') ?? '', state: location.searchParams.get('state') };
}

async function providerToken(client: EmulatorClient, providerId: string, identity: Record<string, string> = {}) {
  const { code } = await authorize(client, providerId, identity);
  const res = await client.call('POST', '/auth/v1/provider/token', { json: { provider_id: providerId, provider_code: code, provider_redirect_uri: REDIRECT } });
  assert.equal(res.status, 200, res.text);
  return res.body as { provider_token: string; expires_in: number; provider_profile: Record<string, string> };
}

describe('the fake provider and provider/uri', () => {
  test('provider/uri points at the fake authorize endpoint, which redirects back with a code and the state', async () => {
    const uri = await api.call('GET', `/auth/v1/provider/uri?provider_id=github&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz`);
    assert.equal(uri.status, 200, uri.text);
    const url = new URL(uri.body.uri);
    assert.equal(url.pathname, '/__emulator/provider/authorize');
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT);
    assert.equal(url.searchParams.get('state'), 'xyz');
    const { code, state } = await authorize(api, 'github');
    assert.match(code, /^pc\./);
    assert.equal(state, 'st-1');
  });

  test('a redirect_uri that is not http(s) is refused and never echoed', async () => {
    for (const path of [
      `/auth/v1/provider/uri?provider_id=github&redirect_uri=${encodeURIComponent('javascript:alert(1)')}`,
      `/__emulator/provider/authorize?provider_id=github&redirect_uri=${encodeURIComponent('javascript:alert(1)')}`,
      `/__emulator/provider/authorize?provider_id=github&redirect_uri=not-a-url`,
    ]) {
      const res = await api.call('GET', path);
      assertError(res, 400, 'invalid_argument', 3);
      assert.ok(!res.text.includes('javascript'), res.text);
      assert.equal(res.headers.get('location'), null);
    }
  });

  test('an unknown provider is provider_error 4019', async () => {
    assertError(await api.call('GET', '/auth/v1/provider/uri?provider_id=myspace'), 400, 'provider_error', 4019);
    assertError(await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'myspace', provider_code: 'x' } }), 400, 'provider_error', 4019);
  });

  test('without a redirect_uri the fake provider answers the code and state as JSON', async () => {
    const res = await api.call('GET', '/__emulator/provider/authorize?provider_id=github&state=s2&provider_user_id=gh-9');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.state, 's2');
    const token = await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'github', provider_code: res.body.code } });
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.provider_profile.sub, 'gh-9');
  });

  test('a denied authorization redirects back with error=access_denied and no code', async () => {
    const res = await api.call('GET', `/__emulator/provider/authorize?provider_id=google&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s&error=access_denied`);
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('code'), null);
    assert.equal(location.searchParams.get('state'), 's');
  });
});

describe('provider/token', () => {
  test('a code becomes a provider token with the profile the test chose', async () => {
    const token = await providerToken(api, 'github', { provider_user_id: 'gh-42', name: 'Ada', email: 'ada@example.com' });
    assert.match(token.provider_token, /^pt\./);
    assert.equal(token.expires_in, 600);
    assert.deepEqual(token.provider_profile, { provider_id: 'github', sub: 'gh-42', name: 'Ada', email: 'ada@example.com' });
  });

  test('a code is single use, bound to its provider and redirect URI, and expires', async () => {
    const { code } = await authorize(api, 'github');
    const first = await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'github', provider_code: code } });
    assert.equal(first.status, 200, first.text);
    assertError(await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'github', provider_code: code } }), 400, 'failed_precondition', 9);

    const other = await authorize(api, 'github');
    assertError(await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'google', provider_code: other.code } }), 400, 'failed_precondition', 9);
    const third = await authorize(api, 'github');
    assertError(
      await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'github', provider_code: third.code, provider_redirect_uri: 'https://evil.example.com/cb' } }),
      400,
      'failed_precondition',
    );
    const late = await authorize(api, 'github');
    api.advance(601);
    assertError(await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'github', provider_code: late.code } }), 400, 'failed_precondition');
  });

  test('the redirect URI of the exchange may be written as the authorization wrote it (a bare origin)', async () => {
    const uri = await api.call('GET', `/auth/v1/provider/uri?provider_id=github&redirect_uri=${encodeURIComponent('https://app.example.com')}`);
    const url = new URL(uri.body.uri);
    const redirected = await api.call('GET', `${url.pathname}${url.search}`);
    const code = new URL(redirected.headers.get('location') ?? '').searchParams.get('code');
    const res = await api.call('POST', '/auth/v1/provider/token', { json: { provider_id: 'github', provider_code: code, provider_redirect_uri: 'https://app.example.com' } });
    assert.equal(res.status, 200, res.text);
  });

  test('PATCH provider/token trades a live provider token for a new one of the same identity', async () => {
    const token = await providerToken(api, 'wx_open', { provider_user_id: 'wx-1' });
    const patched = await api.call('PATCH', '/auth/v1/provider/token', { json: { provider_token: token.provider_token, provider_params: { code: 'phone-code' } } });
    assert.equal(patched.status, 200, patched.text);
    assert.notEqual(patched.body.provider_token, token.provider_token);
    assert.equal(patched.body.provider_profile.sub, 'wx-1');
    assertError(await api.call('PATCH', '/auth/v1/provider/token', { json: { provider_token: token.provider_token, provider_params: {} } }), 400, 'invalid_grant');
  });
});

describe('signin/with/provider', () => {
  test('a new identity signs up, the same identity signs in to the same user, and the token is used up', async () => {
    const first = await providerToken(api, 'github', { provider_user_id: 'gh-7', name: 'Grace' });
    const signedUp = await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: first.provider_token } });
    assert.equal(signedUp.status, 200, signedUp.text);
    assert.equal(signedUp.body.scope, 'user sso');
    const me = await api.call('GET', '/auth/v1/user/me', { token: signedUp.body.access_token });
    assert.equal(me.body.name, 'Grace');
    const providers = await api.call('GET', '/auth/v1/user/provider', { token: signedUp.body.access_token });
    assert.ok(providers.body.data.some((p: { id: string; bind: boolean }) => p.id === 'github' && p.bind));

    assertError(await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: first.provider_token } }), 400, 'invalid_grant');

    const again = await providerToken(api, 'github', { provider_user_id: 'gh-7' });
    const signedIn = await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: again.provider_token, provider_id: 'github' } });
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.body.sub, signedUp.body.sub);
  });

  test('an identity bound to an existing account signs in to that account', async () => {
    const user = await api.signUpByPhone();
    const bindToken = await providerToken(api, 'google', { provider_user_id: 'g-1' });
    const bound = await api.call('POST', '/auth/v1/user/provider/bind', { token: user.access_token, json: { provider_token: bindToken.provider_token } });
    assert.equal(bound.status, 200, bound.text);
    const token = await providerToken(api, 'google', { provider_user_id: 'g-1' });
    const signedIn = await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: token.provider_token } });
    assert.equal(signedIn.body.sub, user.sub);
  });

  test('with force_disable_sign_up an unknown identity is not_found and the token stays usable', async () => {
    const token = await providerToken(api, 'github');
    assertError(await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: token.provider_token, force_disable_sign_up: true } }), 404, 'not_found', 5);
    const signedUp = await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: token.provider_token } });
    assert.equal(signedUp.status, 200, signedUp.text);
  });

  test('sync_profile copies the provider\'s new name to the user; without it the name stays', async () => {
    const first = await providerToken(api, 'github', { provider_user_id: 'gh-sync', name: 'Old Name' });
    const user = await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: first.provider_token } });
    const renamed = await providerToken(api, 'github', { provider_user_id: 'gh-sync', name: 'New Name' });
    const plain = await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: renamed.provider_token } });
    assert.equal((await api.call('GET', '/auth/v1/user/me', { token: plain.body.access_token })).body.name, 'Old Name');
    const again = await providerToken(api, 'github', { provider_user_id: 'gh-sync', name: 'New Name' });
    const synced = await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: again.provider_token, sync_profile: true } });
    assert.equal(synced.body.sub, user.body.sub);
    assert.equal((await api.call('GET', '/auth/v1/user/me', { token: synced.body.access_token })).body.name, 'New Name');
  });

  test('a provider token of another provider, or never issued, is invalid_grant', async () => {
    const token = await providerToken(api, 'github');
    assertError(await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: token.provider_token, provider_id: 'google' } }), 400, 'invalid_grant');
    assertError(await api.call('POST', '/auth/v1/signin/with/provider', { json: { provider_token: 'pt.never-issued' } }), 400, 'invalid_grant');
  });
});

describe('custom tickets', () => {
  async function key(client: EmulatorClient): Promise<CustomLoginCredentials> {
    const res = await client.call('GET', '/__emulator/custom-login-key');
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  test('a ticket made like node-sdk createTicket signs in; the same uid is the same user', async () => {
    const credentials = await key(api);
    const ticket = await createCustomTicket(credentials, 'user-0001', { nowMs: api.emu.clock.now() * 1000 });
    const [keyId, jwt] = ticket.split('/@@/');
    assert.equal(keyId, credentials.private_key_id);
    const { header, payload } = decodeJwt(jwt ?? '');
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT' });
    assert.equal(payload.env, 'emulator-env');
    assert.equal((payload.exp as number) - (payload.iat as number), 600_000, 'node-sdk: ten minutes, in milliseconds');

    const first = await api.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'custom', ticket } });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.scope, 'user sso');
    const again = await api.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'custom', ticket: await createCustomTicket(credentials, 'user-0001', { nowMs: api.emu.clock.now() * 1000 }) } });
    assert.equal(again.body.sub, first.body.sub);
    const other = await api.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'custom', ticket: await createCustomTicket(credentials, 'user-0002', { nowMs: api.emu.clock.now() * 1000 }) } });
    assert.notEqual(other.body.sub, first.body.sub);
  });

  test('a ticket starts exactly as the docs\' example ticket (same header, same claims in the same order)', async () => {
    // docs https://docs.cloudbase.net/en/http-api/auth/auth-sign-in-custom, request example (truncated there).
    const docsTicket = 'cd7382ee-2f2f-4edf-831e-2f7c68ed3b43/@@/eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhbGciOiJSUzI1NiIsImVudiI6ImJlZ2luZ3JvdXAtMWc2czgyZTIwNWY5ODNjMCIsImlhdCI6MTc1ODU5NzQ4NzY5MSwiZXhwIjo';
    const [docsKeyId, docsJwt = ''] = docsTicket.split('/@@/');
    const credentials = { ...generateCustomLoginCredentials('begingroup-1g6s82e205f983c0'), private_key_id: docsKeyId ?? '' };
    const ticket = await createCustomTicket(credentials, 'your-customUserId', { nowMs: 1758597487691 });
    assert.ok(ticket.startsWith(`${docsKeyId}/@@/${docsJwt}`), ticket.slice(0, 200));
  });

  test('POST /__emulator/custom-tickets signs at the emulator time: the ticket expires after ten minutes', async () => {
    const made = await api.call('POST', '/__emulator/custom-tickets', { json: { uid: 'user-0003' } });
    assert.equal(made.status, 200, made.text);
    api.advance(601);
    assertError(await api.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'custom', ticket: made.body.ticket } }), 401, 'unauthenticated', 16);
  });

  test('a ticket signed with another key, for another env, or malformed is refused with unauthenticated 16', async () => {
    const real = await key(api);
    const now = api.emu.clock.now() * 1000;
    const stranger = { ...generateCustomLoginCredentials('emulator-env'), private_key_id: real.private_key_id };
    const otherEnv = { ...real, env_id: 'another-env' };
    for (const ticket of [
      await createCustomTicket(stranger, 'user-0004', { nowMs: now }),
      await createCustomTicket(otherEnv, 'user-0004', { nowMs: now }),
      await createCustomTicket(generateCustomLoginCredentials('emulator-env'), 'user-0004', { nowMs: now }),
      'not-a-ticket',
      `${real.private_key_id}/@@/a.b.c`,
    ]) {
      const res = await api.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'custom', ticket } });
      assertError(res, 401, 'unauthenticated', 16);
      assert.equal(res.headers.get('www-authenticate'), null);
    }
  });

  test('a rotated key keeps working for two hours, then only the new key does; reset restores the start-up key', async () => {
    const old = await key(api);
    const rotated = await api.call('POST', '/__emulator/custom-login-key');
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.private_key_id, old.private_key_id);
    const sign = async (credentials: CustomLoginCredentials) =>
      api.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'custom', ticket: await createCustomTicket(credentials, 'user-0005', { nowMs: api.emu.clock.now() * 1000 }) } });
    assert.equal((await sign(old)).status, 200);
    api.advance(7201);
    assertError(await sign(old), 401, 'unauthenticated');
    assert.equal((await sign(rotated.body)).status, 200);
    api.emu.reset();
    assert.equal((await key(api)).private_key_id, old.private_key_id);
  });

  test('a configured key is the one that verifies tickets', async () => {
    const credentials = generateCustomLoginCredentials('emulator-env');
    const configured = testEmulator({ customLoginKey: credentials });
    assert.equal((await key(configured)).private_key_id, credentials.private_key_id);
    const ticket = await createCustomTicket(credentials, 'user-0006', { nowMs: configured.emu.clock.now() * 1000 });
    const res = await configured.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'custom', ticket } });
    assert.equal(res.status, 200, res.text);
  });

  test('provider_id other than custom, or a bad uid for the ticket maker, is invalid_argument', async () => {
    assertError(await api.call('POST', '/auth/v1/signin/custom', { json: { provider_id: 'github', ticket: 'x/@@/y' } }), 400, 'invalid_argument', 3);
    assertError(await api.call('POST', '/__emulator/custom-tickets', { json: { uid: 'ab' } }), 400, 'invalid_argument', 3);
  });
});

describe('the --custom-login-key option', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'mock/emulator/cli.ts', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, EMULATOR_PORT: '0' } });

  test('a key file without its fields, or of another env, stops the emulator before it starts, naming the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custom-key-'));
    const incomplete = join(dir, 'incomplete.json');
    writeFileSync(incomplete, JSON.stringify({ private_key_id: 'k' }));
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify(generateCustomLoginCredentials('another-env')));

    const a = cli('--custom-login-key', incomplete);
    assert.equal(a.status, 2, a.stderr);
    assert.match(a.stderr, /lacks private_key, env_id/);
    const b = cli('--custom-login-key', foreign);
    assert.equal(b.status, 2, b.stderr);
    assert.match(b.stderr, /belongs to env "another-env", the emulator is env "emulator-env"/);
    assert.ok(!b.stderr.includes('PRIVATE KEY'), 'the key is never printed');
  });
});
