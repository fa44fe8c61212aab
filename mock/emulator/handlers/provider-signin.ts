/**
 * Provider sign-in and custom tickets (docs/api-facts.md "Provider sign-in and custom tickets").
 *
 * The OAuth-style flow, against a fake identity provider the emulator controls (no UI, in the spirit of
 * navikt/mock-oauth2-server):
 *   1. GET  /auth/v1/provider/uri            -> {uri}: the fake provider's authorize URL
 *   2. GET  /__emulator/provider/authorize   -> 302 to redirect_uri?code=&state= (the test picks the
 *                                               provider user with provider_user_id/name/email in the query)
 *   3. POST /auth/v1/provider/token          -> {provider_token, expires_in, provider_profile}
 *   4. POST /auth/v1/signin/with/provider    -> a token response (signs up the identity on first use)
 * and custom login: POST /auth/v1/signin/custom with a node-sdk ticket (custom-tickets.ts).
 */
import type { Context } from 'hono';
import { LIFETIMES } from '../config.ts';
import type { EmulatorParts, PublicHandler } from '../context.ts';
import { createCustomTicket, CUSTOM_UID_PATTERN, generateCustomLoginCredentials, TICKET_LIFETIME_MS, TicketRefused, verifyCustomTicket } from '../custom-tickets.ts';
import { failedPrecondition, invalidArgument, invalidGrant, invalidTicket, notFound, providerError } from '../errors.ts';
import { providerState, type ProviderProfile } from '../provider-store.ts';
import { optionalBoolean, optionalNumber, optionalString, originOf, readJsonBody, requiredString, type JsonObject } from '../request.ts';
import { opaqueToken } from '../tokens.ts';
import { signInAs } from './common.ts';
import { isKnownProvider, providerName, PROVIDERS } from './providers.ts';

const knownProvider = (providerId: string): string => {
  if (!isKnownProvider(providerId)) throw providerError(`provider ${providerId} is not enabled; enabled: ${PROVIDERS.map((p) => p.id).join(', ')}`);
  return providerId;
};

/**
 * An absolute http(s) URL, or an `invalid_argument` that does not repeat the value: a redirect target
 * such as `javascript:` must never be echoed back (the schema says the same with a pattern).
 */
function httpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(`${field} must be an absolute http or https URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidArgument(`${field} must be an http or https URL`);
  return url.toString();
}

/** The URL as `httpUrl` stores it (`https://a.example` -> `https://a.example/`), or undefined if it is none. */
function normalizedUrl(value: string): string | undefined {
  try {
    return new URL(value).toString();
  } catch {
    return undefined;
  }
}

function queryString(c: Context, name: string, maxLength = 2048): string | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === '') return undefined;
  if (value.length > maxLength) throw invalidArgument(`${name} must be at most ${maxLength} characters`);
  return value;
}

// ---- the contract's operations --------------------------------------------------------------------

/** `GET /auth/v1/provider/uri?provider_id&redirect_uri&state&scope&response_type` -> `{uri}`. */
export const getProviderUri: PublicHandler = (c, emu) => {
  const providerId = queryString(c, 'provider_id', 64);
  if (!providerId) throw invalidArgument('provider_id is required');
  knownProvider(providerId);
  const redirectUri = queryString(c, 'redirect_uri');
  const authorize = new URL(`${originOf(c)}/__emulator/provider/authorize`);
  authorize.searchParams.set('provider_id', providerId);
  if (redirectUri !== undefined) authorize.searchParams.set('redirect_uri', httpUrl(redirectUri, 'redirect_uri'));
  for (const name of ['state', 'scope', 'response_type']) {
    const value = queryString(c, name, 1024);
    if (value !== undefined) authorize.searchParams.set(name, value);
  }
  authorize.searchParams.set('client_id', c.req.query('client_id') || emu.config.clientId);
  return c.json({ uri: authorize.toString() });
};

