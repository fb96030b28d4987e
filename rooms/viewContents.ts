import { StateView } from '@colyseus/schema';
import type { ActorId } from '../actors/index.ts';
import type { EntityState, PlanState, PlayerState, SpeechState } from './state.ts';

/**
 * One StateView and what it holds (entities by actor id, player entries, speech lines, plans), so that what a
 * client holds can be told and another view made to hold the same. Every change is guarded by `view.has`: a
 * StateView re-sends a whole snapshot of an object added twice.
 */
export class ViewContents {
  readonly view = new StateView();
  readonly entities = new Map<ActorId, EntityState>();
  readonly players = new Set<PlayerState>();
  readonly lines = new Set<SpeechState>();
  readonly plans = new Set<PlanState>();

  addEntity(id: ActorId, e: EntityState): void {
    this.entities.set(id, e);
    if (!this.view.has(e)) this.view.add(e);
  }

  removeEntity(id: ActorId): void {
    const e = this.entities.get(id);
    if (!e) return;
    this.entities.delete(id);
    if (this.view.has(e)) this.view.remove(e);
  }

  addPlayer(p: PlayerState): void {
    this.players.add(p);
    if (!this.view.has(p)) this.view.add(p);
  }

  removePlayer(p: PlayerState): void {
    if (!this.players.delete(p)) return;
    if (this.view.has(p)) this.view.remove(p);
  }

  addLine(line: SpeechState): void {
    this.lines.add(line);
    if (!this.view.has(line)) this.view.add(line);
  }

  removeLine(line: SpeechState): void {
    if (!this.lines.delete(line)) return;
    if (this.view.has(line)) this.view.remove(line);
  }

  addPlan(plan: PlanState): void {
    this.plans.add(plan);
    if (!this.view.has(plan)) this.view.add(plan);
  }

  removePlan(plan: PlanState): void {
    if (!this.plans.delete(plan)) return;
    if (this.view.has(plan)) this.view.remove(plan);
  }

  /**
   * A new view holding what `source` holds, without sending any of it: for a client that has received `source`
   * up to the last patch (its visibility is set, its pending changes dropped). `live` tells the speech lines
   * still in the state (those that aged out cannot be added).
   */
  static copyOf(source: ViewContents, live: (line: SpeechState) => boolean): ViewContents {
    const c = new ViewContents();
    for (const [id, e] of source.entities) c.addEntity(id, e);
    for (const p of source.players) c.addPlayer(p);
    for (const line of source.lines) if (live(line)) c.addLine(line);
    for (const plan of source.plans) c.addPlan(plan);
    c.view.changes.clear();
    return c;
  }

  /**
   * Make this view hold what `target` holds: entities, player entries and plans it lacks are added, those
   * `target` does not hold are removed. Speech lines that `target` does not hold are removed, and lines said
   * before are not added (a line reaches those who could see its speaker as it was said).
   */
  becomeLike(target: ViewContents): void {
    for (const id of [...this.entities.keys()]) if (!target.entities.has(id)) this.removeEntity(id);
    for (const p of [...this.players]) if (!target.players.has(p)) this.removePlayer(p);
    for (const plan of [...this.plans]) if (!target.plans.has(plan)) this.removePlan(plan);
    for (const line of [...this.lines]) if (!target.lines.has(line)) this.removeLine(line);
    for (const [id, e] of target.entities) if (!this.entities.has(id)) this.addEntity(id, e);
    for (const p of target.players) if (!this.players.has(p)) this.addPlayer(p);
    for (const plan of target.plans) if (!this.plans.has(plan)) this.addPlan(plan);
  }

  dispose(): void {
    this.view.dispose();
  }
}
