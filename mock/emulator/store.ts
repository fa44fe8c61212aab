/**
 * The emulator's state, in memory, behind an explicit API. Handlers never touch the maps.
 *
 * Every expiring entry is checked against the clock when it is read, and swept out at most once a
 * minute (emulator time) when something new is written. Every store also has a cap (config.ts
 * DEFAULT_CAPS): a store still full after a sweep answers the API's 429, so memory stays bounded
 * whatever the load.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.ts';
import { LIFETIMES, type StoreCaps } from './config.ts';
import { resourceExhausted } from './errors.ts';
import { canonicalIdentifier, foldAsciiCase } from './identifiers.ts';
import { opaqueToken } from './tokens.ts';

export type ContactKind = 'phone' | 'email';

/** A phone number (`+86 13800000000`) or an email address (stored lower-case). */
export interface Contact {
  kind: ContactKind;
  value: string;
}

export interface User {
  sub: string;
  anonymous: boolean;
  /** Anonymous users only: the x-device-id that created them. */
  deviceId?: string;
  username?: string;
  phoneNumber?: string;
  email?: string;
  name?: string;
  passwordDigest?: { salt: Buffer; hash: Buffer };
  createdAt: number;
  updatedAt: number;
  passwordUpdatedAt?: number;
  lastLoginAt?: number;
  /** Profile fields the user family's edits set (PATCH /user/profile, POST /user/basic/edit). */
  picture?: string;
  gender?: string;
  description?: string;
  birthdate?: string;
  locale?: string;
  zoneinfo?: string;
  /** provider id -> provider user id */
  providers: Map<string, string>;
  /** Wrong sudo passwords in a row, and until when sudo by password is refused. */
  passwordFailures?: { count: number; lockedUntil: number };
}

export interface NewUser {
  /** Issue 12 (`--import`): keep the sub of an exported user; a new one is drawn otherwise. */
  sub?: string;
  username?: string;
  phoneNumber?: string;
  email?: string;
  name?: string;
  password?: string;
}

export interface Session {
  sid: string;
  sub: string;
  clientId: string;
  /** The x-device-id the session was started from, if the client sent one. */
  deviceId?: string;
  createdAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

export interface Verification {
  id: string;
  contact: Contact;
  code: string;
  createdAt: number;
  expiresAt: number;
  wrongAttempts: number;
  used: boolean;
  /** A newer code was sent to the same contact: this one no longer verifies. */
  superseded: boolean;
}

export interface VerificationToken {
  token: string;
  contact: Contact;
  expiresAt: number;
}

export interface SudoToken {
  token: string;
  sub: string;
  expiresAt: number;
}

export interface ProviderToken {
  token: string;
  providerId: string;
  providerUserId: string;
  expiresAt: number;
}

export interface StoreStats {
  users: number;
  anonymous_users: number;
  sessions: number;
  refresh_tokens: number;
  verifications: number;
  verification_tokens: number;
  sudo_tokens: number;
  provider_tokens: number;
  anonymous_devices: number;
  spent_refresh_tokens: number;
}

const SWEEP_EVERY_SECONDS = 60;

export function contactKey(contact: Contact): string {
  return `${contact.kind}:${contact.value}`;
}

/** docs/api-facts.md, "Tokens and JWT claims": registered users have a 19-digit decimal `sub`. */
function registeredSub(): string {
  const rest = (randomBytes(8).readBigUInt64BE() % 10n ** 18n).toString().padStart(18, '0');
  return `${randomInt(1, 10)}${rest}`;
}

/** docs/api-facts.md, "Tokens and JWT claims": anonymous users have a 22-character base64url `sub`. */
function anonymousSub(): string {
  return randomBytes(16).toString('base64url');
}

function digest(password: string, salt: Buffer): Buffer {
  return createHash('sha256').update(salt).update(password, 'utf8').digest();
}

export class Store {
  readonly #users = new Map<string, User>();
  readonly #subByUsername = new Map<string, string>();
  readonly #subByContact = new Map<string, string>();
  readonly #subByDevice = new Map<string, string>();
  readonly #subByProviderIdentity = new Map<string, string>();

  readonly #sessions = new Map<string, Session>();
  readonly #sidByRefreshToken = new Map<string, string>();
  /** sub -> session ids, oldest first (Set keeps insertion order). */
  readonly #sidsByUser = new Map<string, Set<string>>();

