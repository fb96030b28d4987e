import { describe, expect, it } from 'vitest';
import { captureWorld, createWorld, FlatTerrain, ghostInputs, ghostsWithin, restoreWorld, stateHash, step, zoneIdRange } from '../../actors/index.ts';
import type { GhostBody, MonsterState, SpawnSpec, World, WorldInput } from '../../actors/index.ts';
import { logOf, registry } from './helpers.ts';

const A = zoneIdRange(0, 0);
const B = zoneIdRange(1, 0);
/** An id of zone B: the ghosts zone A sees. */
const HERO = B.idBase;

function world(extra: Partial<Parameters<typeof createWorld>[0]> = {}): World {
  return createWorld({ seed: 'ghosts', registry: registry(), terrain: new FlatTerrain(64, 64), ...A, ...extra });
}

function stepWith(w: World, inputs: WorldInput[] = []): ReturnType<typeof step> {
  return step(w, w.config.dt, { inputs });
}

function hero(x: number, y: number, more: Partial<GhostBody> = {}): GhostBody {
  return { id: HERO, kind: 'player', x, y, radius: 0.4, hp: 100, maxHp: 100, faction: 'players', tags: { name: 'Mira' }, ...more };
}

const wolf: SpawnSpec = { kind: 'monster', behaviour: 'monster', body: { x: 10, y: 10, faction: 'wolves', speed: 3 }, params: { personality: false, activation: 0, perception: 8 } };

