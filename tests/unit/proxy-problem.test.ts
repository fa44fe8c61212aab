/**
 * Prism's proxy with --errors answers a violating upstream answer with its own 500 problem: the client
 * recognises it from the problem body (data), so the step can say whose answer it shows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAnswer } from '../../contract/index.ts';
import { proxyProblem } from '../../fixtures/api.ts';

const PROBLEM = {
  type: 'https://stoplight.io/prism/errors#VIOLATIONS',
  title: 'Request/Response not valid',
  status: 500,
  detail: 'Your request/response is not valid and the --errors flag is set, so Prism is generating this error for you.',
  validation: [{ location: ['response', 'body', 'expires_in'], severity: 'Error', code: 'type', message: 'Response body property expires_in must be integer' }],
};

describe('a proxy that replaced the upstream answer', () => {
  it('is recognised from its problem body, with each violation\'s place and message', () => {
    const answer = readAnswer('POST /auth/v1/signin', 500, { 'content-type': 'application/problem+json' }, JSON.stringify(PROBLEM));
    assert.deepEqual(proxyProblem(answer), { violations: [{ location: 'response.body.expires_in', message: 'Response body property expires_in must be integer' }] });
  });

  it('is not confused with the server\'s own 500 or another problem', () => {
    const own = readAnswer('GET /auth/v1/user/me', 500, { 'content-type': 'application/json' }, JSON.stringify({ error: 'internal', error_code: 13, error_description: 'x' }));
    assert.equal(proxyProblem(own), undefined);
    const other = readAnswer('GET /auth/v1/user/me', 500, { 'content-type': 'application/problem+json' }, JSON.stringify({ ...PROBLEM, type: 'https://stoplight.io/prism/errors#NO_RESPONSE_DEFINED' }));
    assert.equal(proxyProblem(other), undefined);
  });
});
