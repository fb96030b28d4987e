import type { Actor, ActorId, CoordinatorState, DirectorAction, DirectorParams, DirectorState, DirectorWhen, Simulation, StepReport } from '../../actors/index.ts';
import { actorName, packName, planSourceWords } from './actorNames.ts';

/** One happening of a run, at the tick it happened, with every actor and pack named in words. */
export type TimelineEntry =
  | { readonly tick: number; readonly kind: 'death'; readonly victim: string; readonly victimSide: string; readonly pack?: string; readonly killer: string; readonly killerSide: string; readonly damage: number }
  | { readonly tick: number; readonly kind: 'trigger'; readonly trigger: string; readonly when: string; readonly actions: readonly string[] }
  | { readonly tick: number; readonly kind: 'plan'; readonly pack: string; readonly source: string; readonly formation: string; readonly battleCry: string }
  | { readonly tick: number; readonly kind: 'outcome'; readonly result: 'win' | 'lose' | 'none'; readonly reason: string };

/** A pack at the end of a run: members alive of all it had, and their hp left. */
export interface PackSurvivors {
  readonly pack: string;
  readonly species: string;
  readonly side: string;
  readonly alive: number;
  readonly total: number;
  readonly hp: number;
  readonly maxHp: number;
}

/** A simulated player at the end of a run. Position in world units. */
export interface PlayerEndState {
  readonly name: string;
  readonly alive: boolean;
  readonly hp: number;
  readonly maxHp: number;
  readonly kills: number;
  readonly damageDealt: number;
  readonly deaths: number;
  /** Who dealt the last killing blow, if the player died. */
  readonly killedBy: string | null;
  readonly at: { readonly x: number; readonly y: number };
}

/** Living actors and damage dealt (cumulative) per side, sampled over the run's ticks. */
export interface RunSeries {
  readonly ticks: readonly number[];
  readonly alive: Readonly<Record<string, readonly number[]>>;
  readonly damage: Readonly<Record<string, readonly number[]>>;
}

/** Timeline entries kept at most; later ones are counted in `dropped`. */
const MAX_ENTRIES = 5000;
/** Samples of the series kept at most: beyond, every other one is dropped and the stride doubles. */
const MAX_SAMPLES = 600;

interface Known {
  readonly name: string;
  readonly side: string;
  readonly kind: string;
  /** The pack tag, for pack members. */
  readonly packTag: string | null;
  readonly species: string | undefined;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Watches a run step by step and keeps what a designer reads afterwards: deaths with their killer, triggers as
 * they fire, plans as the coordinator adopts them, and living actors and damage per side over time. It reads the
 * simulation only (a replay builds the same timeline).
 */
export class RunTimeline {
  readonly entries: TimelineEntry[] = [];
  dropped = 0;
  private readonly known = new Map<ActorId, Known>();
  private readonly kills = new Map<ActorId, number>();
  private readonly deaths = new Map<ActorId, { count: number; killer: string }>();
  private readonly dealt = new Map<ActorId, number>();
  private readonly damageBySide = new Map<string, number>();
  private readonly activeTriggers = new Map<ActorId, ReadonlySet<string>>();
  private readonly planSeq = new Map<ActorId, number>();
  /** Directors and coordinators: the actors whose state tells of triggers fired and plans adopted. */
  private readonly watched: ActorId[] = [];
  private readonly ticks: number[] = [];
  private readonly alive = new Map<string, number[]>();
  private readonly damage = new Map<string, number[]>();
  private stride = 1;

  /** `scenarioPacks` maps scenario ids to pack tags (the scenario plan's `packs`). */
  constructor(scenarioPacks: ReadonlyMap<string, string>) {
    this.packIds = new Map([...scenarioPacks].map(([id, tag]) => [tag, id]));
  }

  private readonly packIds: Map<string, string>;

