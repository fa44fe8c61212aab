// Preloaded (`node --import`) into the quick starts under test: fetch reaches only this machine.
// Anything else is refused at once and named on stderr, so a test sees where an SDK tried to go.
const realFetch = globalThis.fetch;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (LOOPBACK.has(url.hostname)) return realFetch(input, init);
  process.stderr.write(`loopback-only: refused ${url.protocol}//${url.host}\n`);
  return Promise.reject(new TypeError(`fetch failed: ${url.host} is not on this machine (tests/e2e/loopback-only.mjs)`));
};
