/**
 * The route table: every path the emulator answers, in one list (operation ids from
 * docs/contract-decisions.md "Operations"). `bearer` routes get the caller proven by a live access
 * token, or answer 401 before the handler runs.
 */
import type { Context, Hono } from 'hono';
import type { BearerHandler, EmulatorParts, PublicHandler } from './context.ts';
import { invalidArgument, methodNotAllowed, routeNotFound } from './errors.ts';
import { authenticate } from './handlers/common.ts';
import { checkIncoming, MAX_CLIENT_ID_LENGTH, operationOfRoute } from './request.ts';
import * as emulator from './handlers/emulator.ts';
import * as kit from './handlers/kit.ts';
import { bindProvider, listProviders, unbindProvider } from './handlers/providers.ts';
import { signIn, signInAnonymously } from './handlers/signin.ts';
import { signUp } from './handlers/signup.ts';
import { getCerts, grantToken, introspectToken, revokeToken } from './handlers/token.ts';
import { deleteMe, getMe, resetPassword, signOut, sudo, updatePassword } from './handlers/user.ts';
import { sendVerification, verifyVerification } from './handlers/verification.ts';
// ---- issue 10 imports: user family ----
import * as account from './handlers/account.ts';

// ---- issue 10 imports: provider family ----
import * as providerSignIn from './handlers/provider-signin.ts';

// ---- issue 10 imports: captcha / v2 family ----
import { createCaptchaData, initCaptcha, listCaptchas, verifyCaptchaData } from './handlers/captcha.ts';
import { getPublicKey, signInV2, signInWithVerificationCode, updatePasswordWithoutLogin } from './handlers/v2.ts';


export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export type Route =
  | { method: Method; path: string; auth: 'none'; handler: PublicHandler }
  | { method: Method; path: string; auth: 'bearer'; handler: BearerHandler };

const open = (method: Method, path: string, handler: PublicHandler): Route => ({ method, path, auth: 'none', handler });
const bearer = (method: Method, path: string, handler: BearerHandler): Route => ({ method, path, auth: 'bearer', handler });

/** The contract's operations. */
export const API_ROUTES: readonly Route[] = [
  open('POST', '/auth/v1/signin', signIn),
  open('POST', '/auth/v1/signin/anonymously', signInAnonymously),
  open('POST', '/auth/v1/verification', sendVerification),
  open('POST', '/auth/v1/verification/verify', verifyVerification),
  open('POST', '/auth/v1/signup', signUp),
  open('POST', '/auth/v1/token', grantToken),
  open('GET', '/auth/v1/token/introspect', introspectToken), // the Bearer token is the subject, not the caller
  open('POST', '/auth/v1/revoke', revokeToken), // token in the body (SDK) or as Bearer (docs)
  bearer('POST', '/auth/v1/user/signout', signOut),
  bearer('GET', '/auth/v1/user/me', getMe),
  bearer('DELETE', '/auth/v1/user/me', deleteMe),
  bearer('POST', '/auth/v1/user/sudo', sudo),
  bearer('PATCH', '/auth/v1/user/password', updatePassword),
  bearer('GET', '/auth/v1/user/provider', listProviders),
  bearer('POST', '/auth/v1/user/provider/bind', bindProvider),
  bearer('DELETE', '/auth/v1/user/provider/:provider_id', unbindProvider),
  open('POST', '/auth/v1/reset', resetPassword),
  open('GET', '/auth/v1/certs', getCerts),
  // ---- issue 10: user profile, contact, account look-ups, sessions and devices ----
  bearer('POST', '/auth/v1/user/basic/edit', account.editBasicInfo),
  bearer('PATCH', '/auth/v1/user/profile', account.patchProfile),
  bearer('PATCH', '/auth/v1/user/contact', account.editContact),
  bearer('GET', '/auth/v1/user/query', account.queryUsers),
  bearer('GET', '/auth/v1/checkUsername', account.checkUsername),
  open('GET', '/auth/v1/checkIfUserExist', account.checkIfUserExist),
  bearer('DELETE', '/auth/v1/user/revoke/all', account.revokeAllSessions),
  bearer('DELETE', '/auth/v1/user/authorized/devices/:device_id', account.revokeDevice),

  // ---- issue 10: provider sign-in and custom tickets ----
  open('GET', '/auth/v1/provider/uri', providerSignIn.getProviderUri),
  open('POST', '/auth/v1/provider/token', providerSignIn.grantProviderToken),
  open('PATCH', '/auth/v1/provider/token', providerSignIn.patchProviderToken),
  open('POST', '/auth/v1/signin/with/provider', providerSignIn.signInWithProvider),
  open('POST', '/auth/v1/signin/custom', providerSignIn.signInCustom),

  // ---- issue 10: captcha, /auth/v2 and the rest of the SDK's URL table ----
  open('POST', '/auth/v1/captcha/data', createCaptchaData),
  open('POST', '/auth/v1/captcha/data/verify', verifyCaptchaData),
  open('POST', '/auth/v1/captcha/init', initCaptcha),
  open('POST', '/auth/v2/signin/publichkey', getPublicKey), // sic: the SDK's spelling
  open('POST', '/auth/v2/signin/username', signInV2),
  open('POST', '/auth/v2/signin/verificationcode', signInWithVerificationCode),
  open('POST', '/auth/v2/signin/password/update', updatePasswordWithoutLogin),
  open('POST', '/auth/v2/token', grantToken),
  bearer('GET', '/auth/v2/user/me', getMe),
  bearer('DELETE', '/auth/v2/user/me', deleteMe),
  open('POST', '/auth/v2/signin/with/provider', providerSignIn.signInWithProvider),

];

