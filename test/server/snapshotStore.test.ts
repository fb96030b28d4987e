import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotStoreError } from '../../rooms/index.ts';
import type { RoomRecordMeta, SnapshotStore } from '../../rooms/index.ts';
import { SNAPSHOT_DB_FILE, SqliteSnapshotStore, openSnapshotStore } from '../../server/snapshots/index.ts';
import { freePort } from '../../tools/freePort.ts';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';

// One contract, run against both adapters: SQLite files in temporary folders, and a real redis-server.

const TIMEOUT_MS = 1000;

/** Deterministic bytes (xorshift), zeros included. */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = i % 7 === 0 ? 0 : x & 0xff;
  }
  return out;
}

function meta(roomName = 'world', extra: Record<string, unknown> = {}): RoomRecordMeta {
  return { roomName, options: { seed: 'abc', size: 128, nested: { list: [1, 2, 3] } }, ...extra };
}

async function failure(p: Promise<unknown>): Promise<SnapshotStoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the call should fail').toBeInstanceOf(SnapshotStoreError);
  return err as SnapshotStoreError;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** How a contract test reaches its backend: `open` gives a store on a fresh, empty place; `twin` a second store on the same place. */
interface Backend {
  readonly kind: 'sqlite' | 'redis';
  open(keep?: number): Promise<SnapshotStore>;
  twin(keep?: number): Promise<SnapshotStore>;
}

const opened: SnapshotStore[] = [];
const dirs: string[] = [];
let redis: TestRedis;
let admin: Redis;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  admin.disconnect();
  await redis.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lairmind-snapshots-'));
  dirs.push(d);
  return d;
}

function sqliteBackend(): Backend {
  let dir = '';
  const make = async (keep: number): Promise<SnapshotStore> => {
    const s = await openSnapshotStore({ dataDir: dir, keep, timeoutMs: TIMEOUT_MS });
    opened.push(s);
    return s;
  };
  return {
    kind: 'sqlite',
    async open(keep = 5) {
      dir = join(tempDir(), 'data');
      return make(keep);
    },
    twin: (keep = 5) => make(keep),
  };
}

function redisBackend(): Backend {
  const make = async (keep: number): Promise<SnapshotStore> => {
    const s = await openSnapshotStore({ dataDir: '/nonexistent', redisUrl: redis.url, keep, timeoutMs: TIMEOUT_MS });
    opened.push(s);
    return s;
  };
  return {
    kind: 'redis',
    async open(keep = 5) {
      await admin.flushall();
      return make(keep);
    },
    twin: (keep = 5) => make(keep),
  };
}

