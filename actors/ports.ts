import type { ActorId } from './ids.ts';
import type { MindRequest } from './world.ts';
import type { ReplyInput } from './inputs.ts';

/**
 * The ports minds implement. Actors ask through `ask` effects naming one of {@link MIND_PORTS}; the host
 * collects a step's requests, hands each port's batch to its mind, and queues the replies for a later step.
 * Payloads and reply values are plain data (they are recorded in the event log).
 */
export const MIND_PORTS = {
  /** Layer 2: a monster's personality, asked once after spawn. Payload {@link PersonalityRequest}, value {@link Personality}. */
  personality: 'personality',
  /** Layer 3: what to do now, asked by actors near players. Payload {@link ThinkRequest}, value {@link Decision}. */
  think: 'think',
  /** Layer 3: understand and answer a player's line. Payload {@link ChatRequest}, value {@link ChatReply}. */
  chat: 'chat',
  /** Layer 4: pack tactics, asked by the room coordinator. */
  plan: 'plan',
} as const;

export type MindPortName = (typeof MIND_PORTS)[keyof typeof MIND_PORTS];

/** Personality traits, each in [0, 1]. */
export interface Traits {
  readonly aggression: number;
  readonly courage: number;
  readonly sociability: number;
  readonly greed: number;
  readonly curiosity: number;
  readonly cunning: number;
}

export const TRAIT_NAMES = ['aggression', 'courage', 'sociability', 'greed', 'curiosity', 'cunning'] as const satisfies readonly (keyof Traits)[];

export interface PersonalityRequest {
  readonly species: string;
  readonly biome: string;
  /** A seeded latent in [0, 1) per monster: two wolves differ, the same seed gives the same wolf. */
  readonly latent: readonly number[];
}

export interface Personality {
  readonly traits: Traits;
  /** E.g. `fierce`, `skittish`, `sly`. */
  readonly temperament: string;
  /** How it speaks, e.g. `growling`, `whiny`, `formal`. */
  readonly voice: string;
}

/** Orders the coordinator can give (layer 4); `none` when the actor has no order. */
export type OrderKind = 'none' | 'engage' | 'flankLeft' | 'flankRight' | 'surround' | 'bait' | 'guardLeader' | 'retreat' | 'regroup' | 'focus';

/** What an actor perceives, as numbers. Distances in world units (−1 when nothing is seen), bearings in radians relative to its heading (−π..π). */
export interface Perception {
  readonly threatDist: number;
  readonly threatBearing: number;
  readonly allyDist: number;
  readonly allyBearing: number;
  /** Own hp / max hp, 0..1. */
  readonly health: number;
  /** Nearest threat's hp / max hp, 0..1 (1 when none). */
  readonly targetHealth: number;
  /** Allies within perception. */
  readonly packNearby: number;
  /** Move cost of the tile it stands on (1 = open). */
  readonly terrainCost: number;
  /** Cover of that tile, 0..1. */
  readonly cover: number;
  /** Seconds since it was last hit (capped at 60). */
  readonly sinceHit: number;
  readonly order: OrderKind;
}

export interface ThinkRequest {
  readonly perception: Perception;
  readonly traits: Traits;
}

/** Layer-3 actions. */
export const ACTIONS = ['attack', 'chase', 'flankLeft', 'flankRight', 'hold', 'retreat', 'callPack', 'wander', 'followOrder'] as const;
export type Action = (typeof ACTIONS)[number];

export interface Decision {
  readonly action: Action;
  /** Probability the model gave the chosen action, 0..1. */
  readonly confidence: number;
  /** `model` (ONNX), `fallback` (plain-JS forward pass or rule teacher). */
  readonly source: 'model' | 'fallback';
}

/** Player-chat intents. */
export const INTENTS = ['greet', 'threaten', 'askDirections', 'askAboutSelf', 'trade', 'flatter', 'insult', 'farewell', 'askForHelp', 'unknown'] as const;
export type Intent = (typeof INTENTS)[number];

/** Who an NPC is, for its lines. */
export interface Persona {
  readonly name: string;
  readonly role: string;
  /** Facts it knows and may share (its lair, the way to places, rumours). */
  readonly knows: readonly string[];
  readonly mood: string;
  readonly voice?: string;
  readonly species?: string;
}

/** One remembered exchange with a player. */
export interface MemoryEntry {
  readonly intent: Intent;
  /** Simulation time in seconds. */
  readonly at: number;
}

export interface ChatRequest {
  readonly player: ActorId;
  readonly playerName: string;
  /** The player's line, already normalised and length-limited by the room. */
  readonly text: string;
  readonly persona: Persona;
  /** Disposition toward this player, −1 (hostile) .. 1 (friendly). */
  readonly disposition: number;
  /** Recent exchanges with this player, oldest first. */
  readonly memory: readonly MemoryEntry[];
}

export interface ChatReply {
  readonly intent: Intent;
  readonly confidence: number;
  readonly reply: string;
}

/**
 * A mind serves one port's batch of a step's requests. It never throws and never blocks the step: it answers
 * every request (an error reply when it cannot) and may take longer than a step; late answers are dropped by
 * the world.
 */
export interface Mind {
  /**
   * `trace` is the host's tracing context for the batch, opaque to the simulation (the server's rooms pass what
   * their tracing uses; a mind that calls out may tie its own traces to it, others ignore it). Absent when the
   * host traces nothing.
   */
  serve(requests: readonly MindRequest[], signal?: AbortSignal, trace?: unknown): Promise<ReplyInput[]>;
}
