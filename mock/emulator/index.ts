/**
 * The emulator's public API for SDK authors (docs/sdk-authors.md):
 *
 *   import { startEmulator } from 'cloudbase-auth-contract';   // or '<checkout>/mock/emulator/index.ts'
 *   const emu = await startEmulator({ port: 0 });
 *   // point the SDK at emu.url; read codes, move the clock, add faults with emu.control
 *   await emu.close();
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createControlClient, type ControlClient } from '../../contract/control.ts';
import type { RequestFaultSpec } from './faults.ts';
import { startEmulator as listen, type RunningEmulator, type StartOptions } from './server.ts';
import { exportUsers, importUsers, type UsersFile } from './state.ts';

export interface EmulatorOptions extends StartOptions {
  /** Users to start with: a users file's content, or its path (format: examples/users.json). */
  importUsers?: UsersFile | string;
  /** Request faults switched on from the start (each with its own count and ttl). */
  faults?: RequestFaultSpec[];
}

export interface StartedEmulator extends RunningEmulator {
  /** Typed client for every `/__emulator/*` endpoint. */
  control: ControlClient;
}

export function readUsersFile(path: string): UsersFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the users file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as UsersFile;
  } catch (error) {
    throw new Error(`the users file ${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Start the emulator on a port (`port: 0` picks a free one); `close()` stops it. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<StartedEmulator> {
  const { importUsers: users, faults = [], ...rest } = options;
  const running = await listen(rest);
  try {
    if (users !== undefined) importUsers(running.emulator.store, typeof users === 'string' ? readUsersFile(users) : users);
    for (const fault of faults) running.emulator.faults.add(fault);
  } catch (error) {
    await running.close();
    const description = (error as { description?: string }).description;
    throw new Error(description ? `emulator: ${description}` : String(error), { cause: error });
  }
  // With a control token (docs/security.md) the control client sends it on every call.
  const token = rest.controlToken;
  return { ...running, control: createControlClient(running.url, token ? { headers: { 'x-emulator-token': token } } : {}) };
}

/** Write the request log (`.har` -> HAR 1.2, else the JSON of `GET /__emulator/requests`). */
export function writeRequestReport(running: RunningEmulator, path: string): void {
  const log = running.emulator.requests;
  writeFileSync(path, `${JSON.stringify(path.endsWith('.har') ? log.har(running.url) : log.summary(), null, 2)}\n`);
}

/** Write the registered users in the `--import` format. */
export function writeUsersFile(running: RunningEmulator, path: string): void {
  writeFileSync(path, `${JSON.stringify(exportUsers(running.emulator.store), null, 2)}\n`);
}

export { createControlClient, ControlClient, EmulatorControlError } from '../../contract/control.ts';
export type { VerificationCode, EmulatorRuntimeConfig, RequestLogSummary, Recipient, ControlClientOptions } from '../../contract/control.ts';
export { createEmulator } from './app.ts';
export type { Emulator } from './app.ts';
export type { RequestFault, RequestFaultSpec, RequestFaultKind, ActionKind } from './faults.ts';
export type { LoggedRequest, Departure } from './request-log.ts';
export type { UsersFile, UserRecord } from './state.ts';
export { API_ROUTES, EMULATOR_ROUTES } from './routes.ts';
