// The player's first minute on the server: safe spawn, spawn protection, hits, death, the respawn choice.
// The room is paused and stepped by hand (its manual clock); only the network round trips are waited for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorId } from '../../actors/index.ts';
import type { RunningServer } from '../../server/index.ts';
import type { WorldRoom } from '../../rooms/index.ts';
import { AUTO_RESPAWN_SECONDS, SAFE_MARGIN, SPAWN_SHIELD_SECONDS } from '../../rooms/index.ts';
import type { DiedMessage, HitMessage } from '../../rooms/index.ts';
import { join, serverRoom, startTestServer, waitFor } from './serverHarness.ts';
import type { Joined } from './serverHarness.ts';

let server: RunningServer & { url: string };

beforeAll(async () => {
  server = await startTestServer({ SEED: 'lairmind', WORLD_SIZE: '256' }); // the default seed: its centre is watched by a pack
});
afterAll(async () => {
  await server?.close();
});

/** Join a fresh room, wait for the avatar, and pause the room: from here on it advances only by stepOnce. */
async function enter(name = 'Ada'): Promise<{ j: Joined; room: WorldRoom; avatar: ActorId }> {
  const j = await join(server.url, { name }, 'new');
  const room = serverRoom(j.room.roomId);
  await waitFor('avatar', () => j.avatar() && j.mirror.entities.has(String(j.avatar())));
  room.pause();
  return { j, room, avatar: j.avatar() };
}

/** Step the room until `check` holds (messages from the client arrive between steps), at most `max` steps. */
async function stepUntil<T>(room: WorldRoom, what: string, check: () => T | undefined | null | false, max = 200, pauseMs = 0): Promise<T> {
  for (let i = 0; i < max; i++) {
    const v = check();
    if (v) return v;
    room.stepOnce(1);
    await new Promise((r) => (pauseMs > 0 ? setTimeout(r, pauseMs) : setImmediate(r)));
  }
  return waitFor(what, check, 2000);
}

/** A strong monster right next to the avatar: it notices, chases and kills. */
function ogre(room: WorldRoom, avatar: ActorId, damage = 60): ActorId {
  const me = room.sim.world.actors.get(avatar)!.body!;
  room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 6, damage, cooldown: 0.5, personality: false, activation: 0, wanderSpeed: 0 }, body: { x: me.x + 1, y: me.y, faction: 'wild', maxHp: 500 }, tags: { species: 'ogre', name: 'Grak' } } });
  room.stepOnce(1);
  return [...room.sim.world.actors.values()].find((a) => a.tags?.name === 'Grak')!.id;
}

/** A walkable tile centre 5 to 8 tiles from (x, y). */
function nearSpot(room: WorldRoom, x: number, y: number): { x: number; y: number } {
  for (let r = 5; r <= 8; r++) {
    for (let a = 0; a < 16; a++) {
      const tx = Math.floor(x + r * Math.cos((a * Math.PI) / 8)), ty = Math.floor(y + r * Math.sin((a * Math.PI) / 8));
      if (room.gen.isWalkable(tx, ty)) return { x: tx + 0.5, y: ty + 0.5 };
    }
  }
  throw new Error(`no walkable tile near ${x}, ${y}`);
}

const messages = <T>(j: Joined, type: string) => j.mirror.messages.filter((m) => m.type === type).map((m) => m.body as T);

