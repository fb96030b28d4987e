import { describe, expect, it } from 'vitest';
import { parseTuningRecords, resolvePreset, roundUpNice, suggestTuning } from '../../llm/index.ts';
import type { TuningAttempt, TuningRecord } from '../../llm/index.ts';
import { ValidationError } from '../../shared/index.ts';

const OA = { provider: 'openai', model: 'gpt-4o-mini' };
const AN = { provider: 'anthropic', model: 'claude-haiku-4-5' };

/** An attempt: `outcome` with `out` output tokens on `m`, costing `cost` USD. */
function at(outcome: string, out = 100, m: { provider: string; model: string } = OA, cost?: number): TuningAttempt {
  return { ...m, outcome, inputTokens: 1000, outputTokens: out, cachedInputTokens: 0, ...(cost !== undefined && { costUsd: cost }) };
}

function call(operation: string, ...attempts: TuningAttempt[]): TuningRecord {
  return { operation, cached: false, attempts };
}

/** `n` calls of `op`, each one ok reply with output tokens from `out(k)`. */
function oks(op: string, n: number, out: (k: number) => number = () => 100, m = OA, cost?: number): TuningRecord[] {
  return Array.from({ length: n }, (_, k) => call(op, at('ok', out(k), m, cost)));
}

const presets = (configured: Record<string, object> = {}) => (op: string) => resolvePreset(op, configured, undefined);

const only = (records: TuningRecord[], field: string, configured: Record<string, object> = {}, options = {}) =>
  suggestTuning(records, presets(configured), [], options).suggestions.filter((s) => s.field === field);

describe('maxTokens from observed reply lengths', () => {
  it('with 50 successful replies: the p99 plus 20 % rounded up to a round number, lower than today, with the evidence', () => {
    // tactics runs with maxTokens 600; replies of 100..149 tokens: p99 of 50 is the longest, 149; × 1.2 = 178.8 → 200.
    const r = suggestTuning(oks('tactics', 50, (k) => 100 + k), presets());
    expect(r.suggestions).toEqual([
      {
        operation: 'tactics', field: 'maxTokens', current: 600, suggested: 200,
        evidence: { samples: 50, quantile: 0.99, atQuantile: 149, p50: 124, max: 149, replies: 50, capHits: 0, capHitRate: 0 },
        rationale: 'p99 of 50 successful replies is 149 tokens (longest 149); 200 leaves 20% headroom, and a lower cap shrinks every reservation and cost estimate',
      },
    ]);
  });

  it('with 49 successful replies: no suggestion, and a note saying how many are needed', () => {
    const r = suggestTuning(oks('tactics', 49, (k) => 100 + k), presets());
    expect(r.suggestions.filter((s) => s.field === 'maxTokens')).toEqual([]);
    expect(r.operations[0]?.notes).toContain('maxTokens: 49 successful replies, 50 needed');
  });

  it('failed and invalid replies, cache hits and the local handler are not samples of reply length', () => {
    const noise: TuningRecord[] = [
      ...Array.from({ length: 30 }, () => call('tactics', at('invalid_output', 10), { provider: 'local', model: 'tactics', outcome: 'ok' })),
      ...Array.from({ length: 30 }, () => call('tactics', { ...OA, outcome: 'timeout' })),
      ...Array.from({ length: 30 }, (): TuningRecord => ({ operation: 'tactics', cached: true, attempts: [at('ok', 5)] })),
    ];
    expect(only([...oks('tactics', 49), ...noise], 'maxTokens')).toEqual([]);
    expect(only([...oks('tactics', 50), ...noise], 'maxTokens')[0]?.evidence).toMatchObject({ samples: 50, replies: 80 });
  });

  it('never below the preset\'s minOutputTokens', () => {
    // tactics: minOutputTokens 150; replies of 20 tokens would round to 30.
    expect(only(oks('tactics', 50, () => 20), 'maxTokens')[0]?.suggested).toBe(150);
  });

  it('a change under 10 % is not worth suggesting; 10 % or more is, up as well as down', () => {
    // 520 × 1.2 = 624 → 650: 8 % above 600.
    expect(only(oks('tactics', 50, () => 520), 'maxTokens')).toEqual([]);
    // 560 × 1.2 = 672 → 700: 17 % above, close to the cap: raise.
    const up = only(oks('tactics', 50, () => 560), 'maxTokens')[0];
    expect(up).toMatchObject({ current: 600, suggested: 700, rationale: 'p99 of 50 successful replies is 560 tokens, within 20% of the cap of 600; 700 leaves that headroom' });
  });

  it('replies cut at the cap: more than 1 % of replies at maxTokens → raise by half; 1 % or less → no raise, and never lower', () => {
    const short = (n: number): TuningRecord[] => oks('tactics', n, () => 100);
    // 1 of 100 at the cap (1 %): not above the threshold, and a cut reply forbids lowering.
    const one = suggestTuning([...short(99), ...oks('tactics', 1, () => 600)], presets());
    expect(one.suggestions.filter((s) => s.field === 'maxTokens')).toEqual([]);
    expect(one.operations[0]?.notes).toContain('maxTokens: 1 of 100 replies reached the cap of 600 tokens; not lowering it');
    // 2 of 100: raise to 900.
    const two = only([...short(98), ...oks('tactics', 2, () => 600)], 'maxTokens')[0];
    expect(two).toMatchObject({ current: 600, suggested: 900, evidence: { samples: 100, capHits: 2, capHitRate: 0.02 } });
    expect(two?.rationale).toBe('2 of 100 replies (2%) reached the cap of 600 tokens and were cut short; raise it to 900');
    // A reply cut at the cap is usually invalid JSON: it counts as a cap hit, not as a length sample.
    const cut = only([...short(50), call('tactics', at('invalid_output', 600), at('repair_ok', 120)), call('tactics', at('invalid_output', 600), at('invalid_output', 600))], 'maxTokens')[0];
    expect(cut).toMatchObject({ suggested: 900, evidence: { samples: 51, replies: 54, capHits: 3 } });
  });

  it('uses the configured preset as today\'s value', () => {
    expect(only(oks('tactics', 50, () => 100), 'maxTokens', { tactics: { maxTokens: 160 } })).toEqual([]);
    expect(only(oks('dialogue', 50, () => 300), 'maxTokens')[0]).toMatchObject({ operation: 'dialogue', current: 200, suggested: 400 });
  });
});

