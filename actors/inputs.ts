import type { GhostBody } from './ghosts/ghostBody.ts';
import type { ActorId } from './ids.ts';
import type { Message } from './messages.ts';
import type { SpawnSpec } from './spawnSpec.ts';
import type { ActorTransfer } from './transfer/actorTransfer.ts';

/** Something from outside the simulation (players, designers, the host), applied at the start of a step. */
export type WorldInput =
  /** `ref` (e.g. a session id) comes back with the new actor's id in the step report's `refs`. */
  | { readonly type: 'spawn'; readonly spec: SpawnSpec; readonly ref?: string }
  | { readonly type: 'stop'; readonly actor: ActorId }
  | { readonly type: 'send'; readonly to: ActorId; readonly message: Message }
  /** The actor leaves this world alive: listed in `removed` and, with its transfer, in `released`. */
  | { readonly type: 'release'; readonly actor: ActorId }
  /** A released actor enters with its own id (listed in `spawned` and `adopted`); refused if that id lives here. */
  | { readonly type: 'adopt'; readonly transfer: ActorTransfer }
  /** The border margin zone `source` publishes: replaces that source's ghosts (missing ones vanish). */
  | { readonly type: 'ghosts'; readonly source: string; readonly ghosts: readonly GhostBody[] }
  /** A blow of `amount` hp on `actor` by actor `source` of another zone, applied as a local blow. */
  | { readonly type: 'damage'; readonly actor: ActorId; readonly amount: number; readonly source: ActorId };

/** A mind's answer to a {@link MindRequest}, applied at the start of a step. */
export type ReplyInput =
  | { readonly requestId: number; readonly ok: true; readonly value: unknown }
  | { readonly requestId: number; readonly ok: false; readonly error: string };

/** Everything a step consumes besides the world and its time step. */
export interface StepInputs {
  readonly inputs?: readonly WorldInput[];
  readonly replies?: readonly ReplyInput[];
}
