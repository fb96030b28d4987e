/**
 * Where durable worlds keep their snapshots, the flight recorder's inputs and the lease that says which
 * process runs a room. Rooms speak only to this port; the adapters (an embedded SQLite file, or Redis shared
 * by several processes) live in server/snapshots/.
 */

/** What a room needs to be created again: its name and options, plus whatever small extras it keeps. JSON-serialisable. */
export interface RoomRecordMeta {
  /** The registered room name (the Colyseus handler) to create it under again. */
  readonly roomName: string;
  /** The options it was created with. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly [k: string]: unknown;
}

/** One saved snapshot of a room. */
export interface StoredSnapshot {
  readonly roomId: string;
  /** The simulation tick the snapshot was taken at. */
  readonly tick: number;
  /** When it was saved, epoch ms. */
  readonly savedAt: number;
  /** The encoded snapshot, exactly as saved. */
  readonly bytes: Uint8Array;
  /** The room's record at the time of the snapshot. */
  readonly meta: RoomRecordMeta;
}

/** A room that is live or was live (not ended), as the store knows it. */
export interface RoomRecord {
  readonly roomId: string;
  /** Tick of its newest snapshot. */
  readonly latestTick: number;
  /** When its newest snapshot was saved, epoch ms. */
  readonly savedAt: number;
  /** The record saved with its newest snapshot. */
  readonly meta: RoomRecordMeta;
  /** Who holds its lease now, or null when nobody does (never taken, released or expired). */
  readonly owner: string | null;
}

/** A snapshot in a room's listing. */
export interface SnapshotEntry {
  readonly tick: number;
  /** Epoch ms. */
  readonly savedAt: number;
  /** Length of the encoded snapshot, bytes. */
  readonly size: number;
}

/** The recorded inputs since snapshot `baseTick`: with that snapshot they replay the room up to its last tick. */
export interface StoredRecording {
  readonly baseTick: number;
  readonly bytes: Uint8Array;
}

/** What {@link SnapshotStore.save} writes. */
export interface SnapshotToSave {
  readonly roomId: string;
  readonly tick: number;
  readonly bytes: Uint8Array;
  readonly meta: RoomRecordMeta;
}

/**
 * Every method has a deadline and rejects with a {@link SnapshotStoreError} (never hangs) when the backing
 * store is unreachable, slow, full or damaged.
 */
export interface SnapshotStore {
  /** Which adapter this is. */
  readonly kind: 'sqlite' | 'redis';
  /**
   * Store a snapshot and keep only the room's newest `keep` (by tick), in one atomic step; the room's record
   * follows its newest snapshot. With a fence, refused (code `fenced`) when another owner holds the room's
   * lease, the check being atomic with the write: a process that lost its room cannot overwrite the new
   * owner's snapshots. Saving a room that was {@link end}ed stores the snapshot but does not bring it back.
   */
  save(s: SnapshotToSave, fence?: { readonly owner: string }): Promise<void>;
  /** The room's newest snapshot (highest tick), or null when it has none. */
  latest(roomId: string): Promise<StoredSnapshot | null>;
  /** The room's snapshot at `tick`, or null when it was never saved or was trimmed. */
  get(roomId: string, tick: number): Promise<StoredSnapshot | null>;
  /** The room's snapshots, newest first. */
  list(roomId: string): Promise<SnapshotEntry[]>;
  /** The rooms with at least one snapshot that are live or were live (not ended): the ones to bring back. */
  rooms(): Promise<RoomRecord[]>;
  /** The room ended on purpose: it leaves {@link rooms} and is not brought back; its snapshots stay (for forking). */
  end(roomId: string): Promise<void>;
  /** The flight recorder's inputs since snapshot `baseTick`; replaces the room's previous recording. */
  putRecording(roomId: string, baseTick: number, bytes: Uint8Array): Promise<void>;
  /** The room's recording, or null. */
  recording(roomId: string): Promise<StoredRecording | null>;
  /** Take the room's lease for `ttlMs` if it is free, expired, or already ours (then it is renewed); false when another owner holds it. */
  claim(roomId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extend our lease to `ttlMs` from now; false when it is not ours any more (expired, released or taken). */
  renew(roomId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Give the lease up if it is ours; nothing otherwise. */
  release(roomId: string, owner: string): Promise<void>;
  /** Close the connection or file; every later call rejects with code `unavailable`. */
  close(): Promise<void>;
}

/**
 * - `unavailable`: the store cannot be reached (Redis down, store closed, file cannot be opened);
 * - `timeout`: no answer within the deadline;
 * - `full`: out of disk or memory;
 * - `fenced`: a fenced save refused because another owner holds the room's lease;
 * - `corrupt`: what is stored cannot be read back;
 * - `failed`: anything else (the message says what).
 */
export type SnapshotStoreErrorCode = 'unavailable' | 'timeout' | 'full' | 'fenced' | 'corrupt' | 'failed';

/** Why a store call failed; the message names the operation and the room, never credentials. */
export class SnapshotStoreError extends Error {
  constructor(
    readonly code: SnapshotStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SnapshotStoreError';
  }
}