  readonly #verifications = new Map<string, Verification>();
  /** contact key -> verifications, oldest first. */
  readonly #verificationsByContact = new Map<string, Verification[]>();
  readonly #verificationTokens = new Map<string, VerificationToken>();
  readonly #sudoTokens = new Map<string, SudoToken>();
  readonly #providerTokens = new Map<string, ProviderToken>();
  /** Rotated-out refresh token -> its session, kept until it would have expired, for reuse detection. */
  readonly #spentRefreshTokens = new Map<string, { sid: string; expiresAt: number }>();

  #lastSweep: number;

  constructor(
    private readonly clock: Clock,
    private readonly limits: { maxSessionsPerUser: number; caps: Readonly<StoreCaps> },
  ) {
    this.#lastSweep = clock.now();
  }

  // ---- users -------------------------------------------------------------------------------

  getUser(sub: string): User | undefined {
    return this.#users.get(sub);
  }

  findUserByUsername(username: string): User | undefined {
    const sub = this.#subByUsername.get(username);
    return sub === undefined ? undefined : this.#users.get(sub);
  }

  findUserByContact(contact: Contact): User | undefined {
    const sub = this.#subByContact.get(contactKey(contact));
    return sub === undefined ? undefined : this.#users.get(sub);
  }

  /** docs https://docs.cloudbase.net/http-api/auth/auth-sign-in: `username` at sign-in may be a username, a phone number or an email address. */
  findUserByLogin(identifier: string): User | undefined {
    // identifiers.ts: no Unicode case-folding tricks (the Kelvin sign is not a `k`).
    const id = canonicalIdentifier(identifier);
    if (id === undefined) return undefined;
    return (
      this.findUserByUsername(id) ??
      this.findUserByContact({ kind: 'phone', value: id }) ??
      this.findUserByContact({ kind: 'email', value: foldAsciiCase(id) })
    );
  }

