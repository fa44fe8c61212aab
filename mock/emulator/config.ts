import type { CustomLoginCredentials } from './custom-tickets.ts';

/**
 * Emulator configuration. Start-up values (identity, network) are fixed for the process; the
 * behaviour switches in `RuntimeConfig` can be changed at run time through `PATCH /__emulator/config`.
 *
 * Defaults:
 *   env id      `emulator-env`        (EMULATOR_ENV_ID, --env-id)
 *   client id   the env id            (EMULATOR_CLIENT_ID, --client-id); docs/api-facts.md, "Origins, headers and common parameters": client_id defaults to the env id
 *   region      `ap-shanghai`         (EMULATOR_REGION, --region)
 *   host        `127.0.0.1`           (EMULATOR_HOST, --host)
 *   port        8787                  (EMULATOR_PORT, --port)
 */
export const DEFAULTS = {
  envId: 'emulator-env',
  region: 'ap-shanghai',
  host: '127.0.0.1',
  port: 8787,
  anonymousEnabled: true,
  /** A console switch per environment; off: 400 login_type_disabled / 4045 (docs/api-facts.md, "Error model"). */
  passwordLoginEnabled: true,
  /** docs/api-facts.md, "Verification codes, phone numbers, usernames and passwords": the docs give no resend interval; the SDK's help text for resource_exhausted says one SMS a minute per phone. */
  resendIntervalSeconds: 60,
  /** contract-decisions: at most 5 wrong attempts per verification. */
  maxVerifyAttempts: 5,
  /** Bounds memory when a load test signs one user in again and again: the oldest session ends first. */
  maxSessionsPerUser: 100,
  /**
   * INFERRED (docs/api-facts.md "Tokens and JWT claims"): whether the real API revokes the session when
   * a rotated refresh token is presented again is not documented. Off: the reused token is refused
   * (invalid_grant) and the session lives on. On (OAuth 2.0 Security BCP, RFC 9700 §4.14.2): the
   * reuse also ends the session, so the rotated-in token dies too. `PATCH /__emulator/config`.
   */
  refreshTokenReuseRevokesSession: false,
  /** Wrong sudo passwords per user before sudo by password answers 429 for `passwordLockSeconds`. */
  maxPasswordAttempts: 5,
  passwordLockSeconds: 900,
} as const;

/**
 * The most entries each store holds. Expired entries are swept first; a store still full answers the
 * API's 429 resource_exhausted (spent refresh tokens, kept only for reuse detection, forget the oldest
 * instead). Sized so a full emulator stays around 250 MB of heap (measured: about 1.6 KiB per anonymous
 * user with a session and a spent refresh token), far above what a test run creates.
 */
export const DEFAULT_CAPS = {
  users: 50_000,
  sessions: 100_000,
  verifications: 50_000,
  /** Each of: verification tokens, sudo tokens, provider tokens. */
  tokens: 50_000,
  spentRefreshTokens: 100_000,
} as const;

export type StoreCaps = { -readonly [K in keyof typeof DEFAULT_CAPS]: number };

/** HTTP-level limits (slow clients, connection floods, unwanted bodies); see server.ts and body.ts. */
export const DEFAULT_SERVER_LIMITS = {
  /** Whole request head within this time, or 408 and the connection closes (slowloris). */
  headersTimeoutMs: 10_000,
  /** Whole request (head and body) within this time. */
  requestTimeoutMs: 30_000,
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: 5_000,
  /** Requests on one keep-alive connection before the server asks the client to open another. */
  maxRequestsPerSocket: 1_000,
  /** Open connections; more are dropped at once. */
  maxConnections: 512,
  /**
   * A body the emulator will not use (over 1 MiB, or refused before it was read) is read and thrown
   * away, up to this many bytes and this long, before the answer; past either it is cut off and the
   * connection closes (body.ts).
   */
  discardBodyBytes: 64 * 1024 * 1024,
  discardBodyMs: 5_000,
} as const;

export type ServerLimits = { -readonly [K in keyof typeof DEFAULT_SERVER_LIMITS]: number };

/** Loopback names and addresses: the only `Host` the controls answer unless remote access is allowed. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'] as const;

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return (LOOPBACK_HOSTS as readonly string[]).includes(h) || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** Lifetimes in seconds (docs/api-facts.md, "Tokens and JWT claims"; docs/api-facts.md, "Verification codes, phone numbers, usernames and passwords"). */
export const LIFETIMES = {
  accessToken: 7200,
  refreshToken: 31 * 24 * 3600,
  verificationCode: 600,
  verificationToken: 600,
  sudoToken: 900,
  providerToken: 600,
  /** docs auth-get-captcha-data: the captcha data token lives 300 s by default. */
  captchaData: 300,
  /** docs auth-verify-captcha-data: the captcha_token lives 600 s by default. */
  captchaToken: 600,
} as const;