  /** Take in one finished step. */
  step(report: StepReport, sim: Simulation): void {
    const w = sim.world;
    for (const id of report.spawned) {
      const a = w.actors.get(id);
      if (a?.kind === 'director' || a?.kind === 'coordinator') this.watched.push(id);
      else this.know(a);
    }
    for (const a of report.attacks) {
      const att = this.know(w.actors.get(a.attacker));
      const tgt = this.know(w.actors.get(a.target));
      const side = att?.side ?? 'unknown';
      this.damageBySide.set(side, (this.damageBySide.get(side) ?? 0) + a.damage);
      this.dealt.set(a.attacker, (this.dealt.get(a.attacker) ?? 0) + a.damage);
      if (!a.killed) continue;
      this.kills.set(a.attacker, (this.kills.get(a.attacker) ?? 0) + 1);
      const killer = att?.name ?? 'something unseen';
      const d = this.deaths.get(a.target);
      this.deaths.set(a.target, { count: (d?.count ?? 0) + 1, killer });
      const pack = tgt?.packTag ? packName(tgt.packTag, tgt.species, this.packIds) : undefined;
      this.push({ tick: w.tick, kind: 'death', victim: tgt?.name ?? 'something unseen', victimSide: tgt?.side ?? 'unknown', ...(pack && { pack }), killer, killerSide: side, damage: r1(a.damage) });
    }
    for (const id of this.watched) {
      const a = w.actors.get(id);
      if (a?.kind === 'director') this.triggers(a, w.tick);
      else if (a?.kind === 'coordinator') this.plans(a, w.tick, sim);
    }
    if (w.tick % this.stride === 0) this.sample(sim);
  }

  /** Close the series with the last tick (call once, after the last step). */
  finish(sim: Simulation): void {
    if (this.ticks[this.ticks.length - 1] !== sim.world.tick) this.sample(sim);
  }

  /** Living actors and cumulative damage dealt per side, sampled. */
  series(): RunSeries {
    return { ticks: [...this.ticks], alive: Object.fromEntries(this.alive), damage: Object.fromEntries(this.damage) };
  }

  /** Every pack seen in the run, named, with its members alive and hp left (dead members count with 0 hp). */
  survivors(sim: Simulation): PackSurvivors[] {
    const packs = new Map<string, { species: string; side: string; alive: number; total: number; hp: number; maxHp: number }>();
    for (const [id, k] of this.known) {
      if (!k.packTag) continue;
      const body = sim.world.actors.get(id)?.body;
      let p = packs.get(k.packTag);
      if (!p) packs.set(k.packTag, (p = { species: k.species ?? 'unknown', side: k.side, alive: 0, total: 0, hp: 0, maxHp: 0 }));
      p.total++;
      if (body?.alive) {
        p.alive++;
        p.hp += body.hp;
      }
      p.maxHp += body?.maxHp ?? 0;
    }
    return [...packs].map(([tag, p]) => ({ pack: packName(tag, p.species, this.packIds), species: p.species, side: p.side, alive: p.alive, total: p.total, hp: r1(p.hp), maxHp: r1(p.maxHp) }));
  }

  /** The simulated players as the run left them. */
  players(sim: Simulation): PlayerEndState[] {
    const out: PlayerEndState[] = [];
    for (const [id, k] of this.known) {
      if (k.kind !== 'player') continue;
      const body = sim.world.actors.get(id)?.body;
      const d = this.deaths.get(id);
      out.push({
        name: k.name,
        alive: body?.alive ?? false,
        hp: r1(body?.alive ? body.hp : 0),
        maxHp: r1(body?.maxHp ?? 0),
        kills: this.kills.get(id) ?? 0,
        damageDealt: r1(this.dealt.get(id) ?? 0),
        deaths: d?.count ?? 0,
        killedBy: d?.killer ?? null,
        at: { x: r1(body?.x ?? NaN), y: r1(body?.y ?? NaN) },
      });
    }
    return out;
  }

  private push(e: TimelineEntry): void {
    if (this.entries.length < MAX_ENTRIES) this.entries.push(e);
    else this.dropped++;
  }

  private know(a: Actor | undefined): Known | undefined {
    if (!a) return undefined;
    let k = this.known.get(a.id);
    if (k || !a.body) return k;
    const pack = a.tags?.pack;
    const species = typeof a.tags?.label === 'string' ? a.tags.label : typeof a.tags?.species === 'string' ? a.tags.species : undefined;
    k = { name: actorName(a.kind, a.tags), side: a.body.faction, kind: a.kind, packTag: typeof pack === 'string' ? pack : null, species };
    this.known.set(a.id, k);
    return k;
  }

