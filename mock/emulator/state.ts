/**
 * State in and out, as the Firebase emulator does: start with the users of a JSON file
 * (`--import users.json`, `startEmulator({ importUsers })`, `POST /__emulator/users/import`) and write
 * them back out (`--export-on-exit`, `GET /__emulator/users/export`). Sample: examples/users.json.
 *
 *   { "users": [ { "username": "alice", "phone_number": "+86 13800000001", "email": "alice@example.com",
 *                  "password": "Str0ng!Passw0rd", "name": "Alice",
 *                  "providers": [ { "provider_id": "github", "provider_user_id": "1001" } ] } ] }
 *
 * An export never holds a password: it holds `password_hash` (salted SHA-256, base64), which an import
 * takes back, so a round trip keeps every password working. Anonymous users, sessions and codes are
 * not exported: they are a test's, not the fixture's.
 */
import { invalidArgument, alreadyExists } from './errors.ts';
import { isKnownProvider, PROVIDERS } from './handlers/providers.ts';
import type { Store, User } from './store.ts';
import { describeSchemaErrors, validateSchema } from '../../contract/index.ts';

export interface UserRecord {
  sub?: string;
  username?: string;
  phone_number?: string;
  email?: string;
  name?: string;
  /** Plain text in a hand-written file; never in an export. */
  password?: string;
  password_hash?: { algorithm: 'salted-sha256'; salt: string; hash: string };
  providers?: { provider_id: string; provider_user_id: string }[];
}

