import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeviationFileError, deviationsPathFor, findingsOf, judgeFailure, parseDeviations, type RecordedFailure } from '../../fixtures/deviations.ts';

const FILE = `
- operation: POST /auth/v1/signin
  status: 200
  check: bodyMatchesSchema
  match: body.expires_in
  reason: expires_in comes back as a string (AUTH-123)
- operation: POST /auth/v1/token
  check: error
  error: invalid_grant
  reason: this environment answers a rotated refresh token with 401 (AUTH-124)
- test: a password change ends the user's other sessions
  check: assertion
  match: /toBeAuthError|unauthenticated/
  reason: sessions end within 5 minutes, not at once (AUTH-125)
`;

const schemaFailure: RecordedFailure = {
  message: 'POST /auth/v1/signin -> 200: body does not match TokenResponse\n  body.expires_in must be integer >= 1 (schema #/properties/expires_in); found "7200"',
  findings: [
    {
      operation: 'POST /auth/v1/signin',
      status: 200,
      check: 'bodyMatchesSchema',
      rule: 'type',
      pointer: '/expires_in',
      expected: 'integer >= 1',
      actual: '"7200"',
      detail: 'body.expires_in must be integer >= 1 (schema #/properties/expires_in); found "7200"',
    },
  ],
};

/** A failure recorded by one finding changed by `change`. */
function variant(message: string, change: Partial<RecordedFailure['findings'][number]>): RecordedFailure {
  return { message, findings: [{ ...(schemaFailure.findings[0] as RecordedFailure['findings'][number]), ...change }] };
}

describe('known deviations: the file', () => {
  it('parses entries and names their source', () => {
    const entries = parseDeviations(FILE, 'deviations/my-env.yaml');
    assert.equal(entries.length, 3);
    assert.deepEqual(
      entries.map((e) => e.source),
      ['deviations/my-env.yaml#1', 'deviations/my-env.yaml#2', 'deviations/my-env.yaml#3'],
    );
    assert.equal(entries[0]?.status, 200);
  });

  it('lists every problem of a broken file at once', () => {
    const broken = `
- operation: signin
  check: bodyIsNice
  color: red
- status: 999
  reason: " "
`;
    assert.throws(
      () => parseDeviations(broken, 'd.yaml'),
      (error: Error) => {
        assert.ok(error instanceof DeviationFileError);
        for (const part of ['operation "signin"', 'check "bodyIsNice"', 'unknown key "color"', 'status must be', 'a reason is required', 'give an operation or a test']) {
          assert.ok(error.message.includes(part), `mentions ${part}: ${error.message}`);
        }
        return true;
      },
    );
  });

  it('an empty file is no deviations', () => {
    assert.deepEqual(parseDeviations('', 'd.yaml'), []);
    assert.deepEqual(parseDeviations('deviations: []', 'd.yaml'), []);
  });

  it('lives in deviations/<env id>.yaml for live, deviations/<target>.yaml otherwise, unless CONTRACT_DEVIATIONS says', () => {
    const live = { envId: 'my-env-1a2b', region: 'ap-shanghai', allowDestructive: false, codeResendSeconds: 60 };
    assert.equal(deviationsPathFor('live', { live }), 'deviations/my-env-1a2b.yaml');
    assert.equal(deviationsPathFor('emulator', { live }), 'deviations/emulator.yaml');
    assert.equal(deviationsPathFor('live', { live, deviationsPath: 'x.yaml' }), 'x.yaml');
  });
});

describe('known deviations: judging a failed test', () => {
  const entries = parseDeviations(FILE, 'd.yaml');

  it('a failure the client recorded and the file lists is known', () => {
    const verdict = judgeFailure([`ContractViolation: ${schemaFailure.message}`], [schemaFailure], 'sign-in > a user signs in', entries);
    assert.equal(verdict.known, true);
    assert.deepEqual(verdict.matched.map((m) => m.source), ['d.yaml#1']);
  });

  it('the same operation failing another check is new drift', () => {
    const other = variant('POST /auth/v1/signin -> 201: status 201 is not documented', { check: 'statusIsDocumented', status: 201, detail: 'documented: 200, 400, 4XX' });
    const verdict = judgeFailure([other.message], [other], 't', entries);
    assert.equal(verdict.known, false);
    assert.deepEqual(verdict.unmatched.map((u) => u.check), ['statusIsDocumented']);
  });

  it('a schema failure on another field is new drift (match narrows the entry)', () => {
    const other = variant('POST /auth/v1/signin -> 200: body does not match TokenResponse', { pointer: '/token_type', detail: 'body.token_type must be "Bearer"' });
    assert.equal(judgeFailure([other.message], [other], 't', entries).known, false);
  });

  it('a test with one known and one new failure fails', () => {
    const verdict = judgeFailure([schemaFailure.message, 'expect(received).toBe(expected)'], [schemaFailure], 't', entries);
    assert.equal(verdict.known, false);
    assert.equal(verdict.unmatched.length, 1);
  });

  it('the suite\'s own assertions record their findings as data: toBeAuthError and ok()', () => {
    const authError: RecordedFailure = {
      message: 'expected POST /auth/v1/token to answer the error invalid_grant: status is 401, expected 400',
      findings: [{ operation: 'POST /auth/v1/token', status: 401, check: 'error', errors: ['invalid_grant', 'unauthenticated'], detail: 'status is 401, expected 400' }],
    };
    const thrown = `Error: ${authError.message}\nPOST /auth/v1/token -> 401\n  body: {...}`;
    assert.deepEqual(findingsOf(thrown, [authError]), authError.findings);
    assert.equal(judgeFailure([thrown], [authError], 't', entries).known, true);
    const okFailure: RecordedFailure = {
      message: 'POST /auth/v1/verification was expected to succeed but answered 429: {...}',
      findings: [{ operation: 'POST /auth/v1/verification', status: 429, check: 'error', errors: ['resource_exhausted'], detail: 'answered 429' }],
    };
    assert.equal(judgeFailure([`Error: ${okFailure.message}`], [okFailure], 't', entries).known, false);
  });

  it('an error the suite did not record is an assertion, whatever its text says', () => {
    const text = 'Error: expected POST /auth/v1/token to answer the error invalid_grant: status is 401, expected 400';
    assert.deepEqual(findingsOf(text, []), [{ check: 'assertion', detail: text }]);
    assert.equal(judgeFailure([text], [], 't', entries).known, false);
  });

  it('an assertion nobody can place matches only an entry naming the test', () => {
    const message = 'Error: expect(received).toBeAuthError(expected) unauthenticated';
    assert.equal(judgeFailure([message], [], "password change > a password change ends the user's other sessions", entries).known, true);
    assert.equal(judgeFailure([message], [], 'another test', entries).known, false);
  });

  it('no errors is never known', () => {
    assert.equal(judgeFailure([], [], 't', entries).known, false);
  });
});
