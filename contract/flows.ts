/**
 * The API's flows, written once: send a code and verify it, sign up with it, sign in, sudo, delete.
 * Each takes any `ApiCaller` (the fetch `ContractClient` of scripts and unit tests, or the Playwright
 * fixture, where every call is a checked report step) and a source of codes.
 */
import { ok, type ApiCaller, type TokenResponse } from './client.ts';
import { recipientValue, signUpRequest, verificationRequest, verifyRequest, type NewAccount, type Recipient, type VerificationTarget } from './requests.ts';

/** Where a verification code comes from: the emulator's code endpoint, a test phone's gateway, Prism's example. */
export interface CodeReader {
  codeFor(recipient: Recipient, verificationId: string): Promise<string>;
}

/** POST /verification, read the code, POST /verification/verify: a verification token for `recipient`. */
export async function verificationToken(api: ApiCaller, codes: CodeReader, recipient: Recipient, target: VerificationTarget = 'ANY'): Promise<string> {
  const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(recipient, target) }));
  const code = await codes.codeFor(recipient, String(sent.verification_id));
  const verified = ok(await api.post('/auth/v1/verification/verify', { data: verifyRequest(String(sent.verification_id), code) }));
  return String(verified.verification_token);
}

/**
 * Sign up with a code sent to a phone number (SMS) or an email: verify it, then POST /signup with the
 * verification token and the account's details. `beforeSignUp` runs between the two (the account
 * factory records the account there, so an interrupted sign-up is still cleaned up).
 */
export async function signUpWithCode(
  api: ApiCaller,
  codes: CodeReader,
  recipient: Recipient,
  details: Partial<NewAccount> = {},
  beforeSignUp?: () => void,
): Promise<TokenResponse> {
  const token = await verificationToken(api, codes, recipient, 'ANY');
  beforeSignUp?.();
  return ok(await api.post<TokenResponse>('/auth/v1/signup', { data: signUpRequest(recipient, token, details) }));
}

/** Sign in with a username (or phone number / email) and password. */
export async function signInWithPassword(api: ApiCaller, username: string, password: string): Promise<TokenResponse> {
  return ok(await api.post<TokenResponse>('/auth/v1/signin', { data: { username, password } }));
}

/** Sign in with a code sent to the account's phone number or email (no password needed). */
export async function signInWithCode(api: ApiCaller, codes: CodeReader, recipient: Recipient): Promise<TokenResponse> {
  const token = await verificationToken(api, codes, recipient, 'USER');
  return ok(await api.post<TokenResponse>('/auth/v1/signin', { data: { verification_token: token } }));
}

/** A sudo token proven by the account's password. */
export async function sudoWithPassword(api: ApiCaller, accessToken: string, password: string): Promise<string> {
  return String(ok(await api.post('/auth/v1/user/sudo', { token: accessToken, data: { password } })).sudo_token);
}

/** A sudo token proven by a code sent to the account's own phone number or email. */
export async function sudoWithCode(api: ApiCaller, codes: CodeReader, recipient: Recipient, accessToken: string): Promise<string> {
  const token = await verificationToken(api, codes, recipient, 'USER');
  return String(ok(await api.post('/auth/v1/user/sudo', { token: accessToken, data: { verification_token: token } })).sudo_token);
}

/** DELETE /auth/v1/user/me with a sudo token. */
export async function deleteAccount(api: ApiCaller, accessToken: string, sudoToken: string): Promise<void> {
  ok(await api.delete('/auth/v1/user/me', { token: accessToken, params: { sudo_token: sudoToken } }));
}

/** Delete the account on a phone number or email with codes alone: sign in with one, sudo with another. */
export async function deleteByCode(api: ApiCaller, codes: CodeReader, recipient: Recipient): Promise<void> {
  const tokens = await signInWithCode(api, codes, recipient);
  await deleteAccount(api, tokens.access_token, await sudoWithCode(api, codes, recipient, tokens.access_token));
}

/**
 * Is anybody on this phone number or email? Asked without sending a code: a password sign-in with a
 * wrong password answers not_found for a free recipient (contract: 404, INFERRED).
 */
export async function holdsAccount(api: ApiCaller, recipient: Recipient, wrongPassword: string): Promise<boolean> {
  const probe = await api.post('/auth/v1/signin', { data: { username: recipientValue(recipient), password: wrongPassword } });
  return !(probe.status === 404 || (probe.body as Record<string, unknown> | undefined)?.error === 'not_found');
}
