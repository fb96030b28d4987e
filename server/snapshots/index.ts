import type { SnapshotStore } from '../../rooms/index.ts';
import { RedisSnapshotStore } from './redisStore.ts';
import { SqliteSnapshotStore } from './sqliteStore.ts';

export { RedisSnapshotStore, SNAPSHOT_KEY_PREFIX } from './redisStore.ts';
export type { RedisSnapshotStoreOptions } from './redisStore.ts';
export { SqliteSnapshotStore, SNAPSHOT_DB_FILE } from './sqliteStore.ts';
export type { SqliteSnapshotStoreOptions } from './sqliteStore.ts';

export interface SnapshotStoreOptions {
  /** Folder of the embedded store (`<dataDir>/snapshots.db`), used when there is no Redis. */
  readonly dataDir: string;
  /** With a Redis URL the snapshots live in Redis, shared by every process. */
  readonly redisUrl?: string | undefined;
  /** Snapshots kept per room. */
  readonly keep: number;
  /** Deadline of one store call, ms (default 2000). */
  readonly timeoutMs?: number;
  /** How long opening waits for Redis, ms (default 10,000). */
  readonly connectTimeoutMs?: number;
}

/**
 * The snapshot store: Redis when a URL is given (the processes of a deployment share their rooms), else an
 * embedded SQLite file in `dataDir`. Rejects with a SnapshotStoreError when the store cannot be opened.
 */
export async function openSnapshotStore(opts: SnapshotStoreOptions): Promise<SnapshotStore> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  if (opts.redisUrl) {
    return RedisSnapshotStore.open({ url: opts.redisUrl, keep: opts.keep, timeoutMs, ...(opts.connectTimeoutMs !== undefined && { connectTimeoutMs: opts.connectTimeoutMs }) });
  }
  return SqliteSnapshotStore.open({ dataDir: opts.dataDir, keep: opts.keep, timeoutMs });
}