describe('the first minute (in-process server, paused room stepped by hand)', () => {
  it('joins at a safe point, shielded; nothing hostile within its perception plus the margin', async () => {
    const { j, room, avatar } = await enter();
    const me = room.sim.world.actors.get(avatar)!.body!;
    expect(Math.hypot(me.x - 2.5, me.y - 0.5)).toBeGreaterThan(1); // not the old fixed spot, which a pack watches on this seed
    for (const a of room.sim.world.actors.values()) {
      if (a.kind !== 'monster' || !a.body?.alive) continue;
      expect(Math.hypot(a.body.x - me.x, a.body.y - me.y) - (a.params as { perception: number }).perception).toBeGreaterThan(SAFE_MARGIN);
    }
    room.stepOnce(1);
    expect(room.state.entities.get(String(avatar))!.shielded).toBe(true);
    await j.room.leave();
  });

  it('the shield blocks damage and keeps monsters off, then expires; a hit reaches the player with the numbers', async () => {
    const { j, room, avatar } = await enter();
    const grak = ogre(room, avatar, 10);
    // The room ran a few ticks before the test paused it: step to just before the shield ends.
    const until = (room.sim.world.actors.get(avatar)!.state as { shieldUntil: number }).shieldUntil;
    expect(until - room.sim.world.time).toBeGreaterThan(1);
    expect(until - room.sim.world.time).toBeLessThanOrEqual(SPAWN_SHIELD_SECONDS);
    room.stepOnce(Math.floor((until - room.sim.world.time) * 20) - 1);
    const me = room.sim.world.actors.get(avatar)!.body!;
    expect(me.hp).toBe(100);
    expect((room.sim.world.actors.get(grak)!.state as { target: number }).target).not.toBe(avatar);
    expect(room.state.entities.get(String(avatar))!.shielded).toBe(true);
    room.stepOnce(40);
    expect(room.state.entities.get(String(avatar))!.shielded).toBe(false);
    expect(me.hp).toBeLessThan(100);
    const hit = await waitFor('a hit message', () => messages<HitMessage>(j, 'hit').find((h) => h.target === avatar));
    expect(hit).toMatchObject({ target: avatar, source: grak, amount: 10 });
    expect(hit.hp).toBe(90);
    expect(hit.tick).toBeGreaterThan(0);
    await j.room.leave();
  });

  it('a hit reaches every client that sees the target, not only the target\'s own', async () => {
    const { j, room, avatar } = await enter();
    const cy = await join(server.url, { name: 'Cy' }, j.room.roomId);
    await stepUntil(room, 'Cy spawned', () => cy.avatar(), 40, 25);
    // Joins spread over the world: Cy is brought near Ada, then walks over until Ada is in Cy's view.
    const ada = room.sim.world.actors.get(avatar)!.body!;
    const near = nearSpot(room, ada.x, ada.y);
    const cyBody = room.sim.world.actors.get(cy.avatar())!.body!;
    cyBody.x = near.x;
    cyBody.y = near.y;
    cy.room.send('move', { to: { x: ada.x + 2, y: ada.y } });
    await stepUntil(room, 'Cy to see Ada', () => cy.mirror.entities.has(String(avatar)), 400, 5);
    const grak = ogre(room, avatar, 10);
    const seen = await stepUntil(room, 'the hit on Ada at Cy', () => messages<HitMessage>(cy, 'hit').find((h) => h.target === avatar && h.source === grak), 200, 5);
    const own = await waitFor('the same hit at Ada', () => messages<HitMessage>(j, 'hit').find((h) => h.tick === seen.tick && h.target === avatar));
    expect(seen).toEqual(own);
    await cy.room.leave();
    await j.room.leave();
  });

  it('attacking ends the shield early', async () => {
    const { j, room, avatar } = await enter();
    const grak = ogre(room, avatar, 1);
    j.room.send('attack', { target: grak });
    await stepUntil(room, 'the shield to drop', () => !room.state.entities.get(String(avatar))!.shielded);
    expect(room.sim.world.tick * (1 / 20)).toBeLessThan(SPAWN_SHIELD_SECONDS + 2);
    await j.room.leave();
  });

  it('death: refuses respawn while alive, names the killer, refuses talk and move while dead, respawns where chosen, shielded and away from the killer', async () => {
    const { j, room, avatar } = await enter();
    j.room.send('respawn', {});
    await waitFor('respawn refused while alive', () => j.mirror.errors.find((e) => /respawn: you are alive/.test(e.message)));
    const grak = ogre(room, avatar);
    const died = await stepUntil(room, 'the died message', () => messages<DiedMessage>(j, 'died')[0], 400);
    expect(died.actor).toBe(avatar);
    expect(died.killer).toEqual({ id: grak, name: 'Grak', kind: 'monster', species: 'ogre' });
    expect(died.respawnInTicks).toBe(AUTO_RESPAWN_SECONDS * 20);
    expect(died.spawns.length).toBeGreaterThanOrEqual(2);
    for (const s of died.spawns) expect(s.name).toMatch(/^[A-Z]/);

    j.room.send('talk', { to: grak, text: 'mercy!' });
    await waitFor('talk refused', () => j.mirror.errors.find((e) => e.message === 'talk: you are dead; choose where to respawn first'));
    j.room.send('move', { dir: { x: 1, y: 0 } });
    await waitFor('move refused', () => j.mirror.errors.find((e) => e.message === 'move: you are dead; choose where to respawn first'));
    j.room.send('respawn', { at: 'atlantis' });
    const bad = await waitFor('unknown spawn refused', () => j.mirror.errors.find((e) => /respawn\.at: no spawn point 'atlantis'/.test(e.message)));
    expect(bad.message).toContain(died.spawns.map((s) => s.id).join(', '));

    const second = died.spawns[1]!;
    const point = room.life.offered(j.room.sessionId)[1]!;
    j.room.send('respawn', { at: second.id });
    const me = room.sim.world.actors.get(avatar)!.body!;
    await stepUntil(room, 'alive again', () => me.alive);
    room.stepOnce(1);
    expect(me.hp).toBe(100);
    const killer = room.sim.world.actors.get(grak)!.body!;
    expect(Math.hypot(killer.x - me.x, killer.y - me.y)).toBeGreaterThan(6 + SAFE_MARGIN);
    expect(room.state.entities.get(String(avatar))!.shielded).toBe(true);
    expect(Math.hypot(me.x - point.x, me.y - point.y)).toBeLessThan(0.01);
    expect(room.life.offered(j.room.sessionId)).toEqual([]); // alive: nothing offered any more
    await j.room.leave();
  });

  it('chat lines carry the speaker\'s name: the player\'s own, a monster\'s species, never an empty one', async () => {
    const { j, room, avatar } = await enter('Bea');
    const grak = ogre(room, avatar, 0);
    const me = room.sim.world.actors.get(avatar)!.body!;
    room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 0.1, damage: 0, personality: false, activation: 0, wanderSpeed: 0 }, body: { x: me.x - 1, y: me.y, faction: 'wild', maxHp: 50 }, tags: { species: 'boar' } } });
    room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 0.1, damage: 0, personality: false, activation: 0, wanderSpeed: 0 }, body: { x: me.x, y: me.y - 1, faction: 'wild', maxHp: 50 } } });
    room.stepOnce(10); // into the player's view (views refresh every few ticks)
    const boar = [...room.sim.world.actors.values()].find((a) => a.tags?.species === 'boar' && !a.tags.name)!.id;
    const bare = [...room.sim.world.actors.values()].find((a) => a.kind === 'monster' && !a.tags?.species && !a.tags?.name)!.id;
    j.room.send('talk', { to: grak, text: 'hello' });
    room.projection.say(boar, 'bark', 'Snort!');
    room.projection.say(bare, 'bark', '...');
    const names = () => {
      const out = new Map<number, string>();
      (j.room.state as { speech: Map<string, { actor: number; name: string }> }).speech.forEach((l) => out.set(l.actor, l.name));
      return out;
    };
    await waitFor(`the three lines in the client`, () => names().has(avatar) && names().has(boar) && names().has(bare));
    expect(names().get(avatar)).toBe('Bea');
    expect(names().get(boar)).toBe('boar');
    expect(names().get(bare)).toBe('monster');
    await j.room.leave();
  });

  it('without a choice, respawns at the default point after the wait', async () => {
    const { j, room, avatar } = await enter();
    ogre(room, avatar);
    const died = await stepUntil(room, 'the died message', () => messages<DiedMessage>(j, 'died')[0], 400);
    const offered = room.life.offered(j.room.sessionId);
    expect(offered.map((s) => ({ id: s.id, name: s.name }))).toEqual(died.spawns);
    const me = room.sim.world.actors.get(avatar)!.body!;
    room.stepOnce(died.respawnInTicks - 2);
    expect(me.alive).toBe(false);
    room.stepOnce(3);
    expect(me.alive).toBe(true);
    // At the default: the first point the died message offered.
    expect(Math.hypot(me.x - offered[0]!.x, me.y - offered[0]!.y)).toBeLessThan(0.01);
    await j.room.leave();
  });
});
