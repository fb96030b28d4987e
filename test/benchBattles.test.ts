import { describe, expect, it } from 'vitest';
import { runBattlesBench } from '../bench/battles.ts';

// A smoke-size run keeps bench:battles working; its figures are not judged here.
describe('bench:battles (smoke)', () => {
  it('reports every metric of the issue', async () => {
    const m = await runBattlesBench({ smoke: true });
    for (const mode of ['solo', 'tactician', 'cloud', 'cloud_cache']) {
      for (const k of ['win_rate', 'damage_ratio', 'ticks_to_kill']) expect(Number.isFinite(m[`${k}_${mode}`]), `${k}_${mode}`).toBe(true);
    }
    for (const k of ['plan_valid_rate_cloud', 'llm_calls_per_battle_cloud', 'cost_usd_per_battle_cloud', 'coordinator_ms_per_tick', 'cache_hit_rate_cloud', 'win_rate_cloud_cache', 'win_rate_cloud_nocache', 'plan_valid_rate_cloud_cache', 'llm_calls_per_battle_cloud_cache']) {
      expect(Number.isFinite(m[k]), k).toBe(true);
    }
    expect(m.llm_calls_per_battle_cloud).toBeGreaterThan(0);
  }, 60_000);
});
