import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Decision, MindRequest, Perception, ReplyInput, ThinkRequest, Traits } from '../../actors/index.ts';
import type { SessionFactory } from '../../minds/index.ts';
import { BUILTIN_MODELS_DIR, ORDERS, POLICY_INPUTS, policyFeatures } from '../../minds/index.ts';
import { denseMlpOnnx, mlpFromDecoded } from '../../minds/nn/mlpGraph.ts';
import { decodeModel } from '../../minds/nn/onnxGraph.ts';
import { thinkProblem } from '../../minds/payloads.ts';
import { POLICY_HEADS, approxSin } from '../../minds/policyModel.ts';
import { Rng } from '../../shared/index.ts';
import { PERCEPTION, TRAITS, quietService, req } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'lairmind-think-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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

/** Think requests, about one in eight of them broken in a different way. */
function mixedRequests(seed: string, n: number): MindRequest[] {
  const rng = Rng.create(seed);
  const broken = [
    (p: Record<string, unknown>) => ({ perception: { ...(p.perception as object), health: 'full' }, traits: p.traits }),
    (p: Record<string, unknown>) => ({ perception: { ...(p.perception as object), order: 'dance' }, traits: p.traits }),
    (p: Record<string, unknown>) => ({ perception: { ...(p.perception as object), order: 'toString' }, traits: p.traits }),
    (p: Record<string, unknown>) => ({ perception: { ...(p.perception as object), cover: Number.NaN }, traits: p.traits }),
    (p: Record<string, unknown>) => ({ perception: p.perception, traits: { ...(p.traits as object), cunning: Infinity } }),
    (p: Record<string, unknown>) => ({ perception: p.perception, traits: { ...(p.traits as object), greed: null } }),
    () => null,
    () => ({ perception: PERCEPTION }),
  ];
  return encounters(seed, n).map((perception, i) => {
    const payload = { perception: { ...perception, order: rng.chance(0.5) ? 'none' : rng.pick(ORDERS) }, traits: { ...TRAITS, courage: rng.next(), aggression: rng.next() } };
    return req(100 + i, 'think', rng.chance(0.125) ? rng.pick(broken)(payload) : payload);
  });
}

