// The package's programmatic API (docs/sdk-authors.md):
//   import { startEmulator } from 'cloudbase-auth-contract';
//   const emu = await startEmulator({ port: 0 });  // { url, control, close, ... }
// The emulator is TypeScript (mock/emulator/index.ts), loaded through tsx's loader; types: types/.
import { register } from 'tsx/esm/api';

register();
const api = await import('./mock/emulator/index.ts');

export const {
  startEmulator,
  createEmulator,
  createControlClient,
  ControlClient,
  EmulatorControlError,
  readUsersFile,
  writeRequestReport,
  writeUsersFile,
  API_ROUTES,
  EMULATOR_ROUTES,
} = api;
