/**
 * What every handler gets besides the request: the emulator's parts.
 */
import type { Context } from 'hono';
import type { Clock } from './clock.ts';
import type { Faults } from './faults.ts';
import type { RequestLog } from './request-log.ts';
import type { EmulatorConfig, RuntimeConfig } from './config.ts';
import type { Session, Store, User } from './store.ts';
import type { AccessClaims, TokenService } from './tokens.ts';

export interface EmulatorParts {
  config: EmulatorConfig;
  store: Store;
  clock: Clock;
  tokens: TokenService;
  /** The runtime config given at start-up, restored by `POST /__emulator/reset`. */
  startupRuntime: Readonly<RuntimeConfig>;
  /** Issue 12: faults switched on by a test, and the log of API requests with their contract departures. */
  faults: Faults;
  requests: RequestLog;
}

/** The caller of a Bearer operation, proven by a live access token. */
export interface Caller {
  user: User;
  session: Session;
  claims: AccessClaims;
}

export type PublicHandler = (c: Context, emu: EmulatorParts) => Response | Promise<Response>;
export type BearerHandler = (c: Context, emu: EmulatorParts, caller: Caller) => Response | Promise<Response>;