/** What serving `requests` must give: decide() on the valid ones, the validation error for the others. */
async function expectedReplies(decide: (b: ThinkRequest[]) => Promise<Decision[]>, requests: readonly MindRequest[]): Promise<ReplyInput[]> {
  const valid = requests.filter((r) => thinkProblem(r.payload) === undefined);
  const decisions = await decide(valid.map((r) => r.payload as ThinkRequest));
  return requests.map((r) => {
    const why = thinkProblem(r.payload);
    return why ? { requestId: r.requestId, ok: false, error: why } : { requestId: r.requestId, ok: true, value: decisions[valid.indexOf(r)] };
  });
}

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

  it('serves a mixed batch in request order: decisions as decide() gives them, errors naming the field', async () => {
    const { service } = await quietService();
    const requests = mixedRequests('mixed', 400);
    const expected = await expectedReplies((b) => service.think.decide(b), requests);
    expect(expected.filter((r) => !r.ok).length).toBeGreaterThan(20);
    expect(await service.think.serve(requests)).toEqual(expected);
    // Smaller and larger batches reuse or replace the buffers of earlier ones.
    expect(await service.think.serve(requests.slice(0, 37))).toEqual(expected.slice(0, 37));
    const twice = [...requests, ...requests];
    expect(await service.think.serve(twice)).toEqual([...expected, ...expected]);
  });

  it('batches that overlap in flight get the same answers as one after another', async () => {
    const { service } = await quietService();
    const requests = mixedRequests('overlap', 600);
    const parts = [requests.slice(0, 350), requests.slice(350, 360), requests.slice(360)];
    const oneByOne: ReplyInput[][] = [];
    for (const part of parts) oneByOne.push(await service.think.serve(part));
    const before = service.stats().think;
    expect(await Promise.all(parts.map((part) => service.think.serve(part)))).toEqual(oneByOne);
    const after = service.stats().think;
    expect(after.requests - before.requests).toBe(600);
    expect(after.batches - before.batches).toBe(3);
    expect(after.errors - before.errors).toBe(oneByOne.flat().filter((r) => !r.ok).length);
  });

  it('a policy model with only logits (no softmax output) decides as the built-in one does', async () => {
    const dir = join(tmp, 'logits-only');
    cpSync(join(BUILTIN_MODELS_DIR, 'policy'), dir, { recursive: true });
    const model = join(dir, 'onnx', 'model.onnx');
    const mlp = mlpFromDecoded(decodeModel(readFileSync(model)), POLICY_HEADS);
    if (!mlp) throw new Error('the built-in policy is not a dense MLP');
    writeFileSync(model, denseMlpOnnx(mlp, 'policy', 'logits only'));
    const { service: builtIn } = await quietService({ config: { models: { policy: join(BUILTIN_MODELS_DIR, 'policy') } } });
    const { service: logitsOnly, logs } = await quietService({ config: { models: { policy: dir } } });
    const batch = encounters('logits', 300).map((perception, i) => ({ perception: { ...perception, order: ORDERS[i % ORDERS.length] as Perception['order'] }, traits: { ...TRAITS, cunning: (i % 7) / 7 } }));
    const want = await builtIn.think.decide(batch);
    const got = await logitsOnly.think.decide(batch);
    expect(logs).toEqual([]);
    expect(got.map((d) => d.action)).toEqual(want.map((d) => d.action));
    got.forEach((d, i) => {
      expect(d.source).toBe('model');
      expect(d.confidence).toBeCloseTo((want[i] as Decision).confidence, 5);
    });
  });

  it('features: one store per order in the one-hot block, whatever the row held before', () => {
    expect(ORDERS).toHaveLength(10); // policyFeatures writes the block with ten straight-line stores
    expect(POLICY_INPUTS).toBe(14 + ORDERS.length + 6);
    const row = new Float32Array(POLICY_INPUTS).fill(7);
    for (const [k, order] of [...ORDERS.entries(), [0, 'no such order'] as const]) {
      policyFeatures({ ...PERCEPTION, order: order as Perception['order'] }, TRAITS, row, 0);
      expect([...row.subarray(14, 14 + ORDERS.length)]).toEqual(ORDERS.map((_, j) => (j === k ? 1 : 0)));
      expect(row.every((v) => v !== 7)).toBe(true);
    }
  });

  it('features: a row whose numbers are not all finite numbers is refused, and thinkProblem names the field', () => {
    const row = new Float32Array(POLICY_INPUTS);
    expect(policyFeatures(PERCEPTION, TRAITS, row, 0)).toBe(true);
    const bad: [Partial<Record<keyof Perception, unknown>>, Partial<Record<keyof Traits, unknown>>, string][] = [
      [{ threatDist: Number.NaN }, {}, 'perception.threatDist'],
      [{ sinceHit: Infinity }, {}, 'perception.sinceHit'],
      [{ packNearby: '3' }, {}, 'perception.packNearby'],
      [{ allyBearing: null }, {}, 'perception.allyBearing'],
      [{}, { cunning: -Infinity }, 'traits.cunning'],
      [{}, { greed: true }, 'traits.greed'],
      [{}, { aggression: undefined }, 'traits.aggression'],
    ];
    for (const [p, t, field] of bad) {
      const perception = { ...PERCEPTION, ...p } as Perception, traits = { ...TRAITS, ...t } as Traits;
      expect(policyFeatures(perception, traits, row, 0), field).toBe(false);
      expect(thinkProblem({ perception, traits })).toMatch(new RegExp(`^${field.replace('.', '\\.')}: expected a finite number`));
    }
  });

  it('approxSin gives the bits of its sign-test form, which the committed models were trained with', () => {
    const reference = (x: number): number => {
      let a = x - 2 * Math.PI * Math.floor((x + Math.PI) / (2 * Math.PI));
      const y = (4 / Math.PI) * a - (4 / (Math.PI * Math.PI)) * a * (a < 0 ? -a : a);
      a = 0.225 * (y * (y < 0 ? -y : y) - y) + y;
      return a;
    };
    const rng = Rng.create('sin');
    const xs = [0, -0, Math.PI, -Math.PI, Math.PI / 2, -Math.PI / 2, 2 * Math.PI, -2 * Math.PI, 3, -3, 5e-324, -5e-324, 1e300, -1e300];
    for (let i = 0; i < 20_000; i++) xs.push(rng.float(-10, 10), rng.float(-1e-9, 1e-9), rng.float(-1e6, 1e6));
    for (const x of xs) expect(Object.is(approxSin(x), reference(x)), `approxSin(${x})`).toBe(true);
  });

  it('bearing features are approxSin of the bearing and of the bearing + π/2, as the models were trained', () => {
    const rng = Rng.create('bearings');
    const row = new Float32Array(POLICY_INPUTS);
    const bearings = [0, -0, Math.PI, -Math.PI, Math.PI / 2, -Math.PI / 2, 3 * Math.PI, -7, 1e6];
    for (let i = 0; i < 20_000; i++) bearings.push(rng.float(-Math.PI, Math.PI), rng.float(-20, 20));
    for (const b of bearings) {
      policyFeatures({ ...PERCEPTION, threatDist: 3, threatBearing: b, allyDist: 4, allyBearing: -b }, TRAITS, row, 0);
      expect([row[2], row[3], row[6], row[7]], `bearing ${b}`).toEqual([b, b + Math.PI / 2, -b, -b + Math.PI / 2].map((v) => Math.fround(approxSin(v))));
    }
  });

  it('traits shift decisions: more aggressive attacks more, less courage retreats sooner', async () => {
    // The model distilled from the trait-shaped rules (the learned one is judged by battles: test/tools/train, bench:battles).
    const { service } = await quietService({ config: { models: { policy: join(BUILTIN_MODELS_DIR, 'policy') } } });
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
      req(5, 'think', { perception: { ...PERCEPTION, cover: 3n }, traits: TRAITS }),
      req(6, 'think', { perception: PERCEPTION, traits: { ...TRAITS, greed: Symbol('x') } }),
    ]);
    expect(replies[0]).toMatchObject({ requestId: 1, ok: false, error: expect.stringContaining('perception.health') });
    expect(replies[1]).toMatchObject({ requestId: 2, ok: true });
    expect(replies[2]).toMatchObject({ ok: false, error: expect.stringContaining('perception.order') });
    expect(replies[3]).toMatchObject({ ok: false });
    // Values JSON cannot print still get a message naming the field (and cost only their own request).
    expect(replies[4]).toMatchObject({ requestId: 5, ok: false, error: expect.stringMatching(/perception\.cover: .*3n \(a BigInt\)/) });
    expect(replies[5]).toMatchObject({ requestId: 6, ok: false, error: expect.stringContaining('traits.greed') });
    expect(service.stats().think.errors).toBe(5);
  });

  it('when the runtime throws, the plain-JS pass of the same weights takes over, logged once', async () => {
    const { service: real } = await quietService();
    // More rows than the in-thread pass takes, so that onnxruntime is asked.
    const batch = encounters('fallback', 100).map((perception) => ({ perception, traits: TRAITS }));
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
    expect(service.stats().think.fallbacks).toBe(500);
  });

  it('when a session cannot be created, the fallback serves from the start', async () => {
    const { service, logs } = await quietService({ createSession: async () => { throw new Error('no native binary'); } });
    const [d] = await service.think.decide([{ perception: PERCEPTION, traits: TRAITS }]);
    expect(d?.source).toBe('fallback');
    expect(logs).toHaveLength(2); // personality and policy, once each
    expect(logs.join('\n')).toMatch(/failed to load \(no native binary\)/);
  });
});