describe('temperature from invalid, repaired and rejected replies', () => {
  /** 100 tactics calls: `repaired` invalid then repaired, `rejected` invalid twice then local, the rest ok. */
  function mix(repaired: number, rejected: number, n = 100): TuningRecord[] {
    return Array.from({ length: n }, (_, k) => {
      if (k < repaired) return call('tactics', at('invalid_output'), at('repair_ok'));
      if (k < repaired + rejected) return call('tactics', at('invalid_output'), at('invalid_output'), { provider: 'local', model: 'tactics', outcome: 'ok' });
      return call('tactics', at('ok'));
    });
  }

  it('above 10 % of calls with an invalid reply: 0.2 lower, with the rates as evidence', () => {
    const s = only(mix(6, 5), 'temperature')[0];
    expect(s).toEqual({
      operation: 'tactics', field: 'temperature', current: 0.4, suggested: 0.2,
      evidence: { samples: 100, invalidCalls: 11, invalidRate: 0.11, repairRate: 0.06, rejectionRate: 0.05 },
      rationale: '11 of 100 calls (11%, above 10%) had an invalid reply: 6 repaired, 5 rejected after repair; a lower temperature makes the output steadier',
    });
  });

  it('at 10 % exactly: no suggestion, a note with the rate', () => {
    const r = suggestTuning(mix(5, 5), presets());
    expect(r.suggestions.filter((s) => s.field === 'temperature')).toEqual([]);
    expect(r.operations[0]?.notes).toContain('temperature: invalid replies in 10% of 100 calls (threshold 10%)');
  });

  it('too few calls: nothing, however bad the rate', () => {
    const r = suggestTuning(mix(20, 20, 49), presets());
    expect(r.suggestions).toEqual([]);
    expect(r.operations[0]?.notes).toContain('temperature: 49 calls with a reply, 50 needed');
  });

  it('never below 0; at 0 already it says so instead', () => {
    expect(only(mix(20, 0), 'temperature', { tactics: { temperature: 0.1 } })[0]?.suggested).toBe(0);
    const r = suggestTuning(mix(20, 0), presets({ tactics: { temperature: 0 } }));
    expect(r.suggestions.filter((s) => s.field === 'temperature')).toEqual([]);
    expect(r.operations[0]?.notes).toContain('temperature: invalid replies in 20% of 100 calls, but it is 0 already (look at the prompt or the schema)');
  });

  it('threshold and step are options', () => {
    expect(only(mix(6, 0), 'temperature', {}, { invalidRate: 0.05, temperatureStep: 0.1 })[0]).toMatchObject({ suggested: 0.3 });
  });
});

