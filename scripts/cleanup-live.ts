/**
 * `npm run cleanup:live [-- --force]`: delete what an interrupted live run left behind.
 *
 * Every account the suite creates on a live environment lives on CLOUDBASE_TEST_PHONE or
 * CLOUDBASE_TEST_EMAIL (a real code reaches nothing else), one at a time. So a leftover can only be
 * there, and it can be deleted without any stored password: sign in with a code sent to the test
 * phone/email, sudo with a second code, DELETE /auth/v1/user/me. The ledger (CONTRACT_LEDGER,
 * usernames only) says which accounts a run created and never recorded as deleted.
 *
 * Safety: an account is deleted only if this suite created it (its username starts with `ct-`, or
 * the ledger names it); `--force` deletes whatever holds the test phone/email. The test account
 * (CLOUDBASE_TEST_USERNAME) is never touched. The recipient's lock is taken first, so a suite running
 * on this machine finishes its test before.
 *
 * Limits: it sends up to two codes per recipient (paced like the suite: one per
 * CLOUDBASE_CODE_RESEND_SECONDS), and it cannot see a leftover whose sign-up used another phone
 * (impossible for the suite on a live environment).
 */
import { randomBytes } from 'node:crypto';
import { codeSourceFor } from '../fixtures/codes.ts';
import { liveBaseURL, loadConfig } from '../fixtures/config.ts';
import type { Recipient } from '../fixtures/data.ts';
import { acquireLock, Ledger, maskRecipient, rateLimitWait, recipientKey, reserveCodeSlot, SUITE_USERNAME_PREFIX } from '../fixtures/live.ts';
import { previewBody, redactText, registerSecret } from '../fixtures/redact.ts';
import type { Target } from '../fixtures/targets.ts';
import { describeLocation, isRedirect, redirectFailureMessage } from '../mock/redirect-guard.ts';

process.env.CONTRACT_TARGET = 'live';
const force = process.argv.includes('--force');
const config = loadConfig();
const live = config.live;
const origin = liveBaseURL(live) as string;
const ledger = new Ledger(config.ledgerPath);
const deviceId = randomBytes(16).toString('hex');
const codes = codeSourceFor({ name: 'live' } as Target, undefined, live);

