import { z } from 'zod';
import type { ChatRequest, PersonalityRequest, ThinkRequest } from '../actors/index.ts';
import { formatIssues } from '../shared/index.ts';
import { INTENT_LABELS, TRAIT_KEYS } from './catalog.ts';
import { ORDERS, orderIndex } from './policyModel.ts';

// Think payloads arrive by the thousand each tick: checked by hand (zod costs microseconds per object).
const PERCEPTION_NUMBERS = ['threatDist', 'threatBearing', 'allyDist', 'allyBearing', 'health', 'targetHealth', 'packNearby', 'terrainCost', 'cover', 'sinceHit'] as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A bad value as an error message shows it: JSON where it can be, else its type (BigInts, cycles, functions). */
function shown(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n (a BigInt)`;
  try {
    return JSON.stringify(v) ?? String(typeof v);
  } catch {
    return `an unprintable ${typeof v}`;
  }
}

/**
 * The cheap half of the think check, for the batch path: when `p` has a perception object with a known order
 * and a traits object, the order's index in ORDERS, else -1. {@link policyFeatures} checks the sixteen numbers
 * as it reads them; {@link thinkProblem} says what is wrong with a payload that fails either.
 */
export function thinkShape(p: unknown): number {
  if (typeof p !== 'object' || p === null) return -1;
  const per = (p as ThinkRequest).perception, t = (p as ThinkRequest).traits;
  if (typeof per !== 'object' || per === null || typeof t !== 'object' || t === null) return -1;
  return orderIndex(per.order);
}

/** `undefined` when `p` is a valid {@link ThinkRequest}, else what is wrong (naming the field). */
export function thinkProblem(p: unknown): string | undefined {
  if (!isObj(p)) return 'payload: expected a ThinkRequest object';
  const per = p.perception, tr = p.traits;
  if (!isObj(per)) return 'perception: expected an object';
  for (const k of PERCEPTION_NUMBERS) {
    const v = per[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) return `perception.${k}: expected a finite number, got ${shown(v)}`;
  }
  if (orderIndex(per.order) < 0) return `perception.order: expected one of ${ORDERS.join(', ')}, got ${shown(per.order)}`;
  if (!isObj(tr)) return 'traits: expected an object';
  for (const k of TRAIT_KEYS) {
    const v = tr[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) return `traits.${k}: expected a finite number in [0, 1], got ${shown(v)}`;
  }
  return undefined;
}

/** `undefined` when `p` is a valid {@link PersonalityRequest}, else what is wrong. */
export function personalityProblem(p: unknown): string | undefined {
  if (!isObj(p)) return 'payload: expected a PersonalityRequest object';
  if (typeof p.species !== 'string') return 'species: expected a string';
  if (typeof p.biome !== 'string') return 'biome: expected a string';
  if (!Array.isArray(p.latent)) return 'latent: expected an array of numbers in [0, 1)';
  const bad = p.latent.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) return `latent[${bad}]: expected a finite number`;
  return undefined;
}

const PersonaSchema = z.object({
  name: z.string().min(1).max(80),
  role: z.string().max(120),
  knows: z.array(z.string().max(400)).max(64),
  mood: z.string().max(60),
  voice: z.string().max(40).optional(),
  species: z.string().max(40).optional(),
});

/** A chat payload (also the shape of a `--persona` file's persona). */
export const ChatRequestSchema = z.object({
  player: z.number().int(),
  playerName: z.string().max(80),
  text: z.string(),
  persona: PersonaSchema,
  disposition: z.number().min(-1).max(1),
  memory: z.object({
    name: z.string().max(80),
    givenName: z.string().max(80).optional(),
    disposition: z.number().min(-1).max(1),
    exchanges: z.number().int().min(0),
    intents: z.partialRecord(z.enum(INTENT_LABELS), z.number().int().min(0)),
    topics: z.array(z.string().max(80)).max(32),
    lines: z.array(z.object({ who: z.enum(['player', 'self']), text: z.string().max(400), intent: z.enum(INTENT_LABELS).optional(), at: z.number() })).max(64),
    summary: z.string().max(1000),
    changes: z.array(z.object({ at: z.number(), by: z.number(), why: z.string().max(200) })).max(32),
    at: z.number(),
  }).nullable(),
  sees: z.array(z.string().max(120)).max(16).optional(),
  payer: z.object({ account: z.string().min(1).max(200), tier: z.string().min(1).max(40) }).optional(),
  deadlineMs: z.number().positive().max(60_000).optional(),
});

export { PersonaSchema };

/** The parsed request, or what is wrong with it (paths of the bad fields). */
export function parseChat(p: unknown): { ok: true; value: ChatRequest } | { ok: false; error: string } {
  const r = ChatRequestSchema.safeParse(p);
  if (r.success) return { ok: true, value: r.data as ChatRequest };
  return { ok: false, error: formatIssues(r.error.issues.map((i) => ({ path: i.path, message: i.message }))) };
}

export type { ChatRequest, PersonalityRequest, ThinkRequest };
