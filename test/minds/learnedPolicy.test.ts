import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MindRequest, ThinkRequest } from '../../actors/index.ts';
import { BUILTIN_MODELS_DIR, MindService, parseMindsConfig, samplePolicyInput } from '../../minds/index.ts';
import { Rng } from '../../shared/index.ts';

function requests(n: number, seed: string): MindRequest[] {
  const rng = Rng.create(seed);
  return Array.from({ length: n }, (_, i) => {
    const seen = rng.chance(0.8);
    const payload: ThinkRequest = {
      perception: { threatDist: seen ? rng.float(0, 20) : -1, threatBearing: rng.float(-3, 3), allyDist: rng.chance(0.6) ? rng.float(0, 12) : -1, allyBearing: rng.float(-3, 3), health: rng.next(), targetHealth: rng.next(), packNearby: rng.int(0, 5), terrainCost: 1, cover: 0, sinceHit: rng.float(0, 30), order: 'none' },
      traits: { aggression: rng.next(), courage: rng.next(), sociability: rng.next(), greed: rng.next(), curiosity: rng.next(), cunning: rng.next() },
    };
    return { requestId: i, actor: i + 1, port: 'think', payload, deadline: 1e9 };
  });
}

describe('the learned monster policy', () => {
  it('is the default policy folder, and the distilled one stays selectable', () => {
    expect(parseMindsConfig({}).folders.policy).toBe(join(BUILTIN_MODELS_DIR, 'policy-learned'));
    expect(parseMindsConfig({ models: { policy: join(BUILTIN_MODELS_DIR, 'policy') } }).folders.policy).toBe(join(BUILTIN_MODELS_DIR, 'policy'));
    expect(samplePolicyInput(Rng.create('x'))).toHaveLength(30);
  });

  it('decides small batches in-thread exactly as onnxruntime decides large ones', async () => {
    const svc = await MindService.create({ logger: () => {} });
    try {
      expect(svc.status().policy).toBe('onnxruntime');
      const rq = requests(400, 'learned-policy-agreement');
      const big = await svc.think.serve(rq);
      let same = 0;
      for (const r of rq) {
        const [one] = await svc.think.serve([r]);
        const a = (one as { value: { action: string; source: string } }).value;
        expect(a.source).toBe('model');
        if (a.action === (big[r.requestId] as { value: { action: string } }).value.action) same++;
      }
      expect(same / rq.length).toBeGreaterThan(0.99);
    } finally {
      await svc.close();
    }
  });

  it('gives way to the rules when configured so', async () => {
    const svc = await MindService.create({ logger: () => {}, config: { monsterMind: 'rules' } });
    try {
      expect(svc.status().policy).toBe('teacher');
      const [r] = await svc.think.serve(requests(1, 'rules'));
      expect((r as { value: { source: string } }).value.source).toBe('fallback');
    } finally {
      await svc.close();
    }
    expect(() => parseMindsConfig({ monsterMind: 'clever' })).toThrow(/monsterMind/);
  });
});
