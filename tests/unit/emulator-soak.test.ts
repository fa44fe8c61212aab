/**
 * Issue 13.5: memory stays flat over a long run of mixed requests (scripts/soak.ts, in-process).
 * Here SOAK_REQUESTS (default 8 000, a few seconds) with the clock moving 3 simulated days every 500
 * requests (48 days: past every lifetime, so the store reaches its steady state); `npm run soak` runs
 * 100 000 over 50 days and checks the same bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEmulator } from '../../mock/emulator/app.ts';
import { runSoak } from '../../scripts/soak.ts';

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 8_000);

test(`${REQUESTS} mixed requests over 48 simulated days: no 5xx, expired state swept, heap flat once steady`, { timeout: 120_000 }, async (t) => {
  const emulator = createEmulator({ resendIntervalSeconds: 0, onInternalError: () => {} });
  const report = await runSoak(REQUESTS, emulator, { clockStepSeconds: 3 * 24 * 3600 });
  const [before = 0, , , threeQuarters = 0, end = 0] = report.heapMB;
  t.diagnostic(`${report.requests} requests in ${(report.ms / 1000).toFixed(1)} s; heap after GC (MB): ${report.heapMB.map((h) => h.toFixed(1)).join(' -> ')}`);
  t.diagnostic(`statuses ${JSON.stringify(report.statuses)}; store ${JSON.stringify(report.store)}`);
  assert.equal(Object.keys(report.statuses).filter((status) => status.startsWith('5')).length, 0);
  assert.ok((report.store.verifications ?? 0) <= 500, `verifications: ${report.store.verifications}`);
  // The stated bound (docs/security.md): under 48 MB over the run, under 8 MB over its last quarter.
  assert.ok(end - before < 48, `the heap grew by ${(end - before).toFixed(1)} MB`);
  assert.ok(end - threeQuarters < 8, `the heap grew by ${(end - threeQuarters).toFixed(1)} MB in the last quarter`);
});
