/**
 * Real accounts and tokens on an emulator, made through its API the way a client would: a code by
 * SMS (read back at /__emulator/verification-codes), verify, sign up; then sign-ins.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { ContractClient, ControlClient, signInWithPassword, signUpWithCode } from '../../contract/index.ts';

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

/** The shared client, carrying the benchmark's SDK-like headers. */
function client(origin: string): ContractClient {
  return new ContractClient({ baseURL: origin, deviceId: CLIENT_HEADERS['x-device-id'] });
}

export interface Account {
  username: string;
  password: string;
}

/** A new account with a phone number, username and password; signed up through the API by SMS (the shared flow). */
export async function signUp(origin: string, name: string): Promise<Account & Tokens> {
  const phone = `+86 139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  const username = `${name}_${randomBytes(4).toString('hex')}`;
  const tokens = await signUpWithCode(client(origin), new ControlClient(origin), { phone_number: phone }, { username, password: BENCH_PASSWORD });
  return { username, password: BENCH_PASSWORD, access_token: tokens.access_token, refresh_token: String(tokens.refresh_token) };
}

export async function signIn(origin: string, account: Account): Promise<Tokens> {
  const tokens = await signInWithPassword(client(origin), account.username, account.password);
  return { access_token: tokens.access_token, refresh_token: String(tokens.refresh_token) };
}
