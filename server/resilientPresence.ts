import { matchMaker } from '@colyseus/core';
import { RedisPresence } from '@colyseus/redis-presence';
import { withDeadline } from './deadline.ts';
import type { RedisCalls } from './redisCalls.ts';
import type { WatchedConnection } from './redisWatch.ts';

type Options = ConstructorParameters<typeof RedisPresence>[0];
type Callback = (...args: any[]) => void; // Presence's own callback type

/**
 * Colyseus' Redis presence (pub/sub for remote room calls, process stats, locks) whose every command has a
 * deadline and goes through {@link RedisCalls}:
 * - lookups fail fast with the "matchmaking unavailable" error while Redis is down;
 * - writes and publishes are skipped while it is down and never reject: Colyseus fires many of them without
 *   awaiting (a rejection there would crash the process), and remote calls time out on their own;
 * - subscribe and unsubscribe never reject and never wait past the deadline: the topic is remembered and
 *   subscribed again after the outage ({@link reSubscribe});
 * - `hincrbyex`, the join-or-create lock counter, answers as if the lock were free when Redis cannot say.
 * Its connections report to the watch instead of logging every error to the console.
 */
export class ResilientPresence extends RedisPresence {
  private readonly calls: RedisCalls;

  constructor(options: Options, calls: RedisCalls) {
    super(options);
    this.calls = calls;
    // RedisPresence logs each connection error through the Colyseus logger; the watch reports outages instead.
    this.pub.removeAllListeners('error');
    this.sub.removeAllListeners('error');
  }

  /** Its two connections, for the watch. */
  get connections(): Record<'pub' | 'sub', WatchedConnection> {
    return { pub: this.pub, sub: this.sub };
  }

  /** On the subscriber's `ready`: subscribe again to every topic, quietly (the watch reports failures). */
  protected override resubscribeAll(): void {
    void this.reSubscribe(this.calls.deadline()).catch(() => undefined);
  }

  /** Subscribe again to every topic this process listens on (rooms' `$id` channels, its `p:` channel). */
  async reSubscribe(deadlineMs: number): Promise<{ channels: number }> {
    const topics = this.subscriptions.eventNames().filter((t): t is string => typeof t === 'string');
    if (topics.length) await withDeadline('re-subscribing', this.sub.subscribe(...topics), deadlineMs);
    return { channels: topics.length };
  }

  /** Write this process's entry of the `roomcount` hash again (as Colyseus' Stats.persist does: "rooms,ccu"). */
  async reRegisterProcess(deadlineMs: number): Promise<void> {
    const { roomCount, ccu } = matchMaker.stats.local;
    await withDeadline('re-registering the process', this.pub.hset('roomcount', matchMaker.processId, `${roomCount},${ccu}`), deadlineMs);
  }

  override async subscribe(topic: string, callback: Callback): Promise<this> {
    await this.calls.wait('presence subscribe', super.subscribe(topic, callback), this);
    return this;
  }

  override async unsubscribe(topic: string, callback?: Callback): Promise<this> {
    await this.calls.wait('presence unsubscribe', super.unsubscribe(topic, callback), this);
    return this;
  }

  override publish(topic: string, data: unknown): Promise<void> {
    return this.calls.write('presence publish', () => super.publish(topic, data), undefined);
  }

  override channels(pattern?: string): Promise<string[]> {
    return this.calls.read('presence channels', () => super.channels(pattern));
  }

  override exists(key: string): Promise<boolean> {
    return this.calls.read('presence exists', () => super.exists(key));
  }

  override set(key: string, value: string): Promise<unknown> {
    return this.calls.write('presence set', () => super.set(key, value), undefined);
  }

  override setex(key: string, value: string, seconds: number): Promise<unknown> {
    return this.calls.write('presence setex', () => super.setex(key, value, seconds), undefined);
  }

  override expire(key: string, seconds: number): Promise<unknown> {
    return this.calls.write('presence expire', () => super.expire(key, seconds), undefined);
  }

  override get(key: string): Promise<unknown> {
    return this.calls.read('presence get', () => super.get(key));
  }

  override del(key: string): Promise<unknown> {
    return this.calls.write('presence del', () => super.del(key), undefined);
  }

  override sadd(key: string, value: unknown): Promise<unknown> {
    return this.calls.write('presence sadd', () => super.sadd(key, value), undefined);
  }

  override smembers(key: string): Promise<string[]> {
    return this.calls.read('presence smembers', () => super.smembers(key));
  }

  override sismember(key: string, field: string): Promise<number> {
    return this.calls.read('presence sismember', () => super.sismember(key, field));
  }

  override srem(key: string, value: unknown): Promise<number> {
    return this.calls.write('presence srem', () => super.srem(key, value), 0);
  }

  override scard(key: string): Promise<number> {
    return this.calls.read('presence scard', () => super.scard(key));
  }

  override sinter(...keys: string[]): Promise<string[]> {
    return this.calls.read('presence sinter', () => super.sinter(...keys));
  }

  override hset(key: string, field: string, value: string): Promise<boolean> {
    return this.calls.write('presence hset', () => super.hset(key, field, value), false);
  }

  override hincrby(key: string, field: string, value: number): Promise<number> {
    return this.calls.read('presence hincrby', () => super.hincrby(key, field, value));
  }

  override hincrbyex(key: string, field: string, value: number, expireInSeconds: number): Promise<number> {
    return this.calls.write('presence hincrbyex', () => super.hincrbyex(key, field, value, expireInSeconds), value);
  }

  override hget(key: string, field: string): Promise<string> {
    return this.calls.read('presence hget', () => super.hget(key, field));
  }

  override hgetall(key: string): Promise<Record<string, string>> {
    return this.calls.read('presence hgetall', () => super.hgetall(key));
  }

  override hdel(key: string, field: string): Promise<boolean> {
    return this.calls.write('presence hdel', () => super.hdel(key, field), false);
  }

  override hlen(key: string): Promise<number> {
    return this.calls.read('presence hlen', () => super.hlen(key));
  }

  override incr(key: string): Promise<number> {
    return this.calls.read('presence incr', () => super.incr(key));
  }

  override decr(key: string): Promise<number> {
    return this.calls.read('presence decr', () => super.decr(key));
  }

  override llen(key: string): Promise<number> {
    return this.calls.read('presence llen', () => super.llen(key));
  }

  override rpush(key: string, ...values: string[]): Promise<number> {
    return this.calls.read('presence rpush', () => super.rpush(key, ...values));
  }

  override lpush(key: string, ...values: string[]): Promise<number> {
    return this.calls.read('presence lpush', () => super.lpush(key, ...values));
  }

  override rpop(key: string): Promise<string | null> {
    return this.calls.read('presence rpop', () => super.rpop(key));
  }

  override lpop(key: string): Promise<string | null> {
    return this.calls.read('presence lpop', () => super.lpop(key));
  }

  /** Close both connections at once: a QUIT could wait on a Redis that is gone. */
  override shutdown(): void {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
