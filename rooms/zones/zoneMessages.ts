import { z } from 'zod';

/**
 * What zones say to each other over presence pub/sub, each on the receiving zone's channel. Another process is
 * trusted no more than a client: every message is checked before it is acted on, and a bad one is dropped with a
 * log line naming what was wrong.
 */
const id = z.number().int().positive().max(2 ** 32 - 1);
const zoneKey = z.string().regex(/^-?\d+_-?\d+$/);

/** A neighbour's actor seen across the border: read-only here. */
export const GhostWireSchema = z.object({
  id,
  kind: z.string().min(1).max(32),
  x: z.number().finite(),
  y: z.number().finite(),
  vx: z.number().finite(),
  vy: z.number().finite(),
  heading: z.number().finite(),
  radius: z.number().finite().min(0),
  hp: z.number().finite(),
  maxHp: z.number().finite(),
  faction: z.string().min(1).max(32),
  tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  speed: z.number().finite().min(0).optional(),
  alive: z.boolean().optional(),
  /** Spawn protection: foes across the border do not pick it as a target either. */
  shielded: z.boolean().optional(),
});

export const ZoneMessageSchema = z.discriminatedUnion('t', [
  /** An actor is on its way to the receiver: its transfer is in the ownership record `hid` names. */
  z.object({ t: z.literal('handover'), from: zoneKey, actor: id, hid: z.string().min(1).max(64) }),
  /** The receiver of a handover has the actor: the sender forgets it. */
  z.object({ t: z.literal('ack'), from: zoneKey, actor: id, hid: z.string().min(1).max(64) }),
  /** The sender's actors within the margin of the receiver's square, replacing the previous set from it. */
  z.object({ t: z.literal('ghosts'), from: zoneKey, tick: z.number().int().min(0), ghosts: z.array(GhostWireSchema).max(20_000) }),
  /** A blow an actor of the sender landed on one of the receiver's actors. */
  z.object({ t: z.literal('damage'), actor: id, amount: z.number().finite().min(0).max(1e6), source: id }),
  /** A message for one of the receiver's actors (a pack order, a player's input that reached the old zone). */
  z.object({ t: z.literal('send'), to: id, message: z.record(z.string(), z.unknown()) }),
]);

export type ZoneMessage = z.output<typeof ZoneMessageSchema>;
export type GhostWire = z.output<typeof GhostWireSchema>;

/** The presence channel a zone listens on. */
export function zoneChannel(roomId: string): string {
  return `lm:zone:${roomId}`;
}

/** The presence hash of a world's ownership records (actor id → {@link OwnershipRecord} JSON). */
export function ownershipKey(worldId: string): string {
  return `lm:zones:${worldId}:actors`;
}

/**
 * Where an actor that crossed a border lives now. Writing it is the commit point of a handover: the actor
 * belongs to `zone` from then on, whatever the sender's or receiver's process does next.
 */
export const OwnershipRecordSchema = z.object({
  zone: zoneKey,
  /** The handover that wrote it: `<from>@<tick>#<actor>`. */
  hid: z.string().min(1).max(64),
  /** The actor as it left its zone (base64 of its transfer bytes). */
  transfer: z.string().min(1),
  /** Set for a player's avatar: who plays it. */
  player: z.object({
    name: z.string().max(64),
    tier: z.string().max(32),
    account: z.string().max(128).nullable(),
    guest: z.boolean(),
    /** SHA-256 of the player's resume key. */
    resume: z.string().regex(/^[0-9a-f]{64}$/),
  }).nullable(),
});

export type OwnershipRecord = z.output<typeof OwnershipRecordSchema>;
