import { BehaviourRegistry, coordinatorBehaviour, coordinatorSpawn, monsterBehaviour, playerBehaviour, Simulation } from '../../actors/index.ts';
import type { Behaviour, CoordinatorState, Mind, MindRequest, ReplyInput, WorldInput } from '../../actors/index.ts';
import type { ManualClock } from '../../shared/index.ts';
import { arenaBotBehaviour } from './arenaBot.ts';
import { ArenaTerrain } from './arenaTerrain.ts';
import { BOT_COOLDOWN } from './curriculum.ts';
import type { BattleSpec } from './curriculum.ts';

/**
 * Who speaks for the pack: `none` (each monster alone: no roster, no help calls), `roster` (the room coordinator
 * tells the pack its roster, so help calls and target reports flow, but makes no plans), `tactician` (rosters and
 * the local tactician's plans), `cloud` (the tactician plus cloud plans through the `plan` port).
 */
export type PackVoice = 'none' | 'roster' | 'tactician' | 'cloud';

const DT = 1 / 20;
/** Battles end after this many ticks (90 s); an unfinished battle is a loss for the pack. */
export const MAX_TICKS = 1800;
/** Ticks between two samples of the pack's spread. */
const SPREAD_EVERY = 10;

export interface BattleResult {
  readonly win: boolean;
  /** Damage the pack dealt and took. */
  readonly dealt: number;
  readonly taken: number;
  /** The players' and the pack's total hit points at the start. */
  readonly botsHp: number;
  readonly packHp: number;
  readonly ticks: number;
  readonly packSize: number;
  /** Monsters alive at the end. */
  readonly survivors: number;
  /** Mean distance from a living monster to its nearest living mate (world units), sampled while both sides fight. */
  readonly spread: number;
  /** Layer-3 decisions asked for during the battle. */
  readonly decisions: number;
  readonly stats: CoordinatorState['stats'] | null;
}

export interface BattleOptions {
  readonly voice: PackVoice;
  /** Advanced with simulation time (the gateway's clock in the cloud modes). */
  readonly clock?: ManualClock;
  /** Virtual latency of `plan` answers: wall ms × this = game ms. */
  readonly latencyScale?: number;
  /** Wraps the coordinator (e.g. to time it). */
  readonly coordinator?: Behaviour<CoordinatorState, never>;
  /** Called with every tick's think requests before they are served (e.g. to keep samples of them). */
  readonly onThink?: (batch: readonly MindRequest[]) => void;
}

function registry(coordinator: Behaviour<CoordinatorState, never> | undefined): BehaviourRegistry {
  return new BehaviourRegistry().register(monsterBehaviour).register(playerBehaviour).register(arenaBotBehaviour).register(coordinator ?? coordinatorBehaviour);
}

/** The spawn inputs of a battle. */
export function battleSpawns(spec: BattleSpec): WorldInput[] {
  const out: WorldInput[] = [];
  spec.monsters.forEach((m, i) => {
    out.push({
      type: 'spawn',
      spec: {
        kind: 'monster', behaviour: 'monster',
        params: { perception: m.sight, damage: m.damage, cooldown: 1, respawnDelay: 3600, activation: 20 },
        body: { x: m.x, y: m.y, maxHp: m.hp, speed: m.speed, faction: 'wild' },
        tags: { species: spec.species, biome: spec.biome, pack: 'p', name: `${spec.species}${i}` },
      },
    });
  });
  spec.bots.forEach((b, i) => {
    out.push({
      type: 'spawn',
      spec: {
        kind: 'player', behaviour: 'bot',
        params: { damage: b.damage, cooldown: BOT_COOLDOWN, range: 0.8, focus: b.focus, sight: 40 },
        body: { x: b.x, y: b.y, maxHp: b.hp, speed: b.speed, faction: 'players' },
        tags: { name: `bot${i}` },
      },
    });
  });
  return out;
}

/**
 * One headless battle: the simulation stepped at 20 Hz with the given minds serving each tick's requests by port
 * (answers arrive on the next tick; `plan` answers after their virtual latency) until one side is down or 90 s
 * pass. Deterministic for deterministic minds: the same spec and minds give the same result.
 */
