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
 * (CLOUDBASE_TEST_USERNAME) is never touched. The test recipients' lock (the suite's) is taken first,
 * so a suite running on this machine finishes its test before.
 *
 * Limits: it sends up to two codes per recipient (paced like the suite: one per
 * CLOUDBASE_CODE_RESEND_SECONDS), and it cannot see a leftover whose sign-up used another phone
 * (impossible for the suite on a live environment).
 */
import { randomBytes } from 'node:crypto';
import { ContractClient, deleteAccount, holdsAccount, ok, signInWithCode, sudoWithCode, type ApiCaller } from '../contract/index.ts';
import { redactText } from '../contract/redact.ts';
import { codeSourceFor } from '../fixtures/codes.ts';
import { liveBaseURL, loadConfig } from '../fixtures/config.ts';
import type { Recipient } from '../fixtures/data.ts';
import { Ledger, lockTestRecipients, maskRecipient, rateLimitWait, reserveCodeSlot, SUITE_USERNAME_PREFIX } from '../fixtures/live.ts';
import type { Target } from '../fixtures/targets.ts';

process.env.CONTRACT_TARGET = 'live';
const force = process.argv.includes('--force');
const config = loadConfig();
const live = config.live;
const origin = liveBaseURL(live) as string;
const ledger = new Ledger(config.ledgerPath);
const codes = codeSourceFor({ name: 'live' } as Target, undefined, live);

function log(line: string): void {
  console.log(redactText(line));
}

/** Paces every code to the recipient like the suite does: one per CLOUDBASE_CODE_RESEND_SECONDS, across processes. */
async function paceCode(data: unknown): Promise<void> {
  const fields = (data ?? {}) as Record<string, unknown>;
  const recipient = fields.phone_number ?? fields.email;
  if (typeof recipient !== 'string') return;
  const wait = await reserveCodeSlot(config.lockDir, recipient, live.codeResendSeconds * 1000);
  if (wait > 0) {
    log(`  waiting ${Math.round(wait / 1000)} s for the next code slot`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

const client = new ContractClient({
  baseURL: origin,
  deviceId: randomBytes(16).toString('hex'),
  clientId: live.clientId,
  timeoutMs: config.requestTimeoutMs,
  onAnswer: (answer, attempt) => {
    log(`  ${answer.operation} -> ${answer.status}`);
    const wait = attempt < 3 && answer.operation === 'POST /auth/v1/verification'
      ? rateLimitWait(answer, attempt, { minimumMs: live.codeResendSeconds * 1000 })
      : undefined;
    if (wait !== undefined) log(`  rate limited: waiting ${Math.round(wait / 1000)} s`);
    return wait;
  },
});

/** The shared client, with every code paced. */
const api: ApiCaller = {
  get: (path, options) => client.get(path, options),
  post: async (path, options) => {
    if (path === '/auth/v1/verification') await paceCode(options?.data);
    return client.post(path, options);
  },
  patch: (path, options) => client.patch(path, options),
  delete: (path, options) => client.delete(path, options),
};

/** Returns true when the recipient is free afterwards. */
async function clean(kind: 'phone' | 'email', value: string): Promise<boolean> {
  const recipient: Recipient = kind === 'phone' ? { phone_number: value } : { email: value };
  const variable = kind === 'phone' ? 'CLOUDBASE_TEST_PHONE' : 'CLOUDBASE_TEST_EMAIL';
  log(`${variable} (${maskRecipient(value)}):`);
  // The suite's lock over the test recipients (phone and email together): a run on this machine finishes its test first.
  const release = await lockTestRecipients(config.lockDir, [live.phone, live.email], { holder: 'npm run cleanup:live', timeoutMs: 15 * 60_000 });
  try {
    // A wrong-password sign-in tells a free recipient (not_found) from a taken one without sending a code.
    if (!(await holdsAccount(api, recipient, `Aa1!${randomBytes(12).toString('base64url')}`))) {
      log('  holds no account: nothing to delete');
      return true;
    }
    const tokens = await signInWithCode(api, codes, recipient);
    const me = ok(await api.get('/auth/v1/user/me', { token: tokens.access_token }));
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
    await deleteAccount(api, tokens.access_token, await sudoWithCode(api, codes, recipient, tokens.access_token));
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
