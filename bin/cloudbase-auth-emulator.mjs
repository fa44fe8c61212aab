#!/usr/bin/env node
// `npx cloudbase-auth-emulator --port 0`: the emulator's CLI (mock/emulator/cli.ts), run from its
// TypeScript source through tsx's loader, so a checkout and a packed tarball run the same code.
import { register } from 'tsx/esm/api';

register();
await import('../mock/emulator/cli.ts');
