import type { ActorId, World } from '../actors/index.ts';
import { actorName, named, packName } from './actorNames.ts';
import type { NamedActor } from './actorNames.ts';

/** What a request said that explains its answer, and whom it was about. */
export function requestContext(port: string, payload: unknown): RequestContext {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (port === 'think') {
    const s = (p.perception ?? {}) as Record<string, unknown>;
    const num = (k: string): number | undefined => (typeof s[k] === 'number' ? s[k] : undefined);
    const foe = num('threatDist');
    const parts = [foe === undefined || foe < 0 ? 'no foe in sight' : `nearest foe ${foe.toFixed(1)} tiles away`];
    const hp = num('health');
    if (hp !== undefined) parts.push(`own hp ${Math.round(hp * 100)}%`);
    const allies = num('packNearby');
    if (allies) parts.push(`${allies} ${allies === 1 ? 'ally' : 'allies'} near`);
    if (typeof s.order === 'string' && s.order !== 'none') parts.push(`pack order: ${s.order}`);
    return { context: `it saw: ${parts.join(', ')}`, about: 0, pack: '' };
  }
  if (port === 'chat') {
    const player = typeof p.player === 'number' ? p.player : 0;
    const text = typeof p.text === 'string' ? p.text : '';
    const who = typeof p.playerName === 'string' && p.playerName ? p.playerName : 'a player';
    return { context: text ? `${who} said "${text.length > 80 ? `${text.slice(0, 79)}…` : text}"` : '', about: player, pack: '' };
  }
  if (port === 'plan') {
    const ctx = (p.context ?? {}) as Record<string, unknown>;
    return { context: '', about: 0, pack: typeof ctx.pack === 'string' ? ctx.pack : '' };
  }
  return { context: '', about: 0, pack: '' };
}

/** What a request said that explains its answer (in words), whom it was about, and the pack it was for (plans). */
export interface RequestContext {
  readonly context: string;
  readonly about: ActorId;
  readonly pack: string;
}

/** A judged decision: its target, whether it was followed, and what the actor did. */
export interface Verdict {
  readonly target: NamedActor | null;
  readonly followed: boolean | null;
  readonly outcome: string;
}

const MODE_WORDS: Readonly<Record<string, string>> = { wander: 'wanders', chase: 'chases', fight: 'fights', flee: 'flees', dead: 'is dead' };
/** Actions that go for a foe. */
const AT_A_FOE = new Set(['attack', 'chase', 'flankLeft', 'flankRight', 'callPack', 'hold']);

type Judged = { readonly port: string; readonly ok: boolean; readonly summary: string; readonly reason: string };

/**
 * Judge a decision against the actor's state on the tick it was delivered: a think action against its mode and
 * target (a coordinator order or a flee reflex takes precedence over layer 3), a plan against whether the
 * coordinator applied it. Chat and personality answers have nothing to follow (null), only whom they concern.
 */
export function decisionVerdict(world: World, id: ActorId, rec: Judged, req: Pick<RequestContext, 'about' | 'pack'>): Verdict {
  const a = world.actors.get(id);
  if (!rec.ok) return { target: null, followed: false, outcome: 'nothing to follow: the mind failed, the actor kept to its reflexes' };
  if (!a) return { target: null, followed: null, outcome: 'the actor left the world' };
  const s = (a.state ?? {}) as Record<string, unknown>;
  if (rec.port === 'think') return thinkVerdict(world, a.params, s, rec.summary);
  if (rec.port === 'plan') return planVerdict(world, s, req.pack);
  if (rec.port === 'chat') return { target: named(world, req.about), followed: null, outcome: '' };
  return { target: null, followed: null, outcome: '' };
}

function thinkVerdict(world: World, params: unknown, s: Record<string, unknown>, action: string): Verdict {
  const mode = typeof s.mode === 'string' ? s.mode : '';
  const targetId = typeof s.target === 'number' ? s.target : 0;
  const target = named(world, targetId);
  const doing = `it ${MODE_WORDS[mode] ?? mode}${target ? ` ${target.name} (#${target.id})` : ''}`;
  if (!mode) return { target, followed: null, outcome: '' };
  if (mode === 'dead') return { target: null, followed: false, outcome: 'it died before acting on it' };
  const order = s.order as { role?: unknown; until?: unknown } | null | undefined;
  const ordered = !!order && typeof order.until === 'number' && world.time < order.until;
  if (action === 'followOrder') return ordered ? { target, followed: true, outcome: `followed its pack order (${String(order.role)}): ${doing}` } : { target, followed: false, outcome: `it has no pack order to follow: ${doing}` };
  if (mode === 'flee' && action !== 'retreat') return { target, followed: false, outcome: 'it is badly hurt and flees instead (the flee reflex comes first)' };
  if (ordered && action !== 'retreat') {
    const fits = AT_A_FOE.has(action) ? mode === 'chase' || mode === 'fight' : action === 'wander' ? mode === 'wander' : false;
    return { target, followed: fits, outcome: `its pack order (${String(order.role)}) comes first: ${doing}` };
  }
  if (action === 'retreat') return mode === 'flee' ? { target, followed: true, outcome: 'it flees' } : { target, followed: false, outcome: `${ordered ? `its pack order (${String(order.role)}) comes first` : 'no foe in sight to retreat from'}: ${doing}` };
  if (action === 'wander') return mode === 'wander' ? { target, followed: true, outcome: 'it wanders' } : { target, followed: false, outcome: `a foe came within reach: ${doing}` };
  if (AT_A_FOE.has(action)) {
    if ((mode === 'chase' || mode === 'fight') && target) return { target, followed: true, outcome: doing };
    const sight = typeof (params as { perception?: unknown } | null)?.perception === 'number' ? (params as { perception: number }).perception : undefined;
    return { target, followed: false, outcome: `no foe within its perception${sight ? ` (${sight} tiles)` : ''}: ${doing}` };
  }
  return { target, followed: null, outcome: doing };
}

function planVerdict(world: World, s: Record<string, unknown>, key: string): Verdict {
  const packs = s.packs as Record<string, { pack?: unknown; note?: unknown; leader?: unknown }> | undefined;
  const rec = key ? packs?.[key] : undefined;
  const pack = key ? packName(world, key) : 'the pack';
  if (!rec) return { target: null, followed: false, outcome: `${pack} left the fight before the plan arrived` };
  const note = typeof rec.note === 'string' ? rec.note : '';
  const leader = typeof rec.leader === 'number' ? rec.leader : 0;
  const target = leader ? { id: leader, name: actorName(world, leader) } : null;
  if (note.startsWith('accepted')) return { target, followed: true, outcome: `${pack} follow it` };
  return { target, followed: false, outcome: `${pack} keep the local tactician's plan: ${note || 'the answer was not used'}` };
}
