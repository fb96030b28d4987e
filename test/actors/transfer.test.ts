import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import {
  captureWorld, createWorld, decodeSnapshot, encodeSnapshotNow, FlatTerrain, liveActors, replay, restoreWorld, Simulation, stateHash, step, transferBytes, transferFromBytes,
  TransferError, zoneIdBase, zoneIdRange, zoneOfId,
} from '../../actors/index.ts';
import type { ActorTransfer, SpawnSpec, World, WorldInput } from '../../actors/index.ts';
import { logOf, registry, script } from './helpers.ts';

const SEED = 'zones';
const A = zoneIdRange(0, 0);
const B = zoneIdRange(1, 0);

function world(ids: { idBase: number; idEnd: number }, walls: [number, number][] = [], extra: Partial<Parameters<typeof createWorld>[0]> = {}): World {
  return createWorld({ seed: SEED, registry: registry(), terrain: new FlatTerrain(96, 64, walls), ...ids, ...extra });
}

function monster(x: number, y: number, faction: string, maxHp = 30): SpawnSpec {
  return {
    kind: 'monster', behaviour: 'monster', body: { x, y, faction, maxHp, speed: 3 },
    params: { personality: false, activation: 0, fleeBelow: 0, respawnDelay: 2.5, cooldown: 0.7, damage: 10 },
  };
}

/** Everything the simulation keeps of one actor, with its timers as (key, due) to 1e-9 s. */
function actorView(w: World, id: number): unknown {
  const a = w.actors.get(id);
  if (!a) return null;
  const timers = w.timers.entries().filter((t) => t.actor === id && a.timerKeys?.get(t.key) === t.seq).map((t) => [t.key, Math.round(t.due * 1e9) / 1e9, t.data ?? null]);
  const b = a.body;
  return {
    state: a.state, status: a.status, incarnation: a.incarnation, far: a.far, mailbox: a.mailbox.toArray(), rng: a.rng?.save().alea ?? null, timers,
    body: b && { x: b.x, y: b.y, vx: b.vx, vy: b.vy, heading: b.heading, hp: b.hp, alive: b.alive, homeX: b.homeX, homeY: b.homeY },
  };
}

function stepWith(w: World, inputs: WorldInput[] = []): ReturnType<typeof step> {
  return step(w, w.config.dt, { inputs });
}

describe('zone id ranges', () => {
  it('give each zone 2^22 ids below 2^32 and tell the zone of an id', () => {
    expect(zoneIdBase(-16, -16)).toBe(1);
    expect(zoneIdRange(15, 15).idEnd - 1).toBe(2 ** 32 - 1);
    expect(zoneIdRange(0, 0)).toEqual({ idBase: 1 + 528 * 2 ** 22, idEnd: 529 * 2 ** 22 });
    expect(zoneOfId(zoneIdBase(3, -7))).toEqual({ zx: 3, zy: -7 });
    expect(zoneOfId(zoneIdRange(3, -7).idEnd - 1)).toEqual({ zx: 3, zy: -7 });
    expect(zoneOfId(2 ** 32 - 1)).toEqual({ zx: 15, zy: 15 });
    expect(() => zoneOfId(2 ** 32)).toThrow(RangeError);
    expect(() => zoneIdBase(16, 0)).toThrow(/zx must be an integer in -16\.\.15, got 16/);
    expect(() => zoneIdBase(0, 1.5)).toThrow(RangeError);
    expect(() => zoneOfId(0)).toThrow(/zoneOfId: id must be an integer/);
  });

  it('a world hands out ids from its idBase and refuses spawns past idEnd', () => {
    const w = createWorld({ seed: SEED, registry: registry(), terrain: new FlatTerrain(8, 8), idBase: 100, idEnd: 102 });
    const out = stepWith(w, [1, 2, 3].map(() => ({ type: 'spawn', spec: { kind: 'thing', behaviour: 'recorder' } })));
    expect(out.spawned).toEqual([100, 101]);
    expect(out.problems[0]?.message).toMatch(/no actor ids left: this world hands out ids 100\.\.101/);
    expect(() => createWorld({ seed: SEED, registry: registry(), terrain: new FlatTerrain(8, 8), idBase: 0 })).toThrow(/idBase/);
  });
});

