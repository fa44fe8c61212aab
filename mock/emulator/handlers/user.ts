/**
 * The signed-in user: profile (docs user-me), sign-out (auth-sign-out), sudo (user-sudo), password change
 * (user-update-password), deletion (user-delete-me); and password reset without sign-in (auth-reset-password).
 * docs = https://docs.cloudbase.net/http-api/auth/<slug>.
 */
import { DEFAULTS, LIFETIMES } from '../config.ts';
import type { BearerHandler, Caller, EmulatorParts, PublicHandler } from '../context.ts';
import { invalidArgument, invalidPassword, notFound, permissionDenied, resourceExhausted } from '../errors.ts';
import { contactOf, optionalString, readJsonBody, requiredString, sameContact } from '../request.ts';
import type { User } from '../store.ts';
import { scopeOf } from './common.ts';
import { providerName } from './providers.ts';

const isoTime = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/** UserProfile (contract-decisions "Shapes"); absent values are left out rather than sent as null. */
export function profileOf(user: User) {
  return {
    sub: user.sub,
    user_id: user.sub,
    ...(user.name !== undefined && { name: user.name }),
    ...(user.username !== undefined && { username: user.username }),
    ...(user.email !== undefined && { email: user.email }),
    ...(user.phoneNumber !== undefined && { phone_number: user.phoneNumber }),
    ...(user.picture !== undefined && { picture: user.picture }),
    ...(user.gender !== undefined && { gender: user.gender }),
    ...(user.description !== undefined && { user_desc: user.description }),
    ...(user.birthdate !== undefined && { birthdate: user.birthdate }),
    ...(user.locale !== undefined && { locale: user.locale }),
    ...(user.zoneinfo !== undefined && { zoneinfo: user.zoneinfo }),
    providers: [...user.providers].map(([id, providerUserId]) => ({ id, provider_user_id: providerUserId, name: providerName(id) })),
    status: 'ACTIVE',
    groups: [{ id: scopeOf(user) }],
    meta: {},
    created_at: isoTime(user.createdAt),
    updated_at: isoTime(user.updatedAt),
    ...(user.passwordUpdatedAt !== undefined && { password_updated_at: isoTime(user.passwordUpdatedAt) }),
    ...(user.lastLoginAt !== undefined && { last_login: isoTime(user.lastLoginAt) }),
    has_password: user.passwordDigest !== undefined,
    type: user.anonymous ? 'anonymous' : 'external',
    ...(!user.anonymous && { internal_user_type: 'generalUser' }),
  };
}

export const getMe: BearerHandler = (c, _emu, { user }) => c.json(profileOf(user));

/** docs: the server drops the refresh token and marks the access token invalid. */
export const signOut: BearerHandler = async (c, emu, { session }) => {
  const body = await readJsonBody(c);
  const redirectUri = optionalString(body, 'redirect_uri', { maxLength: 2048 }) || undefined;
  const state = optionalString(body, 'state', { maxLength: 1024 });
  let redirect: URL | undefined;
  if (redirectUri !== undefined) {
    if (!URL.canParse(redirectUri)) throw invalidArgument('redirect_uri must be an absolute URL');
    redirect = new URL(redirectUri);
    // Echoed to a client that may navigate to it: javascript:, data: and the like never come back.
    if (redirect.protocol !== 'https:' && redirect.protocol !== 'http:') throw invalidArgument('redirect_uri must be an http or https URL');
    if (state) redirect.searchParams.set('state', state);
  }
  emu.store.endSession(session.sid);
  return c.json(redirect ? { redirect_uri: redirect.toString() } : {});
};

/**
 * docs: a sudo_token is bound to its user and lives 900 s; anything else is 403 permission_denied.
 * INFERRED (docs/security.md): it authorises one operation; the caller spends it once the rest of the
 * request is valid, so a refused request does not cost the user their sudo token.
 */
