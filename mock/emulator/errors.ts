/**
 * Every error the emulator answers, named after the API's `error` string. Each helper carries the
 * `error`, the numeric `error_code` and the HTTP status, with its source; the table with the reasons is
 * docs/api-facts.md, "Error model", and docs/contract-decisions.md, "Error statuses the emulator picks".
 *
 * The rule for `error_code`: a number in the SDK's code table (`AuthErrorCode` in @cloudbase/js-sdk 3.7.0,
 * oauth build, `src/auth/consts.ts` in its source map) is only ever sent with the meaning that table gives
 * it (4001 is captcha_required and nothing else); tests/unit/error-codes.test.ts checks every helper
 * against the installed package.
 *
 * Handlers throw these; `toErrorResponse` (wired into Hono's `onError`/`notFound` in app.ts) is the one
 * place that turns them into the API's JSON error body `{error, error_code, error_description}`.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 429 | 500 | 501 | 503;

export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly error: string,
    readonly errorCode: number,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = 'ApiError';
  }

  body(): { error: string; error_code: number; error_description: string } {
    return { error: this.error, error_code: this.errorCode, error_description: this.description };
  }
}

/**
 * docs (https://docs.cloudbase.net/http-api/auth/auth-sign-out, auth-sign-up): 400 invalid_argument / 3
 * for bad or missing parameters; SDK `AuthErrorCode.INVALID_ARGUMENT` = 3 also covers wrong or expired
 * verification codes.
 */
export const invalidArgument = (description: string) => new ApiError(400, 'invalid_argument', 3, description);

/**
 * SDK `AuthErrorCode.UNAUTHENTICATED` = 16 ("Token 校验失败"); the SDK clears its credentials on
 * `error: unauthenticated`. Status 401: docs list 401 "the oauth2.0 access token is not correct or
 * expired" (https://docs.cloudbase.net/openapi/auth/auth-sign-in).
 */
