import { describe, expect, it } from 'vitest';
import type { Decision, Perception, ThinkRequest, Traits } from '../../actors/index.ts';
import type { SessionFactory } from '../../minds/index.ts';
import { ORDERS } from '../../minds/index.ts';
import { Rng } from '../../shared/index.ts';
import { PERCEPTION, TRAITS, quietService, req } from './helpers.ts';

/** Varied encounters with a threat in sight. */
function encounters(seed: string, n: number): Perception[] {
  const rng = Rng.create(seed);
  return Array.from({ length: n }, () => ({
    threatDist: rng.float(0.5, 15), threatBearing: rng.float(-3, 3), allyDist: rng.chance(0.5) ? rng.float(1, 15) : -1, allyBearing: rng.float(-3, 3),
    health: rng.float(0.1, 1), targetHealth: rng.float(0.1, 1), packNearby: rng.int(0, 4), terrainCost: 1, cover: rng.float(0, 0.5), sinceHit: rng.float(0, 60),
    order: 'none' as const,
  }));
}

const share = (ds: readonly Decision[], action: string): number => ds.filter((d) => d.action === action).length / ds.length;

describe('think mind (policy model)', () => {
  it('loads and runs on onnxruntime, one decision per request', async () => {
    const { service, logs } = await quietService();
    expect(service.status().policy).toBe('onnxruntime');
    const replies = await service.think.serve([req(10, 'think', { perception: PERCEPTION, traits: TRAITS }), req(11, 'think', { perception: { ...PERCEPTION, threatDist: -1 }, traits: TRAITS })]);
    expect(replies.map((r) => r.requestId)).toEqual([10, 11]);
    for (const r of replies) {
      expect(r.ok).toBe(true);
      const d = (r as { value: Decision }).value;
      expect(d.source).toBe('model');
      expect(d.confidence).toBeGreaterThan(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
    }
    expect(logs).toEqual([]);
  });

  it('a batch gives the same decisions as single calls', async () => {
    const { service } = await quietService();
    const batch: ThinkRequest[] = encounters('batch', 64).map((p, i) => ({ perception: { ...p, order: ORDERS[i % ORDERS.length] as Perception['order'] }, traits: { ...TRAITS, aggression: (i % 10) / 10 } }));
    const together = await service.think.decide(batch);
    const single: Decision[] = [];
    for (const b of batch) single.push(...(await service.think.decide([b])));
    expect(together.map((d) => d.action)).toEqual(single.map((d) => d.action));
    together.forEach((d, i) => expect(d.confidence).toBeCloseTo((single[i] as Decision).confidence, 5));
  });

  it('traits shift decisions: more aggressive attacks more, less courage retreats sooner', async () => {
    const { service } = await quietService();
    const world = encounters('traits', 400);
    const decide = (t: Traits): Promise<Decision[]> => service.think.decide(world.map((perception) => ({ perception, traits: t })));
    const meek = await decide({ ...TRAITS, aggression: 0.1 });
    const fierce = await decide({ ...TRAITS, aggression: 0.9 });
    expect(share(fierce, 'attack')).toBeGreaterThan(share(meek, 'attack') + 0.1);

    // At each health level, a coward retreats at least as often as a brave one; the coward starts retreating at higher health.
    const healthAtWhichRetreats = async (courage: number): Promise<number> => {
      for (let h = 1; h >= 0; h -= 0.05) {
        const ds = await service.think.decide(world.map((p) => ({ perception: { ...p, health: h }, traits: { ...TRAITS, courage } })));
        if (share(ds, 'retreat') > 0.3) return h;
      }
      return 0;
    };
    const coward = await healthAtWhichRetreats(0.1);
    const brave = await healthAtWhichRetreats(0.9);
    expect(coward).toBeGreaterThan(brave);
    const cowardDs = await decide({ ...TRAITS, courage: 0.1 });
    const braveDs = await decide({ ...TRAITS, courage: 0.9 });
    expect(share(cowardDs, 'retreat')).toBeGreaterThan(share(braveDs, 'retreat'));
  });

  it('follows coordinator orders when it has one, and wanders when nothing is in sight', async () => {
    const { service } = await quietService();
    const social = { ...TRAITS, sociability: 0.9, cunning: 0.2 };
    const [ordered] = await service.think.decide([{ perception: { ...PERCEPTION, threatDist: 12, order: 'surround' }, traits: social }]);
    expect(ordered?.action).toBe('followOrder');
    const [idle] = await service.think.decide([{ perception: { ...PERCEPTION, threatDist: -1, cover: 0 }, traits: { ...TRAITS, curiosity: 0.9 } }]);
    expect(idle?.action).toBe('wander');
  });

  it('answers a bad payload with an error naming the field, and the rest normally', async () => {
    const { service } = await quietService();
    const replies = await service.think.serve([
      req(1, 'think', { perception: { ...PERCEPTION, health: 'full' }, traits: TRAITS }),
      req(2, 'think', { perception: PERCEPTION, traits: TRAITS }),
      req(3, 'think', { perception: { ...PERCEPTION, order: 'dance' }, traits: TRAITS }),
      req(4, 'think', null),
    ]);
    expect(replies[0]).toMatchObject({ requestId: 1, ok: false, error: expect.stringContaining('perception.health') });
    expect(replies[1]).toMatchObject({ requestId: 2, ok: true });
    expect(replies[2]).toMatchObject({ ok: false, error: expect.stringContaining('perception.order') });
    expect(replies[3]).toMatchObject({ ok: false });
    expect(service.stats().think.errors).toBe(3);
  });

  it('when the runtime throws, the plain-JS pass of the same weights takes over, logged once', async () => {
    const { service: real } = await quietService();
    const batch = encounters('fallback', 50).map((perception) => ({ perception, traits: TRAITS }));
    const expected = await real.think.decide(batch);
    let runs = 0;
    const throwing: SessionFactory = async () => ({ outputNames: ['logits'], run: async () => { runs++; throw new Error('ORT exploded'); } });
    const { service, logs } = await quietService({ createSession: throwing });
    for (let tick = 0; tick < 5; tick++) {
      const got = await service.think.decide(batch);
      expect(got.map((d) => d.action)).toEqual(expected.map((d) => d.action));
      for (const d of got) expect(d.source).toBe('fallback');
    }
    expect(runs).toBe(1); // not retried every tick
    expect(logs.filter((l) => l.includes("'policy'"))).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/policy' failed to run \(ORT exploded\).*plain-JS/);
    expect(service.status().policy).toBe('js');
    expect(service.stats().think.fallbacks).toBe(250);
  });

  it('when a session cannot be created, the fallback serves from the start', async () => {
    const { service, logs } = await quietService({ createSession: async () => { throw new Error('no native binary'); } });
    const [d] = await service.think.decide([{ perception: PERCEPTION, traits: TRAITS }]);
    expect(d?.source).toBe('fallback');
    expect(logs).toHaveLength(2); // personality and policy, once each
    expect(logs.join('\n')).toMatch(/failed to load \(no native binary\)/);
  });
});
