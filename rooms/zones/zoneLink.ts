import type { Presence } from '@colyseus/core';
import type { ActorId, Simulation, StepReport, WorldInput } from '../../actors/index.ts';
import { ghostOf, transferBytes, transferFromBytes, zoneIdRange } from '../../actors/index.ts';
import type { ActorTransfer, GhostBody } from '../../actors/index.ts';
import { distanceToZone, neighbours, ownerZone, sameZone, ZONE_MARGIN, zoneBounds, zoneKey } from '../../shared/index.ts';
import type { ZoneCoord, ZoneGrid } from '../../shared/index.ts';
import { OwnershipRecordSchema, ownershipKey, zoneChannel, ZoneMessageSchema } from './zoneMessages.ts';
import type { GhostWire, OwnershipRecord, ZoneMessage } from './zoneMessages.ts';

/** Who plays an avatar, as it travels with the avatar to the next zone. */
export type TravellingPlayer = NonNullable<OwnershipRecord['player']>;

/** An actor handed over and not yet acknowledged by its new zone (kept in snapshots: it is in no world meanwhile). */
export interface OutboxEntry {
  readonly actor: ActorId;
  readonly to: string;
  readonly hid: string;
  /** Base64 transfer bytes; null while the release has not happened yet. */
  transfer: string | null;
  player: TravellingPlayer | null;
  /** The ownership record is written: the actor belongs to `to`. */
  written: boolean;
  /** Wall ms of the last notice sent. */
  noticeAt: number;
  /** The tick the release was queued at. */
  tickQueued?: number;
  /** Wall ms of the release (handover latency is counted from it). */
  releasedAt?: number;
  /** Messages for the actor that arrived here before its new zone was told: sent after the notice. */
  held?: ZoneMessage[];
}

/** What the zone protocol needs from its room. */
export interface ZoneLinkHost {
  readonly roomId: string;
  /** Names the world in shared keys (a hash of its seed). */
  readonly worldId: string;
  readonly grid: ZoneGrid;
  readonly zone: ZoneCoord;
  sim(): Simulation;
  presence(): Presence;
  roomIdOf(z: ZoneCoord): string;
  /** Make sure zone `z` is hosted somewhere (created, or woken from its snapshot). */
  ensure(z: ZoneCoord): Promise<void>;
  /** The player of an avatar about to leave, or null for a monster or NPC. */
  playerOf(actor: ActorId): TravellingPlayer | null;
  /** An avatar now belongs to zone `to`: move its client there. */
  avatarLeft(actor: ActorId, to: ZoneCoord, player: TravellingPlayer): void;
  /** An avatar arrived: its client is on its way. */
  avatarArrived(actor: ActorId, player: TravellingPlayer): void;
  log(level: 'info' | 'warn' | 'error', message: string, data: Record<string, unknown>): void;
  now(): number;
}

/** Counters a zone keeps for metrics and benchmarks. */
export interface ZoneCounters {
  handoversOut: number;
  handoversIn: number;
  /** Notices for actors this zone already had (harmless repeats). */
  repeats: number;
  /** Wall ms from release to acknowledgement, most recent first (bounded). */
  readonly latencies: number[];
  badMessages: number;
}

const RESEND_MS = 1000;
const GHOST_EVERY_TICKS = 2;
const MOVED_MEMORY = 4096;

/**
 * One zone's side of the world: hands actors that crossed its borders to their new zone exactly once (the
 * ownership record is the commit point; notices are repeated until acknowledged and applied once), publishes its
 * border actors to its neighbours as ghosts and takes theirs, forwards blows and messages meant for actors that
 * live next door, and keeps the neighbours players are close to awake.
 */