export const unauthenticated = (description = 'access token is missing, invalid or expired') =>
  new ApiError(401, 'unauthenticated', 16, description, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

/** docs (https://docs.cloudbase.net/http-api/auth/user-delete-me): 403 permission_denied / 7 for an invalid sudo_token. */
export const permissionDenied = (description = 'sudo_token is missing, invalid or expired') =>
  new ApiError(403, 'permission_denied', 7, description);

/**
 * docs (https://docs.cloudbase.net/openapi/auth/auth-sign-in): `not_found` "用户不存在"; SDK
 * `AuthErrorCode.NOT_FOUND` = 5 ("用户不存在等"). Status 404 INFERRED (grpc-gateway maps NOT_FOUND to 404).
 */
export const notFound = (description = 'not found') => new ApiError(404, 'not_found', 5, description);

/**
 * `already_exists` is in the SDK's ErrorType; 6 is gRPC ALREADY_EXISTS, 409 its grpc-gateway status (both
 * INFERRED). No existing handler uses it: the SDK gives account conflicts to `failedPrecondition`.
 */
export const alreadyExists = (description: string) => new ApiError(409, 'already_exists', 6, description);

/**
 * Account conflicts. SDK `AuthErrorCode.FAILED_PRECONDITION` = 9 ("前置条件不满足（账号已绑定等）"), which the
 * SDK's `AuthError` reads as "账号已绑定、账号不存在/已存在": a phone or email that must, or must not, belong
 * to an account (getVerification), a phone, email or username already taken, a provider already bound. A
 * description with "not found" makes the SDK file it under USER_NOT_FOUND. Status 400 INFERRED
 * (grpc-gateway maps FAILED_PRECONDITION to 400).
 */
export const failedPrecondition = (description: string) => new ApiError(400, 'failed_precondition', 9, description);

/**
 * OAuth2 (RFC 6749 §5.2): `invalid_grant`, HTTP 400. error_code 16: the SDK's code table has no entry
 * for invalid_grant, and reads 16 as a credential error, as it reads `invalid_grant` (AuthError
 * category INVALID_CREDENTIALS); the SDK itself turns an `invalid_grant` refresh into `unauthenticated`.
 * The docs' hand-written 4001 would mean captcha_required to the SDK. INFERRED.
 */
export const invalidGrant = (description = 'refresh token is invalid, expired or revoked') =>
  new ApiError(400, 'invalid_grant', 16, description);

/**
 * docs (https://docs.cloudbase.net/openapi/auth/auth-sign-in): `invalid_password` "密码不正确". Status 400
 * (observed by a third party on a live environment; INFERRED). error_code 16 for the reason given at
 * `invalidGrant`; the docs' sudo example says 4001, which the SDK reads as captcha_required.
 */
export const invalidPassword = (description = 'wrong password') => new ApiError(400, 'invalid_password', 16, description);

/**
 * A login method switched off in the console: SDK `AuthErrorCode.LOGIN_TYPE_DISABLED` = 4045, ErrorType
 * `login_type_disabled` (the SDK files it under PROVIDER_NOT_ENABLED). Status 400 INFERRED.
 */
export const loginTypeDisabled = (description: string) => new ApiError(400, 'login_type_disabled', 4045, description);

/**
 * SDK `AuthErrorCode.RESOURCE_EXHAUSTED` = 8 ("发送频率限制"); 429 is grpc-gateway's status for it (INFERRED).
 * The SDK's help text for it says one SMS a minute per phone number.
 */
export const resourceExhausted = (description: string) => new ApiError(429, 'resource_exhausted', 8, description);

/**
 * docs (https://docs.cloudbase.net/http-api/auth/auth-sign-in-anonymously): `unimplemented` when anonymous
 * sign-in is not enabled; SDK `AuthErrorCode.UNIMPLEMENTED` = 12; 501 is grpc-gateway's status (INFERRED).
 */
export const unimplemented = (description: string) => new ApiError(501, 'unimplemented', 12, description);

/**
 * A body over the limit (mock/emulator/body.ts). The body is read and thrown away before this answer
 * goes out; when it was too long or too slow to throw away, it was cut off, and `Connection: close`
 * tells the client not to send its next request on that connection.
 */
export const payloadTooLarge = (maxBytes: number, { closeConnection }: { closeConnection: boolean }) =>
  new ApiError(413, 'invalid_argument', 3, `request body is larger than ${maxBytes} bytes`, closeConnection ? { Connection: 'close' } : {});

/** Emulator only: the path exists but not with this method. */
export const methodNotAllowed = (method: string, allow: readonly string[]) =>
  new ApiError(405, 'invalid_argument', 3, `method ${method} is not allowed here; allowed: ${allow.join(', ')}`, {
    Allow: allow.join(', '),
  });

/** Emulator only: no such path. */
export const routeNotFound = (method: string, path: string) => new ApiError(404, 'not_found', 5, `no route for ${method} ${path}`);

// ---- issue 10: errors of the user family ----


// ---- issue 10: errors of the provider family ----
/**
 * npm @cloudbase/js-sdk@3.7.0 oauth consts.ts `AuthErrorCode.PROVIDER_ERROR = 4019` ("provider 相关错误",
 * a provider-related error): an unknown or disabled provider id. Status INFERRED (custom codes answer 400).
 */
export const providerError = (description: string) => new ApiError(400, 'provider_error', 4019, description);


/**
 * A custom-login ticket that does not verify (unknown or retired key, bad signature, another env,
 * expired). The SDK's AuthErrorCode table: `UNAUTHENTICATED = 16` "Token 校验失败" (the token check
 * failed), which the SDK files under INVALID_CREDENTIALS. Status INFERRED (grpc-gateway: 401). Not a
 * Bearer operation, so no WWW-Authenticate challenge.
 */
export const invalidTicket = (description: string) => new ApiError(401, 'unauthenticated', 16, description);

// ---- issue 10: errors of the captcha / v2 family ----

/**
 * The operation wants a captcha token first. `captcha_required` / 4001: the SDK's own table
 * (@cloudbase/js-sdk 3.7.0 oauth/dist/index.js.map, sources consts.ts `ErrorType.CAPTCHA_REQUIRED`,
 * `AuthErrorCode.CAPTCHA_REQUIRED = 4001`; auth-error.ts). The HTTP status is not documented: 400 INFERRED.
 */
export const captchaRequired = (description = 'captcha required: solve a captcha and send its captcha_token') =>
  new ApiError(400, 'captcha_required', 4001, description);

/**
 * A captcha token that is unknown or expired, on an operation that demands one. `captcha_invalid` / 4002: same
 * table (`ErrorType.CAPTCHA_INVALID`, `AuthErrorCode.CAPTCHA_INVALID = 4002`). Status 400 INFERRED.
 */
export const captchaInvalid = (description = 'captcha token is invalid or expired') => new ApiError(400, 'captcha_invalid', 4002, description);

// ---- issue 12: errors that faults (mock/emulator/faults.ts) answer ----

/** grpc-gateway's 503 for `unavailable` (code 14); the SDK sees a failed request it may retry. */
export const unavailable = (description = 'the service is unavailable (emulator fault)') => new ApiError(503, 'unavailable', 14, description);


export const internal = () => new ApiError(500, 'internal', 13, 'internal emulator error');

/** The client went away or cut its request body short: its fault, not an emulator bug. */
function isClientAbort(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err instanceof Error && err.message === 'aborted');
}

/** The single translation from anything thrown to the API's error answer. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isClientAbort(err)) return invalidArgument('the request was aborted before its body was complete');
  return internal();
}
