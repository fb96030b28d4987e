import { z } from 'zod';
import type { ReplyInput, WorldInput } from './inputs.ts';

/** One recorded thing from outside the simulation, with the tick it was delivered on. */
export type LogEntry =
  | { readonly tick: number; readonly input: WorldInput }
  | { readonly tick: number; readonly reply: ReplyInput };

/**
 * Everything needed to reproduce a run: the seed, step length, the caller's own setup (e.g. world
 * parameters or a scenario, opaque here), every input and reply with its tick, and how many ticks ran.
 */
export interface EventLog {
  readonly format: 'lairmind-event-log';
  readonly version: 1;
  readonly seed: string;
  readonly dt: number;
  readonly setup: unknown;
  /** World settings that shape the run besides seed and dt. */
  readonly world?: {
    readonly mailboxCapacity: number; readonly cellSize: number; readonly lodRadius: number; readonly lodStride: number; readonly pathExpansionsPerStep: number;
    /** A zone's id range (absent: the defaults), and the tick it started at (absent: 0). */
    readonly idBase?: number; readonly idEnd?: number; readonly startTick?: number;
  };
  readonly entries: LogEntry[];
  ticks: number;
}

const EntrySchema = z.union([
  z.object({ tick: z.number().int().positive(), input: z.object({ type: z.enum(['spawn', 'stop', 'send', 'release', 'adopt', 'ghosts', 'damage']) }).passthrough() }),
  z.object({ tick: z.number().int().positive(), reply: z.object({ requestId: z.number().int(), ok: z.boolean() }).passthrough() }),
]);

/** Shape of a saved log; `parseEventLog` names the bad field of a damaged file. */
export const EventLogSchema = z.object({
  format: z.literal('lairmind-event-log'),
  version: z.literal(1),
  seed: z.string(),
  dt: z.number().positive().max(1),
  setup: z.unknown(),
  world: z.object({
    mailboxCapacity: z.number().int().positive(),
    cellSize: z.number().positive(),
    lodRadius: z.number().nonnegative(),
    lodStride: z.number().int().positive(),
    pathExpansionsPerStep: z.number().int().positive(),
    idBase: z.number().int().positive().optional(),
    idEnd: z.number().int().positive().optional(),
    startTick: z.number().int().nonnegative().optional(),
  }).optional(),
  entries: z.array(EntrySchema),
  ticks: z.number().int().nonnegative(),
});
