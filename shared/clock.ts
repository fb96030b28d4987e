/** A source of time in milliseconds. The simulation never reads wall-clock time itself. */
export interface Clock {
  /** Current time in milliseconds (monotonic within one clock). */
  now(): number;
}

/** A clock that only moves when told to: tests advance ten seconds in one call instead of sleeping. */
export class ManualClock implements Clock {
  private t: number;

  constructor(startMs = 0) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  /** Move time forward by `ms` (≥ 0). */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`ManualClock.advance: ms must be a finite number >= 0, got ${ms}`);
    this.t += ms;
  }
}

/**
 * Fixed-step accumulator: turns elapsed time into a whole number of simulation steps of `stepSeconds`,
 * carrying the leftover to the next call. A cap on steps per call keeps a stalled host from spiralling;
 * time beyond the cap is dropped and counted.
 */
export class FixedStep {
  readonly stepSeconds: number;
  readonly maxStepsPerAdvance: number;
  private leftover = 0;
  /** Seconds of simulation time dropped because a single advance exceeded the step cap. */
  droppedSeconds = 0;

  constructor(stepSeconds: number, maxStepsPerAdvance = 10) {
    if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) throw new RangeError(`FixedStep: stepSeconds must be > 0, got ${stepSeconds}`);
    if (!Number.isInteger(maxStepsPerAdvance) || maxStepsPerAdvance < 1) {
      throw new RangeError(`FixedStep: maxStepsPerAdvance must be an integer >= 1, got ${maxStepsPerAdvance}`);
    }
    this.stepSeconds = stepSeconds;
    this.maxStepsPerAdvance = maxStepsPerAdvance;
  }

  /** Add `elapsedSeconds` and return how many whole steps to run now. */
  advance(elapsedSeconds: number): number {
    if (!(elapsedSeconds >= 0) || !Number.isFinite(elapsedSeconds)) {
      throw new RangeError(`FixedStep.advance: elapsed must be a finite number >= 0, got ${elapsedSeconds}`);
    }
    this.leftover += elapsedSeconds;
    // A tiny epsilon keeps 3 × (1/20) from rounding down to 2 steps.
    let steps = Math.floor(this.leftover / this.stepSeconds + 1e-9);
    if (steps > this.maxStepsPerAdvance) {
      this.droppedSeconds += (steps - this.maxStepsPerAdvance) * this.stepSeconds;
      steps = this.maxStepsPerAdvance;
      this.leftover = 0;
      return steps;
    }
    this.leftover = Math.max(0, this.leftover - steps * this.stepSeconds);
    return steps;
  }

  /** Fraction (0..1) of a step carried over: for interpolating between the last two states. */
  get alpha(): number {
    return Math.min(1, this.leftover / this.stepSeconds);
  }
}