describe.each([
  ['sqlite', sqliteBackend],
  ['redis', redisBackend],
])('snapshot store contract (%s)', (kind, backend) => {
  const b = backend();

  it('is the adapter asked for', async () => {
    expect((await b.open()).kind).toBe(kind);
  });

  it('saves, and reads back the newest, one tick, and the listing newest first', async () => {
    const s = await b.open(5);
    expect(await s.latest('r1')).toBeNull();
    expect(await s.list('r1')).toEqual([]);
    const t0 = Date.now();
    await s.save({ roomId: 'r1', tick: 10, bytes: bytesOf(100, 1), meta: meta('world', { at: 10 }) });
    await s.save({ roomId: 'r1', tick: 30, bytes: bytesOf(300, 3), meta: meta('world', { at: 30 }) });
    await s.save({ roomId: 'r1', tick: 20, bytes: bytesOf(200, 2), meta: meta('world', { at: 20 }) });
    const t1 = Date.now();

    const latest = await s.latest('r1');
    expect(latest).toMatchObject({ roomId: 'r1', tick: 30, meta: meta('world', { at: 30 }) });
    expect(latest?.bytes).toEqual(bytesOf(300, 3));
    expect(latest?.savedAt).toBeGreaterThanOrEqual(t0);
    expect(latest?.savedAt).toBeLessThanOrEqual(t1);

    const at20 = await s.get('r1', 20);
    expect(at20).toMatchObject({ roomId: 'r1', tick: 20, meta: meta('world', { at: 20 }) });
    expect(at20?.bytes).toEqual(bytesOf(200, 2));
    expect(await s.get('r1', 25)).toBeNull();
    expect(await s.get('other', 20)).toBeNull();

    const list = await s.list('r1');
    expect(list.map((e) => [e.tick, e.size])).toEqual([
      [30, 300],
      [20, 200],
      [10, 100],
    ]);
    for (const e of list) {
      expect(e.savedAt).toBeGreaterThanOrEqual(t0);
      expect(e.savedAt).toBeLessThanOrEqual(t1);
    }
  });

  it('saving a tick again replaces that snapshot', async () => {
    const s = await b.open(5);
    await s.save({ roomId: 'r1', tick: 7, bytes: bytesOf(10, 1), meta: meta() });
    await s.save({ roomId: 'r1', tick: 7, bytes: bytesOf(20, 2), meta: meta('world', { again: true }) });
    expect((await s.list('r1')).map((e) => e.tick)).toEqual([7]);
    const got = await s.get('r1', 7);
    expect(got?.bytes).toEqual(bytesOf(20, 2));
    expect(got?.meta).toEqual(meta('world', { again: true }));
  });

  it('keeps only the newest `keep` snapshots of each room, by tick', async () => {
    const s = await b.open(3);
    for (let tick = 1; tick <= 6; tick++) await s.save({ roomId: 'r1', tick, bytes: bytesOf(10, tick), meta: meta('world', { tick }) });
    await s.save({ roomId: 'r2', tick: 1, bytes: bytesOf(10, 1), meta: meta() });
    expect((await s.list('r1')).map((e) => e.tick)).toEqual([6, 5, 4]);
    expect(await s.get('r1', 3)).toBeNull();
    expect((await s.list('r2')).map((e) => e.tick)).toEqual([1]);

    // A late save of an older tick is trimmed at once and does not become the room's newest.
    await s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(10, 2), meta: meta('world', { tick: 2 }) });
    expect((await s.list('r1')).map((e) => e.tick)).toEqual([6, 5, 4]);
    expect((await s.latest('r1'))?.tick).toBe(6);
    const record = (await s.rooms()).find((r) => r.roomId === 'r1');
    expect(record).toMatchObject({ latestTick: 6, meta: meta('world', { tick: 6 }) });
  });

  it('20 concurrent saves to one room with keep=3 leave exactly the 3 newest ticks', async () => {
    const s = await b.open(3);
    // Ticks 1..20 issued out of order (7 is coprime with 20, so this visits each once).
    const ticks = Array.from({ length: 20 }, (_, i) => ((i * 7) % 20) + 1);
    await Promise.all(ticks.map((tick) => s.save({ roomId: 'busy', tick, bytes: bytesOf(64, tick), meta: meta('world', { tick }) })));
    expect((await s.list('busy')).map((e) => e.tick)).toEqual([20, 19, 18]);
    const latest = await s.latest('busy');
    expect(latest?.tick).toBe(20);
    expect(latest?.bytes).toEqual(bytesOf(64, 20));
    expect((await s.rooms()).map((r) => [r.roomId, r.latestTick])).toEqual([['busy', 20]]);
  });

  it('round-trips bytes exactly: empty, zeros, every byte value, a view into a larger buffer, 256 KiB', async () => {
    const s = await b.open(10);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const backing = bytesOf(1000, 9);
    const cases: Uint8Array[] = [new Uint8Array(0), new Uint8Array(17), all, backing.subarray(123, 456), bytesOf(256 * 1024, 42)];
    for (const [i, bytes] of cases.entries()) await s.save({ roomId: 'bin', tick: i, bytes, meta: meta() });
    for (const [i, bytes] of cases.entries()) {
      const got = await s.get('bin', i);
      expect(got?.bytes.byteLength, `case ${i}`).toBe(bytes.byteLength);
      expect(Buffer.from(got?.bytes ?? []).equals(Buffer.from(bytes)), `case ${i}`).toBe(true);
      expect(got?.bytes).toBeInstanceOf(Uint8Array);
    }
    expect((await s.list('bin')).map((e) => e.size)).toEqual(cases.map((c) => c.byteLength).reverse());
    await s.putRecording('bin', 4, backing.subarray(5, 905));
    expect(Buffer.from((await s.recording('bin'))?.bytes ?? []).equals(Buffer.from(backing.subarray(5, 905)))).toBe(true);
  });

  it('rooms() lists the rooms with snapshots until they end; an ended room keeps its snapshots and is not brought back by a late save', async () => {
    const s = await b.open(5);
    expect(await s.rooms()).toEqual([]);
    await s.save({ roomId: 'a', tick: 1, bytes: bytesOf(8, 1), meta: meta('world', { n: 1 }) });
    await s.save({ roomId: 'a', tick: 2, bytes: bytesOf(8, 2), meta: meta('world', { n: 2 }) });
    await s.save({ roomId: 'b', tick: 5, bytes: bytesOf(8, 5), meta: meta('arena') });
    // A lease alone (no snapshot yet) is not a room to bring back.
    expect(await s.claim('c', 'p1', 10_000)).toBe(true);

    const rooms = [...(await s.rooms())].sort((x, y) => x.roomId.localeCompare(y.roomId));
    expect(rooms.map((r) => ({ roomId: r.roomId, latestTick: r.latestTick, meta: r.meta, owner: r.owner }))).toEqual([
      { roomId: 'a', latestTick: 2, meta: meta('world', { n: 2 }), owner: null },
      { roomId: 'b', latestTick: 5, meta: meta('arena'), owner: null },
    ]);
    expect(rooms[0]?.savedAt).toBe((await s.latest('a'))?.savedAt);

    await s.end('a');
    expect((await s.rooms()).map((r) => r.roomId)).toEqual(['b']);
    expect((await s.latest('a'))?.tick).toBe(2);
    expect((await s.list('a')).map((e) => e.tick)).toEqual([2, 1]);

    await s.save({ roomId: 'a', tick: 3, bytes: bytesOf(8, 3), meta: meta() });
    expect((await s.rooms()).map((r) => r.roomId)).toEqual(['b']);
    expect((await s.latest('a'))?.tick).toBe(3);

    await s.end('never-saved');
    expect((await s.rooms()).map((r) => r.roomId)).toEqual(['b']);
  });

  it('a recording replaces the previous one of its room', async () => {
    const s = await b.open(5);
    expect(await s.recording('r1')).toBeNull();
    await s.putRecording('r1', 5, bytesOf(50, 5));
    await s.putRecording('r2', 1, bytesOf(10, 1));
    await s.putRecording('r1', 9, bytesOf(90, 9));
    const rec = await s.recording('r1');
    expect(rec?.baseTick).toBe(9);
    expect(rec?.bytes).toEqual(bytesOf(90, 9));
    expect((await s.recording('r2'))?.baseTick).toBe(1);
    expect(await s.recording('r3')).toBeNull();
  });

  it('leases: claim, claim again by the owner, refuse another owner, renew, release', async () => {
    const s = await b.open(5);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
    expect(await s.claim('r1', 'p1', 10_000)).toBe(true);
    expect(await s.claim('r1', 'p1', 10_000)).toBe(true);
    expect(await s.claim('r1', 'p2', 10_000)).toBe(false);
    expect((await s.rooms())[0]?.owner).toBe('p1');
    expect(await s.renew('r1', 'p1', 10_000)).toBe(true);
    expect(await s.renew('r1', 'p2', 10_000)).toBe(false);
    await s.release('r1', 'p2');
    expect(await s.claim('r1', 'p2', 10_000)).toBe(false);
    await s.release('r1', 'p1');
    expect((await s.rooms())[0]?.owner).toBeNull();
    expect(await s.renew('r1', 'p1', 10_000)).toBe(false);
    expect(await s.claim('r1', 'p2', 10_000)).toBe(true);
    expect((await s.rooms())[0]?.owner).toBe('p2');
    // Another room's lease is its own.
    expect(await s.claim('r2', 'p1', 10_000)).toBe(true);
  });

  it('a lease expires after its ttl: the old owner cannot renew it and another owner can take it', async () => {
    const s = await b.open(5);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
    expect(await s.claim('r1', 'p1', 300)).toBe(true);
    expect(await s.claim('r1', 'p2', 300)).toBe(false);
    // Renewing pushes the expiry out: still held after the first ttl would have run out.
    await sleep(150);
    expect(await s.renew('r1', 'p1', 300)).toBe(true);
    await sleep(200);
    expect(await s.claim('r1', 'p2', 300)).toBe(false);
    await sleep(250);
    expect((await s.rooms())[0]?.owner).toBeNull();
    expect(await s.renew('r1', 'p1', 300)).toBe(false);
    expect(await s.claim('r1', 'p2', 10_000)).toBe(true);
    expect(await s.claim('r1', 'p1', 10_000)).toBe(false);
  });

  it('a fenced save is refused while another owner holds the lease, and writes nothing', async () => {
    const s = await b.open(5);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() }, { owner: 'p1' });
    expect(await s.claim('r1', 'p2', 10_000)).toBe(true);
    const err = await failure(s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(8, 2), meta: meta() }, { owner: 'p1' }));
    expect(err.code).toBe('fenced');
    expect(err.message).toContain('r1');
    expect(err.message).toContain('p2');
    expect((await s.list('r1')).map((e) => e.tick)).toEqual([1]);
    expect((await s.rooms())[0]?.latestTick).toBe(1);

    await s.save({ roomId: 'r1', tick: 3, bytes: bytesOf(8, 3), meta: meta() }, { owner: 'p2' });
    await s.release('r1', 'p2');
    await s.save({ roomId: 'r1', tick: 4, bytes: bytesOf(8, 4), meta: meta() }, { owner: 'p1' });
    expect((await s.list('r1')).map((e) => e.tick)).toEqual([4, 3, 1]);
  });

  it('a fence stops refusing once the other owner\'s lease expired', async () => {
    const s = await b.open(5);
    expect(await s.claim('r1', 'p2', 300)).toBe(true);
    expect((await failure(s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() }, { owner: 'p1' }))).code).toBe('fenced');
    await sleep(400);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() }, { owner: 'p1' });
    expect((await s.latest('r1'))?.tick).toBe(1);
  });

  it('two stores on the same backing see each other\'s rooms, snapshots, recordings and leases', async () => {
    const one = await b.open(5);
    const two = await b.twin(5);
    await one.save({ roomId: 'from-one', tick: 4, bytes: bytesOf(40, 4), meta: meta('world', { by: 'one' }) });
    await two.save({ roomId: 'from-two', tick: 8, bytes: bytesOf(80, 8), meta: meta('arena', { by: 'two' }) });
    for (const s of [one, two]) {
      expect([...(await s.rooms())].map((r) => [r.roomId, r.latestTick, r.meta.roomName]).sort()).toEqual([
        ['from-one', 4, 'world'],
        ['from-two', 8, 'arena'],
      ]);
    }
    expect((await two.latest('from-one'))?.bytes).toEqual(bytesOf(40, 4));
    expect(await one.claim('from-two', 'process-1', 10_000)).toBe(true);
    expect(await two.claim('from-two', 'process-2', 10_000)).toBe(false);
    expect((await failure(two.save({ roomId: 'from-two', tick: 9, bytes: bytesOf(8, 9), meta: meta() }, { owner: 'process-2' }))).code).toBe('fenced');
    expect((await two.rooms()).find((r) => r.roomId === 'from-two')?.owner).toBe('process-1');
    await two.putRecording('from-one', 4, bytesOf(12, 12));
    expect((await one.recording('from-one'))?.bytes).toEqual(bytesOf(12, 12));
    await one.end('from-one');
    expect((await two.rooms()).map((r) => r.roomId)).toEqual(['from-two']);
  });

  it('refuses what it cannot store faithfully, naming the operation and the room', async () => {
    const s = await b.open(5);
    const err = await failure(s.save({ roomId: 'r1', tick: -1, bytes: bytesOf(8, 1), meta: meta() }));
    expect(err.code).toBe('failed');
    expect(err.message).toMatch(/save of room r1/);
    expect((await failure(s.save({ roomId: 'r1', tick: 1.5, bytes: bytesOf(8, 1), meta: meta() }))).code).toBe('failed');
    const cyclic: Record<string, unknown> = { roomName: 'world', options: {} };
    cyclic.self = cyclic;
    expect((await failure(s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: cyclic as RoomRecordMeta }))).code).toBe('failed');
    expect((await failure(s.claim('r1', 'p1', 0))).code).toBe('failed');
    expect(await s.latest('r1')).toBeNull();
  });

  it('a closed store refuses every call with a clear error', async () => {
    const s = await b.open(5);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
    await s.close();
    await s.close();
    const err = await failure(s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(8, 2), meta: meta() }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/save of room r1 .*closed/);
    expect((await failure(s.latest('r1'))).message).toMatch(/room r1.*closed/);
    expect((await failure(s.rooms())).code).toBe('unavailable');
  });
});

