/**
 * The contract runtime, with no test runner in it: the operations of schemas/openapi.yaml, the schema
 * registry (one Ajv instance, schemas by `$id`, loaded once), pure checks over requests and responses
 * returning structured departures, the messages they read as, redaction, and a small fetch-based
 * client with the API's flows. The Playwright fixture (fixtures/api.ts), the emulator, the scripts
 * and the unit tests all use it.
 */
export { operations, findOperation, documentedStatus, operationById, operationLabel, openapiDocument } from './openapi.ts';
export type { Operation, Parameter, ResponseSpec, NamedExample } from './openapi.ts';
export { validateSchema, schemaEntries, schemaEntry, schemaId, readSchemaFiles } from './registry.ts';
export type { SchemaError, SchemaEntry } from './registry.ts';
export {
  checkRequest,
  checkResponse,
  departuresOf,
  responseFailures,
  statusIsDocumented,
  contentTypeIsJson,
  bodyMatchesSchema,
  requestMatchesContract,
  parseJsonBody,
} from './checks.ts';
export type { Exchange, ExchangeRequest, ExchangeResponse, Failure, CheckName, Departure, Detail, DepartureLocation } from './checks.ts';
export { formatFailure, describeSchemaErrors, schemaErrorItems } from './format.ts';
export { redactText, redactJson, redactHeaders, redactValues, previewBody, registerSecret, registeredSecrets, REDACTED, SECRET_KEYS } from './redact.ts';
export {
  buildRequest,
  readAnswer,
  ok,
  hexId,
  exchangeReport,
  ContractClient,
  ContractDepartureError,
  ON_UNEXPECTED_ANSWER,
} from './client.ts';
export type { ApiAnswer, ApiCaller, BuiltRequest, ClientIdentity, ContractClientOptions, FetchLike, Method, RequestOptions, TokenResponse } from './client.ts';
export * from './requests.ts';
export * from './flows.ts';
export { describeLocation, isRedirect, REDIRECT_HEADER, redirectFailureMessage } from './redirects.ts';
export { ControlClient, createControlClient, EmulatorControlError } from './control.ts';
export type { ControlClientOptions, EmulatorCode, EmulatorRuntimeConfig, Recipient as ControlRecipient, RequestLogSummary, VerificationCode } from './control.ts';
