import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/index.ts';
import { RedisWatch } from '../../server/redisWatch.ts';

/** A stand-in for an ioredis connection: a status and its events. */
class FakeConnection extends EventEmitter {
  status = 'ready';
  answer = true;
  ping(): Promise<string> {
    return this.answer ? Promise.resolve('PONG') : new Promise(() => {});
  }
  drop(errors: number): void {
    this.status = 'reconnecting';
    this.emit('close');
    for (let i = 0; i < errors; i++) this.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  }
  back(): void {
    this.status = 'ready';
    this.emit('ready');
  }
}

function setup(opts: { heartbeatMs?: number } = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  const watch = new RedisWatch({ where: 'redis://127.0.0.1:6379', logger, heartbeatMs: opts.heartbeatMs ?? 60_000, heartbeatTimeoutMs: 20, recoveryRetryMs: 10 });
  const [pub, sub] = [new FakeConnection(), new FakeConnection()];
  watch.watch('pub', pub);
  watch.watch('sub', sub);
  const redis = () => lines.filter((l) => l.dependency === 'redis');
  return { watch, pub, sub, lines, redis };
}

async function until(what: string, check: () => boolean, ms = 2000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('RedisWatch', () => {
  it('logs one line when Redis goes and one when it is back, with the errors in between, however many', async () => {
    const { watch, pub, sub, redis } = setup();
    watch.onRecover('rooms', async () => ({ rooms: 2 }));
    let downs = 0;
    watch.onDown(() => downs++);
    await watch.ready(100);
    expect(watch.up).toBe(true);

    pub.drop(40);
    sub.drop(35);
    expect(watch.state).toBe('down');
    expect(downs).toBe(1);
    expect(watch.report()).toMatchObject({ status: 'down', state: 'down', errors: 75, error: 'connect ECONNREFUSED 127.0.0.1:6379' });
    pub.back();
    expect(watch.up).toBe(false); // sub still away
    sub.back();
    await until('up', () => watch.up);
    expect(redis().map((l) => [l.level, l.state])).toEqual([[50, 'down'], [30, 'up']]);
    expect(redis()[1]).toMatchObject({ errors: 75, rooms: 2 });
    expect(watch.report()).toEqual({ status: 'ok', state: 'up' });
  });

  it('stays down until the recovery steps succeed, retrying them, and reports their failure once', async () => {
    const { watch, pub, redis } = setup();
    let failures = 2;
    watch.onRecover('rooms', async () => {
      if (failures-- > 0) throw new Error('READONLY You can\'t write against a read only replica.');
      return { rooms: 1 };
    });
    await watch.ready(100);
    pub.drop(1);
    pub.back();
    expect(watch.up).toBe(false);
    await until('up after two failed recoveries', () => watch.up);
    expect(failures).toBe(-1);
    expect(redis().map((l) => l.state)).toEqual(['down', 'recovering', 'up']);
    expect(redis()[2]!.errors).toBe(3); // the connection error and the two failed recoveries
  });

  it('counts a server that stops answering PING as down, and up again when it answers', async () => {
    const { watch, pub, redis } = setup({ heartbeatMs: 10 });
    watch.heartbeat(pub);
    await watch.ready(100);
    pub.answer = false;
    await until('down', () => watch.state === 'down');
    expect(watch.report().error).toMatch(/PING: no answer within 20 ms/);
    pub.answer = true;
    await until('up', () => watch.up);
    expect(redis().map((l) => l.state)).toEqual(['down', 'up']);
    watch.close();
  });

  it('at start, rejects with the last error when Redis does not answer in time; after mute, reports nothing', async () => {
    const { watch, pub, sub, redis } = setup();
    pub.status = 'connecting';
    pub.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    await expect(watch.ready(30)).rejects.toThrow('redis: no connection to redis://127.0.0.1:6379 within 0.03 s (connect ECONNREFUSED 127.0.0.1:6379)');
    pub.back();
    await watch.ready(30);
    watch.mute();
    sub.drop(3);
    expect(watch.state).toBe('down');
    expect(redis()).toEqual([]);
  });
});