describe('SQLite adapter', () => {
  it('keeps its database at <dataDir>/snapshots.db in WAL mode, creating the folder', async () => {
    const dir = join(tempDir(), 'a', 'b');
    const s = await openSnapshotStore({ dataDir: dir, keep: 2, timeoutMs: TIMEOUT_MS });
    opened.push(s);
    expect(s.kind).toBe('sqlite');
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
    expect(existsSync(join(dir, SNAPSHOT_DB_FILE))).toBe(true);
    const raw = new Database(join(dir, SNAPSHOT_DB_FILE), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('survives a reopen: rooms, snapshots, recordings and leases are on disk', async () => {
    const dir = tempDir();
    const first = await openSnapshotStore({ dataDir: dir, keep: 2, timeoutMs: TIMEOUT_MS });
    await first.save({ roomId: 'r1', tick: 3, bytes: bytesOf(30, 3), meta: meta() });
    await first.putRecording('r1', 3, bytesOf(5, 5));
    expect(await first.claim('r1', 'p1', 60_000)).toBe(true);
    await first.close();
    const again = await openSnapshotStore({ dataDir: dir, keep: 2, timeoutMs: TIMEOUT_MS });
    opened.push(again);
    expect((await again.latest('r1'))?.bytes).toEqual(bytesOf(30, 3));
    expect((await again.recording('r1'))?.baseTick).toBe(3);
    expect((await again.rooms()).map((r) => [r.roomId, r.owner])).toEqual([['r1', 'p1']]);
    expect(await again.claim('r1', 'p2', 60_000)).toBe(false);
  });

  it('a full database fails the save with code full, and the store keeps working', async () => {
    const s = SqliteSnapshotStore.open({ dataDir: tempDir(), keep: 2, timeoutMs: TIMEOUT_MS, maxBytes: 64 * 1024 });
    opened.push(s);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(1000, 1), meta: meta() });
    const err = await failure(s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(256 * 1024, 2), meta: meta() }));
    expect(err.code).toBe('full');
    expect(err.message).toMatch(/save of room r1 at tick 2/);
    expect((await s.list('r1')).map((e) => e.tick)).toEqual([1]);
    await s.save({ roomId: 'r1', tick: 3, bytes: bytesOf(1000, 3), meta: meta() });
    expect((await s.latest('r1'))?.tick).toBe(3);
  });

  it('a file that is not a database fails to open with code corrupt', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, SNAPSHOT_DB_FILE), Buffer.from(bytesOf(8192, 7)));
    const err = await failure(openSnapshotStore({ dataDir: dir, keep: 2, timeoutMs: TIMEOUT_MS }));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(join(dir, SNAPSHOT_DB_FILE));
  });

  it('a data folder that cannot be created fails to open with code unavailable, naming it', async () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'not a folder');
    const err = await failure(openSnapshotStore({ dataDir: join(file, 'data'), keep: 2, timeoutMs: TIMEOUT_MS }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(join(file, 'data'));
  });

  it('a database locked by another connection fails the save with code timeout within its deadline', async () => {
    const dir = tempDir();
    const s = await openSnapshotStore({ dataDir: dir, keep: 2, timeoutMs: 300 });
    opened.push(s);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
    const other = new Database(join(dir, SNAPSHOT_DB_FILE));
    other.exec('BEGIN IMMEDIATE');
    try {
      const t = performance.now();
      const err = await failure(s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(8, 2), meta: meta() }));
      const ms = performance.now() - t;
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(/save of room r1/);
      expect(ms).toBeLessThan(300 + 500);
      // Readers are not blocked by a writer in WAL mode.
      expect((await s.latest('r1'))?.tick).toBe(1);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(8, 2), meta: meta() });
  });
});

