import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SnapshotStoreError } from '../../rooms/index.ts';
import type { RoomRecord, RoomRecordMeta, SnapshotEntry, SnapshotStore, SnapshotToSave, StoredRecording, StoredSnapshot } from '../../rooms/index.ts';
import { checkOwner, checkRoomId, checkTick, checkTtl, decodeMeta, encodeMeta, ownBytes } from './common.ts';

export interface SqliteSnapshotStoreOptions {
  /** Folder of the database file `snapshots.db`; created if missing. */
  readonly dataDir: string;
  /** Snapshots kept per room. */
  readonly keep: number;
  /** How long a call may wait for a lock held by another process before it fails with `timeout`, ms (default 2000). */
  readonly timeoutMs?: number;
  /** Cap on the database file's size: past it saves fail with `full` (default: none). */
  readonly maxBytes?: number;
}

/** The database file's name inside the data folder. */
export const SNAPSHOT_DB_FILE = 'snapshots.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (
  room_id TEXT NOT NULL,
  tick INTEGER NOT NULL,
  saved_at INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  meta TEXT NOT NULL,
  PRIMARY KEY (room_id, tick)
);
CREATE TABLE IF NOT EXISTS rooms (
  room_id TEXT PRIMARY KEY,
  latest_tick INTEGER,
  saved_at INTEGER,
  meta TEXT,
  ended INTEGER NOT NULL DEFAULT 0,
  owner TEXT,
  lease_until INTEGER
);
CREATE TABLE IF NOT EXISTS recordings (
  room_id TEXT PRIMARY KEY,
  base_tick INTEGER NOT NULL,
  bytes BLOB NOT NULL
);
`;

interface SnapshotRow {
  tick: number;
  saved_at: number;
  bytes: Buffer;
  meta: string;
}

interface LeaseRow {
  owner: string | null;
  lease_until: number | null;
}

/** The prepared statements of a store. */
function statements(db: Database.Database) {
  return {
    insert: db.prepare<[string, number, number, Buffer, string]>('INSERT OR REPLACE INTO snapshots (room_id, tick, saved_at, bytes, meta) VALUES (?, ?, ?, ?, ?)'),
    trim: db.prepare<[string, string, number]>('DELETE FROM snapshots WHERE room_id = ? AND tick NOT IN (SELECT tick FROM snapshots WHERE room_id = ? ORDER BY tick DESC LIMIT ?)'),
    record: db.prepare<[string, number, number, string]>(
      `INSERT INTO rooms (room_id, latest_tick, saved_at, meta) VALUES (?, ?, ?, ?)
       ON CONFLICT (room_id) DO UPDATE SET latest_tick = excluded.latest_tick, saved_at = excluded.saved_at, meta = excluded.meta
       WHERE rooms.latest_tick IS NULL OR excluded.latest_tick >= rooms.latest_tick`,
    ),
    lease: db.prepare<[string], LeaseRow>('SELECT owner, lease_until FROM rooms WHERE room_id = ?'),
    latest: db.prepare<[string], SnapshotRow>('SELECT tick, saved_at, bytes, meta FROM snapshots WHERE room_id = ? ORDER BY tick DESC LIMIT 1'),
    get: db.prepare<[string, number], SnapshotRow>('SELECT tick, saved_at, bytes, meta FROM snapshots WHERE room_id = ? AND tick = ?'),
    list: db.prepare<[string], { tick: number; saved_at: number; size: number }>('SELECT tick, saved_at, length(bytes) AS size FROM snapshots WHERE room_id = ? ORDER BY tick DESC'),
    rooms: db.prepare<[number], { room_id: string; latest_tick: number; saved_at: number; meta: string; owner: string | null }>(
      `SELECT room_id, latest_tick, saved_at, meta, CASE WHEN lease_until > ? THEN owner END AS owner
       FROM rooms WHERE ended = 0 AND latest_tick IS NOT NULL ORDER BY room_id`,
    ),
    end: db.prepare<[string]>('INSERT INTO rooms (room_id, ended) VALUES (?, 1) ON CONFLICT (room_id) DO UPDATE SET ended = 1'),
    putRecording: db.prepare<[string, number, Buffer]>('INSERT OR REPLACE INTO recordings (room_id, base_tick, bytes) VALUES (?, ?, ?)'),
    recording: db.prepare<[string], { base_tick: number; bytes: Buffer }>('SELECT base_tick, bytes FROM recordings WHERE room_id = ?'),
    setLease: db.prepare<[string, string, number]>('INSERT INTO rooms (room_id, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT (room_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until'),
    renew: db.prepare<[number, string, string, number]>('UPDATE rooms SET lease_until = ? WHERE room_id = ? AND owner = ? AND lease_until > ?'),
    release: db.prepare<[string, string]>('UPDATE rooms SET owner = NULL, lease_until = NULL WHERE room_id = ? AND owner = ?'),
  };
}

/** A SQLite failure as a store error: what failed, and the kind of failure from SQLite's result code. */
function storeError(what: string, err: unknown): SnapshotStoreError {
  if (err instanceof SnapshotStoreError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string') {
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new SnapshotStoreError('full', `${what}: disk or database full (${code})`, { cause: err });
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new SnapshotStoreError('corrupt', `${what}: the database is damaged (${code}: ${detail})`, { cause: err });
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new SnapshotStoreError('timeout', `${what}: the database stayed locked by another connection (${code})`, { cause: err });
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) return new SnapshotStoreError('unavailable', `${what}: the database cannot be written (${code}: ${detail})`, { cause: err });
    return new SnapshotStoreError('failed', `${what}: ${code}: ${detail}`, { cause: err });
  }
  return new SnapshotStoreError('failed', `${what}: ${detail}`, { cause: err });
}

/**
 * Snapshots in an embedded SQLite file (`<dataDir>/snapshots.db`, WAL mode), for a server without Redis.
 * SQLite answers synchronously, so a call cannot hang on the network; a lock held by another process is
 * waited for at most `timeoutMs` (SQLite's busy timeout). Leases live in the same file with the same
 * meaning as in Redis, so two processes sharing the folder do not run the same room.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly keep: number;
  private closed = false;
  private readonly q: ReturnType<typeof statements>;
  private readonly saveTx: Database.Transaction<(s: SnapshotToSave, bytes: Buffer, meta: string, savedAt: number, fence: string | undefined) => void>;
  private readonly claimTx: Database.Transaction<(roomId: string, owner: string, ttlMs: number) => boolean>;

  /** Open (creating the folder, file and tables as needed); throws {@link SnapshotStoreError}. */
  static open(opts: SqliteSnapshotStoreOptions): SqliteSnapshotStore {
    const file = join(opts.dataDir, SNAPSHOT_DB_FILE);
    try {
      mkdirSync(opts.dataDir, { recursive: true });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new SnapshotStoreError(code === 'ENOSPC' ? 'full' : 'unavailable', `snapshot store (sqlite): cannot create the folder ${opts.dataDir}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout: Math.max(0, Math.round(opts.timeoutMs ?? 2000)) });
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL loses at most the last commits on power loss, never consistency; a snapshot
      // comes again every few seconds anyway.
      db.pragma('synchronous = NORMAL');
      if (opts.maxBytes !== undefined) {
        const page = Number(db.pragma('page_size', { simple: true }));
        db.pragma(`max_page_count = ${Math.max(1, Math.floor(opts.maxBytes / page))}`);
      }
      db.exec(SCHEMA);
      return new SqliteSnapshotStore(db, opts.keep);
    } catch (err) {
      db?.close();
      if (err instanceof TypeError) throw new SnapshotStoreError('unavailable', `snapshot store (sqlite): cannot open ${file}: ${err.message}`, { cause: err });
      throw storeError(`snapshot store (sqlite): cannot open ${file}`, err);
    }
  }

  private constructor(db: Database.Database, keep: number) {
    if (!Number.isInteger(keep) || keep < 1) throw new SnapshotStoreError('failed', `snapshot store (sqlite): keep must be a positive integer, got ${keep}`);
    this.db = db;
    this.keep = keep;
    this.q = statements(db);
    this.saveTx = db.transaction(this.saveRows);
    this.claimTx = db.transaction(this.claimRows);
  }

  private readonly saveRows = (s: SnapshotToSave, bytes: Buffer, meta: string, savedAt: number, fence: string | undefined): void => {
    if (fence !== undefined) {
      const lease = this.q.lease.get(s.roomId);
      if (lease?.owner != null && lease.owner !== fence && (lease.lease_until ?? 0) > savedAt) {
        throw new SnapshotStoreError('fenced', `snapshot save of room ${s.roomId} at tick ${s.tick} refused: its lease is held by ${lease.owner}, not ${fence}`);
      }
    }
    this.q.insert.run(s.roomId, s.tick, savedAt, bytes, meta);
    this.q.trim.run(s.roomId, s.roomId, this.keep);
    this.q.record.run(s.roomId, s.tick, savedAt, meta);
  };

  private readonly claimRows = (roomId: string, owner: string, ttlMs: number): boolean => {
    const now = Date.now();
    const lease = this.q.lease.get(roomId);
    if (lease?.owner != null && lease.owner !== owner && (lease.lease_until ?? 0) > now) return false;
    this.q.setLease.run(roomId, owner, now + ttlMs);
    return true;
  };

  /** Run `work` on the open database, its failures as store errors naming `what`. */
  private run<T>(what: string, work: () => T): Promise<T> {
    if (this.closed || !this.db.open) return Promise.reject(new SnapshotStoreError('unavailable', `${what}: the snapshot store (sqlite) is closed`));
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(storeError(what, err));
    }
  }

  save(s: SnapshotToSave, fence?: { readonly owner: string }): Promise<void> {
    const what = `snapshot save of room ${s.roomId} at tick ${s.tick}`;
    return this.run(what, () => {
      checkRoomId(what, s.roomId);
      checkTick(what, s.tick);
      if (fence) checkOwner(what, fence.owner);
      this.saveTx.immediate(s, ownBytes(s.bytes), encodeMeta(what, s.meta), Date.now(), fence?.owner);
    });
  }

  latest(roomId: string): Promise<StoredSnapshot | null> {
    const what = `snapshot read (latest) of room ${roomId}`;
    return this.run(what, () => {
      const row = this.q.latest.get(roomId);
      return row ? this.snapshot(what, roomId, row) : null;
    });
  }

  get(roomId: string, tick: number): Promise<StoredSnapshot | null> {
    const what = `snapshot read of room ${roomId} at tick ${tick}`;
    return this.run(what, () => {
      const row = this.q.get.get(roomId, tick);
      return row ? this.snapshot(what, roomId, row) : null;
    });
  }

  list(roomId: string): Promise<SnapshotEntry[]> {
    return this.run(`snapshot listing of room ${roomId}`, () => this.q.list.all(roomId).map((r) => ({ tick: r.tick, savedAt: r.saved_at, size: r.size })));
  }

  rooms(): Promise<RoomRecord[]> {
    const what = 'snapshot store room listing';
    return this.run(what, () =>
      this.q.rooms.all(Date.now()).map((r) => ({
        roomId: r.room_id,
        latestTick: r.latest_tick,
        savedAt: r.saved_at,
        meta: decodeMeta(`${what} (room ${r.room_id})`, r.meta),
        owner: r.owner,
      })),
    );
  }

  end(roomId: string): Promise<void> {
    return this.run(`ending room ${roomId} in the snapshot store`, () => {
      this.q.end.run(roomId);
    });
  }

  putRecording(roomId: string, baseTick: number, bytes: Uint8Array): Promise<void> {
    const what = `recording save of room ${roomId} from tick ${baseTick}`;
    return this.run(what, () => {
      checkRoomId(what, roomId);
      checkTick(what, baseTick);
      this.q.putRecording.run(roomId, baseTick, ownBytes(bytes));
    });
  }

  recording(roomId: string): Promise<StoredRecording | null> {
    return this.run(`recording read of room ${roomId}`, () => {
      const row = this.q.recording.get(roomId);
      return row ? { baseTick: row.base_tick, bytes: new Uint8Array(row.bytes) } : null;
    });
  }

  claim(roomId: string, owner: string, ttlMs: number): Promise<boolean> {
    const what = `lease claim of room ${roomId} by ${owner}`;
    return this.run(what, () => {
      checkRoomId(what, roomId);
      checkOwner(what, owner);
      return this.claimTx.immediate(roomId, owner, checkTtl(what, ttlMs));
    });
  }

  renew(roomId: string, owner: string, ttlMs: number): Promise<boolean> {
    const what = `lease renewal of room ${roomId} by ${owner}`;
    return this.run(what, () => {
      const ttl = checkTtl(what, ttlMs);
      const now = Date.now();
      return this.q.renew.run(now + ttl, roomId, owner, now).changes === 1;
    });
  }

  release(roomId: string, owner: string): Promise<void> {
    return this.run(`lease release of room ${roomId} by ${owner}`, () => {
      this.q.release.run(roomId, owner);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } catch (err) {
      throw storeError('closing the snapshot store (sqlite)', err);
    }
  }

  private snapshot(what: string, roomId: string, row: SnapshotRow): StoredSnapshot {
    return { roomId, tick: row.tick, savedAt: row.saved_at, bytes: new Uint8Array(row.bytes), meta: decodeMeta(what, row.meta) };
  }
}
