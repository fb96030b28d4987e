import type { OutboxEntry } from './zones/zoneLink.ts';
import { z } from 'zod';
import { checkScenario, decodeSnapshot, defaultRegistry, EventLogSchema, Simulation } from '../actors/index.ts';
import type { LogEntry, Scenario, SnapshotHeader } from '../actors/index.ts';
import { createWorldGen } from '../procgen/index.ts';
import type { WorldGen } from '../procgen/index.ts';
import { parseWith, ValidationError } from '../shared/index.ts';
import type { WorldRoomOptions } from './roomOptions.ts';

/** What a room writes into its snapshots' header: enough to bring the room back on any process. */
export interface RoomSnapshotMeta {
  readonly roomName: string;
  readonly roomId: string;
  readonly options: WorldRoomOptions;
  /** The scenario the room was created from, in full (a designer's ad-hoc scenario exists nowhere else). */
  readonly scenario: { readonly name: string; readonly document: Scenario } | null;
  /** Players in the room at capture: who may take their avatar back, by the SHA-256 of their resume key. */
  readonly players: readonly { readonly resume: string; readonly actor: number; readonly name: string; readonly tier: string; readonly account: string | null }[];
  readonly adminSeq: number;
  readonly joins: number;
  /** A zone's handovers not yet acknowledged by their new zone (the actors are in no world meanwhile). */
  readonly zone?: { readonly outbox: readonly OutboxEntry[] };
}

/** The world generator a room with these options runs on (the same for a restore or a replay as at creation). */
export function roomWorldGen(options: Pick<WorldRoomOptions, 'seed' | 'worldSize' | 'monsterDensity'>): WorldGen {
  // Keep every chunk of the populated region cached (monsters roam it), plus a margin for players.
  const chunksAcross = Math.ceil(options.worldSize / 64) + 2;
  return createWorldGen({
    seed: options.seed,
    spawns: { densityScale: options.monsterDensity, packRadius: 4 },
    cache: { maxChunks: chunksAcross * chunksAcross + 256 },
  });
}

/** Read a snapshot's room description; throws a ValidationError naming the bad field. */
export function roomMetaOf(header: SnapshotHeader): RoomSnapshotMeta {
  const meta = header.meta as RoomSnapshotMeta | null;
  if (!meta || typeof meta !== 'object' || typeof meta.roomId !== 'string' || typeof meta.options !== 'object' || meta.options === null || !Array.isArray(meta.players)) {
    throw new ValidationError('snapshot', [{ path: ['meta'], message: 'not a room snapshot (no room id, options or players)' }]);
  }
  if (meta.scenario) {
    const r = checkScenario(meta.scenario.document);
    if (!r.ok) throw new ValidationError('snapshot', r.issues.map((i) => ({ path: ['meta', 'scenario', 'document', ...i.path], message: i.message })));
  }
  return meta;
}

/**
 * A live room's flight recorder, saved: its latest snapshot and every input and mind reply delivered since, up to
 * tick `ticks`, where the room's state hash was `finalHash`. Replaying it reproduces that state bit for bit.
 */
export interface Recording {
  readonly format: 'lairmind-recording';
  readonly version: 1;
  readonly roomId: string;
  /** The snapshot, base64. */
  readonly snapshot: string;
  readonly baseTick: number;
  readonly entries: LogEntry[];
  readonly ticks: number;
  readonly finalHash: string;
}

const RecordingSchema = z.object({
  format: z.literal('lairmind-recording'),
  version: z.literal(1),
  roomId: z.string(),
  snapshot: z.string().min(1),
  baseTick: z.number().int().nonnegative(),
  entries: EventLogSchema.shape.entries,
  ticks: z.number().int().nonnegative(),
  finalHash: z.string(),
}).strict();

/** Check a parsed JSON value is a recording; the error names the bad field. */
export function parseRecording(value: unknown): Recording {
  const r = parseWith(RecordingSchema, value, 'recording') as Recording;
  if (r.ticks < r.baseTick) throw new ValidationError('recording', [{ path: ['ticks'], message: `ends at tick ${r.ticks}, before its snapshot's tick ${r.baseTick}` }]);
  for (let i = 0; i < r.entries.length; i++) {
    const t = (r.entries[i] as LogEntry).tick;
    if (t <= r.baseTick || t > r.ticks || (i > 0 && t < (r.entries[i - 1] as LogEntry).tick)) {
      throw new ValidationError('recording', [{ path: ['entries', i, 'tick'], message: `tick ${t} is outside ${r.baseTick + 1}..${r.ticks} or out of order` }]);
    }
  }
  return r;
}

/** Where a replay stopped, and whether it reproduced the recorded state. */
export interface ReplayResult {
  readonly sim: Simulation;
  readonly meta: RoomSnapshotMeta;
  readonly baseTick: number;
  /** null when stopped early (`until`): there is no recorded hash for that tick. */
  readonly matches: boolean | null;
  readonly expectedHash: string;
}

/**
 * Replay a recording headless: restore its snapshot, deliver its entries on their ticks, and step to its last tick
 * (or to `until`, for inspection). Everything comes from the recording itself: seed, options, scenario and ticks.
 */
export function replayRecording(input: Recording, opts: { until?: number } = {}): ReplayResult {
  const rec = parseRecording(input);
  const until = opts.until ?? rec.ticks;
  if (!Number.isInteger(until) || until < rec.baseTick || until > rec.ticks) {
    throw new RangeError(`--until ${until}: the recording covers ticks ${rec.baseTick}..${rec.ticks}`);
  }
  const { header, image } = decodeSnapshot(new Uint8Array(Buffer.from(rec.snapshot, 'base64')));
  if (header.tick !== rec.baseTick) throw new ValidationError('recording', [{ path: ['baseTick'], message: `is ${rec.baseTick} but the snapshot was taken at tick ${header.tick}` }]);
  const meta = roomMetaOf(header);
  const sim = Simulation.fromImage(image, { registry: defaultRegistry(), terrain: roomWorldGen(meta.options), record: false });
  feedEntries(sim, rec.entries, until);
  return { sim, meta, baseTick: rec.baseTick, matches: until === rec.ticks ? sim.hash() === rec.finalHash : null, expectedHash: rec.finalHash };
}

/** Deliver `entries` (ascending ticks, all after the simulation's tick) on their ticks, stepping up to `until`. */
export function feedEntries(sim: Simulation, entries: readonly LogEntry[], until: number): void {
  let i = 0;
  while (i < entries.length && (entries[i] as LogEntry).tick <= sim.world.tick) i++;
  while (sim.world.tick < until) {
    const next = sim.world.tick + 1;
    while (i < entries.length && (entries[i] as LogEntry).tick === next) {
      const e = entries[i++] as LogEntry;
      if ('input' in e) sim.input(e.input);
      else sim.reply(e.reply);
    }
    sim.step();
  }
}
