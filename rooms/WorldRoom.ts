import { ClientState, CloseCode, ErrorCode, Room, ServerError } from '@colyseus/core';
import type { Client } from '@colyseus/core';
import type { Tracer } from '@opentelemetry/api';
import { createHash, randomBytes } from 'node:crypto';
import { coordinatorSpawn, decodeSnapshot, defaultRegistry, packSpawns, planScenario, resolveSite, Simulation } from '../actors/index.ts';
import type { ActorId, Mind, ReplyInput, Scenario, ScenarioPlan, SpeechChunk, StepReport, WorldInput } from '../actors/index.ts';
import { createWorldGen } from '../procgen/index.ts';
import type { WorldGen } from '../procgen/index.ts';
import { normaliseText } from './clientMessages.ts';
import { AvatarLife } from './avatarLife.ts';
import { sendHits } from './combatFeed.ts';
import { FLOOD_CLOSE_CODE, PlayerMessages } from './playerMessages.ts';
import type { Player } from './playerMessages.ts';
import { SafeSpawns } from './safeSpawns.ts';
import type { SpawnLayout } from './safeSpawns.ts';
import { Interest } from './interest.ts';
import type { ViewSharing } from './interest.ts';
import { MindHost } from './mindHost.ts';
import type { ActorInspection } from './actorInspection.ts';
import { DecisionLog } from './decisionLog.ts';
import { RoomAdmin } from './roomAdmin.ts';
import { decodeWindow, RoomDurability } from './durability.ts';
import { fromStored } from './storedBytes.ts';
import type { DurabilityService, RestoreTicket, SnapshotReason } from './durability.ts';
import { feedEntries, roomMetaOf, roomWorldGen } from './recording.ts';
import type { Recording, RoomSnapshotMeta } from './recording.ts';
import { gateFrames } from './frameGate.ts';
import type { RoomObserver } from './observer.ts';
import { Projection } from './projection.ts';
import { RateLimiter } from './rateLimiter.ts';
import type { RateLimitOptions } from './rateLimiter.ts';
import { DEFAULT_GUEST_TIER, identityOf } from './playerIdentity.ts';
import type { IdentityPort, JoinIdentity, PlayerIdentity } from './playerIdentity.ts';
import { parseRoomOptions } from './roomOptions.ts';
import type { WorldRoomOptions } from './roomOptions.ts';
import { MetaState, PlayerState, WorldState } from './state.ts';
import { TickTracing } from './tickTracing.ts';
import type { TraceTicks } from './tickTracing.ts';
import { matchMaker } from '@colyseus/core';
import { stableHash, zoneBounds, zoneGrid, zoneKey, zoneRoomId } from '../shared/index.ts';
import type { ZoneCoord, ZoneGrid } from '../shared/index.ts';
import { advanceClock, zoneIdRange } from '../actors/index.ts';
import { keyZone, ZoneLink } from './zones/zoneLink.ts';
import type { OutboxEntry, TravellingPlayer } from './zones/zoneLink.ts';
import type { ZoneDirectory } from './zones/zoneDirectory.ts';

/** Spawn inputs for avatars carry `ref` = this prefix + session id. */
const AVATAR_REF = 'avatar:';

export { FLOOD_CLOSE_CODE };

/** Frames a client may send (every kind counts: messages, protocol pings, anything): 30/s sustained, burst 60. */
export const DEFAULT_FRAME_LIMIT: RateLimitOptions = { perSecond: 30, burst: 60, toleranceAfterWarning: 30 };

/** Error replies a client may earn with invalid input: 20 at once, then 2 a second; past that, silence. */
export const DEFAULT_ERROR_REPLY_LIMIT: RateLimitOptions = { perSecond: 2, burst: 20, toleranceAfterWarning: Number.POSITIVE_INFINITY };

/** What the composition root gives a world room. */
export interface WorldRoomServices {
  /** Minds by port name (`think`, `chat`, `personality`, `plan`); ports without one get error replies. */
  readonly minds?: Readonly<Record<string, Mind | undefined>>;
  readonly observer?: RoomObserver;
  /**
   * Per-client limit on frames of every kind, counted before they are decoded (default {@link DEFAULT_FRAME_LIMIT}:
   * 30/s sustained, burst 60, disconnected after 30 refusals past the warning).
   */
  readonly rateLimit?: RateLimitOptions;
  /** Per-client limit on error replies to invalid input (default {@link DEFAULT_ERROR_REPLY_LIMIT}). */
  readonly errorReplyLimit?: RateLimitOptions;
  /**
   * Resolves the room option `scenario` (a name) to a validated scenario; throws when unknown, invalid, or not
   * allowed for whoever created the room (`options` are the raw room options, which carry the server's proof
   * when the admin API created the room).
   */
  readonly scenarios?: (name: string, options: Readonly<Record<string, unknown>>) => Scenario;
  /** Who joins: checks player tokens at matchmaking. Without one everyone is a guest on the free tier. */
  readonly identity?: IdentityPort;
  /** The LLM tiers the server defines: a room (or its scenario) naming another is refused at creation. */
  readonly llmTiers?: readonly string[];
  /** Set while tracing is on: rooms make tick and mind-batch spans with it. */
  readonly tracer?: Tracer;
  /** Which ticks get a span (default `asks`: those that send the coordinator's asks, and overruns). */
  readonly traceTicks?: TraceTicks;
  /** Snapshots, the flight recorder and leases; without it a room lives and dies with its process. */
  readonly durability?: DurabilityService;
  /** Finds and starts zone rooms (rooms of a zoned world need it; it needs durability). */
  readonly zones?: ZoneDirectory;
  /** `cell` (default): clients whose avatars are in the same cell share one view; `client`: a view per client. */
  readonly viewSharing?: ViewSharing;
  /** `spread` (default): joins spread over the world; `gather`: joins land near the players already there. */
  readonly playerSpawns?: SpawnLayout;
}

/** The key a client presents to take its avatar back after the room moved or restarted: 32 hex digits. */
export const RESUME_KEY = /^[0-9a-f]{32}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}


