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

/** One line of a conversation, as an NPC remembers it. */
export interface MemoryLine {
  /** `player`: what the player said; `self`: what the NPC answered. */
  readonly who: 'player' | 'self';
  readonly text: string;
  /** What the player meant (player lines). */
  readonly intent?: Intent;
  /** Simulation time in seconds. */
  readonly at: number;
}

/** A change of an NPC's disposition toward a player, and why. */
export interface DispositionChange {
  readonly at: number;
  /** Signed change, −1..1. */
  readonly by: number;
  readonly why: string;
}

/** What an NPC or monster remembers of one player. Plain data: it is part of the actor's state and its snapshot. */
export interface PlayerMemory {
  /** The player's display name when first met. */
  readonly name: string;
  /** The name the player gave ("my name is …"), once given. */
  readonly givenName?: string;
  /** −1 (hostile) .. 1 (friendly). */
  readonly disposition: number;
  /** Exchanges so far. */
  readonly exchanges: number;
  /** How often the player meant each intent, over all exchanges. */
  readonly intents: Readonly<Partial<Record<Intent, number>>>;
  /** Places and things the player spoke of, most recent last (bounded). */
  readonly topics: readonly string[];
  /** Recent lines of both sides, oldest first (bounded; older ones are folded into {@link summary}). */
  readonly lines: readonly MemoryLine[];
  /** What the older lines came to ('' until the lines first overflow). */
  readonly summary: string;
  /** Recent disposition changes, oldest first (bounded). */
  readonly changes: readonly DispositionChange[];
  /** Simulation time of the last exchange. */
  readonly at: number;
}

/** The player who would pay for a cloud reply: their account and tier (from their avatar's tags). */
export interface ChatPayer {
  readonly account: string;
  readonly tier: string;
}

export interface ChatRequest {
  readonly player: ActorId;
  readonly playerName: string;
  /** The player's line, already normalised and length-limited by the room. */
  readonly text: string;
  readonly persona: Persona;
  /** Disposition toward this player, −1 (hostile) .. 1 (friendly). */
  readonly disposition: number;
  /** What it remembers of this player, or null on a first meeting. */
  readonly memory: PlayerMemory | null;
  /** What it can see around it, in words (no coordinates or ids). */
  readonly sees?: readonly string[];
  /** Who would pay for a cloud reply; absent for players without a signed identity. */
  readonly payer?: ChatPayer;
  /** How long the answer may take, ms (the asker's timeout less a margin). */
  readonly deadlineMs?: number;
}

export interface ChatReply {
  readonly intent: Intent;
  readonly confidence: number;
  readonly reply: string;
  /** The player's line as understood (normalised). */
  readonly heard?: string;
  /** The name the player gave in this line, when they gave one. */
  readonly givenName?: string;
  /** Places and things the line named. */
  readonly topics?: readonly string[];
  /** `cloud` (an LLM through the gateway, streamed), `model` (a local generative model) or `local` (the reply grammar). */
  readonly source?: 'cloud' | 'model' | 'local';
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
  serve(requests: readonly MindRequest[], signal?: AbortSignal, trace?: unknown, hooks?: MindHooks): Promise<ReplyInput[]>;
}

/** Part of a reply being spoken while it is still being written (a streamed NPC line). */
export interface SpeechChunk {
  /** The speaker. */
  readonly actor: ActorId;
  /** The request being answered (one streamed line). */
  readonly requestId: number;
  /** Everything spoken of the line so far. */
  readonly text: string;
  /** The line is complete: `text` is what the speaker will say. */
  readonly done: boolean;
  /** What was spoken so far is withdrawn and `text` said instead (the streamed reply failed a check or its provider). */
  readonly replaced?: boolean;
}

/** What a host offers the minds it hands a batch to (all optional; the simulation itself never needs them). */
export interface MindHooks {
  /** Replies ready before the whole batch is: the host queues them at once; the batch's own result may then omit them. */
  readonly early?: (replies: readonly ReplyInput[]) => void;
  /** Speech while it is being written. */
  readonly speech?: (chunk: SpeechChunk) => void;
  /** The room the batch comes from and its LLM limits (for minds that may spend on its behalf). */
  readonly room?: { readonly id: string; readonly tier: string; readonly budgetUsd?: number };
}
