/**
 * Pack plans (layer 4) as the overlay draws them, read from the room state through a small adapter. The
 * coordinator publishes each pack's plan in the state; the field names it uses are listed once, in
 * {@link PLAN_FIELDS}, so pointing the overlay at a different shape is a one-line change there.
 */

/** One member's part in a plan. */
export interface PlanMember {
  readonly actor: number;
  /** E.g. `engage`, `flankLeft`, `bait`. */
  readonly role: string;
  /** The actor it goes for, if any. */
  readonly target?: number;
  /** A point it goes to (world units), if any. */
  readonly point?: { readonly x: number; readonly y: number };
}

/** A pack's current plan. */
export interface PackPlan {
  readonly pack: string;
  /** The tactic's name, e.g. `surround`. */
  readonly tactic: string;
  /** Where the plan came from: a provider (`openai`, `anthropic`, `gemini`), `local`, `cache`, `fallback`… */
  readonly source: string;
  /** The pack's target, if the plan has one for the whole pack. */
  readonly target?: number;
  readonly members: readonly PlanMember[];
  /** Model, cache hit, notes (e.g. why a cloud plan was refused), when the state carries them. */
  readonly detail?: string;
  /** The pack in words ("Grak's bandits"), when the state carries it. */
  readonly name?: string;
  /** Where the plan came from, in one sentence, when the state carries it. */
  readonly sourceText?: string;
}

/** Field names tried, in order, at each level of the state's plan collection. */
export const PLAN_FIELDS = {
  /** The collection on the room state (a map keyed by pack id, or a list). */
  collection: ['plans', 'packPlans'],
  pack: ['pack', 'packId', 'id'],
  tactic: ['tactic', 'formation', 'plan', 'kind', 'name', 'intent'],
  source: ['source', 'provider', 'origin', 'from'],
  target: ['target', 'targetId', 'focus'],
  /** Members: a list of objects, a map keyed by actor id (to objects or role strings), or JSON text of either. */
  members: ['members', 'roles', 'assignments', 'orders'],
  memberActor: ['actor', 'id', 'member', 'actorId'],
  memberRole: ['role', 'order', 'kind', 'action'],
  memberTarget: ['target', 'targetId', 'focus'],
  memberX: ['x', 'tx', 'toX'],
  memberY: ['y', 'ty', 'toY'],
  /** When present and false, the member's x/y are unused defaults. */
  memberHasPoint: ['hasPoint'],
  model: ['model'],
  cached: ['cached'],
  note: ['note'],
  name: ['packName', 'name'],
  sourceText: ['sourceText'],
} as const;

type Bag = Record<string, unknown>;

/** [key, value] pairs of a Map, MapSchema, plain object or JSON text; lists (arrays, ArraySchema) have no keys. */
function entries(v: unknown): [string | undefined, unknown][] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'string') {
    try {
      return entries(JSON.parse(v) as unknown);
    } catch {
      return [];
    }
  }
  if (typeof v !== 'object') return [];
  if (Array.isArray(v)) return v.map((x) => [undefined, x]);
  const o = v as { forEach?: unknown; entries?: unknown; [Symbol.iterator]?: unknown };
  if (typeof o.forEach === 'function' && typeof o.entries === 'function' && !(Symbol.iterator in o && isArrayLike(v))) {
    const out: [string | undefined, unknown][] = [];
    (o.forEach as (cb: (value: unknown, key: unknown) => void) => void).call(v, (value, key) => out.push([String(key), value]));
    return out;
  }
  if (typeof o[Symbol.iterator] === 'function') return [...(v as Iterable<unknown>)].map((x) => [undefined, x]);
  return Object.entries(v as Bag);
}

function isArrayLike(v: object): boolean {
  return typeof (v as { length?: unknown }).length === 'number';
}