describe('model: a cheaper one where quality held', () => {
  /** `n` calls answered by `m`, `invalid` of them only after a repair, each costing `cost`. */
  function served(m: typeof OA, n: number, invalid: number, cost: number, op = 'tactics'): TuningRecord[] {
    return Array.from({ length: n }, (_, k) => (k < invalid ? call(op, at('invalid_output', 100, m, cost / 2), at('repair_ok', 100, m, cost / 2)) : call(op, at('ok', 100, m, cost))));
  }

  it('a model 80 % cheaper per call, valid within 2 points of the busiest model, over 50 calls each: prefer it', () => {
    // anthropic answers 100 calls, 95 % valid at $0.005; openai 50 calls, 94 % valid at $0.001.
    const r = suggestTuning([...served(AN, 100, 5, 0.005), ...served(OA, 50, 3, 0.001)], presets());
    expect(r.suggestions.filter((s) => s.field === 'model')).toEqual([
      {
        operation: 'tactics', field: 'model', current: null, suggested: 'openai:gpt-4o-mini',
        evidence: {
          samples: 50, validity: 0.94, availability: 1, costPerCallUsd: 0.001,
          compared: 'anthropic:claude-haiku-4-5', comparedSamples: 100, comparedValidity: 0.95, comparedAvailability: 1, comparedCostPerCallUsd: 0.005,
        },
        rationale: 'openai:gpt-4o-mini answered 50 calls valid without repair in 94% (vs 95% for anthropic:claude-haiku-4-5 over 100) at 80% less per call ($0.00100 vs $0.00500); prefer it, anthropic:claude-haiku-4-5 and the rest stay as fallbacks',
      },
    ]);
  });

  it('validity more than 2 points lower: no', () => {
    const r = suggestTuning([...served(AN, 100, 5, 0.005), ...served(OA, 50, 4, 0.001)], presets());
    expect(r.suggestions.filter((s) => s.field === 'model')).toEqual([]);
    expect(r.operations[0]?.notes).toContain('model: no model at least 10% cheaper than anthropic:claude-haiku-4-5 kept its validity (95%) and availability (100%)');
  });

  it('49 calls of the cheaper model: no, and the note names it', () => {
    const r = suggestTuning([...served(AN, 100, 5, 0.005), ...served(OA, 49, 0, 0.001)], presets());
    expect(r.suggestions.filter((s) => s.field === 'model')).toEqual([]);
    expect(r.operations[0]?.notes).toContain('model: no other model answered 50 calls (most: openai:gpt-4o-mini with 49)');
  });

  it('less than 10 % cheaper: no', () => {
    expect(only([...served(AN, 100, 5, 0.005), ...served(OA, 50, 0, 0.0046)], 'model')).toEqual([]);
    expect(only([...served(AN, 100, 5, 0.005), ...served(OA, 50, 0, 0.0044)], 'model')).toHaveLength(1);
  });

  it('a cheaper model that often fails to answer at all (timeouts, errors) does not qualify', () => {
    const flaky = Array.from({ length: 10 }, () => call('tactics', { ...OA, outcome: 'timeout' }, at('ok', 100, AN, 0.005)));
    // openai: 50 replies of 60 sent (83 %) against anthropic's 100 %.
    expect(only([...served(AN, 100, 5, 0.005), ...served(OA, 50, 0, 0.001), ...flaky], 'model')).toEqual([]);
    // Skipped links (breaker open, queue) were never sent: they do not count against it.
    const skipped = Array.from({ length: 10 }, () => call('tactics', { ...OA, outcome: 'skipped:circuit_open' }, at('ok', 100, AN, 0.005)));
    expect(only([...served(AN, 100, 5, 0.005), ...served(OA, 50, 0, 0.001), ...skipped], 'model')).toHaveLength(1);
  });

  it('compares with the preferred model when one is set (not with the busiest)', () => {
    const recs = [...served(AN, 100, 5, 0.005), ...served(OA, 50, 0, 0.001)];
    const r = suggestTuning(recs, presets({ tactics: { model: 'openai:gpt-4o-mini' } }));
    expect(r.suggestions.filter((s) => s.field === 'model')).toEqual([]);
    expect(r.operations[0]?.notes.find((n) => n.startsWith('model:'))).toBe('model: no model at least 10% cheaper than openai:gpt-4o-mini kept its validity (100%) and availability (100%)');
  });

  it('without costs in the records, prices from the registry for the tokens each model used', () => {
    const recs = [...served(AN, 100, 0, 0), ...served(OA, 50, 0, 0)].map((r) => ({ ...r, attempts: r.attempts.map(({ costUsd: _c, ...a }) => a) }));
    const models = [{ id: 'openai:gpt-4o-mini', price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: '2025-07-04' } }, { id: 'anthropic:claude-haiku-4-5', price: { input: 1, cachedInput: 0.1, output: 5, checked: '2026-07-29' } }];
    const s = suggestTuning(recs, presets(), models).suggestions.find((x) => x.field === 'model');
    // 1000 in + 100 out per call: openai $0.00021, anthropic $0.0015.
    expect(s?.evidence).toMatchObject({ costPerCallUsd: 0.00021, comparedCostPerCallUsd: 0.0015 });
    expect(suggestTuning(recs, presets(), []).operations[0]?.notes).toContain('model: no cost known for anthropic:claude-haiku-4-5');
  });
});