/** Emulator-only controls (not part of the contract, never proxied). */
export const EMULATOR_ROUTES: readonly Route[] = [
  open('GET', '/__emulator/verification-codes', emulator.listVerificationCodes),
  open('POST', '/__emulator/reset', emulator.reset),
  open('GET', '/__emulator/clock', emulator.getClock),
  open('POST', '/__emulator/clock', emulator.advanceClock),
  open('GET', '/__emulator/config', emulator.getConfig),
  open('PATCH', '/__emulator/config', emulator.patchConfig),
  open('POST', '/__emulator/provider-tokens', emulator.createProviderToken),
  open('GET', '/__emulator/stats', emulator.stats),
  open('GET', '/__emulator/captchas', listCaptchas),
  // ---- issue 10: provider sign-in and custom tickets (the fake provider, custom-login keys and tickets) ----
  open('GET', '/__emulator/provider/authorize', providerSignIn.fakeAuthorize),
  open('GET', '/__emulator/custom-login-key', providerSignIn.getCustomLoginKey),
  open('POST', '/__emulator/custom-login-key', providerSignIn.rotateCustomLoginKey),
  open('POST', '/__emulator/custom-tickets', providerSignIn.createTicket),
  // ---- issue 12: faults, request log, state import/export ----
  open('GET', '/__emulator/faults', kit.listFaults),
  open('POST', '/__emulator/faults', kit.addFault),
  open('DELETE', '/__emulator/faults', kit.clearFaults),
  open('DELETE', '/__emulator/faults/:id', kit.removeFault),
  open('GET', '/__emulator/requests', kit.listRequests),
  open('DELETE', '/__emulator/requests', kit.clearRequests),
  open('GET', '/__emulator/users/export', kit.exportUsersHandler),
  open('POST', '/__emulator/users/import', kit.importUsersHandler),
];

export const ROUTES: readonly Route[] = [...API_ROUTES, ...EMULATOR_ROUTES];

/**
 * What the contract cannot say: the client id becomes the access token's `aud`, so it is bounded
 * like a body's (request.ts). Every other rule of a request is its operation's in openapi.yaml and
 * the request schemas, checked by `checkIncoming`.
 */
function checkCommonParameters(c: Context): void {
  const clientId = c.req.query('client_id');
  if (clientId !== undefined && clientId.length > MAX_CLIENT_ID_LENGTH) throw invalidArgument(`client_id must be at most ${MAX_CLIENT_ID_LENGTH} characters`);
}

const PREFLIGHT_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/** The methods each known path answers, to tell 405 (known path) from 404 (unknown path). */
function methodsByPath(routes: readonly Route[]): (path: string) => string[] {
  const table = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const route of routes) {
    let entry = table.get(route.path);
    if (!entry) {
      entry = { pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, '[^/]+')}$`), methods: new Set() };
      table.set(route.path, entry);
    }
    entry.methods.add(route.method);
  }
  return (path) => {
    const methods = new Set<string>();
    for (const { pattern, methods: m } of table.values()) if (pattern.test(path)) for (const method of m) methods.add(method);
    return [...methods];
  };
}

export function registerRoutes(app: Hono, emu: EmulatorParts): void {
  for (const route of ROUTES) {
    const isApi = route.path.startsWith('/auth/');
    // The one request check: every API route's request against its operation in the contract, before its handler.
    const operation = isApi ? operationOfRoute(route.method, route.path) : undefined;
    if (route.auth === 'bearer') {
      const handler = route.handler;
      app.on(route.method, route.path, async (c) => {
        checkCommonParameters(c);
        const caller = await authenticate(c, emu);
        if (operation) await checkIncoming(c, operation, { tolerateUnknownFields: emu.config.runtime.tolerate_unknown_fields });
        return handler(c, emu, caller);
      });
    } else {
      const handler = route.handler;
      app.on(route.method, route.path, async (c) => {
        if (isApi) checkCommonParameters(c);
        if (operation) await checkIncoming(c, operation, { tolerateUnknownFields: emu.config.runtime.tolerate_unknown_fields });
        return handler(c, emu);
      });
    }
  }

  // Whatever no route answered: a CORS preflight, OPTIONS, a known path with the wrong method (405), or 404.
  const allowedMethods = methodsByPath(ROUTES);
  app.all('*', (c) => {
    const allowed = allowedMethods(c.req.path);
    if (c.req.method === 'OPTIONS') {
      const preflight = c.req.header('access-control-request-method') !== undefined;
      if (!preflight && allowed.length === 0) throw routeNotFound(c.req.method, c.req.path);
      if (preflight) {
        // docs/api-facts.md "Origins, headers and common parameters": the SDK may send a header literally named `undefined`; allow whatever is asked.
        c.header('Access-Control-Allow-Methods', PREFLIGHT_METHODS);
        c.header('Access-Control-Allow-Headers', c.req.header('access-control-request-headers') ?? '*');
        c.header('Access-Control-Max-Age', '600');
      }
      if (allowed.length > 0) c.header('Allow', [...allowed, 'OPTIONS'].join(', '));
      return c.json({});
    }
    if (allowed.length === 0) throw routeNotFound(c.req.method, c.req.path);
    throw methodNotAllowed(c.req.method, [...allowed, 'OPTIONS']);
  });
}
