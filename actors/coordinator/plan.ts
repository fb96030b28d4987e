import { z } from 'zod';
import type { ActorId } from '../ids.ts';
import type { OrderKind } from '../ports.ts';
import type { BattleContext } from './battleContext.ts';

/** Roles a plan can give a pack member (the coordinator's {@link OrderKind}s, without `none`). */
/** The largest pack a scenario can spawn, and so the most assignments a plan can hold. */
export const MAX_PACK_SIZE = 24;

export const ROLES = ['engage', 'flankLeft', 'flankRight', 'surround', 'bait', 'guardLeader', 'retreat', 'regroup', 'focus'] as const satisfies readonly OrderKind[];
export type Role = (typeof ROLES)[number];

/** Roles that act on a target player. */
export const TARGET_ROLES: ReadonlySet<Role> = new Set<Role>(['engage', 'flankLeft', 'flankRight', 'surround', 'bait', 'focus']);
/** Roles that move to a point (a rally or guard point); they work without a target. */
export const POINT_ROLES: ReadonlySet<Role> = new Set<Role>(['retreat', 'regroup']);

/** Formations: how the pack as a whole is arranged. */
export const FORMATIONS = ['line', 'wedge', 'pincer', 'surround', 'ambush', 'hold', 'scatter'] as const;
export type Formation = (typeof FORMATIONS)[number];

/**
 * One member's part of a plan. Positions are offsets in world units from the battle context's `origin` (the
 * leader's position when the context was built); null when the role needs none.
 */
export const AssignmentSchema = z.object({
  member: z.number().int().positive(),
  role: z.enum(ROLES),
  /** Player actor id the role acts on, or null. */
  target: z.number().int().positive().nullable(),
  /** Point offset from the context origin, or null. */
  x: z.number().min(-64).max(64).nullable(),
  y: z.number().min(-64).max(64).nullable(),
}).strict();

/**
 * A pack's battle plan: what each member does, the formation, when to give up, a battle cry and how long the
 * plan lives. Sent to cloud models as the output schema (every field required; nullable where optional).
 */
export const PlanSchema = z.object({
  formation: z.enum(FORMATIONS),
  assignments: z.array(AssignmentSchema).min(1).max(MAX_PACK_SIZE),
  /** The pack retreats when its total hp falls below this fraction of its total max hp (0 = fight to the end). */
  retreatBelow: z.number().min(0).max(1),
  /** Short line the leader shouts (shown to players). */
  battleCry: z.string().max(80),
  /** Seconds the plan stays in force before the coordinator re-plans. */
  ttl: z.number().min(1).max(60),
}).strict();

export type Assignment = z.output<typeof AssignmentSchema>;
export type Plan = z.output<typeof PlanSchema>;

/** Where a plan came from: the local tactician, or a provider and model (served from the cache or not). */
export interface PlanSource {
  /** `tactician`, or the provider name (`openai`, `anthropic`, `gemini`, …). */
  readonly provider: string;
  /** Model name; `tactician` for the local one. */
  readonly model: string;
  readonly cached: boolean;
}

export const TACTICIAN_SOURCE: PlanSource = Object.freeze({ provider: 'tactician', model: 'tactician', cached: false });

/** A player in a battle, as accounts know them: a player id and tier from the player's signed identity. */
export interface PlanPayer {
  readonly account: string;
  readonly tier: string;
}

/** What a `plan` port asks for: the battle context plus the room's LLM settings. */
export interface PlanRequest {
  readonly context: BattleContext;
  /** LLM tier of the room (gateway tiers: `free`, `premium`, `whale`, …). */
  readonly tier: string;
  /** The room's LLM budget in USD (total over its life). */
  readonly budgetUsd: number;
  /** Room id, for budgets and telemetry. */
  readonly room: string;
  /**
   * Identified players in the battle who may pay for it, nearest the pack first: the plan mind charges the first
   * whose tier allows cloud tactics, and the room's own tier otherwise.
   */
  readonly payers?: readonly PlanPayer[];
  /** The coordinator waits this long (ms) before it stops caring about the answer. */
  readonly deadlineMs: number;
}

/** What a `plan` mind answers: an unchecked plan and where it came from. The coordinator validates it. */
export interface PlanReply {
  readonly plan: unknown;
  readonly source: PlanSource;
  /** When the gateway answered locally: why the cloud was not used (its fallback or routing reason). */
  readonly why?: string;
}

/** A member's order, as a pack member receives it (signal topic {@link ORDER_TOPIC}). Positions absolute. */
export interface Order {
  readonly role: Role;
  /** Player to act on, or 0. */
  readonly target: ActorId;
  /** Absolute point (world units) for point roles, or null. */
  readonly x: number | null;
  readonly y: number | null;
  /** Where the pack comes from (the leader's position at planning time): flanks are taken relative to it. */
  readonly anchorX: number;
  readonly anchorY: number;
  /** Surround slot k of n (0 ≤ slot < slots). */
  readonly slot: number;
  readonly slots: number;
  readonly leader: ActorId;
  /** Simulation time (s) the order expires. */
  readonly until: number;
}

/** Signal topics between the coordinator and pack members. */
export const ORDER_TOPIC = 'order';
/** Coordinator → member: your pack roster `{ pack, leader, mates }`. */
export const PACK_TOPIC = 'pack';
/** Member → mates: I am under attack by `data` (an actor id). */
export const HELP_TOPIC = 'help';
/** Member → leader: I see target `data`. */
export const TARGET_TOPIC = 'target';
/** Member → mates: the leader is down; pick the next. */
export const LEADER_DOWN_TOPIC = 'leaderDown';