/** An avatar restored from a snapshot, waiting for its player to come back with the resume key. */
interface Orphan {
  readonly actor: ActorId;
  readonly name: string;
  readonly account: string | null;
}

/**
 * The `world` room: a procedurally generated world stepped at a fixed rate, projected into the Colyseus state
 * after each step, with a StateView per client holding only what is near its avatar. Player avatars are
 * actors; client messages are validated at this edge and become simulation inputs.
 */
export class WorldRoom extends Room<{ state: WorldState }> {
  /** Set by {@link worldRoom}; a bare WorldRoom runs with no minds and no observer. */
  protected services: WorldRoomServices = {};
  config!: WorldRoomOptions;
  gen!: WorldGen;
  sim!: Simulation;
  projection!: Projection;
  interest!: Interest;
  private minds: MindHost | undefined;
  /** The room's tick and batch spans; undefined while tracing is off. */
  tracing: TickTracing | undefined;
  private readonly players = new Map<string, Player>();
  private replies: ReplyInput[] = [];
  private joins = 0;
  /** Pause, step, spawn, despawn and inspect: what the admin API does to this room. */
  readonly admin = new RoomAdmin(() => this);
  /** The scenario the room was created from, placed in its world. */
  scenario: { readonly name: string; readonly scenario: Scenario; readonly plan: ScenarioPlan } | null = null;
  /** Recent mind answers per actor, for the inspector. */
  readonly decisions = new DecisionLog();
  /** Mind answers handed to the simulation before the step now running, to be judged after it. */
  private delivered = 0;
  /** Snapshots, recorder and lease (with the durability service). */
  durability: RoomDurability | null = null;
  /** Restored avatars by the SHA-256 of their resume key, until their players come back or the grace ends. */
  private readonly orphans = new Map<string, Orphan>();
  private orphanTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when another process took the room's lease: this copy stops and must not end the room's record. */
  private leaseLost = false;
  /** Set once the room restored from a snapshot: the tick it was restored at. */
  restoredAt: number | null = null;
  /** Wall ms of the recent steps (a ring indexed by tick), for per-zone tick figures. */
  readonly stepTimes = new Float64Array(1200);
  /** In a zoned world: this room's zone, the grid, and the protocol with its neighbours. */
  zone: ZoneCoord | null = null;
  grid: ZoneGrid | null = null;
  zoneLink: ZoneLink | null = null;
  /** Avatars handed to this zone whose players have not joined yet, with the wall ms they may wait until. */
  private readonly arrivals = new Map<ActorId, { readonly player: TravellingPlayer; readonly until: number }>();
  /** Clients that joined for an avatar still on its way, by actor. */
  private readonly awaiting = new Map<ActorId, Client>();
  /** Wall ms since which nobody has been in or near this zone; null while someone is. */
  private quietSince: number | null = null;
  /** Set when the zone went to sleep: its disposal keeps it for waking. */
  private sleeping = false;

  /** Safe points for players to spawn at, away from hostile monsters. */
  spawns!: SafeSpawns;
  /** Deaths, respawns and spawn protection of the avatars. */
  life!: AvatarLife;
  /** Client messages: rate limits, validation, refusals, and their effect on the avatars. */
  private readonly edge = new PlayerMessages({
    roomId: () => this.roomId,
    sim: () => this.sim,
    input: (p, input) => {
      if (p.movedTo && this.zoneLink?.forward(p.actor, input)) return;
      this.sim.input(input);
    },
    projection: () => this.projection,
    observer: () => this.services.observer,
    now: () => this.clock.currentTime,
    player: (sessionId) => this.players.get(sessionId),
    leave: (client) => this.onLeave(client),
    dead: (p) => this.life.dead(p),
    respawn: (client, _p, at) => this.life.choose(client.sessionId, at),
  });

  override messages = this.edge.handlers();

  constructor() {
    super();
    // Every frame a client sends is counted here, before Colyseus decodes it.
    gateFrames(this, (client, frame) => this.edge.admitFrame(client, frame), (client) => this.edge.refuse(client, 'undecodable', 'message could not be decoded'));
  }

  override onCreate(raw: unknown): void | Promise<void> {
    let options = (this.config = parseRoomOptions(raw));
    if (this.roomName === 'zone' && !options.zone) options = this.config = { ...options, zone: { x: 0, y: 0 } };
    // The admin API's proof is checked once, below, and kept nowhere; a restore ticket is taken once.
    const { adminKey: _proof, restore: ticketId, resume: _resume, ...rest } = options as typeof options & { adminKey?: unknown };
    options = this.config = rest as typeof options;
    if (ticketId !== undefined) {
      const ticket = this.services.durability?.takeTicket(ticketId);
      if (!ticket) throw new Error(`room option restore: no restore ticket '${ticketId}' in this process`);
      this.createRestored(ticket);
      return;
    }
    if (options.zone) return this.createZone(options, options.zone);
    let scenario: Scenario | undefined;
    if (options.scenario) {
      if (!this.services.scenarios) throw new Error(`room option scenario: this server loads no scenarios (asked for '${options.scenario}')`);
      scenario = this.services.scenarios(options.scenario, (raw ?? {}) as Record<string, unknown>);
      // The scenario's world and LLM settings win over the room defaults.
      const w = scenario.world;
      options = this.config = {
        ...options, seed: w.seed, worldSize: w.size, monsterDensity: w.monsterDensity, tickRate: w.tickRate,
        llmTier: scenario.llm.tier, ...(scenario.llm.budgetUsd !== undefined && { llmBudgetUsd: scenario.llm.budgetUsd }), ...(scenario.llm.providers && { llmProviders: scenario.llm.providers }),
      };
    }
    this.gen = roomWorldGen(options);
    this.sim = new Simulation({
      seed: options.seed,
      registry: defaultRegistry(),
      terrain: this.gen,
      dt: 1 / options.tickRate,
      record: this.services.durability ? 'window' : false,
      lodRadius: options.lodRadius,
      lodStride: options.lodStride,
      setup: { seed: options.seed, worldSize: options.worldSize },
    });
    const half = Math.floor(options.worldSize / 2);
    for (const input of packSpawns(this.gen.spawnsInRegion(-half, -half, options.worldSize, options.worldSize))) this.sim.input(input);
    this.warmChunks();
    if (scenario && options.scenario) {
      const plan = planScenario(scenario, resolveSite(scenario, this.gen), { players: false });
      for (const input of plan.inputs) this.sim.input(input);
      this.scenario = { name: options.scenario, scenario, plan };
    }
    const tiers = this.services.llmTiers;
    if (tiers && !tiers.includes(options.llmTier)) {
      const where = scenario ? `scenario '${options.scenario}': llm.tier` : 'room option llmTier';
      throw new Error(`${where}: '${options.llmTier}' is not a tier of this server (tiers: ${tiers.join(', ')})`);
    }
    // Layer 4: one coordinator per room plans pack tactics (local tactician; cloud within the room's tier and budget).
    this.sim.input(coordinatorSpawn({ tier: options.llmTier, budgetUsd: options.llmBudgetUsd, room: this.roomId || 'room', ...(scenario?.llm.tactics === false && { tactics: false }) }));
    this.setUp(options);
    const t0 = performance.now();
    this.onStep(this.sim.step(), t0); // spawn the world's monsters before anyone joins
    this.startDurability(null);
  }