export class ZoneLink {
  readonly outbox = new Map<ActorId, OutboxEntry>();
  readonly counters: ZoneCounters = { handoversOut: 0, handoversIn: 0, repeats: 0, latencies: [], badMessages: 0 };
  /** Actors adopted here whose record names this zone (deleted when they die here). */
  private readonly recorded = new Set<ActorId>();
  /** Adoptions queued for the next step: acknowledged after it. */
  private readonly adopting = new Map<ActorId, { from: string | null; hid: string; player: TravellingPlayer | null; tick: number }>();
  /** Actors released to be dropped, not handed over (a stale copy after a restore). */
  private readonly discard = new Set<ActorId>();
  /** Where actors that left went, for messages that arrive after them (bounded, oldest forgotten). */
  private readonly movedTo = new Map<ActorId, string>();
  /** Which neighbour each ghost belongs to. */
  private readonly ghostOwner = new Map<ActorId, string>();
  /** Actors whose handover notice arrived and whose record is being read. */
  private readonly expected = new Set<ActorId>();
  /** Messages for actors being adopted, delivered once they are here. */
  private readonly waiting = new Map<ActorId, WorldInput[]>();
  private readonly heardFrom = new Map<string, number>();
  private readonly key: string;
  private readonly myChannel: string;
  private listener: ((data: unknown) => void) | null = null;
  private lastMaintenance = 0;
  private closed = false;
  /** Set while the zone goes to sleep: it takes no actor in and lets none out (notices are repeated meanwhile). */
  frozen = false;

  constructor(private readonly host: ZoneLinkHost) {
    this.key = zoneKey(host.zone);
    this.myChannel = zoneChannel(host.roomId);
  }

  /** Start listening on this zone's channel, then take what the ownership records say is ours. */
  async open(restored: { outbox: readonly OutboxEntry[] } | null): Promise<void> {
    this.listener = (data: unknown) => this.receive(data);
    await this.host.presence().subscribe(this.myChannel, this.listener);
    for (const e of restored?.outbox ?? []) this.outbox.set(e.actor, { ...e, written: false, noticeAt: 0 });
    await this.reconcile();
  }

  close(): void {
    this.closed = true;
    if (this.listener) this.host.presence().unsubscribe(this.myChannel, this.listener);
    this.listener = null;
  }

  /**
   * Bring this zone in line with the ownership records (at creation, after a restore, on waking): actors recorded
   * here that it lacks are adopted; actors it holds that are recorded elsewhere are stale copies and leave.
   */
  async reconcile(): Promise<void> {
    const all = await this.host.presence().hgetall(ownershipKey(this.host.worldId));
    const world = this.host.sim().world;
    const { idBase, idEnd } = zoneIdRange(this.host.zone.x, this.host.zone.y);
    const records = new Map<ActorId, OwnershipRecord>();
    for (const [field, raw] of Object.entries(all ?? {})) {
      const record = this.parseRecord(raw, field);
      if (record) records.set(Number(field), record);
    }
    // Handovers a restart caught between release and acknowledgement: written already (resend the notice only),
    // superseded by a later handover (the actor moved on since: forget it), or never written (write it now).
    for (const e of [...this.outbox.values()]) {
      const r = records.get(e.actor);
      if (r && r.hid === e.hid) e.written = true;
      else if (r && tickOf(r.hid) >= tickOf(e.hid)) this.outbox.delete(e.actor);
      e.noticeAt = 0;
    }
    for (const [actor, record] of records) {
      // Ids this zone handed out before a restore from an older snapshot are not handed out again.
      if (actor >= idBase && actor < idEnd && world.nextId <= actor) world.nextId = actor + 1;
      const here = world.actors.get(actor);
      const real = here !== undefined && here.status !== 'stopped';
      if (record.zone === this.key) {
        this.recorded.add(actor);
        if (!real && !this.adopting.has(actor) && !this.outbox.has(actor)) this.adopt(actor, record, originOf(record.hid));
      } else {
        if (real && !this.outbox.has(actor)) {
          this.discard.add(actor);
          this.host.sim().input({ type: 'release', actor });
        }
        // A handover this zone started whose notice may never have reached its target: tell the target again.
        if (originOf(record.hid) === this.key && !this.outbox.has(actor)) {
          const to = keyZone(record.zone);
          void this.host.ensure(to).catch(() => {});
          this.publish(record.zone, { t: 'handover', from: this.key, actor, hid: record.hid });
        }
      }
    }
  }

