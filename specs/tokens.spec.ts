import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { test, expect, ok } from '../fixtures/index.ts';

test.describe('access tokens are RS256 JWTs verifiable with the JWKS at GET /auth/v1/certs', () => {
  test('the access token verifies against the published keys and its claims match the token response', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
    const jwks = ok(await api.get('/auth/v1/certs')) as unknown as JSONWebKeySet;
    const accessToken = String(tokens.access_token);

    // docs/api-facts.md, "Tokens and JWT claims": RS256 with a kid; exp - iat equals expires_in (7200 in every doc example).
    const header = decodeProtectedHeader(accessToken);
    expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
    expect(payload.sub).toBe(tokens.sub);
    expect(payload.scope).toBe(tokens.scope);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(tokens.expires_in);
    expect(payload.iss).toEqual(expect.any(String));
    expect(payload.aud).toEqual(expect.anything());
  });

  test('the published keys are RSA signing keys with key ids', async ({ api }) => {
    const jwks = ok(await api.get('/auth/v1/certs'));

    expect(jwks.keys).toContainEqual(expect.objectContaining({ kty: 'RSA', kid: expect.any(String) }));
  });
});