export interface UsersFile {
  users: UserRecord[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(record: Record<string, unknown>, field: string, where: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw invalidArgument(`${where}.${field} must be a non-empty string`);
  return value;
}

/** A field of a users file, judged by the same schema rule the API's requests are (no rule written twice). */
function checkField(value: string, schema: string, where: string): void {
  const errors = validateSchema(schema, value);
  if (errors.length === 0) return;
  // A password is never echoed back, not even in an error about itself.
  if (where.endsWith('.password')) throw invalidArgument(`${where} breaks the password rule of ${schema.replace('#', ' ')}`);
  throw invalidArgument(`${where}: ${describeSchemaErrors(errors, where).join('; ')}`);
}

const RECORD_FIELDS = ['sub', 'username', 'phone_number', 'email', 'name', 'password', 'password_hash', 'providers'];

/** Validate a whole file first, then add every user: a bad file adds nobody. Answers the users added. */
export function importUsers(store: Store, file: unknown): User[] {
  if (!isRecord(file) || !Array.isArray(file.users)) throw invalidArgument('a users file is {"users": [...]}');
  const plans = file.users.map((raw: unknown, index: number) => {
    const where = `users[${index}]`;
    if (!isRecord(raw)) throw invalidArgument(`${where} must be an object`);
    const unknown = Object.keys(raw).filter((key) => !RECORD_FIELDS.includes(key));
    if (unknown.length > 0) throw invalidArgument(`${where}: unknown field(s) ${unknown.join(', ')}; known: ${RECORD_FIELDS.join(', ')}`);
    const sub = optionalText(raw, 'sub', where);
    if (sub !== undefined && !/^[1-9]\d{18}$/.test(sub)) throw invalidArgument(`${where}.sub must be 19 digits`);
    const username = optionalText(raw, 'username', where);
    if (username !== undefined) checkField(username, 'signup-request.schema.json#/properties/username', `${where}.username`);
    const phone = optionalText(raw, 'phone_number', where);
    if (phone !== undefined) checkField(phone, 'phone-number.schema.json', `${where}.phone_number`);
    const emailText = optionalText(raw, 'email', where);
    if (emailText !== undefined) checkField(emailText, 'signup-request.schema.json#/properties/email', `${where}.email`);
    const email = emailText?.toLowerCase();
    if (username === undefined && phone === undefined && email === undefined) throw invalidArgument(`${where} needs a username, phone_number or email`);
    const password = optionalText(raw, 'password', where);
    if (password !== undefined) checkField(password, 'signup-request.schema.json#/properties/password', `${where}.password`);
    const hash = raw.password_hash;
    if (hash !== undefined && (!isRecord(hash) || hash.algorithm !== 'salted-sha256' || typeof hash.salt !== 'string' || typeof hash.hash !== 'string')) {
      throw invalidArgument(`${where}.password_hash must be {"algorithm": "salted-sha256", "salt": base64, "hash": base64} as exported`);
    }
    if (password !== undefined && hash !== undefined) throw invalidArgument(`${where}: give password or password_hash, not both`);
    const providers = raw.providers ?? [];
    if (!Array.isArray(providers)) throw invalidArgument(`${where}.providers must be an array`);
    const bindings = providers.map((p: unknown, i: number) => {
      if (!isRecord(p) || typeof p.provider_id !== 'string' || typeof p.provider_user_id !== 'string' || p.provider_user_id === '') {
        throw invalidArgument(`${where}.providers[${i}] must be {"provider_id", "provider_user_id"}`);
      }
      if (!isKnownProvider(p.provider_id)) throw invalidArgument(`${where}.providers[${i}].provider_id must be one of ${PROVIDERS.map((x) => x.id).join(', ')}`);
      if (store.providerIdentityOwner(p.provider_id, p.provider_user_id)) throw alreadyExists(`${where}: ${p.provider_id} user ${p.provider_user_id} is already bound`);
      return { providerId: p.provider_id, providerUserId: p.provider_user_id };
    });
    if (sub !== undefined && store.getUser(sub)) throw alreadyExists(`${where}: sub ${sub} exists`);
    if (username !== undefined && store.findUserByUsername(username)) throw alreadyExists(`${where}: username ${username} is taken`);
    if (phone !== undefined && store.findUserByContact({ kind: 'phone', value: phone })) throw alreadyExists(`${where}: phone_number is taken`);
    if (email !== undefined && store.findUserByContact({ kind: 'email', value: email })) throw alreadyExists(`${where}: email is taken`);
    return { sub, username, phone, email, name: optionalText(raw, 'name', where), password, hash: hash as UserRecord['password_hash'], bindings };
  });
  const seen = new Set<string>();
  for (const [index, plan] of plans.entries()) {
    for (const key of [plan.sub && `sub ${plan.sub}`, plan.username && `username ${plan.username}`, plan.phone && `phone ${plan.phone}`, plan.email && `email ${plan.email}`]) {
      if (!key) continue;
      if (seen.has(key)) throw alreadyExists(`users[${index}]: ${key} appears twice in the file`);
      seen.add(key);
    }
  }
  return plans.map((plan) => {
    const user = store.createUser({ sub: plan.sub, username: plan.username, phoneNumber: plan.phone, email: plan.email, name: plan.name, password: plan.password });
    if (plan.hash) user.passwordDigest = { salt: Buffer.from(plan.hash.salt, 'base64'), hash: Buffer.from(plan.hash.hash, 'base64') };
    for (const binding of plan.bindings) store.bindProvider(user, binding.providerId, binding.providerUserId);
    return user;
  });
}

/** Every registered (not anonymous) user, in the import format, with password hashes instead of passwords. */
export function exportUsers(store: Store): UsersFile {
  const users: UserRecord[] = [];
  for (const user of store.users()) {
    if (user.anonymous) continue;
    users.push({
      sub: user.sub,
      ...(user.username === undefined ? {} : { username: user.username }),
      ...(user.phoneNumber === undefined ? {} : { phone_number: user.phoneNumber }),
      ...(user.email === undefined ? {} : { email: user.email }),
      ...(user.name === undefined ? {} : { name: user.name }),
      ...(user.passwordDigest
        ? { password_hash: { algorithm: 'salted-sha256' as const, salt: user.passwordDigest.salt.toString('base64'), hash: user.passwordDigest.hash.toString('base64') } }
        : {}),
      ...(user.providers.size === 0 ? {} : { providers: [...user.providers].map(([provider_id, provider_user_id]) => ({ provider_id, provider_user_id })) }),
    });
  }
  return { users };
}
