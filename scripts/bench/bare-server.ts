/**
 * The ceiling: a bare `node:http` server that answers every request with one fixed JSON body, after
 * reading the request body (as any real server must). What this machine can serve at best over HTTP
 * from one Node process; the emulator's figure reads as a share of it.
 *
 * Usage: node --import tsx scripts/bench/bare-server.ts <port>
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 15100);
// The size of a token response (the largest answer of the three operations measured).
const body = Buffer.from(
  JSON.stringify({
    token_type: 'Bearer',
    access_token: `eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIiwidHlwIjoiSldUIn0.${'x'.repeat(420)}.${'y'.repeat(342)}`,
    refresh_token: `m.${'z'.repeat(43)}`,
    expires_in: 7200,
    scope: 'user',
    sub: '1849755119840497664',
    groups: ['user'],
  }),
);

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 10_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
