import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignBehaviours, Bot, BOT_BEHAVIOURS, parseMix } from '../../tools/bots/index.ts';
import type { BotView } from '../../tools/bots/index.ts';
import { Rng } from '../../shared/index.ts';
import { serverRoom, startTestServer, waitFor } from '../rooms/serverHarness.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('bot behaviours against a real server', () => {
  let server: Server;
  const bots: Bot[] = [];
  const bot = async (behaviour: 'wanderer' | 'fighter' | 'talker' | 'idler', index: number): Promise<Bot> => {
    const b = new Bot({ url: server.url, behaviour, seed: 'bots-test', index, pingEveryMs: 250 });
    bots.push(b);
    expect(await b.start()).toBe(true);
    await waitFor(`${behaviour} sees itself`, () => b.view?.self());
    return b;
  };

  beforeAll(async () => {
    server = await startTestServer({ MONSTER_DENSITY: '6', WORLD_SIZE: '128' });
  });
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await server?.close();
  });

  it('a wanderer walks about, decoding patches, with no errors', async () => {
    const b = await bot('wanderer', 0);
    const start = { x: b.view!.self()!.x, y: b.view!.self()!.y };
    await waitFor('the wanderer to move 1 unit', () => {
      const me = b.view!.self();
      return me && Math.hypot(me.x - start.x, me.y - start.y) > 1;
    }, 8000);
    expect(b.sent.move).toBeGreaterThan(0);
    expect(b.sent.attack + b.sent.talk).toBe(0);
    expect(b.patches).toBeGreaterThan(5);
    expect(b.bytes).toBeGreaterThan(0);
    expect(b.errors).toEqual([]);
  });

  it('a wanderer that dies takes the default respawn and plays on, with no errors', async () => {
    const b = await bot('wanderer', 4);
    const room = serverRoom(b.room!.roomId);
    const avatar = b.view!.selfId();
    const me = room.sim.world.actors.get(avatar)!.body!;
    room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 8, damage: 200, cooldown: 0.3, personality: false, activation: 0, wanderSpeed: 0 }, body: { x: me.x + 1, y: me.y, faction: 'wild', maxHp: 5000, speed: 8 }, tags: { species: 'troll', name: 'Bot-eater' } } });
    await waitFor('the bot to die', () => b.deaths > 0, 10_000);
    await waitFor('the respawn sent', () => b.sent.respawn > 0);
    await waitFor('the bot alive again', () => me.alive && b.view!.selfAlive(), 5000);
    const moves = b.sent.move;
    await waitFor('the bot to move again', () => b.sent.move > moves, 5000);
    expect(b.errors).toEqual([]);
  });

  it('an idler stays put and only pings', async () => {
    const b = await bot('idler', 1);
    const start = { x: b.view!.self()!.x, y: b.view!.self()!.y };
    await waitFor('pings', () => b.sent.ping >= 4, 5000);
    await new Promise((r) => setTimeout(r, 1500));
    const me = b.view!.self()!;
    expect(Math.hypot(me.x - start.x, me.y - start.y)).toBeLessThan(0.01);
    expect(b.sent.move + b.sent.attack + b.sent.talk + b.sent.respawn).toBe(0);
    expect(b.patches).toBeGreaterThan(5);
    expect(b.lastRttMs).toBeGreaterThan(0);
    expect(b.lastRttMs).toBeLessThan(1000);
    expect(b.errors).toEqual([]);
  });

  it('a fighter seeks monsters and damages them', async () => {
    const b = await bot('fighter', 2);
    const room = serverRoom(b.room!.roomId);
    // Joins land out of every monster's sight, so a monster is staged within the fighter's sight but out of reach:
    // the fighter has to see it, walk up to it and hit it.
    const me = room.sim.world.actors.get(b.view!.selfId())!.body!;
    room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 2, damage: 1, cooldown: 2, personality: false, activation: 0, wanderSpeed: 0 }, body: { x: me.x + 8, y: me.y, faction: 'wild', maxHp: 400, speed: 1 }, tags: { species: 'boar', name: 'Practice boar' } } });
    // hp of each target when the fighter first went for it; success is a later drop (or its death).
    const first = new Map<number, number>();
    await waitFor('a monster the fighter attacked to lose hp', () => b.attacked.some((id) => {
      const body = room.sim.world.actors.get(id)?.body;
      if (!first.has(id)) first.set(id, body?.alive ? body.hp : Infinity);
      return !body || !body.alive || body.hp < (first.get(id) as number);
    }), 20_000);
    expect(b.sent.attack).toBeGreaterThan(0);
    expect(b.attacked.every((id) => room.sim.world.actors.get(id)?.kind !== 'player')).toBe(true);
    expect(b.errors.filter((e) => e.kind !== 'server-error')).toEqual([]);
  }, 30_000);

  it('a talker talks to creatures with varied lines and hears them answer', async () => {
    const b = await bot('talker', 3);
    await waitFor('an answer from someone the talker spoke to', () => {
      const spokenTo = new Set(b.said.map((s) => s.to));
      return b.view!.speech.some((line) => spokenTo.has(line.actor) && line.kind !== 'battleCry');
    }, 20_000);
    await waitFor('three lines said', () => b.said.length >= 3, 15_000);
    expect(new Set(b.said.map((s) => s.text)).size).toBeGreaterThan(1);
    expect(b.sent.talk).toBe(b.said.length);
    expect(b.errors.filter((e) => e.kind !== 'server-error')).toEqual([]);
  }, 40_000);

  it('bots with the same seed and index make the same choices', () => {
    const a = new Bot({ url: 'ws://127.0.0.1:1', behaviour: 'wanderer', seed: 's', index: 7 });
    const c = new Bot({ url: 'ws://127.0.0.1:1', behaviour: 'wanderer', seed: 's', index: 7 });
    const d = new Bot({ url: 'ws://127.0.0.1:1', behaviour: 'wanderer', seed: 's', index: 8 });
    const draws = (x: Bot) => [x.rng.float(), x.rng.float(), x.rng.float()];
    expect(draws(a)).toEqual(draws(c));
    expect(draws(a)).not.toEqual(draws(d));
  });
});

