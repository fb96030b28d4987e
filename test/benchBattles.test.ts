import { describe, expect, it } from 'vitest';
import { runBattlesBench } from '../bench/battles.ts';

// A smoke-size run keeps bench:battles working; its figures are judged by the full run, not here.
describe('bench:battles (smoke)', () => {
  it('reports every metric of the issue', async () => {
    const m = await runBattlesBench({ smoke: true });
    for (const mode of ['rules', 'distilled', 'learned', 'learned_coordinator', 'rules_coordinator', 'learned_nocomm', 'cloud', 'cloud_cache']) {
      for (const k of ['win_rate', 'damage_ratio', 'ticks_to_kill']) expect(Number.isFinite(m[`${k}_${mode}`]), `${k}_${mode}`).toBe(true);
      expect(m[`win_rate_${mode}_ci_low`]).toBeLessThanOrEqual(m[`win_rate_${mode}`] as number);
      expect(m[`win_rate_${mode}_ci_high`]).toBeGreaterThanOrEqual(m[`win_rate_${mode}`] as number);
    }
    for (const k of ['learned_gain_ci_low', 'tactician_gain', 'tactician_gain_with_communication', 'decisions_per_s_learned', 'decisions_per_s_rules', 'plan_valid_rate_cloud', 'llm_calls_per_battle_cloud', 'cost_usd_per_battle_cloud', 'coordinator_ms_per_tick', 'cache_hit_rate_cloud']) {
      expect(Number.isFinite(m[k]), k).toBe(true);
    }
    expect(m.learned_gain_ci_low).toBeLessThanOrEqual(m.learned_gain as number);
    expect(m.decisions_per_s_learned).toBeGreaterThan(0);
    expect(m.llm_calls_per_battle_cloud).toBeGreaterThan(0);
  }, 120_000);
});
