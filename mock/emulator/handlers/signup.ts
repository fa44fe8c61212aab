/**
 * Sign-up with a verified phone number or email (docs https://docs.cloudbase.net/http-api/auth/auth-sign-up): a verification token for that contact
 * is required; username and password are optional (their rules are the request schema's, checked before this runs).
 */
import type { PublicHandler } from '../context.ts';
import { failedPrecondition, invalidArgument } from '../errors.ts';
import { contactOf, optionalString, readJsonBody, requiredString, sameContact } from '../request.ts';
import { signInAs } from './common.ts';

export const signUp: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const contact = contactOf(body);
  const verificationToken = requiredString(body, 'verification_token');
  // Empty optional strings count as absent (form-style clients send them).
  const username = optionalString(body, 'username', { maxLength: 64 }) || undefined;
  const password = optionalString(body, 'password', { maxLength: 1024 }) || undefined;
  const name = optionalString(body, 'name', { maxLength: 256 }) || undefined;
  optionalString(body, 'verification_code'); // the SDK sends it too; redundant (js-sdk 3.7.0 auth `signInWithOtp`; the docs need only the token)

  const entry = emu.store.getVerificationToken(verificationToken);
  if (!entry) throw invalidArgument('verification_token is invalid, expired or already used');
  if (!sameContact(entry.contact, contact)) {
    throw invalidArgument(`verification_token was not issued for this ${contact.kind === 'phone' ? 'phone_number' : 'email'}`);
  }
  if (emu.store.findUserByContact(contact)) {
    // SDK 3.7 AuthErrorCode.FAILED_PRECONDITION: "账号已存在" (the account already exists) is 9.
    throw failedPrecondition(`an account already uses this ${contact.kind === 'phone' ? 'phone_number' : 'email'}`);
  }
  if (username !== undefined && emu.store.findUserByUsername(username)) throw failedPrecondition('username is taken');

  emu.store.consumeVerificationToken(verificationToken);
  const user = emu.store.createUser({
    username,
    password,
    name,
    phoneNumber: contact.kind === 'phone' ? contact.value : undefined,
    email: contact.kind === 'email' ? contact.value : undefined,
  });
  return signInAs(c, emu, user, body);
};
