import type { TerrainQuery } from '../../shared/index.ts';
import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';
import type { OrderKind, Traits } from '../ports.ts';
import { terrainAround } from './terrainAround.ts';
import type { TerrainSummary } from './terrainAround.ts';

/** A pack member as a planner sees it. Offsets from the context origin in world units; hp as a fraction. */
export interface MemberView {
  readonly id: ActorId;
  readonly species: string;
  /** hp / maxHp, 0..1 (two decimals). */
  readonly hp: number;
  readonly maxHp: number;
  readonly dx: number;
  readonly dy: number;
  /** Speed in world units per second. */
  readonly speed: number;
  /** Its current order (`none` without one). */
  readonly role: OrderKind;
  /** Aggression, courage, sociability and cunning, 0..1 (one decimal); neutral 0.5 until known. */
  readonly traits: { readonly aggression: number; readonly courage: number; readonly sociability: number; readonly cunning: number };
}

/** A visible player. `name` is player-chosen text: prompts must quote it as untrusted. */
export interface PlayerView {
  readonly id: ActorId;
  readonly name: string;
  readonly hp: number;
  readonly maxHp: number;
  readonly dx: number;
  readonly dy: number;
}

/** Everything a planner gets about one engagement: compact, plain data (it travels in the event log). */
export interface BattleContext {
  readonly pack: string;
  /** Simulation time (s) the context was built. */
  readonly time: number;
  readonly leader: ActorId;
  /** The leader's position (world units): every offset in the context and the plan is relative to it. */
  readonly origin: { readonly x: number; readonly y: number };
  /** Living members, ascending id (the leader among them). */
  readonly members: readonly MemberView[];
  /** Players within sight of the pack, ascending id. */
  readonly players: readonly PlayerView[];
  readonly terrain: TerrainSummary;
  /** Recent happenings, oldest first (trusted text the coordinator wrote). */
  readonly events: readonly string[];
}

/** What building a context needs: bodies, what is known of each member, names, the ground. */
export interface BattleInput {
  readonly pack: string;
  readonly time: number;
  readonly leader: Readonly<Body>;
  readonly members: readonly { readonly body: Readonly<Body>; readonly species: string; readonly role: OrderKind; readonly traits: Traits | null }[];
  readonly players: readonly { readonly body: Readonly<Body>; readonly name: string }[];
  readonly terrain: TerrainQuery;
  readonly events: readonly string[];
  /** Half-side of the terrain scan, tiles (default 8). */
  readonly scanRadius?: number;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;
const r2 = (v: number): number => Math.round(v * 100) / 100;

/** Build the compact battle context of one engagement (positions relative to the leader, rounded). */
export function buildBattleContext(input: BattleInput): BattleContext {
  const ox = input.leader.x;
  const oy = input.leader.y;
  const members: MemberView[] = input.members
    .filter((m) => m.body.alive)
    .map((m) => {
      const t = m.traits;
      return {
        id: m.body.id,
        species: m.species,
        hp: r2(m.body.maxHp > 0 ? m.body.hp / m.body.maxHp : 0),
        maxHp: m.body.maxHp,
        dx: r1(m.body.x - ox),
        dy: r1(m.body.y - oy),
        speed: r1(m.body.speed),
        role: m.role,
        traits: { aggression: r1(t?.aggression ?? 0.5), courage: r1(t?.courage ?? 0.5), sociability: r1(t?.sociability ?? 0.5), cunning: r1(t?.cunning ?? 0.5) },
      };
    })
    .sort((a, b) => a.id - b.id);
  const players: PlayerView[] = input.players
    .filter((p) => p.body.alive)
    .map((p) => ({ id: p.body.id, name: p.name, hp: r2(p.body.maxHp > 0 ? p.body.hp / p.body.maxHp : 0), maxHp: p.body.maxHp, dx: r1(p.body.x - ox), dy: r1(p.body.y - oy) }))
    .sort((a, b) => a.id - b.id);
  // Scan around the middle of the fight: between the leader and the players' centroid.
  let cx = ox;
  let cy = oy;
  if (players.length) {
    cx = ox + players.reduce((s, p) => s + p.dx, 0) / players.length / 2;
    cy = oy + players.reduce((s, p) => s + p.dy, 0) / players.length / 2;
  }
  return {
    pack: input.pack,
    time: r2(input.time),
    leader: input.leader.id,
    origin: { x: r2(ox), y: r2(oy) },
    members,
    players,
    terrain: terrainAround(input.terrain, cx, cy, ox, oy, input.scanRadius ?? 8),
    events: input.events.slice(-8),
  };
}