export function requireSudo(emu: EmulatorParts, caller: Caller, sudoToken: string | undefined): string {
  if (!sudoToken) throw permissionDenied('sudo_token is required');
  const entry = emu.store.getSudoToken(sudoToken);
  if (!entry || entry.sub !== caller.user.sub) throw permissionDenied();
  return sudoToken;
}

export const sudo: BearerHandler = async (c, emu, { user }) => {
  const body = await readJsonBody(c);
  const password = optionalString(body, 'password', { maxLength: 1024 }) || undefined;
  const verificationToken = optionalString(body, 'verification_token') || undefined;
  if (password !== undefined && verificationToken !== undefined) throw invalidArgument('give password or verification_token, not both');
  if (password !== undefined) {
    const lockedUntil = emu.store.passwordLockedUntil(user);
    if (lockedUntil !== undefined) throw resourceExhausted(`too many wrong passwords; try again in ${lockedUntil - emu.clock.now()} s`);
    if (!emu.store.passwordMatches(user, password)) {
      emu.store.recordWrongPassword(user, DEFAULTS.maxPasswordAttempts, DEFAULTS.passwordLockSeconds);
      throw invalidPassword();
    }
    emu.store.clearPasswordFailures(user);
  } else if (verificationToken !== undefined) {
    const entry = emu.store.getVerificationToken(verificationToken);
    if (!entry) throw invalidArgument('verification_token is invalid, expired or already used');
    const own = entry.contact.kind === 'phone' ? user.phoneNumber : user.email;
    if (own !== entry.contact.value) throw invalidArgument('verification_token was not issued for your phone number or email');
    emu.store.consumeVerificationToken(verificationToken);
  } else {
    throw invalidArgument('password or verification_token is required');
  }
  const entry = emu.store.issueSudoToken(user.sub);
  return c.json({ sudo_token: entry.token, expires_in: LIFETIMES.sudoToken });
};

/** sudo_token in the query (docs) or the body (SDK). docs: "automatically logs out other devices". */
export const updatePassword: BearerHandler = async (c, emu, caller) => {
  const body = await readJsonBody(c);
  const sudoToken = c.req.query('sudo_token') || optionalString(body, 'sudo_token');
  const sudoTokenToSpend = requireSudo(emu, caller, sudoToken);
  const newPassword = requiredString(body, 'new_password', { maxLength: 1024 });
  const confirm = optionalString(body, 'confirm_password', { maxLength: 1024 });
  if (confirm !== undefined && confirm !== newPassword) throw invalidArgument('confirm_password does not match new_password');
  const oldPassword = optionalString(body, 'old_password', { maxLength: 1024 });
  if (oldPassword !== undefined && caller.user.passwordDigest && !emu.store.passwordMatches(caller.user, oldPassword)) {
    throw invalidPassword('old_password is wrong');
  }
  emu.store.consumeSudoToken(sudoTokenToSpend);
  emu.store.setPassword(caller.user, newPassword);
  emu.store.endSessionsOf(caller.user.sub, caller.session.sid);
  return c.json({});
};

/** sudo_token in the query (SDK and docs agree). Ends every session of the user. */
export const deleteMe: BearerHandler = (c, emu, caller) => {
  emu.store.consumeSudoToken(requireSudo(emu, caller, c.req.query('sudo_token')));
  emu.store.deleteUser(caller.user.sub);
  return c.json({});
};

/** No sign-in: a verification token for that phone number or email; every session of the account ends. */
export const resetPassword: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const contact = contactOf(body);
  const verificationToken = requiredString(body, 'verification_token');
  const newPassword = requiredString(body, 'new_password', { maxLength: 1024 });
  const entry = emu.store.getVerificationToken(verificationToken);
  if (!entry) throw invalidArgument('verification_token is invalid, expired or already used');
  if (!sameContact(entry.contact, contact)) throw invalidArgument('phone or email does not match validation code');
  const user = emu.store.findUserByContact(contact);
  if (!user) throw notFound('no account uses this phone number or email');
  emu.store.consumeVerificationToken(verificationToken);
  emu.store.setPassword(user, newPassword);
  emu.store.endSessionsOf(user.sub);
  return c.json({});
};
