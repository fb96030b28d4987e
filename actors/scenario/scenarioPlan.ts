import { DEFAULT_SPECIES, parseSpeciesTable, rollName } from '../../procgen/index.ts';
import type { SpeciesTable } from '../../procgen/index.ts';
import { Rng, ValidationError } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';
import { stanceOfRole } from '../behaviours/npc.ts';
import type { WorldInput } from '../inputs.ts';
import type { SpawnSpec } from '../spawnSpec.ts';
import type { DirectorAction, DirectorParams, DirectorTrigger } from './director.ts';
import type { ResolvedCondition } from './outcome.ts';
import type { MonsterSpawn, Npc, PackSpawn, Point, Region, Scenario, Spawn } from './scenarioSchema.ts';
import { spawnId } from './scenarioSchema.ts';
import type { Rect, ScenarioSite } from './scenarioSite.ts';

/** Options of {@link planScenario}. */
export interface PlanOptions {
  /** Tells apart two copies of one scenario in a room (pack tags are `<instance>:<id>`). Default `s`. */
  readonly instance?: string;
  /** Seed of the placement and stat rolls (default: the scenario's world seed). */
  readonly seed?: string | number;
  /** Spawn the scenario's simulated players (headless runs). Default true. */
  readonly players?: boolean;
}

/** A scenario turned into simulation inputs for one site. */
export interface ScenarioPlan {
  /** Spawn inputs: packs, monsters, NPCs, players, then the director (when the scenario has triggers). */
  readonly inputs: WorldInput[];
  /** Pack tag (the `pack` tag of its members) by scenario id. */
  readonly packs: ReadonlyMap<string, string>;
  /** End conditions in absolute coordinates. */
  readonly win: readonly ResolvedCondition[];
  readonly lose: readonly ResolvedCondition[];
  readonly counts: { readonly monsters: number; readonly npcs: number; readonly players: number };
}

/** Seconds scenario monsters stay dead unless tuned: the length of a run. */
const SCENARIO_RESPAWN = 3600;
/** Tiles searched around a spot for walkable ground. */
const SNAP_RINGS = 6;

let species: SpeciesTable | undefined;
function speciesTable(): SpeciesTable {
  species ??= parseSpeciesTable(DEFAULT_SPECIES);
  return species;
}

/**
 * Turn a validated scenario into spawn inputs at a site: members of each pack placed within its spread around
 * its anchor (snapped to walkable ground), stats rolled from the species table, trait and tuning overrides in
 * the monsters' params; NPCs with their personas; simulated players; and a `director` actor running the
 * triggers. Deterministic in (scenario, site, options). Throws a {@link ValidationError} (naming the path) for
 * what only the world can tell, such as a lair room the world's lair does not have.
 */
