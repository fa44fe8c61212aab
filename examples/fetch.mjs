// Quick start with plain fetch (Node 20+): sign up by SMS, read the user, refresh, then ask the
// emulator which of these requests a real server could refuse.
//
//   npx cloudbase-auth-emulator --port 8787        # in one terminal
//   node examples/fetch.mjs                        # in another (EMULATOR_URL to change the URL)
import { createControlClient } from 'cloudbase-auth-contract';

const url = process.env.EMULATOR_URL ?? 'http://127.0.0.1:8787';
const control = createControlClient(url);
const phone = process.env.PHONE ?? '+86 13800000000';

async function api(method, path, body, token) {
  const response = await fetch(`${url}/auth/v1/${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${json.error} (${json.error_description})`);
  return json;
}

// 1. Send a code, read it from the emulator (no SMS is sent), verify it, sign up.
const { verification_id } = await api('POST', 'verification', { phone_number: phone, target: 'ANY' });
const verification_code = await control.latestCode({ phone_number: phone });
const { verification_token } = await api('POST', 'verification/verify', { verification_id, verification_code });
const signedUp = await api('POST', 'signup', { phone_number: phone, verification_token, username: 'quickstart_fetch', password: 'Str0ng!Passw0rd' });
console.log(`signed up: sub ${signedUp.sub}, scope ${signedUp.scope}`);

// 2. Read the user with the access token; refresh (the refresh token rotates).
const me = await api('GET', 'user/me', undefined, signedUp.access_token);
console.log(`user/me: ${me.username}, ${me.phone_number}`);
const refreshed = await api('POST', 'token', { grant_type: 'refresh_token', refresh_token: signedUp.refresh_token });
console.log(`refreshed: the refresh token rotated: ${refreshed.refresh_token !== signedUp.refresh_token}`);

// 3. What did we send that the real API could refuse?
const log = await control.requests.list();
console.log(`request log: ${log.total} requests, ${log.departing} departing from the contract`);
for (const request of log.requests.filter((r) => r.departures.length > 0)) {
  console.log(`  ${request.method} ${request.url}: ${request.departures.map((d) => [d.summary, ...d.details].join('; ')).join(' | ')}`);
}
