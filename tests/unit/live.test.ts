import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { acquireLock, Ledger, lockTestRecipients, maskRecipient, rateLimitWait, recipientKey, reserveCodeSlot, testRecipientsLockName } from '../../fixtures/live.ts';

const run = promisify(execFile);
const LIVE = new URL('../../fixtures/live.ts', import.meta.url).pathname;
const temp = () => mkdtempSync(join(tmpdir(), 'live-test-'));

/** A separate process that takes the lock, holds it `holdMs`, and logs when it held it. */
function holder(dir: string, log: string, holdMs: number) {
  const script = `
    import { acquireLock } from ${JSON.stringify(LIVE)};
    import { appendFileSync } from 'node:fs';
    const release = await acquireLock(${JSON.stringify(dir)}, 'phone', { holder: 'p' + process.pid, pollMs: 20 });
    const start = Date.now();
    await new Promise((r) => setTimeout(r, ${holdMs}));
    appendFileSync(${JSON.stringify(log)}, JSON.stringify({ start, end: Date.now() }) + '\\n');
    release();`;
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
}

describe('live: the test phone lock', () => {
  it('is one lock for phone and email: flows taking them in opposite orders never wait on each other', async () => {
    const phone = '+86 13900000001';
    const email = 'Contract-Test@example.com';
    const name = testRecipientsLockName([phone, email]);
    assert.equal(testRecipientsLockName([email.toLowerCase(), ` ${phone}`]), name, 'whichever recipient comes first');
    assert.equal(testRecipientsLockName([phone, undefined]), testRecipientsLockName([phone]));
    // Two flows: one needs the phone then the email, the other the email then the phone. Each takes the
    // lock when it first needs a recipient and keeps it: with a lock per recipient they would deadlock.
    const dir = temp();
    const order: string[] = [];
    const flow = async (id: string, recipients: string[]) => {
      const release = await lockTestRecipients(dir, recipients, { holder: id, pollMs: 5, timeoutMs: 5000 });
      order.push(`${id} in`);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${id} out`);
      release();
    };
    // The account factory passes [phone, email], cleanup:live the same; the order never matters.
    await Promise.all([flow('phone-then-email', [phone, email]), flow('email-then-phone', [email, phone])]);
    assert.equal(order.length, 4);
    assert.ok(order[1]?.endsWith('out'), `one after the other: ${order.join(', ')}`);
  });

  it('lets one process at a time hold it (three processes queue)', async () => {
    const dir = temp();
    const log = join(dir, 'log.jsonl');
    await Promise.all([holder(dir, log, 150), holder(dir, log, 150), holder(dir, log, 150)]);
    const spans = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { start: number; end: number }).sort((a, b) => a.start - b.start);
    assert.equal(spans.length, 3);
    for (let i = 1; i < spans.length; i++) {
      assert.ok((spans[i]?.start ?? 0) >= (spans[i - 1]?.end ?? 0), `holders overlap: ${JSON.stringify(spans)}`);
    }
  });

  it('a waiter gives up after its timeout, naming who holds the lock', async () => {
    const dir = temp();
    const release = await acquireLock(dir, 'phone', { holder: 'live > a flow holding the phone' });
    await assert.rejects(acquireLock(dir, 'phone', { holder: 'me', timeoutMs: 200, pollMs: 20 }), /held by live > a flow holding the phone/);
    release();
    (await acquireLock(dir, 'phone', { holder: 'me', timeoutMs: 200 }))();
  });

  it('takes over a lock whose process died', async () => {
    const dir = temp();
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    mkdirSync(join(dir, 'phone.lock'), { recursive: true });
    writeFileSync(join(dir, 'phone.lock', 'owner.json'), JSON.stringify({ pid: dead, host: hostname(), at: Date.now(), holder: 'killed worker' }));
    const release = await acquireLock(dir, 'phone', { holder: 'me', timeoutMs: 500 });
    release();
  });

  it('takes over a lock older than any test can run, even from another host', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'phone.lock'), { recursive: true });
    writeFileSync(join(dir, 'phone.lock', 'owner.json'), JSON.stringify({ pid: 1, host: 'elsewhere', at: Date.now() - 60_000, holder: 'old' }));
    (await acquireLock(dir, 'phone', { holder: 'me', timeoutMs: 500, maxAgeMs: 30_000 }))();
  });
});

describe('live: code slots (one code per recipient per interval)', () => {
  it('concurrent senders get slots one interval apart, in order, and a rerun continues after them', async () => {
    const dir = temp();
    const now = Date.now();
    const waits = await Promise.all([0, 1, 2, 3].map(() => reserveCodeSlot(dir, '+86 13900000001', 60_000, now)));
    assert.deepEqual([...waits].sort((a, b) => a - b), [0, 60_000, 120_000, 180_000]);
    assert.equal(await reserveCodeSlot(dir, '+86 13900000001', 60_000, now + 1000), 239_000);
    assert.equal(await reserveCodeSlot(dir, 'someone@example.com', 60_000, now), 0, 'another recipient has its own slots');
  });

  it('an interval of 0 never waits', async () => {
    assert.equal(await reserveCodeSlot(temp(), 'x', 0), 0);
  });
});

describe('live: back-off on rate limits', () => {
  const limited = { status: 429, headers: {}, body: { error: 'resource_exhausted', error_code: 8 } };

  it('is only for rate-limited answers', () => {
    assert.equal(rateLimitWait({ status: 400, headers: {}, body: { error: 'invalid_argument' } }, 0), undefined);
    assert.equal(rateLimitWait({ status: 200, headers: {}, body: {} }, 0), undefined);
    assert.equal(rateLimitWait({ status: 400, headers: {}, body: { error: 'resource_exhausted' } }, 0), 1000, 'resource_exhausted with another status counts');
  });

  it('honours Retry-After in seconds and as a date, within the bound', () => {
    assert.equal(rateLimitWait({ ...limited, headers: { 'retry-after': '7' } }, 0), 7000);
    const now = Date.parse('2026-11-27T10:00:00Z');
    assert.equal(rateLimitWait({ ...limited, headers: { 'retry-after': 'Fri, 27 Nov 2026 10:00:30 GMT' } }, 0, { now }), 30_000);
    assert.equal(rateLimitWait({ ...limited, headers: { 'retry-after': '3600' } }, 0), 65_000, 'never more than the bound');
  });

  it('backs off exponentially without Retry-After, and never below the known resend interval', () => {
    assert.deepEqual([0, 1, 2].map((attempt) => rateLimitWait(limited, attempt)), [1000, 2000, 4000]);
    assert.equal(rateLimitWait(limited, 0, { minimumMs: 60_000 }), 60_000);
  });
});

describe('live: the ledger of created accounts', () => {
  it('lists what was created and not deleted, across writers, and holds no secret fields', () => {
    const ledger = new Ledger(join(temp(), 'nested', 'created-accounts.jsonl'));
    ledger.record({ event: 'created', run: 'r', username: 'ct-a', recipient: 'phone' });
    ledger.record({ event: 'created', run: 'r', username: 'ct-b', recipient: 'email' });
    new Ledger(ledger.path).record({ event: 'deleted', run: 'r', username: 'ct-a', recipient: 'phone' });
    ledger.record({ event: 'delete-failed', run: 'r', username: 'ct-b', recipient: 'email', note: 'no answer' });
    assert.deepEqual(ledger.pending().map((e) => e.username), ['ct-b']);
    for (const entry of ledger.entries()) assert.deepEqual(Object.keys(entry).filter((k) => /password|token|code|secret/i.test(k)), []);
  });

  it('follows a renamed account to its new username: deleted under it, it is no longer pending', () => {
    const ledger = new Ledger(join(temp(), 'renamed.jsonl'));
    ledger.record({ event: 'created', run: 'r', username: 'ct-old', recipient: 'phone' });
    ledger.record({ event: 'renamed', run: 'r', username: 'ct-old', to: 'ct-new', recipient: 'phone' });
    assert.deepEqual(ledger.pending().map((e) => e.username), ['ct-new']);
    ledger.record({ event: 'deleted', run: 'r', username: 'ct-new', recipient: 'phone' });
    assert.deepEqual(ledger.pending(), []);
  });

  it('a missing ledger is empty', () => {
    assert.deepEqual(new Ledger(join(temp(), 'none.jsonl')).pending(), []);
  });
});

describe('live: recipients in messages', () => {
  it('are masked, and keyed without case or spaces mattering', () => {
    assert.equal(maskRecipient('+86 13900000001'), '+86 13900****01');
    assert.equal(maskRecipient('contract-test@example.com'), 'co***@example.com');
    assert.equal(recipientKey(' A@B.com '), recipientKey('a@b.com'));
  });
});
