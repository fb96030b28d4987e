import { z } from 'zod';
import { ValidationError } from '../shared/index.ts';

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
  /** A player's display name (join option). */
  name: z.string().max(32).optional(),
}).passthrough();

export type WorldRoomOptions = z.output<typeof WorldRoomOptionsSchema>;

/** Validate room options; the error names every bad field. */
export function parseRoomOptions(input: unknown): WorldRoomOptions {
  const r = WorldRoomOptionsSchema.safeParse(input ?? {});
  if (!r.success) throw new ValidationError('room options', r.error.issues);
  return r.data;
}
