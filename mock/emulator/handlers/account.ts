/**
 * The user family (issue 10): profile edits, contact changes, account look-ups, sessions and devices.
 * Paths, methods and fields as `@cloudbase/oauth@3.3.3` src/auth/apis.ts sends them; the facts and
 * what is INFERRED are in docs/api-facts.md ("User profile, contact, account look-ups, sessions and
 * devices"). Shapes and formats are the schemas' job (checked before a handler runs); these handlers
 * check only what needs state.
 */
import type { Context } from 'hono';
import type { BearerHandler, Caller, EmulatorParts, PublicHandler } from '../context.ts';
import { failedPrecondition, invalidArgument, invalidPassword, notFound, permissionDenied, unauthenticated } from '../errors.ts';
import { optionalString, readJsonBody, requiredString, type JsonObject } from '../request.ts';
import type { Contact, ContactKind, User } from '../store.ts';
import { profileOf, requireSudo } from './user.ts';

/** The emulator reads strings only; the schema has already refused other types. */
const str = (body: JsonObject, field: string) => optionalString(body, field, { maxLength: 4096 });

const contactOf = (kind: ContactKind, value: string): Contact => ({ kind, value: kind === 'email' ? value.toLowerCase() : value });
const ownContact = (user: User, kind: ContactKind) => (kind === 'phone' ? user.phoneNumber : user.email);

/** 409 when someone other than `user` holds the username. */
function checkUsernameFree(emu: EmulatorParts, user: User | undefined, username: string): void {
  const holder = emu.store.findUserByUsername(username);
  if (holder && holder.sub !== user?.sub) throw failedPrecondition('username already exists');
}

/** Who holds a phone number or email, other than `user`. */
function otherHolder(emu: EmulatorParts, user: User, contact: Contact): User | undefined {
  const holder = emu.store.findUserByContact(contact);
  return holder && holder.sub !== user.sub ? holder : undefined;
}

/**
 * `POST /auth/v1/user/basic/edit`: nickname, username, description, avatar, gender, and (after a
 * verified code, as the SDK's `updateUser` does it) email or phone; also a password change with the
 * old password. Everything is checked before anything changes. Answers `{}` (docs).
 */
export const editBasicInfo: BearerHandler = async (c, emu, caller) => {
  const { user } = caller;
  const body = await readJsonBody(c);
  const userId = str(body, 'user_id');
  // docs: another user's id needs administrator rights, which no user token has here.
  if (userId && userId !== user.sub) throw permissionDenied('only an administrator may edit another user');

  const username = str(body, 'username');
  if (username !== undefined) checkUsernameFree(emu, user, username);

  // INFERRED (docs: "手机号、邮箱修改需要发送验证码"; the SDK's updateUser verifies a code sent to the new
  // address first, then sends it here): a live verification token for the new value is the proof.
  const contactChanges: { contact: Contact; token?: string }[] = [];
  for (const [field, kind] of [['email', 'email'], ['phone', 'phone']] as const) {
    const value = str(body, field);
    if (value === undefined) continue;
    const contact = contactOf(kind, value);
    if (ownContact(user, kind) === contact.value) continue;
    if (otherHolder(emu, user, contact)) throw failedPrecondition(`${field} is already bound to another account`);
    const proof = emu.store.liveVerificationTokenFor(contact);
    if (!proof) throw invalidArgument(`${field} must be verified first: send a code to it and verify the code`);
    contactChanges.push({ contact, token: proof.token });
  }

  const newPassword = str(body, 'new_password');
  if (newPassword !== undefined && user.passwordDigest) {
    const oldPassword = str(body, 'password');
    if (oldPassword === undefined || !emu.store.passwordMatches(user, oldPassword)) throw invalidPassword('password (the old one) is wrong');
  }

  if (username !== undefined && username !== user.username) emu.store.changeUsername(user, username);
  for (const { contact, token } of contactChanges) {
    if (token) emu.store.consumeVerificationToken(token);
    emu.store.changeContact(user, contact.kind, contact.value);
  }
  applyProfileFields(emu, user, {
    name: str(body, 'nickname'),
    picture: str(body, 'avatar_url'),
    gender: str(body, 'gender'),
    description: str(body, 'description'),
  });
  if (newPassword !== undefined) {
    emu.store.setPassword(user, newPassword);
    // Like PATCH /user/password (docs: "automatically logs out other devices"); INFERRED for this path.
    emu.store.endSessionsOf(user.sub, caller.session.sid);
  }
  return c.json({});
};

type ProfileFields = Partial<Pick<User, 'name' | 'picture' | 'gender' | 'description' | 'birthdate' | 'locale' | 'zoneinfo'>>;

