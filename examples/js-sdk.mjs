// Quick start with the official web SDK (@cloudbase/js-sdk 3.7.0) in Node: anonymous sign-in, the
// user, sign-out. Two things differ from a browser:
//  - `persistence: 'none'` (Node has no localStorage; without it: "window is not defined");
//  - the SDK builds its URLs from the env id, so register the emulator as its endpoint, for both
//    endpoint modes (Node uses GATEWAY, browsers CLOUD_API).
// The Node build also asks http://metadata.tencentyun.com for an app id before each request (it
// looks for a Tencent Cloud VM); elsewhere that fails within 30 ms and the SDK goes on.
//
//   npm install @cloudbase/js-sdk@3.7.0
//   npx cloudbase-auth-emulator --port 8787        # in one terminal
//   node examples/js-sdk.mjs                       # in another (EMULATOR_URL to change the URL)
import cloudbase from '@cloudbase/js-sdk';
import { createControlClient } from 'cloudbase-auth-contract';

const url = new URL(process.env.EMULATOR_URL ?? 'http://127.0.0.1:8787');
const control = createControlClient(url.origin);

const app = cloudbase.init({ env: 'emulator-env', region: 'ap-shanghai', clientId: 'emulator-env' });
for (const key of ['CLOUD_API', 'GATEWAY']) app.registerEndPointWithKey({ key, url: `//${url.host}`, protocol: url.protocol });
const auth = app.auth({ persistence: 'none' });

const signedIn = await auth.signInAnonymously();
if (signedIn.error) throw signedIn.error;
console.log(`signed in anonymously: user ${signedIn.data.user.id}`);

const { data, error } = await auth.getUser();
if (error) throw error;
console.log(`getUser: ${data.user.id}, roles ${data.user.role.join(', ')}`);

const signedOut = await auth.signOut();
if (signedOut?.error) throw signedOut.error;
console.log(`signed out: user is ${(await auth.getUser()).data.user === null ? 'gone' : 'still there'}`);

const { departing, total } = await control.requests.list();
console.log(`request log: ${total} requests, ${departing} departing from the contract`);