describe('fighter roaming', () => {
  /** Decisions of a fighter with no monster in view standing at the positions given, one per decision. */
  const roam = (positions: readonly { x: number; y: number }[]): number => {
    let at = positions[0]!;
    const view = { self: () => ({ ...at, id: 1, kind: 'player' }), nearest: () => undefined } as unknown as BotView;
    const rng = Rng.create('roam');
    const memory: Record<string, unknown> = {};
    let turns = 0;
    for (const p of positions) {
      at = p;
      turns += BOT_BEHAVIOURS.fighter.decide(view, rng, memory).filter((a) => a.type === 'move').length;
    }
    return turns;
  };

  it('keeps its heading while it makes headway and turns whenever something stops it', () => {
    const walking = Array.from({ length: 20 }, (_, i) => ({ x: i * 2, y: 0 }));
    const blocked = Array.from({ length: 20 }, () => ({ x: 5, y: 5 }));
    // Walking: the first heading and the occasional 10% turn. Blocked: a new heading at every decision after the first.
    expect(roam(walking)).toBeLessThan(8);
    expect(roam(blocked)).toBe(20);
  });
});

describe('bot mix', () => {
  it('parses weights and interleaves behaviours in proportion', () => {
    const mix = parseMix('fighter:50,wanderer:40,talker:10');
    const names = assignBehaviours(mix, 100);
    const count = (n: string) => names.filter((x) => x === n).length;
    expect([count('fighter'), count('wanderer'), count('talker')]).toEqual([50, 40, 10]);
    expect(new Set(names.slice(0, 10))).toEqual(new Set(['fighter', 'wanderer', 'talker']));
  });

  it('names the bad part of a mix', () => {
    expect(() => parseMix('fighter:50,dancer:10')).toThrow(/invalid --mix: dancer: unknown behaviour/);
    expect(() => parseMix('fighter:x')).toThrow(/fighter: weight must be a non-negative number/);
    expect(() => parseMix('idler:0')).toThrow(/at least one behaviour needs a positive weight/);
  });
});
