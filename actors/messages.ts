import type { ActorId } from './ids.ts';

/** Sent to every actor once per step, after its mailbox has been drained. Shared, never allocated per tick. */
export interface TickMessage {
  readonly type: 'tick';
}

/** The answer to an `ask` effect, delivered on a later tick; `key` echoes a keyed ask's key. */
export type ReplyMessage =
  | { readonly type: 'reply'; readonly port: string; readonly requestId: number; readonly ok: true; readonly value: unknown; readonly key?: string }
  | { readonly type: 'reply'; readonly port: string; readonly requestId: number; readonly ok: false; readonly error: string; readonly key?: string };

/**
 * The error of a reply to an ask made in another world before the actor moved here (see the `adopt` input): the
 * answer went to the world it left, so the behaviour should ask again.
 */
export const MOVED = 'moved';

/** This actor's body took damage. */
export interface HitMessage {
  readonly type: 'hit';
  readonly from: ActorId;
  readonly amount: number;
}

/** This actor's body reached 0 hp. */
export interface DiedMessage {
  readonly type: 'died';
  readonly by: ActorId;
}

/** A child whose supervision policy is `escalate` failed; the parent decides with a `supervise` effect. */
export interface ChildFailedMessage {
  readonly type: 'childFailed';
  readonly child: ActorId;
  readonly error: string;
}

/** A player's command, validated at the room edge and routed to the player's actor. */
export interface CommandMessage {
  readonly type: 'command';
  /** Desired movement direction; each component in [-1, 1]. */
  readonly move?: { readonly x: number; readonly y: number };
  /** Point to walk to, in world units (ignored when `move` is given). */
  readonly goto?: { readonly x: number; readonly y: number };
  /** Actor to attack. */
  readonly attack?: ActorId;
  /** Come back to life at this point (world units); only a dead avatar obeys it. */
  readonly respawn?: { readonly x: number; readonly y: number };
}

/** A timer fired that a behaviour set with a `timer` effect. */
export interface TimerMessage {
  readonly type: 'timer';
  readonly key: string;
  readonly data?: unknown;
}

/** Free-form message between actors (call for help, report a target, …): `topic` names it. */
export interface SignalMessage {
  readonly type: 'signal';
  readonly topic: string;
  readonly from: ActorId;
  readonly data?: unknown;
}

/** The answer to a `findPath` effect: waypoints as a flat [x0, y0, x1, y1, …] list of tile centres in world units. */
export interface PathMessage {
  readonly type: 'path';
  readonly ok: boolean;
  readonly waypoints: readonly number[];
  /** `found`, `unreachable` or `limit` (the search gave up). */
  readonly status: string;
}

/** Every message an actor can receive. Declared once; behaviours switch on `type`. */
export type Message =
  | TickMessage
  | ReplyMessage
  | HitMessage
  | DiedMessage
  | ChildFailedMessage
  | CommandMessage
  | TimerMessage
  | SignalMessage
  | PathMessage;

/** The one shared tick message. */
export const TICK: TickMessage = Object.freeze({ type: 'tick' });

const MESSAGE_TYPES = new Set<string>(['tick', 'reply', 'hit', 'died', 'childFailed', 'command', 'timer', 'signal', 'path']);

/** Why `value` is not a Message, or null when it is one (shallow check of the tag). */
export function messageProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `message must be an object, got ${value === null ? 'null' : typeof value}`;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return 'message.type must be a string';
  if (!MESSAGE_TYPES.has(type)) return `message.type '${type}' is not one of ${[...MESSAGE_TYPES].join(', ')}`;
  return null;
}