export function planScenario(scenario: Scenario, site: ScenarioSite, opts: PlanOptions = {}): ScenarioPlan {
  const instance = opts.instance ?? 's';
  const rng = Rng.create(opts.seed ?? scenario.world.seed).fork(`scenario/${instance}`);
  const issues: Issue[] = [];
  const packs = new Map<string, string>();
  const counts = { monsters: 0, npcs: 0, players: 0 };
  const b = new Builder(site, rng, instance, issues, counts);

  const inputs: WorldInput[] = [];
  const spawnInputs = (specs: SpawnSpec[]): void => {
    for (const spec of specs) inputs.push({ type: 'spawn', spec });
  };
  scenario.spawns.forEach((sp, i) => {
    const id = spawnId(sp, `pack${i}`);
    if (id && !sp.npc) packs.set(id, b.tag(id));
    spawnInputs(b.spawn(sp, ['spawns', i], id));
  });
  scenario.npcs.forEach((n, i) => spawnInputs(b.npc(n, ['npcs', i])));
  if (opts.players !== false) {
    for (const p of scenario.players) {
      counts.players++;
      const at = b.abs(p.at);
      spawnInputs([{
        kind: 'player',
        behaviour: 'scenarioPlayer',
        params: { route: p.route.flatMap((w) => { const a = b.abs(w); return [a.x, a.y]; }), damage: p.damage, aggro: p.aggro },
        body: { x: at.x, y: at.y, faction: 'players', speed: 5, maxHp: p.hp },
        tags: { name: p.name, scenario: instance },
      }]);
    }
  }

  const triggers: DirectorTrigger[] = scenario.triggers.map((t, i) => {
    const actions: DirectorAction[] = t.do.map((a, j) => {
      if (a.spawn) {
        const id = spawnId(a.spawn, `t${i}a${j}`);
        if (id && !a.spawn.npc) packs.set(id, b.tag(id));
        return { spawn: b.spawn(a.spawn, ['triggers', i, 'do', j, 'spawn'], id) };
      }
      if (a.alert) return { alert: b.tag(a.alert.pack) };
      if (a.signal) return { signal: { pack: b.tag(a.signal.pack), topic: a.signal.topic, ...(a.signal.data !== undefined && { data: a.signal.data }) } };
      return { say: a.say?.text ?? '' };
    });
    const w = t.when;
    return {
      id: t.id ?? `trigger${i}`,
      once: t.once,
      when: w.atTick !== undefined ? { atTick: w.atTick } : w.playerEnters ? { playerEnters: b.rect(w.playerEnters) } : { packBelow: { pack: b.tag(w.packBelow?.pack ?? ''), members: w.packBelow?.members ?? 0 } },
      do: actions,
    };
  });
  if (issues.length) throw new ValidationError('scenario', issues);
  if (triggers.length) {
    const params: DirectorParams = {
      instance,
      triggers,
      scan: { x: site.origin.x, y: site.origin.y, radius: Math.min(1024, scenario.world.size * 0.75) },
      checkEvery: 5,
    };
    inputs.push({ type: 'spawn', spec: { kind: 'director', behaviour: 'director', params: params as unknown as Record<string, unknown>, tags: { scenario: instance, name: scenario.name } } });
  }
  const resolve = (c: Scenario['outcome']['win'][number]): ResolvedCondition =>
    c.packDefeated !== undefined ? { packBelow: { pack: b.tag(c.packDefeated), members: 1 } }
      : c.packBelow ? { packBelow: { pack: b.tag(c.packBelow.pack), members: c.packBelow.members } }
        : c.playersDead ? { playersDead: true }
          : c.playerEnters ? { playerEnters: b.rect(c.playerEnters) }
            : { afterTick: c.afterTick ?? 0 };
  return { inputs, packs, win: scenario.outcome.win.map(resolve), lose: scenario.outcome.lose.map(resolve), counts };
}