function log(line: string): void {
  console.log(redactText(line));
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, options: { data?: unknown; token?: string; query?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(origin + path);
  if (!options.token && live.clientId) url.searchParams.set('client_id', live.clientId);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { 'x-device-id': deviceId, 'x-request-id': randomBytes(16).toString('hex'), accept: 'application/json' };
  if (options.data !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, {
      method,
      headers,
      body: options.data === undefined ? undefined : JSON.stringify(options.data),
      signal: AbortSignal.timeout(config.requestTimeoutMs),
      // Never follow a redirect: fetch would resend the password or token to wherever it points (docs/security.md).
      redirect: 'manual',
    }).catch((error: Error & { cause?: { code?: string } }) => {
      throw new Error(`${method} ${path}: no answer from ${origin} (${error.cause?.code ?? error.name})`);
    });
    if (isRedirect(response.status)) {
      throw new Error(redirectFailureMessage({ method, path, status: response.status, location: describeLocation(response.headers.get('location') ?? undefined, url) }));
    }
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = {}; // not JSON: nothing to read from it
    }
    for (const field of ['access_token', 'refresh_token', 'sudo_token', 'verification_token']) registerSecret(body[field]);
    log(`  ${method} ${path} -> ${response.status}`);
    const headersRecord: Record<string, string> = {};
    response.headers.forEach((value, name) => (headersRecord[name] = value));
    const wait = attempt < 3 && method === 'POST' && path === '/auth/v1/verification'
      ? rateLimitWait({ status: response.status, headers: headersRecord, body }, attempt, { minimumMs: live.codeResendSeconds * 1000 })
      : undefined;
    if (wait === undefined) return { status: response.status, body };
    log(`  rate limited: waiting ${Math.round(wait / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function ok(answer: Answer, what: string): Record<string, unknown> {
  if (answer.status !== 200) throw new Error(`${what} answered ${answer.status}: ${previewBody(answer.body)}`);
  return answer.body;
}

/** A verification token for the recipient: one code, paced like the suite's. */
async function verificationToken(recipient: Recipient, value: string): Promise<string> {
  const wait = await reserveCodeSlot(config.lockDir, value, live.codeResendSeconds * 1000);
  if (wait > 0) {
    log(`  waiting ${Math.round(wait / 1000)} s for the next code slot`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const sent = ok(await call('POST', '/auth/v1/verification', { data: { ...recipient, target: 'USER' } }), 'sending a code');
  const code = await codes.codeFor(recipient, String(sent.verification_id));
  const verified = ok(await call('POST', '/auth/v1/verification/verify', { data: { verification_id: sent.verification_id, verification_code: code } }), 'verifying the code');
  return String(verified.verification_token);
}

/** Returns true when the recipient is free afterwards. */
async function clean(kind: 'phone' | 'email', value: string): Promise<boolean> {
  const recipient: Recipient = kind === 'phone' ? { phone_number: value } : { email: value };
  const variable = kind === 'phone' ? 'CLOUDBASE_TEST_PHONE' : 'CLOUDBASE_TEST_EMAIL';
  log(`${variable} (${maskRecipient(value)}):`);
  const release = await acquireLock(config.lockDir, recipientKey(value), { holder: 'npm run cleanup:live', timeoutMs: 15 * 60_000 });
  try {
    // A wrong-password sign-in tells a free recipient (not_found) from a taken one without sending a code.
    const probe = await call('POST', '/auth/v1/signin', { data: { username: value, password: `Aa1!${randomBytes(12).toString('base64url')}` } });
    if (probe.status === 404 || probe.body.error === 'not_found') {
      log('  holds no account: nothing to delete');
      return true;
    }
    const signInToken = await verificationToken(recipient, value);
    const tokens = ok(await call('POST', '/auth/v1/signin', { data: { verification_token: signInToken } }), 'signing in with the code');
    const me = ok(await call('GET', '/auth/v1/user/me', { token: String(tokens.access_token) }), 'reading the account');
    const username = String(me.username ?? '');
    const sub = String(me.sub ?? '');
    const recorded = ledger.entries().some((e) => e.username === username || (e.sub !== undefined && e.sub === sub));
    if (username === live.username) {
      log(`  holds the configured test account ${username}: never deleted`);
      return false;
    }
    if (!username.startsWith(SUITE_USERNAME_PREFIX) && !recorded && !force) {
      log(`  holds the account "${username}", which this suite did not create (no ${SUITE_USERNAME_PREFIX} prefix, not in ${config.ledgerPath}): left alone; rerun with --force to delete it`);
      return false;
    }
    const sudoToken = await verificationToken(recipient, value);
    const sudo = ok(await call('POST', '/auth/v1/user/sudo', { token: String(tokens.access_token), data: { verification_token: sudoToken } }), 'sudo');
    ok(await call('DELETE', '/auth/v1/user/me', { token: String(tokens.access_token), query: { sudo_token: String(sudo.sudo_token) } }), 'deleting the account');
    ledger.record({ event: 'deleted', run: 'npm run cleanup:live', username, sub, recipient: kind, note: 'deleted by cleanup:live' });
    log(`  deleted ${username}`);
    return true;
  } finally {
    release();
  }
}

async function main(): Promise<number> {
  log(`cleanup:live on ${origin}; ledger ${config.ledgerPath}`);
  const targets: ['phone' | 'email', string | undefined, boolean][] = [
    ['phone', live.phone, Boolean(live.smsCode || live.smsCodeCommand)],
    ['email', live.email, Boolean(live.emailCode || live.emailCodeCommand)],
  ];
  let failed = false;
  for (const [kind, value, canReadCodes] of targets) {
    if (!value) continue;
    if (!canReadCodes) {
      log(`${kind}: no code source (CLOUDBASE_${kind === 'phone' ? 'SMS' : 'EMAIL'}_CODE or _CODE_COMMAND): cannot sign in to clean it`);
      failed = true;
      continue;
    }
    try {
      const free = await clean(kind, value);
      if (!free) failed = true;
      else {
        // The recipient is free: whatever the ledger still lists on it is gone.
        for (const entry of ledger.pending().filter((e) => e.recipient === kind)) {
          ledger.record({ event: 'deleted', run: 'npm run cleanup:live', username: entry.username, recipient: kind, note: 'not found by cleanup:live' });
        }
      }
    } catch (error) {
      log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
      failed = true;
    }
  }
  const left = ledger.pending();
  log(left.length === 0 ? 'ledger: no account left' : `ledger: ${left.length} account(s) still listed: ${left.map((e) => e.username).join(', ')}`);
  return failed || left.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(redactText(error instanceof Error ? error.message : String(error)));
    process.exit(1);
  },
);
