import { packPlans } from '../actors/index.ts';
import type { PackPlanView, World } from '../actors/index.ts';
import { packDisplayName } from '../shared/index.ts';
import type { Audience } from './projection.ts';
import { planSourceText } from './planWords.ts';
import { AssignmentState, PlanState } from './state.ts';
import type { WorldState } from './state.ts';

/** The part of an audience that routes plans. */
export type PlanAudience = Pick<Audience, 'planned' | 'unplanned'>;

/**
 * Write the coordinator's current pack plans into `state.plans`: added, rewritten in place when their `seq`
 * changes (a pack keeps one PlanState while it is engaged, so the clients that hold it get a patch of what
 * changed), removed when the pack disengages. `audience` hears of each plan added or rewritten, and of each
 * about to be removed. `coordinator` is the coordinator's actor id from the last call (-1: look through every
 * actor once; 0: look among this step's `spawned`); returns the id to pass next time. Costs nothing while no plan
 * changes.
 */
export function projectPlans(world: World, state: WorldState, coordinator: number, spawned: readonly number[] = [], audience?: PlanAudience): number {
  let id = coordinator;
  let actor = id > 0 ? world.actors.get(id) : undefined;
  if (!actor) {
    const candidates = id < 0 ? world.actors.keys() : spawned;
    id = 0;
    for (const c of candidates) {
      const a = world.actors.get(c);
      if (a?.kind === 'coordinator') {
        actor = a;
        id = a.id;
        break;
      }
    }
  }
  const plans = state.plans;
  if (!actor) {
    if (plans.size) {
      plans.forEach((p) => audience?.unplanned(p));
      plans.clear();
    }
    return 0;
  }
  const views = packPlans(actor.state);
  const live = new Set<string>();
  const dt = world.config.dt;
  for (const v of views) {
    live.add(v.pack);
    const old = plans.get(v.pack);
    if (old && old.seq === v.seq) {
      if (old.note !== v.note) {
        old.note = v.note;
        old.sourceText = planSourceText(old.source, old.model, old.cached, v.note);
      }
      continue;
    }
    if (old) {
      writePlan(old, v, dt, world);
      audience?.planned(old);
    } else {
      const p = writePlan(new PlanState(), v, dt, world);
      plans.set(v.pack, p);
      audience?.planned(p);
    }
  }
  for (const [key, p] of [...plans.entries()]) {
    if (live.has(key)) continue;
    audience?.unplanned(p);
    plans.delete(key);
  }
  return id;
}

/** Write plan `v` into `p`, field by field (only what differs), its assignments anew; names from `world`. Returns `p`. */
function writePlan(p: PlanState, v: PackPlanView, dt: number, world: World): PlanState {
  const tags = world.actors.get(v.leader)?.tags;
  const fields = {
    pack: v.pack,
    leader: v.leader,
    seq: v.seq,
    formation: v.plan.formation,
    retreatBelow: Math.fround(v.plan.retreatBelow),
    battleCry: v.plan.battleCry,
    expiresTick: Math.round(v.expiresAt / dt),
    source: v.source.provider,
    model: v.source.model,
    cached: v.source.cached,
    repairs: Math.min(65535, v.repairs.length),
    note: v.note,
    packName: packDisplayName(typeof tags?.name === 'string' ? tags.name : '', typeof tags?.species === 'string' ? tags.species : ''),
    sourceText: planSourceText(v.source.provider, v.source.model, v.source.cached, v.note),
  };
  for (const k of Object.keys(fields) as (keyof typeof fields)[]) {
    if (p[k] !== fields[k]) (p as Record<keyof typeof fields, unknown>)[k] = fields[k];
  }
  if (p.assignments.length) p.assignments.clear();
  for (const a of v.plan.assignments) {
    const hasPoint = a.x !== null && a.y !== null;
    p.assignments.push(new AssignmentState({
      member: a.member, role: a.role, target: a.target ?? 0, hasPoint, x: hasPoint ? v.origin.x + (a.x as number) : 0, y: hasPoint ? v.origin.y + (a.y as number) : 0,
    }));
  }
  return p;
}