/** Builds spawn specs for one plan. */
class Builder {
  private readonly paramsCache = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly site: ScenarioSite,
    private readonly rng: Rng,
    private readonly instance: string,
    private readonly issues: Issue[],
    private readonly counts: { monsters: number; npcs: number; players: number },
  ) {}

  tag(id: string): string {
    return `${this.instance}:${id}`;
  }

  abs(p: Point): Point {
    return { x: this.site.origin.x + p.x, y: this.site.origin.y + p.y };
  }

  rect(r: Region): Rect {
    return { x: this.site.origin.x + r.x, y: this.site.origin.y + r.y, w: r.w, h: r.h };
  }

  spawn(sp: Spawn, path: (string | number)[], id: string | undefined): SpawnSpec[] {
    if (sp.pack) return this.pack(sp.pack, [...path, 'pack'], id ?? 'pack');
    if (sp.monster) return this.monster(sp.monster, [...path, 'monster'], id ?? 'monster');
    return sp.npc ? this.npc(sp.npc, [...path, 'npc']) : [];
  }

  private pack(p: PackSpawn, path: (string | number)[], id: string): SpawnSpec[] {
    const rng = this.rng.fork(path.join('.'));
    const specs: SpawnSpec[] = [];
    for (let k = 0; k < p.count; k++) {
      const anchor = this.anchor(p, path, rng);
      if (!anchor) return [];
      const room = p.lairRoom !== undefined ? this.site.rooms[p.lairRoom] : undefined;
      const tag = p.count > 1 ? `${this.tag(id)}/${k}` : this.tag(id);
      for (let m = 0; m < p.size; m++) {
        const pos = this.scatter(anchor, p.spread, rng, room);
        specs.push(this.monsterSpec(p.species, pos, rng, p.faction, p.traits, p.tuning, tag, undefined, `${id}#${k}`));
      }
    }
    return specs;
  }

  private monster(m: MonsterSpawn, path: (string | number)[], id: string): SpawnSpec[] {
    const rng = this.rng.fork(path.join('.'));
    const anchor = this.anchor(m, path, rng);
    if (!anchor) return [];
    return [this.monsterSpec(m.species, this.snap(anchor), rng, m.faction, m.traits, m.tuning, this.tag(id), m.name, id)];
  }

  npc(n: Npc, path: (string | number)[]): SpawnSpec[] {
    const rng = this.rng.fork(path.join('.'));
    const anchor = this.anchor(n, path, rng);
    if (!anchor) return [];
    const at = this.snap(anchor);
    this.counts.npcs++;
    const persona = { name: n.name, role: n.role, knows: n.knows, mood: n.mood, species: n.species, ...(n.voice && { voice: n.voice }) };
    const stance = n.stance ?? stanceOfRole(n.role);
    // Guards run to a call at twice a villager's pace, and stroll at the same one.
    const guard = stance === 'guard';
    return [{
      kind: 'npc',
      behaviour: 'npc',
      params: { persona, wander: n.wander, stance, ...(guard && { wanderSpeed: 0.25 }) },
      body: { x: at.x, y: at.y, faction: n.faction, speed: guard ? 3 : 1.5, maxHp: n.hp },
      // Named by a `ref` tag, never a `pack` tag: NPCs are not a fighting pack (see isNamed).
      tags: { name: n.name, species: n.species, label: n.role, stance, scenario: this.instance, ...(n.id && { ref: this.tag(n.id) }) },
    }];
  }

  private monsterSpec(
    speciesId: string, at: Point, rng: Rng, faction: string, traits: PackSpawn['traits'], tuning: PackSpawn['tuning'], tag: string, name: string | undefined, key: string,
  ): SpawnSpec {
    this.counts.monsters++;
    const sp = speciesTable().species[speciesId];
    if (!sp) throw new Error(`planScenario: unknown species '${speciesId}'`); // the schema allows only known ones
    const s = sp.stats;
    const hp = rng.int(s.hp[0], s.hp[1]);
    const attack = rng.int(s.attack[0], s.attack[1]);
    const speed = Math.round(rng.float(s.speed[0], s.speed[1]) * 100) / 100;
    const sight = Math.round(rng.float(s.sight[0], s.sight[1]) * 10) / 10;
    const rolled = rollName(sp.names, rng);
    const { hp: hpOver, speed: speedOver, ...tune } = tuning ?? {};
    const cacheKey = `${key}|${sight}|${attack}`;
    let params = this.paramsCache.get(cacheKey);
    if (!params) {
      params = { perception: sight, damage: attack, respawnDelay: SCENARIO_RESPAWN, ...tune, ...(traits && Object.keys(traits).length > 0 && { traits }) };
      this.paramsCache.set(cacheKey, params);
    }
    return {
      kind: 'monster',
      behaviour: 'monster',
      params,
      body: { x: at.x, y: at.y, maxHp: hpOver ?? hp, speed: speedOver ?? speed, faction },
      tags: { species: speciesId, name: name ?? rolled, pack: tag, label: sp.label, biome: 'scenario', scenario: this.instance },
    };
  }

  /** The anchor of a placement in absolute world units, or null (and an issue) when it names a missing lair room. */
  private anchor(p: { at?: Point | undefined; region?: Region | undefined; lairRoom?: number | undefined }, path: (string | number)[], rng: Rng): Point | null {
    if (p.at) return this.abs(p.at);
    if (p.region) {
      const r = this.rect(p.region);
      return { x: r.x + rng.float(0, r.w), y: r.y + rng.float(0, r.h) };
    }
    const rooms = this.site.rooms;
    const room = rooms[p.lairRoom ?? 0];
    if (!room) {
      this.issues.push({ path: [...path, 'lairRoom'], message: rooms.length ? `the lair has rooms 0..${rooms.length - 1}, not ${p.lairRoom}` : 'no lair was found within the world\'s size' });
      return null;
    }
    return { x: room.x + room.w / 2, y: room.y + room.h / 2 };
  }

  /** A point within `spread` of `anchor` (inside `room` when given), on walkable ground when there is some near. */
  private scatter(anchor: Point, spread: number, rng: Rng, room?: Rect): Point {
    const a = rng.float(0, Math.PI * 2);
    const d = Math.sqrt(rng.next()) * spread;
    let x = anchor.x + Math.cos(a) * d;
    let y = anchor.y + Math.sin(a) * d;
    if (room) {
      x = Math.min(room.x + room.w - 0.5, Math.max(room.x + 0.5, x));
      y = Math.min(room.y + room.h - 0.5, Math.max(room.y + 0.5, y));
    }
    return this.snap({ x, y });
  }

  /** The centre of the nearest walkable tile (ring search), or the point itself when none is near. */
  private snap(p: Point): Point {
    const t = this.site.terrain;
    const ts = t.tileSize;
    const tx = Math.floor(p.x / ts);
    const ty = Math.floor(p.y / ts);
    if (t.isWalkable(tx, ty)) return p;
    for (let ring = 1; ring <= SNAP_RINGS; ring++) {
      for (let dy = -ring; dy <= ring; dy++) {
        for (let dx = -ring; dx <= ring; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
          if (t.isWalkable(tx + dx, ty + dy)) return { x: (tx + dx + 0.5) * ts, y: (ty + dy + 0.5) * ts };
        }
      }
    }
    return p;
  }
}
