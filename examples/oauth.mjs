// Quick start with @cloudbase/oauth (3.3.3) in Node: SMS sign-up, user info, sign-out, password
// sign-in. In Node the SDK needs a `storage` (its default is window.localStorage); `apiOrigin` points
// it at the emulator.
//
//   npm install @cloudbase/oauth@3.3.3
//   npx cloudbase-auth-emulator --port 8787        # in one terminal
//   node examples/oauth.mjs                        # in another (EMULATOR_URL to change the URL)
import { CloudbaseOAuth } from '@cloudbase/oauth';
import { createControlClient } from 'cloudbase-auth-contract';

const url = process.env.EMULATOR_URL ?? 'http://127.0.0.1:8787';
const control = createControlClient(url);
const phone = process.env.PHONE ?? '+86 13800000000';

/** The SDK's storage interface, in memory. */
const items = new Map();
const storage = {
  getItem: async (key) => items.get(key) ?? null,
  setItem: async (key, value) => void items.set(key, value),
  removeItem: async (key) => void items.delete(key),
  getItemSync: (key) => items.get(key) ?? null,
  setItemSync: (key, value) => void items.set(key, value),
  removeItemSync: (key) => void items.delete(key),
};

const { authApi: auth } = new CloudbaseOAuth({ apiOrigin: url, env: 'emulator-env', clientId: 'emulator-env', storage });

const sent = await auth.getVerification({ phone_number: phone, target: 'ANY' });
const code = await control.latestCode({ phone_number: phone });
const { verification_token } = await auth.verify({ verification_id: sent.verification_id, verification_code: code });
const signedUp = await auth.signUp({ phone_number: phone, verification_code: code, verification_token, username: 'quickstart_oauth', password: 'Str0ng!Passw0rd' });
console.log(`signed up: sub ${signedUp.sub}, scope ${signedUp.scope}`);

const me = await auth.getUserInfo();
console.log(`getUserInfo: ${me.username}, ${me.phone_number}`);

await auth.signOut();
console.log(`signed out: has login state ${await auth.hasLoginState()}`);

const signedIn = await auth.signIn({ username: 'quickstart_oauth', password: 'Str0ng!Passw0rd' });
console.log(`signed in again: same user ${signedIn.sub === signedUp.sub}`);

const { departing, total } = await control.requests.list();
console.log(`request log: ${total} requests, ${departing} departing from the contract`);