/** `POST /auth/v1/provider/token {provider_id, provider_code, provider_redirect_uri?}` -> provider token + profile. */
export const grantProviderToken: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const providerId = knownProvider(requiredString(body, 'provider_id', { maxLength: 64 }));
  const code = optionalString(body, 'provider_code', { maxLength: 2048 });
  const redirectUri = optionalString(body, 'provider_redirect_uri', { maxLength: 2048 });
  if (!code) {
    if (optionalString(body, 'provider_access_token', { maxLength: 8192 }) || optionalString(body, 'provider_id_token', { maxLength: 8192 })) {
      // docs (https://docs.cloudbase.net/en/openapi/auth/auth-grant-provider-token): failed_precondition, "Failed to obtain third-party information".
      throw failedPrecondition("the emulator's provider only exchanges authorization codes (provider_code)");
    }
    throw invalidArgument('provider_code is required');
  }
  const state = providerState(emu);
  const entry = state.redeemCode(code);
  if (!entry || entry.providerId !== providerId) throw failedPrecondition('provider_code is invalid, expired or already used');
  // OAuth2 (RFC 6749 §4.1.3): the redirect URI of the exchange must be the one the code was issued for.
  if (redirectUri !== undefined && entry.redirectUri !== '' && normalizedUrl(redirectUri) !== entry.redirectUri) {
    throw failedPrecondition('provider_redirect_uri does not match the redirect_uri of the authorization');
  }
  state.rememberProfile(entry.profile);
  const token = emu.store.issueProviderToken(providerId, entry.profile.sub);
  return c.json({ provider_token: token.token, expires_in: LIFETIMES.providerToken, provider_profile: entry.profile });
};

/** A live provider token of `body.provider_token`, for the provider `body.provider_id` names if it names one. */
function liveProviderToken(emu: EmulatorParts, body: JsonObject) {
  const providerToken = requiredString(body, 'provider_token', { maxLength: 8192 });
  const providerId = optionalString(body, 'provider_id', { maxLength: 64 });
  const entry = emu.store.getProviderToken(providerToken);
  if (!entry) throw invalidGrant('provider token is invalid or expired');
  if (providerId && providerId !== entry.providerId) throw invalidGrant(`provider token was not issued for ${providerId}`);
  return entry;
}

/**
 * `PATCH /auth/v1/provider/token {provider_token, provider_params}` -> a new provider token + profile.
 * The SDK uses it to add mini-program data (encryptedData/iv, a phone code) to a provider token; the
 * emulator's provider has no such data, so the identity is unchanged. INFERRED: the old token is used up.
 */
export const patchProviderToken: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const params = body.provider_params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw invalidArgument('provider_params must be an object');
  const entry = liveProviderToken(emu, body);
  emu.store.consumeProviderToken(entry.token);
  const next = emu.store.issueProviderToken(entry.providerId, entry.providerUserId);
  return c.json({
    provider_token: next.token,
    expires_in: LIFETIMES.providerToken,
    provider_profile: providerState(emu).profileOf(entry.providerId, entry.providerUserId),
  });
};

/**
 * `POST /auth/v1/signin/with/provider {provider_token, provider_id?, force_disable_sign_up?, sync_profile?}`.
 * docs (js-sdk signInWithIdToken): an identity no user has yet signs up, unless the client forces
 * sign-up off; then 404 not_found (INFERRED) and the token stays usable (docs: the provider token then serves
 * another step, e.g. binding it to an account that signs in otherwise).
 */
export const signInWithProvider: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const entry = liveProviderToken(emu, body);
  const forceDisableSignUp = optionalBoolean(body, 'force_disable_sign_up') ?? false;
  const syncProfile = optionalBoolean(body, 'sync_profile') ?? false;
  const profile = providerState(emu).profileOf(entry.providerId, entry.providerUserId);
  const owner = emu.store.providerIdentityOwner(entry.providerId, entry.providerUserId);
  let user = owner === undefined ? undefined : emu.store.getUser(owner);
  if (!user) {
    if (forceDisableSignUp) throw notFound(`no user is bound to this ${entry.providerId} identity`);
    user = emu.store.createUser({ name: profile.name ?? `${providerName(entry.providerId)} user` });
    emu.store.bindProvider(user, entry.providerId, entry.providerUserId);
  } else if (syncProfile && profile.name !== undefined) {
    user.name = profile.name;
    user.updatedAt = emu.clock.now();
  }
  emu.store.consumeProviderToken(entry.token);
  return signInAs(c, emu, user, body);
};

