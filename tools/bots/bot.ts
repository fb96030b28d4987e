import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import { Rng } from '../../shared/index.ts';
import type { BotAction, BotBehaviour, BotBehaviourName } from './behaviour.ts';
import { BOT_BEHAVIOURS } from './behaviours.ts';
import { NULL_SINK } from './botSink.ts';
import type { BotErrorKind, BotSink } from './botSink.ts';
import { BotView } from './botView.ts';
import { hopZone, readZoneMove } from '../../client/index.ts';

export interface BotOptions {
  /** Server address, e.g. `ws://127.0.0.1:2567`. */
  readonly url: string;
  /** Room name to join or create (default `world`); ignored when `roomId` is given. */
  readonly room?: string;
  /** Join this room id instead of join-or-create. */
  readonly roomId?: string;
  readonly behaviour: BotBehaviourName | BotBehaviour;
  /** Seed of the bot's random stream (with `index`, fixes every choice it makes). */
  readonly seed: string | number;
  /** The bot's number in its population. */
  readonly index: number;
  /** Display name (default `bot-<index>`). */
  readonly name?: string;
  /** Milliseconds between round-trip pings (default 1000; 0 = none). */
  readonly pingEveryMs?: number;
  readonly sink?: BotSink;
  /** A player token, sent as the SDK's auth token (without one the bot is a guest). */
  readonly token?: string;
  /**
   * When the room's connection drops (its process died or restarted), keep trying for this long to join the room
   * again with the resume key it sent, through `url` and then each of `endpoints` (default 0: a drop is an error).
   */
  readonly rejoinWithinMs?: number;
  /** Other addresses of the same deployment, tried in turn when rejoining. */
  readonly endpoints?: readonly string[];
}

/** After a death, an avatar the view never showed dead is taken as respawned only after this long (ms). */
const RESPAWN_GRACE_MS = 1500;

/** Messages a bot sent, by type. */
export interface BotSent {
  move: number;
  attack: number;
  talk: number;
  ping: number;
  /** Respawn choices sent after deaths (the default point). */
  respawn: number;
}

/**
 * One bot: a real SDK client that joins a world room, decodes its state like a game client, pings the room
 * and plays by its behaviour. Every choice comes from its seeded stream; wall-clock timers drive it.
 */
export class Bot {
  readonly behaviour: BotBehaviour;
  readonly name: string;
  readonly rng: Rng;
  readonly sent: BotSent = { move: 0, attack: 0, talk: 0, ping: 0, respawn: 0 };
  /** Deaths of the bot's avatar (each answered with a respawn at the default point). */
  deaths = 0;
  /** Set from a `died` message until the avatar is alive again: the bot does not act meanwhile. */
  private dead = false;
  /** Whether the view has shown the avatar dead since the last 'died' message, and when that message came. */
  private sawDead = false;
  private diedAt = 0;
  /** Errors by kind, with the latest message. */
  readonly errors: { kind: BotErrorKind; message: string }[] = [];
  /** Lines this bot said, in order. */
  readonly said: { to: number; text: string }[] = [];
  /** Targets attacked, in order. */
  readonly attacked: number[] = [];
  status: 'idle' | 'joining' | 'connected' | 'failed' | 'left' = 'idle';
  room?: Room;
  view?: BotView;
  patches = 0;
  bytes = 0;
  /** The latest ping round trip in milliseconds (NaN before the first pong). */
  lastRttMs = NaN;
  /** Times this bot came back to its room after the connection dropped, and how long each took (ms). */
  readonly rejoins: number[] = [];
  /** Zones this bot walked into: the zone, and ms from the server's word to the next zone showing its avatar. */
  readonly zoneMoves: { zone: { x: number; y: number }; ms: number }[] = [];
  private client: Client | undefined;
  /** The room and key that take this bot's avatar back (sent by durable rooms after the join). */
  resume: { roomId: string; key: string } | null = null;
  private readonly memory: Record<string, unknown> = {};
  private readonly sink: BotSink;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private stopping = false;

