/**
 * Real accounts and tokens on an emulator, made through its API the way a client would: a code by
 * SMS (read back at /__emulator/verification-codes), verify, sign up; then sign-ins.
 */
import { randomBytes, randomInt } from 'node:crypto';

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

export const BENCH_PASSWORD = 'Bench!Passw0rd1';

/** Headers every benchmark request carries, as the SDK sends them (32 hex characters). */
export const CLIENT_HEADERS = {
  'x-device-id': randomBytes(16).toString('hex'),
  'x-request-id': randomBytes(16).toString('hex'),
};

async function call(origin: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(origin + path, {
    method,
    headers: { ...CLIENT_HEADERS, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

export interface Account {
  username: string;
  password: string;
}

/** A new account with a phone number, username and password; signed up through the API. */
export async function signUp(origin: string, name: string): Promise<Account & Tokens> {
  const phone = `+86 139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  const username = `${name}_${randomBytes(4).toString('hex')}`;
  const { verification_id } = await call(origin, 'POST', '/auth/v1/verification', { phone_number: phone, target: 'ANY' });
  const { codes } = (await call(origin, 'GET', `/__emulator/verification-codes?phone_number=${encodeURIComponent(phone)}`)) as {
    codes: { code: string; verification_id: string }[];
  };
  const code = codes.find((c) => c.verification_id === verification_id)?.code;
  if (!code) throw new Error(`no code for ${phone}`);
  const { verification_token } = await call(origin, 'POST', '/auth/v1/verification/verify', { verification_id, verification_code: code });
  const tokens = await call(origin, 'POST', '/auth/v1/signup', {
    phone_number: phone,
    verification_token,
    username,
    password: BENCH_PASSWORD,
  });
  return { username, password: BENCH_PASSWORD, ...(tokens as unknown as Tokens) };
}

export async function signIn(origin: string, account: Account): Promise<Tokens> {
  return (await call(origin, 'POST', '/auth/v1/signin', { username: account.username, password: account.password })) as unknown as Tokens;
}