  /** After each step: send what crossed, publish the border, forward what is meant for next door. */
  afterStep(report: StepReport): void {
    if (this.closed) return;
    const sim = this.host.sim();
    const world = sim.world;
    const now = this.host.now();
    for (const r of report.released) this.released(r.actor, r.transfer, now);
    for (const id of report.removed) {
      if (this.recorded.delete(id) && !this.outbox.has(id)) void this.forget(id);
    }
    for (const [actor, a] of this.adopting) {
      if (!isRealIn(world, actor)) {
        if (world.tick > a.tick) {
          // Refused by the simulation (the problem says why): forgotten here, so the sender's next notice retries.
          this.adopting.delete(actor);
          this.host.log('error', 'zone: a handed-over actor was refused', { room: this.host.roomId, actor, problem: world.problems.findLast((p) => p.actor === actor)?.message ?? 'unknown' });
        }
        continue;
      }
      this.adopting.delete(actor);
      this.expected.delete(actor);
      this.recorded.add(actor);
      this.outbox.delete(actor); // it came back here: whatever this zone was still resending for it is over
      this.counters.handoversIn++;
      for (const input of this.waiting.get(actor) ?? []) sim.input(input);
      this.waiting.delete(actor);
      if (a.player) this.host.avatarArrived(actor, a.player);
      if (a.from) this.publish(a.from, { t: 'ack', from: this.key, actor, hid: a.hid });
    }
    for (const hit of report.remoteAttacks) {
      const owner = this.ghostOwner.get(hit.target) ?? this.movedTo.get(hit.target);
      if (owner) this.publish(owner, { t: 'damage', actor: hit.target, amount: hit.damage, source: hit.attacker });
    }
    for (const u of report.undelivered) {
      const m: ZoneMessage = { t: 'send', to: u.to, message: u.message as unknown as Record<string, unknown> };
      const e = this.outbox.get(u.to);
      if (e && !e.written) (e.held ??= []).push(m);
      else {
        const owner = this.ghostOwner.get(u.to) ?? this.movedTo.get(u.to) ?? e?.to;
        if (owner) this.publish(owner, m);
      }
    }
    // A release the simulation refused (the actor is still here): forget the crossing, so it is tried again.
    for (const e of this.outbox.values()) if (e.transfer === null && isRealIn(world, e.actor) && world.tick > (e.tickQueued ?? 0)) this.outbox.delete(e.actor);
    // Only bodies that moved (or just arrived) can have crossed; a full sweep runs once a second in `maintain`.
    if (!this.frozen) {
      this.findCrossings(report.changed);
      this.findCrossings(report.spawned);
    }
    if (world.tick % GHOST_EVERY_TICKS === 0) this.publishBorder();
    if (now - this.lastMaintenance >= RESEND_MS) {
      this.lastMaintenance = now;
      this.maintain(now);
    }
  }

  /** Hand a player's input on to the zone its avatar moved to; false when the avatar never left. */
  forward(actor: ActorId, input: WorldInput): boolean {
    const e = this.outbox.get(actor);
    const to = e?.to ?? this.movedTo.get(actor);
    if (!to) return false;
    if (input.type !== 'send') return true;
    const m: ZoneMessage = { t: 'send', to: input.to, message: input.message as unknown as Record<string, unknown> };
    // Before the new zone is told, it would drop the message: it goes after the notice instead.
    if (e && !e.written) (e.held ??= []).push(m);
    else this.publish(to, m);
    return true;
  }

  /** The zone an actor that left was handed to, if it left recently. */
  whereIs(actor: ActorId): string | undefined {
    return this.movedTo.get(actor) ?? this.outbox.get(actor)?.to;
  }

  /** Whether anything is on its way in (being adopted) or out (not yet acknowledged). */
  get busy(): boolean {
    return this.outbox.size > 0 || this.adopting.size > 0 || this.expected.size > 0;
  }

  /** Zone keys heard from within `ms` (neighbours alive and publishing). */
  heard(withinMs: number): string[] {
    const now = this.host.now();
    return [...this.heardFrom].filter(([, at]) => now - at <= withinMs).map(([k]) => k);
  }

  /** What a snapshot keeps of the protocol: handovers not yet acknowledged. */
  snapshot(): { outbox: OutboxEntry[] } {
    return { outbox: [...this.outbox.values()].map((e) => ({ ...e })) };
  }