  /**
   * A zone of a zoned world: this room simulates the actors within its square and hands those who leave it to their
   * new zone. Its id is the zone's (the same on every process); its lease says which process runs it, so a second
   * start of the same zone anywhere is refused here.
   */
  private async createZone(options: WorldRoomOptions, zone: ZoneCoord): Promise<void> {
    if (options.scenario) throw new Error('room option scenario: scenarios run in a room of their own, not in a zone of a world');
    const durability = this.services.durability;
    if (!durability || !this.services.zones) throw new Error('zones need snapshots and the zone directory (SNAPSHOTS=on)');
    const grid = zoneGrid(options.worldSize, options.zoneSize);
    if (zone.x < grid.min.x || zone.x > grid.max.x || zone.y < grid.min.y || zone.y > grid.max.y) {
      throw new Error(`room option zone: (${zone.x}, ${zone.y}) is outside this world's zones (${grid.min.x}..${grid.max.x} on each axis)`);
    }
    this.roomId = zoneRoomId(options.seed, zone);
    if (!(await durability.store.claim(this.roomId, durability.owner, durability.leaseMs))) {
      throw new Error(`zone ${zoneKey(zone)} of this world is already running on another process`);
    }
    // A zone that ran before (it slept, or its world restarted) wakes from its newest snapshot.
    const latest = await durability.store.latest(this.roomId);
    if (latest) {
      const recording = await durability.store.recording(this.roomId).catch(() => null);
      return this.createRestored({ roomId: this.roomId, bytes: fromStored(latest.bytes), recording: recording && recording.baseTick === latest.tick ? recording : null });
    }
    this.zone = zone;
    this.grid = grid;
    this.gen = roomWorldGen(options);
    // Every zone keeps the world's clock: behaviour states hold absolute times, which travel with the actors.
    const startTick = await this.worldClock(options);
    this.sim = new Simulation({
      startTick,
      // One seed for every zone of a world: an actor's random stream follows it (its path is the seed and its id).
      seed: options.seed,
      registry: defaultRegistry(),
      terrain: this.gen,
      dt: 1 / options.tickRate,
      record: 'window',
      lodRadius: options.lodRadius,
      lodStride: options.lodStride,
      ...zoneIdRange(zone.x, zone.y),
      setup: { seed: options.seed, worldSize: options.worldSize, zone: zoneKey(zone) },
    });
    const b = zoneBounds(grid, zone);
    for (const input of packSpawns(this.gen.spawnsInRegion(b.x0, b.y0, grid.size, grid.size))) this.sim.input(input);
    this.sim.input(coordinatorSpawn({ tier: options.llmTier, budgetUsd: options.llmBudgetUsd, room: this.roomId }));
    this.setUp(options);
    this.onStep(this.sim.step());
    await this.openZone(null);
    this.startDurability(null);
  }

  /** The world's tick now, by the clock all its zones share (its start time, kept in presence). */
  private async worldClock(options: WorldRoomOptions): Promise<number> {
    const key = `lm:zones:${stableHash(String(options.seed)).slice(0, 12)}:clock`;
    let epoch = Number(await this.presence.hget(key, 'epoch'));
    if (!Number.isFinite(epoch) || epoch <= 0) {
      epoch = Date.now();
      await this.presence.hset(key, 'epoch', String(epoch));
    }
    return Math.max(0, Math.floor(((Date.now() - epoch) / 1000) * options.tickRate));
  }

  /** Start the zone protocol (after creation, or a restore with the handovers its snapshot held). */
  private async openZone(outbox: readonly OutboxEntry[] | null): Promise<void> {
    const zone = this.zone, grid = this.grid, zones = this.services.zones;
    if (!zone || !grid || !zones) return;
    this.autoDispose = false;
    const seed = this.config.seed;
    this.zoneLink = new ZoneLink({
      roomId: this.roomId,
      worldId: stableHash(String(seed)).slice(0, 12),
      grid,
      zone,
      sim: () => this.sim,
      presence: () => this.presence,
      roomIdOf: (z) => zoneRoomId(seed, z),
      ensure: async (z) => {
        await zones.ensure(seed, z);
      },
      playerOf: (actor) => this.travellerOf(actor),
      avatarLeft: (actor, to) => void this.seatElsewhere(actor, to),
      avatarArrived: (actor, player) => this.avatarArrived(actor, player),
      log: (level, message, data) => this.services.observer?.log?.(level, message, data),
      now: () => Date.now(),
    });
    await this.zoneLink.open(outbox ? { outbox } : null);
  }