describe('Redis adapter', () => {
  it('keeps its keys under lairmind:snap:', async () => {
    await admin.flushall();
    const s = await openSnapshotStore({ dataDir: '/nonexistent', redisUrl: redis.url, keep: 2, timeoutMs: TIMEOUT_MS });
    opened.push(s);
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
    await s.putRecording('r1', 1, bytesOf(8, 1));
    await s.claim('r1', 'p1', 10_000);
    const keys = await admin.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.startsWith('lairmind:snap:'), k).toBe(true);
  });

  it('Redis out of memory fails the save with code full', async () => {
    await admin.flushall();
    const s = await openSnapshotStore({ dataDir: '/nonexistent', redisUrl: redis.url, keep: 2, timeoutMs: TIMEOUT_MS });
    opened.push(s);
    await admin.config('SET', 'maxmemory', '1');
    try {
      const err = await failure(s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() }));
      expect(err.code).toBe('full');
      expect(err.message).toMatch(/save of room r1/);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
  });

  it('an unreachable Redis fails the open fast with code unavailable, without the password', async () => {
    const port = await freePort();
    const t = performance.now();
    const err = await failure(openSnapshotStore({ dataDir: '/nonexistent', redisUrl: `redis://user:s3cret-pw@127.0.0.1:${port}`, keep: 2, timeoutMs: TIMEOUT_MS, connectTimeoutMs: 500 }));
    expect(performance.now() - t).toBeLessThan(500 + 500);
    expect(err.code).toBe('unavailable');
    expect(err.message).not.toContain('s3cret-pw');
    expect(err.message).toContain(String(port));
  });

  describe('when Redis dies', () => {
    let own: TestRedis;
    beforeAll(async () => {
      own = await startRedis();
    });
    afterAll(async () => {
      await own.kill();
    });

    it('a Redis that stops answering (connection still open) fails calls with timeout at their deadline', async () => {
      const s = await openSnapshotStore({ dataDir: '/nonexistent', redisUrl: own.url, keep: 2, timeoutMs: TIMEOUT_MS });
      opened.push(s);
      await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
      own.process.kill('SIGSTOP');
      try {
        for (const [name, call] of [
          ['save', () => s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(8, 2), meta: meta() })],
          ['latest', () => s.latest('r1')],
        ] as const) {
          const t = performance.now();
          const err = await failure(call());
          const ms = performance.now() - t;
          expect(err.code, `${name}: ${err.message}`).toBe('timeout');
          expect(err.message).toContain('room r1');
          expect(ms, `${name} took ${Math.round(ms)} ms`).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
          expect(ms, `${name} took ${Math.round(ms)} ms`).toBeLessThan(TIMEOUT_MS + 500);
        }
      } finally {
        own.process.kill('SIGCONT');
      }
      expect((await s.latest('r1'))?.tick).toBeGreaterThanOrEqual(1);
    });

    it('calls fail within their deadline with unavailable or timeout, and work again once it is back', async () => {
      const s = await openSnapshotStore({ dataDir: '/nonexistent', redisUrl: own.url, keep: 2, timeoutMs: TIMEOUT_MS });
      opened.push(s);
      await s.save({ roomId: 'r1', tick: 1, bytes: bytesOf(8, 1), meta: meta() });
      await own.kill();
      const calls: [string, () => Promise<unknown>][] = [
        ['save', () => s.save({ roomId: 'r1', tick: 2, bytes: bytesOf(8, 2), meta: meta() })],
        ['latest', () => s.latest('r1')],
        ['rooms', () => s.rooms()],
        ['claim', () => s.claim('r1', 'p1', 1000)],
      ];
      for (const [name, call] of calls) {
        const t = performance.now();
        const err = await failure(call());
        const ms = performance.now() - t;
        expect(['unavailable', 'timeout'], `${name}: ${err.message}`).toContain(err.code);
        expect(ms, `${name} took ${Math.round(ms)} ms`).toBeLessThan(TIMEOUT_MS + 500);
        expect(err.message).not.toContain('redis://');
      }
      expect((await failure(s.latest('r1'))).message).toMatch(/latest.*room r1/);

      own = await own.restart();
      const end = performance.now() + 5000;
      for (;;) {
        try {
          await s.save({ roomId: 'r1', tick: 3, bytes: bytesOf(8, 3), meta: meta() });
          break;
        } catch (err) {
          if (performance.now() > end) throw err;
          await sleep(50);
        }
      }
      // Restarted empty (no persistence): only what was saved since.
      expect((await s.list('r1')).map((e) => e.tick)).toEqual([3]);
    });
  });
});
