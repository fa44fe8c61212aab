import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerSecret } from '../../contract/redact.ts';
import { redactValues, redactWorkerMessage, sanitizeErrors } from '../../fixtures/report-guard.ts';

const REFRESH = 'm.Q2hlY2tUaGlzUmVmcmVzaFRva2Vu';
const PASSWORD = 'Pq7#wLm2!zXc9vBn';
registerSecret(REFRESH);
registerSecret(PASSWORD);

const dispatch = (method: string, params: Record<string, unknown>) => ({ method: '__dispatch__', params: { method, params } });
const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: unknown) => Buffer.from(String(text), 'base64').toString('utf8');

describe('report guard: values only', () => {
  it('redacts registered values raw, URL-encoded and JSON-escaped, and JWTs and Bearer credentials', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl';
    const text = `Expected: not "${REFRESH}" ?password=${encodeURIComponent(PASSWORD)} ${jwt} Authorization: Bearer abcdefgh12345678`;
    const out = redactValues(text);
    for (const secret of [REFRESH, PASSWORD, encodeURIComponent(PASSWORD), jwt, 'abcdefgh12345678']) assert.ok(!out.includes(secret), `${secret} left in ${out}`);
  });

  it('leaves titles and source alone: no key-name redaction', () => {
    const title = 'account deletion: sudo, then DELETE /auth/v1/user/me?sudo_token= › refresh_token: rotated';
    assert.equal(redactValues(title), title);
  });
});

describe('report guard: worker messages', () => {
  it('redacts step and test errors (an expect() message Playwright wrote with the raw token)', () => {
    const message = dispatch('stepEnd', { stepId: '1', error: { message: `expect(received).not.toBe(expected)\n\nExpected: not "${REFRESH}"`, stack: `Error: ... ${REFRESH}` } });
    const out = JSON.stringify(redactWorkerMessage(message));
    assert.ok(!out.includes(REFRESH));
    assert.ok(out.includes('expect(received).not.toBe(expected)'));
  });

  it('redacts stdout chunks sent as base64 and as text', () => {
    const asBuffer = redactWorkerMessage(dispatch('stdOut', { testId: 't', buffer: b64(`token ${REFRESH}\n`) })) as { params: { params: { buffer: string } } };
    assert.equal(unb64(asBuffer.params.params.buffer), 'token [redacted]\n');
    const asText = JSON.stringify(redactWorkerMessage(dispatch('stdErr', { testId: 't', text: `pw ${PASSWORD}` })));
    assert.ok(!asText.includes(PASSWORD));
  });

  it('redacts text attachment bodies, leaves binary ones as they are', () => {
    const text = redactWorkerMessage(dispatch('attach', { name: 'x', contentType: 'application/json', body: b64(`{"refresh_token":"${REFRESH}"}`) })) as { params: { params: { body: string; name: string } } };
    assert.ok(!unb64(text.params.params.body).includes(REFRESH));
    assert.equal(text.params.params.name, 'x');
    const binary = b64('\u0000\u0001binary');
    const out = redactWorkerMessage(dispatch('attach', { name: 'y', contentType: 'image/png', body: binary })) as { params: { params: { body: string } } };
    assert.equal(out.params.params.body, binary);
  });

  it('passes other messages through unchanged', () => {
    const ready = { method: 'ready' };
    assert.deepEqual(redactWorkerMessage(ready), ready);
  });
});

describe('report guard: test errors', () => {
  it('redacts message, stack, value and causes in place', () => {
    const errors = [{ message: `Expected: "${PASSWORD}"`, stack: `Error: Expected: "${PASSWORD}"\n    at x`, cause: { message: `GET /x?sudo_token=${REFRESH}` } }, { value: `'${REFRESH}'` }];
    sanitizeErrors(errors);
    assert.ok(!JSON.stringify(errors).includes(PASSWORD));
    assert.ok(!JSON.stringify(errors).includes(REFRESH));
    assert.match(errors[0]?.stack ?? '', /\n {4}at x$/);
  });
});

describe('report guard: the installed Playwright still talks the way the guard expects', () => {
  // The guard redacts what a worker sends through process.send. If an upgrade changes how messages
  // leave the worker, this fails at once (and tests/e2e/live-reports.test.ts end to end), instead of
  // secrets passing the guard unseen.
  it('workers send {method: "__dispatch__", params: {method, params}} through process.send, stdout as a base64 buffer', async () => {
    const { createRequire } = await import('node:module');
    const { readFileSync } = await import('node:fs');
    const { join, dirname } = await import('node:path');
    const root = dirname(createRequire(import.meta.url).resolve('playwright/package.json'));
    const common = readFileSync(join(root, 'lib/common/index.js'), 'utf8');
    const worker = readFileSync(join(root, 'lib/worker/workerProcessEntry.js'), 'utf8');
    assert.ok(common.includes('sendMessageToParent({ method: "__dispatch__", params: response })'), 'worker events go out as __dispatch__');
    assert.ok(common.includes('const response = { method, params };'), 'a dispatched event is {method, params}');
    assert.ok(common.includes('process.send(message)'), 'through process.send');
    assert.ok(/function stdioChunkToParams\(chunk\) \{\s*if \(chunk instanceof Uint8Array\)\s*return \{ buffer: Buffer\.from\(chunk\)\.toString\("base64"\) \}/.test(common), 'stdout chunks are base64 buffers');
    assert.ok(worker.includes('this.dispatchEvent("attach", payload)'), 'attachments are dispatched as "attach"');
  });
});
