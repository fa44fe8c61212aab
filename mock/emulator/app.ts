/**
 * The emulator as a Hono app, for in-process use (`app.request()`) or behind a server (server.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { OffsetClock, type Clock } from './clock.ts';
import { captchaGate, captchaStore, captchaTokenOf } from './captcha.ts';
import { bodyMiddlewares } from './body.ts';
import { buildConfig, DEFAULT_SERVER_LIMITS, isLoopbackHost, type ConfigOptions, type EmulatorConfig, type ServerLimits } from './config.ts';
import type { EmulatorParts } from './context.ts';
import { permissionDenied, routeNotFound, toApiError, unauthenticated } from './errors.ts';
import { Faults, faultsMiddleware, SkewedClock } from './faults.ts';
import { resetEmulator } from './handlers/emulator.ts';
import { RequestLog, requestLogMiddleware } from './request-log.ts';
import { registerRoutes } from './routes.ts';
import { Store } from './store.ts';
import { TokenService } from './tokens.ts';

export interface EmulatorOptions extends ConfigOptions {
  /** Defaults to real time plus an offset that `POST /__emulator/clock` moves forward. */
  clock?: Clock;
  /**
   * Request log sink; off by default. Lines hold the method, the path (never the query, which can
   * carry sudo_token) and the status: nothing secret.
   */
  log?: (line: string) => void;
  /** Where an unexpected handler error (answered as 500 internal) is reported; default console.error. */
  onInternalError?: (error: unknown) => void;
  /** Slow-client, connection and unwanted-body limits (config.ts DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
}

export interface Emulator {
  app: Hono;
  store: Store;
  clock: Clock;
  config: EmulatorConfig;
  tokens: TokenService;
  faults: Faults;
  requests: RequestLog;
  /** Same as `POST /__emulator/reset`. */
  reset(): void;
}

const CONTROL_PREFIX = '/__emulator';
/** The fake provider's authorize page (handlers/provider-signin.ts). */
const FAKE_PROVIDER_AUTHORIZE = `${CONTROL_PREFIX}/provider/authorize`;
const isControlPath = (path: string) => path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);

/**
 * CORS for the API: any origin and ANY request header (docs/api-facts.md, "Origins, headers and common parameters": the SDK may send a header named
 * `undefined`), but no credentials (the API takes Bearer tokens, never cookies). The controls get no
 * CORS at all: a web page cannot read them.
 */
const cors: MiddlewareHandler = async (c, next) => {
  if (isControlPath(c.req.path)) return next();
  const origin = c.req.header('origin');
  if (origin) {
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
  } else {
    c.header('Access-Control-Allow-Origin', '*');
  }
  c.header('Access-Control-Expose-Headers', 'Allow, WWW-Authenticate');
  await next();
};

/** The host name of a `Host` header or an `Origin`, without port or brackets; undefined if unparsable. */
function hostnameOf(value: string, withScheme: boolean): string | undefined {
  try {
    return new URL(withScheme ? value : `http://${value}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The controls answer only this machine (docs/security.md): a loopback `Host` (or one of the bound
 * addresses when remote access is allowed) defeats DNS rebinding; a browser request from another site
 * (`Sec-Fetch-Site`, a foreign `Origin`) is refused; with a control token, the token is required.
 */
function guardControls(config: EmulatorConfig): MiddlewareHandler {
  const allowed = (hostname: string | undefined) =>
    hostname !== undefined && (isLoopbackHost(hostname) || config.allowedHosts.includes(hostname) || config.allowedHosts.includes(`[${hostname}]`));
  return async (c, next) => {
    if (!isControlPath(c.req.path)) return next();
    const hostHeader = c.req.header('host') ?? new URL(c.req.url).host;
    if (!allowed(hostnameOf(hostHeader, false))) throw permissionDenied('the emulator controls answer only a loopback Host (DNS rebinding guard)');
    // The fake provider's authorize page stands in for a third-party site the user's browser is sent to
    // (a top-level, cross-site navigation with no token): only the Host check applies to it.
    if (c.req.path === FAKE_PROVIDER_AUTHORIZE) return next();
    const site = c.req.header('sec-fetch-site');
    if (site === 'cross-site' || site === 'same-site') throw permissionDenied('the emulator controls refuse cross-site browser requests');
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowed(hostnameOf(origin, true))) throw permissionDenied('the emulator controls refuse requests from another origin');
    if (config.controlToken !== undefined) {
      const given = c.req.header('x-emulator-token') ?? /^Bearer[ \t]+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (given === undefined || !sameSecret(given, config.controlToken)) {
        throw unauthenticated('the emulator controls need the control token (x-emulator-token or Authorization: Bearer)');
      }
    }
    return next();
  };
}

function requestLog(log: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    await next();
    log(`${c.req.method} ${c.req.path} ${c.res.status}`);
  };
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const baseClock = options.clock ?? new OffsetClock();
  const faults = new Faults(baseClock);
  const requests = new RequestLog();
  // The `clock_skew` fault moves the clock every part sees; fault lifetimes are judged by the base clock.
  const clock = new SkewedClock(baseClock, () => faults.skewSeconds());
  const config = buildConfig(options);
  const store = new Store(clock, config);
  const tokens = new TokenService(clock);
  faults.attach(tokens);
  const parts: EmulatorParts = { config, store, clock, tokens, startupRuntime: Object.freeze({ ...config.runtime }), faults, requests };
  const reportInternal = options.onInternalError ?? ((error: unknown) => console.error('[emulator] internal error:', error));

  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const bodies = bodyMiddlewares({ maxBytes: limits.discardBodyBytes, maxMs: limits.discardBodyMs });
  const app = new Hono();
  app.use('*', bodies.settleUnreadBody); // outermost: it also settles bodies of requests refused by the middlewares below
  if (options.log) app.use('*', requestLog(options.log));
  app.use('*', guardControls(config));
  app.use('*', cors);
  app.use('*', bodies.limitBody);
  app.use('/auth/*', captchaGate(parts)); // captcha / v2 family: operations switched to demand a captcha
  app.use('*', requestLogMiddleware(requests, clock));
  app.use(
    '*',
    faultsMiddleware(faults, {
      captchaSolved: (c) => {
        const token = captchaTokenOf(c);
        return token !== undefined && captchaStore(parts).isLiveToken(token);
      },
    }),
  );
  registerRoutes(app, parts);

  // The one place an error becomes the API's JSON error body.
  const errorResponse = (c: Context, err: unknown) => {
    const error = toApiError(err);
    if (error.status === 500) reportInternal(err);
    return c.json(error.body(), error.status, error.headers);
  };
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, routeNotFound(c.req.method, c.req.path)));

  return { app, store, clock, config, tokens, faults, requests, reset: () => resetEmulator(parts) };
}
