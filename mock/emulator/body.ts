/**
 * Request bodies at the HTTP level: the 1 MiB limit, and what happens to a body nobody read.
 *
 * A server that answers before the client has sent its whole body, then closes the connection, makes
 * the client's write fail (EPIPE or ECONNRESET) instead of letting it read the answer: Playwright,
 * Node's fetch and most SDK HTTP stacks send the body before they look for a response, and do not use
 * `Expect: 100-continue`. So the emulator reads the rest of such a body and throws it away (as nginx's
 * lingering close does), and answers once the client is done. Hono's own `bodyLimit` refuses a declared
 * oversized body without reading it, which is exactly that race (seen as `write EPIPE` in about one
 * 413 in thirty on a loaded machine), hence this module.
 *
 * Throwing away is bounded (config.ts DEFAULT_SERVER_LIMITS discardBodyBytes, discardBodyMs): a body
 * past either limit is cut off and the answer says `Connection: close`, so the client never sends its
 * next request into a half-read body.
 */
import type { MiddlewareHandler } from 'hono';
import { MAX_BODY_BYTES } from './config.ts';
import { payloadTooLarge } from './errors.ts';

/** How much of an unwanted body is read and thrown away, and for how long, before it is cut off instead. */
export interface DiscardLimits {
  maxBytes: number;
  maxMs: number;
}

const hasNoBody = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

/**
 * Reads what is left in `reader` and throws it away. True when the body ended; false when it was cut
 * off (too long, too slow, or the stream failed), in which case the reader is cancelled.
 */
export async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, limits: DiscardLimits): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<'time up'>((resolve) => {
    timer = setTimeout(resolve, limits.maxMs, 'time up');
  });
  let bytes = 0;
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), timeUp]);
      if (chunk === 'time up') break;
      if (chunk.done) return true;
      bytes += chunk.value.byteLength;
      if (bytes > limits.maxBytes) break;
    }
  } catch {
    // The client went away mid-body: nothing left to read.
  } finally {
    clearTimeout(timer);
  }
  await reader.cancel().catch(() => undefined);
  return false;
}

/** The body-limit middleware and the one that settles unread bodies, throwing away within `limits`. */
export function bodyMiddlewares(limits: DiscardLimits): { limitBody: MiddlewareHandler; settleUnreadBody: MiddlewareHandler } {
  /** The 413 answer, once the body has been thrown away (or cut off: then the connection closes). */
  const refuseOversized = async (reader: ReadableStreamDefaultReader<Uint8Array>): Promise<never> => {
    const whole = await discardRest(reader, limits);
    throw payloadTooLarge(MAX_BODY_BYTES, { closeConnection: !whole });
  };

  /**
   * Bodies over 1 MiB are refused with 413 (docs/contract-decisions.md), declared (`Content-Length`) or
   * streamed (chunked: at most 1 MiB is kept in memory). GET/HEAD/OPTIONS bodies are never read.
   */
  const limitBody: MiddlewareHandler = async (c, next) => {
    const raw = c.req.raw;
    if (hasNoBody(c.req.method) || !raw.body) return next();
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      return Number.parseInt(declared, 10) > MAX_BODY_BYTES ? refuseOversized(raw.body.getReader()) : next();
    }
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) return refuseOversized(reader);
      chunks.push(value);
    }
    c.req.raw = new Request(raw, { body: Buffer.concat(chunks, size) });
    return next();
  };

  /**
   * An answer given without reading the body (a control refused to a foreign page, a captcha demanded:
   * the middlewares before the request log, which reads every API body): the rest of the body is read
   * and thrown away before the answer goes out; if it is cut off, the answer says `Connection: close`.
   */
  const settleUnreadBody: MiddlewareHandler = async (c, next) => {
    await next();
    const raw = c.req.raw;
    if (hasNoBody(c.req.method) || !raw.body || raw.bodyUsed || raw.body.locked) return;
    if (!(await discardRest(raw.body.getReader(), limits))) c.res.headers.set('Connection', 'close');
  };

  return { limitBody, settleUnreadBody };
}
