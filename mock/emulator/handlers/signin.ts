/**
 * Sign-in: username/password or verification token (docs https://docs.cloudbase.net/http-api/auth/auth-sign-in), and anonymous (docs https://docs.cloudbase.net/http-api/auth/auth-sign-in-anonymously).
 */
import type { Context } from 'hono';
import type { EmulatorParts, PublicHandler } from '../context.ts';
import { invalidArgument, invalidPassword, loginTypeDisabled, notFound, unimplemented } from '../errors.ts';
import { optionalString, readJsonBody, type JsonObject } from '../request.ts';
import { signInAs } from './common.ts';
import { bindProviderToken } from './providers.ts';

/** Shared by `POST /signin` and the `password` grant of `POST /token`. */
export async function signInWithPassword(c: Context, emu: EmulatorParts, body: JsonObject, username: string) {
  const password = optionalString(body, 'password', { maxLength: 1024 });
  if (!password) throw invalidArgument('password is required');
  const user = emu.store.findUserByLogin(username);
  if (!user) throw notFound('user does not exist');
  if (!emu.store.passwordMatches(user, password)) throw invalidPassword();
  return signInAs(c, emu, user, body);
}

export const signIn: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const username = optionalString(body, 'username', { maxLength: 256 });
  const verificationToken = optionalString(body, 'verification_token');
  if (!verificationToken) {
    if (!username) throw invalidArgument('username and password, or verification_token, are required');
    // SDK 3.7 AuthErrorCode.LOGIN_TYPE_DISABLED (4045): the login method is switched off in the console.
    // The switch covers this operation only (the password grant of POST /token is another door).
    if (!emu.config.runtime.password_login_enabled) throw loginTypeDisabled('username and password login is not enabled for this environment');
    return signInWithPassword(c, emu, body, username);
  }
  // docs: the login modes are mutually exclusive.
  if (optionalString(body, 'password') !== undefined) throw invalidArgument('give password or verification_token, not both');
  const entry = emu.store.getVerificationToken(verificationToken);
  if (!entry) throw invalidArgument('verification_token is invalid, expired or already used');
  // contract-decisions: verification_token alone signs in the account it was issued for.
  const user = emu.store.findUserByContact(entry.contact);
  if (!user) throw notFound('no account uses this phone number or email');
  // The SDK also sends `username` (the phone number); when given it must name the same account.
  if (username && emu.store.findUserByLogin(username)?.sub !== user.sub) {
    throw invalidArgument('username does not match the verification_token');
  }
  emu.store.consumeVerificationToken(verificationToken);
  return signInAs(c, emu, user, body);
};

/** docs: x-device-id is required; one device id -> at most one anonymous user. */
export const signInAnonymously: PublicHandler = async (c, emu) => {
  if (!emu.config.runtime.anonymous_enabled) throw unimplemented('anonymous sign-in is not enabled for this environment');
  const deviceId = c.req.header('x-device-id');
  if (!deviceId) throw invalidArgument('x-device-id header is required');
  const body = await readJsonBody(c);
  const providerToken = optionalString(body, 'provider_token');
  const user = emu.store.anonymousUserForDevice(deviceId);
  if (providerToken) bindProviderToken(emu, user, providerToken);
  return signInAs(c, emu, user, body);
};
