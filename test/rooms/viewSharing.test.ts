// Cell sharing of views (rooms/interest.ts): the clients whose avatars are in one cell share one StateView,
// encoded once per patch; a client that changes cells is moved to the new cell's view without losing or
// duplicating anything. Colyseus' own SchemaSerializer encodes, a Decoder per client decodes (test/rooms/wire.ts).
import { Encoder } from '@colyseus/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorld, defaultRegistry, FlatTerrain, spawnActor, step } from '../../actors/index.ts';
import { Interest, MetaState, PlayerState, Projection, WorldState } from '../../rooms/index.ts';
import type { ViewSharing } from '../../rooms/index.ts';
import { Rng } from '../../shared/index.ts';
import { playerKeys, texts, Wire } from './wire.ts';
import type { WireClient } from './wire.ts';

const RADIUS = 20, EXIT = 25;

function setup(sharing: ViewSharing = 'cell') {
  const world = createWorld({ seed: 'sharing', registry: defaultRegistry(), terrain: new FlatTerrain(400, 400) });
  const state = new WorldState({ meta: new MetaState() });
  const projection = new Projection(world, state);
  const wire = new Wire(state);
  const interest = new Interest(world, projection, { radius: RADIUS, exitRadius: EXIT, refreshEvery: 5, sharing }, wire.seats);
  wire.hooks = interest;
  const spawn = (x: number, y: number, faction = 'm', tags: Record<string, string> = {}) => {
    const r = spawnActor(world, { kind: 'monster', behaviour: 'monster', params: { wanderSpeed: 0, perception: 0.5 }, body: { x, y, faction }, tags });
    if (!r.ok) throw new Error(r.error);
    return r.id;
  };
  /** Run a step as the room does: forget the removed, project. */
  const tick = () => {
    const report = step(world);
    interest.forget(report.removed);
    projection.apply(report);
  };
  const place = (id: number, x: number, y: number) => {
    const b = world.actors.get(id)!.body!;
    b.x = x;
    b.y = y;
  };
  /** A player's avatar, its entry in the state, and its client joined with the view the Interest opens. */
  const player = (key: string, actor: number, admit = true) => {
    const entry = new PlayerState({ name: key, actor });
    state.players.set(key, entry);
    const view = interest.open(key, actor, entry);
    return admit ? wire.join(view, key) : wire.connect(view, key);
  };
  return { world, state, projection, interest, wire, spawn, tick, place, player };
}

