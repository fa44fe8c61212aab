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
  if (!claims) return undefined;
  const session = emu.store.getSession(claims.sid);
  if (!session || session.sub !== claims.sub) return undefined;
  const user = emu.store.getUser(claims.sub);
  if (!user) return undefined;
  return { user, session, claims };
}

export const scopeOf = (user: User): string => (user.anonymous ? 'anonymous' : 'user');
const groupsOf = (user: User): string[] => [scopeOf(user)];

/** The token response (facts §A "Token response", §C) for a session whose refresh token is current. */
export async function tokenResponse(c: Context, emu: EmulatorParts, user: User, session: Session) {
  const iat = emu.clock.now();
  const scope = scopeOf(user);
  const claims: AccessClaims = {
    iss: emu.config.issuer,
    sub: user.sub,
    aud: session.clientId,
    iat,
    exp: iat + LIFETIMES.accessToken,
    scope,
    project_id: emu.config.envId,
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
  const session = emu.store.startSession(user, clientIdOf(c, emu.config.clientId, body));
  emu.store.recordLogin(user);
  return c.json(await tokenResponse(c, emu, user, session));
}
