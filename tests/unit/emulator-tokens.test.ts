/**
 * The emulator's access tokens are real RS256 JWTs: any verifier that reads the published JWKS
 * (`GET /auth/v1/certs`) accepts them, with the header and claims of docs/api-facts.md "Tokens and JWT claims".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { testEmulator } from './emulator-helpers.ts';

describe('emulator access tokens', () => {
  it('verify against the published JWKS, from sign-up, sign-in and refresh', async () => {
    const client = testEmulator();
    const jwks = createLocalJWKSet((await client.call('GET', '/auth/v1/certs')).body as JSONWebKeySet);
    const signedUp = await client.signUpByPhone({ username: 'token_check', password: 'Passw0rd!' });
    const signedIn = (await client.call('POST', '/auth/v1/signin', { json: { username: 'token_check', password: 'Passw0rd!' } })).body;
    const refreshed = (
      await client.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token } })
    ).body;
    for (const tokens of [signedUp, signedIn, refreshed]) {
      const header = decodeProtectedHeader(tokens.access_token);
      // docs (auth-revoke example token, decoded): the header is {alg, kid}.
      assert.deepEqual(header, { alg: 'RS256', kid: client.emu.tokens.kid });
      const { payload } = await jwtVerify(tokens.access_token, jwks, { algorithms: ['RS256'], audience: 'emulator-env' });
      assert.equal(payload.sub, tokens.sub);
      assert.equal(payload.exp, (payload.iat as number) + 7200);
      for (const claim of ['iss', 'scope', 'project_id', 'user_type', 'jti', 'sid']) assert.ok(claim in payload, `claim ${claim}`);
      // The claims of the docs' decoded example token of a registered user.
      assert.equal(payload.scope, 'user sso');
      assert.equal(payload.provider_type, 'phone');
      assert.deepEqual(payload.meta, { wxOpenId: '', wxUnionId: '' });
    }
  });

  it('are refused once a byte of the signature changes', async () => {
    const client = testEmulator();
    const { access_token: token } = await client.signUpByPhone();
    assert.equal(await client.isLive(token), true);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    assert.equal(await client.isLive(`${token.slice(0, -2)}${last}${token.at(-1)}`), false);
  });
});