describe('actor transfer', () => {
  it('a fighting pair released by zone A and adopted by zone B goes on exactly as in a world where it stayed', () => {
    const reference = world(A);
    const a = world(A);
    const b = world(B);
    const spawns: WorldInput[] = [
      { type: 'spawn', spec: monster(10, 10, 'wolves', 25) },
      { type: 'spawn', spec: monster(13, 10, 'bears', 60) },
      { type: 'spawn', spec: monster(40, 40, 'deer') },
    ];
    stepWith(reference, spawns);
    stepWith(a, spawns);
    stepWith(b);
    const ids = [A.idBase, A.idBase + 1, A.idBase + 2];
    for (let i = 0; i < 30; i++) {
      stepWith(reference);
      stepWith(a);
      stepWith(b);
    }
    for (const id of ids) expect(actorView(a, id)).toEqual(actorView(reference, id));

    // Released by A and adopted by B in the same step (B steps after A, as zones of one process do).
    stepWith(reference);
    const released = stepWith(a, ids.map((actor) => ({ type: 'release', actor })));
    expect(released.removed).toEqual(ids);
    const transfers = released.released.map((r) => transferFromBytes(transferBytes(r.transfer)));
    expect(released.released.map((r) => r.actor)).toEqual(ids);
    expect(a.actors.size).toBe(0);
    expect(a.spatial.size).toBe(0);
    expect(a.timers.size).toBe(0);
    const adopted = stepWith(b, transfers.map((transfer) => ({ type: 'adopt', transfer })));
    expect(adopted.adopted).toEqual(ids);
    expect(adopted.spawned).toEqual(ids);
    expect(adopted.problems).toEqual([]);

    const deaths = { reference: [] as number[], b: [] as number[] };
    const respawns = { reference: [] as number[], b: [] as number[] };
    const watch = (w: World, out: ReturnType<typeof step>, into: keyof typeof deaths): void => {
      for (const at of out.attacks) if (at.killed) deaths[into].push(w.tick);
      const wolf = w.actors.get(ids[0] as number)?.body;
      if (wolf && wolf.alive && out.changed.includes(wolf.id) && wolf.hp === wolf.maxHp && deaths[into].length > respawns[into].length) respawns[into].push(w.tick);
    };
    for (let i = 0; i < 240; i++) {
      watch(reference, stepWith(reference), 'reference');
      watch(b, stepWith(b), 'b');
      for (const id of ids) expect(actorView(b, id), `actor ${id} at tick ${b.tick}`).toEqual(actorView(reference, id));
    }
    // It was a real fight: deaths, and respawns on their timers, at the same ticks in both.
    expect(deaths.b.length).toBeGreaterThan(0);
    expect(respawns.b.length).toBeGreaterThan(0);
    expect(deaths.b).toEqual(deaths.reference);
    expect(respawns.b).toEqual(respawns.reference);
  });

  it('a timer and a pending ask travel: the timer fires at the same time, the ask fails with moved', () => {
    const go = script('transfer-go', (_s, m) => (m.type === 'signal' && m.topic === 'go'
      ? { effects: [{ type: 'timer', key: 'ring', delay: 1.5, data: { n: 1 } }, { type: 'ask', port: 'think', payload: {}, timeout: 5 }, { type: 'ask', port: 'chat', payload: {}, timeout: 5, key: 'p7' }] }
      : undefined));
    const spec: SpawnSpec = { kind: 'npc', behaviour: 'recorder', params: { script: go }, body: { x: 5, y: 5 } };
    const reference = world(A);
    const a = world(A);
    const b = world(B);
    for (const w of [reference, a]) stepWith(w, [{ type: 'spawn', spec }]);
    stepWith(b);
    const id = A.idBase;
    for (const w of [reference, a]) stepWith(w, [{ type: 'send', to: id, message: { type: 'signal', topic: 'go', from: 0 } }]);
    stepWith(b);
    const requestIds = a.out.requests.map((r) => r.requestId);
    expect(requestIds).toHaveLength(2);
    for (const w of [reference, a, b]) stepWith(w);

    const out = stepWith(a, [{ type: 'release', actor: id }]);
    const transfer = out.released[0]?.transfer as ActorTransfer;
    expect(transfer.waiting).toEqual([{ port: 'think' }, { port: 'chat', key: 'p7' }]);
    expect(transfer.timers).toHaveLength(1);
    expect(transfer.timers[0]?.key).toBe('ring');
    expect(transfer.timers[0]?.delay).toBeCloseTo(1.5 - 2 * a.config.dt, 9);
    expect(a.pending.size).toBe(0);
    stepWith(b, [{ type: 'adopt', transfer }]);
    stepWith(reference);
    // A late answer in A finds nobody: it is not delivered to anyone.
    const late = step(a, a.config.dt, { replies: [{ requestId: requestIds[0] as number, ok: true, value: 1 }] });
    expect(late.problems.map((p) => p.code)).toEqual(['late-reply']);

    let firedAt = { reference: 0, b: 0 };
    for (let i = 0; i < 40; i++) {
      stepWith(reference);
      stepWith(b);
      if (!firedAt.reference && logOf(reference, id).includes('timer:ring')) firedAt = { ...firedAt, reference: reference.tick };
      if (!firedAt.b && logOf(b, id).includes('timer:ring')) firedAt = { ...firedAt, b: b.tick };
    }
    expect(firedAt.b).toBeGreaterThan(0);
    expect(firedAt.b).toBe(firedAt.reference);
    expect(logOf(b, id)).toEqual(['signal:go', 'reply:think:error:moved', 'reply:chat:error:moved', 'timer:ring']);
    expect(b.actors.get(id)?.asks ?? null).toBeNull();
  });

  it('a monster whose personality was still being asked for asks again in its new zone', () => {
    const a = world(A);
    const b = world(B);
    // It asks on its first tick, the step it is spawned in.
    const asked = stepWith(a, [{ type: 'spawn', spec: { ...monster(5, 5, 'wolves'), params: { activation: 0 } } }]);
    expect(asked.requests.map((r) => r.port)).toEqual(['personality']);
    const transfer = stepWith(a, [{ type: 'release', actor: A.idBase }]).released[0]?.transfer as ActorTransfer;
    expect(transfer.waiting).toEqual([{ port: 'personality' }]);
    // The `moved` reply comes first in its new mailbox, then its tick asks again, in the step it arrives.
    const again = stepWith(b, [{ type: 'adopt', transfer }]);
    expect(again.requests.map((r) => [r.port, r.actor])).toEqual([['personality', A.idBase]]);
  });

  it('a monster whose path search was in flight asks for a path again after adoption', () => {
    // A wall between a wolf and its prey: the wolf stops at it and asks for a path; the search is slow (1 node a step).
    const walls: [number, number][] = [];
    for (let y = 2; y < 30; y++) walls.push([20, y]);
    const opts = { pathExpansionsPerStep: 1 };
    const a = world(A, walls, opts);
    const b = world(B, walls, opts);
    stepWith(a, [
      { type: 'spawn', spec: { ...monster(18, 15, 'wolves'), params: { personality: false, activation: 0, perception: 12, leash: 4 } } },
      { type: 'spawn', spec: { kind: 'prey', behaviour: 'recorder', body: { x: 23, y: 15, faction: 'deer' } } },
    ]);
    const wolf = A.idBase;
    let asked = false;
    for (let i = 0; i < 100 && !asked; i++) {
      stepWith(a);
      stepWith(b);
      asked = a.pathOf.has(wolf);
    }
    expect(asked).toBe(true);
    const out = stepWith(a, [{ type: 'release', actor: wolf }]);
    expect(a.pathOf.has(wolf)).toBe(false);
    expect([...a.pathJobs.values()].some((j) => j.actor === wolf)).toBe(false);
    expect(a.paths.pending).toBe(0);
    // B sees the prey as a ghost of A.
    stepWith(b, [
      { type: 'adopt', transfer: out.released[0]?.transfer as ActorTransfer },
      { type: 'ghosts', source: 'zone 0,0', ghosts: [{ id: A.idBase + 1, kind: 'prey', x: 23, y: 15, radius: 0.4, hp: 100, maxHp: 100, faction: 'deer' }] },
    ]);
    let askedAgain = false;
    for (let i = 0; i < 60 && !askedAgain; i++) {
      stepWith(b);
      askedAgain = b.pathOf.has(wolf);
    }
    expect(askedAgain).toBe(true);
  });

  it('a replayed adoption is refused and changes nothing; releasing what cannot leave is refused with the reason', () => {
    const a = world(A);
    const b = world(B);
    const parent = script('transfer-parent', (_s, m) => (m.type === 'signal' && m.topic === 'spawn' ? { effects: [{ type: 'spawn', spec: { kind: 'pup', behaviour: 'recorder', body: { x: 2, y: 2 } } }] } : undefined));
    stepWith(a, [
      { type: 'spawn', spec: monster(5, 5, 'wolves') },
      { type: 'spawn', spec: { kind: 'manager', behaviour: 'recorder' } },
      { type: 'spawn', spec: { kind: 'den', behaviour: 'recorder', params: { script: parent }, body: { x: 3, y: 3 } } },
    ]);
    stepWith(a, [{ type: 'send', to: A.idBase + 2, message: { type: 'signal', topic: 'spawn', from: 0 } }]);
    stepWith(a);
    expect(a.actors.get(A.idBase + 2)?.children).toEqual([A.idBase + 3]);
    const out = stepWith(a, [
      { type: 'release', actor: A.idBase },
      { type: 'release', actor: 999 },
      { type: 'release', actor: A.idBase + 1 },
      { type: 'release', actor: A.idBase + 2 },
      { type: 'release', actor: -1 as number },
    ]);
    expect(out.released.map((r) => r.actor)).toEqual([A.idBase]);
    // Step reports are refilled in place each step: keep what is needed.
    const transfer = out.released[0]?.transfer as ActorTransfer;
    expect(out.problems.map((p) => [p.code, p.message])).toEqual([
      ['refused-transfer', 'release input refused: actor 999 does not exist here'],
      ['refused-transfer', `release input refused: actor ${A.idBase + 1} (recorder) has no body: only actors with a body move between worlds`],
      ['refused-transfer', `release input refused: actor ${A.idBase + 2} (recorder) has children (${A.idBase + 3}): stop or move them first`],
      ['invalid-input', 'release input: actor must be a positive integer actor id, got -1'],
    ]);
    // The child can leave: its parent forgets it.
    const child = stepWith(a, [{ type: 'release', actor: A.idBase + 3 }]);
    expect(child.released).toHaveLength(1);
    expect(a.actors.get(A.idBase + 2)?.children).toEqual([]);

    stepWith(b, [{ type: 'adopt', transfer }]);
    for (let i = 0; i < 10; i++) stepWith(b);
    const twin = restoreWorld(captureWorld(b), { registry: b.registry, terrain: b.terrain });
    const again = step(b, b.config.dt, { inputs: [{ type: 'adopt', transfer }] });
    stepWith(twin);
    expect(again.adopted).toEqual([]);
    expect(again.problems.map((p) => [p.code, p.actor])).toEqual([['refused-transfer', A.idBase]]);
    expect(again.problems[0]?.message).toBe(`adopt input refused: adopt: actor ${A.idBase} already lives here (a replayed adoption?)`);
    // The same as a step without the replay.
    expect(stateHash(b)).toBe(stateHash(twin));
    expect(b.actors.size).toBe(1);
  });

  it('adopted actors keep ascending id order with the world own ones; a snapshot round trip keeps order and hash', () => {
    const a = world(A);
    const b = world(B);
    stepWith(a, [{ type: 'spawn', spec: monster(5, 5, 'wolves') }, { type: 'spawn', spec: monster(8, 5, 'wolves') }]);
    stepWith(b, [{ type: 'spawn', spec: monster(70, 5, 'bears') }]);
    for (let i = 0; i < 5; i++) { stepWith(a); stepWith(b); }
    const out = stepWith(a, [{ type: 'release', actor: A.idBase + 1 }, { type: 'release', actor: A.idBase }]);
    expect(out.released.map((r) => r.actor)).toEqual([A.idBase + 1, A.idBase]);
    stepWith(b, out.released.map((r) => ({ type: 'adopt', transfer: r.transfer })));
    stepWith(b, [{ type: 'spawn', spec: monster(72, 5, 'bears') }]);
    const order = liveActors(b).map((x) => x.id);
    expect(order).toEqual([A.idBase, A.idBase + 1, B.idBase, B.idBase + 1]);

    const bytes = encodeSnapshotNow(captureWorld(b), null);
    const restored = restoreWorld(decodeSnapshot(bytes).image, { registry: b.registry, terrain: b.terrain });
    expect(liveActors(restored).map((x) => x.id)).toEqual(order);
    expect(stateHash(restored)).toBe(stateHash(b));
    for (let i = 0; i < 60; i++) {
      stepWith(b);
      stepWith(restored);
    }
    expect(stateHash(restored)).toBe(stateHash(b));
  });

  it('an actor coming back to the zone that spawned it moves that zone past its id', () => {
    const a = world(A);
    const b = world(B);
    stepWith(a, [{ type: 'spawn', spec: monster(5, 5, 'wolves') }, { type: 'spawn', spec: monster(6, 5, 'wolves') }]);
    const image = captureWorld(a);
    const out = stepWith(a, [{ type: 'release', actor: A.idBase + 1 }]);
    stepWith(b, [{ type: 'adopt', transfer: out.released[0]?.transfer as ActorTransfer }]);
    const back = stepWith(b, [{ type: 'release', actor: A.idBase + 1 }]);
    // Zone A comes back from a snapshot taken before the actor left, minus that actor (it was handed over since).
    const older = restoreWorld(image, { registry: a.registry, terrain: a.terrain });
    stepWith(older, [{ type: 'release', actor: A.idBase + 1 }]);
    older.nextId = A.idBase + 1;
    const r = stepWith(older, [{ type: 'adopt', transfer: back.released[0]?.transfer as ActorTransfer }]);
    expect(r.adopted).toEqual([A.idBase + 1]);
    expect(older.nextId).toBe(A.idBase + 2);
    const spawned = stepWith(older, [{ type: 'spawn', spec: monster(9, 9, 'wolves') }]);
    expect(spawned.spawned).toEqual([A.idBase + 2]);
  });

  it('refuses transfers from a world of another seed, or of a behaviour this build lacks, saying so', () => {
    const a = world(A);
    stepWith(a, [{ type: 'spawn', spec: monster(5, 5, 'wolves') }]);
    const t = stepWith(a, [{ type: 'release', actor: A.idBase }]).released[0]?.transfer as ActorTransfer;
    const other = createWorld({ seed: 'elsewhere', registry: registry(), terrain: new FlatTerrain(8, 8), ...B });
    const out = stepWith(other, [{ type: 'adopt', transfer: t }, { type: 'adopt', transfer: { ...t, seed: 'elsewhere', behaviour: 'dragon' } }, { type: 'adopt', transfer: { ...t, body: { ...t.body, x: 'a' } } as never }]);
    expect(out.problems.map((p) => p.message)).toEqual([
      `adopt input refused: adopt: actor ${A.idBase} comes from a world of seed 'zones', this one is 'elsewhere'`,
      expect.stringMatching(/adopt: actor \d+: behaviour 'dragon' is not known to this server \(known: monster, player, recorder\)/),
      'adopt input refused: adopt: transfer.body.x: expected a finite number, got "a"',
    ]);
    expect(other.actors.size).toBe(0);
  });

  it('transferBytes round-trips through MessagePack; transferFromBytes names what is wrong', () => {
    const a = world(A);
    stepWith(a, [{ type: 'spawn', spec: monster(5, 5, 'wolves') }]);
    for (let i = 0; i < 20; i++) stepWith(a);
    const t = stepWith(a, [{ type: 'release', actor: A.idBase }]).released[0]?.transfer as ActorTransfer;
    const bytes = transferBytes(t);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(transferFromBytes(bytes)).toEqual(JSON.parse(JSON.stringify(t)));
    expect(() => transferFromBytes(bytes.subarray(0, bytes.length - 3))).toThrow(TransferError);
    expect(() => transferFromBytes(bytes.subarray(0, bytes.length - 3))).toThrow(new RegExp(`actor transfer: ${bytes.length - 3} bytes are not readable MessagePack`));
    expect(() => transferFromBytes(new Uint8Array([0xc1]))).toThrow(/actor transfer: format: expected 'lairmind-actor'/);
    expect(() => transferFromBytes('x' as unknown as Uint8Array)).toThrow(/expected bytes \(Uint8Array\), got string/);
    expect(() => transferFromBytes(transferBytesUnchecked({ ...t, version: 9 }))).toThrow(/version: this server reads actor transfers of version 1, got 9/);
    expect(() => transferFromBytes(transferBytesUnchecked({ ...t, timers: [{ key: 'x', delay: 'soon' }] }))).toThrow(/timers\[0\]\.delay: expected a finite number of seconds, got "soon"/);
    expect(() => transferBytes({ ...t, body: null } as never)).toThrow(/body: expected an object \(only actors with a body travel\)/);
  });
});

