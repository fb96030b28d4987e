import { describe, expect, it } from 'vitest';
import type { Personality } from '../../actors/index.ts';
import { TEMPERAMENTS, VOICES } from '../../minds/index.ts';
import { Rng } from '../../shared/index.ts';
import { quietService, req } from './helpers.ts';

const latent = (seed: string): number[] => {
  const r = Rng.create(seed);
  return Array.from({ length: 8 }, () => r.next());
};

describe('personality mind', () => {
  it('two wolves differ; the same seed gives the same wolf', async () => {
    const { service } = await quietService();
    expect(service.status().personality).toBe('onnxruntime');
    const [a, b, a2] = await service.personality.personalities([
      { species: 'wolf', biome: 'forest', latent: latent('wolf-1') },
      { species: 'wolf', biome: 'forest', latent: latent('wolf-2') },
      { species: 'wolf', biome: 'forest', latent: latent('wolf-1') },
    ]);
    expect(a).toEqual(a2);
    expect(a?.traits).not.toEqual(b?.traits);
    for (const p of [a, b] as Personality[]) {
      for (const v of Object.values(p.traits)) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
      expect(TEMPERAMENTS).toContain(p.temperament);
      expect(VOICES).toContain(p.voice);
    }
  });

  it('species shape the traits and the voice (skeletons braver than goblins; lizardfolk hiss)', async () => {
    const { service } = await quietService();
    const many = (species: string): Promise<Personality[]> =>
      service.personality.personalities(Array.from({ length: 50 }, (_, i) => ({ species, biome: 'hills', latent: latent(`${species}-${i}`) })));
    const mean = (ps: Personality[], k: keyof Personality['traits']): number => ps.reduce((s, p) => s + p.traits[k], 0) / ps.length;
    const skeletons = await many('skeleton'), goblins = await many('goblin'), lizards = await many('lizardfolk');
    expect(mean(skeletons, 'courage')).toBeGreaterThan(mean(goblins, 'courage') + 0.2);
    expect(lizards.filter((p) => p.voice === 'hissing').length).toBeGreaterThan(35);
  });

  it('a batch equals single calls; unknown species still get a personality; bad payloads are refused', async () => {
    const { service } = await quietService();
    const reqs = ['troll', 'crab', 'dragon'].map((species, i) => ({ species, biome: i ? 'beach' : 'moon', latent: latent(species) }));
    const together = await service.personality.personalities(reqs);
    for (let i = 0; i < reqs.length; i++) expect((await service.personality.personalities([reqs[i] as (typeof reqs)[number]]))[0]).toEqual(together[i]);
    const replies = await service.personality.serve([req(1, 'personality', { species: 'wolf', biome: 'forest', latent: 'x' }), req(2, 'personality', reqs[0])]);
    expect(replies[0]).toMatchObject({ ok: false, error: expect.stringContaining('latent') });
    expect(replies[1]).toMatchObject({ ok: true, value: together[0] });
  });

  it('falls back to the same weights in plain JS when the runtime is off', async () => {
    const { service: onnx } = await quietService();
    const { service: js, logs } = await quietService({ config: { runtime: 'js' } });
    expect(js.status()).toMatchObject({ personality: 'js', policy: 'js', intent: 'js' });
    const reqs = Array.from({ length: 20 }, (_, i) => ({ species: 'bandit', biome: 'desert', latent: latent(`b${i}`) }));
    const a = await onnx.personality.personalities(reqs);
    const b = await js.personality.personalities(reqs);
    expect(b.map((p) => [p.temperament, p.voice])).toEqual(a.map((p) => [p.temperament, p.voice]));
    b.forEach((p, i) => expect(p.traits.aggression).toBeCloseTo((a[i] as Personality).traits.aggression, 3));
    expect(logs).toEqual([]); // chosen by configuration, not a failure
  });
});
