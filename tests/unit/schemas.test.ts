/**
 * The contract itself: every schema compiles and every $ref resolves, every example Prism serves
 * validates, every operation of docs/contract-decisions.md is in openapi.yaml with its statuses,
 * and each response schema rejects what the API must never send and accepts what it may.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  describeSchemaErrors,
  openapiDocument,
  operationById,
  operations,
  readSchemaFiles,
  schemaEntries,
  schemaEntry,
  validateSchema,
} from '../../contract/index.ts';
import type { Operation } from '../../contract/index.ts';
import { ajv, SCHEMA_ID_BASE, validator } from '../../contract/registry.ts';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
const JWT_SHAPE = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/;

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every node of a JSON tree with its JSON pointer. */
function* walk(node: unknown, pointer = ''): Generator<[string, unknown]> {
  yield [pointer, node];
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${pointer}/${i}`);
  } else if (isNode(node)) {
    for (const [key, value] of Object.entries(node)) yield* walk(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
}

function pointerGet(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root;
  let node = root;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : isNode(node) ? node[key] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Fail with every problem listed, one per line (a deepEqual diff would cut the list short). */
function noProblems(problems: readonly string[], what: string): void {
  if (problems.length > 0) assert.fail(`${what}:\n${problems.join('\n')}`);
}

function explain(schemaId: string, value: unknown): string {
  return describeSchemaErrors(validateSchema(schemaId, value), 'body', schemaId).join('\n  ');
}

describe('schema files', () => {
  const entries = schemaEntries();

  it('are all registered', () => {
    assert.ok(entries.length >= 24, `expected the 24 schema files, found ${entries.length}`);
  });

  for (const entry of entries) {
    it(`${entry.file} declares draft 2020-12, its own $id, a title and a description, and compiles in strict mode`, () => {
      assert.equal(entry.schema.$schema, DRAFT_2020_12, `${entry.file}: $schema`);
      assert.equal(entry.id, `${SCHEMA_ID_BASE}${entry.file}`, `${entry.file}: $id`);
      assert.match(entry.title, /^[A-Z][A-Za-z]+$/, `${entry.file}: title must be a PascalCase name`);
      assert.ok(typeof entry.schema.description === 'string' && entry.schema.description.length > 20, `${entry.file}: description must cite its source`);
      assert.doesNotThrow(() => validator(entry.id), `${entry.file} does not compile`);
    });
  }

  it('have unique titles', () => {
    const titles = entries.map((e) => e.title);
    noProblems(titles.filter((t, i) => titles.indexOf(t) !== i), 'repeated titles');
  });

  it('resolve every $ref, relative to their $id', () => {
    const broken: string[] = [];
    for (const entry of entries) {
      for (const [pointer, node] of walk(entry.schema)) {
        if (!isNode(node) || typeof node.$ref !== 'string') continue;
        const target = new URL(node.$ref, entry.id).href;
        if (!ajv.getSchema(target)) broken.push(`${entry.file}#${pointer}: $ref ${node.$ref} -> ${target}`);
      }
    }
    noProblems(broken, '$refs that do not resolve');
  });

  // strictRequired is off in the registry (see registry.ts); this is its replacement.
  it('require only properties they declare (no typos in `required`)', () => {
    const undeclared: string[] = [];
    for (const entry of entries) {
      const visit = (node: unknown, pointer: string, declared: ReadonlySet<string>): void => {
        if (Array.isArray(node)) {
          node.forEach((item, i) => visit(item, `${pointer}/${i}`, declared));
          return;
        }
        if (!isNode(node)) return;
        const own = isNode(node.properties) ? Object.keys(node.properties) : [];
        // A subschema of `properties`/`items` describes another value: its scope starts afresh.
        const scope = new Set([...declared, ...own]);
        if (Array.isArray(node.required)) {
          for (const name of node.required) if (!scope.has(String(name))) undeclared.push(`${entry.file}#${pointer}: ${String(name)}`);
        }
        for (const [key, value] of Object.entries(node)) {
          if (key === 'properties' && isNode(value)) {
            for (const [prop, sub] of Object.entries(value)) visit(sub, `${pointer}/properties/${prop}`, new Set());
          } else if (key === 'items' || key === 'additionalProperties') {
            visit(value, `${pointer}/${key}`, new Set());
          } else if (key !== 'examples' && key !== 'const' && key !== 'enum') {
            visit(value, `${pointer}/${key}`, scope);
          }
        }
      };
      visit(entry.schema, '', new Set());
    }
    noProblems(undeclared, 'required but not declared in properties');
  });

  // Prism 5.14 serves a schema's own `examples[0]` before the media type's named `examples`
  // (@stoplight/http-spec oas3 content transformer), so examples live in openapi.yaml only.
  it('carry no `examples` of their own (Prism would serve them instead of openapi.yaml\'s)', () => {
    noProblems(entries.filter((e) => 'examples' in e.schema || 'example' in e.schema).map((e) => e.file), 'schema files with examples');
  });

  it('mark INFERRED facts where they are carried', () => {
    const inferred: Array<[string, string]> = [
      ['jwks.schema.json', ''],
      ['jwks.schema.json', '/properties/keys'],
      ['token-response.schema.json', '/properties/refresh_token'],
      ['user-profile.schema.json', '/properties/created_at'],
      ['user-profile.schema.json', '/properties/updated_at'],
      ['user-profile.schema.json', '/properties/password_updated_at'],
      ['user-profile.schema.json', '/properties/last_login'],
      ['reset-password-request.schema.json', '/properties/new_password'],
      ['signup-request.schema.json', '/properties/password'],
      ['empty-response.schema.json', ''],
    ];
    for (const [file, pointer] of inferred) {
      const node = pointerGet(schemaEntry(file).schema, pointer);
      assert.ok(isNode(node) && typeof node.description === 'string', `${file}#${pointer} has no description`);
      assert.match(String(node.description), /INFERRED/, `${file}#${pointer} must say INFERRED`);
    }
  });
});