/** Largest request body accepted (contract-decisions: bodies over 1 MiB -> 413). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface RuntimeConfig {
  anonymous_enabled: boolean;
  /** Username/password sign-in at POST /auth/v1/signin (off: 400 login_type_disabled). */
  password_login_enabled: boolean;
  resend_interval_seconds: number;
  max_verify_attempts: number;
  /**
   * Operations (`METHOD /auth/...` as in the route table, e.g. `POST /auth/v1/verification`) that answer
   * `captcha_required` until the request carries a valid captcha token (mock/emulator/captcha.ts).
   */
  captcha_required_operations: readonly string[];
  /**
   * Answer requests whose only departure from the contract is an unknown body field (off by default: 400
   * invalid_argument, like any departure). On, the emulator behaves like a lenient server and only the
   * request log (`GET /__emulator/requests`) shows the departure: what an SDK author needs to find the
   * extras their SDK sends.
   */
  tolerate_unknown_fields: boolean;
  /** See DEFAULTS.refreshTokenReuseRevokesSession. */
  refresh_token_reuse_revokes_session: boolean;
}

export interface EmulatorConfig {
  readonly envId: string;
  readonly clientId: string;
  readonly region: string;
  readonly maxSessionsPerUser: number;
  /**
   * The custom-login private key (`tcb_custom_login.json`: `{private_key_id, private_key, env_id}`) that
   * signs tickets for POST /auth/v1/signin/custom (--custom-login-key). Absent: one is generated at
   * first use (GET /__emulator/custom-login-key hands it out).
   */
  readonly customLoginKey?: CustomLoginCredentials;
  /** JWT `iss`: fixed by configuration, never taken from the request's Host header. */
  readonly issuer: string;
  readonly caps: Readonly<StoreCaps>;
  /**
   * `Authorization: Bearer <token>` or `x-emulator-token: <token>` required on `/__emulator/*` when set.
   * Never logged or printed.
   */
  readonly controlToken?: string;
  /** Remote access was allowed at start-up (`--allow-remote`): the controls then also answer the Host names in `allowedHosts`. */
  readonly allowedHosts: readonly string[];
  /** Mutable through `PATCH /__emulator/config`; restored to the start-up values by `POST /__emulator/reset`. */
  runtime: RuntimeConfig;
}

export interface ConfigOptions {
  envId?: string;
  clientId?: string;
  region?: string;
  anonymousEnabled?: boolean;
  passwordLoginEnabled?: boolean;
  resendIntervalSeconds?: number;
  maxVerifyAttempts?: number;
  maxSessionsPerUser?: number;
  captchaRequiredOperations?: readonly string[];
  tolerateUnknownFields?: boolean;
  customLoginKey?: CustomLoginCredentials;
  refreshTokenReuseRevokesSession?: boolean;
  /** Default `http://<env id>.<region>.tcb-api.tencentcloudapi.com`, the form real tokens carry. */
  issuer?: string;
  caps?: Partial<StoreCaps>;
  controlToken?: string;
  /** Extra `Host` values the controls accept (the bound address when remote access is allowed). */
  allowedHosts?: readonly string[];
}

export function initialRuntime(options: ConfigOptions = {}): RuntimeConfig {
  return {
    anonymous_enabled: options.anonymousEnabled ?? DEFAULTS.anonymousEnabled,
    password_login_enabled: options.passwordLoginEnabled ?? DEFAULTS.passwordLoginEnabled,
    resend_interval_seconds: options.resendIntervalSeconds ?? DEFAULTS.resendIntervalSeconds,
    max_verify_attempts: options.maxVerifyAttempts ?? DEFAULTS.maxVerifyAttempts,
    captcha_required_operations: Object.freeze([...(options.captchaRequiredOperations ?? [])]),
    tolerate_unknown_fields: options.tolerateUnknownFields ?? false,
    refresh_token_reuse_revokes_session: options.refreshTokenReuseRevokesSession ?? DEFAULTS.refreshTokenReuseRevokesSession,
  };
}

export function buildConfig(options: ConfigOptions = {}): EmulatorConfig {
  const envId = options.envId ?? DEFAULTS.envId;
  const region = options.region ?? DEFAULTS.region;
  return {
    envId,
    clientId: options.clientId ?? envId,
    region,
    issuer: options.issuer ?? `http://${envId}.${region}.tcb-api.tencentcloudapi.com`,
    caps: { ...DEFAULT_CAPS, ...options.caps },
    controlToken: options.controlToken || undefined,
    allowedHosts: (options.allowedHosts ?? []).map((h) => h.toLowerCase()),
    maxSessionsPerUser: options.maxSessionsPerUser ?? DEFAULTS.maxSessionsPerUser,
    ...(options.customLoginKey && { customLoginKey: options.customLoginKey }),
    runtime: initialRuntime(options),
  };
}
