/**
 * One load measurement with autocannon (in this process), latencies recorded from every response
 * with sub-millisecond precision (autocannon's own histogram keeps whole milliseconds).
 */
import autocannon, { type Request } from 'autocannon';
import { percentile } from './stats.ts';

export interface LoadSpec {
  /** Origin, e.g. http://127.0.0.1:15101 */
  origin: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Dynamic requests (a fresh body per request), instead of method/path/headers/body. */
  requests?: Request[];
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  /** Responses per second (any status). */
  rps: number;
  /** Milliseconds, over every response. */
  p50: number;
  p99: number;
  mean: number;
  responses: number;
  /** Responses whose status is not 2xx, and connection errors/timeouts: a run with them is suspect. */
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  // Growable record of response times (ms); a few hundred thousand at most.
  let times = new Float64Array(1 << 16);
  let count = 0;
  const instance = autocannon({
    url: spec.origin + spec.path,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    requests: spec.requests,
    connections: spec.connections,
    duration: spec.duration,
    pipelining: 1,
    timeout: 10,
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    if (count === times.length) {
      const bigger = new Float64Array(times.length * 2);
      bigger.set(times);
      times = bigger;
    }
    times[count++] = responseTime;
  });
  const result = await instance;
  const sorted = times.subarray(0, count).sort();
  let sum = 0;
  for (const t of sorted) sum += t;
  const statuses: Record<string, number> = {};
  for (const [status, { count: n }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = n;
  return {
    rps: count / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: count > 0 ? sum / count : Number.NaN,
    responses: count,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses,
    seconds: result.duration,
  };
}
