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
} as const;

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
}

export function initialRuntime(options: ConfigOptions = {}): RuntimeConfig {
  return {
    anonymous_enabled: options.anonymousEnabled ?? DEFAULTS.anonymousEnabled,
    password_login_enabled: options.passwordLoginEnabled ?? DEFAULTS.passwordLoginEnabled,
    resend_interval_seconds: options.resendIntervalSeconds ?? DEFAULTS.resendIntervalSeconds,
    max_verify_attempts: options.maxVerifyAttempts ?? DEFAULTS.maxVerifyAttempts,
    captcha_required_operations: Object.freeze([...(options.captchaRequiredOperations ?? [])]),
    tolerate_unknown_fields: options.tolerateUnknownFields ?? false,
  };
}

export function buildConfig(options: ConfigOptions = {}): EmulatorConfig {
  const envId = options.envId ?? DEFAULTS.envId;
  return {
    envId,
    clientId: options.clientId ?? envId,
    region: options.region ?? DEFAULTS.region,
    maxSessionsPerUser: options.maxSessionsPerUser ?? DEFAULTS.maxSessionsPerUser,
    ...(options.customLoginKey && { customLoginKey: options.customLoginKey }),
    runtime: initialRuntime(options),
  };
}
