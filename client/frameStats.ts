/**
 * Frame-time statistics over a sliding window: mean and worst frame time in ms, and frames per second.
 * Fed the timestamp of each animation frame.
 */
export class FrameStats {
  private readonly times: number[] = [];
  private last: number | undefined;
  private readonly draws: number[] = [];

  constructor(private readonly window = 60, private readonly drawWindow = 600) {}

  /** A frame took `ms` to draw (the work of the frame itself, not the wait for the next one). */
  drawn(ms: number): void {
    this.draws.push(ms);
    if (this.draws.length > this.drawWindow) this.draws.shift();
  }

  /** Draw times over the last frames (up to the draw window), ms: median, 95th percentile, worst, and how many. */
  drawTimes(): { p50: number; p95: number; max: number; n: number } {
    const sorted = [...this.draws].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : 0);
    return { p50: at(0.5), p95: at(0.95), max: sorted.length ? (sorted[sorted.length - 1] as number) : 0, n: sorted.length };
  }

  /** Forget the draw times (start a measurement). */
  resetDraws(): void {
    this.draws.length = 0;
  }

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
