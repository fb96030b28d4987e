import type { ActorId } from '../ids.ts';
import type { Message } from '../messages.ts';

/** Format tag of an {@link ActorTransfer}. */
export const TRANSFER_FORMAT = 'lairmind-actor';
/** The transfer version this build writes and reads. */
export const TRANSFER_VERSION = 1;

/** An actor's body as it travels (world units, units per second, radians). */
export interface TransferBody {
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
  readonly heading: number;
  readonly radius: number;
  readonly speed: number;
  readonly hp: number;
  readonly maxHp: number;
  readonly alive: boolean;
  readonly faction: string;
  readonly homeX: number;
  readonly homeY: number;
}

/**
 * One actor leaving a world alive, as plain data (survives msgpack, structured clone and JSON as far as its
 * behaviour state does): everything a snapshot keeps of it, with its timers relative to the release and the mind
 * ports it was waiting on. Made by a `release` input (in `out.released`), consumed by an `adopt` input.
 */
export interface ActorTransfer {
  readonly format: typeof TRANSFER_FORMAT;
  readonly version: typeof TRANSFER_VERSION;
  /** Seed of the world it left: only a world of the same seed adopts it (its random stream is named after it). */
  readonly seed: string;
  /** Tick and simulation time (seconds) of the world it left, at release. */
  readonly tick: number;
  readonly time: number;
  readonly id: ActorId;
  readonly kind: string;
  readonly behaviour: string;
  readonly status: 'running' | 'suspended';
  readonly params: unknown;
  readonly tags: Readonly<Record<string, string | number | boolean>> | null;
  /** Its parent's id (it may live in another world), or 0. */
  readonly parent: ActorId;
  readonly incarnation: number;
  readonly failures: number;
  /** Level of detail: no player was near. */
  readonly far: boolean;
  readonly state: unknown;
  /** Messages queued for it, oldest first. */
  readonly mailbox: readonly Message[];
  /** Simulation times of its recent restarts (for the restart limit). */
  readonly restarts: readonly number[] | null;
  /** Its random stream (c, s0, s1, s2), or null when it never drew. */
  readonly rng: readonly [number, number, number, number] | null;
  readonly body: TransferBody;
  /** Its live timers in firing order: each fires `delay` seconds after the adoption's step time. */
  readonly timers: readonly { readonly key: string; readonly delay: number; readonly data?: unknown }[];
  /** The mind ports it was waiting on (with the ask's key): each fails with error `moved` when adopted. */
  readonly waiting: readonly { readonly port: string; readonly key?: string }[];
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

const BODY_NUMBERS = ['x', 'y', 'vx', 'vy', 'heading', 'radius', 'speed', 'hp', 'maxHp', 'homeX', 'homeY'] as const;

/** Why `value` is not an {@link ActorTransfer} this build reads, naming the field, or null when it is one. */
export function transferProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `expected an actor transfer object, got ${value === null ? 'null' : typeof value}`;
  const t = value as Record<string, unknown>;
  if (t.format !== TRANSFER_FORMAT) return `format: expected '${TRANSFER_FORMAT}', got ${JSON.stringify(t.format)}`;
  if (t.version !== TRANSFER_VERSION) return `version: this server reads actor transfers of version ${TRANSFER_VERSION}, got ${JSON.stringify(t.version)}`;
  if (typeof t.seed !== 'string') return `seed: expected a string, got ${JSON.stringify(t.seed)}`;
  if (!(Number.isInteger(t.id) && (t.id as number) >= 1 && (t.id as number) < 2 ** 32)) return `id: expected an integer actor id in 1..2^32-1, got ${JSON.stringify(t.id)}`;
  for (const k of ['kind', 'behaviour'] as const) if (typeof t[k] !== 'string' || t[k] === '') return `${k}: expected a non-empty string, got ${JSON.stringify(t[k])}`;
  if (t.status !== 'running' && t.status !== 'suspended') return `status: expected running or suspended, got ${JSON.stringify(t.status)}`;
  for (const k of ['tick', 'parent', 'incarnation', 'failures'] as const) if (!(Number.isInteger(t[k]) && (t[k] as number) >= 0)) return `${k}: expected an integer >= 0, got ${JSON.stringify(t[k])}`;
  if (!finite(t.time)) return `time: expected a finite number of seconds, got ${JSON.stringify(t.time)}`;
  if (typeof t.far !== 'boolean') return `far: expected a boolean, got ${JSON.stringify(t.far)}`;
  if (t.tags !== null && (typeof t.tags !== 'object' || Array.isArray(t.tags))) return 'tags: expected an object or null';
  if (!Array.isArray(t.mailbox) || t.mailbox.some((m) => typeof m !== 'object' || m === null || typeof (m as { type?: unknown }).type !== 'string')) return 'mailbox: expected a list of messages ({ type, … })';
  if (t.restarts !== null && !(Array.isArray(t.restarts) && t.restarts.every(finite))) return 'restarts: expected a list of numbers or null';
  if (t.rng !== null && !(Array.isArray(t.rng) && t.rng.length === 4 && t.rng.every(finite))) return 'rng: expected [c, s0, s1, s2] (four finite numbers) or null';
  const b = t.body as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null) return 'body: expected an object (only actors with a body travel)';
  for (const k of BODY_NUMBERS) if (!finite(b[k])) return `body.${k}: expected a finite number, got ${JSON.stringify(b[k])}`;
  if (typeof b.alive !== 'boolean') return `body.alive: expected a boolean, got ${JSON.stringify(b.alive)}`;
  if (typeof b.faction !== 'string') return `body.faction: expected a string, got ${JSON.stringify(b.faction)}`;
  if (!Array.isArray(t.timers)) return 'timers: expected a list';
  for (let i = 0; i < t.timers.length; i++) {
    const x = t.timers[i] as Record<string, unknown> | null;
    if (typeof x !== 'object' || x === null || typeof x.key !== 'string' || x.key === '') return `timers[${i}].key: expected a non-empty string`;
    if (!finite(x.delay)) return `timers[${i}].delay: expected a finite number of seconds, got ${JSON.stringify(x.delay)}`;
  }
  if (!Array.isArray(t.waiting)) return 'waiting: expected a list';
  for (let i = 0; i < t.waiting.length; i++) {
    const x = t.waiting[i] as Record<string, unknown> | null;
    if (typeof x !== 'object' || x === null || typeof x.port !== 'string' || x.port === '') return `waiting[${i}].port: expected a non-empty string`;
    if (x.key !== undefined && x.key !== null && typeof x.key !== 'string') return `waiting[${i}].key: expected a string when given`;
  }
  return null;
}
