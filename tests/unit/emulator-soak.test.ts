/**
 * Issue 13.5: memory stays flat over a long run of mixed requests (scripts/soak.ts, in-process).
 * Here SOAK_REQUESTS (default 8 000, a few seconds) over a simulated 4 days; `npm run soak` runs
 * 100 000 over 50 days (past every lifetime) and prints the same report.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEmulator } from '../../mock/emulator/app.ts';
import { runSoak } from '../../scripts/soak.ts';

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 8_000);

test(`${REQUESTS} mixed requests: no 5xx, nothing left that should have expired, heap growth bounded`, { timeout: 120_000 }, async (t) => {
  const emulator = createEmulator({ resendIntervalSeconds: 0, onInternalError: () => {} });
  const report = await runSoak(REQUESTS, emulator);
  const [before = 0, , half = 0, , end = 0] = report.heapMB;
  t.diagnostic(`${report.requests} requests in ${(report.ms / 1000).toFixed(1)} s; heap after GC (MB): ${report.heapMB.map((h) => h.toFixed(1)).join(' -> ')}`);
  t.diagnostic(`statuses ${JSON.stringify(report.statuses)}; store ${JSON.stringify(report.store)}`);
  // Codes live 600 s and the clock moves 6 h every 500 requests: none may be left but the last step's.
  assert.ok((report.store.verifications ?? 0) <= 500, `verifications: ${report.store.verifications}`);
  // Stated bound: the whole run adds under 48 MB to the heap, and its second half under 16 MB.
  assert.ok(end - before < 48, `the heap grew by ${(end - before).toFixed(1)} MB`);
  assert.ok(end - half < 16, `the heap grew by ${(end - half).toFixed(1)} MB in the second half`);
});
