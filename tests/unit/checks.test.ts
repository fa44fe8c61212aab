/**
 * The contract checks and their messages, on hand-made exchanges (no server).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bodyMatchesSchema,
  responseFailures,
  contentTypeIsJson,
  documentedStatus,
  findOperation,
  formatFailure,
  operationById,
  requestMatchesContract,
  schemaEntry,
  statusIsDocumented,
} from '../../contract/index.ts';
import type { Exchange, ExchangeRequest, Operation } from '../../contract/index.ts';
import { REDACTED, registerSecret } from '../../contract/redact.ts';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxODQ5NzU1MTE5ODQwNDk3NjY0In0.c2lnbmF0dXJlLXBhcnQ';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const TOKEN = { token_type: 'Bearer', access_token: JWT, refresh_token: 'm.r3fresh-token-value', expires_in: 7200, scope: 'user', sub: '1849755119840497664', groups: ['user'] };

function exchange(operation: Operation, status: number, body: unknown, headers: Record<string, string> = JSON_HEADERS): Exchange {
  return {
    operation,
    request: { method: operation.method, url: `https://env.ap-shanghai.tcb-api.tencentcloudapi.com${operation.pathTemplate}`, headers: {} },
    response: { status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) },
  };
}

const signIn = operationById('signIn');
const getMe = operationById('getMe');

describe('findOperation', () => {
  it('finds an operation by method and path, ignoring the query string and the origin', () => {
    assert.equal(findOperation('post', '/auth/v1/signin?client_id=env')?.operationId, 'signIn');
    assert.equal(findOperation('GET', 'https://env.ap-shanghai.tcb-api.tencentcloudapi.com/auth/v1/user/me?x=1')?.operationId, 'getMe');
    assert.equal(findOperation('DELETE', '/auth/v1/user/me?sudo_token=s')?.operationId, 'deleteMe');
  });

  it('matches path templates and prefers literal paths', () => {
    assert.equal(findOperation('DELETE', '/auth/v1/user/provider/github')?.operationId, 'unbindProvider');
    assert.equal(findOperation('POST', '/auth/v1/user/provider/bind')?.operationId, 'bindProvider');
    assert.deepEqual(findOperation('DELETE', '/auth/v1/user/provider/wx_open')?.match('/auth/v1/user/provider/wx_open'), { provider_id: 'wx_open' });
  });

  it('finds nothing for an unknown path, a wrong method or the seed\'s wrong routes', () => {
    assert.equal(findOperation('GET', '/auth/v1/signin'), undefined);
    assert.equal(findOperation('POST', '/auth/v1/signin-anonymously'), undefined);
    assert.equal(findOperation('GET', '/auth/v1/user/providers'), undefined);
    assert.equal(findOperation('GET', '/auth/v1/user/provider/extra/segment'), undefined);
  });
});

describe('documentedStatus', () => {
  it('prefers the exact code, then the NXX range, else nothing', () => {
    assert.equal(documentedStatus(signIn, 200), '200');
    assert.equal(documentedStatus(signIn, 400), '400');
    assert.equal(documentedStatus(signIn, 404), '4XX');
    assert.equal(documentedStatus(signIn, 429), '4XX');
    assert.equal(documentedStatus(signIn, 500), undefined);
    assert.equal(documentedStatus(signIn, 204), undefined);
  });
});

describe('statusIsDocumented', () => {
  it('passes a documented status and a status inside a documented 4XX range', () => {
    assert.equal(statusIsDocumented(exchange(signIn, 200, TOKEN)), undefined);
    assert.equal(statusIsDocumented(exchange(signIn, 409, { error: 'already_exists', error_code: 6, error_description: '' })), undefined);
  });

  it('fails an undocumented status and lists the documented ones', () => {
    const failure = statusIsDocumented(exchange(getMe, 500, { error: 'internal', error_code: 13, error_description: '' }));
    assert.ok(failure);
    assert.equal(failure.check, 'statusIsDocumented');
    assert.equal(failure.status, 500);
    const message = formatFailure(failure);
    assert.match(message, /^GET \/auth\/v1\/user\/me -> 500: status 500 is not documented$/m);
    assert.match(message, /documented: 200, 401, 4XX/);
  });

  it('fails a 204 even on an operation whose success is {}', () => {
    assert.ok(statusIsDocumented(exchange(operationById('deleteMe'), 204, '', {})));
  });
});

describe('contentTypeIsJson', () => {
  it('passes application/json with or without parameters', () => {
    assert.equal(contentTypeIsJson(exchange(signIn, 200, TOKEN, { 'content-type': 'application/json' })), undefined);
    assert.equal(contentTypeIsJson(exchange(signIn, 200, TOKEN, { 'content-type': 'Application/JSON;charset=UTF-8' })), undefined);
  });

  it('fails another content type, naming it', () => {
    const failure = contentTypeIsJson(exchange(signIn, 200, TOKEN, { 'content-type': 'text/plain' }));
    assert.ok(failure);
    assert.match(formatFailure(failure), /POST \/auth\/v1\/signin -> 200: content-type is "text\/plain", expected application\/json/);
    assert.ok(contentTypeIsJson(exchange(signIn, 422, { title: 'x' }, { 'content-type': 'application/problem+json' })));
    assert.ok(contentTypeIsJson(exchange(signIn, 200, TOKEN, { 'content-type': 'application/jsonp' })));
  });

  it('fails a missing content type', () => {
    assert.match(contentTypeIsJson(exchange(signIn, 200, TOKEN, {}))?.summary ?? '', /no content-type/);
  });

  it('fails a body that is not JSON even when the header says JSON', () => {
    assert.match(contentTypeIsJson(exchange(signIn, 200, '<html>502 Bad Gateway</html>'))?.summary ?? '', /body is not JSON/);
    assert.match(contentTypeIsJson(exchange(signIn, 200, ''))?.summary ?? '', /body is empty/);
  });
});

describe('bodyMatchesSchema', () => {
  it('passes a body that matches the schema of its status', () => {
    assert.equal(bodyMatchesSchema(exchange(signIn, 200, TOKEN)), undefined);
    assert.equal(bodyMatchesSchema(exchange(signIn, 404, { error: 'not_found', error_code: 5, error_description: 'user not found' })), undefined);
  });

  it('judges a body by the schema of the range it falls in', () => {
    const failure = bodyMatchesSchema(exchange(signIn, 404, TOKEN));
    assert.ok(failure);
    assert.equal(failure.summary, 'body does not match ErrorBody');
  });

  it('fails a body that does not match, with the Ajv errors', () => {
    const failure = bodyMatchesSchema(exchange(signIn, 200, { ...TOKEN, expires_in: '7200' }));
    assert.ok(failure);
    assert.equal(failure.summary, 'body does not match TokenResponse');
    assert.deepEqual(failure.schemaErrors.map((e) => [e.instancePath, e.keyword]), [['/expires_in', 'type']]);
  });

  it('has nothing to judge for an undocumented status', () => {
    assert.equal(bodyMatchesSchema(exchange(getMe, 500, TOKEN)), undefined);
  });
});

describe('responseFailures', () => {
  it('passes a good exchange', () => {
    assert.deepEqual(responseFailures(exchange(signIn, 200, TOKEN)), []);
    assert.deepEqual(responseFailures(exchange(operationById('introspectToken'), 200, {})), []);
  });

  it('runs the checks in order and does not judge a body that is not JSON', () => {
    const failures = responseFailures(exchange(signIn, 502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' }));
    assert.deepEqual(failures.map((f) => f.check), ['statusIsDocumented', 'contentTypeIsJson']);
  });

  it('still judges a JSON body sent with the wrong content type', () => {
    const failures = responseFailures(exchange(signIn, 200, { ...TOKEN, token_type: 'bearer' }, { 'content-type': 'text/plain' }));
    assert.deepEqual(failures.map((f) => f.check), ['contentTypeIsJson', 'bodyMatchesSchema']);
  });

  it('does not judge the body of an undocumented status', () => {
    const failures = responseFailures(exchange(getMe, 503, { nonsense: true }));
    assert.deepEqual(failures.map((f) => f.check), ['statusIsDocumented']);
  });
});

describe('requestMatchesContract', () => {
  const request = (overrides: Partial<ExchangeRequest> & { url: string }): ExchangeRequest => ({ method: 'GET', headers: {}, ...overrides });

  it('passes requests the suite is meant to build', () => {
    assert.deepEqual(requestMatchesContract(signIn, request({ method: 'POST', url: '/auth/v1/signin?client_id=env', body: { username: 'ada', password: 'p' } })), []);
    assert.deepEqual(
      requestMatchesContract(operationById('deleteMe'), request({ method: 'DELETE', url: '/auth/v1/user/me?sudo_token=s', headers: { Authorization: `Bearer ${JWT}` } })),
      [],
    );
    assert.deepEqual(
      requestMatchesContract(
        operationById('signInAnonymously'),
        request({ method: 'POST', url: '/auth/v1/signin/anonymously', headers: { 'X-Device-Id': '0123456789abcdef0123456789abcdef' }, body: {} }),
      ),
      [],
    );
    assert.deepEqual(
      requestMatchesContract(
        operationById('unbindProvider'),
        request({ method: 'DELETE', url: '/auth/v1/user/provider/github?with_user_center=true', headers: { authorization: 'Bearer t' } }),
      ),
      [],
    );
  });

  it('fails a missing required query parameter, header and Bearer token', () => {
    const [failure, ...rest] = requestMatchesContract(operationById('deleteMe'), request({ method: 'DELETE', url: '/auth/v1/user/me' }));
    assert.ok(failure);
    assert.deepEqual(rest, []);
    const message = formatFailure(failure);
    assert.match(message, /^DELETE \/auth\/v1\/user\/me \(request\): request does not match the contract$/m);
    assert.match(message, /query parameter sudo_token is required/);
    assert.match(message, /Authorization: Bearer <access_token> is required/);
    const anonymous = requestMatchesContract(operationById('signInAnonymously'), request({ method: 'POST', url: '/auth/v1/signin/anonymously', body: {} }));
    assert.match(formatFailure(anonymous[0] ?? assert.fail('no failure')), /header parameter x-device-id is required/);
  });

  it('fails a parameter value outside its schema', () => {
    const long = requestMatchesContract(getMe, request({ url: '/auth/v1/user/me', headers: { authorization: 'Bearer t', 'x-device-id': 'd'.repeat(72) } }));
    assert.match(formatFailure(long[0] ?? assert.fail('no failure')), /header parameter x-device-id must NOT have more than 71 characters; found 72 characters/);
    const flag = requestMatchesContract(operationById('unbindProvider'), request({ method: 'DELETE', url: '/auth/v1/user/provider/github?with_user_center=yes', headers: { authorization: 'Bearer t' } }));
    assert.match(formatFailure(flag[0] ?? assert.fail('no failure')), /query parameter with_user_center must be boolean; found "yes"/);
  });

  it('fails a body that does not match the request schema, and a missing required body', () => {
    const [failure] = requestMatchesContract(
      operationById('sendVerification'),
      request({ method: 'POST', url: '/auth/v1/verification', body: { phone_number: '+86 13800000000', email: 'a@b.co', target: 'ANY' } }),
    );
    assert.ok(failure);
    assert.equal(failure.summary, 'body does not match VerificationRequest');
    assert.match(formatFailure(failure), /body must not have property 'email' \(schema #\/oneOf\/0\/not, branch "by phone"\)/);
    const missing = requestMatchesContract(operationById('sudo'), request({ method: 'POST', url: '/auth/v1/user/sudo', headers: { authorization: 'Bearer t' } }));
    assert.match(formatFailure(missing[0] ?? assert.fail('no failure')), /a JSON body is required \(SudoRequest\)/);
  });

  it('reports the envelope and the body as two failures', () => {
    const failures = requestMatchesContract(operationById('sudo'), request({ method: 'POST', url: '/auth/v1/user/sudo', body: {} }));
    assert.deepEqual(failures.map((f) => f.summary), ['request does not match the contract', 'body does not match SudoRequest']);
  });
});

describe('formatFailure', () => {
  it('names the operation, status, data path, rule, schema path and value, then the redacted body', () => {
    const failure = bodyMatchesSchema(exchange(signIn, 200, { ...TOKEN, expires_in: '7200' }));
    const message = formatFailure(failure ?? assert.fail('no failure'));
    const lines = message.split('\n');
    assert.equal(lines[0], 'POST /auth/v1/signin -> 200: body does not match TokenResponse');
    assert.equal(lines[1], '  body.expires_in must be integer >= 1 (schema #/properties/expires_in); found "7200"');
    assert.match(lines[2] ?? '', /^ {2}body: \{"token_type":"Bearer","access_token":"\[redacted\]",.*"expires_in":"7200"/);
    assert.equal(lines.length, 3);
  });

  it('writes nested data paths as body.a.b[0] and names referenced schema files', () => {
    const profile = { sub: '1', groups: [{ id: 'user' }, { id: 7 }], phone_number: '+8613800000000' };
    const message = formatFailure(bodyMatchesSchema(exchange(getMe, 200, profile)) ?? assert.fail('no failure'));
    assert.match(message, /body\.groups\[1\]\.id must be string \(schema #\/properties\/groups\/items\/properties\/id\); found 7/);
    assert.ok(message.includes(`body.phone_number must be string matching /${String(schemaEntry('phone-number.schema.json').schema.pattern)}/ (schema phone-number.schema.json#); found "+8613800000000"`), message);
  });

  it('says what is missing and what is forbidden', () => {
    const message = formatFailure(bodyMatchesSchema(exchange(signIn, 400, { error: 'invalid_argument', error_code: 0 })) ?? assert.fail('no failure'));
    assert.match(message, /body\.error_description is required \(schema #\/required\); found nothing/);
    assert.match(message, /body\.error_code must be integer, not 0 \(schema #\/properties\/error_code\); found 0/);
  });

  it('redacts secrets: secret-named values, JWT shapes and registered secrets, in values and in the body', () => {
    const registered = 'registered-s3cret-value-42';
    registerSecret(registered);
    const body = { ...TOKEN, refresh_token: 'x'.repeat(200), scope: registered, sub: 42, note: `Bearer ${JWT}` };
    const message = formatFailure(bodyMatchesSchema(exchange(signIn, 200, body)) ?? assert.fail('no failure'));
    assert.match(message, /body\.refresh_token must be string of 1\.\.128 characters \(schema #\/properties\/refresh_token\); found \[redacted\]/);
    assert.match(message, /body\.sub must be string of at least 1 character/);
    assert.ok(!message.includes(JWT), 'the access token leaked');
    assert.ok(!message.includes(registered), 'a registered secret leaked');
    assert.ok(!message.includes('x'.repeat(20)), 'the refresh token leaked');
    assert.ok(message.includes(REDACTED));
  });

  it('shows the offending request body of a request failure, redacted', () => {
    const [failure] = requestMatchesContract(signIn, { method: 'POST', url: '/auth/v1/signin', headers: {}, body: { username: 'ada', password: 'hunter2-secret', extra: 1 } });
    const message = formatFailure(failure ?? assert.fail('no failure'));
    assert.match(message, /^POST \/auth\/v1\/signin \(request\): body does not match SignInRequest$/m);
    assert.match(message, /body\.extra is not allowed \(schema #\/additionalProperties\); found 1/);
    assert.match(message, /request body: \{"username":"ada","password":"\[redacted\]","extra":1\}/);
    assert.ok(!message.includes('hunter2-secret'));
  });

  it('cuts long bodies', () => {
    const message = formatFailure(statusIsDocumented(exchange(getMe, 500, { error_description: 'e'.repeat(5000) })) ?? assert.fail('no failure'));
    assert.ok(message.length < 1000, `message is ${message.length} characters`);
    assert.match(message, /more characters\)/);
  });
});

describe('formatFailure on "exactly one of"', () => {
  it('names the branch each error belongs to when both alternatives are given', () => {
    const [failure] = requestMatchesContract(operationById('sudo'), {
      method: 'POST',
      url: '/auth/v1/user/sudo',
      headers: { authorization: 'Bearer t' },
      body: { password: 'p', verification_token: 't' },
    });
    const message = formatFailure(failure ?? assert.fail('no failure'));
    assert.match(message, /body must not have property 'verification_token' \(schema #\/oneOf\/0\/not, branch "by password"\)/);
    assert.match(message, /body must not have property 'password' \(schema #\/oneOf\/1\/not, branch "by verification token"\)/);
    // With `not` in each branch, giving both fails both branches: none matches.
    assert.match(message, /body must match exactly one schema in oneOf \(no branch matches\) \(schema #\/oneOf\)/);
  });
});
