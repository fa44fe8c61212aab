import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { expect as baseExpect } from '@playwright/test';
import { maskValues, registerSecret, redactValues } from '../../contract/redact.ts';
import { guardAttachments, maskSecrets, sanitizeErrors, secretSafeExpect } from '../../fixtures/report-guard.ts';

const REFRESH = 'm.Q2hlY2tUaGlzUmVmcmVzaFRva2Vu';
const PASSWORD = 'Pq7#wLm2!zXc9vBn';
const OTHER = 'n.QW5vdGhlclJlZnJlc2hUb2tlbg';
registerSecret(REFRESH);
registerSecret(PASSWORD);
registerSecret(OTHER);

const expect = secretSafeExpect(baseExpect);

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the expectation passed');
}

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

describe('report guard: masked values keep what a comparison means', () => {
  it('gives each secret a placeholder of its own, the same one every time', () => {
    const a = maskValues(`token ${REFRESH}`);
    assert.match(a, /^token \[redacted #\d+\]$/);
    assert.equal(maskValues(`token ${REFRESH}`), a);
    assert.notEqual(maskValues(`token ${OTHER}`), a);
    const jwtA = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWE';
    const jwtB = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWI';
    assert.notEqual(maskValues(jwtA), maskValues(jwtB), 'two unregistered JWTs stay different');
  });

  it('masks strings in arrays, plain objects and asymmetric matchers; hands other objects on untouched', () => {
    const body = { access: REFRESH, list: [PASSWORD, 'public'], nested: { n: 1 } };
    const masked = maskSecrets(body);
    assert.ok(!JSON.stringify(masked).includes(REFRESH) && !JSON.stringify(masked).includes(PASSWORD));
    assert.equal(masked.nested, body.nested, 'a part without secrets is the same object');
    const clean = { a: 'b', c: [1, 2] };
    assert.equal(maskSecrets(clean), clean);
    const promise = Promise.resolve(REFRESH);
    assert.equal(maskSecrets(promise), promise);
    class Answer {
      constructor(readonly token: string) {}
    }
    const answer = new Answer(REFRESH);
    assert.equal(maskSecrets(answer), answer);
    const matcher = baseExpect.objectContaining({ refresh_token: REFRESH });
    assert.ok(!JSON.stringify(maskSecrets(matcher)).includes(REFRESH));
  });
});

describe('report guard: the suite expect()', () => {
  it('fails with a message that holds no secret', () => {
    const message = failure(() => expect(REFRESH, `comparing ${PASSWORD}`).toBe('something else'));
    assert.ok(!message.includes(REFRESH) && !message.includes(PASSWORD), message);
    assert.match(message, /comparing \[redacted #\d+\]/);
    assert.match(message, /Received: .*\[redacted #\d+\]/);
  });

  it('compares secrets as before: equal ones are equal, different ones differ', () => {
    expect(REFRESH).toBe(REFRESH);
    expect(REFRESH).not.toBe(OTHER);
    expect({ token: REFRESH }).toEqual({ token: REFRESH });
    expect({ token: REFRESH }).toEqual(baseExpect.objectContaining({ token: REFRESH }));
    expect({ token: REFRESH }).not.toEqual({ token: OTHER });
    expect(REFRESH).toEqual(expect.any(String));
    const message = failure(() => expect(REFRESH).not.toBe(REFRESH));
    assert.ok(!message.includes(REFRESH), message);
  });

  it('guards expect.configure, .extend and resolves too', async () => {
    assert.ok(!failure(() => expect.configure({ timeout: 1 })(PASSWORD).toBe('x')).includes(PASSWORD));
    const extended = expect.extend({
      toBeSecretLength(received: string, n: number) {
        return { pass: received.length === n, message: () => `length of ${received}` };
      },
    });
    assert.ok(!failure(() => extended(PASSWORD).toBeSecretLength(1)).includes(PASSWORD));
    await assert.rejects(expect(Promise.resolve(PASSWORD)).resolves.toBe('x'), (error: Error) => !error.message.includes(PASSWORD));
  });
});

describe('report guard: attachments and errors', () => {
  it('redacts a textual attachment body, leaves binary ones as they are', async () => {
    const attached: { name: string; body?: string | Buffer; contentType?: string }[] = [];
    const testInfo = { attach: async (name: string, options: { body?: string | Buffer; contentType?: string }) => void attached.push({ name, ...options }) };
    guardAttachments(testInfo as never);
    await testInfo.attach('tokens', { body: `{"refresh_token":"${REFRESH}"}`, contentType: 'application/json' });
    const binary = Buffer.from([0, 1, 2, 3]);
    await testInfo.attach('image', { body: binary, contentType: 'image/png' });
    assert.ok(!String(attached[0]?.body).includes(REFRESH));
    assert.equal(attached[1]?.body, binary);
  });

  it('redacts message, stack, value and causes in place', () => {
    const errors = [{ message: `Expected: "${PASSWORD}"`, stack: `Error: Expected: "${PASSWORD}"\n    at x`, cause: { message: `GET /x?sudo_token=${REFRESH}` } }, { value: `'${REFRESH}'` }];
    sanitizeErrors(errors);
    assert.ok(!JSON.stringify(errors).includes(PASSWORD));
    assert.ok(!JSON.stringify(errors).includes(REFRESH));
    assert.match(errors[0]?.stack ?? '', /\n {4}at x$/);
  });
});

describe('report guard: in a worker', () => {
  it('redacts what a test writes to stdout and stderr, strings and bytes', () => {
    const guard = fileURLToPath(new URL('../../fixtures/report-guard.ts', import.meta.url));
    const redact = fileURLToPath(new URL('../../contract/redact.ts', import.meta.url));
    const script = `
      const { registerSecret } = await import(${JSON.stringify(redact)});
      const { guardWorkerOutput } = await import(${JSON.stringify(guard)});
      registerSecret(${JSON.stringify(PASSWORD)});
      guardWorkerOutput();
      console.log('password ${PASSWORD}');
      process.stdout.write(Buffer.from('bytes ${PASSWORD}\\n'));
      console.error('stderr ${PASSWORD}');
      const { expect } = await import('@playwright/test');
      const { secretSafeExpect } = await import(${JSON.stringify(guard)});
      try { secretSafeExpect(expect)('x').toBe('y'); } catch (error) { console.log(error.stack.includes('report-guard.ts') ? 'guard frame shown' : 'guard frames hidden'); }`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TEST_WORKER_INDEX: '0' }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'password [redacted]\nbytes [redacted]\nguard frames hidden\n', 'and a failure is placed at the caller, not in the guard');
    assert.equal(run.stderr, 'stderr [redacted]\n');
  });
});