  /** Those of `ids` standing outside this zone (past the hysteresis) leave at the start of the next step. */
  private findCrossings(ids: Iterable<ActorId>): void {
    const world = this.host.sim().world;
    const { grid, zone } = this.host;
    const b = zoneBounds(grid, zone);
    const tick = world.tick;
    for (const id of ids) {
      const a = world.actors.get(id);
      const body = a?.body;
      if (!a || !body || !body.alive || a.status === 'stopped') continue;
      // Cheap test first: most actors are well inside.
      if (body.x >= b.x0 && body.x < b.x1 && body.y >= b.y0 && body.y < b.y1) continue;
      if (this.outbox.has(a.id) || this.discard.has(a.id)) continue;
      const to = ownerZone(grid, zone, body.x, body.y);
      if (sameZone(to, zone)) continue;
      const player = this.host.playerOf(a.id);
      this.outbox.set(a.id, { actor: a.id, to: zoneKey(to), hid: `${this.key}@${tick}#${a.id}`, transfer: null, player, written: false, noticeAt: 0, tickQueued: tick });
      this.host.sim().input({ type: 'release', actor: a.id });
    }
  }

  private released(actor: ActorId, transfer: ActorTransfer, now: number): void {
    if (this.discard.delete(actor)) return;
    const e = this.outbox.get(actor);
    if (!e) {
      this.host.log('warn', 'zone: an actor left that was not on its way anywhere', { room: this.host.roomId, actor });
      return;
    }
    e.transfer = Buffer.from(transferBytes(transfer)).toString('base64');
    e.noticeAt = now;
    e.releasedAt = now;
    this.remember(actor, e.to);
    void this.commit(e, now);
  }

  /** Write the ownership record (the commit point), then tell the new zone. Retried by {@link maintain} on failure. */
  private async commit(e: OutboxEntry, startedAt: number): Promise<void> {
    if (!e.transfer) return;
    // The record is written once: writing it again after the actor moved on would put an old copy back.
    if (!e.written) {
      const record: OwnershipRecord = { zone: e.to, hid: e.hid, transfer: e.transfer, player: e.player };
      try {
        await this.host.presence().hset(ownershipKey(this.host.worldId), String(e.actor), JSON.stringify(record));
      } catch (err) {
        this.host.log('warn', 'zone: handover not written yet; retrying', { room: this.host.roomId, actor: e.actor, error: err instanceof Error ? err.message : String(err) });
        return;
      }
      if (this.outbox.get(e.actor) !== e || e.written) return;
      e.written = true;
      this.counters.handoversOut++;
      this.recorded.delete(e.actor);
      if (e.player) this.host.avatarLeft(e.actor, keyZone(e.to), e.player);
    }
    e.noticeAt = startedAt;
    this.publish(e.to, { t: 'handover', from: this.key, actor: e.actor, hid: e.hid });
    // What arrived for the actor before its new zone knew of it follows the notice.
    for (const m of e.held ?? []) this.publish(e.to, m);
    e.held = [];
  }

  /** Resend what was not acknowledged, and keep awake the neighbours that players or handovers need. */
  private maintain(now: number): void {
    if (!this.frozen) this.findCrossings(this.host.sim().world.actors.keys());
    for (const e of this.outbox.values()) {
      if (!e.transfer || now - e.noticeAt < RESEND_MS) continue;
      e.noticeAt = now;
      const to = keyZone(e.to);
      void this.host.ensure(to).catch((err: unknown) => this.host.log('warn', 'zone: the next zone could not be started', { room: this.host.roomId, zone: e.to, error: err instanceof Error ? err.message : String(err) }));
      void this.commit(e, now);
    }
    const world = this.host.sim().world;
    const near = new Set<string>();
    const around = neighbours(this.host.grid, this.host.zone);
    for (const pid of world.players) {
      const a = world.actors.get(pid);
      if (!a?.body) continue;
      for (const n of around) if (distanceToZone(this.host.grid, n, a.body.x, a.body.y) <= ZONE_MARGIN * 2) near.add(zoneKey(n));
    }
    for (const k of near) {
      if (this.heardFrom.has(k) && now - (this.heardFrom.get(k) ?? 0) < 3000) continue;
      void this.host.ensure(keyZone(k)).catch((err: unknown) => this.host.log('warn', 'zone: a neighbour could not be started', { room: this.host.roomId, zone: k, error: err instanceof Error ? err.message : String(err) }));
    }
  }