describe('the schema registry', () => {
  function schemaDir(files: Record<string, unknown>): URL {
    const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
    return pathToFileURL(`${dir}/`);
  }

  it('refuses a schema file without $id, naming the file', (t) => {
    const dir = schemaDir({ 'a.schema.json': { $id: `${SCHEMA_ID_BASE}a.schema.json` }, 'nameless.schema.json': { type: 'object' } });
    t.after(() => rmSync(dir, { recursive: true }));
    assert.throws(() => readSchemaFiles(dir), /schemas\/nameless\.schema\.json has no \$id/);
  });

  it('refuses a duplicate $id, naming both files', (t) => {
    const id = `${SCHEMA_ID_BASE}a.schema.json`;
    const dir = schemaDir({ 'a.schema.json': { $id: id }, 'b.schema.json': { $id: id } });
    t.after(() => rmSync(dir, { recursive: true }));
    assert.throws(() => readSchemaFiles(dir), /schemas\/b\.schema\.json repeats the \$id of schemas\/a\.schema\.json/);
  });

  it('refuses an $id that is not base + file name', (t) => {
    const dir = schemaDir({ 'a.schema.json': { $id: `${SCHEMA_ID_BASE}other.schema.json` } });
    t.after(() => rmSync(dir, { recursive: true }));
    assert.throws(() => readSchemaFiles(dir), /schemas\/a\.schema\.json has \$id/);
  });

  it('finds a schema by $id, file name or ./ref, and refuses an unknown one', () => {
    const body = { error: 'x', error_code: 3, error_description: '' };
    const id = `${SCHEMA_ID_BASE}error.schema.json`;
    for (const ref of [id, 'error.schema.json', './error.schema.json']) noProblems(describeSchemaErrors(validateSchema(ref, body)), ref);
    assert.equal(validateSchema('error.schema.json', { error: 'x' }).length, 2, 'found by file name, the schema judges');
    assert.throws(() => validateSchema('errors.schema.json', body), /unknown schema "errors\.schema\.json"; known: .*error\.schema\.json/);
  });

  it('does not rewrite the value it judges (no coercion, no defaults, no removal)', () => {
    const body = { token_type: 'Bearer', access_token: 'a', expires_in: '7200', sub: 's', extra: 1 };
    const before = structuredClone(body);
    assert.notDeepEqual(validateSchema('token-response.schema.json', body), []);
    assert.deepEqual(body, before);
  });
});

