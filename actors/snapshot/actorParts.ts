import { Rng } from '../../shared/index.ts';
import type { BehaviourRegistry } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';
import { Mailbox } from '../mailbox.ts';
import type { Message } from '../messages.ts';
import { DEFAULT_POLICY } from '../supervision.ts';
import type { Actor } from '../world.ts';

// What a saved form (a snapshot's columns, an actor transfer) keeps of one actor, and how an actor is rebuilt from
// it: shared by the snapshot image and the actor transfer so the two cannot drift apart.

/** Actor statuses, by their index in a snapshot's status column. */
export const STATUSES: readonly Actor['status'][] = ['running', 'suspended', 'stopped'];

/** An empty asks or timer-key map, kept apart from "none" (the state hash tells them apart) without allocating. */
const NO_ENTRIES: readonly (string | number)[] = Object.freeze([]);

/** A map as a flat (key, value, …) list: empty when the map is empty, null when there is none. */
export function entriesOf(m: Map<string, number> | null): readonly (string | number)[] | null {
  if (!m) return null;
  if (m.size === 0) return NO_ENTRIES;
  // Flat (key, value, key, value…): one array per map instead of one per entry.
  const out = new Array<string | number>(m.size * 2);
  let i = 0;
  for (const [k, v] of m) {
    out[i++] = k;
    out[i++] = v;
  }
  return out;
}

/** The map back from {@link entriesOf}. */
export function mapOf(flat: readonly (string | number)[] | null): Map<string, number> | null {
  if (!flat) return null;
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) m.set(flat[i] as string, flat[i + 1] as number);
  return m;
}

/** A random stream resumed from its four numbers (c, s0, s1, s2) at `at` in `v`. */
export function restoreRng(seed: string, v: ArrayLike<number>, at: number): Rng {
  return Rng.restore({ seed, alea: { c: v[at] as number, s0: v[at + 1] as number, s1: v[at + 2] as number, s2: v[at + 3] as number } });
}

/** An actor's random stream, resumed: its seed path is derived from the world seed and the id. */
export function actorRng(worldSeed: string, id: ActorId, v: ArrayLike<number>, at: number): Rng {
  return restoreRng(`${worldSeed}/actor:${id}`, v, at);
}

/** Everything an actor is rebuilt from (its behaviour by name, resolved against the host's registry). */
export interface ActorParts {
  readonly id: ActorId;
  readonly kind: string;
  readonly behaviourName: string;
  readonly params: unknown;
  readonly tags: Readonly<Record<string, string | number | boolean>> | null;
  readonly parent: ActorId;
  readonly children: ActorId[] | null;
  readonly incarnation: number;
  readonly status: Actor['status'];
  readonly state: unknown;
  readonly mailbox: readonly Message[] | null;
  readonly body: Body | null;
  readonly rng: Rng | null;
  readonly restarts: number[] | null;
  readonly asks: Map<string, number> | null;
  readonly timerKeys: Map<string, number> | null;
  readonly failures: number;
  readonly far: boolean;
}

/** A live actor from its parts. Throws a RangeError when this build has no behaviour of that name. */
export function buildActor(registry: BehaviourRegistry, mailboxCapacity: number, p: ActorParts): Actor {
  const behaviour = registry.get(p.behaviourName);
  if (!behaviour) throw new RangeError(`actor ${p.id}: behaviour '${p.behaviourName}' is not known to this server (known: ${registry.names().join(', ')})`);
  const mailbox = new Mailbox(mailboxCapacity);
  if (p.mailbox) for (const m of p.mailbox) mailbox.push(m);
  return {
    id: p.id,
    kind: p.kind,
    behaviourName: p.behaviourName,
    behaviour,
    params: p.params,
    tags: p.tags,
    policy: { ...DEFAULT_POLICY, ...behaviour.supervision },
    parent: p.parent,
    children: p.children,
    incarnation: p.incarnation,
    status: p.status,
    state: p.state,
    mailbox,
    body: p.body,
    rng: p.rng,
    restarts: p.restarts,
    asks: p.asks,
    timerKeys: p.timerKeys,
    failures: p.failures,
    far: p.far,
  };
}
