import { FixedStep, parseWith, ValidationError } from '../shared/index.ts';
import type { TerrainQuery } from '../shared/index.ts';
import type { BehaviourRegistry } from './behaviour.ts';
import { EventLogSchema } from './eventLog.ts';
import type { EventLog, LogEntry } from './eventLog.ts';
import type { ReplyInput, WorldInput } from './inputs.ts';
import { stateHash } from './stateHash.ts';
import { step } from './step.ts';
import type { StepReport } from './step.ts';
import { restoreWorld } from './snapshot/index.ts';
import type { WorldImage } from './snapshot/index.ts';
import { createWorld } from './world.ts';
import type { World } from './world.ts';

/** Options for a {@link Simulation}. */
export interface SimulationOptions {
  readonly seed: string | number;
  readonly registry: BehaviourRegistry;
  readonly terrain: TerrainQuery;
  /** Step length in seconds (default 1/20). */
  readonly dt?: number;
  /**
   * Keep an {@link EventLog} of every input and reply from tick 0 (`true`, the default), none (`false`), or
   * only those since the last {@link Simulation.cutWindow} (`'window'`: a live room's flight recorder, which
   * cuts the window at each snapshot so that the snapshot plus the window reproduce the present).
   */
  readonly record?: boolean | 'window';
  /** Opaque description of how the world was set up (world parameters, scenario), stored in the log. */
  readonly setup?: unknown;
  readonly mailboxCapacity?: number;
  readonly cellSize?: number;
  readonly pathExpansionsPerStep?: number;
  /** Activity level of detail (see WorldConfig.lodRadius); off by default. */
  readonly lodRadius?: number;
  readonly lodStride?: number;
  /** First actor id and end (exclusive) of this world's own ids: a zone's range (see `zoneIdRange`). */
  readonly idBase?: number;
  readonly idEnd?: number;
  /** Tick the world starts at (default 0): a zone created later starts at the world's present tick. */
  readonly startTick?: number;
  /** Most steps one `advance` may run (default 10); time beyond is dropped and counted. */
  readonly maxStepsPerAdvance?: number;
}

/** Inputs and replies delivered since `baseTick` (the tick of the snapshot the window starts from). */
export interface RecordingWindow {
  readonly baseTick: number;
  readonly entries: LogEntry[];
}

/**
 * Drives a world: queues inputs and replies for the next step, steps it (directly or from elapsed time through
 * a fixed-step accumulator), and records everything delivered so that {@link replay} reproduces the run.
 */
export class Simulation {
  readonly world: World;
  readonly log: EventLog | null;
  /** The flight recorder's window (with `record: 'window'`). */
  window: RecordingWindow | null;
  private readonly accumulator: FixedStep;
  private inputs: WorldInput[] = [];
  private replies: ReplyInput[] = [];

  constructor(opts: SimulationOptions, restored?: World) {
    this.world = restored ?? createWorld({
      seed: opts.seed,
      registry: opts.registry,
      terrain: opts.terrain,
      ...(opts.dt !== undefined && { dt: opts.dt }),
      ...(opts.mailboxCapacity !== undefined && { mailboxCapacity: opts.mailboxCapacity }),
      ...(opts.cellSize !== undefined && { cellSize: opts.cellSize }),
      ...(opts.lodRadius !== undefined && { lodRadius: opts.lodRadius }),
      ...(opts.pathExpansionsPerStep !== undefined && { pathExpansionsPerStep: opts.pathExpansionsPerStep }),
      ...(opts.lodStride !== undefined && { lodStride: opts.lodStride }),
      ...(opts.idBase !== undefined && { idBase: opts.idBase }),
      ...(opts.idEnd !== undefined && { idEnd: opts.idEnd }),
      ...(opts.startTick !== undefined && { startTick: opts.startTick }),
    });
    this.accumulator = new FixedStep(this.world.config.dt, opts.maxStepsPerAdvance ?? 10);
    this.window = opts.record === 'window' ? { baseTick: this.world.tick, entries: [] } : null;
    this.log = opts.record === false || opts.record === 'window'
      ? null
      : {
          format: 'lairmind-event-log',
          version: 1,
          seed: this.world.config.seed,
          dt: this.world.config.dt,
          setup: opts.setup ?? null,
          world: (({ mailboxCapacity, cellSize, lodRadius, lodStride, pathExpansionsPerStep, idBase, idEnd }) => ({
            mailboxCapacity, cellSize, lodRadius, lodStride, pathExpansionsPerStep, ...(idBase !== 1 && { idBase }), ...(idEnd !== 2 ** 32 && { idEnd }),
            ...(!restored && opts.startTick && { startTick: opts.startTick }),
          }))(this.world.config),
          entries: [],
          ticks: 0,
        };
  }

