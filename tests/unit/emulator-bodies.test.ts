/**
 * Bodies the emulator does not want (over 1 MiB, or sent to an operation that refuses before reading
 * it): the client must be able to finish sending and then read the answer, as from any well-behaved
 * server. Before mock/emulator/body.ts the emulator answered 413 at once and closed the connection,
 * and about one oversized request in thirty failed in the client with `write EPIPE` instead of a 413.
 * These tests send the body slowly over a raw socket, so the old behaviour fails every time (a burst
 * of requests from an in-process client did not: the race needs the client in another process).
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { discardRest } from '../../mock/emulator/body.ts';
import { startTestEmulator } from './emulator-helpers.ts';

const emulator = await startTestEmulator();

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 connection written by hand: the test decides when each byte of a body goes out. */
class RawConnection {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiting: (() => void) | undefined;
  /** A write the server refused (EPIPE, ECONNRESET): what a client sees when a server hangs up mid-body. */
  writeError: NodeJS.ErrnoException | undefined;
  closed = false;

  constructor(port: number) {
    this.#socket = connect(port, '127.0.0.1');
    this.#socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#waiting?.();
    });
    this.#socket.on('error', (error: NodeJS.ErrnoException) => {
      this.writeError ??= error;
      this.#waiting?.();
    });
    this.#socket.on('close', () => {
      this.closed = true;
      this.#waiting?.();
    });
  }

  /** Resolves once the bytes were handed to the kernel (or the socket failed). */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed) resolve();
      else this.#socket.write(data, () => resolve());
    });
  }

  /** Nothing answered yet (what a server that waits for the whole body shows mid-body). */
  get nothingAnswered(): boolean {
    return this.#buffer.length === 0;
  }

  /** The next whole answer (Content-Length framed). */
  async answer(): Promise<Answer> {
    for (;;) {
      const parsed = this.#parse();
      if (parsed) return parsed;
      if (this.closed || this.writeError) throw new Error(`connection ended before a whole answer: ${this.writeError?.code ?? 'closed'}; got ${JSON.stringify(this.#buffer.toString())}`);
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
    }
  }

  #parse(): Answer | undefined {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = this.#buffer.subarray(0, end).toString().split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    if (this.#buffer.length < end + 4 + length) return undefined;
    const body = this.#buffer.subarray(end + 4, end + 4 + length).toString();
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

const MiB = 1024 * 1024;
const head = (path: string, extra: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nx-device-id: bodies-test\r\n${extra}\r\n`;

/** Sends `total` bytes of body in `parts` writes, `pauseMs` apart, and checks nothing was answered meanwhile. */
async function sendSlowly(connection: RawConnection, total: number, parts: number, pauseMs: number, frame = (chunk: Buffer) => chunk): Promise<void> {
  const size = Math.ceil(total / parts);
  for (let sent = 0; sent < total; sent += size) {
    await sleep(pauseMs);
    await connection.write(frame(Buffer.alloc(Math.min(size, total - sent), 'x')));
    assert.equal(connection.writeError, undefined, `the server hung up after ${sent} of ${total} body bytes`);
  }
}

/** The connection still carries requests: the answer before it left it in a clean state. */
async function assertReusable(connection: RawConnection): Promise<void> {
  await connection.write('GET /auth/v1/certs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  assert.equal((await connection.answer()).status, 200);
}

describe('a body the emulator will not use is read to its end before the answer', () => {
  test('a declared body over 1 MiB: 413 once the client is done, and the connection stays usable', async () => {
    const connection = new RawConnection(emulator.port);
    const total = 2 * MiB;
    await connection.write(head('/auth/v1/signin', `Content-Length: ${total}\r\n`));
    await sendSlowly(connection, total, 8, 20);

    const answer = await connection.answer();
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.body).error, 'invalid_argument');
    assert.notEqual(answer.headers.connection, 'close', 'the whole body was read: no reason to close');
    await assertReusable(connection);
    connection.destroy();
  });

  test('a chunked body over 1 MiB: the same', async () => {
    const connection = new RawConnection(emulator.port);
    await connection.write(head('/auth/v1/signup', 'Transfer-Encoding: chunked\r\n'));
    await sendSlowly(connection, 2 * MiB, 8, 20, (chunk) => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    await connection.write('0\r\n\r\n');

    const answer = await connection.answer();
    assert.equal(answer.status, 413);
    await assertReusable(connection);
    connection.destroy();
  });

  test('an answer given before the body is read (a control refused to a foreign page) also waits for the body', async () => {
    // Longer than @hono/node-server's own 500 ms of draining after an answer, which was all there was.
    const connection = new RawConnection(emulator.port);
    const total = 64 * 1024;
    await connection.write(head('/__emulator/reset', `Origin: https://attacker.example\r\nContent-Length: ${total}\r\n`));
    await sendSlowly(connection, total, 4, 200);

    const answer = await connection.answer();
    assert.equal(answer.status, 403);
    await assertReusable(connection);
    connection.destroy();
  });
});

describe('throwing a body away is bounded', () => {
  const stream = (parts: Uint8Array[], { stall = false } = {}) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        if (!stall) controller.close();
      },
    });

  test('a body that ends is read to its end', async () => {
    assert.equal(await discardRest(stream([new Uint8Array(10), new Uint8Array(10)]).getReader(), { maxBytes: 100, maxMs: 1_000 }), true);
  });

  test('past maxBytes it is cut off', async () => {
    const reader = stream([new Uint8Array(60), new Uint8Array(60)]).getReader();
    assert.equal(await discardRest(reader, { maxBytes: 100, maxMs: 1_000 }), false);
  });

  test('a body that stops arriving is cut off after maxMs, and the reader is cancelled', async () => {
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(1));
      },
      cancel() {
        cancelled = true;
      },
    });
    const began = performance.now();
    assert.equal(await discardRest(stalled.getReader(), { maxBytes: 100, maxMs: 50 }), false);
    assert.ok(performance.now() - began < 1_000);
    assert.equal(cancelled, true);
  });

  test('a stalled declared body over the limit gets its 413 with Connection: close', async () => {
    const impatient = await startTestEmulator({ limits: { discardBodyMs: 100 } });
    const connection = new RawConnection(impatient.port);
    await connection.write(head('/auth/v1/signin', `Content-Length: ${2 * MiB}\r\n`));
    await connection.write(Buffer.alloc(1024, 'x'));
    const answer = await connection.answer();
    assert.equal(answer.status, 413);
    assert.equal(answer.headers.connection, 'close');
    connection.destroy();
  });
});
