import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clipStrings, previewBody, redactHeaders, redactJson, redactText, registerSecret, REDACTED } from '../../contract/redact.ts';
import { shownValue } from '../../contract/format.ts';
import { ENCODINGS, TRICKY_SECRET as TRICKY } from './secret-encodings.ts';

const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';

describe('redaction', () => {
  it('shows the head of a huge body without searching all of it, and a secret across the cut is still redacted', () => {
    const secret = 'Zq9-secret-across-the-cut-0123456789abcdefghijklmnop';
    registerSecret(secret);
    for (const at of [560, 590, 599]) {
      const body = JSON.stringify({ note: `${'n'.repeat(at - 10)}${secret}${'m'.repeat(1_000_000)}` });
      const preview = previewBody(body);
      assert.ok(!preview.includes(secret.slice(0, 12)), `a secret starting at ${at}: ${preview.slice(-80)}`);
      assert.match(preview, /\.\.\. \(\d+ more characters\)$/);
    }
    // A JWT nobody registered, known only by its shape, across the cut: found whole all the same.
    const unregistered = `eyJhbGciOiJSUzI1NiJ9.${'eyJzdWIiOiIxIn0'.repeat(60)}.${'c2lnbmF0dXJl'.repeat(20)}`;
    const withJwt = previewBody(JSON.stringify({ note: `${'n'.repeat(580)} ${unregistered}${'m'.repeat(500_000)}` }));
    assert.ok(!withJwt.includes('eyJzdWIiOiIxIn0'), withJwt.slice(-80));
    const value = `${'v'.repeat(70)}${secret}${'w'.repeat(100_000)}`;
    assert.ok(!shownValue(value).includes(secret.slice(0, 8)), shownValue(value));
    assert.equal(clipStrings({ a: 'short' }, 10).a, 'short');
    assert.ok(clipStrings({ a: 'x'.repeat(100_000) }, 10).a.length < 10_000, 'cut a few kilobytes past what is shown');
  });

  it('replaces secret-named properties at any depth, keeping numbers such as error_code', () => {
    const body = { access_token: 'a1', nested: { refresh_token: 'r1', list: [{ password: 'p' }] }, error_code: 3, sub: '42' };
    assert.deepEqual(redactJson(body), {
      access_token: REDACTED,
      nested: { refresh_token: REDACTED, list: [{ password: REDACTED }] },
      error_code: 3,
      sub: '42',
    });
  });

  it('replaces registered secret values wherever they appear in text', () => {
    registerSecret('s3cr3t-client-value');
    assert.equal(redactText('url?x=1&y=s3cr3t-client-value&z=2'), `url?x=1&y=${REDACTED}&z=2`);
  });

  it('replaces bearer and basic credentials, JWTs, and secret query parameters', () => {
    assert.equal(redactText('Authorization: Bearer abc.def.ghi'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactText('send a Bearer token'), 'send a Bearer token');
    assert.equal(redactText(`token ${jwt} end`), `token ${REDACTED} end`);
    assert.equal(redactText('/auth/v1/user/me?sudo_token=xyz&client_id=env'), `/auth/v1/user/me?sudo_token=${REDACTED}&client_id=env`);
    assert.equal(redactText('{"verification_code":"123456","verification_id":"v1"}'), `{"verification_code":"${REDACTED}","verification_id":"v1"}`);
  });

  it('redacts headers by name', () => {
    assert.deepEqual(redactHeaders({ authorization: 'Bearer t0k3n', 'x-request-id': 'abc', cookie: 'sid=1' }), {
      authorization: `Bearer ${REDACTED}`,
      'x-request-id': 'abc',
      cookie: REDACTED,
    });
  });

  it('previews bodies redacted and truncated', () => {
    const preview = previewBody(JSON.stringify({ access_token: jwt, padding: 'x'.repeat(1000) }), 80);
    assert.ok(!preview.includes(jwt));
    assert.match(preview, /more characters\)$/);
    assert.ok(preview.length < 120);
  });
});

describe('redaction leaves look-alike names alone', () => {
  it('does not redact error_code or x_code style keys', () => {
    assert.equal(redactText('error_code=3&verification_id=abc'), 'error_code=3&verification_id=abc');
    assert.equal(redactText('{"error_code":3}'), '{"error_code":3}');
  });
});

describe('redaction through terminal colours', () => {
  it('finds a secret that colour codes split, as expect() diffs do', () => {
    registerSecret('Pa55word!colour');
    const coloured = 'Expected: "\u001b[32mPa55\u001b[7mword\u001b[27m!colour\u001b[39m"';
    assert.equal(redactText(coloured), `Expected: "${REDACTED}"`);
    assert.equal(redactText('\u001b[31mno secret here\u001b[39m'), '\u001b[31mno secret here\u001b[39m', 'colours stay when nothing is hidden in them');
  });
});

describe('redaction of every encoding of a secret', () => {
  registerSecret(TRICKY);
  for (const [encoding, text] of Object.entries(ENCODINGS)) {
    it(`hides the secret ${encoding}`, () => {
      const out = redactText(text);
      assert.ok(out.includes(REDACTED), `${encoding}: nothing redacted in ${JSON.stringify(out)}`);
      // The form itself must be gone: decode what is left the way the form was made.
      assert.ok(!out.includes(TRICKY), `${encoding}: raw secret left`);
      if (encoding.startsWith('base64')) assert.ok(!Buffer.from(out.replace(REDACTED, ''), encoding === 'base64url' ? 'base64url' : 'base64').toString('utf8').includes(TRICKY));
      if (encoding === 'hex') assert.ok(!out.includes(Buffer.from(TRICKY).toString('hex')));
      if (encoding.startsWith('URL') || encoding.startsWith('form')) assert.ok(!decodeURIComponent(out.replace(/\+/g, ' ')).includes(TRICKY));
      if (encoding === 'split across lines') assert.ok(!out.replace(/\n\s*/g, '').includes(TRICKY));
    });
  }
});

describe('redaction hides secrets, not test data', () => {
  it('a verification code is redacted as a whole number, never inside a phone number', () => {
    registerSecret('800000');
    assert.equal(redactText('phone +86 13800000000, code 800000'), `phone +86 13800000000, code ${REDACTED}`);
    assert.deepEqual(redactJson({ phone_number: '+86 13800000000', username: 'ada_01', email: 'a@example.com' }), {
      phone_number: '+86 13800000000',
      username: 'ada_01',
      email: 'a@example.com',
    });
  });

  it('a value published as an example (Prism\'s code 000000) stays readable, even under a secret\'s name', async () => {
    const { registerPublicValue } = await import('../../contract/redact.ts');
    registerPublicValue('000000');
    registerSecret('000000');
    assert.deepEqual(redactJson({ verification_code: '000000', verification_id: 'v1' }), { verification_code: '000000', verification_id: 'v1' });
    assert.deepEqual(redactJson({ verification_code: '123456' }), { verification_code: REDACTED });
  });
});