  /**
   * A simulation that continues a captured world (see `captureWorld`): the seed, step length and world settings
   * come from the image; `opts` gives the behaviours, the terrain and what to record.
   */
  static fromImage(image: WorldImage, opts: Omit<SimulationOptions, 'seed' | 'dt' | 'mailboxCapacity' | 'cellSize' | 'pathExpansionsPerStep' | 'lodRadius' | 'lodStride' | 'idBase' | 'idEnd' | 'startTick'>): Simulation {
    const world = restoreWorld(image, opts);
    return new Simulation({ ...opts, seed: world.config.seed, dt: world.config.dt }, world);
  }

  /** Start a new recording window at the present tick; returns the one it ends (null when not recording windows). */
  cutWindow(): RecordingWindow | null {
    const ended = this.window;
    if (ended) this.window = { baseTick: this.world.tick, entries: [] };
    return ended;
  }

  /** Queue an input for the next step. */
  input(input: WorldInput): void {
    this.inputs.push(input);
  }

  /** Queue a mind's reply for the next step. */
  reply(reply: ReplyInput): void {
    this.replies.push(reply);
  }

  /** Inputs and replies waiting for the next step. */
  get queued(): number {
    return this.inputs.length + this.replies.length;
  }

  /** Run one step with everything queued. */
  step(): StepReport {
    const inputs = this.inputs;
    const replies = this.replies;
    this.inputs = [];
    this.replies = [];
    const entries = this.log?.entries ?? this.window?.entries;
    if (entries) {
      const tick = this.world.tick + 1;
      for (const input of inputs) entries.push({ tick, input });
      for (const reply of replies) entries.push({ tick, reply });
    }
    const report = step(this.world, this.world.config.dt, { inputs, replies });
    if (this.log) this.log.ticks = this.world.tick;
    return report;
  }

  /** Run `n` steps; `onStep` sees each step's report (e.g. to answer mind requests). */
  run(n: number, onStep?: (report: StepReport) => void): void {
    for (let i = 0; i < n; i++) {
      const r = this.step();
      onStep?.(r);
    }
  }

  /** Feed elapsed time (seconds) through the fixed-step accumulator; returns the number of steps run. */
  advance(elapsedSeconds: number, onStep?: (report: StepReport) => void): number {
    const n = this.accumulator.advance(elapsedSeconds);
    this.run(n, onStep);
    return n;
  }

  /** Seconds dropped because an `advance` asked for more steps than allowed. */
  get droppedSeconds(): number {
    return this.accumulator.droppedSeconds;
  }

  /** Stable hash of the world state. */
  hash(): string {
    return stateHash(this.world);
  }
}

/** Check a parsed JSON value is an event log; the error names the bad field. */
export function parseEventLog(value: unknown): EventLog {
  return parseWith(EventLogSchema, value, 'event log') as EventLog;
}

/**
 * Re-run a recorded log from its seed: the same inputs and replies at the same ticks give the same state,
 * bit for bit. `terrain` must be the one the log was recorded with (rebuild it from `log.setup`).
 */
export function replay(log: EventLog, opts: { registry: BehaviourRegistry; terrain: TerrainQuery }): Simulation {
  const checked = parseEventLog(log);
  const sim = new Simulation({ ...checked.world, ...opts, seed: checked.seed, dt: checked.dt, setup: checked.setup });
  let i = 0;
  const entries = checked.entries;
  for (let tick = (checked.world?.startTick ?? 0) + 1; tick <= checked.ticks; tick++) {
    while (i < entries.length && (entries[i] as { tick: number }).tick === tick) {
      const e = entries[i++] as EventLog['entries'][number];
      if ('input' in e) sim.input(e.input);
      else sim.reply(e.reply);
    }
    if (i < entries.length && (entries[i] as { tick: number }).tick < tick) {
      throw new ValidationError('event log', [{ path: ['entries', i, 'tick'], message: 'entries must be in ascending tick order' }]);
    }
    sim.step();
  }
  return sim;
}
