/** Seconds as text: `754` → `12m 34s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** Where the bar writes: `process.stderr` or anything with `write` (tests pass a fake). */
export interface BarStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressBarOptions {
  readonly total: number;
  readonly label: string;
  readonly stream?: BarStream;
  /** Redraw one line in place (default: whether the stream is a terminal); otherwise print a line every `everyPercent`. */
  readonly isTTY?: boolean;
  readonly everyPercent?: number;
  /** Milliseconds clock (default `Date.now`). */
  readonly now?: () => number;
}

export interface ProgressInfo {
  readonly stage: string;
  readonly fitness: number;
  readonly winRate: number;
}

/**
 * A training progress bar: generation k/N, stage, elapsed, ETA, fitness and win rate. In a terminal it redraws one
 * line with `\r`; in a log (CI) it prints a line every `everyPercent` % instead. Hand-written rather than a
 * dependency: it is one line of output.
 */
export class ProgressBar {
  private readonly stream: BarStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private shown = -1;
  private width = 0;
  private line = '';

  constructor(private readonly o: ProgressBarOptions) {
    if (!Number.isInteger(o.total) || o.total < 1) throw new Error(`progress bar "${o.label}": total is ${o.total}: expected a whole number of at least 1`);
    this.stream = o.stream ?? process.stderr;
    this.tty = o.isTTY ?? this.stream.isTTY === true;
    this.now = o.now ?? Date.now;
    this.started = this.now();
  }

  update(k: number, info: ProgressInfo): void {
    const { total, label } = this.o;
    if (!Number.isInteger(k) || k < 0 || k > total) throw new Error(`progress bar "${label}": generation ${k} is outside 0..${total}`);
    const elapsed = (this.now() - this.started) / 1000;
    const eta = k > 0 ? formatDuration((elapsed / k) * (total - k)) : '?';
    const filled = Math.round((k / total) * 20);
    this.line = `${label} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${k}/${total} stage ${info.stage}  elapsed ${formatDuration(elapsed)}  ETA ${eta}  fitness ${info.fitness.toFixed(3)}  win ${(info.winRate * 100).toFixed(1)}%`;
    if (this.tty) {
      this.stream.write(`\r${this.line.padEnd(this.width)}`);
      this.width = this.line.length;
      return;
    }
    const step = Math.floor((k / total) * (100 / (this.o.everyPercent ?? 10)));
    if (step > this.shown) {
      this.shown = step;
      this.stream.write(`${this.line}\n`);
      this.line = '';
    }
  }

  /** End the bar: finish the terminal's line, or print the last state if the log has not shown it. */
  done(): void {
    if (this.tty) this.stream.write(this.width > 0 ? '\n' : '');
    else if (this.line !== '') this.stream.write(`${this.line}\n`);
    this.width = 0;
    this.line = '';
  }
}
