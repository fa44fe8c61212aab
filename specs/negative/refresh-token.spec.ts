import { test, expect, ok, refreshRequest, type ApiClient, type TokenResponse } from '../../fixtures/index.ts';
import { refusal } from './refusals.ts';

// A refresh token is good for one exchange of one live session: anything else is invalid_grant
// (docs: the refresh token rotates; contract-decisions: unknown, rotated, revoked, expired).

async function anonymousSession(api: ApiClient, deviceId: string): Promise<TokenResponse> {
  return ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} })) as TokenResponse;
}

/** Values that were never a refresh token of this environment. */
const NEVER_ISSUED = ['garbage', 'm.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'm.', ' '.repeat(3), 'Bearer m.abc', 'x'.repeat(128)];

test.describe('refresh tokens that cannot be exchanged (POST /auth/v1/token)', () => {
  test('a rotated refresh token is refused with invalid_grant', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
    const session = await anonymousSession(api, deviceId);
    ok(await api.post('/auth/v1/token', { data: refreshRequest(String(session.refresh_token)) }));

    const reused = await api.post('/auth/v1/token', { data: refreshRequest(String(session.refresh_token)) });

    await expect(reused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });

  test('a revoked refresh token is refused with invalid_grant', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
    const session = await anonymousSession(api, deviceId);
    ok(await api.post('/auth/v1/revoke', { data: { token: session.refresh_token } }));

    const refused = await api.post('/auth/v1/token', { data: refreshRequest(String(session.refresh_token)) });

    await expect(refused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });

  test('the refresh token of a signed-out session is refused with invalid_grant', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
    const session = await anonymousSession(api, deviceId);
    ok(await api.post('/auth/v1/user/signout', { token: session.access_token, data: {} }));

    const refused = await api.post('/auth/v1/token', { data: refreshRequest(String(session.refresh_token)) });

    await expect(refused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });

  test('an access token in place of the refresh token is refused with invalid_grant', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
    const session = await anonymousSession(api, deviceId);

    const refused = await api.post('/auth/v1/token', { data: refreshRequest(session.access_token) });

    await expect(refused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });

  test('refresh tokens that were never issued are refused with invalid_grant', { tag: '@stateful' }, async ({ api, target }) => {
    for (const refreshToken of NEVER_ISSUED) {
      const refused = await api.post('/auth/v1/token', { data: refreshRequest(refreshToken) });

      await expect(refused, JSON.stringify(refreshToken)).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
    }
  });

  test('an expired refresh token is refused with invalid_grant', { tag: ['@stateful', '@serial', '@emulator-control'] }, async ({ api, target, deviceId, emulator }) => {
    const session = await anonymousSession(api, deviceId);
    // docs/api-facts.md, "Tokens and JWT claims": refresh tokens live 31 days.
    await emulator.advanceClock(31 * 24 * 3600 + 1);

    const refused = await api.post('/auth/v1/token', { data: refreshRequest(String(session.refresh_token)) });

    await expect(refused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });
});