  /** A trigger fires on the rising edge of its condition: it joins the director's `active` list. */
  private triggers(a: Actor, tick: number): void {
    const state = a.state as DirectorState | undefined;
    if (!state) return;
    const before = this.activeTriggers.get(a.id) ?? new Set<string>();
    const now = new Set(state.active);
    const params = a.params as DirectorParams;
    for (const id of state.active) {
      if (before.has(id)) continue;
      const t = params.triggers.find((x) => x.id === id);
      this.push({ tick, kind: 'trigger', trigger: id, when: t ? this.whenWords(t.when) : '', actions: t ? t.do.map((d) => this.actionWords(d)) : [] });
    }
    this.activeTriggers.set(a.id, now);
  }

  private plans(a: Actor, tick: number, sim: Simulation): void {
    const state = a.state as CoordinatorState | undefined;
    if (!state) return;
    const seen = this.planSeq.get(a.id) ?? 0;
    let top = seen;
    const fresh = Object.values(state.packs).filter((p) => p.plan && p.plan.seq > seen).sort((x, y) => (x.plan?.seq ?? 0) - (y.plan?.seq ?? 0));
    for (const p of fresh) {
      const plan = p.plan!;
      top = Math.max(top, plan.seq);
      const member = p.members.map((m) => this.know(sim.world.actors.get(m))).find((k) => k);
      this.push({ tick, kind: 'plan', pack: packName(p.pack, member?.species, this.packIds), source: planSourceWords(plan.source), formation: plan.plan.formation, battleCry: plan.plan.battleCry });
    }
    this.planSeq.set(a.id, top);
  }

  private sample(sim: Simulation): void {
    const alive = new Map<string, number>();
    for (const a of sim.world.actors.values()) if (a.body?.alive) alive.set(a.body.faction, (alive.get(a.body.faction) ?? 0) + 1);
    const n = this.ticks.length;
    const add = (into: Map<string, number[]>, side: string, v: number): void => {
      let list = into.get(side);
      if (!list) into.set(side, (list = new Array<number>(n).fill(0)));
      list.push(v);
    };
    for (const side of new Set([...this.alive.keys(), ...alive.keys()])) add(this.alive, side, alive.get(side) ?? 0);
    for (const side of new Set([...this.damage.keys(), ...this.damageBySide.keys()])) add(this.damage, side, r1(this.damageBySide.get(side) ?? 0));
    this.ticks.push(sim.world.tick);
    if (this.ticks.length > MAX_SAMPLES) {
      const keep = (list: number[]): number[] => list.filter((_, i) => i % 2 === 1);
      this.ticks.splice(0, this.ticks.length, ...keep(this.ticks));
      for (const m of [this.alive, this.damage]) for (const [k, v] of m) m.set(k, keep(v));
      this.stride *= 2;
    }
  }

  private pack(tag: string): string {
    const member = [...this.known.values()].find((k) => k.packTag === tag || k.packTag?.startsWith(`${tag}/`));
    return packName(tag, member?.species, this.packIds);
  }

  private whenWords(w: DirectorWhen): string {
    if ('atTick' in w) return `${w.atTick} ticks after the start`;
    if ('playerEnters' in w) return `a player entered the area at (${r1(w.playerEnters.x)}, ${r1(w.playerEnters.y)}), ${w.playerEnters.w}×${w.playerEnters.h}`;
    return `${this.pack(w.packBelow.pack)} fell below ${w.packBelow.members} ${w.packBelow.members === 1 ? 'member' : 'members'}`;
  }

  private actionWords(d: DirectorAction): string {
    if ('spawn' in d) {
      const by = new Map<string, number>();
      for (const s of d.spawn) {
        const what = String(s.tags?.label ?? s.tags?.species ?? s.tags?.name ?? s.kind).toLowerCase();
        by.set(what, (by.get(what) ?? 0) + 1);
      }
      return `spawned ${[...by].map(([k, n]) => (n === 1 ? `a ${k}` : `${k} ×${n}`)).join(', ') || 'nothing'}`;
    }
    if ('alert' in d) return `alerted ${this.pack(d.alert)}`;
    if ('signal' in d) return `signalled ${this.pack(d.signal.pack)} '${d.signal.topic}'`;
    return `narrator: "${d.say}"`;
  }
}
