/**
 * Frame-time statistics over a sliding window: mean and worst frame time in ms, and frames per second.
 * Fed the timestamp of each animation frame.
 */
export class FrameStats {
  private readonly times: number[] = [];
  private last: number | undefined;

  constructor(private readonly window = 60) {}

  /** A frame started at `now` (ms). */
  frame(now: number): void {
    if (this.last !== undefined) {
      this.times.push(now - this.last);
      if (this.times.length > this.window) this.times.shift();
    }
    this.last = now;
  }

  /** Mean frame time in ms (0 before two frames). */
  get meanMs(): number {
    if (!this.times.length) return 0;
    return this.times.reduce((a, b) => a + b, 0) / this.times.length;
  }

  /** Longest frame in the window, ms. */
  get worstMs(): number {
    return this.times.length ? Math.max(...this.times) : 0;
  }

  get fps(): number {
    const m = this.meanMs;
    return m > 0 ? 1000 / m : 0;
  }
}

/**
 * Round-trip time from `ping` {t} / `pong` {t} pairs, smoothed (exponential moving average) so the display does
 * not flicker. Times in ms.
 */
export class PingStats {
  private smoothed: number | undefined;
  last: number | undefined;

  constructor(private readonly alpha = 0.3) {}

  /** A pong echoed `sentAt`; it arrived at `now`. Returns the round trip in ms. */
  pong(sentAt: number, now: number): number {
    const rtt = Math.max(0, now - sentAt);
    this.last = rtt;
    this.smoothed = this.smoothed === undefined ? rtt : this.smoothed + this.alpha * (rtt - this.smoothed);
    return rtt;
  }

  /** Smoothed round trip in ms, or undefined before the first pong. */
  get rttMs(): number | undefined {
    return this.smoothed;
  }
}
