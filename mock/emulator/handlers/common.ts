/**
 * Pieces several handlers share: who is calling (a live access token), and the token response.
 */
import type { Context } from 'hono';
import { LIFETIMES } from '../config.ts';
import type { Caller, EmulatorParts } from '../context.ts';
import { unauthenticated } from '../errors.ts';
import { bearerToken, clientIdOf } from '../request.ts';
import type { Session, User } from '../store.ts';
import { opaqueToken, type AccessClaims } from '../tokens.ts';

/**
 * The caller behind `Authorization: Bearer <access token>`: a token this emulator signed, not expired
 * by the emulator clock, whose session has not ended and whose user still exists. Else 401.
 */
export async function authenticate(c: Context, emu: EmulatorParts): Promise<Caller> {
  const token = bearerToken(c);
  if (token === undefined) throw unauthenticated('Authorization: Bearer <access_token> is required');
  const caller = await liveAccessToken(emu, token);
  if (!caller) throw unauthenticated();
  return caller;
}

/** The caller of a live access token, or undefined (dead, expired, forged, foreign, garbage). */
export async function liveAccessToken(emu: EmulatorParts, token: string): Promise<Caller | undefined> {
  const claims = await emu.tokens.verify(token);
  if (!claims || emu.faults.accessTokenExpired(claims)) return undefined;
  const session = emu.store.getSession(claims.sid);
  if (!session || session.sub !== claims.sub) return undefined;
  const user = emu.store.getUser(claims.sub);
  if (!user) return undefined;
  return { user, session, claims };
}

/** The group of a user: "user" or "anonymous" (docs user-me: `groups: [{id: "user"}]`). */
export const scopeOf = (user: User): string => (user.anonymous ? 'anonymous' : 'user');
const groupsOf = (user: User): string[] => [scopeOf(user)];
/**
 * The token's `scope`: "anonymous" (the SDK compares it, oauth2client.ts `anonymousSignIn`), "user sso"
 * for a registered user (the docs' decoded example token and their introspection example).
 */
const tokenScopeOf = (user: User): string => (user.anonymous ? 'anonymous' : 'user sso');
/** docs example: "email" for an email user; "phone" for a phone user is INFERRED. */
const providerTypeOf = (user: User): string | undefined =>
  user.anonymous ? undefined : user.phoneNumber !== undefined ? 'phone' : user.email !== undefined ? 'email' : 'username';

/** The token response (docs/api-facts.md, "Tokens and JWT claims") for a session whose refresh token is current. */
export async function tokenResponse(c: Context, emu: EmulatorParts, user: User, session: Session) {
  const iat = emu.clock.now();
  const scope = tokenScopeOf(user);
  const providerType = providerTypeOf(user);
  const claims: AccessClaims = {
    iss: emu.config.issuer,
    sub: user.sub,
    aud: session.clientId,
    iat,
    exp: iat + LIFETIMES.accessToken,
    scope,
    project_id: emu.config.envId,
    ...(providerType !== undefined && { provider_type: providerType }),
    meta: { wxOpenId: '', wxUnionId: '' },
    ...(user.anonymous && { name: 'Anonymous' }),
    user_type: user.anonymous ? 'anonymous' : '',
    jti: opaqueToken('', 16),
    sid: session.sid,
  };
  return {
    token_type: 'Bearer',
    access_token: await emu.tokens.sign(claims),
    refresh_token: session.refreshToken,
    expires_in: LIFETIMES.accessToken,
    scope,
    sub: user.sub,
    groups: groupsOf(user),
  };
}

/** Start a session for `user` and answer its first token response (sign-in, sign-up). */
export async function signInAs(c: Context, emu: EmulatorParts, user: User, body?: Record<string, unknown>) {
  const session = emu.store.startSession(user, clientIdOf(c, emu.config.clientId, body), c.req.header('x-device-id') || undefined);
  emu.store.recordLogin(user);
  return c.json(await tokenResponse(c, emu, user, session));
}
