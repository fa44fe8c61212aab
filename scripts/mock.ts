/**
 * `npm run mock [-- --port 4011]`: the Prism mock of schemas/openapi.yaml alone, for SDK authors
 * (default http://127.0.0.1:4010; --port or MOCK_PORT to move it). The command line is mock/servers.ts's.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { prismMockCommand } from '../mock/servers.ts';

const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('usage: npm run mock [-- --port <n>]   (MOCK_PORT; default 4010)');
  process.exit(0);
}
const portText = values.port ?? process.env.MOCK_PORT ?? '4010';
if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
  console.error(`mock: port "${portText}" must be a whole number from 1 to 65535 (--port or MOCK_PORT)`);
  process.exit(2);
}
const [file, ...args] = prismMockCommand(Number(portText)).replace('--verboseLevel warn', '--verboseLevel info').split(' ');
const child = spawn(file ?? '', args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
