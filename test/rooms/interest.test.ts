import { StateView } from '@colyseus/schema';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { coordinatorSpawn, createWorld, defaultRegistry, FlatTerrain, spawnActor, step } from '../../actors/index.ts';
import type { SpawnSpec } from '../../actors/index.ts';
import { Interest, MetaState, PlayerState, Projection, RateLimiter, WorldState, checkClientMessage, normaliseText } from '../../rooms/index.ts';
import type { WorldRoom } from '../../rooms/index.ts';
import { join, serverRoom, startTestServer, waitFor } from './serverHarness.ts';
import { Rng } from '../../shared/index.ts';
import { lines, playerKeys, texts, Wire } from './wire.ts';
import type { WireClient } from './wire.ts';

function setup() {
  const world = createWorld({ seed: 'interest', registry: defaultRegistry(), terrain: new FlatTerrain(400, 400) });
  const state = new WorldState({ meta: new MetaState() });
  const projection = new Projection(world, state);
  const interest = new Interest(world, projection, { radius: 20, exitRadius: 25, refreshEvery: 5 });
  const spawn = (x: number, y: number, faction = 'm', tags: Record<string, string> = {}) => {
    const r = spawnActor(world, { kind: 'monster', behaviour: 'monster', params: { wanderSpeed: 0, perception: 0.5 }, body: { x, y, faction }, tags });
    if (!r.ok) throw new Error(r.error);
    return r.id;
  };
  return { world, state, projection, interest, spawn };
}

describe('interest management', () => {
  it('shows what is within the radius, keeps it until beyond the exit radius, and never the far world', () => {
    const { world, projection, interest, spawn } = setup();
    const me = spawn(100, 100, 'players');
    const near = spawn(110, 100);
    const edge = spawn(122, 100); // between radius and exit radius
    const far = spawn(300, 300);
    projection.apply(step(world));
    projection.syncAll();
    const view = interest.open('s1', me);
    const visible = () => [...interest.visible('s1')].sort((a, b) => a - b);
    expect(visible()).toEqual([me, near]);
    expect(view.has(projection.entity(far)!)).toBe(false);

    // The avatar steps toward the edge entity: it enters within 20.
    world.actors.get(me)!.body!.x = 103;
    step(world);
    interest.refreshOne('s1');
    expect(visible()).toEqual([me, near, edge]);
    // Back off to 23 away: inside the exit radius, it stays (no flicker).
    world.actors.get(me)!.body!.x = 99;
    step(world);
    interest.refreshOne('s1');
    expect(visible()).toContain(edge);
    // Beyond 25: it leaves.
    world.actors.get(me)!.body!.x = 95;
    step(world);
    interest.refreshOne('s1');
    expect(visible()).not.toContain(edge);
    expect(view.has(projection.entity(edge)!)).toBe(false);
  });

  it('refreshes views at a bounded, staggered rate', () => {
    const { world, projection, interest, spawn } = setup();
    const a = spawn(50, 50, 'players');
    const b = spawn(200, 200, 'players');
    projection.apply(step(world));
    projection.syncAll();
    interest.open('a', a);
    interest.open('b', b);
    const newcomer = spawn(55, 50);
    const other = spawn(205, 200);
    projection.apply(step(world));
    projection.syncAll();
    const firstSeen = new Map<string, number>();
    for (let tick = 1; tick <= 5; tick++) {
      interest.refresh(tick);
      if (interest.visible('a').has(newcomer) && !firstSeen.has('a')) firstSeen.set('a', tick);
      if (interest.visible('b').has(other) && !firstSeen.has('b')) firstSeen.set('b', tick);
    }
    expect(firstSeen.size).toBe(2); // each view refreshed within 5 ticks
    expect(firstSeen.get('a')).not.toBe(firstSeen.get('b')); // staggered, not all on one tick
  });

  it('forgets entities that leave the world', () => {
    const { world, projection, interest, spawn } = setup();
    const me = spawn(10, 10, 'players');
    const gone = spawn(12, 10);
    projection.apply(step(world));
    projection.syncAll();
    interest.open('s', me);
    expect(interest.visible('s').has(gone)).toBe(true);
    const report = step(world, undefined, { inputs: [{ type: 'stop', actor: gone }] });
    interest.forget(report.removed);
    projection.apply(report);
    expect(interest.visible('s').has(gone)).toBe(false);
    expect(projection.entity(gone)).toBeUndefined();
  });
});

