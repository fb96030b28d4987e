import { z } from 'zod';
import { parseWith } from '../shared/index.ts';

/** Options of a `world` room (from the creating client, merged over the server's defaults). */
export const WorldRoomOptionsSchema = z.object({
  /** World seed. */
  seed: z.union([z.string().min(1).max(128), z.number().int().safe()]).default('lairmind'),
  /** Side in tiles of the square region, centred on (0, 0), whose generated monster packs are spawned. */
  worldSize: z.number().int().min(32).max(8192).default(512),
  /** Multiplies the generated monster density (0 spawns no wild packs). */
  monsterDensity: z.number().min(0).max(100).default(1),
  /** Scenario file name (scenarios are loaded by the designers' tools). */
  scenario: z.string().min(1).max(128).optional(),
  maxClients: z.number().int().min(1).max(2000).default(200),
  /** Simulation steps per second. */
  tickRate: z.number().int().min(1).max(120).default(20),
  /** State patches sent per second. */
  patchRate: z.number().int().min(1).max(60).default(20),
  /** Radius of a client's view in world units; entities leave it beyond radius × 1.25. */
  viewRadius: z.number().min(4).max(4096).default(24),
  /** Monsters with no player within this radius step at a reduced rate (0 turns it off). */
  lodRadius: z.number().min(0).max(4096).default(48),
  /** ... every this many ticks. */
  lodStride: z.number().int().min(1).max(20).default(4),
  /** Views are recomputed every this many ticks. */
  viewRefreshTicks: z.number().int().min(1).max(60).default(5),
  /** Seconds a dropped client may take to reconnect; its avatar waits in place. */
  reconnectSeconds: z.number().min(0).max(600).default(20),
  /**
   * Testing only: extra milliseconds of busy work added to every simulation step, to prove that load-test budgets
   * catch a slow room. Set by the server (DEBUG_SLOW_TICK_MS), never by clients: server defaults win.
   */
  debugSlowTickMs: z.number().min(0).max(1000).default(0),
  /** LLM tier of the room's coordinator (gateway tiers: `free` plays on the local tactician, `premium`, `whale`). */
  llmTier: z.string().min(1).max(32).default('free'),
  /** USD the room's coordinator may spend on cloud plans over the room's life (then the local tactician plans). */
  llmBudgetUsd: z.number().min(0).max(1000).default(0.05),
  /** A player's display name (join option). */
  name: z.string().max(32).optional(),
}).passthrough();

export type WorldRoomOptions = z.output<typeof WorldRoomOptionsSchema>;

/** Validate room options; the error names every bad field. */
export function parseRoomOptions(input: unknown): WorldRoomOptions {
  return parseWith(WorldRoomOptionsSchema, input ?? {}, 'room options');
}
