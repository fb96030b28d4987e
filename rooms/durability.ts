import { Packr } from 'msgpackr';
import { captureWorld, encodeSnapshot } from '../actors/index.ts';
import type { LogEntry, Simulation, WorldImage } from '../actors/index.ts';
import type { Recording, RoomSnapshotMeta } from './recording.ts';
import { toStored } from './storedBytes.ts';
import type { RoomRecordMeta, SnapshotStore } from './snapshotStore.ts';

/** A snapshot (and the flight recorder's window after it) that a room is to be created from. */
export interface RestoreTicket {
  /** The room id to take (a room brought back), or null for a new room (a fork into a sandbox). */
  readonly roomId: string | null;
  readonly bytes: Uint8Array;
  /** Inputs recorded after the snapshot, replayed on restore so that less is lost. */
  readonly recording: { readonly baseTick: number; readonly bytes: Uint8Array } | null;
}

/** What the server gives rooms to make them durable (composition root: server/durability). */
export interface DurabilityService {
  readonly store: SnapshotStore;
  /** This process's name as a lease owner. */
  readonly owner: string;
  /** Seconds between snapshots (SNAPSHOT_SECONDS). */
  readonly intervalSeconds: number;
  /** Lease length; renewed every third of it. A room that loses its lease stops. */
  readonly leaseMs: number;
  /** Recorded entries kept in memory before a snapshot is forced (which empties the window). */
  readonly windowLimit: number;
  /** Seconds between writes of the recorder's window to the store. */
  readonly flushSeconds: number;
  /** The restore ticket a room was created with (process-local; clients cannot name one). */
  takeTicket(id: string): RestoreTicket | undefined;
  /** True while the process shuts down: rooms disposed now come back at the next start. */
  shuttingDown(): boolean;
  /** A snapshot or write failed; the room runs on. `reason` is a short label for metrics. */
  failed(roomId: string, reason: string, error: unknown): void;
  /** A snapshot was written. */
  saved(roomId: string, info: { tick: number; bytes: number; captureMs: number; encodeMs: number; writeMs: number }): void;
  /** The room lost its lease to another process: it must stop. */
  lost(roomId: string, owner: string | null): void;
}

/** The room's side: what a snapshot holds besides the world. */
export interface DurableRoom {
  readonly roomId: string;
  readonly sim: Simulation;
  meta(): RoomSnapshotMeta;
  /** Stop the room (its lease is gone: another process runs it now). */
  stop(reason: string): void;
}

/** Why a snapshot was taken, for logs. */
export type SnapshotReason = 'interval' | 'window-full' | 'shutdown' | 'admin' | 'restored' | 'sleep';

interface Good {
  readonly tick: number;
  /** The snapshot (uncompressed). */
  readonly bytes: Uint8Array;
  /** Its size as stored (compressed). */
  readonly storedBytes: number;
  readonly savedAt: number;
}

const windowPackr = new Packr({ useRecords: true });

/** Encode recorded entries for the store (the rolling window on disk or in Redis). */
export function encodeWindow(entries: readonly LogEntry[], ticks: number): Uint8Array {
  return windowPackr.pack({ ticks, entries });
}

