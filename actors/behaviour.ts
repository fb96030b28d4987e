import type { z } from 'zod';
import type { Rng, TerrainQuery } from '../shared/index.ts';
import type { Body } from './body.ts';
import type { Effect } from './effects.ts';
import type { ActorId } from './ids.ts';
import type { Message } from './messages.ts';
import type { SupervisionPolicy } from './supervision.ts';

/** What a behaviour returns for each message: its next state and the effects the runtime should perform. */
export interface Transition<S> {
  readonly state: S;
  readonly effects?: readonly Effect[];
}

/**
 * The transition "nothing happened": the actor keeps the state it has and performs no effects. One shared
 * object, so that the commonest answer to a tick (most actors keep their state most ticks) allocates nothing for
 * the collector to sweep. Only the runtime reads it: its own `state` field is not any actor's state.
 */
export const UNCHANGED: Transition<never> = Object.freeze({ state: undefined as never });

/** A read-only view of the world, handed to behaviours. Valid only during the call it was passed to. */
export interface ActorContext<P = unknown> {
  /** This actor's id. */
  readonly self: ActorId;
  /** This actor's parent, or 0. */
  readonly parent: ActorId;
  /** This actor's body, or null for bodiless actors. */
  readonly body: Readonly<Body> | null;
  /** Parameters the actor was spawned with (validated by the behaviour's schema). */
  readonly params: P;
  /** Display data the actor was spawned with (species, name, pack, biome …); empty when none. */
  readonly tags: Readonly<Record<string, string | number | boolean>>;
  /** Simulation time in seconds since the world began. */
  readonly time: number;
  /** Number of the step being run (the first step is tick 1). */
  readonly tick: number;
  /** Length of this step in seconds. */
  readonly dt: number;
  /** This actor's own random stream (`actor:<id>` forked from the world seed). */
  readonly rng: Rng;
  /** The ground. */
  readonly terrain: TerrainQuery;
  /** Look up another actor's body. */
  bodyOf(id: ActorId): Readonly<Body> | undefined;
  /**
   * The nearest living body within `radius` world units of this actor's body (excluding itself) for which
   * `accept(candidate, self)` is true; ties go to the lower id. Undefined if none or if this actor has no body.
   */
  nearest(radius: number, accept: (candidate: Readonly<Body>, self: Readonly<Body>) => boolean): Readonly<Body> | undefined;
  /**
   * Like {@link nearest}, among bodies of another faction than this actor's only (all of them, without
   * `accept`). Cheaper: parts of the world holding only this actor's own side are not looked at.
   */
  nearestFoe(radius: number, accept?: (candidate: Readonly<Body>, self: Readonly<Body>) => boolean): Readonly<Body> | undefined;
  /** The nearest living player's body within `radius` of this actor's body (cheap: players are few). */
  nearestPlayer(radius: number): Readonly<Body> | undefined;
  /** Every living body within `radius` of (x, y), in ascending id order. */
  within(x: number, y: number, radius: number): Readonly<Body>[];
  /** Living bodies of every player actor, in ascending id order (bodiless actors such as coordinators use it). */
  players(): Readonly<Body>[];
  /** Display tags another actor was spawned with (species, name, pack …); empty when none or absent. */
  tagsOf(id: ActorId): Readonly<Record<string, string | number | boolean>>;
  /** The kind another actor was spawned as (`monster`, `npc`, `player` …); '' when absent. */
  kindOf(id: ActorId): string;
}

/** A named behaviour: how an actor of this kind starts and how it answers each message. */
export interface Behaviour<S = unknown, P = unknown> {
  readonly name: string;
  /** Validates spawn parameters; errors name the bad field. */
  readonly params?: z.ZodType<P>;
  /** The state an actor starts (and restarts from `initial`) with. Pure. */
  init(ctx: ActorContext<P>): S;
  /** Pure reducer: `(state, message, ctx) → { state, effects }`. Throwing fails this actor only. */
  receive(state: S, message: Message, ctx: ActorContext<P>): Transition<S>;
  /**
   * Whether the actor's body is shielded at simulation time `time` (seconds): a shielded body takes no damage and is
   * not picked as a target by its foes. Absent: never shielded.
   */
  shielded?(state: S, time: number): boolean;
  /** Whether the actor also receives the shared `tick` message every step (reflexes). Default true. */
  readonly ticks?: boolean;
  /** What happens when `receive` throws. Defaults to {@link DEFAULT_POLICY}. */
  readonly supervision?: Partial<SupervisionPolicy>;
}

/** Behaviours by name. A world is created with one; specs name behaviours in it. */
export class BehaviourRegistry {
  private readonly byName = new Map<string, Behaviour<unknown, unknown>>();

  /** Add a behaviour; throws if the name is taken. */
  register<S, P>(behaviour: Behaviour<S, P>): this {
    if (this.byName.has(behaviour.name)) throw new Error(`BehaviourRegistry: behaviour '${behaviour.name}' is already registered`);
    this.byName.set(behaviour.name, behaviour as unknown as Behaviour<unknown, unknown>);
    return this;
  }

  get(name: string): Behaviour<unknown, unknown> | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
