import { SnapshotStoreError } from '../../rooms/index.ts';
import type { RoomRecordMeta } from '../../rooms/index.ts';

// Checks and encodings both adapters share, so they refuse and store the same things.

export function checkRoomId(what: string, roomId: string): void {
  if (typeof roomId !== 'string' || roomId === '') throw new SnapshotStoreError('failed', `${what}: the room id must be a non-empty string`);
}

export function checkTick(what: string, tick: number): void {
  if (!Number.isSafeInteger(tick) || tick < 0) throw new SnapshotStoreError('failed', `${what}: the tick must be a non-negative integer, got ${tick}`);
}

export function checkOwner(what: string, owner: string): void {
  if (typeof owner !== 'string' || owner === '') throw new SnapshotStoreError('failed', `${what}: the lease owner must be a non-empty string`);
}

/** The lease time as whole milliseconds (at least 1). */
export function checkTtl(what: string, ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new SnapshotStoreError('failed', `${what}: the lease time must be a positive number of ms, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

export function encodeMeta(what: string, meta: RoomRecordMeta): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(meta);
  } catch (err) {
    throw new SnapshotStoreError('failed', `${what}: the room record is not JSON-serialisable (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (json === undefined || typeof meta.roomName !== 'string') throw new SnapshotStoreError('failed', `${what}: the room record needs a roomName`);
  return json;
}

export function decodeMeta(what: string, json: string): RoomRecordMeta {
  let meta: unknown;
  try {
    meta = JSON.parse(json);
  } catch (err) {
    throw new SnapshotStoreError('corrupt', `${what}: the stored room record is not JSON`, { cause: err });
  }
  if (typeof meta !== 'object' || meta === null || typeof (meta as { roomName?: unknown }).roomName !== 'string') {
    throw new SnapshotStoreError('corrupt', `${what}: the stored room record has no roomName`);
  }
  return meta as RoomRecordMeta;
}

/** `bytes` as a Buffer over the same memory (no copy), for the drivers' binary parameters. */
export function ownBytes(bytes: Uint8Array): Buffer {
  if (!(bytes instanceof Uint8Array)) throw new SnapshotStoreError('failed', 'snapshot bytes must be a Uint8Array');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