  constructor(readonly options: BotOptions) {
    this.behaviour = typeof options.behaviour === 'string' ? BOT_BEHAVIOURS[options.behaviour] : options.behaviour;
    this.name = options.name ?? `bot-${options.index}`;
    this.rng = Rng.create(String(options.seed)).fork(`bot:${options.index}`);
    this.sink = options.sink ?? NULL_SINK;
  }

  /** Join and start playing. Resolves true once in the room, false when the join failed (reported to the sink). */
  async start(): Promise<boolean> {
    if (this.status !== 'idle') throw new Error(`bot ${this.name} already started`);
    this.status = 'joining';
    const t0 = performance.now();
    let room: Room;
    try {
      const client = new Client(this.options.url);
      this.client = client;
      if (this.options.token) client.auth.token = this.options.token;
      const joinOptions = { name: this.name };
      room = this.options.roomId ? await client.joinById(this.options.roomId, joinOptions) : await client.joinOrCreate(this.options.room ?? 'world', joinOptions);
    } catch (err) {
      this.status = 'failed';
      this.fail('join', err instanceof Error ? err.message : String(err));
      return false;
    }
    this.sink.joined(performance.now() - t0);
    this.attach(room);
    return true;
  }

  /** Play in `room`: listen to it and start the timers. */
  private attach(room: Room): void {
    this.room = room;
    room.reconnection.enabled = false;
    this.status = 'connected';
    if (this.stopping) {
      void this.stop();
      return;
    }
    this.view = new BotView(room);
    this.countFrames(room);
    room.onStateChange(() => {
      this.patches++;
      this.sink.patch();
    });
    room.onMessage('pong', (body: { t?: unknown }) => {
      if (typeof body?.t !== 'number') return;
      this.lastRttMs = performance.now() - body.t;
      this.sink.rtt(this.lastRttMs);
    });
    room.onMessage('warning', (body: { message?: unknown }) => this.fail('rate-warning', String(body?.message ?? 'warning')));
    room.onMessage('resume', (body: { roomId?: unknown; key?: unknown }) => {
      if (typeof body?.roomId === 'string' && typeof body.key === 'string') this.resume = { roomId: body.roomId, key: body.key };
    });
    room.onMessage('died', () => {
      // Like a player who takes the default: respawn at the first safe point offered.
      this.deaths++;
      this.dead = true;
      this.sawDead = false;
      this.diedAt = performance.now();
      this.send('respawn', {});
    });
    room.onMessage('zone', (body: unknown) => {
      if (this.room === room) void this.moveZone(room, body);
    });
    room.onMessage('*', () => {});
    room.onError((code, message) => this.fail('server-error', `${code}: ${String(message)}`));
    room.onLeave((code) => {
      if (this.room !== room) return; // the zone this bot walked out of
      this.clearTimers();
      // 1000: the bot left on purpose; 4429: kicked for flooding (its key no longer works).
      if (!this.stopping && (this.options.rejoinWithinMs ?? 0) > 0 && this.resume && code !== 1000 && code !== 4429) {
        this.status = 'joining';
        void this.rejoin(code);
        return;
      }
      if (!this.stopping) this.fail('disconnect', `closed with code ${code}`);
      this.status = 'left';
      this.sink.left();
    });
    const ping = this.options.pingEveryMs ?? 1000;
    if (ping > 0) this.every(ping, () => this.send('ping', { t: performance.now() }));
    this.every(this.behaviour.everyMs, () => this.act());
  }