describe('ghosts', () => {
  it('a monster chases a ghost player of the neighbouring zone; its blows are reported, not applied', () => {
    const a = world();
    stepWith(a, [{ type: 'spawn', spec: wolf }, { type: 'ghosts', source: '1,0', ghosts: [hero(15, 10)] }]);
    const id = A.idBase;
    let remote: { attacker: number; target: number; damage: number }[] = [];
    let chased = false;
    for (let i = 0; i < 80 && remote.length === 0; i++) {
      const out = stepWith(a, [{ type: 'ghosts', source: '1,0', ghosts: [hero(15, 10)] }]);
      const s = a.actors.get(id)?.state as MonsterState;
      if (s.mode === 'chase' && s.target === HERO) chased = true;
      expect(out.attacks).toEqual([]);
      remote = [...out.remoteAttacks];
    }
    expect(chased).toBe(true);
    expect(remote).toEqual([{ attacker: id, target: HERO, damage: 10 }]);
    expect(a.ghosts.get(HERO)?.body.hp).toBe(100);
    // The ghost is no actor here: not stepped, not counted.
    expect(a.actors.has(HERO)).toBe(false);
    expect(a.actors.size).toBe(1);
    expect(a.stats.spawned).toBe(1);
  });

  it('a monster hit from across the border goes after the ghost that hit it, beyond its own perception', () => {
    const a = world();
    const g = hero(15, 10);
    stepWith(a, [{ type: 'spawn', spec: { ...wolf, params: { personality: false, activation: 0, perception: 2, leash: 4 } } }, { type: 'ghosts', source: '1,0', ghosts: [g] }]);
    const out = stepWith(a, [{ type: 'damage', actor: A.idBase, amount: 5, source: HERO }, { type: 'ghosts', source: '1,0', ghosts: [g] }]);
    expect(out.attacks).toEqual([{ attacker: HERO, target: A.idBase, damage: 5, hp: 95, killed: false }]);
    for (let i = 0; i < 5; i++) stepWith(a, [{ type: 'ghosts', source: '1,0', ghosts: [g] }]);
    const s = a.actors.get(A.idBase)?.state as MonsterState;
    expect([s.mode, s.target]).toEqual(['chase', HERO]);
    expect(a.actors.get(A.idBase)?.body?.vx).toBeGreaterThan(0);
  });

  it('a shielded ghost player is not picked as a target', () => {
    const a = world();
    stepWith(a, [{ type: 'spawn', spec: wolf }]);
    for (let i = 0; i < 40; i++) stepWith(a, [{ type: 'ghosts', source: '1,0', ghosts: [hero(13, 10, { shielded: true })] }]);
    expect((a.actors.get(A.idBase)?.state as MonsterState).target).toBe(0);
  });

  it('a damage input applies a blow from another zone as a local one: hp, the hit message, attacks, death', () => {
    const b = createWorld({ seed: 'ghosts', registry: registry(), terrain: new FlatTerrain(64, 64), ...B });
    stepWith(b, [{ type: 'spawn', spec: { kind: 'player', behaviour: 'recorder', body: { x: 5, y: 5, faction: 'players', maxHp: 25 } } }]);
    const wolfId = A.idBase;
    const out = stepWith(b, [{ type: 'damage', actor: HERO, amount: 10, source: wolfId }]);
    expect(out.attacks).toEqual([{ attacker: wolfId, target: HERO, damage: 10, hp: 15, killed: false }]);
    expect(out.changed).toContain(HERO);
    const last = stepWith(b, [{ type: 'damage', actor: HERO, amount: 20, source: wolfId }]);
    expect(last.attacks).toEqual([{ attacker: wolfId, target: HERO, damage: 20, hp: 0, killed: true }]);
    expect(b.actors.get(HERO)?.body?.alive).toBe(false);
    expect(b.stats.deaths).toBe(1);
    stepWith(b);
    expect(logOf(b, HERO)).toEqual(['hit', 'hit', 'died']);
    const bad = stepWith(b, [{ type: 'damage', actor: 12, amount: 5, source: wolfId }, { type: 'damage', actor: HERO, amount: -1, source: wolfId }]);
    expect(bad.problems.map((p) => [p.code, p.message])).toEqual([
      ['dead-letter', 'damage input for actor 12, which does not exist here or has no body'],
      ['invalid-input', `damage input: need { actor: actor id, amount: finite number >= 0, source: actor id }, got actor ${HERO}, amount -1, source ${wolfId}`],
    ]);
  });

  it('sends to a ghost or to an id not here come out as undelivered; only the unknown id is a dead letter', () => {
    const a = world();
    stepWith(a, [{ type: 'spawn', spec: { kind: 'npc', behaviour: 'recorder', body: { x: 1, y: 1 } } }, { type: 'ghosts', source: '1,0', ghosts: [hero(3, 3)] }]);
    const toGhost = { type: 'signal', topic: 'help', from: A.idBase, data: 1 } as const;
    const toNobody = { type: 'signal', topic: 'pack', from: A.idBase } as const;
    const out = stepWith(a, [
      { type: 'send', to: HERO, message: toGhost },
      { type: 'send', to: B.idBase + 7, message: toNobody },
      { type: 'send', to: A.idBase, message: toNobody },
    ]);
    expect(out.undelivered).toEqual([{ to: HERO, message: toGhost }, { to: B.idBase + 7, message: toNobody }]);
    expect(out.problems.map((p) => [p.code, p.actor])).toEqual([['dead-letter', B.idBase + 7]]);
    expect(logOf(a, A.idBase)).toEqual(['signal:pack']);
  });

  it('ghost players count as players for level of detail', () => {
    const near = world({ lodRadius: 10 });
    const alone = world({ lodRadius: 10 });
    for (const w of [near, alone]) stepWith(w, [{ type: 'spawn', spec: { ...wolf, params: { personality: false, activation: 0, perception: 2 } } }]);
    for (let i = 0; i < 12; i++) {
      stepWith(near, [{ type: 'ghosts', source: '1,0', ghosts: [hero(14, 10)] }]);
      stepWith(alone);
    }
    expect(near.actors.get(A.idBase)?.far).toBe(false);
    expect(alone.actors.get(A.idBase)?.far).toBe(true);
  });

  it('each source replaces its own set; an id living here is never shadowed; bad entries are named and skipped', () => {
    const a = world();
    stepWith(a, [{ type: 'spawn', spec: wolf }]);
    const other = { ...hero(30, 30), id: HERO + 1, kind: 'monster', faction: 'bears' };
    stepWith(a, [
      { type: 'ghosts', source: '1,0', ghosts: [hero(20, 20), other] },
      { type: 'ghosts', source: '0,1', ghosts: [{ ...other, id: B.idBase + 50 }, { ...hero(1, 1), id: A.idBase }] },
    ]);
    expect(a.ghosts.size).toBe(3);
    expect(a.ghosts.get(A.idBase)).toBeUndefined();
    expect(a.spatial.size).toBe(4);
    const out = stepWith(a, [{ type: 'ghosts', source: '1,0', ghosts: [hero(21, 20), { ...other, x: 'far' } as unknown as GhostBody] }]);
    expect(out.problems.map((p) => p.message)).toEqual([`ghosts input from '1,0': ghosts[1].x: expected a finite number, got "far"`]);
    expect(a.ghosts.size).toBe(2);
    expect(a.ghosts.get(HERO)?.body.x).toBe(21);
    expect(a.ghosts.get(B.idBase + 50)?.source).toBe('0,1');
    const bad = stepWith(a, [{ type: 'ghosts', source: '', ghosts: [] }, { type: 'ghosts', source: '1,0', ghosts: null as never }]);
    expect(bad.problems.map((p) => p.code)).toEqual(['invalid-input', 'invalid-input']);
    stepWith(a, [{ type: 'ghosts', source: '1,0', ghosts: [] }]);
    expect(a.ghosts.size).toBe(1);
    expect(a.ghosts.players.size).toBe(0);
  });

  it('adopting an actor replaces its ghost', () => {
    const b = createWorld({ seed: 'ghosts', registry: registry(), terrain: new FlatTerrain(64, 64), ...B });
    const a = world();
    stepWith(b, [{ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: 5, y: 5, faction: 'players' } } }]);
    const margin = ghostsWithin(b, 0, 0, 12, 64);
    expect(margin.map((g) => [g.id, g.kind, g.x, g.y])).toEqual([[HERO, 'player', 5, 5]]);
    stepWith(a, [{ type: 'ghosts', source: '1,0', ghosts: margin }]);
    expect(a.ghosts.players.has(HERO)).toBe(true);
    const transfer = stepWith(b, [{ type: 'release', actor: HERO }]).released[0]?.transfer;
    const out = stepWith(a, [{ type: 'adopt', transfer: transfer as never }]);
    expect(out.adopted).toEqual([HERO]);
    expect(a.ghosts.get(HERO)).toBeUndefined();
    expect(a.ghosts.players.size).toBe(0);
    expect(a.players.has(HERO)).toBe(true);
    expect(a.spatial.size).toBe(1);
  });

  it('ghosts are left out of the state hash and of snapshots', () => {
    const a = world();
    const twin = world();
    for (const w of [a, twin]) stepWith(w, [{ type: 'spawn', spec: { kind: 'npc', behaviour: 'recorder', body: { x: 1, y: 1 } } }]);
    stepWith(a, [{ type: 'ghosts', source: '1,0', ghosts: [hero(40, 40)] }]);
    stepWith(twin);
    expect(stateHash(a)).toBe(stateHash(twin));
    const restored = restoreWorld(captureWorld(a), { registry: a.registry, terrain: a.terrain });
    expect(restored.ghosts.size).toBe(0);
    expect(restored.spatial.size).toBe(1);
    expect(stateHash(restored)).toBe(stateHash(a));
  });

  it('ghostInputs taken at capture let a restored zone replay exactly what the live one did', () => {
    const a = world();
    stepWith(a, [{ type: 'spawn', spec: wolf }, { type: 'ghosts', source: '1,0', ghosts: [hero(15, 10), { ...hero(40, 40), id: HERO + 3, kind: 'monster', faction: 'bears' }] }]);
    stepWith(a, [{ type: 'ghosts', source: '0,1', ghosts: [{ ...hero(12, 14), id: B.idBase + 99, kind: 'npc', faction: 'village', tags: { name: 'Ada' } }] }]);
    const image = captureWorld(a);
    const margin = ghostInputs(a);
    expect(margin.map((i) => i.type === 'ghosts' && [i.source, i.ghosts.map((g) => g.id)])).toEqual([['1,0', [HERO, HERO + 3]], ['0,1', [B.idBase + 99]]]);
    const restored = restoreWorld(image, { registry: a.registry, terrain: a.terrain });
    stepWith(restored, margin);
    stepWith(a);
    for (let i = 0; i < 40; i++) {
      stepWith(restored);
      stepWith(a);
    }
    expect((a.actors.get(A.idBase)?.state as MonsterState).target).toBe(HERO);
    expect(stateHash(restored)).toBe(stateHash(a));
    expect(restored.ghosts.get(B.idBase + 99)?.tags).toEqual({ name: 'Ada' });
  });
});
