import { z } from 'zod';
import { DEFAULT_SEED, formatIssues, parseWith, ZONE_COORD_MAX, ZONE_COORD_MIN } from '../shared/index.ts';

/** Seconds a seat reserved by matchmaking is held for its client (Colyseus' default is 15). */
export const DEFAULT_SEAT_RESERVATION_SECONDS = 8;

/** Options of a `world` room (from the creating client, merged over the server's defaults). */
export const WorldRoomOptionsSchema = z.object({
  /** World seed. */
  seed: z.union([z.string().min(1).max(128), z.number().int().safe()]).default(DEFAULT_SEED),
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
  /** Seconds a seat reserved by matchmaking waits for its client to connect before it is given back. */
  seatReservationSeconds: z.number().min(1).max(60).default(DEFAULT_SEAT_RESERVATION_SECONDS),
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
  /** The admin API's proof that it created the room (checked, then dropped, by the room). */
  adminKey: z.string().optional(),
  /** A process-local restore ticket: the room continues a snapshot (set by the server only). */
  restore: z.string().min(1).max(64).optional(),
  /**
   * The zone this room simulates, when the world is split into zones (room `zone`): set by the server, which
   * creates zones as players and monsters need them. Without it the room holds the whole world.
   */
  zone: z.object({ x: z.number().int().min(ZONE_COORD_MIN).max(ZONE_COORD_MAX), y: z.number().int().min(ZONE_COORD_MIN).max(ZONE_COORD_MAX) }).strict().optional(),
  /** Side of a zone, tiles (rooms of a zoned world). */
  zoneSize: z.number().int().min(16).max(4096).default(128),
  /** Seconds a zone stays up with no player in it or near it before it sleeps (snapshot, then disposed). */
  zoneSleepSeconds: z.number().min(1).max(3600).default(30),
  /** A player's resume key (join option, see {@link PlayerOptionsSchema}); unused at creation. */
  resume: z.string().regex(/^[0-9a-f]{32}$/).optional(),
}).strict();

export type WorldRoomOptions = z.output<typeof WorldRoomOptionsSchema>;

/** Validate room options; the error names every bad field. */
export function parseRoomOptions(input: unknown): WorldRoomOptions {
  return parseWith(WorldRoomOptionsSchema, input ?? {}, 'room options');
}

/**
 * What a player may choose when creating or joining a room through matchmaking: a display name, and a scenario
 * (which the server then allows only when it is public). Every other room option is the server's.
 */
export const PlayerOptionsSchema = z.object({
  name: z.string().max(32).optional(),
  scenario: z.string().min(1).max(128).optional(),
  /** The key a room gave this player (message `resume`), to take its avatar back after the room was restored. */
  resume: z.string().regex(/^[0-9a-f]{32}$/, 'expected the 32 hex digits the room sent in its resume message').optional(),
}).strict();

export type PlayerOptions = z.output<typeof PlayerOptionsSchema>;

/** Keys of {@link PlayerOptionsSchema}. */
export const PLAYER_OPTION_KEYS = Object.keys(PlayerOptionsSchema.shape) as (keyof PlayerOptions)[];

/** Player options, or what is wrong with them: the first key a player may not set, or the bad field's path. */
export type CheckedPlayerOptions = { ok: true; value: PlayerOptions } | { ok: false; error: string };

/** Check the options a player sent to create or join a room (a plain object already). */
export function checkPlayerOptions(input: Readonly<Record<string, unknown>>): CheckedPlayerOptions {
  const allowed: readonly string[] = PLAYER_OPTION_KEYS;
  const serverKeys = Object.keys(WorldRoomOptionsSchema.shape);
  for (const key of Object.keys(input)) {
    if (allowed.includes(key)) continue;
    const shown = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
    const why = serverKeys.includes(key) ? 'is set by the server' : 'is not a room option';
    return { ok: false, error: `room option ${shown} ${why}; a player may set only ${allowed.join(', ')}` };
  }
  const r = PlayerOptionsSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: formatIssues(r.error.issues.map((i) => ({ ...i, path: ['options', ...i.path] }))) };
}