  /** Follow the avatar into the next zone: join the seat reserved there, then leave the old zone. */
  private async moveZone(from: Room, body: unknown): Promise<void> {
    const move = readZoneMove(body);
    if ('error' in move || !this.client) {
      this.fail('server-error', `zone move: ${'error' in move ? move.error : 'no client'}`);
      return;
    }
    const t0 = performance.now();
    try {
      const next = await hopZone(this.client, move);
      this.zoneMoves.push({ zone: move.zone, ms: performance.now() - t0 });
      this.clearTimers();
      this.attach(next);
      if (this.resume) this.resume = { roomId: next.roomId, key: this.resume.key };
      await from.leave(true).catch(() => {});
    } catch (err) {
      this.fail('server-error', `zone move: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Join the same room again with the resume key, through each known address in turn, until it works or time is up. */
  private async rejoin(code: number): Promise<void> {
    const resume = this.resume as { roomId: string; key: string };
    const t0 = performance.now();
    const deadline = t0 + (this.options.rejoinWithinMs ?? 0);
    const urls = [this.options.url, ...(this.options.endpoints ?? [])];
    let last = '';
    for (let attempt = 0; !this.stopping && performance.now() < deadline; attempt++) {
      const url = urls[attempt % urls.length] as string;
      try {
        const client = new Client(url);
        if (this.options.token) client.auth.token = this.options.token;
        const room = await client.joinById(resume.roomId, { name: this.name, resume: resume.key });
        this.rejoins.push(performance.now() - t0);
        this.attach(room);
        return;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    if (this.stopping) return;
    this.fail('disconnect', `closed with code ${code}; could not rejoin room ${resume.roomId} within ${this.options.rejoinWithinMs} ms (${last})`);
    this.status = 'left';
    this.sink.left();
  }

  /** Leave the room (or cancel a join in progress) and stop all timers. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimers();
    const room = this.room;
    if (room && this.status === 'connected') {
      this.status = 'left';
      try {
        await room.leave(true);
      } catch {
        // already closed
      }
    }
  }

  /** Run one decision of the behaviour now and send its actions. */
  act(): void {
    // Like a game client, a bot plays once the server has reported its avatar.
    if (!this.view || this.status !== 'connected' || !this.view.selfId()) return;
    if (this.dead) {
      // The 'died' message can arrive before the patch that shows the avatar dead: an avatar that still looks alive
      // is trusted only once the view has shown it dead (and alive again), or after the respawn has surely landed.
      if (!this.view.selfAlive()) {
        this.sawDead = true;
        return;
      }
      if (!this.sawDead && performance.now() - this.diedAt < RESPAWN_GRACE_MS) return;
      this.dead = false;
    }
    let actions: readonly BotAction[];
    try {
      actions = this.behaviour.decide(this.view, this.rng, this.memory);
    } catch (err) {
      this.fail('exception', err instanceof Error ? err.message : String(err));
      return;
    }
    for (const a of actions) {
      switch (a.type) {
        case 'move':
          this.send('move', 'dir' in a ? { dir: a.dir } : { to: a.to });
          break;
        case 'attack':
          this.attacked.push(a.target);
          this.send('attack', { target: a.target });
          break;
        case 'talk':
          this.said.push({ to: a.to, text: a.text });
          this.send('talk', { to: a.to, text: a.text });
          break;
      }
    }
  }

  private send(type: keyof BotSent, body: unknown): void {
    if (this.status !== 'connected' || !this.room) return;
    try {
      this.room.send(type, body);
      this.sent[type]++;
      this.sink.sent(type);
    } catch (err) {
      this.fail('exception', err instanceof Error ? err.message : String(err));
    }
  }

  private fail(kind: BotErrorKind, message: string): void {
    this.errors.push({ kind, message });
    this.sink.error(kind, message);
  }

  /** Run `fn` every `ms`, the first time after a seeded fraction of `ms` (bots started together do not act in step). */
  private every(ms: number, fn: () => void): void {
    const first = setTimeout(() => {
      fn();
      const iv = setInterval(fn, ms);
      this.timers.push(iv);
    }, this.rng.float(0, ms));
    this.timers.push(first);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  /** Count every frame from the server (patches and messages) before the SDK decodes it. */
  private countFrames(room: Room): void {
    const events = (room as unknown as { connection: { events: { onmessage?: (e: { data: ArrayBuffer }) => void } } }).connection.events;
    const decode = events.onmessage;
    events.onmessage = (e) => {
      const n = e.data.byteLength;
      this.bytes += n;
      this.sink.received(n);
      try {
        decode?.(e);
      } catch (err) {
        this.fail('exception', `decode: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
  }
}