describe('openapi.yaml', () => {
  it('is OpenAPI 3.1.0 with the CloudBase server template and an http bearer (JWT) scheme', () => {
    assert.equal(openapiDocument.openapi, '3.1.0');
    const servers = openapiDocument.servers as Array<{ url: string; variables: Record<string, { default: string }> }>;
    assert.equal(servers[0]?.url, 'https://{env}.{region}.tcb-api.tencentcloudapi.com');
    assert.equal(servers[0]?.variables.region?.default, 'ap-shanghai');
    assert.ok(servers[0]?.variables.env);
    const components = openapiDocument.components as { securitySchemes: Record<string, Node> };
    assert.deepEqual(
      { type: components.securitySchemes.bearer?.type, scheme: components.securitySchemes.bearer?.scheme, bearerFormat: components.securitySchemes.bearer?.bearerFormat },
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    );
  });

  it('resolves every $ref: local pointers and sibling schema files', () => {
    const broken: string[] = [];
    const files = new Set(schemaEntries().map((e) => e.file));
    for (const [pointer, node] of walk(openapiDocument)) {
      if (!isNode(node) || typeof node.$ref !== 'string') continue;
      const ref = node.$ref;
      if (ref.startsWith('#/')) {
        if (pointerGet(openapiDocument, ref.slice(1)) === undefined) broken.push(`${pointer}: ${ref}`);
      } else if (!files.has(ref.replace(/^\.\//, ''))) {
        broken.push(`${pointer}: ${ref} (no such schema file)`);
      }
    }
    noProblems(broken, 'openapi.yaml $refs that do not resolve');
  });

  it('validates every example against its schema (Prism serves them)', () => {
    const failures: string[] = [];
    let count = 0;
    for (const op of operations) {
      const label = `${op.operationId} (${op.method} ${op.pathTemplate})`;
      for (const example of op.requestExamples) {
        count += 1;
        assert.ok(op.requestSchema, `${label}: request example without schema`);
        if (validateSchema(op.requestSchema, example.value).length > 0) {
          failures.push(`${label} request example "${example.name}":\n  ${explain(op.requestSchema, example.value)}`);
        }
      }
      for (const [status, response] of Object.entries(op.responses)) {
        for (const example of response.examples) {
          count += 1;
          assert.ok(response.schema, `${label} ${status}: example without schema`);
          if (validateSchema(response.schema, example.value).length > 0) {
            failures.push(`${label} response ${status} example "${example.name}":\n  ${explain(response.schema, example.value)}`);
          }
        }
      }
    }
    noProblems(failures, 'examples that do not match their schema');
    assert.ok(count > 60, `expected the examples of every response, found ${count}`);
  });

  it('gives every response an application/json schema and an example, and no `default`', () => {
    const missing: string[] = [];
    for (const op of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!response.schema) missing.push(`${op.operationId} ${status}: no schema`);
        if (response.examples.length === 0) missing.push(`${op.operationId} ${status}: no example`);
        // A 401 may also carry the gateway's own body (UnauthenticatedError = ErrorBody or GatewayError).
        const errorTitles = status === '401' ? ['ErrorBody', 'UnauthenticatedError'] : ['ErrorBody'];
        if (status !== '200' && response.schema && !errorTitles.includes(schemaEntry(response.schema).title)) {
          missing.push(`${op.operationId} ${status}: errors use ErrorBody, not ${schemaEntry(response.schema).title}`);
        }
      }
      if (op.requestSchema && op.requestExamples.length === 0) missing.push(`${op.operationId}: request body without example`);
    }
    noProblems(missing, 'incomplete responses');
  });

  it('describes every 4XX response as INFERRED and cites a source in every operation description', () => {
    const paths = openapiDocument.paths as Record<string, Record<string, Node>>;
    for (const op of operations) {
      const raw = paths[op.pathTemplate]?.[op.method.toLowerCase()];
      assert.match(String(raw?.description), /Source|INFERRED/, `${op.operationId}: description must cite its source`);
      assert.ok(typeof raw?.summary === 'string' && Array.isArray(raw.tags) && raw.tags.length > 0, `${op.operationId}: summary and tags`);
      assert.match(op.responses['4XX']?.description ?? '', /INFERRED/, `${op.operationId} 4XX`);
    }
  });

  it('declares client_id, x-device-id and x-request-id on every operation', () => {
    for (const op of operations) {
      const names = op.parameters.map((p) => `${p.in}:${p.name}`);
      for (const expected of ['query:client_id', 'header:x-device-id', 'header:x-request-id']) {
        assert.ok(names.includes(expected), `${op.operationId} lacks ${expected}`);
      }
      assert.equal(op.parameters.find((p) => p.name === 'client_id')?.required, false, `${op.operationId}: client_id is optional`);
    }
  });

  it('requires x-device-id only on anonymous sign-in, and sudo_token only on DELETE /user/me', () => {
    const required = (op: Operation, name: string) => op.parameters.find((p) => p.name === name)?.required;
    for (const op of operations) {
      assert.equal(required(op, 'x-device-id'), op.operationId === 'signInAnonymously', `${op.operationId} x-device-id`);
    }
    assert.equal(required(operationById('deleteMe'), 'sudo_token'), true);
    assert.equal(required(operationById('updatePassword'), 'sudo_token'), false);
    const unbind = operationById('unbindProvider');
    assert.deepEqual(unbind.parameters.find((p) => p.name === 'provider_id'), { name: 'provider_id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } });
    assert.deepEqual(unbind.match('/auth/v1/user/provider/github'), { provider_id: 'github' });
  });

  it('serves 200 examples a happy-path flow can use', () => {
    const first = (operationId: string) => operationById(operationId).responses['200']?.examples[0]?.value as Node;
    for (const operationId of ['signIn', 'signUp', 'grantToken', 'signInAnonymously']) {
      const token = first(operationId);
      assert.equal(token.token_type, 'Bearer', operationId);
      assert.match(String(token.access_token), JWT_SHAPE, operationId);
      assert.equal(token.expires_in, 7200, operationId);
      for (const field of ['refresh_token', 'scope', 'sub']) assert.equal(typeof token[field], 'string', `${operationId}.${field}`);
    }
    assert.ok(Array.isArray(first('signIn').groups), 'signIn 200 example has groups');
    assert.equal(first('signInAnonymously').scope, 'anonymous');
    assert.notEqual(first('grantToken').refresh_token, first('signIn').refresh_token, 'a refresh rotates the refresh token');
    assert.deepEqual(Object.keys(first('introspectToken')).sort(), ['client_id', 'scope', 'sub', 'token_type']);
    assert.equal(first('sendVerification').is_user, false);
    assert.equal(first('sudo').expires_in, 900);
    assert.ok(Array.isArray(first('getCerts').keys));
    assert.deepEqual(first('deleteMe'), {});
  });
});

/** Rows of the "Operations" table of docs/contract-decisions.md. */
function decisionsTable(): Array<{ operationId: string; method: string; path: string; bearer: boolean; requestTitle?: string; successTitle: string; statuses: string[] }> {
  const text = readFileSync(new URL('../../docs/contract-decisions.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf('## Operations'), text.indexOf('## Shapes'));
  const rows = section.split('\n').filter((line) => /^\| [a-z]\w+ \| [A-Z]+ \/auth\//.test(line));
  return rows.map((line) => {
    // Code spans may hold `|` (`{phone_number | email}`): blank them before splitting the cells.
    const cells = line.replace(/`[^`]*`/g, '`code`').split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, '').trim());
    const [operationId = '', route = '', auth = '', request = '', responses = ''] = cells;
    const [method = '', path = ''] = route.split(' ');
    const plain = responses.replace(/`code`/g, '');
    const requestTitle = /\(([A-Z]\w+)\)\s*$/.exec(request)?.[1];
    return {
      operationId,
      method,
      path,
      bearer: /^bearer\b/.test(auth),
      ...(requestTitle ? { requestTitle } : {}),
      successTitle: /^200 (\w+)/.exec(plain)?.[1] ?? '',
      statuses: [...new Set(plain.match(/\b[1-5](?:\d\d|XX)\b/g) ?? [])].sort(),
    };
  });
}

describe('the operations of docs/contract-decisions.md', () => {
  const table = decisionsTable();

  it('are all read from the decisions table', () => {
    assert.equal(table.length, operations.length, `expected ${operations.length} operations in the table (one per operation of openapi.yaml), parsed ${table.length}`);
  });

  it('are exactly the operations of openapi.yaml', () => {
    const fromDocs = table.map((r) => `${r.operationId} ${r.method} ${r.path}`).sort();
    const fromOpenapi = operations.map((o) => `${o.operationId} ${o.method} ${o.pathTemplate}`).sort();
    assert.deepEqual(fromOpenapi, fromDocs);
  });

  for (const row of table) {
    it(`${row.operationId}: auth, bodies and statuses as decided`, () => {
      const op = operationById(row.operationId);
      assert.equal(op.security, row.bearer, 'Bearer required');
      assert.equal(op.requestSchema ? schemaEntry(op.requestSchema).title : undefined, row.requestTitle, 'request schema');
      const success = op.responses['200']?.schema;
      assert.equal(success ? schemaEntry(success).title : undefined, row.successTitle, '200 schema');
      // Common rule: every Bearer operation documents 401 unauthenticated.
      const expected = [...new Set([...row.statuses, ...(row.bearer ? ['401'] : [])])].sort();
      assert.deepEqual(Object.keys(op.responses).sort(), expected, 'documented statuses');
    });
  }
});

interface Case {
  name: string;
  body: unknown;
}

/** Bodies a schema must reject (each for one reason) and bodies it must accept. */
const TABLES: Record<string, { reject: Case[]; accept: Case[] }> = (() => {
  const token = { token_type: 'Bearer', access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', refresh_token: 'm.abc', expires_in: 7200, scope: 'user', sub: '1849755119840497664', groups: ['user'] };
  const error = { error: 'invalid_argument', error_code: 3, error_description: 'bad' };
  const without = <T extends Node>(o: T, key: keyof T): Node => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
  return {
    'token-response.schema.json': {
      reject: [
        { name: 'no access_token', body: without(token, 'access_token') },
        { name: 'no token_type', body: without(token, 'token_type') },
        { name: 'no expires_in', body: without(token, 'expires_in') },
        { name: 'no sub', body: without(token, 'sub') },
        { name: 'expires_in 0', body: { ...token, expires_in: 0 } },
        { name: 'expires_in "7200"', body: { ...token, expires_in: '7200' } },
        { name: 'expires_in 7200.5', body: { ...token, expires_in: 7200.5 } },
        { name: 'token_type "bearer"', body: { ...token, token_type: 'bearer' } },
        { name: 'empty access_token', body: { ...token, access_token: '' } },
        { name: 'access_token over 4096 characters', body: { ...token, access_token: 'a'.repeat(4097) } },
        { name: 'refresh_token over 128 characters', body: { ...token, refresh_token: 'm.'.padEnd(129, 'x') } },
        { name: 'groups as objects', body: { ...token, groups: [{ id: 'user' }] } },
        { name: 'need_weda_resource as a string', body: { ...token, need_weda_resource: 'false' } },
        { name: 'an array', body: [token] },
      ],
      accept: [
        { name: 'an unknown field', body: { ...token, brand_new: true } },
        { name: 'only the required fields', body: { token_type: 'Bearer', access_token: 'x', expires_in: 1, sub: 's' } },
      ],
    },
    'error.schema.json': {
      reject: [
        { name: 'error_code as a string', body: { ...error, error_code: '3' } },
        { name: 'error_code 0', body: { ...error, error_code: 0 } },
        { name: 'error_code 3.5', body: { ...error, error_code: 3.5 } },
        { name: 'empty error', body: { ...error, error: '' } },
        { name: 'no error', body: without(error, 'error') },
        { name: 'no error_code', body: without(error, 'error_code') },
        { name: 'no error_description', body: without(error, 'error_description') },
        { name: 'details as an object', body: { ...error, details: {} } },
        { name: 'a gateway error {code, message}', body: { code: 'INVALID_ACCESS_TOKEN', message: 'x', requestId: 'r' } },
      ],
      accept: [
        { name: 'details', body: { ...error, details: [{ '@type': 'type.googleapis.com/x', retry_delay: '600s' }] } },
        { name: 'an unknown field', body: { ...error, request_id: 'r' } },
        { name: 'a CommonError code', body: { error: 'login_type_disabled', error_code: 4045, error_description: '' } },
      ],
    },
    'unauthenticated-error.schema.json': {
      reject: [
        { name: 'a gateway body without message', body: { code: 'INVALID_ACCESS_TOKEN' } },
        { name: 'a lower-case gateway code', body: { code: 'invalid_access_token', message: 'x' } },
        { name: 'an ErrorBody with error_code 0', body: { error: 'unauthenticated', error_code: 0, error_description: '' } },
        { name: 'an empty object', body: {} },
      ],
      accept: [
        { name: "the auth service's body", body: { error: 'unauthenticated', error_code: 16, error_description: 'x' } },
        { name: "the gateway's body", body: { code: 'INVALID_ACCESS_TOKEN', message: 'x', requestId: 'r' } },
      ],
    },
    'user-profile.schema.json': {
      reject: [
        { name: 'no sub', body: { name: 'Ada' } },
        { name: 'phone without the space', body: { sub: '1', phone_number: '+8613800000000' } },
        { name: 'email that is not one', body: { sub: '1', email: 'ada' } },
        { name: 'groups as strings', body: { sub: '1', groups: ['user'] } },
        { name: 'created_at not a date-time', body: { sub: '1', created_at: 'yesterday' } },
        { name: 'has_password as a string', body: { sub: '1', has_password: 'true' } },
        { name: 'user_source as a string', body: { sub: '1', user_source: '1' } },
        { name: 'a provider without id', body: { sub: '1', providers: [{ name: 'GitHub' }] } },
      ],
      accept: [
        { name: 'only sub', body: { sub: '1' } },
        { name: 'an unknown field', body: { sub: '1', email_verified: true } },
        { name: 'groups with expires_at', body: { sub: '1', groups: [{ id: 'user', expires_at: '2030-01-01T00:00:00Z' }] } },
      ],
    },
    'introspect-response.schema.json': {
      reject: [
        { name: 'a partial active form', body: { sub: '1', scope: 'user' } },
        { name: 'token_type "bearer"', body: { token_type: 'bearer', client_id: 'c', sub: '1', scope: 'user' } },
        { name: 'no scope', body: { token_type: 'Bearer', client_id: 'c', sub: '1' } },
      ],
      accept: [
        { name: '{} for a dead token', body: {} },
        { name: 'the active form', body: { token_type: 'Bearer', client_id: 'c', sub: '1', scope: 'user sso' } },
        { name: 'an unknown field', body: { token_type: 'Bearer', client_id: 'c', sub: '1', scope: 'user', exp: 1 } },
      ],
    },
    'verification-response.schema.json': {
      reject: [
        { name: 'is_user as a string', body: { verification_id: 'v', expires_in: 600, is_user: 'false' } },
        { name: 'empty verification_id', body: { verification_id: '', expires_in: 600, is_user: false } },
        { name: 'expires_in 0', body: { verification_id: 'v', expires_in: 0, is_user: false } },
      ],
      accept: [
        { name: 'an unknown field', body: { verification_id: 'v', expires_in: 600, is_user: true, new: 1 } },
        { name: 'no is_user (the SDK reads it as false)', body: { verification_id: 'v', expires_in: 600 } },
      ],
    },
    'verify-response.schema.json': {
      reject: [
        { name: 'no verification_token', body: { expires_in: 600 } },
        { name: 'expires_in "600"', body: { verification_token: 't', expires_in: '600' } },
      ],
      accept: [{ name: 'an unknown field', body: { verification_token: 't', expires_in: 600, new: 1 } }],
    },
    'sudo-response.schema.json': {
      reject: [
        { name: 'no sudo_token', body: { expires_in: 900 } },
        { name: 'expires_in 0', body: { sudo_token: 's', expires_in: 0 } },
      ],
      accept: [{ name: 'an unknown field', body: { sudo_token: 's', expires_in: 900, new: 1 } }],
    },
    'signout-response.schema.json': {
      reject: [{ name: 'redirect_uri as a number', body: { redirect_uri: 1 } }, { name: 'a string', body: 'ok' }],
      accept: [{ name: '{}', body: {} }, { name: 'an unknown field', body: { redirect_uri: 'https://x', new: 1 } }],
    },
    'providers-response.schema.json': {
      reject: [
        { name: 'no data', body: { total: 0 } },
        { name: 'a provider without bind', body: { total: 1, data: [{ id: 'github' }] } },
        { name: 'bind as a string', body: { total: 1, data: [{ id: 'github', bind: 'true' }] } },
        { name: 'negative total', body: { total: -1, data: [] } },
      ],
      accept: [
        { name: 'total that differs from data (as in the docs example)', body: { total: 2, data: [{ id: 'a', bind: true }, { id: 'b', bind: false }, { id: 'c', bind: false }] } },
        { name: 'an unknown field', body: { total: 0, data: [], next: null } },
      ],
    },
    'empty-response.schema.json': {
      reject: [{ name: 'null', body: null }, { name: 'an empty string', body: '' }, { name: 'an array', body: [] }],
      accept: [{ name: '{}', body: {} }, { name: 'an unknown field', body: { request_id: 'r' } }],
    },
    'jwks.schema.json': {
      reject: [
        { name: 'no keys', body: {} },
        { name: 'no key at all', body: { keys: [] } },
        { name: 'a key without kid', body: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] } },
      ],
      accept: [{ name: 'an unknown field', body: { keys: [{ kty: 'RSA', kid: 'k', x5c: [] }] } }],
    },
    'phone-number.schema.json': {
      reject: [
        { name: 'no space', body: '+8613800000000' },
        { name: 'no plus', body: '86 13800000000' },
        { name: 'two spaces', body: '+86  13800000000' },
        { name: 'letters', body: '+86 1380000000a' },
        { name: 'a +86 number that is not a mainland mobile number', body: '+86 23800000000' },
        { name: 'a +86 number of 10 digits', body: '+86 1380000000' },
      ],
      accept: [{ name: 'the docs form', body: '+86 13800000000' }, { name: 'a 3-digit country code', body: '+852 91234567' }],
    },
    'verification-request.schema.json': {
      reject: [
        { name: 'both phone and email', body: { phone_number: '+86 13800000000', email: 'a@b.co', target: 'ANY' } },
        { name: 'neither phone nor email', body: { target: 'ANY' } },
        { name: 'target CUR_USER with both phone_number and email', body: { phone_number: '+86 13800000000', email: 'a@example.com', target: 'CUR_USER' } },
        { name: 'target CUR_USER with an unknown field', body: { target: 'CUR_USER', captcha: 'x' } },
        { name: 'an unknown field', body: { email: 'a@b.co', target: 'ANY', captcha: 'x' } },
      ],
      accept: [
        { name: 'a phone', body: { phone_number: '+86 13800000000', target: 'NOT_USER' } },
        { name: 'an email with usage', body: { email: 'a@b.co', target: 'USER', usage: 'recovery' } },
        { name: 'no target (the js-sdk sends none)', body: { phone_number: '+86 13800000000' } },
        { name: 'target CUR_USER alone (the user\'s own contact)', body: { target: 'CUR_USER' } },
        { name: 'target CUR_USER with the user\'s phone', body: { target: 'CUR_USER', phone_number: '+86 13800000000' } },
      ],
    },
    'signin-request.schema.json': {
      reject: [
        { name: 'password and verification token', body: { username: 'ada', password: 'p', verification_token: 't' } },
        { name: 'username alone', body: { username: 'ada' } },
        { name: 'password without username', body: { password: 'p' } },
      ],
      accept: [
        { name: 'username and password', body: { username: 'ada', password: 'p' } },
        { name: 'a verification token alone (docs)', body: { verification_token: 't' } },
        { name: 'what the SDK sends for code login', body: { username: '+86 13800000000', verification_token: 't', verification_code: '000000', client_id: 'env' } },
      ],
    },
    'signup-request.schema.json': {
      reject: [
        { name: 'username and password only', body: { username: 'ada', password: 'Str0ng!Passw0rd', verification_token: 't' } },
        { name: 'no verification token', body: { phone_number: '+86 13800000000' } },
        { name: 'a 7-character password', body: { email: 'a@b.co', verification_token: 't', password: 'Sh0rt!x' } },
        { name: 'a password without a special character', body: { email: 'a@b.co', verification_token: 't', password: 'Str0ngPassw0rd' } },
        { name: 'a password without an uppercase letter', body: { email: 'a@b.co', verification_token: 't', password: 'str0ng!passw0rd' } },
        { name: 'an all-digit username', body: { email: 'a@b.co', verification_token: 't', username: '12345' } },
        { name: 'a username ending with _', body: { email: 'a@b.co', verification_token: 't', username: 'ada_' } },
        { name: 'a username of 33 characters', body: { email: 'a@b.co', verification_token: 't', username: 'a'.repeat(33) } },
      ],
      accept: [{ name: 'what the SDK sends', body: { phone_number: '+86 13800000000', verification_code: '000000', verification_token: 't', name: 'Ada', password: 'Str0ng!Passw0rd', username: 'ada' } }],
    },
    'token-request.schema.json': {
      reject: [
        { name: 'refresh grant without refresh_token', body: { grant_type: 'refresh_token' } },
        { name: 'password grant without password', body: { grant_type: 'password', username: 'ada' } },
        { name: 'the client_credentials grant', body: { grant_type: 'client_credentials' } },
        { name: 'no grant_type', body: { refresh_token: 'm.x' } },
      ],
      accept: [{ name: 'what the SDK sends to refresh', body: { client_id: 'env', client_secret: '', grant_type: 'refresh_token', refresh_token: 'm.x' } }],
    },
    'sudo-request.schema.json': {
      reject: [{ name: 'both', body: { password: 'p', verification_token: 't' } }, { name: 'neither', body: {} }],
      accept: [{ name: 'a password', body: { password: 'p' } }],
    },
    'update-password-request.schema.json': {
      reject: [
        { name: 'no new_password', body: { sudo_token: 's' } },
        { name: 'old_password alone (the seed)', body: { old_password: 'a' } },
        { name: 'an all-lowercase new_password', body: { sudo_token: 's', new_password: 'alllowercase' } },
      ],
      accept: [{ name: 'what the SDK sends', body: { sudo_token: 's', new_password: 'N3w!Passw0rd' } }],
    },
    'reset-password-request.schema.json': {
      reject: [
        { name: 'no contact', body: { new_password: 'N3w!Passw0rd', verification_token: 't' } },
        { name: 'a new_password without a digit', body: { email: 'a@b.co', new_password: 'New!Password', verification_token: 't' } },
      ],
      accept: [{ name: 'an email', body: { email: 'a@b.co', new_password: 'N3w!Passw0rd', verification_token: 't' } }],
    },
    'revoke-request.schema.json': {
      reject: [{ name: 'an empty token', body: { token: '' } }],
      accept: [{ name: '{}', body: {} }, { name: 'any other field (docs: body "any")', body: { token: 't', hint: 'access_token' } }],
    },
    // ---- issue 10: user family ----
    'edit-basic-info-request.schema.json': {
      reject: [
        { name: 'a one-character nickname (docs: 2-48)', body: { nickname: 'a' } },
        { name: 'gender "male"', body: { gender: 'male' } },
        { name: 'a phone without the country code', body: { phone: '13800000000' } },
        { name: 'an email that is not one', body: { email: 'not-an-email' } },
        { name: 'a username starting with "_"', body: { username: '_ada' } },
        { name: 'an encrypted password (not covered)', body: { encrypt_new_password: 'x', public_key_thumbprint: 't' } },
      ],
      accept: [
        { name: 'the docs example', body: { nickname: '张三', username: 'zhangsan', phone: '+86 13000000000', description: 'd', avatar_url: 'https://example.com/a.jpg', gender: 'MALE', email: 'zhangsan@example.com' } },
        { name: '{}', body: {} },
      ],
    },
    'patch-profile-request.schema.json': {
      reject: [{ name: 'name as a number', body: { name: 1 } }, { name: 'a phone without the space', body: { phone_number: '+8613800000000' } }],
      accept: [{ name: 'an unknown field (the SDK passes the caller\'s object)', body: { name: 'Ada', nickName: 'ada' } }],
    },
    'edit-contact-request.schema.json': {
      reject: [
        { name: 'no sudo_token', body: { phone_number: '+86 13800000000', verification_token: 't' } },
        { name: 'no verification_token', body: { email: 'a@b.co', sudo_token: 's' } },
        { name: 'both phone and email', body: { phone_number: '+86 13800000000', email: 'a@b.co', sudo_token: 's', verification_token: 't' } },
        { name: 'neither phone nor email', body: { sudo_token: 's', verification_token: 't' } },
        { name: 'an unknown conflict_resolution', body: { email: 'a@b.co', sudo_token: 's', verification_token: 't', conflict_resolution: 'MERGE' } },
      ],
      accept: [{ name: 'a phone with TRANSFER', body: { phone_number: '+86 13800000000', sudo_token: 's', verification_token: 't', conflict_resolution: 'TRANSFER' } }],
    },
    'query-users-response.schema.json': {
      reject: [
        { name: 'no total', body: { data: [] } },
        { name: 'a user without sub', body: { total: 1, data: [{ name: 'Ada' }] } },
        { name: 'total as a string', body: { total: '1', data: [] } },
      ],
      accept: [{ name: 'no data (optional in the SDK type)', body: { total: 0 } }, { name: 'a user', body: { total: 1, data: [{ sub: '1', name: 'Ada', phone_number: '+86 13800000000' }] } }],
    },
    'check-if-user-exist-response.schema.json': {
      reject: [{ name: '{}', body: {} }, { name: 'exist as a string', body: { exist: 'true' } }],
      accept: [{ name: '{exist: false}', body: { exist: false } }],
    },
    // ---- issue 10: captcha / v2 family ----
    'captcha-data-response.schema.json': {
      reject: [
        { name: 'no token', body: { data: 'data:image/gif;base64,R0lG', type: 'image', expires_in: 300 } },
        { name: 'data not a data URI', body: { data: 'https://x/y.gif', type: 'image', token: 't', expires_in: 300 } },
        { name: 'expires_in "300"', body: { data: 'data:image/gif;base64,R0lG', type: 'image', token: 't', expires_in: '300' } },
      ],
      accept: [{ name: 'the docs example shape', body: { data: 'data:image/gif;base64,R0lG', type: 'image', token: 't', expires_in: 300 } }],
    },
    'captcha-verify-response.schema.json': {
      reject: [{ name: 'no captcha_token', body: { expires_in: 600 } }, { name: 'expires_in 0', body: { captcha_token: 'v1.x', expires_in: 0 } }],
      accept: [{ name: 'the docs example', body: { captcha_token: 'v1.aC_uW2', expires_in: 600 } }],
    },
    'captcha-init-response.schema.json': {
      reject: [{ name: 'neither url nor captcha_token', body: { expires_in: 300 } }, { name: 'no expires_in', body: { url: 'data:image/gif;base64,R0lG?token=t' } }],
      accept: [{ name: 'a url', body: { url: 'data:image/gif;base64,R0lG?token=t', expires_in: 300 } }, { name: 'a captcha_token', body: { captcha_token: 'v1.x', expires_in: 600 } }],
    },
    'public-key-response.schema.json': {
      reject: [{ name: 'no thumbprint (the SDK refuses it)', body: { public_key: 'pem' } }, { name: 'empty public_key', body: { public_key: '', public_key_thumbprint: 't' } }],
      accept: [{ name: 'both', body: { public_key: '-----BEGIN PUBLIC KEY-----', public_key_thumbprint: 't' } }],
    },
    'signin-v2-request.schema.json': {
      reject: [{ name: 'params without thumbprint', body: { params: 'abc' } }, { name: 'params with a password', body: { params: 'abc', public_key_thumbprint: 't', password: 'p' } }],
      accept: [{ name: 'plain v1 body', body: { username: 'ada', password: 'p' } }, { name: 'encrypted', body: { params: 'abc', public_key_thumbprint: 't' } }],
    },
    'password-update-v2-request.schema.json': {
      reject: [{ name: 'no new_password', body: { username: 'ada', password: '', public_key_thumbprint: 't' } }],
      accept: [{ name: 'what the SDK sends without an old password', body: { username: 'ada', password: '', new_password: 'enc', public_key_thumbprint: 't' } }],
    },
    // ---- issue 10: provider sign-in and custom tickets ----
    'provider-uri-response.schema.json': {
      reject: [{ name: 'no uri', body: { signout_uri: 'https://x' } }, { name: 'an empty uri', body: { uri: '' } }],
      accept: [{ name: 'the docs example', body: { uri: 'https://github.com/login/oauth/authorize?state=s' } }, { name: 'an unknown field', body: { uri: 'https://x', new: 1 } }],
    },
    'provider-token-response.schema.json': {
      reject: [
        { name: 'no provider_token', body: { expires_in: 3600 } },
        { name: 'expires_in "3600"', body: { provider_token: 'p', expires_in: '3600' } },
        { name: 'provider_profile as a string', body: { provider_token: 'p', provider_profile: 'github' } },
        { name: 'groups as a string', body: { provider_token: 'p', provider_profile: { groups: 'admin' } } },
      ],
      accept: [
        { name: 'the docs example', body: { provider_token: 'p', expires_in: 3600, provider_profile: { provider_id: 'github', sub: '1', name: 'Zhang San', provider: 'github' } } },
        { name: 'an unknown field', body: { provider_token: 'p', code: 'c' } },
      ],
    },
    'signin-with-provider-request.schema.json': {
      reject: [{ name: 'no provider_token', body: { provider_id: 'github' } }, { name: 'force_disable_sign_up as a string', body: { provider_token: 'p', force_disable_sign_up: 'true' } }],
      accept: [{ name: 'what js-sdk signInWithIdToken sends', body: { provider_token: 'p' } }],
    },
    'signin-custom-request.schema.json': {
      reject: [{ name: 'provider_id github', body: { provider_id: 'github', ticket: 't' } }, { name: 'no ticket', body: { provider_id: 'custom' } }, { name: 'no provider_id', body: { ticket: 't' } }],
      accept: [{ name: 'what js-sdk signInWithCustomTicket sends', body: { provider_id: 'custom', ticket: 'k/@@/a.b.c' } }],
    },
    'grant-provider-token-request.schema.json': {
      reject: [{ name: 'no code nor token', body: { provider_id: 'github' } }, { name: 'no provider_id', body: { provider_code: 'c' } }],
      accept: [{ name: 'what js-sdk verifyOAuth sends', body: { provider_id: 'github', provider_redirect_uri: 'https://app/cb', provider_code: 'c' } }],
    },
    'patch-provider-token-request.schema.json': {
      reject: [{ name: 'no provider_params', body: { provider_token: 'p' } }],
      accept: [{ name: 'a phone code', body: { provider_token: 'p', provider_params: { code: 'c', provider_code_type: 'phone_code' } } }],
    },
  };
})();

describe('what the schemas reject and accept', () => {
  it('covers every response schema', () => {
    const responseSchemas = new Set(operations.flatMap((o) => Object.values(o.responses).map((r) => r.schema ?? '')));
    const uncovered = [...responseSchemas].map((id) => schemaEntry(id).file).filter((file) => !(file in TABLES));
    noProblems(uncovered, 'response schemas without a reject/accept table');
  });

  for (const [file, { reject, accept }] of Object.entries(TABLES)) {
    const title = schemaEntry(file).title;
    for (const c of reject) {
      it(`${title} rejects ${c.name}`, () => {
        assert.notDeepEqual(validateSchema(file, c.body), [], `${file} accepted ${JSON.stringify(c.body)}`);
      });
    }
    for (const c of accept) {
      it(`${title} accepts ${c.name}`, () => {
        assert.equal(validateSchema(file, c.body).length, 0, `${file} rejected ${JSON.stringify(c.body)}:\n  ${explain(schemaEntry(file).id, c.body)}`);
      });
    }
  }
});
