import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { matchMaker } from '@colyseus/core';
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { readSnapshotHeader } from '../actors/index.ts';
import { decodeWindow, fromStored } from '../rooms/index.ts';
import type { DurabilityService, RestoreTicket, SnapshotStore, StoredSnapshot, WorldRoom } from '../rooms/index.ts';
import type { Logger } from './logger.ts';

/** Settings of a {@link RoomKeeper}. */
export interface RoomKeeperOptions {
  readonly store: SnapshotStore;
  readonly intervalSeconds: number;
  /** Lease length, ms: a room whose process stops renewing is taken over this long after its last renewal. */
  readonly leaseMs: number;
  readonly windowLimit?: number;
  readonly flushSeconds?: number;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Name of the room type (default `world`). */
  readonly roomName?: string;
}

/** What /health says of snapshots. */
export interface KeeperHealth {
  readonly status: 'ok' | 'degraded';
  readonly store: SnapshotStore['kind'];
  readonly [detail: string]: unknown;
}

/**
 * Makes rooms outlive their process: hands rooms the {@link DurabilityService} (snapshots, recorder, leases),
 * brings rooms back at start and takes over rooms whose owner stopped renewing its lease (a dead process), counts
 * failures for /metrics and /health, and forks a room's snapshot into a new room.
 */
export class RoomKeeper implements DurabilityService {
  readonly store: SnapshotStore;
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly intervalSeconds: number;
  readonly leaseMs: number;
  readonly windowLimit: number;
  readonly flushSeconds: number;
  private readonly tickets = new Map<string, RestoreTicket>();
  private readonly failing = new Map<string, { reason: string; message: string; at: string }>();
  private lastSaved: { roomId: string; tick: number; bytes: number; at: string } | null = null;
  private stopping = false;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private scanning: Promise<void> | null = null;
  private readonly restoring = new Set<string>();
  private readonly logger: Logger;
  private readonly roomName: string;
  private readonly failures: Counter;
  private readonly writes: Counter;
  private readonly captureTime: Histogram;
  private readonly encodeTime: Histogram;
  private readonly sizes: Histogram;
  private readonly restores: Counter;

