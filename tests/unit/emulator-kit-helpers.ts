/**
 * Helpers for the tests of the SDK-author kit (issue 12): an emulator on a real port through the
 * public API, and plain-fetch calls as an SDK would make them.
 */
import assert from 'node:assert/strict';
import type { StartedEmulator } from '../../mock/emulator/index.ts';

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function call(emu: StartedEmulator, method: string, path: string, options: { json?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${emu.url}${path}`, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

let phones = 0;
/** A fresh mainland phone number per call in this process. */
export function newPhone(): string {
  phones++;
  return `+86 139${String(process.pid % 10_000).padStart(4, '0')}${String(phones).padStart(4, '0')}`;
}

export const PASSWORD = 'Str0ng!Passw0rd';

/** Sign a user up by phone (send, read the code, verify, sign up) and answer the token response. */
export async function signUp(emu: StartedEmulator, username: string, phone = newPhone()) {
  const sent = await call(emu, 'POST', '/auth/v1/verification', { json: { phone_number: phone, target: 'ANY' } });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const code = await emu.control.latestCode({ phone_number: phone });
  const verified = await call(emu, 'POST', '/auth/v1/verification/verify', { json: { verification_id: sent.body.verification_id, verification_code: code } });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  const signedUp = await call(emu, 'POST', '/auth/v1/signup', {
    json: { phone_number: phone, verification_token: verified.body.verification_token, username, password: PASSWORD },
  });
  assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
  return { phone, username, tokens: signedUp.body as { access_token: string; refresh_token: string; sub: string } };
}