  /** Who plays avatar `actor`, as that travels with it. */
  private travellerOf(actor: ActorId): TravellingPlayer | null {
    for (const p of this.players.values()) {
      if (p.actor !== actor) continue;
      return { name: p.name, tier: p.identity.tier, account: p.identity.guest ? null : p.identity.account, guest: p.identity.guest, resume: p.resume };
    }
    // An avatar whose player has not joined here yet travels on with its player.
    const waiting = this.arrivals.get(actor);
    if (waiting) {
      this.arrivals.delete(actor);
      return waiting.player;
    }
    return null;
  }

  /**
   * A player's avatar now belongs to zone `to`: reserve its client a seat there and tell the client, which joins it
   * and leaves this room once it sees its avatar there. Inputs that still arrive here are passed on.
   */
  private async seatElsewhere(actor: ActorId, to: ZoneCoord): Promise<void> {
    const entry = [...this.players].find(([, p]) => p.actor === actor);
    if (!entry) return;
    const [sessionId, p] = entry;
    p.movedTo = zoneKey(to);
    p.seatAt = Date.now();
    const client = this.clients.getById(sessionId);
    if (!client || !this.services.zones) return;
    try {
      const listing = await this.services.zones.ensure(this.config.seed, to);
      const reservation = await matchMaker.reserveSeatFor(listing, { handover: actor }, client.auth);
      client.send('zone', { zone: { x: to.x, y: to.y }, roomId: listing.roomId, reservation });
    } catch (err) {
      this.services.observer?.log?.('error', 'zone: no seat could be reserved in the next zone', { room: this.roomId, zone: zoneKey(to), error: err instanceof Error ? err.message : String(err) });
      client.send('zone', { zone: { x: to.x, y: to.y }, error: 'the next zone could not take you; reconnect to continue' });
    }
  }

  /** An avatar handed to this zone: its client is on its way (or already here, waiting for it). */
  private avatarArrived(actor: ActorId, player: TravellingPlayer): void {
    const waiting = this.awaiting.get(actor);
    if (waiting) {
      this.awaiting.delete(actor);
      // Its client is here already, seated without an avatar: the avatar is followed now, as a new one would be.
      const p = this.players.get(waiting.sessionId);
      const ps = this.state.players.get(waiting.sessionId);
      if (p && ps) {
        this.players.set(waiting.sessionId, { ...p, actor, name: player.name, resume: player.resume });
        ps.actor = actor;
        ps.name = player.name;
        this.interest.follow(waiting.sessionId, actor);
        return;
      }
    }
    this.arrivals.set(actor, { player, until: Date.now() + Math.max(30, this.config.reconnectSeconds) * 1000 });
  }

  /**
   * Seat a client whose avatar was handed to this zone, with the avatar when it is here already (`actor`), or without
   * one until it arrives (0).
   */
  private bindArrival(client: Client, actor: ActorId, player: TravellingPlayer): void {
    const identity = identityOf(client.sessionId, client.auth, this.services.identity?.guestTier ?? DEFAULT_GUEST_TIER);
    const now = this.clock.currentTime;
    const limits = { limiter: new RateLimiter(this.services.rateLimit ?? DEFAULT_FRAME_LIMIT, now), errorReplies: new RateLimiter(this.services.errorReplyLimit ?? DEFAULT_ERROR_REPLY_LIMIT, now) };
    const ps = new PlayerState({ name: player.name, tier: identity.tier, actor });
    this.state.players.set(client.sessionId, ps);
    this.players.set(client.sessionId, { actor, name: player.name, identity, resume: player.resume, ...limits });
    client.view = this.interest.open(client.sessionId, actor, ps);
    this.countBytes(client);
  }

  /** Once a second in a zone: avatars whose players never came leave; a zone nobody is in or near sleeps. */
  private zoneUpkeep(): void {
    const now = Date.now();
    for (const [actor, a] of this.arrivals) {
      if (now < a.until) continue;
      this.arrivals.delete(actor);
      this.orphans.delete(a.player.resume);
      this.sim.input({ type: 'stop', actor });
    }
    // A player told where its avatar went who is still here a while later gets its seat again (a lost message, a
    // failed reservation, a reconnection in between).
    for (const [sessionId, p] of this.players) {
      if (!p.movedTo || p.seatAt === undefined || now - p.seatAt < 5000) continue;
      if (this.clients.getById(sessionId)) void this.seatElsewhere(p.actor, keyZone(p.movedTo));
    }
    const link = this.zoneLink;
    if (!link || this.sleeping) return;
    // Players here or seen across a border (a neighbour's player near this zone keeps it awake), avatars on their way,
    // handovers in flight.
    const busy = this.clients.length > 0 || this.sim.world.players.size > 0 || this.sim.world.ghosts.players.size > 0 || this.arrivals.size > 0 || link.busy || this.orphans.size > 0;
    if (busy) {
      this.quietSince = null;
      return;
    }
    this.quietSince ??= now;
    if (now - this.quietSince >= this.config.zoneSleepSeconds * 1000) void this.sleep();
  }

  /** Nobody is in or near this zone: snapshot it and stop; the next player or monster to come near wakes it. */
  async sleep(): Promise<void> {
    const d = this.durability;
    const link = this.zoneLink;
    if (!d || !link || this.sleeping) return;
    this.sleeping = true;
    // No seat is given and no actor taken in or let out while the last snapshot is written.
    await this.lock();
    link.frozen = true;
    const good = await d.snapshot('sleep');
    const stillQuiet = this.clients.length === 0 && this.sim.world.players.size === 0 && this.arrivals.size === 0 && !link.busy;
    if (!good || !stillQuiet) {
      // Not saved, or someone came meanwhile: stay up rather than lose anything.
      this.sleeping = false;
      link.frozen = false;
      this.quietSince = Date.now();
      await this.unlock();
      return;
    }
    this.services.observer?.log?.('info', 'zone: asleep', { room: this.roomId, tick: good.tick });
    void this.disconnect();
  }