/** Decode what {@link encodeWindow} wrote; throws naming what is wrong. */
export function decodeWindow(bytes: Uint8Array): { ticks: number; entries: LogEntry[] } {
  let v: { ticks?: unknown; entries?: unknown };
  try {
    v = windowPackr.unpack(bytes) as typeof v;
  } catch (err) {
    throw new Error(`recorded window unreadable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!v || !Number.isInteger(v.ticks) || !Array.isArray(v.entries)) throw new Error('recorded window malformed (no ticks or entries)');
  return { ticks: v.ticks as number, entries: v.entries as LogEntry[] };
}

/** One turn of the event loop, so the encoder's slices let ticks and sockets run between them. */
const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A live room's durability: snapshots every `intervalSeconds` (captured on the tick, encoded in slices between
 * turns of the event loop, written asynchronously, fenced by the room's lease), the flight recorder's window since
 * the last good snapshot (written to the store every `flushSeconds`), and the lease renewal. A failed snapshot or
 * write is counted and the room runs on with its last good snapshot and a window that keeps growing from it.
 */
export class RoomDurability {
  private lastGood: Good | null = null;
  /** Entries recorded since the last good snapshot, up to the last capture (windows of failed snapshots). */
  private carried: LogEntry[] = [];
  private inFlight: Promise<Good | null> | null = null;
  private lastStartMs: number;
  private lastFlushMs: number;
  private flushedTick = -1;
  private flushing = false;
  private renewTimer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  constructor(private readonly room: DurableRoom, private readonly service: DurabilityService, nowMs: number) {
    this.lastStartMs = nowMs;
    this.lastFlushMs = nowMs;
  }

  /** Begin holding the room's lease (renewed every third of its length). */
  startLease(): void {
    const every = Math.max(200, Math.floor(this.service.leaseMs / 3));
    this.renewTimer = setInterval(() => void this.renew(), every);
    this.renewTimer.unref?.();
  }

  private async renew(): Promise<void> {
    if (this.closed) return;
    try {
      const ok = await this.service.store.claim(this.room.roomId, this.service.owner, this.service.leaseMs);
      if (!ok && !this.closed) {
        this.closed = true;
        this.service.lost(this.room.roomId, null);
        this.room.stop('another process took this room over');
      }
    } catch (err) {
      // The store is unreachable: nobody else can take the lease either; try again at the next renewal.
      this.service.failed(this.room.roomId, 'lease', err);
    }
  }

  /** The last snapshot written, if any. */
  get latest(): Good | null {
    return this.lastGood;
  }

  /** After each batch of steps: start a snapshot when one is due, flush the window when due. */
  afterSteps(nowMs: number): void {
    if (this.closed) return;
    const window = this.room.sim.window;
    const recorded = this.carried.length + (window?.entries.length ?? 0);
    if (recorded > 4 * this.service.windowLimit) {
      // Snapshots keep failing and the window would grow without bound: give up the recording since the last good one.
      this.carried = [];
      this.room.sim.cutWindow();
      this.service.failed(this.room.roomId, 'window-overflow', new Error(`flight recorder over ${4 * this.service.windowLimit} entries with no snapshot written; its window was dropped`));
    }
    const full = recorded >= this.service.windowLimit && nowMs - this.lastStartMs >= 1000;
    if (!this.inFlight && (nowMs - this.lastStartMs >= this.service.intervalSeconds * 1000 || full)) {
      void this.snapshot(full ? 'window-full' : 'interval', nowMs);
    } else if (nowMs - this.lastFlushMs >= this.service.flushSeconds * 1000) {
      this.lastFlushMs = nowMs;
      void this.flushWindow();
    }
  }

  /**
   * Take a snapshot now (or wait for the one in flight): resolves with what was written, or null when the write
   * failed (counted and logged by the service).
   */
  snapshot(reason: SnapshotReason, nowMs = performance.now()): Promise<Good | null> {
    if (this.inFlight) return this.inFlight;
    this.lastStartMs = nowMs;
    const t0 = performance.now();
    const sim = this.room.sim;
    const image = captureWorld(sim.world);
    const meta = this.room.meta();
    const ended = sim.cutWindow();
    const pending = ended ? this.carried.concat(ended.entries) : this.carried;
    this.carried = pending;
    const captureMs = performance.now() - t0;
    const run = this.write(image, meta, reason, captureMs).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  private async write(image: WorldImage, meta: RoomSnapshotMeta, reason: SnapshotReason, captureMs: number): Promise<Good | null> {
    const roomId = this.room.roomId;
    let bytes: Uint8Array;
    let encodeMs = 0;
    try {
      const it = encodeSnapshot(image, meta);
      for (;;) {
        const s0 = performance.now();
        const r = it.next();
        encodeMs += performance.now() - s0;
        if (r.done) {
          bytes = r.value;
          break;
        }
        await yieldTurn();
      }
    } catch (err) {
      this.service.failed(roomId, 'encode', err);
      return null;
    }
    const w0 = performance.now();
    let stored: Uint8Array;
    try {
      stored = await toStored(bytes);
    } catch (err) {
      this.service.failed(roomId, 'compress', err);
      return null;
    }
    const record: RoomRecordMeta = { roomName: meta.roomName, options: meta.options as unknown as Record<string, unknown>, reason, players: meta.players.length, ...(meta.scenario && { scenario: meta.scenario.name }) };
    try {
      await this.service.store.save({ roomId, tick: image.tick, bytes: stored, meta: record }, { owner: this.service.owner });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      this.service.failed(roomId, typeof code === 'string' ? code : 'write', err);
      if (code === 'fenced' && !this.closed) {
        this.closed = true;
        this.service.lost(roomId, null);
        this.room.stop('another process took this room over');
      }
      return null;
    }
    const good: Good = { tick: image.tick, bytes, storedBytes: stored.length, savedAt: Date.now() };
    // Entries up to this capture are in the snapshot now; those recorded since stay in the simulation's window.
    this.carried = [];
    this.lastGood = good;
    this.service.saved(roomId, { tick: image.tick, bytes: stored.length, captureMs, encodeMs, writeMs: performance.now() - w0 });
    void this.flushWindow();
    return good;
  }

  /** Entries since the last good snapshot, oldest first. */
  entries(): LogEntry[] {
    return this.carried.concat(this.room.sim.window?.entries ?? []);
  }

  /** Write the window since the last good snapshot to the store (the part of the recording that is not a snapshot). */
  private async flushWindow(): Promise<void> {
    const good = this.lastGood;
    const tick = this.room.sim.world.tick;
    if (!good || this.flushing || tick === this.flushedTick) return;
    this.flushing = true;
    try {
      await this.service.store.putRecording(this.room.roomId, good.tick, encodeWindow(this.entries(), tick));
      this.flushedTick = tick;
    } catch (err) {
      this.service.failed(this.room.roomId, 'recording', err);
    } finally {
      this.flushing = false;
    }
  }

  /**
   * The recording of the room's present: the last good snapshot (one is taken now if there is none) and every
   * input and reply since, up to the current tick, with the state hash there.
   */
  async recording(): Promise<Recording> {
    if (!this.lastGood) await this.snapshot('admin');
    if (this.inFlight) await this.inFlight;
    const good = this.lastGood;
    if (!good) throw new Error('no snapshot of this room could be written (see /health and the log)');
    const sim = this.room.sim;
    return {
      format: 'lairmind-recording',
      version: 1,
      roomId: this.room.roomId,
      snapshot: Buffer.from(good.bytes).toString('base64'),
      baseTick: good.tick,
      entries: this.entries().filter((e) => e.tick > good.tick),
      ticks: sim.world.tick,
      finalHash: sim.hash(),
    };
  }

  /** Stop renewing; with `release`, give the lease back (a graceful shutdown: another process may take it at once). */
  async close(opts: { release: boolean }): Promise<void> {
    const wasClosed = this.closed;
    this.closed = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    if (this.inFlight) await this.inFlight;
    if (opts.release && !wasClosed) await this.service.store.release(this.room.roomId, this.service.owner).catch((err: unknown) => this.service.failed(this.room.roomId, 'lease', err));
  }
}