/** MessagePack of any value (to build damaged transfers). */
function transferBytesUnchecked(value: unknown): Uint8Array {
  return new Packr({ useRecords: true, moreTypes: false, bundleStrings: false }).pack(value);
}

describe('a zone started later', () => {
  it('starts at the world clock, and its event log replays from there', () => {
    const terrain = new FlatTerrain(32, 32);
    const sim = new Simulation({ seed: SEED, registry: registry(), terrain, ...B, startTick: 1200 });
    expect(sim.world.tick).toBe(1200);
    expect(sim.world.time).toBeCloseTo(60, 9);
    sim.input({ type: 'spawn', spec: monster(5, 5, 'wolves') });
    sim.run(50);
    expect(sim.world.tick).toBe(1250);
    const again = replay(JSON.parse(JSON.stringify(sim.log)), { registry: registry(), terrain });
    expect(again.world.tick).toBe(1250);
    expect(again.hash()).toBe(sim.hash());
    expect([...again.world.actors.keys()]).toEqual([B.idBase]);
    expect(() => createWorld({ seed: SEED, registry: registry(), terrain, startTick: -1 })).toThrow(/startTick must be an integer >= 0, got -1/);
  });
});

describe('event logs of a zone', () => {
  it('record adoptions, ghosts and remote blows, and replay them to the same state', () => {
    const terrain = new FlatTerrain(96, 64);
    const a = new Simulation({ seed: SEED, registry: registry(), terrain, ...A, record: false });
    const b = new Simulation({ seed: SEED, registry: registry(), terrain, ...B });
    a.input({ type: 'spawn', spec: monster(60, 10, 'wolves') });
    a.run(10);
    b.run(10);
    a.input({ type: 'release', actor: A.idBase });
    const transfer = a.step().released[0]?.transfer as ActorTransfer;
    b.input({ type: 'adopt', transfer: JSON.parse(JSON.stringify(transfer)) as ActorTransfer });
    b.input({ type: 'ghosts', source: '0,0', ghosts: [{ id: A.idBase + 9, kind: 'monster', x: 62, y: 10, radius: 0.4, hp: 50, maxHp: 50, faction: 'bears' }] });
    b.step();
    b.input({ type: 'damage', actor: A.idBase, amount: 7, source: A.idBase + 9 });
    b.run(60);
    const again = replay(JSON.parse(JSON.stringify(b.log)), { registry: registry(), terrain });
    expect(again.hash()).toBe(b.hash());
    expect(again.world.actors.get(A.idBase)?.body?.hp).toBe(b.world.actors.get(A.idBase)?.body?.hp);
  });
});
