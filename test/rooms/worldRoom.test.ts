import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join as join_ } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { cellAt, cellDistance, FLOOD_CLOSE_CODE } from '../../rooms/index.ts';
import { join, serverRoom, startTestServer, waitFor } from './serverHarness.ts';
import type { Joined } from './serverHarness.ts';

const require_ = createRequire(import.meta.url);
let server: RunningServer & { url: string };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function joinAndSpawn(options: Record<string, unknown> = {}, roomId?: string): Promise<Joined> {
  const j = await join(server.url, { name: 'tester', ...options }, roomId);
  await waitFor('avatar', () => j.avatar() && j.mirror.entities.has(String(j.avatar())));
  return j;
}

describe('world room over the real transport', () => {
  it('uses uWebSockets.js with its native binary where it has one for this Node, ws otherwise', () => {
    const binary = join_(dirname(require_.resolve('uWebSockets.js')), '..', 'binaries', `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);
    if (existsSync(binary)) expect(server.transport).toMatchObject({ kind: 'uws', native: true });
    else expect(server.transport).toMatchObject({ kind: 'ws', native: false });
  });

  it('a client sees its avatar and only nearby entities, never the far world', async () => {
    const a = await joinAndSpawn();
    const room = serverRoom(a.room.roomId);
    const world = room.sim.world;
    const me = world.actors.get(a.avatar())!.body!;
    await waitFor('some monsters in view', () => a.mirror.entities.size > 1 || world.tick > 60);
    // The client shares its cell's view: what is within 1.25 × the radius of the cell, kept up to 0.25 × more.
    const r = room.config.viewRadius;
    expect(room.interest.sharing).toBe('cell');
    const cell = cellAt(me.x, me.y, r);
    for (const [id, e] of a.mirror.entities) {
      const b = world.actors.get(Number(id))?.body;
      expect(b, `entity ${id}`).toBeDefined();
      expect(cellDistance(cell, e.x, e.y), `entity ${id} distance from the cell`).toBeLessThan(r * 1.5 + 5);
    }
    const bodies = [...world.actors.values()].filter((x) => x.body).length;
    expect(bodies).toBeGreaterThan(a.mirror.entities.size * 2);
    // The ring of chunks just outside the populated region was generated with the room, not in some later step:
    // asking for its corners and edges now generates nothing.
    const size = room.gen.chunkSize, half = Math.floor(room.config.worldSize / 2);
    const c0 = Math.floor(-half / size) - 1, c1 = Math.floor((room.config.worldSize - half - 1) / size) + 1;
    const misses = room.gen.cacheStats().misses;
    for (const [cx, cy] of [[c0, c0], [c1, c1], [c0, c1], [c1, c0], [0, c0], [c1, 0]] as const) room.gen.chunk(cx, cy);
    expect(room.gen.cacheStats().misses).toBe(misses);
    room.gen.chunk(c1 + 3, c1 + 3);
    expect(room.gen.cacheStats().misses).toBe(misses + 1);
    await a.room.leave();
  });

  it('moves the avatar, attacks a monster and sees its hp fall, talks and is heard by the simulation', async () => {
    const a = await joinAndSpawn();
    const room = serverRoom(a.room.roomId);
    const avatar = a.avatar();
    const start = { ...a.mirror.entities.get(String(avatar))! };
    a.room.send('move', { dir: { x: 1, y: 0 } });
    await waitFor('avatar moved', () => (a.mirror.entities.get(String(avatar))!.x > start.x + 1 ? true : null));
    a.room.send('move', { dir: { x: 0, y: 0 } });
    await waitFor('avatar stopped', () => a.mirror.entities.get(String(avatar))!.anim === 'idle');

    // A designer drops a sleepy monster right next to the player.
    const me = room.sim.world.actors.get(avatar)!.body!;
    room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 0.1, wanderSpeed: 0, damage: 0 }, body: { x: me.x + 0.8, y: me.y, faction: 'dummies', maxHp: 200 }, tags: { species: 'dummy', name: 'Dummy' } } });
    const dummy = await waitFor('dummy in view', () => {
      for (const [id, e] of a.mirror.entities) if (e.kind === 'monster' && e.hp === 200 && Math.abs(e.x - me.x - 0.8) < 0.01) return Number(id);
      return null;
    });
    a.room.send('attack', { target: dummy });
    await waitFor('dummy hp fell', () => (a.mirror.entities.get(String(dummy))!.hp < 200 ? true : null));

    a.room.send('talk', { to: dummy, text: 'Hello there, beast!' });
    const speech = () => [...(a.room.state as { speech: Map<string, { actor: number; text: string; kind: string }> }).speech.values()];
    await waitFor('player line in speech', () => speech().some((s) => s.actor === avatar && s.text === 'Hello there, beast!'));
    // The local chat mind (layer 3) understood the line and answered in character.
    const answer = await waitFor('monster answered', () => speech().find((s) => s.actor === dummy && s.kind === 'say'));
    expect(answer.text.length).toBeGreaterThan(0);
    await a.room.leave();
  });

  it('refuses every kind of invalid message with an error naming what was wrong; another client is unaffected', async () => {
    const a = await joinAndSpawn();
    const b = await joinAndSpawn({}, a.room.roomId);
    const bad: [string, unknown, RegExp][] = [
      ['move', { dir: { x: 2, y: 0 } }, /move\.dir\.x/],
      ['move', { dir: { x: Number.NaN, y: 0 } }, /move\.dir\.x/],
      ['move', 'left', /move/],
      ['move', { dir: { x: 0, y: 0 }, teleport: true }, /move/],
      ['attack', { target: 'monster' }, /attack\.target/],
      ['attack', { target: 987654 }, /attack\.target: no entity 987654/],
      ['attack', { target: a.avatar() }, /yourself/],
      ['talk', { to: 987654, text: 'hi' }, /talk\.to/],
      ['talk', { to: b.avatar(), text: 'x'.repeat(281) }, /talk\.text/],
      ['talk', { to: b.avatar(), text: '\u0000\u0001   ' }, /talk\.text/],
      ['ping', {}, /ping\.t/],
      ['fly', { up: true }, /unknown message type "fly"/],
    ];
    const before = { ...a.mirror.entities.get(String(a.avatar()))! };
    for (const [type, payload] of bad) a.room.send(type as never, payload as never);
    await waitFor('all errors', () => a.mirror.errors.length >= bad.length);
    bad.forEach(([type, , re], i) => expect(a.mirror.errors[i]!.message, `${type} #${i}`).toMatch(re));
    expect(a.mirror.leftCode).toBeNull();
    expect(a.mirror.entities.get(String(a.avatar()))).toMatchObject({ x: before.x, y: before.y });
    // b never saw an error and still plays.
    expect(b.mirror.errors).toEqual([]);
    const bx = b.mirror.entities.get(String(b.avatar()))!.x;
    b.room.send('move', { dir: { x: -1, y: 0 } });
    await waitFor('b moved', () => b.mirror.entities.get(String(b.avatar()))!.x < bx - 0.5);
    // ping still answers
    a.room.send('ping', { t: 42 });
    await waitFor('pong', () => a.mirror.messages.find((m) => m.type === 'pong' && (m.body as { t: number }).t === 42));
    await a.room.leave();
    await b.room.leave();
  });

  it('warns a flooding client, then disconnects it; another client does not notice', async () => {
    const a = await joinAndSpawn();
    const b = await joinAndSpawn({}, a.room.roomId);
    for (let i = 0; i < 400; i++) a.room.send('ping', { t: i });
    await waitFor('flooder warned', () => a.mirror.messages.find((m) => m.type === 'warning'));
    await waitFor('flooder disconnected', () => a.mirror.leftCode !== null);
    expect(a.mirror.leftCode).toBe(FLOOD_CLOSE_CODE);
    expect(b.mirror.leftCode).toBeNull();
    b.room.send('ping', { t: 7 });
    await waitFor('b pong', () => b.mirror.messages.find((m) => m.type === 'pong'));
    expect(b.mirror.errors).toEqual([]);
    await b.room.leave();
  });
});