function applyProfileFields(emu: EmulatorParts, user: User, fields: ProfileFields): void {
  let changed = false;
  for (const [key, value] of Object.entries(fields) as [keyof ProfileFields, string | undefined][]) {
    if (value === undefined) continue;
    user[key] = value;
    changed = true;
  }
  if (changed) user.updatedAt = emu.clock.now();
}

/**
 * `PATCH /auth/v1/user/profile` (the SDK's deprecated `setUserProfile`, `User.update`,
 * `User.updateUsername`): answers the updated profile, which the SDK stores as its user info.
 * Contact fields are not changed here (INFERRED): that needs a code, PATCH /user/contact.
 */
export const patchProfile: BearerHandler = async (c, emu, { user }) => {
  const body = await readJsonBody(c);
  for (const [field, kind] of [['email', 'email'], ['phone_number', 'phone']] as const) {
    const value = str(body, field);
    if (value !== undefined && contactOf(kind, value).value !== ownContact(user, kind)) {
      throw invalidArgument(`${field} cannot be changed here: use PATCH /auth/v1/user/contact with a verification token`);
    }
  }
  const username = str(body, 'username');
  if (username !== undefined) checkUsernameFree(emu, user, username);
  if (username !== undefined && username !== user.username) emu.store.changeUsername(user, username);
  applyProfileFields(emu, user, {
    name: str(body, 'name'),
    picture: str(body, 'picture'),
    gender: str(body, 'gender'),
    birthdate: str(body, 'birthdate'),
    locale: str(body, 'locale'),
    zoneinfo: str(body, 'zoneinfo'),
  });
  return c.json(profileOf(user));
};

type ConflictResolution = 'DEFAULT' | 'DELETE_ACCOUNT_TRANSFER' | 'TRANSFER';

/**
 * `PATCH /auth/v1/user/contact` (the SDK's `editContact`, `bindPhoneNumber`, `bindEmail`): bind or
 * change the phone number or email, with a sudo token and a verification token for the new value.
 * `conflict_resolution` (@cloudbase/oauth 3.3.3 src/auth/models.ts EditContactRequest): DEFAULT refuses a value another account
 * holds (400 failed_precondition); DELETE_ACCOUNT_TRANSFER deletes that account and takes the value; TRANSFER takes the value
 * and deletes the other account only if it is left with no way to sign in.
 */
export const editContact: BearerHandler = async (c, emu, caller) => {
  const { user } = caller;
  const body = await readJsonBody(c);
  const sudoTokenToSpend = requireSudo(emu, caller, str(body, 'sudo_token'));
  const phone = str(body, 'phone_number');
  const email = str(body, 'email');
  const contact = phone !== undefined ? contactOf('phone', phone) : email !== undefined ? contactOf('email', email) : undefined;
  if (!contact) throw invalidArgument('phone_number or email is required');
  const verificationToken = requiredString(body, 'verification_token');
  const resolution = (str(body, 'conflict_resolution') || 'DEFAULT') as ConflictResolution;

  const entry = emu.store.getVerificationToken(verificationToken);
  if (!entry) throw invalidArgument('verification_token is invalid, expired or already used');
  if (entry.contact.kind !== contact.kind || entry.contact.value !== contact.value) {
    throw invalidArgument('phone or email does not match validation code');
  }
  const holder = otherHolder(emu, user, contact);
  if (holder && resolution === 'DEFAULT') throw failedPrecondition(`this ${contact.kind === 'phone' ? 'phone number' : 'email'} is already bound to another account`);

  emu.store.consumeVerificationToken(verificationToken);
  emu.store.consumeSudoToken(sudoTokenToSpend); // single use (docs/security.md), spent once the request is valid
  if (holder) {
    emu.store.changeContact(holder, contact.kind, undefined);
    const canSignIn = holder.passwordDigest !== undefined || holder.phoneNumber !== undefined || holder.email !== undefined || holder.providers.size > 0;
    if (resolution === 'DELETE_ACCOUNT_TRANSFER' || !canSignIn) emu.store.deleteUser(holder.sub);
  }
  emu.store.changeContact(user, contact.kind, contact.value);
  return c.json({});
};

/** Simplified profile of another user (@cloudbase/oauth 3.3.3 src/auth/models.ts SimpleUserProfile: `sub` and `name` required). */
function simpleProfileOf(user: User) {
  return {
    sub: user.sub,
    name: user.name ?? user.username ?? '',
    ...(user.picture !== undefined && { picture: user.picture }),
    ...(user.gender !== undefined && { gender: user.gender }),
    ...(user.locale !== undefined && { locale: user.locale }),
    ...(user.email !== undefined && { email: user.email }),
    ...(user.phoneNumber !== undefined && { phone_number: user.phoneNumber }),
  };
}