const ids = (c: WireClient) => [...c.state.entities.keys()].map(Number).sort((a, b) => a - b);
const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('clients in one cell share one view', () => {
  /** Two players in cell (5, 5) (x and y in [100, 120)), a monster just outside the cell, one far away. */
  function twoInACell() {
    const s = setup();
    const a = s.spawn(105, 105, 'players', { name: 'ann' });
    const b = s.spawn(112, 108, 'players', { name: 'bob' });
    const near = s.spawn(125, 105); // 5 outside the cell: within the radius of ann
    const far = s.spawn(300, 300);
    s.tick();
    s.projection.syncAll();
    const ca = s.player('a', a);
    expect(s.wire.viewOf('a')).toBe(s.interest.viewOf('a')); // alone in its cell: a view of its own
    const cb = s.player('b', b);
    // Bob is given the cell's view at once (he has not received the full state); ann, who had, moves over to it.
    s.wire.patch();
    s.wire.patch();
    return { ...s, a, b, near, far, ca, cb };
  }

  it('one StateView, encoded once per patch, and both clients receive the entities and their changes', () => {
    const { interest, wire, world, tick, a, b, near, far, ca, cb } = twoInACell();
    expect(interest.viewOf('a')).toBeDefined();
    expect(interest.viewOf('a')).toBe(interest.viewOf('b'));
    expect(wire.viewOf('a')).toBe(wire.viewOf('b'));
    expect(interest.size).toBe(1);
    const encodeView = vi.spyOn(Encoder.prototype, 'encodeView');
    expect(ids(ca)).toEqual(sorted([a, b, near]));
    expect(ids(cb)).toEqual(sorted([a, b, near]));
    expect(ids(ca)).not.toContain(far);
    expect(playerKeys(ca)).toEqual(['a', 'b']);
    expect(playerKeys(cb)).toEqual(['a', 'b']);
    // A change to a shared entity: one view encoding for both clients.
    encodeView.mockClear();
    world.actors.get(near)!.body!.vx = 2;
    tick();
    wire.patch();
    expect(encodeView).toHaveBeenCalledTimes(1);
    expect(ca.state.entities.get(String(near))!.x).toBeCloseTo(125.1, 4);
    expect(cb.state.entities.get(String(near))!.x).toBeCloseTo(125.1, 4);
    expect(ca.errors.concat(cb.errors)).toEqual([]);
  });

  it('a client joining a cell whose view already holds entities receives them all with the full state', () => {
    const { wire, spawn, tick, projection, player, a, b, near, ca } = twoInACell();
    wire.patch();
    wire.patch();
    const c = spawn(115, 115, 'players', { name: 'cid' });
    tick();
    projection.syncAll();
    const cc = player('c', c);
    expect(wire.viewOf('c')).toBe(wire.viewOf('a'));
    // Before any patch: the full state on join holds what the shared view holds.
    expect(ids(cc)).toEqual(expect.arrayContaining([a, b, near]));
    wire.patch();
    expect(ids(cc)).toEqual(sorted([a, b, c, near]));
    expect(ids(ca)).toEqual(sorted([a, b, c, near]));
    expect(playerKeys(cc)).toEqual(['a', 'b', 'c']);
    expect(cc.errors.concat(ca.errors)).toEqual([]);
  });

  it('a view change with no state change reaches every client of the view', () => {
    const { wire, interest, spawn, world, projection, ca, cb } = twoInACell();
    wire.patch();
    // A monster enters the state unseen (no view holds it yet), then the views are refreshed without a step.
    const late = spawn(110, 112);
    projection.apply(step(world));
    projection.syncAll();
    wire.patch();
    interest.refreshOne('a');
    expect(interest.needsSharedPass()).toBe(true);
    wire.patch();
    expect(ids(ca)).toContain(late);
    expect(ids(cb)).toContain(late);
  });

  it('lines said in the cell reach every client of it; a client in another cell does not hear them', () => {
    const { wire, projection, spawn, tick, player, near, ca, cb } = twoInACell();
    const d = spawn(300, 305, 'players');
    tick();
    projection.syncAll();
    const cd = player('d', d);
    projection.say(near, 'bark', 'Grr.');
    wire.patch();
    expect(texts(ca)).toEqual(['Grr.']);
    expect(texts(cb)).toEqual(['Grr.']);
    expect(texts(cd)).toEqual([]);
  });

  it('who sees an actor (hits, streamed speech) is every client whose view holds it', () => {
    const { interest, spawn, tick, projection, player, wire, near, far } = twoInACell();
    const d = spawn(302, 300, 'players');
    tick();
    projection.syncAll();
    player('d', d);
    wire.patch();
    expect(interest.audienceOf(near).sort()).toEqual(['a', 'b']);
    expect(interest.audienceOf(far)).toEqual(['d']);
  });

  it('a player\'s entry reaches others only with its avatar: a client that has not spawned holds a view of its own', () => {
    const { state, interest, wire, ca, cb } = twoInACell();
    const entry = new PlayerState({ name: 'eve' });
    state.players.set('e', entry);
    const ce = wire.join(interest.open('e', 0, entry), 'e');
    expect(wire.viewOf('e')).not.toBe(wire.viewOf('a'));
    wire.patch();
    expect(playerKeys(ce)).toEqual(['e']);
    expect(playerKeys(ca)).toEqual(['a', 'b']);
    expect(playerKeys(cb)).toEqual(['a', 'b']);
  });
});

