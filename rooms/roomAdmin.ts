import { packPlans } from '../actors/index.ts';
import type { ActorId, PackPlanView, Simulation, StepReport, WorldInput } from '../actors/index.ts';
import type { WorldGen } from '../procgen/index.ts';
import { inspectActor } from './actorInspection.ts';
import type { ActorInspection } from './actorInspection.ts';
import type { DecisionLog } from './decisionLog.ts';

/** Spawn inputs from the admin API carry `ref` = this prefix + a sequence number. */
export const ADMIN_REF = 'admin:';

/** What the admin operations need of their room. */
export interface AdminHost {
  readonly sim: Simulation;
  readonly gen: WorldGen;
  readonly decisions: DecisionLog;
  /** Deliver the mind answers that have arrived, run one step and project it. */
  stepNow(): void;
}

interface SpawnBatch {
  readonly refs: Set<string>;
  readonly ids: ActorId[];
  readonly resolve: (ids: ActorId[]) => void;
  readonly queuedAt: number;
}

/**
 * A world room's admin operations (what the admin API calls): pause, resume and single-step the simulation; queue
 * validated spawns and hand back the new actors' ids once they exist; despawn; inspect an actor.
 */
export class RoomAdmin {
  /** While paused the simulation does not advance (the admin API steps it by hand). */
  paused = false;
  /** Spawns queued through the admin API so far (the `admin:<n>` refs); kept in snapshots. */
  seq = 0;
  private readonly spawns: SpawnBatch[] = [];

  constructor(private readonly host: () => AdminHost) {}

  /** Stop advancing the simulation (clients stay connected; state patches stop changing). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Run `n` steps now (paused or not), with the mind answers that have arrived. Returns the tick reached. */
  stepOnce(n = 1): number {
    const host = this.host();
    for (let i = 0; i < n; i++) host.stepNow();
    return host.sim.world.tick;
  }

  /**
   * Queue already validated spawn inputs for the next step; resolves with the new actors' ids once that step ran (a
   * refused spawn has no id).
   */
  spawnInputs(inputs: readonly WorldInput[]): Promise<ActorId[]> {
    const sim = this.host().sim;
    const refs = new Set<string>();
    for (const input of inputs) {
      if (input.type !== 'spawn') {
        sim.input(input);
        continue;
      }
      const ref = `${ADMIN_REF}${++this.seq}`;
      refs.add(ref);
      sim.input({ ...input, ref });
    }
    return new Promise((resolve) => this.spawns.push({ refs, ids: [], resolve, queuedAt: sim.world.tick }));
  }

  /** Stop an actor (and its children) on the next step; false when there is no such actor. */
  despawn(id: ActorId): boolean {
    const sim = this.host().sim;
    if (!sim.world.actors.has(id)) return false;
    sim.input({ type: 'stop', actor: id });
    return true;
  }

  /** What the inspector shows of an actor, or null when it is not in the world. */
  inspect(id: ActorId): ActorInspection | null {
    const { sim, gen, decisions } = this.host();
    const world = sim.world;
    const pack = world.actors.get(id)?.tags?.pack;
    let plan: PackPlanView | undefined;
    if (pack !== undefined) {
      for (const a of world.actors.values()) {
        if (a.kind !== 'coordinator') continue;
        plan = packPlans(a.state).find((p) => p.pack === String(pack));
        break;
      }
    }
    const ts = gen.tileSize;
    return inspectActor(world, id, decisions.of(id), { ...(plan && { plan }), biomeAt: (x, y) => gen.biomeAt(Math.floor(x / ts), Math.floor(y / ts)) });
  }

  /** After a step: the ids of admin spawns it made go to their batches; batches queued before it resolve. */
  afterStep(report: StepReport): void {
    if (this.spawns.length === 0) return;
    for (const { ref, id } of report.refs) {
      if (!ref.startsWith(ADMIN_REF)) continue;
      this.spawns.find((b) => b.refs.has(ref))?.ids.push(id);
    }
    const tick = this.host().sim.world.tick;
    for (let i = this.spawns.length - 1; i >= 0; i--) {
      const b = this.spawns[i] as SpawnBatch;
      if (tick > b.queuedAt) {
        this.spawns.splice(i, 1);
        b.resolve(b.ids);
      }
    }
  }

  /** The room is going away: every waiting spawn resolves with what it got. */
  close(): void {
    for (const b of this.spawns.splice(0)) b.resolve(b.ids);
  }
}
