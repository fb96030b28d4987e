import { packPlans } from '../actors/index.ts';
import type { ActorId, PackPlanView, World } from '../actors/index.ts';
import { traitRows } from './traitRows.ts';
import { actorName, named, packName } from './actorNames.ts';
import type { NamedActor } from './actorNames.ts';
import type { DecisionRecord } from './decisionLog.ts';
import { actorWords, labelOf, stateRows, tickOf, whenWords, whereWords } from './inspectionWords.ts';
import type { Row } from './inspectionWords.ts';
import { planSourceText } from './planWords.ts';

/** Everything an inspector shows about one actor: the raw fields (plain JSON) and the sections a person reads. */
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
  /** The behaviour's state (monsters: mode, target, personality, decision, memory …); times in simulation seconds. */
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
  /** The same actor laid out for reading: names instead of ids, ticks instead of seconds. */
  readonly sections: InspectionSections;
}

/** The inspector's sections, in the order a person reads them. */
export interface InspectionSections {
  readonly summary: {
    readonly id: ActorId;
    readonly name: string;
    readonly kind: string;
    /** Species (monsters), role (NPCs), '' for the rest. */
    readonly species: string;
    readonly role: string;
    readonly hp: string;
    readonly alive: boolean;
    readonly where: { readonly words: string; readonly x: number; readonly y: number } | null;
    /** The room's tick when this was read. */
    readonly tick: number;
    readonly status: string;
    readonly pack: string | null;
  };
  readonly state: readonly Row[];
  readonly orderAndPlan: { readonly order: string | null; readonly plan: string | null; readonly planSource: string | null; readonly pending: readonly string[] };
  /** Newest first. */
  readonly decisions: readonly DecisionView[];
  readonly memory: readonly MemoryView[];
  readonly persona: readonly Row[];
  readonly failures: { readonly count: number; readonly lines: readonly string[] };
}

/** One decision as the inspector shows it. */
export interface DecisionView {
  readonly tick: number;
  /** "think", "plan", "chat", "personality". */
  readonly kind: string;
  readonly decided: string;
  readonly target: NamedActor | null;
  readonly reason: string;
  readonly followed: boolean | null;
  readonly outcome: string;
}

/** What an actor remembers of one player. */
export interface MemoryView {
  readonly player: NamedActor;
  readonly disposition: number;
  readonly exchanges: number;
  readonly summary: string;
  readonly lastTick: number;
  /** Oldest first. */
  readonly lines: readonly { readonly tick: number; readonly who: string; readonly text: string }[];
}

/** What the room adds: the actor's pack plan and a biome lookup for "where". */
export interface InspectionExtra {
  readonly order?: unknown;
  readonly plan?: PackPlanView;
  readonly biomeAt?: (x: number, y: number) => string | undefined;
}

/** State fields shown in their own sections rather than as rows. */
const OWN_SECTIONS = new Set(['memory', 'order', 'plan', 'personality', 'persona', 'pack', 'path', 'packs', 'traits', 'stats', 'chatText', 'chatName']);

