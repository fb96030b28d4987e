import type { ActorId } from './ids.ts';
import type { Message } from './messages.ts';
import type { SpawnSpec } from './spawnSpec.ts';

/** Something from outside the simulation (players, designers, the host), applied at the start of a step. */
export type WorldInput =
  /** `ref` (e.g. a session id) comes back with the new actor's id in the step report's `refs`. */
  | { readonly type: 'spawn'; readonly spec: SpawnSpec; readonly ref?: string }
  | { readonly type: 'stop'; readonly actor: ActorId }
  | { readonly type: 'send'; readonly to: ActorId; readonly message: Message };

/** A mind's answer to a {@link MindRequest}, applied at the start of a step. */
export type ReplyInput =
  | { readonly requestId: number; readonly ok: true; readonly value: unknown }
  | { readonly requestId: number; readonly ok: false; readonly error: string };

/** Everything a step consumes besides the world and its time step. */
export interface StepInputs {
  readonly inputs?: readonly WorldInput[];
  readonly replies?: readonly ReplyInput[];
}