describe('speech and players follow the view', () => {
  /** Two players 280 tiles apart, a monster next to the first, a narrator (bodiless), and a wire to two clients. */
  function twoFarApart() {
    const s = setup();
    const { world, state, projection, interest, spawn } = s;
    const a = spawn(100, 100, 'players', { name: 'ann' });
    const b = spawn(300, 300, 'players', { name: 'bob' });
    const near = spawn(104, 100, 'm', { species: 'wolf' });
    const narrator = spawnActor(world, (coordinatorSpawn() as { spec: SpawnSpec }).spec);
    if (!narrator.ok) throw new Error(narrator.error);
    projection.apply(step(world));
    projection.syncAll();
    const pa = new PlayerState({ name: 'ann', actor: a });
    const pb = new PlayerState({ name: 'bob', actor: b });
    state.players.set('a', pa);
    state.players.set('b', pb);
    const wire = new Wire(state);
    const ca = wire.join(interest.open('a', a, pa));
    const cb = wire.join(interest.open('b', b, pb));
    /** Put `id` at (x, y) and run a step (the spatial index is rebuilt every step). */
    const place = (id: number, x: number, y: number) => {
      const body = world.actors.get(id)!.body!;
      body.x = x;
      body.y = y;
      projection.apply(step(world));
    };
    return { ...s, a, b, near, narrator: narrator.id, pa, pb, wire, ca, cb, place };
  }

  it('a line reaches the clients that can see its speaker as it is said, and no one else', () => {
    const { projection, interest, a, b, near, narrator, wire, ca, cb } = twoFarApart();
    projection.say(near, 'bark', 'Grr, ann.');
    projection.say(a, 'say', 'Hello, beast.');
    projection.say(b, 'say', 'Anyone out here?');
    projection.say(narrator, 'say', 'The gates open.');
    wire.patch();
    expect(texts(ca)).toEqual(['Grr, ann.', 'Hello, beast.', 'The gates open.']);
    expect(texts(cb)).toEqual(['Anyone out here?', 'The gates open.']);
    // Each line names its speaker (the chat log shows it); a bodiless speaker is the narrator.
    expect(lines(ca).map((l) => l.name)).toEqual(['wolf', 'ann', 'Narrator']);
    expect(ca.errors.concat(cb.errors)).toEqual([]);
    expect(interest.visible('b').has(near)).toBe(false);
  });

  it('a client that comes near hears what is said from then on, not the lines said before', () => {
    const { projection, interest, b, near, wire, ca, cb, place } = twoFarApart();
    projection.say(near, 'bark', 'Before.');
    wire.patch();
    expect(texts(cb)).toEqual([]);
    place(b, 102, 100);
    interest.refreshOne('b');
    projection.say(near, 'bark', 'After.');
    wire.patch();
    expect(texts(cb)).toEqual(['After.']);
    expect(texts(ca)).toEqual(['Before.', 'After.']);
    // Walking away again does not take back what was heard; new lines no longer arrive.
    place(b, 300, 300);
    interest.refreshOne('b');
    projection.say(near, 'bark', 'Gone.');
    wire.patch();
    expect(texts(cb)).toEqual(['After.']);
    expect(texts(ca)).toEqual(['Before.', 'After.', 'Gone.']);
  });

  it('lines age out of the state and out of every client after a few seconds', () => {
    const { world, projection, near, wire, ca } = twoFarApart();
    projection.say(near, 'bark', 'Soon forgotten.');
    wire.patch();
    expect(texts(ca)).toEqual(['Soon forgotten.']);
    const ticks = Math.ceil(6 / world.config.dt);
    for (let i = 0; i < ticks; i++) projection.apply(step(world));
    wire.patch();
    expect(texts(ca)).toEqual(['Soon forgotten.']); // kept for 6 s of simulation time
    projection.apply(step(world));
    wire.patch();
    expect(texts(ca)).toEqual([]);
  });

  it('a client holds its own player entry always, and another\'s while that avatar is in its view', () => {
    const { state, interest, a, b, pb, wire, ca, cb, place } = twoFarApart();
    wire.patch();
    expect(playerKeys(ca)).toEqual(['a']);
    expect(playerKeys(cb)).toEqual(['b']);
    expect(ca.state.players.get('a')!.actor).toBe(a);
    place(b, 103, 101);
    interest.refreshOne('a');
    interest.refreshOne('b');
    wire.patch();
    expect(playerKeys(ca)).toEqual(['a', 'b']);
    expect(playerKeys(cb)).toEqual(['a', 'b']);
    pb.connected = false; // a change to a visible entry reaches the clients that hold it
    wire.patch();
    expect(ca.state.players.get('b')!.connected).toBe(false);
    place(b, 300, 300);
    interest.refreshOne('a');
    interest.refreshOne('b');
    wire.patch();
    expect(playerKeys(ca)).toEqual(['a']);
    expect(playerKeys(cb)).toEqual(['b']); // its own entry stays even though its view moved
    // The player leaves: its entry leaves every client that held it.
    place(b, 103, 101);
    interest.refreshOne('a');
    wire.patch();
    expect(playerKeys(ca)).toEqual(['a', 'b']);
    interest.playerLeft(b);
    state.players.delete('b');
    interest.close('b');
    wire.patch();
    expect(playerKeys(ca)).toEqual(['a']);
    expect(ca.errors).toEqual([]);
  });

  it('each client holds exactly the lines said in its view, through joins mid-tick and lines ageing out (seeded)', () => {
    const { world, state, projection, interest, spawn } = setup();
    const rng = Rng.create('speech-fuzz');
    const players = Array.from({ length: 24 }, (_, i) => spawn(rng.float(20, 100), rng.float(20, 100), 'players', { name: `p${i}` }));
    const monsters = Array.from({ length: 30 }, () => spawn(rng.float(20, 100), rng.float(20, 100)));
    projection.apply(step(world));
    projection.syncAll();
    const wire = new Wire(state);
    const joined = new Map<string, WireClient>();
    const joining: [string, WireClient][] = [];
    /** Lines each client's view held the speaker of, as they were said. */
    const heard = new Map<string, Set<number>>();
    const mismatches: string[] = [];
    let aged = 0;
    for (let t = 0; t < 400; t++) {
      if (heard.size < players.length && rng.chance(0.1)) {
        const key = `c${heard.size}`, actor = players[heard.size] as number;
        const entry = new PlayerState({ name: key, actor });
        state.players.set(key, entry);
        joining.push([key, wire.connect(interest.open(key, actor, entry))]);
        heard.set(key, new Set());
      }
      for (const id of players) {
        const b = world.actors.get(id)!.body!;
        b.x = Math.min(180, Math.max(0, b.x + rng.float(-1.5, 1.5)));
        b.y = Math.min(180, Math.max(0, b.y + rng.float(-1.5, 1.5)));
      }
      const report = step(world);
      interest.forget(report.removed);
      const before = state.speech.size;
      projection.apply(report);
      aged += before - state.speech.size;
      // Busy at first (the room-wide bound evicts), then quiet (lines age out).
      for (let n = rng.int(0, t < 200 ? 5 : 1); n > 0; n--) {
        const speaker = rng.pick([...players, ...monsters]);
        const seq = projection.linesSaid + 1;
        for (const [key, set] of heard) if (interest.visible(key).has(speaker)) set.add(seq);
        projection.say(speaker, 'say', `line ${seq}`);
      }
      interest.refresh(world.tick);
      // A client's join completes between steps, with changes pending (as a join ack arrives between patches).
      if (joining.length && rng.chance(0.3)) {
        const [key, c] = joining.shift()!;
        c.admit();
        joined.set(key, c);
      }
      if (!rng.chance(0.7)) continue;
      wire.patch();
      for (const [key, c] of joined) {
        const want = [...heard.get(key)!].filter((seq) => state.speech.has(String(seq))).sort((a, b) => a - b);
        const got = lines(c).map((l) => l.seq);
        if (JSON.stringify(got) !== JSON.stringify(want) && mismatches.length < 3) mismatches.push(`tick ${world.tick} ${key}: got ${got.join(',')} want ${want.join(',')}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect([...joined.values()].flatMap((c) => c.errors)).toEqual([]);
    expect(joined.size).toBeGreaterThan(5);
    expect(aged).toBeGreaterThan(50);
    expect(projection.linesSaid - state.speech.size - aged).toBeGreaterThan(50); // evicted by the room-wide bound
    expect([...joined.values()].some((c) => c.state.speech.size > 3)).toBe(true);
  });

  it('costs one view operation per client that hears a line, not one per client in the room', () => {
    const { world, projection, interest, spawn, near, narrator } = twoFarApart();
    const others = Array.from({ length: 20 }, (_, i) => spawn(200 + 3 * i, 200, 'players'));
    projection.apply(step(world));
    projection.syncAll();
    others.forEach((id, i) => interest.open(`far${i}`, id));
    const adds = vi.spyOn(StateView.prototype, 'add');
    try {
      projection.say(near, 'bark', 'Only ann hears this.');
      expect(adds).toHaveBeenCalledTimes(1);
      adds.mockClear();
      projection.say(narrator, 'say', 'Everyone hears this.');
      expect(adds).toHaveBeenCalledTimes(22);
    } finally {
      adds.mockRestore();
    }
  });
});

describe('what a client receives over the real transport', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Put actor `id` on a walkable tile near (x, y); the room's next step re-indexes it. */
  function teleport(room: WorldRoom, id: number, x: number, y: number): void {
    for (let r = 0; r < 16; r++) {
      for (let dx = -r; dx <= r; dx++) {
        for (let dy = -r; dy <= r; dy++) {
          const tx = Math.floor(x) + dx, ty = Math.floor(y) + dy;
          if (!room.gen.isWalkable(tx, ty)) continue;
          const body = room.sim.world.actors.get(id)!.body!;
          body.x = tx + 0.5;
          body.y = ty + 0.5;
          return;
        }
      }
    }
    throw new Error(`no walkable tile near (${x}, ${y})`);
  }

  it('talk and a plan near one player do not reach a player far away; once near, new ones do', async () => {
    const a = await join(server.url, { name: 'alice' }, 'new');
    await waitFor('alice spawned', () => a.avatar() && a.mirror.entities.has(String(a.avatar())));
    const b = await join(server.url, { name: 'bob' }, a.room.roomId);
    await waitFor('bob spawned', () => b.avatar() && b.mirror.entities.has(String(b.avatar())));
    const room = serverRoom(a.room.roomId);
    const sa = () => a.room.state as unknown as WorldState;
    const sb = () => b.room.state as unknown as WorldState;
    const alice = a.avatar(), bob = b.avatar();
    const aliceId = a.room.sessionId, bobId = b.room.sessionId;
    // Joins spread over the world: bob comes next to alice, and each holds the other's player entry.
    const at = room.sim.world.actors.get(alice)!.body!;
    teleport(room, bob, at.x + 3, at.y + 1);
    await waitFor('each holds the other\'s entry', () => sa().players.has(bobId) && sb().players.has(aliceId));

    // Bob goes far away: out of each other's view, entries included (his own stays).
    teleport(room, bob, 90, 90);
    await waitFor('out of each other\'s view', () => !a.mirror.entities.has(String(bob)) && !b.mirror.entities.has(String(alice)));
    await waitFor('entries follow the avatars', () => !sa().players.has(bobId) && !sb().players.has(aliceId));
    expect(sb().players.get(bobId)?.actor).toBe(bob);

    // Alice talks to a creature next to her, and a pack engages her.
    const me = room.sim.world.actors.get(alice)!.body!;
    room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 0.1, wanderSpeed: 0, damage: 0 }, body: { x: me.x + 0.8, y: me.y, faction: 'dummies', maxHp: 200 }, tags: { species: 'dummy', name: 'Dummy' } } });
    const dummy = await waitFor('dummy in view', () => {
      for (const [id, e] of a.mirror.entities) if (e.kind === 'monster' && e.hp === 200 && Math.abs(e.x - me.x - 0.8) < 0.01) return Number(id);
      return null;
    });
    a.room.send('talk', { to: dummy, text: 'Hello there, beast!' });
    for (let i = 0; i < 3; i++) {
      room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { damage: 0 }, body: { x: me.x - 6 - 1.5 * i, y: me.y + 3 + i, faction: 'wild', maxHp: 30 }, tags: { species: 'wolf', name: `Wolf${i}`, pack: 'view-test' } } });
    }
    const line = await waitFor('alice hears herself', () => [...sa().speech.values()].find((l) => l.actor === alice && l.text === 'Hello there, beast!'));
    expect(line.name).toBe('alice');
    await waitFor('alice holds the plan', () => sa().plans.has('view-test'));
    const tick = sa().meta.tick;
    await waitFor('bob has had the patches of that moment', () => sb().meta.tick > tick + 5);
    expect([...sb().speech.values()].filter((l) => l.actor === alice || l.actor === dummy)).toEqual([]);
    expect(sb().plans.has('view-test')).toBe(false);

    // Bob comes back: the pack's plan enters his view with it, and what alice says next reaches him.
    teleport(room, bob, me.x + 2, me.y - 2);
    await waitFor('bob sees alice', () => b.mirror.entities.has(String(alice)));
    await waitFor('bob holds the plan', () => sb().plans.has('view-test'));
    await waitFor('bob holds alice\'s entry', () => sb().players.get(aliceId)?.name === 'alice');
    a.room.send('talk', { to: dummy, text: 'Bob is back.' });
    const heard = await waitFor('bob hears alice', () => [...sb().speech.values()].find((l) => l.actor === alice && l.text === 'Bob is back.'));
    expect(heard.name).toBe('alice');
    expect([...sb().speech.values()].some((l) => l.text === 'Hello there, beast!')).toBe(false); // said before he came
    await a.room.leave();
    await b.room.leave();
  });
});

describe('projection', () => {
  it('copies only what changed', () => {
    const { world, projection, interest, spawn } = setup();
    const idle = spawn(10, 10);
    const mover = spawn(50, 50, 'players');
    projection.apply(step(world));
    projection.syncAll();
    interest.open('near both', mover);
    interest.open('at idle', idle);
    const e = projection.entity(idle)!;
    const before = e.x;
    world.actors.get(mover)!.body!.vx = 2;
    const report = step(world);
    expect(report.changed).toContain(mover);
    expect(report.changed).not.toContain(idle);
    projection.apply(report);
    expect(projection.entity(mover)!.x).toBeCloseTo(50.1, 5);
    expect(projection.entity(mover)!.anim).toBe('walk');
    expect(e.x).toBe(before);
  });

  it('writes facing only when it turned by a few degrees', () => {
    const { world, projection, interest, spawn } = setup();
    const me = spawn(50, 50, 'players');
    projection.apply(step(world));
    projection.syncAll();
    interest.open('s', me);
    const body = world.actors.get(me)!.body!;
    const e = projection.entity(me)!;
    body.vx = 2;
    body.vy = 0;
    projection.apply(step(world));
    expect(e.heading).toBe(0);
    body.vx = 2;
    body.vy = 0.05; // about 1.4°: not worth a patch
    projection.apply(step(world));
    expect(body.heading).toBeGreaterThan(0.02);
    expect(e.heading).toBe(0);
    body.vx = 2;
    body.vy = 0.5; // about 14°
    projection.apply(step(world));
    expect(e.heading).toBe(Math.fround(body.heading));
    expect(e.x).toBe(Math.fround(body.x)); // position is written every step regardless
  });

  it('leaves bodies no view holds unwritten, and brings them up to date as they enter a view', () => {
    const { world, projection, interest, spawn } = setup();
    const me = spawn(100, 100, 'players');
    const runner = spawn(160, 100, 'players');
    projection.apply(step(world));
    projection.syncAll();
    interest.open('s', me);
    const e = projection.entity(runner)!;
    const x0 = e.x;
    const body = world.actors.get(runner)!.body!;
    body.vx = -2;
    let report = step(world);
    expect(report.changed).toContain(runner);
    projection.apply(report);
    expect(e.x).toBe(x0); // changed, but nobody can see it

    body.x = 112; // now within the view's radius
    report = step(world);
    projection.apply(report);
    expect(e.x).toBe(x0);
    interest.refreshOne('s');
    expect(interest.visible('s').has(runner)).toBe(true);
    expect(e.x).toBe(Math.fround(body.x));
    expect(e.anim).toBe('walk');

    // Held by a view, it is written every step; once the view closes, no longer.
    body.vx = -2;
    projection.apply(step(world));
    expect(e.x).toBe(Math.fround(body.x));
    interest.close('s');
    const held = e.x;
    body.vx = -2;
    projection.apply(step(world));
    expect(e.x).toBe(held);
    expect(body.x).not.toBe(held);
  });
});

describe('client message validation', () => {
  it('names the bad field', () => {
    expect(checkClientMessage('move', { dir: { x: 0.5, y: -1 } })).toMatchObject({ ok: true });
    expect(checkClientMessage('move', { to: { x: 3, y: 4 } })).toMatchObject({ ok: true });
    expect(checkClientMessage('move', { dir: { x: 0, y: 0 }, to: { x: 1, y: 1 } })).toMatchObject({ ok: false, error: expect.stringMatching(/exactly one of dir or to/) });
    expect(checkClientMessage('attack', { target: -1 })).toMatchObject({ ok: false, error: expect.stringMatching(/^attack\.target/) });
    expect(checkClientMessage('talk', { to: 3, text: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/^talk\.text/) });
    expect(checkClientMessage('ping', null)).toMatchObject({ ok: false });
    expect(normaliseText('  hi\u0000\u0007 there \n friend ')).toBe('hi there friend');
    expect(normaliseText('x'.repeat(500))).toHaveLength(280);
  });
});

describe('rate limiter', () => {
  it('accepts a burst, warns once, drops, then disconnects; a calm client regains its standing', () => {
    const r = new RateLimiter({ perSecond: 10, burst: 5, toleranceAfterWarning: 3 }, 0);
    const at = (t: number) => r.take(t);
    expect([at(0), at(0), at(0), at(0), at(0)]).toEqual(['accept', 'accept', 'accept', 'accept', 'accept']);
    expect(at(0)).toBe('warn');
    expect([at(0), at(0), at(0)]).toEqual(['drop', 'drop', 'drop']);
    expect(at(0)).toBe('disconnect');
    const calm = new RateLimiter({ perSecond: 10, burst: 5, toleranceAfterWarning: 3 }, 0);
    for (let i = 0; i < 6; i++) calm.take(0);
    expect(calm.take(1000)).toBe('accept'); // a second later the bucket is full again
    for (let i = 0; i < 4; i++) calm.take(1000);
    expect(calm.take(1000)).toBe('warn'); // a fresh warning, not a disconnect
  });
});
