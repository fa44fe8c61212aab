/**
 * Emulator-only endpoints of issue 12: faults, the request log, users in and out
 * (docs/sdk-authors.md). Not part of the contract, never proxied.
 */
import type { PublicHandler } from '../context.ts';
import { ACTION_KINDS, userFor } from '../faults.ts';
import { invalidArgument } from '../errors.ts';
import { readJsonBody } from '../request.ts';
import { exportUsers, importUsers } from '../state.ts';

/** `GET /__emulator/faults` -> `{faults}`: the request faults still live. */
export const listFaults: PublicHandler = (c, emu) => c.json({ faults: emu.faults.list() });

/**
 * `POST /__emulator/faults` with one fault. A request fault answers `{fault}`; an action (revoke_tokens,
 * expire_tokens, rotate_signing_key) happens at once and answers what it did.
 */
export const addFault: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const kind = body.kind;
  if (typeof kind === 'string' && (ACTION_KINDS as readonly string[]).includes(kind)) {
    const unknown = Object.keys(body).filter((key) => key !== 'kind' && key !== 'user');
    if (unknown.length > 0) throw invalidArgument(`unknown field(s) for ${kind}: ${unknown.join(', ')}`);
    if (kind === 'rotate_signing_key') return c.json({ kind, kid: emu.tokens.rotate() });
    const user = userFor(emu.store, body.user);
    if (kind === 'revoke_tokens') emu.store.endSessionsOf(user.sub);
    else emu.faults.expireTokensOf(user);
    return c.json({ kind, sub: user.sub });
  }
  return c.json({ fault: emu.faults.add(body) });
};

/** `DELETE /__emulator/faults`: every request fault off (and expire_tokens cut-offs forgotten). */
export const clearFaults: PublicHandler = (c, emu) => {
  emu.faults.clear();
  return c.json({});
};

/** `DELETE /__emulator/faults/:id`: one request fault off. */
export const removeFault: PublicHandler = (c, emu) => {
  emu.faults.remove(c.req.param('id') ?? '');
  return c.json({});
};

/** `GET /__emulator/requests[?format=har]`: the API requests received, redacted, with their departures. */
export const listRequests: PublicHandler = (c, emu) => {
  const format = c.req.query('format');
  if (format !== undefined && format !== 'json' && format !== 'har') throw invalidArgument('format must be json or har');
  if (format === 'har') return c.json(emu.requests.har(new URL(c.req.url).origin));
  return c.json(emu.requests.summary());
};

/** `DELETE /__emulator/requests`: empty the request log. */
export const clearRequests: PublicHandler = (c, emu) => {
  emu.requests.clear();
  return c.json({});
};

/** `GET /__emulator/users/export`: registered users in the `--import` format (password hashes, never passwords). */
export const exportUsersHandler: PublicHandler = (c, emu) => c.json(exportUsers(emu.store));

/** `POST /__emulator/users/import` with a users file: all added, or none (the first problem answers 400/409). */
export const importUsersHandler: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const users = importUsers(emu.store, body);
  return c.json({ imported: users.length, subs: users.map((u) => u.sub) });
};