/** A `+` left unencoded in a query string arrives as a space: read `" 86 138..."` as `"+86 138..."`. */
const phoneFromQuery = (value: string) => (/^ \d{1,3} \d+$/.test(value) ? `+${value.slice(1)}` : value);

/**
 * `GET /auth/v1/user/query?id=&username=&email=&phone_number=` (the SDK's `queryUser`): users matching
 * every criterion given, `{total, data}`. The SDK serialises an `id` array as one comma-separated value.
 */
export const queryUsers: BearerHandler = (c, emu) => {
  const ids = (c.req.queries('id') ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const username = c.req.query('username') || undefined;
  const email = c.req.query('email') || undefined;
  const phone = c.req.query('phone_number') || undefined;
  if (ids.length === 0 && !username && !email && !phone) throw invalidArgument('give at least one of id, username, email, phone_number');

  const candidates: (User | undefined)[] = [];
  if (ids.length > 0) candidates.push(...ids.map((id) => emu.store.getUser(id)));
  else if (username) candidates.push(emu.store.findUserByUsername(username));
  else if (email) candidates.push(emu.store.findUserByContact(contactOf('email', email)));
  else if (phone) candidates.push(emu.store.findUserByContact(contactOf('phone', phoneFromQuery(phone))));

  const matches = new Map<string, User>();
  for (const user of candidates) {
    if (!user || user.anonymous) continue;
    if (username && user.username !== username) continue;
    if (email && user.email !== email.toLowerCase()) continue;
    if (phone && user.phoneNumber !== phoneFromQuery(phone)) continue;
    matches.set(user.sub, user);
  }
  const data = [...matches.values()].map(simpleProfileOf);
  return c.json({ total: data.length, data });
};

function usernameFromQuery(c: Context): string {
  const username = c.req.query('username');
  if (!username) throw invalidArgument('username is required');
  return username;
}

/**
 * `GET /auth/v1/checkIfUserExist?username=` (the SDK's `isUsernameRegistered`), no sign-in:
 * `{exist}`. INFERRED: the username only, not a phone number or email.
 */
export const checkIfUserExist: PublicHandler = (c, emu) => {
  const user = emu.store.findUserByUsername(usernameFromQuery(c));
  return c.json({ exist: user !== undefined });
};

/**
 * `GET /auth/v1/checkUsername?username=` with a Bearer token. The SDK's `checkUsername` puts
 * `{username}` in the body of the GET, which fetch refuses to send; the query is read here
 * (INFERRED). INFERRED answer: `{}` when the signed-in user could take the username, 409
 * already_exists when another account holds it.
 */
export const checkUsername: BearerHandler = (c, emu, { user }) => {
  checkUsernameFree(emu, user, usernameFromQuery(c));
  return c.json({});
};

/** `DELETE /auth/v1/user/revoke/all` (the SDK's `revokeAllDevices`): every session of the user ends, this one too. */
export const revokeAllSessions: BearerHandler = (c, emu, { user }) => {
  emu.store.endSessionsOf(user.sub);
  return c.json({});
};

/**
 * `DELETE /auth/v1/user/authorized/devices/{device_id}` (the SDK's `revokeDevice`): every session of
 * the user started with that `x-device-id` ends. INFERRED: 404 not_found when none is live.
 */
export const revokeDevice: BearerHandler = (c, emu, { user }) => {
  const deviceId = c.req.param('device_id') ?? '';
  const sessions = emu.store.sessionsOf(user.sub).filter((s) => s.deviceId === deviceId);
  if (sessions.length === 0) throw notFound('no session of this user was started from that device');
  for (const session of sessions) emu.store.endSession(session.sid);
  return c.json({});
};

/**
 * `target: CUR_USER` of `POST /auth/v1/verification` (the SDK's `sendVerificationCodeToCurrentUser`,
 * sent with the Bearer token): the code goes to the signed-in user's own phone number or email. A
 * phone_number or email in the body must be the user's own; without one, the phone number, else the
 * email (INFERRED).
 */
export function currentUserContact(caller: Caller | undefined, body: JsonObject): Contact {
  if (!caller) throw unauthenticated('target CUR_USER needs the signed-in user\'s live access token (Authorization: Bearer)');
  const { user } = caller;
  const phone = str(body, 'phone_number');
  const email = str(body, 'email');
  const requested = phone ? contactOf('phone', phone) : email ? contactOf('email', email) : undefined;
  if (requested) {
    if (ownContact(user, requested.kind) !== requested.value) throw invalidArgument('target CUR_USER: that phone number or email is not the signed-in user\'s');
    return requested;
  }
  if (user.phoneNumber !== undefined) return contactOf('phone', user.phoneNumber);
  if (user.email !== undefined) return contactOf('email', user.email);
  throw noContactToVerify();
}

const noContactToVerify = () => failedPrecondition('the signed-in user has no phone number or email to send a code to');
