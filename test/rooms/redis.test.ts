import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Client } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';
import { freePort, track, waitFor } from './serverHarness.ts';

interface Proc {
  readonly port: number;
  readonly child: ChildProcess;
  readonly http: string;
  readonly ws: string;
}

let redis: TestRedis;

const procs: Proc[] = [];

/** A whole server process, as an operator would run it: `lairmind serve` with REDIS_URL. */
async function startProcess(): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/lairmind.js', 'serve'], {
    env: { ...process.env, PORT: String(port), REDIS_URL: redis.url, PUBLIC_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: 'warn', WORLD_SIZE: '128', PLAYER_SPAWNS: 'gather', MATCHMAKE_LOOPBACK: 'exempt' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const p = { port, child, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
  const end = performance.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${p.http}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server process exited with ${child.exitCode}`);
    if (performance.now() > end) throw new Error(`server on ${port} did not become healthy`);
    await new Promise((r) => setTimeout(r, 100));
  }
  procs.push(p);
  return p;
}

async function roomsOn(p: Proc): Promise<number> {
  const text = await (await fetch(`${p.http}/metrics`)).text();
  return Number(/^lairmind_rooms (\d+)/m.exec(text)?.[1] ?? NaN);
}

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
    if (p.child.exitCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill('SIGTERM');
  })));
  await redis?.stop();
}, 30_000);

describe('two server processes sharing one Redis', () => {
  it('a room created through A is joined by id through B; rooms spread over both', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    const health = (await (await fetch(`${a.http}/health`)).json()) as { components: { presence: { kind: string; status: string } } };
    expect(health.components.presence).toEqual({ kind: 'redis', status: 'ok' });

    const first = track(await new Client(a.ws).create('world', { name: 'alice' }));
    await waitFor('alice avatar', () => first.avatar());
    const second = track(await new Client(b.ws).joinById(first.room.roomId, { name: 'bob' }));
    await waitFor('bob avatar', () => second.avatar());
    const players = () => [...((second.room.state as { players: Map<string, { name: string }> }).players.values())].map((p) => p.name).sort();
    await waitFor('both players in one room', () => players().length === 2);
    expect(players()).toEqual(['alice', 'bob']);

    const extra = [];
    for (let i = 0; i < 5; i++) extra.push(track(await new Client(i % 2 ? b.ws : a.ws).create('world', { name: `c${i}` })));
    const counts = [await roomsOn(a), await roomsOn(b)];
    expect(counts[0]! + counts[1]!).toBe(6);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
    for (const j of [first, second, ...extra]) await j.room.leave();
  }, 60_000);

  it('a process reports Redis going away in /health, and recovers when it returns', async () => {
    const [a] = procs;
    await redis.stop();
    const stopped = performance.now();
    let down = await fetch(`${a!.http}/health`);
    while (down.status !== 503 && performance.now() - stopped < 1000) {
      await new Promise((r) => setTimeout(r, 20)); // noticing takes a moment
      down = await fetch(`${a!.http}/health`);
    }
    expect(down.status).toBe(503);
    expect(((await down.json()) as { components: { presence: { status: string } } }).components.presence.status).toBe('down');
    redis = await redis.restart();
    const end = performance.now() + 15_000;
    let status = 0;
    while (performance.now() < end && status !== 200) {
      status = (await fetch(`${a!.http}/health`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  }, 30_000);

  it('SIGTERM with Redis up: clients get the shutdown close code, listings are removed, the process exits within 3 s', async () => {
    const admin = new Redis({ port: redis.port, host: '127.0.0.1' });
    try {
      const joined = track(await new Client(procs[0]!.ws).create('world', { name: 'carol' }));
      await waitFor('carol avatar', () => joined.avatar());
      const roomId = joined.room.roomId;
      const listing = JSON.parse((await admin.hget('roomcaches', roomId)) ?? '{}') as { processId?: string; publicAddress?: string };
      const a = procs.find((p) => listing.publicAddress === `127.0.0.1:${p.port}`); // the process hosting the room
      expect(a).toBeDefined();
      const t = performance.now();
      const exited = new Promise<number | null>((resolve) => a!.child.once('exit', (code) => resolve(code)));
      a!.child.kill('SIGTERM');
      const code = await exited;
      expect(performance.now() - t).toBeLessThan(3000);
      expect(code).toBe(0);
      await waitFor('carol told', () => joined.mirror.leftCode !== null, 2000);
      expect(joined.mirror.leftCode).toBe(4001); // Colyseus' SERVER_SHUTDOWN, not 1006
      const left = Object.values(await admin.hgetall('roomcaches')).map((v) => JSON.parse(v) as { processId: string });
      expect(left.filter((l) => l.processId === listing.processId)).toEqual([]);
      expect(await admin.hexists('roomcount', listing.processId!)).toBe(0);
    } finally {
      admin.disconnect();
    }
  }, 30_000);
});