/** Inspect actor `id`, or null when it is not in the world. */
export function inspectActor(world: World, id: ActorId, decisions: readonly DecisionRecord[], extra: InspectionExtra = {}): ActorInspection | null {
  const a = world.actors.get(id);
  if (!a) return null;
  const b = a.body;
  const state = jsonSafe(a.state) as Record<string, unknown> | null;
  const field = (k: string): unknown => (state && typeof state === 'object' && k in state ? state[k] : undefined);
  const failures = world.failures.filter((f) => f.actor === id);
  const problems = world.problems.filter((p) => p.actor === id).slice(-20);
  const pendingAsks = a.asks ? [...a.asks.keys()] : [];
  const order = extra.order ?? field('order') ?? null;
  const plan = extra.plan ?? field('plan') ?? null;
  const tags = a.tags ?? {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const pack = str(tags.pack);
  const sections: InspectionSections = {
    summary: {
      id: a.id,
      name: actorName(world, id),
      kind: a.kind,
      species: str(tags.species),
      role: str(tags.label).toLowerCase() !== str(tags.species).toLowerCase() ? str(tags.label) : '',
      hp: b ? `${Math.round(b.hp)} / ${Math.round(b.maxHp)}` : '—',
      alive: b?.alive ?? false,
      where: b ? { words: whereWords(b.x, b.y, extra.biomeAt?.(b.x, b.y)), x: round1(b.x), y: round1(b.y) } : null,
      tick: world.tick,
      status: a.status,
      pack: pack ? packName(world, pack) : null,
    },
    state: stateRows(world, state, OWN_SECTIONS),
    orderAndPlan: {
      order: orderWords(world, order),
      // A pack member: its pack's plan; the coordinator: every plan in force.
      plan: extra.plan ? planWords(world, extra.plan) : a.kind === 'coordinator' ? packPlans(a.state).map((p) => planWords(world, p)).join(' | ') || null : null,
      planSource: extra.plan ? planSourceText(extra.plan.source.provider, extra.plan.source.model, extra.plan.source.cached, extra.plan.note) : null,
      pending: pendingAsks.map((k) => `waiting for the ${k.split('#')[0] as string} mind`),
    },
    decisions: [...decisions].reverse().map((d) => ({
      tick: d.tick, kind: d.port, decided: d.ok ? d.summary : 'no answer (the mind failed)', target: d.target, reason: d.reason, followed: d.followed, outcome: d.outcome,
    })),
    memory: memoryViews(world, id, field('memory')),
    persona: personaRows(a.params, field('personality'), tags, a.behaviourName === 'monster'),
    failures: {
      count: a.failures,
      lines: [
        ...failures.map((f) => `tick ${f.tick}: failed on a ${f.messageType} message (${f.error}); ${f.outcome}`),
        ...problems.map((p) => `tick ${p.tick}: ${p.message}`),
      ],
    },
  };
  return {
    id: a.id,
    kind: a.kind,
    behaviour: a.behaviourName,
    status: a.status,
    parent: a.parent,
    children: a.children ?? [],
    incarnation: a.incarnation,
    tags,
    body: b ? { x: b.x, y: b.y, vx: b.vx, vy: b.vy, hp: b.hp, maxHp: b.maxHp, alive: b.alive, faction: b.faction, far: a.far } : null,
    state,
    mailbox: { depth: a.mailbox.size, capacity: a.mailbox.capacity },
    pendingAsks,
    order,
    plan,
    memory: field('memory') ?? null,
    decisions,
    failures: { count: a.failures, recent: failures },
    problems,
    sections,
  };
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** A coordinator order in words: "flank left against Ada (#12), until tick 1040". */
function orderWords(world: World, order: unknown): string | null {
  const o = order as { role?: unknown; target?: unknown; x?: unknown; y?: unknown; until?: unknown } | null;
  if (!o || typeof o.role !== 'string') return null;
  const parts = [labelOf(o.role)];
  if (typeof o.target === 'number' && o.target) parts.push(`against ${actorWords(world, o.target)}`);
  if (typeof o.x === 'number' && typeof o.y === 'number') parts.push(`at (${round1(o.x)}, ${round1(o.y)})`);
  if (typeof o.until === 'number') parts.push(world.time <= o.until ? `until ${whenWords(world, o.until)}` : `expired ${whenWords(world, o.until)}`);
  return parts.join(' ');
}

/** A pack plan in words: "Grak's bandits: surround; Grak engage Ada (#12), … ; retreat below 30% hp; expires in 80 ticks". */
function planWords(world: World, v: PackPlanView): string {
  const roles = v.plan.assignments.map((x) => `${actorName(world, x.member)} ${labelOf(x.role)}${x.target ? ` ${actorWords(world, x.target)}` : ''}`);
  const retreat = v.plan.retreatBelow > 0 ? `; fall back below ${Math.round(v.plan.retreatBelow * 100)}% of the pack's hp` : '';
  return `${packName(world, v.pack)}: ${v.plan.formation}; ${roles.join(', ')}${retreat}; made ${whenWords(world, v.madeAt)}, expires ${whenWords(world, v.expiresAt)}`;
}

function memoryViews(world: World, self: ActorId, memory: unknown): MemoryView[] {
  if (!memory || typeof memory !== 'object') return [];
  const out: MemoryView[] = [];
  for (const [key, m] of Object.entries(memory as Record<string, Record<string, unknown>>)) {
    const id = Number(key);
    const name = typeof m.givenName === 'string' ? m.givenName : typeof m.name === 'string' ? m.name : actorName(world, id);
    const lines = Array.isArray(m.lines) ? (m.lines as { who?: unknown; text?: unknown; at?: unknown }[]) : [];
    out.push({
      player: named(world, id) ?? { id, name },
      disposition: typeof m.disposition === 'number' ? Math.round(m.disposition * 100) / 100 : 0,
      exchanges: typeof m.exchanges === 'number' ? m.exchanges : 0,
      summary: typeof m.summary === 'string' ? m.summary : '',
      lastTick: typeof m.at === 'number' ? tickOf(world, m.at) : 0,
      lines: lines.map((l) => ({ tick: typeof l.at === 'number' ? tickOf(world, l.at) : 0, who: l.who === 'self' ? actorName(world, self) : name, text: typeof l.text === 'string' ? l.text : '' })),
    });
  }
  return out;
}

/** Persona and personality rows; a monster's traits come with what they change in its reflexes. */
function personaRows(params: unknown, personality: unknown, tags: Readonly<Record<string, string | number | boolean>>, monster: boolean): Row[] {
  const rows: Row[] = [];
  const persona = (params as { persona?: Record<string, unknown> } | null)?.persona;
  if (persona && typeof persona === 'object') {
    for (const k of ['role', 'mood', 'voice', 'species'] as const) if (typeof persona[k] === 'string' && persona[k]) rows.push({ label: k, value: persona[k] as string });
    if (Array.isArray(persona.knows) && persona.knows.length) rows.push({ label: 'knows', value: (persona.knows as string[]).join('; ') });
  }
  const p = personality as { temperament?: unknown; voice?: unknown; traits?: Record<string, unknown> } | null;
  if (p && typeof p === 'object') {
    if (typeof p.temperament === 'string') rows.push({ label: 'temperament', value: p.temperament });
    if (typeof p.voice === 'string') rows.push({ label: 'voice', value: p.voice });
    if (p.traits && !monster) rows.push({ label: 'traits', value: Object.entries(p.traits).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(2) : String(v)}`).join(', ') });
  }
  if (monster) rows.push(...traitRows(params, personality));
  const stance = (params as { stance?: unknown } | null)?.stance;
  if (typeof stance === 'string') rows.push({ label: 'stance', value: stance });
  if (typeof tags.biome === 'string') rows.push({ label: 'home biome', value: tags.biome });
  return rows;
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