function pick(o: unknown, names: readonly string[]): unknown {
  if (!o || typeof o !== 'object') return undefined;
  for (const n of names) {
    const v = (o as Bag)[n];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
}

function id(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

function member(key: string | undefined, v: unknown): PlanMember | undefined {
  if (typeof v === 'string') {
    const actor = key === undefined ? undefined : id(key);
    return actor ? { actor, role: v } : undefined;
  }
  const actor = id(pick(v, PLAN_FIELDS.memberActor)) ?? (key === undefined ? undefined : id(key));
  if (!actor) return undefined;
  const target = id(pick(v, PLAN_FIELDS.memberTarget));
  const x = pick(v, PLAN_FIELDS.memberX), y = pick(v, PLAN_FIELDS.memberY);
  const hasPoint = pick(v, PLAN_FIELDS.memberHasPoint) !== false;
  const point = hasPoint && typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : undefined;
  return { actor, role: str(pick(v, PLAN_FIELDS.memberRole), 'member'), ...(target && { target }), ...(point && { point }) };
}

/** Every pack plan in the room state (empty when the state has no plans). Tolerates missing fields. */
export function readPlans(state: unknown): PackPlan[] {
  const collection = pick(state, PLAN_FIELDS.collection);
  const out: PackPlan[] = [];
  let index = 0;
  for (const [key, v] of entries(collection)) {
    index++;
    const plan = typeof v === 'string' ? (safeJson(v) as unknown) : v;
    if (!plan || typeof plan !== 'object') continue;
    const members: PlanMember[] = [];
    for (const [k, m] of entries(pick(plan, PLAN_FIELDS.members))) {
      const pm = member(k, m);
      if (pm) members.push(pm);
    }
    const target = id(pick(plan, PLAN_FIELDS.target));
    const model = str(pick(plan, PLAN_FIELDS.model)), note = str(pick(plan, PLAN_FIELDS.note));
    const detail = [model, pick(plan, PLAN_FIELDS.cached) === true ? 'cached' : '', note].filter(Boolean).join(' · ');
    const name = str(pick(plan, PLAN_FIELDS.name)), sourceText = str(pick(plan, PLAN_FIELDS.sourceText));
    out.push({
      pack: str(pick(plan, PLAN_FIELDS.pack), key ?? `pack ${index}`),
      tactic: str(pick(plan, PLAN_FIELDS.tactic), 'plan'),
      source: str(pick(plan, PLAN_FIELDS.source), 'unknown'),
      ...(target && { target }),
      members,
      ...(detail && { detail }),
      ...(name && { name }),
      ...(sourceText && { sourceText }),
    });
  }
  return out.sort((a, b) => (a.pack < b.pack ? -1 : a.pack > b.pack ? 1 : 0));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the overlay draws, in world units. */
export interface PlanOverlay {
  /** One arrow per member that has a target or a point: from the member to it. */
  readonly arrows: readonly { readonly pack: string; readonly from: Point; readonly to: Point; readonly role: string; readonly colour: string }[];
  /** A role label under each member, and a title per pack (tactic and source) above its members. */
  readonly labels: readonly { readonly at: Point; readonly text: string; readonly colour: string; readonly title: boolean }[];
}

type Point = { readonly x: number; readonly y: number };

/** Colour of the plan overlay for a plan's source: cloud providers warm, local cool, anything else grey. */
export function sourceColour(source: string): string {
  const s = source.toLowerCase();
  if (/openai|anthropic|gemini|google|cloud|llm/.test(s)) return '#ff9f1c';
  if (/cache/.test(s)) return '#c77dff';
  if (/local|tactician|fallback|rule/.test(s)) return '#4cc9f0';
  return '#cccccc';
}

/** Lay out the overlay for `plans`, given where each actor is drawn (members not in view are left out). */
export function planOverlay(plans: readonly PackPlan[], positionOf: (actor: number) => Point | undefined): PlanOverlay {
  const arrows: PlanOverlay['arrows'][number][] = [];
  const labels: PlanOverlay['labels'][number][] = [];
  for (const plan of plans) {
    const colour = sourceColour(plan.source);
    let sx = 0, sy = 0, n = 0, top = Infinity;
    for (const m of plan.members) {
      const from = positionOf(m.actor);
      if (!from) continue;
      sx += from.x;
      sy += from.y;
      n++;
      top = Math.min(top, from.y);
      labels.push({ at: { x: from.x, y: from.y + 1.45 }, text: roleWords(m.role), colour, title: false }); // below the name
      const targetId = m.target ?? plan.target;
      const to = m.point ?? (targetId !== undefined ? positionOf(targetId) : undefined);
      if (to) arrows.push({ pack: plan.pack, from, to, role: m.role, colour });
    }
    if (n > 0) labels.push({ at: { x: sx / n, y: top - 1.6 }, text: `${plan.name ? `${plan.name}: ` : ''}${plan.tactic} · ${sourceShort(plan.source)}`, colour, title: true });
  }
  return { arrows, labels };
}

/** A role as people say it: `flankLeft` → "flank left". */
export function roleWords(role: string): string {
  return role.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const PROVIDER_NAMES: Readonly<Record<string, string>> = { openai: 'OpenAI', anthropic: 'Anthropic', gemini: 'Gemini', google: 'Gemini' };

/** A plan's source in two or three words: "local tactician", "OpenAI". */
export function sourceShort(source: string): string {
  if (source === 'tactician' || source === 'local' || source === 'fallback' || source === '') return 'local tactician';
  if (source === 'cache') return 'cached plan';
  return PROVIDER_NAMES[source] ?? source;
}

/**
 * A plan as one line of the plan list: "Grak's bandits: surround — Local tactician — the cloud was not asked: … ·
 * Grak engage, Brenna flank left". Names come from `nameOf`; never a pack id.
 */
export function planLine(plan: PackPlan, nameOf: (actor: number) => string | undefined): string {
  const who = plan.members.map((m) => `${nameOf(m.actor) ?? 'a member'} ${roleWords(m.role)}${m.target ? ` ${nameOf(m.target) ?? 'a player'}` : ''}`).join(', ');
  const from = plan.sourceText ?? (sourceShort(plan.source) === 'local tactician' ? 'Local tactician' : `Cloud plan from ${sourceShort(plan.source)}`);
  return `${plan.name ?? 'A pack'}: ${plan.tactic} — ${from}${who ? ` · ${who}` : ''}`;
}
