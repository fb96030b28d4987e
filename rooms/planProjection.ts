import { packPlans } from '../actors/index.ts';
import type { PackPlanView, World } from '../actors/index.ts';
import { AssignmentState, PlanState } from './state.ts';
import type { WorldState } from './state.ts';

/**
 * Write the coordinator's current pack plans into `state.plans` (added, replaced when their `seq` changes,
 * removed when the pack disengages). `coordinator` is the coordinator's actor id from the last call (-1: look
 * through every actor once; 0: look among this step's `spawned`); returns the id to pass next time. Costs
 * nothing while no plan changes.
 */
export function projectPlans(world: World, state: WorldState, coordinator: number, spawned: readonly number[] = []): number {
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
    if (plans.size) plans.clear();
    return 0;
  }
  const views = packPlans(actor.state);
  const live = new Set<string>();
  for (const v of views) {
    live.add(v.pack);
    const old = plans.get(v.pack);
    if (old && old.seq === v.seq) {
      if (old.note !== v.note) old.note = v.note;
      continue;
    }
    plans.set(v.pack, planState(v, world.config.dt));
  }
  for (const key of [...plans.keys()]) if (!live.has(key)) plans.delete(key);
  return id;
}

function planState(v: PackPlanView, dt: number): PlanState {
  const p = new PlanState({
    pack: v.pack,
    leader: v.leader,
    seq: v.seq,
    formation: v.plan.formation,
    retreatBelow: v.plan.retreatBelow,
    battleCry: v.plan.battleCry,
    expiresTick: Math.round(v.expiresAt / dt),
    source: v.source.provider,
    model: v.source.model,
    cached: v.source.cached,
    repairs: Math.min(65535, v.repairs.length),
    note: v.note,
  });
  for (const a of v.plan.assignments) {
    const hasPoint = a.x !== null && a.y !== null;
    p.assignments.push(new AssignmentState({
      member: a.member, role: a.role, target: a.target ?? 0, hasPoint, x: hasPoint ? v.origin.x + (a.x as number) : 0, y: hasPoint ? v.origin.y + (a.y as number) : 0,
    }));
  }
  return p;
}