  constructor(opts: RoomKeeperOptions) {
    this.store = opts.store;
    this.intervalSeconds = opts.intervalSeconds;
    this.leaseMs = opts.leaseMs;
    this.windowLimit = opts.windowLimit ?? 50_000;
    this.flushSeconds = opts.flushSeconds ?? 2;
    this.logger = opts.logger;
    this.roomName = opts.roomName ?? 'world';
    const registers = [opts.registry];
    this.failures = new Counter({ name: 'lairmind_snapshot_failures_total', help: 'Snapshots, recorder writes and leases that failed, by reason (the room runs on)', labelNames: ['reason'], registers });
    this.writes = new Counter({ name: 'lairmind_snapshots_total', help: 'Snapshots written', registers });
    this.restores = new Counter({ name: 'lairmind_room_restores_total', help: 'Rooms brought back from a snapshot, by how (start, takeover, fork)', labelNames: ['how'], registers });
    this.captureTime = new Histogram({ name: 'lairmind_snapshot_capture_seconds', help: 'Time on the tick to capture a world for a snapshot', buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05], registers });
    this.encodeTime = new Histogram({ name: 'lairmind_snapshot_encode_seconds', help: 'Time spent encoding a snapshot (in slices, off the tick)', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5], registers });
    this.sizes = new Histogram({ name: 'lairmind_snapshot_bytes', help: 'Size of written snapshots', buckets: [1e4, 1e5, 1e6, 4e6, 1.6e7, 6.4e7], registers });
  }

  takeTicket(id: string): RestoreTicket | undefined {
    const t = this.tickets.get(id);
    this.tickets.delete(id);
    return t;
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  failed(roomId: string, reason: string, error: unknown): void {
    this.failures.inc({ reason });
    const message = error instanceof Error ? error.message : String(error);
    this.failing.set(roomId, { reason, message, at: new Date().toISOString() });
    this.logger.warn({ room: roomId, reason, error: message }, 'snapshots: failed; the room runs on with its last good snapshot');
  }

  saved(roomId: string, info: { tick: number; bytes: number; captureMs: number; encodeMs: number; writeMs: number }): void {
    this.writes.inc();
    this.captureTime.observe(info.captureMs / 1000);
    this.encodeTime.observe(info.encodeMs / 1000);
    this.sizes.observe(info.bytes);
    this.failing.delete(roomId);
    this.lastSaved = { roomId, tick: info.tick, bytes: info.bytes, at: new Date().toISOString() };
  }

  lost(roomId: string): void {
    this.failures.inc({ reason: 'lease-lost' });
    this.logger.error({ room: roomId }, 'snapshots: another process holds this room now; stopping the copy here');
  }

  /** Degraded while some room's latest snapshot or write failed (cleared by its next good write). */
  health(): KeeperHealth {
    const failing = [...this.failing].map(([room, f]) => ({ room, ...f }));
    return {
      status: failing.length > 0 ? 'degraded' : 'ok',
      store: this.store.kind,
      intervalSeconds: this.intervalSeconds,
      ...(this.lastSaved && { lastSaved: this.lastSaved }),
      ...(failing.length > 0 && { failing: failing.slice(0, 10) }),
    };
  }

  /**
   * Bring back every room the store knows whose lease is free (all of them after a restart), then keep looking every
   * third of a lease for rooms whose owner stopped renewing: a process that died leaves its rooms to the others.
   */
  start(): void {
    void this.scan();
    this.watchTimer = setInterval(() => void this.scan(), Math.max(250, Math.floor(this.leaseMs / 3)));
    this.watchTimer.unref?.();
  }

  private scan(): Promise<void> {
    if (this.scanning || this.stopping) return this.scanning ?? Promise.resolve();
    this.scanning = (async () => {
      try {
        const records = await this.store.rooms();
        this.failing.delete('*');
        for (const r of records) {
          if (this.stopping) return;
          if (r.owner !== null && r.owner !== this.owner) continue; // alive elsewhere
          if (r.meta.reason === 'sleep') continue; // a zone asleep wakes when someone comes near, not at start
          if (matchMaker.getLocalRoomById(r.roomId) || this.restoring.has(r.roomId)) continue;
          if (!(await this.store.claim(r.roomId, this.owner, this.leaseMs))) continue;
          await this.restore(r.roomId, 'start').catch((err: unknown) => this.failed(r.roomId, 'restore', err));
        }
      } catch (err) {
        this.failed('*', 'scan', err);
      } finally {
        this.scanning = null;
      }
    })();
    return this.scanning;
  }

  /**
   * Create the room `roomId` here from its latest readable snapshot (a damaged one is skipped for the one before)
   * and the inputs recorded after it. The lease must be ours already.
   */
  async restore(roomId: string, how: 'start' | 'takeover'): Promise<string> {
    this.restoring.add(roomId);
    try {
      const { snapshot, bytes } = await this.readable(roomId);
      const recording = await this.store.recording(roomId).catch(() => null);
      const usable = recording && recording.baseTick === snapshot.tick ? recording : null;
      if (usable) decodeWindow(usable.bytes); // checked here: a damaged window is left out, not fatal
      const id = randomUUID();
      this.tickets.set(id, { roomId, bytes, recording: usable });
      // Created here, under the name it was saved with: the lease and the ticket are this process's.
      const room = await matchMaker.handleCreateRoom(snapshot.meta.roomName || this.roomName, { restore: id });
      this.tickets.delete(id);
      this.restores.inc({ how });
      this.logger.info({ room: room.roomId, tick: snapshot.tick, replayed: usable ? 'recorded inputs after it' : 'none' }, 'snapshots: room restored');
      return room.roomId;
    } finally {
      this.restoring.delete(roomId);
    }
  }

  /** A new room continuing room `roomId`'s snapshot at `tick` (default: the latest): a sandbox, without its players. */
  async fork(roomId: string, tick?: number): Promise<{ roomId: string; tick: number }> {
    const found = tick === undefined ? await this.readable(roomId) : await this.checked(roomId, tick);
    if (!found) throw new Error(`room ${roomId} has no snapshot at tick ${tick}`);
    const { snapshot, bytes } = found;
    const id = randomUUID();
    this.tickets.set(id, { roomId: null, bytes, recording: null });
    try {
      const room = await matchMaker.createRoom(this.roomName, { restore: id });
      this.restores.inc({ how: 'fork' });
      return { roomId: room.roomId, tick: snapshot.tick };
    } finally {
      this.tickets.delete(id);
    }
  }

  /** The snapshot of `roomId` at `tick` and its bytes, uncompressed and checked (throws when damaged). */
  private async checked(roomId: string, tick: number): Promise<{ snapshot: StoredSnapshot; bytes: Uint8Array } | null> {
    const snapshot = await this.store.get(roomId, tick);
    return snapshot && unpacked(snapshot);
  }

  /** The newest snapshot of `roomId` whose bytes check out, with those bytes uncompressed. */
  private async readable(roomId: string): Promise<{ snapshot: StoredSnapshot; bytes: Uint8Array }> {
    const list = await this.store.list(roomId);
    if (list.length === 0) throw new Error(`room ${roomId} has no snapshots`);
    const problems: string[] = [];
    for (const { tick } of list) {
      const s = await this.store.get(roomId, tick); // a store failure is not a damaged snapshot: it propagates
      if (!s) continue;
      try {
        return unpacked(s);
      } catch (err) {
        problems.push(`tick ${tick}: ${err instanceof Error ? err.message : String(err)}`);
        this.failed(roomId, 'corrupt', err);
      }
    }
    throw new Error(`room ${roomId}: no readable snapshot (${problems.join('; ')})`);
  }

  /** The local room `roomId`, if this process runs it. */
  localRoom(roomId: string): WorldRoom | undefined {
    return matchMaker.getLocalRoomById(roomId) as WorldRoom | undefined;
  }

  /** From now on rooms disposed are coming back: the shutdown's last snapshots are taken by the rooms themselves. */
  beginShutdown(): void {
    this.stopping = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }

  async close(): Promise<void> {
    this.beginShutdown();
    await this.scanning;
    await this.store.close();
  }
}

/** A stored snapshot's bytes, uncompressed, with its frame and checksum checked (throws SnapshotError when damaged). */
function unpacked(snapshot: StoredSnapshot): { snapshot: StoredSnapshot; bytes: Uint8Array } {
  const bytes = fromStored(snapshot.bytes);
  readSnapshotHeader(bytes);
  return { snapshot, bytes };
}
