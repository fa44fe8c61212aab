/**
 * What a refusal must look like, per target, and how to build a call of any operation of the contract.
 *
 * The `error` name is asserted everywhere. The status and `error_code` are asserted where they are
 * certain (docs: 400 invalid_argument / 3, 403 permission_denied / 7; the numbers of the SDK's code
 * table, `AuthErrorCode` in @cloudbase/js-sdk 3.7.0: 5, 8, 9, 12, 16, 4045); on the emulator every value
 * is its documented choice (docs/api-facts.md, "Error model"; docs/contract-decisions.md, "Error
 * statuses the emulator picks"), so there the whole answer is pinned down.
 */
import { operations, type Operation } from '../../fixtures/index.ts';

export type ErrorName =
  | 'invalid_argument'
  | 'invalid_password'
  | 'invalid_grant'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'login_type_disabled'
  | 'resource_exhausted'
  | 'unimplemented';

export interface Refusal {
  status?: number;
  error_code?: number;
}

/** Certain on every target. */
const CERTAIN: Record<ErrorName, Refusal> = {
  invalid_argument: { status: 400, error_code: 3 },
  permission_denied: { status: 403, error_code: 7 },
  unauthenticated: { error_code: 16 },
  not_found: { error_code: 5 },
  already_exists: {},
  failed_precondition: { error_code: 9 },
  login_type_disabled: { error_code: 4045 },
  resource_exhausted: { error_code: 8 },
  unimplemented: { error_code: 12 },
  // The SDK's code table has no number for these two, and the docs' hand-written 4001 means
  // captcha_required to the SDK (docs/api-facts.md, "Error model"): only the name is certain.
  invalid_password: {},
  invalid_grant: {},
};

/** The emulator's documented choices (docs/contract-decisions.md). */
const EMULATOR: Record<ErrorName, Required<Refusal>> = {
  invalid_argument: { status: 400, error_code: 3 },
  invalid_password: { status: 400, error_code: 16 },
  invalid_grant: { status: 400, error_code: 16 },
  unauthenticated: { status: 401, error_code: 16 },
  permission_denied: { status: 403, error_code: 7 },
  not_found: { status: 404, error_code: 5 },
  already_exists: { status: 409, error_code: 6 },
  failed_precondition: { status: 400, error_code: 9 },
  login_type_disabled: { status: 400, error_code: 4045 },
  resource_exhausted: { status: 429, error_code: 8 },
  unimplemented: { status: 501, error_code: 12 },
};

/** The `{status, error_code}` that `toBeAuthError(result, error, ...)` can demand on this target. */
export function refusal(target: { name: string }, error: ErrorName): Refusal {
  return target.name === 'emulator' ? EMULATOR[error] : CERTAIN[error];
}

/** Emulator-only answers to requests outside what the API documents (contract-decisions: 413, 405). */
export const EMULATOR_ONLY = {
  bodyTooLarge: { status: 413, error_code: 3 },
  wrongMethod: { status: 405, error_code: 3 },
  unknownPath: { status: 404, error_code: 5 },
} as const;

/** One MiB and one byte more than the emulator's body limit, as a JSON object. */
export const OVERSIZED_BODY = JSON.stringify({ padding: 'x'.repeat(1024 * 1024) });

/** docs (https://docs.cloudbase.net/http-api/auth/auth-sign-out, error example): "device id must less than 72". */
export const DEVICE_ID_TOO_LONG = 'd'.repeat(72);

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Everything `api.call` needs for one operation, with the documented example body. */
export interface OperationCall {
  method: Method;
  path: string;
  params: Record<string, string>;
  data?: unknown;
}

const PATH_PARAMETER_VALUES: Record<string, string> = { provider_id: 'google' };

/** A call of `operation` that keeps to the contract: path parameters filled, required query parameters set, the first request example as body. */
export function callOf(operation: Operation): OperationCall {
  const path = operation.pathTemplate.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_PARAMETER_VALUES[name] ?? 'example');
  const params = Object.fromEntries(
    operation.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, `example-${p.name}`]),
  );
  const call: OperationCall = { method: operation.method as Method, path, params };
  if (operation.requestSchema) call.data = operation.requestExamples[0]?.value ?? {};
  return call;
}

/** Operations that take a JSON request body. */
export const operationsWithBody = operations.filter((operation) => operation.requestSchema !== undefined);

/** Operations every caller must prove with a live access token. */
export const protectedOperations = operations.filter((operation) => operation.security);

/**
 * A body whose fields have the wrong JSON types: each field of the operation's richest example gets a
 * value of another type (a string becomes a number, anything else a string).
 */
export function wrongTypesBody(operation: Operation): Record<string, unknown> {
  const examples = operation.requestExamples.map((e) => e.value).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
  const richest = examples.sort((a, b) => Object.keys(b).length - Object.keys(a).length)[0] ?? {};
  // An operation whose examples are all `{}` (anonymous sign-in): its one optional field.
  const fields = Object.keys(richest).length > 0 ? richest : { provider_token: '' };
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? 12345 : 'not-a-number']));
}