/** `POST /auth/v1/signin/custom {provider_id: "custom", ticket}`: the user of the ticket's uid, made on first use. */
export const signInCustom: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  if (requiredString(body, 'provider_id', { maxLength: 64 }) !== 'custom') throw invalidArgument('provider_id must be "custom"');
  const ticket = requiredString(body, 'ticket', { maxLength: 8192 });
  const state = providerState(emu);
  let claims;
  try {
    claims = await verifyCustomTicket(ticket, state.customLoginKeys());
  } catch (error) {
    if (error instanceof TicketRefused) throw invalidTicket(error.message);
    throw error;
  }
  if (claims.env !== emu.config.envId) throw invalidTicket('ticket was issued for another environment');
  // node-sdk writes exp in milliseconds.
  if (claims.exp <= emu.clock.now() * 1000) throw invalidTicket('ticket has expired');
  const known = state.subOfCustomUid(claims.uid);
  let user = known === undefined ? undefined : emu.store.getUser(known);
  if (!user) {
    user = emu.store.createUser({});
    state.linkCustomUid(claims.uid, user.sub);
  }
  return signInAs(c, emu, user, body);
};

// ---- emulator-only controls -----------------------------------------------------------------------

/**
 * `GET /__emulator/provider/authorize?provider_id&redirect_uri&state[&provider_user_id&name&email&picture&error]`:
 * the fake provider's consent, granted at once. Redirects (302) to `redirect_uri` with `code` and
 * `state`, or with `error=access_denied` when the query asks for it; without redirect_uri it answers
 * the same parameters as JSON (`{code, state}` or `{error, error_description, state}`). Every answer has a JSON body.
 */
export const fakeAuthorize: PublicHandler = (c, emu) => {
  const providerId = queryString(c, 'provider_id', 64);
  if (!providerId) throw invalidArgument('provider_id is required');
  knownProvider(providerId);
  const rawRedirect = queryString(c, 'redirect_uri');
  const redirectUri = rawRedirect === undefined ? undefined : httpUrl(rawRedirect, 'redirect_uri');
  const stateParam = queryString(c, 'state', 1024);
  const denied = queryString(c, 'error', 64);
  if (denied !== undefined && denied !== 'access_denied') throw invalidArgument('error may only be access_denied');

  const answer: Record<string, string> = {};
  if (denied) {
    answer.error = 'access_denied';
    answer.error_description = 'the user denied the authorization';
  } else {
    const profile: ProviderProfile = {
      provider_id: providerId,
      sub: queryString(c, 'provider_user_id', 256) ?? opaqueToken(`${providerId}-`, 9),
      name: queryString(c, 'name', 256) ?? `${providerName(providerId)} user`,
    };
    const email = queryString(c, 'email', 256);
    if (email !== undefined) profile.email = email;
    const picture = queryString(c, 'picture', 2048);
    if (picture !== undefined) profile.picture = httpUrl(picture, 'picture');
    const code = providerState(emu).issueCode({ providerId, redirectUri: redirectUri ?? '', clientId: c.req.query('client_id'), profile });
    answer.code = code.code;
  }
  if (stateParam !== undefined) answer.state = stateParam;
  if (redirectUri === undefined) return c.json(answer);
  const location = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) location.searchParams.set(name, value);
  return c.json({ redirect_to: location.toString() }, 302, { Location: location.toString() });
};

/** `GET /__emulator/custom-login-key` -> the current key file `{private_key_id, private_key, env_id}`. */
export const getCustomLoginKey: PublicHandler = (c, emu) => c.json(providerState(emu).customLoginCredentials);

/** `POST /__emulator/custom-login-key` -> a new key file; tickets of the old key keep working 2 hours (docs). */
export const rotateCustomLoginKey: PublicHandler = (c, emu) =>
  c.json(providerState(emu).rotateCustomLoginKey(generateCustomLoginCredentials(emu.config.envId)));

/**
 * `POST /__emulator/custom-tickets {uid, refresh?, expire?}` -> `{ticket, expires_at}`: a ticket signed
 * with the current key at the emulator's time, as node-sdk createTicket makes it.
 */
export const createTicket: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const uid = requiredString(body, 'uid', { maxLength: 64 });
  if (!CUSTOM_UID_PATTERN.test(uid)) throw invalidArgument('uid must be 4-32 characters of letters, digits and _-#@~=*(){}[]:.,<>+ (node-sdk)');
  const nowMs = emu.clock.now() * 1000;
  const refresh = optionalNumber(body, 'refresh');
  const expire = optionalNumber(body, 'expire');
  const ticket = await createCustomTicket(providerState(emu).customLoginCredentials, uid, { nowMs, refresh, expire });
  return c.json({ ticket, uid, expires_at: nowMs + TICKET_LIFETIME_MS });
};