  /** Callers check uniqueness first (to answer 409); a clash here is an emulator bug. */
  createUser(input: NewUser): User {
    this.#maybeSweep();
    this.#ensureRoom(this.#users, this.limits.caps.users, 'users');
    const now = this.clock.now();
    let sub = input.sub ?? registeredSub();
    if (input.sub !== undefined && this.#users.has(sub)) throw new Error(`emulator bug: sub ${sub} is already taken`);
    while (this.#users.has(sub)) sub = registeredSub();
    const user: User = {
      sub,
      anonymous: false,
      username: input.username,
      phoneNumber: input.phoneNumber,
      email: input.email === undefined ? undefined : foldAsciiCase(input.email),
      name: input.name,
      createdAt: now,
      updatedAt: now,
      providers: new Map(),
    };
    const claims: [Map<string, string>, string | undefined][] = [
      [this.#subByUsername, user.username],
      [this.#subByContact, user.phoneNumber === undefined ? undefined : contactKey({ kind: 'phone', value: user.phoneNumber })],
      [this.#subByContact, user.email === undefined ? undefined : contactKey({ kind: 'email', value: user.email })],
    ];
    for (const [index, key] of claims) {
      if (key !== undefined && index.has(key)) throw new Error(`emulator bug: ${key} is already taken`);
    }
    for (const [index, key] of claims) if (key !== undefined) index.set(key, sub);
    this.#users.set(sub, user);
    if (input.password !== undefined) this.setPassword(user, input.password);
    return user;
  }

  /** docs: one device id -> at most one anonymous user. */
  anonymousUserForDevice(deviceId: string): User {
    // Swept before the look-up, so the session started next is never for a user the sweep just forgot.
    this.#maybeSweep();
    const existing = this.#subByDevice.get(deviceId);
    const found = existing === undefined ? undefined : this.#users.get(existing);
    if (found) return found;
    this.#ensureRoom(this.#users, this.limits.caps.users, 'users');
    const now = this.clock.now();
    let sub = anonymousSub();
    while (this.#users.has(sub)) sub = anonymousSub();
    const user: User = { sub, anonymous: true, deviceId, name: 'anonymous', createdAt: now, updatedAt: now, providers: new Map() };
    this.#users.set(sub, user);
    this.#subByDevice.set(deviceId, sub);
    return user;
  }

  setPassword(user: User, password: string): void {
    const salt = randomBytes(16);
    user.passwordDigest = { salt, hash: digest(password, salt) };
    user.passwordUpdatedAt = user.updatedAt = this.clock.now();
  }

  passwordMatches(user: User, password: string): boolean {
    const stored = user.passwordDigest;
    return stored !== undefined && timingSafeEqual(stored.hash, digest(password, stored.salt));
  }

  recordLogin(user: User): void {
    user.lastLoginAt = this.clock.now();
  }

  /** Every user (issue 12: `--export-on-exit`). */
  users(): IterableIterator<User> {
    return this.#users.values();
  }

  /** Removes the user, their sessions and everything that points at them. */
  deleteUser(sub: string): void {
    const user = this.#users.get(sub);
    if (!user) return;
    this.endSessionsOf(sub);
    if (user.username !== undefined) this.#subByUsername.delete(user.username);
    if (user.phoneNumber !== undefined) this.#subByContact.delete(contactKey({ kind: 'phone', value: user.phoneNumber }));
    if (user.email !== undefined) this.#subByContact.delete(contactKey({ kind: 'email', value: user.email }));
    if (user.deviceId !== undefined) this.#subByDevice.delete(user.deviceId);
    for (const [providerId, providerUserId] of user.providers) this.#subByProviderIdentity.delete(`${providerId}:${providerUserId}`);
    for (const [token, sudo] of this.#sudoTokens) if (sudo.sub === sub) this.#sudoTokens.delete(token);
    this.#users.delete(sub);
  }

  /** The user a provider identity is bound to, if any. */
  providerIdentityOwner(providerId: string, providerUserId: string): string | undefined {
    return this.#subByProviderIdentity.get(`${providerId}:${providerUserId}`);
  }

  bindProvider(user: User, providerId: string, providerUserId: string): void {
    user.providers.set(providerId, providerUserId);
    this.#subByProviderIdentity.set(`${providerId}:${providerUserId}`, user.sub);
    user.updatedAt = this.clock.now();
  }

  unbindProvider(user: User, providerId: string): boolean {
    const providerUserId = user.providers.get(providerId);
    if (providerUserId === undefined) return false;
    user.providers.delete(providerId);
    this.#subByProviderIdentity.delete(`${providerId}:${providerUserId}`);
    user.updatedAt = this.clock.now();
    return true;
  }

  // ---- sessions ----------------------------------------------------------------------------

  /** Every sign-in or sign-up starts a session; the oldest one ends past the per-user cap. */
  startSession(user: User, clientId: string, deviceId?: string): Session {
    this.#maybeSweep();
    let sids = this.#sidsByUser.get(user.sub);
    if (!sids) this.#sidsByUser.set(user.sub, (sids = new Set()));
    while (sids.size >= this.limits.maxSessionsPerUser) {
      const oldest = sids.values().next().value;
      if (oldest === undefined) break;
      this.endSession(oldest);
    }
    this.#ensureRoom(this.#sessions, this.limits.caps.sessions, 'sessions');
    const now = this.clock.now();
    const session: Session = {
      sid: opaqueToken('', 12),
      sub: user.sub,
      clientId,
      ...(deviceId !== undefined && { deviceId }),
      createdAt: now,
      refreshToken: '',
      refreshExpiresAt: 0,
    };
    this.#sessions.set(session.sid, session);
    sids.add(session.sid);
    this.rotateRefreshToken(session);
    return session;
  }

  /** A session that has not ended (its refresh token may still be used, or an access token of it). */
  getSession(sid: string): Session | undefined {
    const session = this.#sessions.get(sid);
    if (session && session.refreshExpiresAt <= this.clock.now()) {
      this.endSession(sid);
      return undefined;
    }
    return session;
  }

  /** The live session whose CURRENT refresh token this is; rotated, revoked or expired ones find nothing. */
  sessionForRefreshToken(refreshToken: string): Session | undefined {
    const sid = this.#sidByRefreshToken.get(refreshToken);
    return sid === undefined ? undefined : this.getSession(sid);
  }

  /** docs/api-facts.md, "Tokens and JWT claims": the refresh token rotates on every refresh; the old one is invalid at once. */
  rotateRefreshToken(session: Session): string {
    if (session.refreshToken) {
      this.#sidByRefreshToken.delete(session.refreshToken);
      this.#rememberSpent(session.refreshToken, session.sid, session.refreshExpiresAt);
    }
    // docs/api-facts.md, "Tokens and JWT claims": refresh tokens look like `m.<base64url>`, at most 128 characters, 31 days.
    session.refreshToken = opaqueToken('m.');
    session.refreshExpiresAt = this.clock.now() + LIFETIMES.refreshToken;
    this.#sidByRefreshToken.set(session.refreshToken, session.sid);
    return session.refreshToken;
  }

  /** The session a rotated-out refresh token belonged to, if it is still remembered (reuse detection). */
  sessionOfSpentRefreshToken(refreshToken: string): string | undefined {
    return this.#live(this.#spentRefreshTokens, refreshToken)?.sid;
  }

  #rememberSpent(token: string, sid: string, expiresAt: number): void {
    const spent = this.#spentRefreshTokens;
    // Only a memory for reuse detection: past the cap the oldest is forgotten (it then reads as unknown).
    while (spent.size >= this.limits.caps.spentRefreshTokens) {
      const oldest = spent.keys().next().value;
      if (oldest === undefined) break;
      spent.delete(oldest);
    }
    spent.set(token, { sid, expiresAt });
  }

  endSession(sid: string): void {
    const session = this.#sessions.get(sid);
    if (!session) return;
    this.#sessions.delete(sid);
    this.#sidByRefreshToken.delete(session.refreshToken);
    const sids = this.#sidsByUser.get(session.sub);
    sids?.delete(sid);
    if (sids?.size === 0) this.#sidsByUser.delete(session.sub);
  }

  /** Ends every session of a user, except `exceptSid` if given. */
  endSessionsOf(sub: string, exceptSid?: string): void {
    for (const sid of [...(this.#sidsByUser.get(sub) ?? [])]) if (sid !== exceptSid) this.endSession(sid);
  }

  // ---- issue 10: user family (username and contact changes, sessions by device) -------------

  /** The user's live sessions, oldest first. */
  sessionsOf(sub: string): Session[] {
    return [...(this.#sidsByUser.get(sub) ?? [])].map((sid) => this.getSession(sid)).filter((s): s is Session => s !== undefined);
  }

  /** Callers check that nobody else holds the username first (to answer 409). */
  changeUsername(user: User, username: string): void {
    if (user.username !== undefined) this.#subByUsername.delete(user.username);
    user.username = username;
    this.#subByUsername.set(username, user.sub);
    user.updatedAt = this.clock.now();
  }

  /** Sets (or, with `value` undefined, removes) the user's phone number or email. Callers check that nobody else holds it. */
  changeContact(user: User, kind: ContactKind, value: string | undefined): void {
    const old = kind === 'phone' ? user.phoneNumber : user.email;
    if (old !== undefined) this.#subByContact.delete(contactKey({ kind, value: old }));
    const next = kind === 'email' ? value?.toLowerCase() : value;
    if (kind === 'phone') user.phoneNumber = next;
    else user.email = next;
    if (next !== undefined) this.#subByContact.set(contactKey({ kind, value: next }), user.sub);
    user.updatedAt = this.clock.now();
  }

  /** A live verification token issued for this contact (the newest), if any: proof that a code sent there was verified. */
  liveVerificationTokenFor(contact: Contact): VerificationToken | undefined {
    let found: VerificationToken | undefined;
    for (const token of [...this.#verificationTokens.keys()]) {
      const entry = this.#live(this.#verificationTokens, token);
      if (entry && entry.contact.kind === contact.kind && entry.contact.value === contact.value) found = entry;
    }
    return found;
  }

  // ---- verifications -----------------------------------------------------------------------

  /** A new code for a contact; the older codes of that contact stop verifying (only the newest counts). */
  createVerification(contact: Contact): Verification {
    this.#maybeSweep();
    this.#ensureRoom(this.#verifications, this.limits.caps.verifications, 'verification codes');
    const now = this.clock.now();
    const verification: Verification = {
      id: opaqueToken('vid.', 24),
      contact,
      code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      createdAt: now,
      expiresAt: now + LIFETIMES.verificationCode,
      wrongAttempts: 0,
      used: false,
      superseded: false,
    };
    this.#verifications.set(verification.id, verification);
    const key = contactKey(contact);
    const list = this.#verificationsByContact.get(key);
    for (const older of list ?? []) older.superseded = true;
    if (list) list.push(verification);
    else this.#verificationsByContact.set(key, [verification]);
    return verification;
  }

  /** Returned even when expired or used, so the handler can say why it is refused. Swept later. */
  getVerification(id: string): Verification | undefined {
    return this.#verifications.get(id);
  }

  latestVerificationFor(contact: Contact): Verification | undefined {
    return this.#verificationsByContact.get(contactKey(contact))?.at(-1);
  }

  /** Newest first; every contact when none is given. */
  listVerifications(contact?: Contact): Verification[] {
    if (contact) return [...(this.#verificationsByContact.get(contactKey(contact)) ?? [])].reverse();
    return [...this.#verifications.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  /** A wrong code was tried; returns how many wrong attempts this verification has seen. */
  recordWrongCode(verification: Verification): number {
    return ++verification.wrongAttempts;
  }

  /** The right code: the verification is used up and a verification token is issued for its contact. */
  redeemVerification(verification: Verification): VerificationToken {
    verification.used = true;
    return this.issueVerificationToken(verification.contact);
  }

  issueVerificationToken(contact: Contact): VerificationToken {
    this.#maybeSweep();
    this.#ensureRoom(this.#verificationTokens, this.limits.caps.tokens, 'verification tokens');
    const entry: VerificationToken = {
      token: opaqueToken('vt.'),
      contact,
      expiresAt: this.clock.now() + LIFETIMES.verificationToken,
    };
    this.#verificationTokens.set(entry.token, entry);
    return entry;
  }

  /** A live verification token (not used, not expired); the caller consumes it once it succeeds. */
  getVerificationToken(token: string): VerificationToken | undefined {
    return this.#live(this.#verificationTokens, token);
  }

  /** INFERRED (docs/api-facts.md, "Verification codes, phone numbers, usernames and passwords"): a verification token is single-use. */
  consumeVerificationToken(token: string): void {
    this.#verificationTokens.delete(token);
  }

  /** The entry of a short-lived token if it has not expired; an expired one is dropped on the way. */
  #live<T extends { expiresAt: number }>(entries: Map<string, T>, token: string): T | undefined {
    const entry = entries.get(token);
    if (entry && entry.expiresAt <= this.clock.now()) {
      entries.delete(token);
      return undefined;
    }
    return entry;
  }

  // ---- sudo and provider tokens ------------------------------------------------------------

  issueSudoToken(sub: string): SudoToken {
    this.#maybeSweep();
    this.#ensureRoom(this.#sudoTokens, this.limits.caps.tokens, 'sudo tokens');
    const entry: SudoToken = { token: opaqueToken('sudo.'), sub, expiresAt: this.clock.now() + LIFETIMES.sudoToken };
    this.#sudoTokens.set(entry.token, entry);
    return entry;
  }

  getSudoToken(token: string): SudoToken | undefined {
    return this.#live(this.#sudoTokens, token);
  }

  /** INFERRED (docs/security.md): a sudo token authorises one sensitive operation. */
  consumeSudoToken(token: string): void {
    this.#sudoTokens.delete(token);
  }

  /** Until when (epoch seconds) sudo by password is refused for this user, or undefined. */
  passwordLockedUntil(user: User): number | undefined {
    const lockedUntil = user.passwordFailures?.lockedUntil ?? 0;
    return lockedUntil > this.clock.now() ? lockedUntil : undefined;
  }

  /** A wrong sudo password; the `max`-th in a row locks sudo by password for `lockSeconds`. */
  recordWrongPassword(user: User, max: number, lockSeconds: number): void {
    const failures = (user.passwordFailures ??= { count: 0, lockedUntil: 0 });
    if (failures.lockedUntil !== 0 && failures.lockedUntil <= this.clock.now()) failures.count = 0;
    failures.count += 1;
    failures.lockedUntil = failures.count >= max ? this.clock.now() + lockSeconds : 0;
  }

  clearPasswordFailures(user: User): void {
    user.passwordFailures = undefined;
  }

  issueProviderToken(providerId: string, providerUserId: string): ProviderToken {
    this.#maybeSweep();
    this.#ensureRoom(this.#providerTokens, this.limits.caps.tokens, 'provider tokens');
    const entry: ProviderToken = {
      token: opaqueToken('pt.'),
      providerId,
      providerUserId,
      expiresAt: this.clock.now() + LIFETIMES.providerToken,
    };
    this.#providerTokens.set(entry.token, entry);
    return entry;
  }

  /** A live provider token (not used, not expired); the caller consumes it once the bind succeeds. */
  getProviderToken(token: string): ProviderToken | undefined {
    return this.#live(this.#providerTokens, token);
  }

  consumeProviderToken(token: string): void {
    this.#providerTokens.delete(token);
  }

  // ---- housekeeping ------------------------------------------------------------------------

  stats(): StoreStats {
    let anonymous = 0;
    for (const user of this.#users.values()) if (user.anonymous) anonymous++;
    return {
      users: this.#users.size,
      anonymous_users: anonymous,
      sessions: this.#sessions.size,
      refresh_tokens: this.#sidByRefreshToken.size,
      verifications: this.#verifications.size,
      verification_tokens: this.#verificationTokens.size,
      sudo_tokens: this.#sudoTokens.size,
      provider_tokens: this.#providerTokens.size,
      anonymous_devices: this.#subByDevice.size,
      spent_refresh_tokens: this.#spentRefreshTokens.size,
    };
  }

  /** Forget everything (`POST /__emulator/reset`). */
  reset(): void {
    for (const map of [
      this.#users,
      this.#subByUsername,
      this.#subByContact,
      this.#subByDevice,
      this.#subByProviderIdentity,
      this.#sessions,
      this.#sidByRefreshToken,
      this.#sidsByUser,
      this.#verifications,
      this.#verificationsByContact,
      this.#verificationTokens,
      this.#sudoTokens,
      this.#providerTokens,
      this.#spentRefreshTokens,
    ] as Map<unknown, unknown>[]) {
      map.clear();
    }
    this.#lastSweep = this.clock.now();
  }

  /** Drop every expired entry now. */
  sweep(): void {
    const now = this.clock.now();
    this.#lastSweep = now;
    // Expired sudo tokens first: deleting a user below looks through the ones left.
    for (const [token, entry] of this.#sudoTokens) if (entry.expiresAt <= now) this.#sudoTokens.delete(token);
    for (const session of this.#sessions.values()) if (session.refreshExpiresAt <= now) this.endSession(session.sid);
    // INFERRED: an anonymous user is reachable only through its device id; once it has no session
    // left and has not signed in for a refresh-token lifetime, it is forgotten (the device would get
    // a new anonymous user), so a long run of one-off devices cannot grow the store without bound.
    for (const user of this.#users.values()) {
      if (user.anonymous && !this.#sidsByUser.has(user.sub) && (user.lastLoginAt ?? user.createdAt) + LIFETIMES.refreshToken <= now) this.deleteUser(user.sub);
    }
    for (const [key, list] of this.#verificationsByContact) {
      const live = list.filter((v) => v.expiresAt > now);
      if (live.length === list.length) continue;
      for (const v of list) if (v.expiresAt <= now) this.#verifications.delete(v.id);
      if (live.length === 0) this.#verificationsByContact.delete(key);
      else this.#verificationsByContact.set(key, live);
    }
    for (const [token, entry] of this.#verificationTokens) if (entry.expiresAt <= now) this.#verificationTokens.delete(token);
    for (const [token, entry] of this.#providerTokens) if (entry.expiresAt <= now) this.#providerTokens.delete(token);
    for (const [token, entry] of this.#spentRefreshTokens) if (entry.expiresAt <= now) this.#spentRefreshTokens.delete(token);
  }

  /** A store at its cap is swept; still full, the API's 429 (never unbounded growth). */
  #ensureRoom(entries: Map<string, unknown>, cap: number, what: string): void {
    if (entries.size < cap) return;
    // At most one sweep per emulator second: a full store must not make every request walk it.
    if (this.#lastSweep !== this.clock.now()) this.sweep();
    if (entries.size >= cap) {
      throw resourceExhausted(`the emulator holds its maximum of ${cap} ${what}; expired ones are swept, POST /__emulator/reset or a restart clears them all`);
    }
  }

  #maybeSweep(): void {
    const now = this.clock.now();
    // A clock set back (a reset after an advance) must not postpone sweeping until it catches up.
    if (now - this.#lastSweep >= SWEEP_EVERY_SECONDS || now < this.#lastSweep) this.sweep();
  }
}
