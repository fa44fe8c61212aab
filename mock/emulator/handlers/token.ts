/**
 * Token lifecycle: grant/refresh (docs auth-grant-token), introspection (auth-token-introspect), revocation
 * (auth-revoke), JWKS (docs/api-facts.md, "Tokens and JWT claims"). docs = https://docs.cloudbase.net/http-api/auth/<slug>.
 */
import type { PublicHandler } from '../context.ts';
import { invalidArgument, invalidGrant, unauthenticated } from '../errors.ts';
import { bearerToken, optionalString, readJsonBody, requiredString } from '../request.ts';
import { liveAccessToken, tokenResponse } from './common.ts';
import { signInWithPassword } from './signin.ts';

export const grantToken: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const grantType = requiredString(body, 'grant_type', { maxLength: 64 });
  const clientId = c.req.query('client_id') || optionalString(body, 'client_id', { maxLength: 256 });
  optionalString(body, 'client_secret', { maxLength: 1024 });

  if (grantType === 'password') return signInWithPassword(c, emu, body, requiredString(body, 'username', { maxLength: 256 }));
  if (grantType !== 'refresh_token') throw invalidArgument('grant_type must be refresh_token or password');

  const refreshToken = requiredString(body, 'refresh_token', { maxLength: 8192 });
  // Unknown, rotated, revoked and expired refresh tokens all find no session.
  const session = emu.store.sessionForRefreshToken(refreshToken);
  const user = session && emu.store.getUser(session.sub);
  if (!session || !user) {
    // Reuse of a rotated-out token: the switch decides whether the whole session (its family) ends.
    const reusedSid = emu.store.sessionOfSpentRefreshToken(refreshToken);
    if (reusedSid !== undefined && emu.config.runtime.refresh_token_reuse_revokes_session) emu.store.endSession(reusedSid);
    throw invalidGrant();
  }
  // A client id, when given, must be the one the session was started for.
  if (clientId && clientId !== session.clientId) throw invalidGrant('refresh token was issued to another client');
  emu.store.rotateRefreshToken(session);
  return c.json(await tokenResponse(c, emu, user, session));
};

/**
 * docs: the token comes as Bearer; a dead, expired or foreign token gives 200 `{}`. No Bearer token at
 * all is refused like on every Bearer operation (openapi: 401, INFERRED).
 */
export const introspectToken: PublicHandler = async (c, emu) => {
  const token = bearerToken(c);
  if (token === undefined) throw unauthenticated('Authorization: Bearer <access_token> is required');
  const caller = await liveAccessToken(emu, token);
  if (!caller) return c.json({});
  return c.json({ token_type: 'Bearer', client_id: caller.session.clientId, sub: caller.user.sub, scope: caller.claims.scope });
};

/**
 * docs https://docs.cloudbase.net/http-api/auth/auth-revoke: the SDK sends `{token}` with no Authorization; the docs send Bearer. Either an access or
 * a refresh token; its session ends. An unknown token is not an error (RFC 7009 §2.2).
 */
export const revokeToken: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const token = optionalString(body, 'token', { maxLength: 8192 }) || bearerToken(c);
  if (!token) throw invalidArgument('token is required (body "token" or Authorization: Bearer)');
  const claims = await emu.tokens.verify(token, { ignoreExpiry: true });
  const sid = claims?.sid ?? emu.store.sessionForRefreshToken(token)?.sid;
  if (sid !== undefined) emu.store.endSession(sid);
  return c.json({});
};

export const getCerts: PublicHandler = (c, emu) => c.json(emu.tokens.jwks);
