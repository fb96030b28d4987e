import type { ActorId, Simulation, StepReport } from '../actors/index.ts';
import { isShielded } from '../actors/index.ts';
import type { Player } from './playerMessages.ts';
import type { Projection } from './projection.ts';
import type { SafeSpawns, SpawnPoint } from './safeSpawns.ts';

/** Seconds of simulation a dead player has to choose where to respawn before it respawns at the default point. */
export const AUTO_RESPAWN_SECONDS = 20;
/** Seconds of spawn protection after joining and after each respawn. */
export const SPAWN_SHIELD_SECONDS = 3;
/** Safe points offered after a death. */
const CHOICES = 3;

/** Who killed a player, as its `died` message says. */
export interface Killer {
  readonly id: ActorId;
  readonly name: string;
  readonly kind: string;
  readonly species: string;
}

/** The `died` message: sent to the dead player's own client. */
export interface DiedMessage {
  readonly actor: ActorId;
  readonly killer: Killer | null;
  readonly tick: number;
  /** Ticks until the avatar respawns at the first spawn point unless the player chooses one. */
  readonly respawnInTicks: number;
  /** The safe points the player may choose (`respawn` { at: id }); the first is the default. */
  readonly spawns: readonly { readonly id: string; readonly name: string }[];
}

interface Death {
  readonly actor: ActorId;
  readonly killer: Killer | null;
  readonly tick: number;
  readonly spawns: readonly SpawnPoint[];
  /** Tick at which the avatar respawns at the default point. */
  readonly deadline: number;
  /** A respawn was asked for (chosen or automatic): no second one. */
  asked: boolean;
}

/** What avatar life needs from its room. */
export interface AvatarLifeHost {
  readonly sim: Simulation;
  readonly projection: Projection;
  readonly spawns: SafeSpawns;
  readonly tickRate: number;
  /** The players in the room by session id. */
  players(): Iterable<[string, Player]>;
  /** Send a message to one session's client (if connected). */
  send(sessionId: string, type: string, body: unknown): void;
}

/**
 * The players' avatars between death and respawn: tells a dead player who killed it and where it may come back
 * (safe points, away from hostile monsters), respawns it where it chooses or, after {@link AUTO_RESPAWN_SECONDS},
 * at the default point; and shows spawn protection in the state.
 */
export class AvatarLife {
  private readonly deaths = new Map<string, Death>();

  constructor(private readonly host: AvatarLifeHost) {}

  /** The params a new avatar is spawned with: spawn protection, and a late fallback respawn at home should the room not respawn it. */
  static avatarParams(): { shield: number; respawnDelay: number } {
    return { shield: SPAWN_SHIELD_SECONDS, respawnDelay: AUTO_RESPAWN_SECONDS * 3 };
  }

  /** Whether this player's avatar is dead. */
  dead(p: Player): boolean {
    const b = this.host.sim.world.actors.get(p.actor)?.body;
    return b !== undefined && b !== null && !b.alive;
  }

  /** After each step: notice deaths, respawn those whose time to choose ran out, mirror spawn protection. */
  afterStep(report: StepReport): void {
    const world = this.host.sim.world;
    let killedBy: Map<ActorId, ActorId> | undefined;
    for (const a of report.attacks) if (a.killed) (killedBy ??= new Map()).set(a.target, a.attacker);
    const present = this.deaths.size > 0 ? new Set<string>() : undefined;
    for (const [session, p] of this.host.players()) {
      present?.add(session);
      if (!p.actor) continue;
      const b = world.actors.get(p.actor)?.body;
      if (!b) continue;
      const e = this.host.projection.entity(p.actor);
      const shielded = b.alive && isShielded(world, p.actor);
      if (e && e.shielded !== shielded) e.shielded = shielded;
      const d = this.deaths.get(session);
      if (b.alive) {
        if (d) this.deaths.delete(session);
        continue;
      }
      if (!d) {
        this.died(session, p.actor, killedBy?.get(p.actor));
      } else if (!d.asked && world.tick >= d.deadline) {
        this.respawnAt(d, d.spawns[0] as SpawnPoint);
      }
    }
    // Players who left take their deaths with them.
    if (present) for (const session of this.deaths.keys()) if (!present.has(session)) this.deaths.delete(session);
  }

  /** Respawn the dead player at the safe point with id `at` (default: the first offered); an error naming what was wrong, or null. */
  choose(sessionId: string, at: string | undefined): string | null {
    const d = this.deaths.get(sessionId);
    if (!d) return 'respawn: you are not waiting to respawn';
    if (d.asked) return 'respawn: already respawning; wait for the next patch';
    const point = at === undefined ? d.spawns[0] : d.spawns.find((s) => s.id === at);
    if (!point) return `respawn.at: no spawn point '${at}'; choose one of ${d.spawns.map((s) => s.id).join(', ')}`;
    this.respawnAt(d, point);
    return null;
  }

  /** The safe points offered to a dead player (empty while alive). */
  offered(sessionId: string): readonly SpawnPoint[] {
    return this.deaths.get(sessionId)?.spawns ?? [];
  }

  /** Tell a client that came back while its avatar is dead what it was told at the death (with the time left). */
  remind(sessionId: string): void {
    const d = this.deaths.get(sessionId);
    if (d && !d.asked) this.host.send(sessionId, 'died', this.message(d));
  }

  private died(session: string, actor: ActorId, by: ActorId | undefined): void {
    const world = this.host.sim.world;
    const spawns = this.host.spawns.choices(CHOICES, actor);
    const d: Death = { actor, killer: by ? killerOf(this.host.sim, by) : null, tick: world.tick, spawns, deadline: world.tick + Math.round(AUTO_RESPAWN_SECONDS * this.host.tickRate), asked: false };
    this.deaths.set(session, d);
    this.host.send(session, 'died', this.message(d));
  }

  private message(d: Death): DiedMessage {
    const tick = this.host.sim.world.tick;
    return { actor: d.actor, killer: d.killer, tick: d.tick, respawnInTicks: Math.max(0, d.deadline - tick), spawns: d.spawns.map((s) => ({ id: s.id, name: s.name })) };
  }

  private respawnAt(d: Death, point: SpawnPoint): void {
    d.asked = true;
    this.host.sim.input({ type: 'send', to: d.actor, message: { type: 'command', respawn: { x: point.x, y: point.y } } });
  }
}

function killerOf(sim: Simulation, id: ActorId): Killer | null {
  const a = sim.world.actors.get(id);
  if (!a) return null;
  const tags = a.tags ?? {};
  return { id, name: String(tags.name ?? tags.species ?? a.kind), kind: a.kind, species: String(tags.species ?? '') };
}