describe('the report', () => {
  it('is deterministic: the same records in another order give the same report; operations sorted, rules in order', () => {
    const recs = [
      ...oks('tactics', 60, (k) => 100 + k),
      ...Array.from({ length: 60 }, (_, k) => (k < 12 ? call('dialogue', at('invalid_output', 90), at('repair_ok', 90)) : call('dialogue', at('ok', 90)))),
    ];
    const a = suggestTuning(recs, presets());
    const b = suggestTuning([...recs].reverse(), presets());
    expect(b).toEqual(a);
    expect(a.suggestions.map((s) => `${s.operation}.${s.field}`)).toEqual(['dialogue.maxTokens', 'dialogue.temperature', 'tactics.maxTokens']);
    expect(a.operations.map((o) => [o.operation, o.calls, o.cloudCalls])).toEqual([['dialogue', 60, 60], ['tactics', 60, 60]]);
    expect(a.records).toBe(120);
  });

  it('round numbers', () => {
    expect([7, 10, 11, 47, 50, 187, 200, 660, 1234, 20_001].map(roundUpNice)).toEqual([7, 10, 15, 50, 50, 200, 200, 700, 1500, 25_000]);
  });

  it('records from JSON: arrays or { records }, each bad field named', () => {
    expect(parseTuningRecords({ records: [call('tactics', at('ok'))] }, 'f')).toHaveLength(1);
    expect(() => parseTuningRecords([{ operation: 'tactics', cached: 'no', attempts: [{ provider: 'openai', model: 'm' }] }], 'f.json')).toThrow(ValidationError);
    expect(() => parseTuningRecords([{ operation: 'tactics', cached: 'no', attempts: [{ provider: 'openai', model: 'm' }] }], 'f.json')).toThrow(/invalid f\.json: \[0\]\.cached: .*; \[0\]\.attempts\[0\]\.outcome: /);
    expect(() => parseTuningRecords({ calls: [] }, 'f.json')).toThrow('invalid f.json: expected an array of call records, or { records: [...] }');
  });
});
