/**
 * Section 4 helper, run in a fresh process (as a Playwright worker starts): replays the exchanges a
 * suite run recorded through the contract checks the client runs on each one, and prints, as JSON:
 *   importMs     loading the contract runtime (modules, openapi.yaml, schema registration)
 *   firstPassMs  checking every exchange once (validators are compiled on first use), the requests
 *                twice (once to sort out the negative tests'): a few ms more than a worker pays
 *   steadyMs     checking every exchange once more, hot (mean of many passes)
 *   responseUs / requestUs   mean time of responseFailures / requestMatchesContract per exchange, hot
 *
 * Usage: node --import tsx scripts/bench/ajv-replay.ts <exchanges.json>
 */
import { readFileSync } from 'node:fs';

interface Recorded {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

const file = process.argv[2];
if (!file) throw new Error('usage: ajv-replay.ts <exchanges.json>');
const recorded = (JSON.parse(readFileSync(file, 'utf8')) as { text: string }[]).map((e) => JSON.parse(e.text) as Recorded);

let t = performance.now();
const contract = await import('../../contract/index.ts');
const importMs = performance.now() - t;

const exchanges = recorded.flatMap((r) => {
  const operation = contract.findOperation(r.request.method, new URL(r.request.url).pathname);
  if (!operation) return [];
  const text = typeof r.response.body === 'string' ? r.response.body : JSON.stringify(r.response.body);
  return [{ operation, request: r.request, response: { status: r.response.status, headers: r.response.headers, text } }];
});

// The client checks the request of every exchange except the negative tests' (breaksContract), which
// break the contract on purpose; in a run that passed, those are exactly the requests that fail the
// check here. They are left out of the request checks, as the client leaves them out.
// A fresh process: the first pass (this sorting included) compiles every validator it meets, which is
// what each worker process pays once.
t = performance.now();
const requestChecked = exchanges.map((e) => contract.requestMatchesContract(e.operation, e.request).length === 0);
let failures = 0;
const pass = (count: boolean) => {
  for (let i = 0; i < exchanges.length; i++) {
    const exchange = exchanges[i] as (typeof exchanges)[number];
    const f = contract.responseFailures(exchange).length;
    if (requestChecked[i]) contract.requestMatchesContract(exchange.operation, exchange.request);
    if (count) failures += f;
  }
};

pass(true);
const firstPassMs = performance.now() - t;

// Hot: repeat for about a second.
let passes = 0;
t = performance.now();
while (performance.now() - t < 1000 || passes < 5) {
  pass(false);
  passes++;
}
const steadyMs = (performance.now() - t) / passes;

const timeEach = (fn: () => void, n: number) => {
  const s = performance.now();
  for (let i = 0; i < Math.max(5, passes); i++) fn();
  return ((performance.now() - s) / Math.max(5, passes) / n) * 1000;
};
const responseUs = timeEach(() => {
  for (const e of exchanges) contract.responseFailures(e);
}, exchanges.length);
const checkedRequests = exchanges.filter((_, i) => requestChecked[i]);
const requestUs = timeEach(() => {
  for (const e of checkedRequests) contract.requestMatchesContract(e.operation, e.request);
}, Math.max(1, checkedRequests.length));

console.log(
  JSON.stringify({ exchanges: exchanges.length, requestsChecked: checkedRequests.length, skipped: recorded.length - exchanges.length, failures, importMs, firstPassMs, steadyMs, responseUs, requestUs }),
);