  /**
   * The ring of chunks just outside the populated region: monsters at its edge wander into it, and a chunk
   * generated in the middle of a step costs that step a millisecond or two.
   */
  private warmChunks(): void {
    const half = Math.floor(this.config.worldSize / 2);
    const c0 = Math.floor(-half / this.gen.chunkSize) - 1, c1 = Math.floor((this.config.worldSize - half - 1) / this.gen.chunkSize) + 1;
    for (let cy = c0; cy <= c1; cy++) for (let cx = c0; cx <= c1; cx++) if (cy === c0 || cy === c1 || cx === c0 || cx === c1) this.gen.chunk(cx, cy);
  }

  /**
   * Bring a room back from a snapshot (after a restart, on another process after its own died, or as a fork):
   * the world continues from the snapshot, then from the recorded inputs after it when there are any. Avatars
   * wait for their players' resume keys (a fork has no players: its avatars are removed).
   */
  private createRestored(ticket: RestoreTicket): void | Promise<void> {
    const { header, image } = decodeSnapshot(ticket.bytes);
    const meta = roomMetaOf(header);
    if (ticket.roomId) this.roomId = ticket.roomId;
    const options = (this.config = parseRoomOptions(meta.options));
    if (options.zone) {
      if (!ticket.roomId) throw new Error('a zone cannot be forked into a sandbox room; fork it as a whole world instead');
      this.zone = options.zone;
      this.grid = zoneGrid(options.worldSize, options.zoneSize);
    }
    this.gen = roomWorldGen(options);
    this.sim = Simulation.fromImage(image, { registry: defaultRegistry(), terrain: this.gen, record: this.services.durability ? 'window' : false });
    if (!this.zone) this.warmChunks();
    if (ticket.recording && ticket.recording.baseTick === header.tick) {
      try {
        const window = decodeWindow(ticket.recording.bytes);
        feedEntries(this.sim, window.entries, window.ticks);
      } catch (err) {
        this.services.observer?.log?.('warn', 'recorded inputs after the snapshot could not be replayed; the room continues from its snapshot', { room: this.roomId, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (meta.scenario) {
      const sc = meta.scenario.document;
      this.scenario = { name: meta.scenario.name, scenario: sc, plan: planScenario(sc, resolveSite(sc, this.gen), { players: false }) };
    }
    this.admin.seq = meta.adminSeq;
    this.joins = meta.joins;
    for (const p of meta.players) {
      if (!this.sim.world.actors.has(p.actor)) continue;
      if (ticket.roomId) this.orphans.set(p.resume, { actor: p.actor, name: p.name, account: p.account });
      else this.sim.input({ type: 'stop', actor: p.actor }); // a fork is a sandbox: nobody's avatar comes along
    }
    this.restoredAt = this.sim.world.tick;
    this.setUp(options);
    this.projection.syncAll();
    if (this.zone) return this.restoredZone(meta, options);
    if (this.orphans.size > 0 && !this.zone) {
      // Players have this long to come back; the room stays up meanwhile even with nobody in it.
      this.autoDispose = false;
      const graceMs = Math.max(30, options.reconnectSeconds) * 1000;
      this.orphanTimer = setTimeout(() => this.endGrace(), graceMs);
      this.orphanTimer.unref?.();
    }
    this.startDurability('restored');
  }

  /** A zone back from its snapshot: avatars wait for their players, handovers in flight are finished. */
  private async restoredZone(meta: RoomSnapshotMeta, options: WorldRoomOptions): Promise<void> {
    // A zone that slept (or whose process died) catches up with the world's clock.
    const now = await this.worldClock(options);
    if (now > this.sim.world.tick) advanceClock(this.sim.world, now);
    const until = Date.now() + Math.max(30, options.reconnectSeconds) * 1000;
    for (const [resume, o] of this.orphans) this.arrivals.set(o.actor, { player: { name: o.name, tier: 'free', account: o.account, guest: o.account === null, resume }, until });
    await this.openZone(meta.zone?.outbox ?? []);
    this.startDurability('restored');
  }

  /** The restore grace is over: avatars nobody came back for leave, and an empty room may be disposed again. */
  private endGrace(): void {
    for (const o of this.orphans.values()) this.sim.input({ type: 'stop', actor: o.actor });
    this.orphans.clear();
    this.autoDispose = true;
  }

  private startDurability(first: SnapshotReason | null): void {
    const service = this.services.durability;
    if (!service) return;
    this.durability = new RoomDurability({ roomId: this.roomId, sim: this.sim, meta: () => this.snapshotMeta(), stop: (reason) => this.stopLost(reason) }, service, performance.now());
    this.durability.startLease();
    if (first) void this.durability.snapshot(first);
  }

  /** The room's lease went to another process: it runs the room now; this copy stops and its clients go there. */
  private stopLost(reason: string): void {
    this.services.observer?.log?.('error', 'room stopped: its lease is lost', { room: this.roomId, reason });
    this.leaseLost = true;
    this.admin.pause();
    void this.disconnect(CloseCode.MAY_TRY_RECONNECT);
  }

  /** What the room's snapshots carry besides the world. */
  snapshotMeta(): RoomSnapshotMeta {
    const players: RoomSnapshotMeta['players'][number][] = [];
    for (const p of this.players.values()) {
      // A guest's account names its session, which a rejoin does not keep: only a signed-in player's account binds.
      if (p.actor && !p.movedTo) players.push({ resume: p.resume, actor: p.actor, name: p.name, tier: p.identity.tier, account: p.identity.guest ? null : p.identity.account });
    }
    for (const [resume, o] of this.orphans) players.push({ resume, actor: o.actor, name: o.name, tier: 'free', account: o.account });
    // Avatars handed to this zone whose players are on their way come back with it too.
    for (const [actor, a] of this.arrivals) {
      if (!this.orphans.has(a.player.resume)) players.push({ resume: a.player.resume, actor, name: a.player.name, tier: a.player.tier, account: a.player.account });
    }
    return {
      roomName: this.roomName ?? 'world',
      roomId: this.roomId,
      options: this.config,
      scenario: this.scenario ? { name: this.scenario.name, document: this.scenario.scenario } : null,
      players,
      adminSeq: this.admin.seq,
      joins: this.joins,
      ...(this.zoneLink && { zone: this.zoneLink.snapshot() }),
    };
  }

  /** Take a snapshot now and write it; resolves with its tick and size, or null when writing failed. */
  async snapshotNow(): Promise<{ tick: number; bytes: number } | null> {
    if (!this.durability) throw new Error('snapshots are off on this server');
    const good = await this.durability.snapshot('admin');
    return good && { tick: good.tick, bytes: good.storedBytes };
  }

  /** The flight recorder's window: the last snapshot and every input since, with the present state hash. */
  recording(): Promise<Recording> {
    if (!this.durability) throw new Error('the flight recorder is off on this server (no snapshot store)');
    return this.durability.recording();
  }

  /** Before a graceful shutdown disconnects everyone: a last snapshot, with the players still in it. */
  override onBeforeShutdown(): void {
    const d = this.durability;
    if (!d) {
      super.onBeforeShutdown();
      return;
    }
    void d.snapshot('shutdown').finally(() => {
      void d.close({ release: true });
      super.onBeforeShutdown();
    });
  }

  /** State, projection, views, minds and the simulation interval: the same for a new room and a restored one. */
  private setUp(options: WorldRoomOptions): void {
    this.state = new WorldState({
      meta: new MetaState({
        seed: String(options.seed),
        params: JSON.stringify(this.gen.params),
        tickRate: options.tickRate,
        viewRadius: options.viewRadius,
      }),
    });
    this.projection = new Projection(this.sim.world, this.state);
    // In a zoned world players spawn inside this room's zone; otherwise anywhere in the world.
    const zb = this.zone && this.grid ? zoneBounds(this.grid, this.zone) : null;
    this.spawns = zb && this.grid
      ? new SafeSpawns(this.sim.world, this.gen, this.grid.size, { layout: this.services.playerSpawns ?? 'spread', seed: `${String(options.seed)}:${zoneKey(this.zone as ZoneCoord)}`, centre: { x: (zb.x0 + zb.x1) / 2, y: (zb.y0 + zb.y1) / 2 } })
      : new SafeSpawns(this.sim.world, this.gen, options.worldSize, { layout: this.services.playerSpawns ?? 'spread', seed: String(options.seed) });
    this.life = new AvatarLife({
      sim: this.sim,
      projection: this.projection,
      spawns: this.spawns,
      tickRate: options.tickRate,
      players: () => this.players.entries(),
      send: (sessionId, type, body) => this.clients.getById(sessionId)?.send(type, body),
    });
    this.interest = new Interest(this.sim.world, this.projection, {
      radius: options.viewRadius,
      exitRadius: options.viewRadius * 1.25,
      refreshEvery: options.viewRefreshTicks,
      sharing: this.services.viewSharing ?? 'cell',
    }, {
      assign: (key, view) => {
        const c = this.clients.getById(key);
        if (c) c.view = view;
      },
      synced: (key) => this.clients.getById(key)?.state === ClientState.JOINED,
    });
    const tracer = this.services.tracer;
    if (tracer) this.tracing = new TickTracing(tracer, { room: this.roomId || 'room', mode: this.services.traceTicks ?? 'asks', budgetMs: 1000 / options.tickRate });
    this.minds = new MindHost(
      this.services.minds ?? {},
      (replies) => {
        const tick = this.sim.world.tick;
        for (const r of replies) {
          this.replies.push(r);
          this.decisions.replied(r, tick);
        }
      },
      (port, err) => this.services.observer?.log?.('error', `mind '${port}' failed`, { room: this.roomId, error: err instanceof Error ? err.message : String(err) }),
      {
        speech: (chunk) => this.streamSpeech(chunk),
        room: { id: this.roomId || 'room', tier: options.llmTier, ...(options.llmBudgetUsd !== undefined && { budgetUsd: options.llmBudgetUsd }) },
      },
    );
    this.maxClients = options.maxClients;
    this.seatReservationTimeout = options.seatReservationSeconds;
    this.patchRate = 1000 / options.patchRate;
    this.setSimulationInterval((dtMs) => this.update(dtMs), 1000 / options.tickRate);
    void this.setMetadata({ seed: String(options.seed), worldSize: options.worldSize });
  }

  /** Encode and send the state patches, timing it (per-view encoding is the known cost of interest management). */
  override broadcastPatch(): boolean {
    if (!this.interest) return false; // a zone still being created (its creation waits for presence and the store)
    const t0 = performance.now();
    if (this.interest.needsSharedPass()) this.state.meta.setDirty('tick');
    const sent = super.broadcastPatch();
    this.interest.afterPatch();
    this.services.observer?.patch?.(this.roomId, performance.now() - t0);
    return sent;
  }

  /** Advance the simulation by `dtMs` of wall time (whole fixed steps; leftover carried). */
  update(dtMs: number): void {
    if (this.paused) return;
    this.deliverReplies();
    let startedAt = performance.now();
    this.sim.advance(dtMs / 1000, (report) => {
      this.onStep(report, startedAt);
      startedAt = performance.now();
    });
  }

  /** After each step: project, bind new avatars, hand mind requests out, refresh due views. */
  private onStep(report: StepReport, startedAt = performance.now()): void {
    this.interest.forget(report.removed);
    this.projection.apply(report);
    for (const { ref, id } of report.refs) if (ref.startsWith(AVATAR_REF)) this.bindAvatar(ref.slice(AVATAR_REF.length), id);
    this.admin.afterStep(report);
    if (this.zoneLink) {
      this.interest.forget(this.projection.syncGhosts());
      this.zoneLink.afterStep(report);
      if (this.sim.world.tick % this.config.tickRate === 0) this.zoneUpkeep();
    }
    if (this.delivered) {
      this.decisions.judge(this.sim.world, this.delivered);
      this.delivered = 0;
    }
    if (report.attacks.length) sendHits(report, this.sim.world.tick, this.interest, (sessionId, type, body) => this.clients.getById(sessionId)?.send(type, body));
    this.life.afterStep(report);
    this.decisions.forget(report.removed);
    this.decisions.asked(report.requests);
    const traced = this.tracing?.begin(this.sim.world.tick, startedAt, report.requests);
    this.minds?.dispatch(report.requests, traced);
    this.interest.refresh(this.sim.world.tick);
    if (this.config.debugSlowTickMs > 0) busyWait(this.config.debugSlowTickMs);
    // A due snapshot's capture runs here, inside the tick's measured time (its encoding runs between ticks).
    this.durability?.afterSteps(performance.now());
    const endedAt = performance.now();
    this.stepTimes[this.sim.world.tick % this.stepTimes.length] = endedAt - startedAt;
    this.tracing?.end(traced, this.sim.world.tick, startedAt, endedAt, report.requests.length);
    this.services.observer?.step?.(this.roomId, this.sim.world, report, endedAt - startedAt);
  }

  override onJoin(client: Client, raw?: { name?: unknown; resume?: unknown; handover?: unknown }, auth?: unknown): void {
    // A player whose avatar was handed to this zone, with the seat its old zone reserved for it.
    const handover = typeof raw?.handover === 'number' ? raw.handover : null;
    if (handover !== null && this.zone) {
      const arrival = this.arrivals.get(handover);
      if (arrival) {
        this.arrivals.delete(handover);
        this.bindArrival(client, handover, arrival.player);
      } else {
        // The client outran its avatar: seated now (with a view, as any join), given the avatar when it lands.
        this.bindArrival(client, 0, { name: typeof raw?.name === 'string' ? normaliseText(raw.name, 32) || 'player' : 'player', tier: 'free', account: null, guest: true, resume: '0'.repeat(64) });
        this.awaiting.set(handover, client);
      }
      return;
    }
    const identity = identityOf(client.sessionId, client.auth ?? auth, this.services.identity?.guestTier ?? DEFAULT_GUEST_TIER);
    const now = this.clock.currentTime;
    const limits = { limiter: new RateLimiter(this.services.rateLimit ?? DEFAULT_FRAME_LIMIT, now), errorReplies: new RateLimiter(this.services.errorReplyLimit ?? DEFAULT_ERROR_REPLY_LIMIT, now) };
    // A player coming back to a restored room takes its avatar back with the key it was given when it first joined.
    const key = typeof raw?.resume === 'string' && RESUME_KEY.test(raw.resume) ? raw.resume : null;
    if (key && this.zone) {
      // A zone restored after its process died: the avatar may have come back through the ownership records.
      const hash = sha256(key);
      const found = [...this.arrivals].find(([, a]) => a.player.resume === hash);
      if (found && this.sim.world.actors.has(found[0])) {
        this.arrivals.delete(found[0]);
        this.orphans.delete(hash);
        this.bindArrival(client, found[0], found[1].player);
        this.sendResumeKey(client, key);
        return;
      }
    }
    const orphan = key ? this.orphans.get(sha256(key)) : undefined;
    // The key alone brings a guest back; a signed-in player must also be the same account.
    if (key && orphan && (orphan.account === null || orphan.account === identity.account) && this.sim.world.actors.has(orphan.actor)) {
      this.orphans.delete(sha256(key));
      const player = new PlayerState({ name: orphan.name, tier: identity.tier, actor: orphan.actor });
      this.state.players.set(client.sessionId, player);
      this.players.set(client.sessionId, { actor: orphan.actor, name: orphan.name, identity, resume: sha256(key), ...limits });
      client.view = this.interest.open(client.sessionId, orphan.actor, player);
      this.countBytes(client);
      this.sendResumeKey(client, key);
      if (this.orphans.size === 0 && this.orphanTimer) {
        clearTimeout(this.orphanTimer);
        this.endGrace();
      }
      return;
    }
    const chosen = identity.name ?? raw?.name;
    const name = typeof chosen === 'string' && normaliseText(chosen, 32) ? normaliseText(chosen, 32) : `player-${client.sessionId.slice(0, 4)}`;
    const player = new PlayerState({ name, tier: identity.tier });
    this.state.players.set(client.sessionId, player);
    client.view = this.interest.open(client.sessionId, 0, player);
    this.countBytes(client);
    this.joins++;
    const { x, y } = this.spawns.forJoin();
    this.sim.input({
      type: 'spawn',
      ref: AVATAR_REF + client.sessionId,
      spec: { kind: 'player', behaviour: 'player', params: AvatarLife.avatarParams(), body: { x, y, faction: 'players', speed: 5, maxHp: 100 }, tags: { name, account: identity.account, tier: identity.tier } },
    });
    const fresh = randomBytes(16).toString('hex');
    this.players.set(client.sessionId, { actor: 0, name, identity, resume: sha256(fresh), ...limits });
    this.sendResumeKey(client, fresh);
  }

  /**
   * Tell a client the key that takes its avatar back if this room comes back from a snapshot (after a restart or
   * on another process). Sent from onJoin, Colyseus holds it until the client has acknowledged the join, so it
   * arrives after the SDK has handed the room to the game (an `afterNextPatch` frame could overtake the join).
   */
  private sendResumeKey(client: Client, key: string): void {
    if (this.services.durability) client.send('resume', { roomId: this.roomId, key });
  }

  /**
   * A reply being written reaches the clients that see its speaker as it is written (`speech` messages: the text so
   * far, `done` on the last one, `replaced` when what was shown is withdrawn for another line). The finished line
   * also enters the state as a speech line when the speaker says it.
   */
  private streamSpeech(chunk: SpeechChunk): void {
    if (!this.interest) return;
    const keys = this.interest.audienceOf(chunk.actor);
    if (keys.length === 0) return;
    const msg = { actor: chunk.actor, id: chunk.requestId, text: chunk.text, done: chunk.done, ...(chunk.replaced && { replaced: true }) };
    const wanted = new Set(keys);
    for (const c of this.clients) if (wanted.has(c.sessionId)) c.send('speech', msg);
  }

  override onDrop(client: Client): void {
    if (!this.players.has(client.sessionId)) return; // kicked: gone already, and no coming back
    const p = this.players.get(client.sessionId);
    const ps = this.state.players.get(client.sessionId);
    if (ps) ps.connected = false;
    if (p?.actor) this.sim.input({ type: 'send', to: p.actor, message: { type: 'command', move: { x: 0, y: 0 } } }); // wait in place
    this.interest.close(client.sessionId);
    if (this.config.reconnectSeconds > 0) {
      // Rejected when the grace period ends or the room is disposed; onLeave then cleans up.
      this.allowReconnection(client, this.config.reconnectSeconds).catch(() => {});
    }
  }

  override onReconnect(client: Client): void {
    const p = this.players.get(client.sessionId);
    const ps = this.state.players.get(client.sessionId);
    if (ps) ps.connected = true;
    client.view = this.interest.open(client.sessionId, p?.actor ?? 0, ps);
    this.countBytes(client);
    this.life.remind(client.sessionId);
    // Its avatar walked into the next zone while the connection was down: it gets its seat there again.
    if (p?.movedTo) void this.seatElsewhere(p.actor, keyZone(p.movedTo));
  }

  override onLeave(client: Client): void {
    const p = this.players.get(client.sessionId);
    // An avatar that moved to the next zone lives on there.
    if (p?.actor && !p.movedTo) this.sim.input({ type: 'stop', actor: p.actor });
    for (const [actor, c] of this.awaiting) if (c === client) this.awaiting.delete(actor);
    this.players.delete(client.sessionId);
    if (p?.actor) this.interest.playerLeft(p.actor);
    this.state.players.delete(client.sessionId);
    this.interest.close(client.sessionId);
  }

  override onDispose(): void {
    this.admin.close();
    if (this.orphanTimer) clearTimeout(this.orphanTimer);
    const d = this.durability;
    const service = this.services.durability;
    if (d && service) {
      // Disposed on purpose (empty, or closed by the admin): it is not brought back. In a shutdown it is, and a
      // room whose lease went elsewhere belongs to its new home.
      const ending = !service.shuttingDown() && !this.leaseLost && !this.sleeping && !this.zone;
      // A zone that went to sleep gives its lease back, so whichever process wakes it may take it at once.
      void d.close({ release: ending || this.sleeping }).then(() => (ending ? service.store.end(this.roomId) : undefined)).catch((err: unknown) => service.failed(this.roomId, 'end', err));
    }
    this.zoneLink?.close();
    this.minds?.close(); // undefined when onCreate refused the options
    this.services.observer?.disposed?.(this.roomId);
  }

  /** While paused the simulation does not advance (the admin API steps it by hand). */
  get paused(): boolean {
    return this.admin.paused;
  }

  pause(): void {
    this.admin.pause();
  }

  resume(): void {
    this.admin.resume();
  }

  /** Run `n` steps now (paused or not), with the mind answers that have arrived. Returns the tick reached. */
  stepOnce(n = 1): number {
    return this.admin.stepOnce(n);
  }

  /** Queue validated spawn inputs for the next step; resolves with the new actors' ids (see {@link RoomAdmin.spawnInputs}). */
  spawnInputs(inputs: readonly WorldInput[]): Promise<ActorId[]> {
    return this.admin.spawnInputs(inputs);
  }

  /** What the inspector shows of an actor, or null when it is not in the world. */
  inspect(id: ActorId): ActorInspection | null {
    return this.admin.inspect(id);
  }

  /** Deliver the mind answers that have arrived, run one step and project it (the admin API's single step). */
  stepNow(): void {
    this.deliverReplies();
    this.onStep(this.sim.step());
  }

  /** Hand the mind answers that have arrived to the simulation (for the next step). */
  private deliverReplies(): void {
    for (const r of this.replies) this.sim.reply(r);
    if (this.replies.length) this.delivered = this.decisions.waiting;
    this.replies = [];
  }

  /** Who a session is (undefined once it left). */
  identityOf(sessionId: string): PlayerIdentity | undefined {
    return this.players.get(sessionId)?.identity;
  }

  /** The avatar of a session, once spawned. */
  avatarOf(sessionId: string): ActorId {
    return this.players.get(sessionId)?.actor ?? 0;
  }

  private bindAvatar(sessionId: string, id: ActorId): void {
    const p = this.players.get(sessionId);
    if (!p) {
      this.sim.input({ type: 'stop', actor: id }); // the client left before its avatar arrived
      return;
    }
    p.actor = id;
    const ps = this.state.players.get(sessionId);
    if (ps) ps.actor = id;
    this.interest.follow(sessionId, id);
  }

  /** Count what is sent to this client (patches and messages) for the bandwidth metrics. */
  private countBytes(client: Client): void {
    const observer = this.services.observer;
    if (!observer?.bytesSent) return;
    const raw = client.raw.bind(client);
    const roomId = this.roomId;
    client.raw = (data: Uint8Array | Buffer, ...rest: unknown[]) => {
      observer.bytesSent?.(roomId, data.length);
      return (raw as (d: Uint8Array | Buffer, ...r: unknown[]) => void)(data, ...rest);
    };
  }
}

/** Spin for `ms` milliseconds (the deliberately slowed room of load-test budget checks). */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

/** A world room class bound to its services (minds, metrics): what `defineRoom` registers. */
export function worldRoom(services: WorldRoomServices): typeof WorldRoom {
  return class BoundWorldRoom extends WorldRoom {
    protected override services = services;

    /**
     * Identify a join during matchmaking, before a seat is reserved: a refused token is answered on the matchmaking
     * request itself with the reason. What it returns reaches `client.auth`, and stays through reconnections.
     */
    static override async onAuth(token: string | undefined): Promise<JoinIdentity> {
      // `token` is the bearer token of the request's Authorization header; another scheme (Basic auth of a proxy
      // in front of the game, say) is not a player token, and joins as no token.
      const identity = services.identity;
      if (!identity) return { kind: 'guest', tier: DEFAULT_GUEST_TIER };
      try {
        return await identity.identify(token);
      } catch (err) {
        throw new ServerError(ErrorCode.AUTH_FAILED, err instanceof Error ? err.message : String(err));
      }
    }
  };
}

export { CloseCode };