  /** Each neighbour gets this zone's actors within the margin of its square (an empty list clears its ghosts). */
  private publishBorder(): void {
    const world = this.host.sim().world;
    const { grid, zone } = this.host;
    const b = zoneBounds(grid, zone);
    const around = neighbours(grid, zone);
    const out = new Map<string, GhostWire[]>();
    for (const n of around) out.set(zoneKey(n), []);
    for (const a of world.order) {
      const body = a.body;
      if (!body || !body.alive || a.status === 'stopped') continue;
      if (body.x - b.x0 > ZONE_MARGIN && b.x1 - body.x > ZONE_MARGIN && body.y - b.y0 > ZONE_MARGIN && b.y1 - body.y > ZONE_MARGIN) continue;
      let wire: GhostWire | null = null;
      for (const n of around) {
        if (distanceToZone(grid, n, body.x, body.y) > ZONE_MARGIN) continue;
        wire ??= ghostOf(world, a) as GhostWire; // the simulation's own form of a ghost (shield and speed included)
        out.get(zoneKey(n))?.push(wire);
      }
    }
    for (const [k, ghosts] of out) this.publish(k, { t: 'ghosts', from: this.key, tick: world.tick, ghosts });
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    const parsed = ZoneMessageSchema.safeParse(data);
    if (!parsed.success) {
      this.counters.badMessages++;
      this.host.log('warn', 'zone: dropped a message that is not a zone message', { room: this.host.roomId, problem: parsed.error.issues[0]?.message ?? 'invalid' });
      return;
    }
    const m = parsed.data;
    const sim = this.host.sim();
    switch (m.t) {
      case 'handover':
        this.heardFrom.set(m.from, this.host.now());
        if (this.frozen) return; // the sender repeats it; the zone is woken by then
        // Inputs for the actor that arrive while its record is read are kept for it.
        if (!isRealIn(sim.world, m.actor)) this.expected.add(m.actor);
        void this.takeHandover(m.actor, m.hid, m.from).finally(() => {
          if (!this.adopting.has(m.actor)) this.expected.delete(m.actor);
        });
        return;
      case 'ack': {
        const e = this.outbox.get(m.actor);
        if (e && e.hid === m.hid) {
          this.outbox.delete(m.actor);
          const ms = this.host.now() - (e.releasedAt ?? e.noticeAt ?? this.host.now());
          this.counters.latencies.unshift(Math.max(0, ms));
          if (this.counters.latencies.length > 10_000) this.counters.latencies.length = 10_000;
        }
        return;
      }
      case 'ghosts': {
        this.heardFrom.set(m.from, this.host.now());
        for (const g of m.ghosts) this.ghostOwner.set(g.id, m.from);
        sim.input({ type: 'ghosts', source: m.from, ghosts: m.ghosts as GhostBody[] });
        return;
      }
      case 'damage':
        this.deliver(m.actor, { type: 'damage', actor: m.actor, amount: m.amount, source: m.source }, m);
        return;
      case 'send':
        this.deliver(m.to, { type: 'send', to: m.to, message: m.message as unknown as Extract<WorldInput, { type: 'send' }>['message'] }, m);
        return;
    }
  }

  /** Apply an input meant for one of this zone's actors, or pass it on to where the actor went. */
  private deliver(actor: ActorId, input: WorldInput, m: ZoneMessage): void {
    if (isRealIn(this.host.sim().world, actor)) {
      this.host.sim().input(input);
      return;
    }
    if (this.adopting.has(actor) || this.expected.has(actor)) {
      const list = this.waiting.get(actor) ?? [];
      if (list.length < 64) list.push(input);
      this.waiting.set(actor, list);
      return;
    }
    const went = this.whereIs(actor);
    if (went && went !== this.key) this.publish(went, m);
  }