describe('a client that changes cells', () => {
  it('is moved to the new cell\'s view and keeps seeing what is within its radius, with nothing lost or duplicated', () => {
    const s = setup();
    const a = s.spawn(105, 105, 'players');
    const b = s.spawn(112, 108, 'players');
    const west = s.spawn(95, 105); // within ann's radius now; far from the eastern cell
    const east = s.spawn(165, 105); // far now; within ann's radius in the eastern cell
    const d = s.spawn(155, 110, 'players'); // already in the eastern cell (7, 5)
    s.tick();
    s.projection.syncAll();
    const ca = s.player('a', a);
    const cb = s.player('b', b);
    const cd = s.player('d', d);
    s.wire.patch();
    s.wire.patch();
    expect(ids(ca)).toContain(west);
    expect(ids(ca)).not.toContain(east);
    expect(s.wire.viewOf('a')).toBe(s.wire.viewOf('b'));
    expect(s.wire.viewOf('d')).not.toBe(s.wire.viewOf('a')); // alone in its cell: a view of its own

    // Ann walks east, into cell (7, 5), beyond what bob's cell holds (its square plus 30).
    s.place(a, 152, 105);
    s.tick();
    s.interest.refreshOne('a');
    s.interest.refreshOne('b');
    s.wire.patch();
    // For one patch she (and dan, and bob, now alone) holds a view of her own, which turns what she holds into
    // what the cell's view holds...
    expect(s.interest.settled('a')).toBe(false);
    expect(s.wire.viewOf('a')).not.toBe(s.wire.viewOf('d'));
    expect(s.wire.viewOf('a')).not.toBe(s.wire.viewOf('b'));
    s.wire.patch();
    // ... then the cell's view itself, shared with dan.
    expect(s.interest.settled('a')).toBe(true);
    expect(s.wire.viewOf('a')).toBe(s.wire.viewOf('d'));
    expect(ids(ca)).toEqual(ids(cd));
    expect(ids(ca)).toContain(east);
    expect(ids(ca)).not.toContain(west);
    expect(ids(ca)).toContain(a);
    expect(playerKeys(ca)).toEqual(['a', 'd']);
    // Bob stayed: he no longer holds ann's entry.
    expect(playerKeys(cb)).toEqual(['b']);
    // Changes keep flowing to her through the shared view.
    s.world.actors.get(east)!.body!.vy = 2;
    s.tick();
    s.wire.patch();
    expect(ca.state.entities.get(String(east))!.y).toBeCloseTo(105.1, 4);
    expect(ca.errors.concat(cb.errors, cd.errors)).toEqual([]);
  });

  it('moving into a cell no one holds, it is sent what it lacks once, never again', () => {
    const s = setup();
    const a = s.spawn(105, 105, 'players');
    const b = s.spawn(105, 300, 'players');
    const pack = Array.from({ length: 12 }, (_, i) => s.spawn(202 + (i % 4) * 3, 105 + Math.floor(i / 4) * 3));
    s.tick();
    s.projection.syncAll();
    const ca = s.player('a', a);
    const cb = s.player('b', b);
    s.wire.patch();
    // Both walk into cell (9, 5), which no view shows yet.
    s.place(a, 195, 105);
    s.place(b, 196, 110);
    s.tick();
    s.interest.refreshOne('a');
    s.interest.refreshOne('b');
    s.wire.patch(); // each given a view of its own on the way to the cell's
    s.wire.patch(); // what each lacked arrives
    expect(s.interest.settled('a')).toBe(true);
    expect(s.wire.viewOf('a')).toBe(s.wire.viewOf('b'));
    expect(ids(ca)).toEqual(sorted([a, b, ...pack]));
    const settled = ca.bytes;
    s.tick();
    s.wire.patch(); // the cell's view, which no client received before: only the tick, not the pack again
    expect(ca.bytes - settled).toBeLessThan(24);
    expect(ca.errors.concat(cb.errors)).toEqual([]);
  });

  it('stays in its cell within the margin outside it (no flicker at the edge)', () => {
    const s = setup();
    const a = s.spawn(105, 105, 'players');
    const b = s.spawn(108, 108, 'players');
    s.tick();
    s.projection.syncAll();
    s.player('a', a);
    s.player('b', b);
    s.wire.patch();
    s.wire.patch();
    const view = s.wire.viewOf('a');
    expect(view).toBe(s.wire.viewOf('b'));
    for (const x of [118, 122, 124, 121, 119]) { // up to 4 past the edge at 120; the margin is 5
      s.place(a, x, 105);
      s.tick();
      s.interest.refreshOne('a');
      s.wire.patch();
      expect(s.wire.viewOf('a'), `at x = ${x}`).toBe(view);
    }
    s.place(a, 126, 105);
    s.tick();
    s.interest.refreshOne('a');
    s.wire.patch();
    expect(s.wire.viewOf('a')).not.toBe(view);
    s.wire.patch();
    expect(s.wire.viewOf('a')).not.toBe(s.wire.viewOf('b')); // each alone now: views of their own
  });

  it('holds exactly its view, everything within its radius, and lets go only beyond its radius (seeded walk, joins mid-way)', () => {
    const s = setup();
    const rng = Rng.create('cells-fuzz');
    const walkers = Array.from({ length: 14 }, (_, i) => s.spawn(rng.float(60, 200), rng.float(60, 200), 'players', { name: `p${i}` }));
    const monsters = Array.from({ length: 50 }, () => s.spawn(rng.float(40, 220), rng.float(40, 220)));
    s.tick();
    s.projection.syncAll();
    const joined = new Map<string, { c: WireClient; actor: number }>();
    const joining: { key: string; c: WireClient; actor: number }[] = [];
    const problems: string[] = [];
    const note = (p: string) => {
      if (problems.length < 5) problems.push(p);
    };
    let moves = 0, checks = 0, shared = 0;
    const before = new Map<string, Set<number>>();
    for (let t = 0; t < 600; t++) {
      const n = joined.size + joining.length;
      if (n < walkers.length && rng.chance(0.08)) {
        const key = `c${n}`, actor = walkers[n] as number;
        joining.push({ key, actor, c: s.player(key, actor, false) });
      }
      for (const id of [...walkers, ...monsters]) {
        const b = s.world.actors.get(id)!.body!;
        const speed = walkers.includes(id) ? 0.6 : 0.2;
        b.x = Math.min(240, Math.max(20, b.x + rng.float(-speed, speed) + (walkers.includes(id) ? 0.15 : 0)));
        b.y = Math.min(240, Math.max(20, b.y + rng.float(-speed, speed)));
      }
      s.tick();
      if (rng.chance(0.3)) s.projection.say(rng.pick([...walkers, ...monsters]), 'say', `line at ${t}`);
      const views = new Map([...joined.keys()].map((k) => [k, s.wire.viewOf(k)]));
      s.interest.refresh(s.world.tick);
      if (joining.length && rng.chance(0.3)) {
        const j = joining.shift()!;
        j.c.admit();
        joined.set(j.key, j);
      }
      // Every client holds at least what is within its radius once its view is refreshed.
      if (t % 37 === 0) {
        for (const [key, { actor }] of joined) {
          s.interest.refreshOne(key);
          const me = s.world.actors.get(actor)!.body!;
          const held = s.interest.visible(key);
          for (const b of s.world.spatial.within(me.x, me.y, RADIUS)) if (!held.has(b.id)) note(`tick ${t} ${key}: ${b.id} within the radius is not in its view`);
        }
      }
      if (!rng.chance(0.7)) continue;
      s.wire.patch();
      if (new Set([...joined.keys()].map((k) => s.wire.viewOf(k))).size < joined.size) shared++;
      for (const [key, { c, actor }] of joined) {
        if (views.get(key) !== s.wire.viewOf(key)) moves++;
        const got = new Set(ids(c));
        const me = s.world.actors.get(actor)!.body!;
        // What it let go of is beyond its radius (no flicker of what it should see).
        for (const id of before.get(key) ?? []) {
          if (got.has(id)) continue;
          const b = s.world.actors.get(id)?.body;
          if (b && Math.hypot(b.x - me.x, b.y - me.y) <= RADIUS) note(`tick ${t} ${key}: lost ${id} at ${Math.hypot(b.x - me.x, b.y - me.y).toFixed(1)}`);
        }
        before.set(key, got);
        if (!got.has(actor)) note(`tick ${t} ${key}: does not hold its own avatar`);
        if (c.state.players.get(key)?.actor !== actor) note(`tick ${t} ${key}: does not hold its own entry`);
        // A client settled in its cell holds exactly what the cell's view holds.
        if (s.interest.settled(key)) {
          checks++;
          const want = sorted(s.interest.visible(key));
          if (JSON.stringify(sorted(got)) !== JSON.stringify(want)) note(`tick ${t} ${key}: holds ${sorted(got).join(',')} but its view ${want.join(',')}`);
        }
        for (const [k, p] of c.state.players) if (k !== key && !got.has(p.actor)) note(`tick ${t} ${key}: holds ${k}'s entry without its avatar`);
      }
    }
    expect(problems).toEqual([]);
    expect([...joined.values()].flatMap(({ c }) => c.errors)).toEqual([]);
    expect(joined.size).toBeGreaterThan(8);
    expect(moves).toBeGreaterThan(20); // clients did change cells
    expect(checks).toBeGreaterThan(1000);
    expect(shared).toBeGreaterThan(50); // clients did share views
    expect([...joined.values()].some(({ c }) => c.state.speech.size > 0)).toBe(true);
  });
});

describe('per-client views (VIEW_SHARING=client)', () => {
  it('gives each client a view of its own, even in one cell, holding what is within its radius', () => {
    const s = setup('client');
    const a = s.spawn(105, 105, 'players');
    const b = s.spawn(112, 108, 'players');
    const mid = s.spawn(100, 90); // 15.8 from a, 20.6 from b
    s.tick();
    s.projection.syncAll();
    const ca = s.player('a', a);
    const cb = s.player('b', b);
    s.wire.patch();
    expect(s.wire.viewOf('a')).not.toBe(s.wire.viewOf('b'));
    expect(s.interest.size).toBe(2);
    expect(ids(ca)).toContain(mid);
    expect(ids(cb)).not.toContain(mid);
    expect(s.interest.needsSharedPass()).toBe(false);
  });
});
