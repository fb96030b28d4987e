import type { ActorId, World } from '../actors/index.ts';
import type { DecisionRecord } from './decisionLog.ts';

/** Everything an inspector shows about one actor (plain JSON). */
export interface ActorInspection {
  readonly id: ActorId;
  readonly kind: string;
  readonly behaviour: string;
  readonly status: string;
  readonly parent: ActorId;
  readonly children: readonly ActorId[];
  readonly incarnation: number;
  readonly tags: Readonly<Record<string, string | number | boolean>>;
  readonly body: { x: number; y: number; vx: number; vy: number; hp: number; maxHp: number; alive: boolean; faction: string; far: boolean } | null;
  /** The behaviour's state (monsters: mode, target, personality, decision, memory …). */
  readonly state: unknown;
  readonly mailbox: { readonly depth: number; readonly capacity: number };
  /** Mind ports (or `port#key` slots) with an ask in flight. */
  readonly pendingAsks: readonly string[];
  /** The coordinator's order and plan for this actor, when the state carries them. */
  readonly order: unknown;
  readonly plan: unknown;
  /** What it remembers of players (monsters, NPCs). */
  readonly memory: unknown;
  readonly decisions: readonly DecisionRecord[];
  readonly failures: { readonly count: number; readonly recent: readonly unknown[] };
  readonly problems: readonly unknown[];
}

/** Inspect actor `id`, or null when it is not in the world. */
export function inspectActor(world: World, id: ActorId, decisions: readonly DecisionRecord[], extra: { order?: unknown; plan?: unknown } = {}): ActorInspection | null {
  const a = world.actors.get(id);
  if (!a) return null;
  const b = a.body;
  const state = jsonSafe(a.state) as Record<string, unknown> | null;
  const field = (k: string): unknown => (state && typeof state === 'object' && k in state ? state[k] : undefined);
  return {
    id: a.id,
    kind: a.kind,
    behaviour: a.behaviourName,
    status: a.status,
    parent: a.parent,
    children: a.children ?? [],
    incarnation: a.incarnation,
    tags: a.tags ?? {},
    body: b ? { x: b.x, y: b.y, vx: b.vx, vy: b.vy, hp: b.hp, maxHp: b.maxHp, alive: b.alive, faction: b.faction, far: a.far } : null,
    state,
    mailbox: { depth: a.mailbox.size, capacity: a.mailbox.capacity },
    pendingAsks: a.asks ? [...a.asks.keys()] : [],
    order: extra.order ?? field('order') ?? null,
    plan: extra.plan ?? field('plan') ?? null,
    memory: field('memory') ?? null,
    decisions,
    failures: { count: a.failures, recent: world.failures.filter((f) => f.actor === id) },
    problems: world.problems.filter((p) => p.actor === id).slice(-20),
  };
}

/** A JSON-safe copy (typed arrays and maps become arrays and objects; cycles and functions dropped). */
function jsonSafe(v: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(v, (_k, x: unknown) => {
      if (x instanceof Map) return Object.fromEntries(x);
      if (x instanceof Set) return [...x];
      if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
      return typeof x === 'function' ? undefined : x;
    }) ?? 'null') as unknown;
  } catch {
    return String(v);
  }
}
