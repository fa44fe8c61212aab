/**
 * The emulator's clock: every expiry (access tokens, refresh tokens, codes, sudo tokens) is judged
 * against it, so a test moves time forward instead of waiting (`POST /__emulator/clock`).
 */
export interface Clock {
  /** Current time in whole epoch seconds. */
  now(): number;
  /** Move time forward by `seconds` (>= 0) and return the new `now()`. */
  advance(seconds: number): number;
  /** Drop every advance: back to real time. */
  reset(): void;
}

/** Real time plus an offset that only ever grows (until `reset`). */
export class OffsetClock implements Clock {
  #offsetSeconds = 0;

  constructor(private readonly realNowMs: () => number = Date.now) {}

  now(): number {
    return Math.floor(this.realNowMs() / 1000) + this.#offsetSeconds;
  }

  advance(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`advance needs a finite number of seconds >= 0, got ${seconds}`);
    this.#offsetSeconds += Math.floor(seconds);
    return this.now();
  }

  reset(): void {
    this.#offsetSeconds = 0;
  }
}