  private async takeHandover(actor: ActorId, hid: string, from: string): Promise<void> {
    if (isRealIn(this.host.sim().world, actor) || this.adopting.has(actor)) {
      this.counters.repeats++;
      if (!this.adopting.has(actor)) this.publish(from, { t: 'ack', from: this.key, actor, hid });
      return;
    }
    let raw: string | null;
    try {
      raw = await this.host.presence().hget(ownershipKey(this.host.worldId), String(actor));
    } catch (err) {
      this.host.log('warn', 'zone: ownership record unreadable; the sender will repeat its notice', { room: this.host.roomId, actor, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    const record = raw === null ? null : this.parseRecord(raw, String(actor));
    if (!record || record.hid !== hid || record.zone !== this.key) {
      // Superseded (the actor moved on since) or never written: not ours to take.
      if (record && record.zone !== this.key) this.publish(from, { t: 'ack', from: this.key, actor, hid });
      return;
    }
    if (isRealIn(this.host.sim().world, actor) || this.adopting.has(actor)) return;
    this.adopt(actor, record, from);
  }

  private adopt(actor: ActorId, record: OwnershipRecord, from: string | null): void {
    let transfer: ActorTransfer;
    try {
      transfer = transferFromBytes(Buffer.from(record.transfer, 'base64'));
    } catch (err) {
      this.host.log('error', 'zone: a handed-over actor could not be read; it stays where the record put it', { room: this.host.roomId, actor, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.adopting.set(actor, { from, hid: record.hid, player: record.player, tick: this.host.sim().world.tick });
    this.movedTo.delete(actor);
    this.host.sim().input({ type: 'adopt', transfer });
  }

  private parseRecord(raw: string, field: string): OwnershipRecord | null {
    try {
      const r = OwnershipRecordSchema.safeParse(JSON.parse(raw));
      if (r.success) return r.data;
      this.host.log('warn', 'zone: ownership record is malformed; ignored', { room: this.host.roomId, actor: field, problem: r.error.issues[0]?.message ?? 'invalid' });
    } catch {
      this.host.log('warn', 'zone: ownership record is not JSON; ignored', { room: this.host.roomId, actor: field });
    }
    return null;
  }

  /** An actor recorded here died or was removed: its record goes, so a restore does not bring it back. */
  private async forget(actor: ActorId): Promise<void> {
    try {
      const raw = await this.host.presence().hget(ownershipKey(this.host.worldId), String(actor));
      const record = raw === null ? null : this.parseRecord(raw, String(actor));
      if (record?.zone === this.key) await this.host.presence().hdel(ownershipKey(this.host.worldId), String(actor));
    } catch {
      // A record left behind only matters to a restore of this zone, which finds the actor gone or alive as it was.
    }
  }

  private remember(actor: ActorId, zone: string): void {
    this.movedTo.delete(actor);
    this.movedTo.set(actor, zone);
    if (this.movedTo.size > MOVED_MEMORY) {
      const oldest = this.movedTo.keys().next().value;
      if (oldest !== undefined) this.movedTo.delete(oldest);
    }
  }

  private publish(to: string, message: ZoneMessage): void {
    const roomId = this.host.roomIdOf(keyZone(to));
    try {
      void Promise.resolve(this.host.presence().publish(zoneChannel(roomId), message)).catch(() => {});
    } catch {
      // Presence is down: notices are repeated until acknowledged, and ghosts are refreshed every few ticks.
    }
  }
}

/** The tick handover `hid` (`<from>@<tick>#<actor>`) was made at: zones share the world's clock, so later is newer. */
function tickOf(hid: string): number {
  const m = /@(\d+)#/.exec(hid);
  return m ? Number(m[1]) : -1;
}

/** The zone that started handover `hid` (`<from>@<tick>#<actor>`). */
function originOf(hid: string): string | null {
  const at = hid.indexOf('@');
  return at > 0 ? hid.slice(0, at) : null;
}

/** The zone coordinates of a zone key. */
export function keyZone(key: string): ZoneCoord {
  const [x, y] = key.split('_').map(Number);
  return { x: x ?? 0, y: y ?? 0 };
}

function isRealIn(world: Simulation['world'], actor: ActorId): boolean {
  const a = world.actors.get(actor);
  return a !== undefined && a.status !== 'stopped';
}
