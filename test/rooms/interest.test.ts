import { describe, expect, it } from 'vitest';
import { createWorld, defaultRegistry, FlatTerrain, spawnActor, step } from '../../actors/index.ts';
import { Interest, MetaState, Projection, RateLimiter, WorldState, checkClientMessage, normaliseText } from '../../rooms/index.ts';

function setup() {
  const world = createWorld({ seed: 'interest', registry: defaultRegistry(), terrain: new FlatTerrain(400, 400) });
  const state = new WorldState({ meta: new MetaState() });
  const projection = new Projection(world, state);
  const interest = new Interest(world, projection, { radius: 20, exitRadius: 25, refreshEvery: 5 });
  const spawn = (x: number, y: number, faction = 'm') => {
    const r = spawnActor(world, { kind: 'monster', behaviour: 'monster', params: { wanderSpeed: 0, perception: 0.5 }, body: { x, y, faction } });
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