export async function runBattle(spec: BattleSpec, minds: Readonly<Record<string, Mind>>, o: BattleOptions): Promise<BattleResult> {
  const terrain = new ArenaTerrain(spec.size, spec.size);
  for (const p of spec.patches) terrain.paint(p.x, p.y, p.w, p.h, p.cost, p.cover);
  const sim = new Simulation({ seed: spec.seed, registry: registry(o.coordinator), terrain, record: false });
  for (const s of battleSpawns(spec)) sim.input(s);
  if (o.voice !== 'none') {
    sim.input(coordinatorSpawn({ askCloud: o.voice === 'cloud', ...(o.voice === 'roster' && { tactics: false }), tier: 'whale', budgetUsd: 10, room: spec.seed.slice(0, 128), planTimeout: 2, cloudEvery: 4, engageRange: 16 }));
  }
  const later = new Map<number, ReplyInput[]>();
  const monsters = new Set<number>();
  const players = new Set<number>();
  let dealt = 0, taken = 0, win = false, tick = 0, decisions = 0, spreadSum = 0, spreadN = 0;
  const scale = o.latencyScale ?? 20;
  for (; tick < MAX_TICKS; tick++) {
    const due = later.get(tick);
    if (due) {
      for (const r of due) sim.reply(r);
      later.delete(tick);
    }
    o.clock?.advance(DT * 1000);
    const report = sim.step();
    if (tick === 0) for (const a of sim.world.actors.values()) (a.kind === 'monster' ? monsters : a.kind === 'player' ? players : new Set<number>()).add(a.id);
    for (const a of report.attacks) {
      if (monsters.has(a.attacker)) dealt += a.damage;
      else if (monsters.has(a.target)) taken += a.damage;
    }
    if (report.requests.length) {
      const byPort = new Map<string, MindRequest[]>();
      for (const q of report.requests) {
        const list = byPort.get(q.port);
        if (list) list.push(q);
        else byPort.set(q.port, [q]);
      }
      for (const [port, batch] of byPort) {
        const mind = minds[port];
        if (!mind) continue;
        if (port === 'think') {
          decisions += batch.length;
          o.onThink?.(batch);
        }
        const t0 = performance.now();
        const replies = await mind.serve(batch);
        const at = port === 'plan' ? tick + 1 + Math.ceil(((performance.now() - t0) * scale) / 1000 / DT) : tick + 1;
        const list = later.get(at);
        if (list) list.push(...replies);
        else later.set(at, [...replies]);
      }
    }
    let botsUp = 0, packUp = 0;
    for (const id of players) if (sim.world.actors.get(id)?.body?.alive) botsUp++;
    for (const id of monsters) if (sim.world.actors.get(id)?.body?.alive) packUp++;
    if (botsUp === 0) {
      win = true;
      break;
    }
    if (packUp === 0) break;
    if (tick % SPREAD_EVERY === 0 && packUp > 1) {
      spreadSum += meanNearestMate(sim, monsters);
      spreadN++;
    }
  }
  let survivors = 0;
  for (const id of monsters) if (sim.world.actors.get(id)?.body?.alive) survivors++;
  const coordinator = [...sim.world.actors.values()].find((a) => a.kind === 'coordinator');
  return {
    win, dealt, taken, ticks: tick + 1, packSize: monsters.size, survivors, decisions,
    botsHp: spec.bots.reduce((s, b) => s + b.hp, 0), packHp: spec.monsters.reduce((s, m) => s + m.hp, 0),
    spread: spreadN ? spreadSum / spreadN : 0,
    stats: coordinator ? (coordinator.state as CoordinatorState).stats : null,
  };
}

function meanNearestMate(sim: Simulation, monsters: ReadonlySet<number>): number {
  const bodies = [];
  for (const id of monsters) {
    const b = sim.world.actors.get(id)?.body;
    if (b?.alive) bodies.push(b);
  }
  let sum = 0;
  for (const a of bodies) {
    let best = Infinity;
    for (const b of bodies) if (a !== b) best = Math.min(best, Math.hypot(a.x - b.x, a.y - b.y));
    sum += best;
  }
  return sum / bodies.length;
}

/**
 * The training reward of a battle: winning counts most; then the share of the players' hp taken and of the
 * pack's hp kept, the survivors, and keeping together (a pack whose members stand within a few units of a mate).
 */
export function battleReward(r: BattleResult): number {
  const cohesion = r.spread > 0 ? Math.exp(-r.spread / 8) : 0;
  return (r.win ? 1 : 0)
    + 0.5 * Math.min(1, r.dealt / Math.max(1, r.botsHp))
    - 0.3 * Math.min(1, r.taken / Math.max(1, r.packHp))
    + 0.2 * (r.survivors / Math.max(1, r.packSize))
    + 0.1 * cohesion;
}
