import type { ActorId } from './ids.ts';
import type { Message } from './messages.ts';
import type { SpawnSpec } from './spawnSpec.ts';

/** A notable thing that happened, for the projection (speech bubbles, battle cries, logs). */
export interface WorldEvent {
  readonly kind: 'say' | 'bark' | 'battleCry';
  readonly text: string;
}

/**
 * What a behaviour asks the runtime to do. Behaviours never mutate the world: they return effects, and the
 * runtime performs them after every actor has had its turn, in the order they were returned.
 */
export type Effect =
  /** Queue `message` for actor `to`; delivered on the next tick. */
  | { readonly type: 'send'; readonly to: ActorId; readonly message: Message }
  /** Start a child actor. */
  | { readonly type: 'spawn'; readonly spec: SpawnSpec }
  /** Stop this actor, or one of its children. */
  | { readonly type: 'stop'; readonly target?: ActorId }
  /** Deliver `{ type: 'timer', key, data }` to this actor after `delay` seconds of simulation time; replaces a timer with the same key. */
  | { readonly type: 'timer'; readonly key: string; readonly delay: number; readonly data?: unknown }
  /** Cancel this actor's timer `key` (no-op if none). */
  | { readonly type: 'cancelTimer'; readonly key: string }
  /** Set this actor's body velocity, in world units per second (clamped to the body's speed). */
  | { readonly type: 'move'; readonly vx: number; readonly vy: number }
  /** Hit `target` for `damage` hp if it is within `range` world units (edge to edge). */
  | { readonly type: 'attack'; readonly target: ActorId; readonly damage: number; readonly range: number }
  /** Bring this actor's dead body back with full health, at (x, y) when given (world units), else at its home position. */
  | { readonly type: 'respawn'; readonly x?: number; readonly y?: number }
  /**
   * Ask a mind port (`think`, `plan`, …) for an answer. The runtime assigns a request id; the reply comes back
   * as a `reply` message on a later tick, or a timeout reply after `timeout` seconds. A newer ask on the same
   * port (and the same `key`, when given) supersedes an older one: a coordinator asks per pack with `key`.
   */
  | { readonly type: 'ask'; readonly port: string; readonly payload: unknown; readonly timeout: number; readonly key?: string }
  /** Decide about a child that escalated a failure. */
  | { readonly type: 'supervise'; readonly child: ActorId; readonly action: 'restart' | 'stop' | 'resume' }
  /**
   * Find a path from this actor's body to (x, y) in world units. Searches share a per-tick budget, so the
   * answer, a `path` message, may take a few ticks. A newer request from the same actor replaces an older one.
   */
  | { readonly type: 'findPath'; readonly x: number; readonly y: number }
  /** Publish a world event (speech and the like) from this actor. */
  | { readonly type: 'emit'; readonly event: WorldEvent };

/** An empty effect list, shared so an idle actor allocates nothing. */
export const NO_EFFECTS: readonly Effect[] = Object.freeze([]) as readonly Effect[];

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function actorId(v: unknown): v is ActorId {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/**
 * Why `e` is not a well-formed effect, or null when it is. Checked by the runtime before performing each
 * effect, so a buggy behaviour gets a counted drop with this reason instead of corrupting the world.
 */
export function effectProblem(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return `effect must be an object, got ${e === null ? 'null' : typeof e}`;
  const x = e as Record<string, unknown>;
  switch (x.type) {
    case 'send':
      if (!actorId(x.to)) return `send.to must be a positive integer actor id, got ${String(x.to)}`;
      if (typeof x.message !== 'object' || x.message === null) return 'send.message must be an object';
      return null;
    case 'spawn':
      return typeof x.spec === 'object' && x.spec !== null ? null : 'spawn.spec must be an object';
    case 'stop':
      return x.target === undefined || actorId(x.target) ? null : `stop.target must be an actor id, got ${String(x.target)}`;
    case 'timer':
      if (typeof x.key !== 'string' || x.key.length === 0) return 'timer.key must be a non-empty string';
      if (!finite(x.delay) || x.delay < 0) return `timer.delay must be a finite number of seconds >= 0, got ${String(x.delay)}`;
      return null;
    case 'cancelTimer':
      return typeof x.key === 'string' ? null : 'cancelTimer.key must be a string';
    case 'move':
      if (!finite(x.vx) || !finite(x.vy)) return `move.vx and move.vy must be finite numbers, got ${String(x.vx)}, ${String(x.vy)}`;
      return null;
    case 'attack':
      if (!actorId(x.target)) return `attack.target must be an actor id, got ${String(x.target)}`;
      if (!finite(x.damage) || x.damage < 0) return `attack.damage must be a finite number >= 0, got ${String(x.damage)}`;
      if (!finite(x.range) || x.range < 0) return `attack.range must be a finite number >= 0, got ${String(x.range)}`;
      return null;
    case 'respawn':
      if ((x.x === undefined) !== (x.y === undefined)) return 'respawn.x and respawn.y must be given together';
      return x.x === undefined || (finite(x.x) && finite(x.y)) ? null : `respawn.x and respawn.y must be finite numbers, got ${String(x.x)}, ${String(x.y)}`;
    case 'ask':
      if (typeof x.port !== 'string' || x.port.length === 0) return 'ask.port must be a non-empty string';
      if (!finite(x.timeout) || x.timeout <= 0) return `ask.timeout must be a finite number of seconds > 0, got ${String(x.timeout)}`;
      if (x.key !== undefined && (typeof x.key !== 'string' || x.key.length === 0)) return 'ask.key must be a non-empty string when given';
      return null;
    case 'supervise':
      if (!actorId(x.child)) return `supervise.child must be an actor id, got ${String(x.child)}`;
      if (x.action !== 'restart' && x.action !== 'stop' && x.action !== 'resume') return `supervise.action must be restart, stop or resume, got ${String(x.action)}`;
      return null;
    case 'findPath':
      return finite(x.x) && finite(x.y) ? null : `findPath.x and findPath.y must be finite numbers, got ${String(x.x)}, ${String(x.y)}`;
    case 'emit': {
      const ev = x.event as Record<string, unknown> | null;
      if (typeof ev !== 'object' || ev === null || typeof ev.text !== 'string') return 'emit.event must be { kind, text: string }';
      if (ev.kind !== 'say' && ev.kind !== 'bark' && ev.kind !== 'battleCry') return `emit.event.kind must be say, bark or battleCry, got ${String(ev.kind)}`;
      return null;
    }
    default:
      return `unknown effect type ${JSON.stringify(x.type)}`;
  }
}
