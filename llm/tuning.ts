import { z } from 'zod';
import { ValidationError } from '../shared/index.ts';
import { costUsd } from './cost.ts';
import type { OperationPreset } from './presets.ts';
import type { ModelInfo } from './registry.ts';
import type { AttemptRecord, CallRecord } from './telemetry.ts';

/** The preset fields the tuner suggests values for. */
export type TuningField = 'maxTokens' | 'temperature' | 'model';

/** Thresholds of the tuning rules. */
export interface TuningOptions {
  /** Observations an operation needs before any rule speaks (successful replies for maxTokens, calls for the others). */
  readonly minSamples: number;
  /** Quantile of successful replies' output tokens that maxTokens must cover (0.99; at 50 samples that is the longest). */
  readonly quantile: number;
  /** Headroom over that quantile, as a fraction (0.2: 20 % more). */
  readonly margin: number;
  /** Smallest relative change of maxTokens worth suggesting (0.1). */
  readonly minChange: number;
  /** Above this fraction of replies reaching maxTokens (cut short), suggest raising it (0.01). */
  readonly capHitRate: number;
  /** Factor maxTokens grows by when replies hit it (1.5). */
  readonly capRaise: number;
  /** Above this fraction of calls with an invalid reply, suggest a lower temperature (0.1). */
  readonly invalidRate: number;
  /** How much lower (0.2). */
  readonly temperatureStep: number;
  /** Calls of the operation each of the two models must have answered before they are compared (50). */
  readonly modelMinCalls: number;
  /** A cheaper model qualifies when its validity (first reply valid, no repair) is at most this far below the current one's (0.02). */
  readonly qualityTolerance: number;
  /** …and its share of attempts that got a reply at all (not a timeout or error) at most this far below (0.05). */
  readonly availabilityTolerance: number;
  /** …and it costs at least this fraction less per call (0.1). */
  readonly minSaving: number;
}

export const DEFAULT_TUNING: TuningOptions = {
  minSamples: 50,
  quantile: 0.99,
  margin: 0.2,
  minChange: 0.1,
  capHitRate: 0.01,
  capRaise: 1.5,
  invalidRate: 0.1,
  temperatureStep: 0.2,
  modelMinCalls: 50,
  qualityTolerance: 0.02,
  availabilityTolerance: 0.05,
  minSaving: 0.1,
};

/** What a suggestion rests on: always the number of observations, then figures named by the rule. */
export type Evidence = { readonly samples: number } & Readonly<Record<string, number | string | null>>;

/** One suggested preset change, `presets.<operation>.<field>` in the configuration file. */
export interface Suggestion {
  readonly operation: string;
  readonly field: TuningField;
  /** The value the operation runs with now (`model`: null when the strategy alone decides). */
  readonly current: number | string | null;
  readonly suggested: number | string;
  /** Why, in a sentence an operator can check against the evidence. */
  readonly rationale: string;
  readonly evidence: Evidence;
}

/** What was seen of one operation, and why a rule said nothing. */
export interface OperationSummary {
  readonly operation: string;
  /** Calls recorded (cache hits and local answers included). */
  readonly calls: number;
  /** Calls with at least one cloud reply (valid or not). */
  readonly cloudCalls: number;
  /** Per rule that made no suggestion, why not. */
  readonly notes: readonly string[];
}

export interface TuningReport {
  /** Call records read. */
  readonly records: number;
  readonly suggestions: readonly Suggestion[];
  readonly operations: readonly OperationSummary[];
  readonly options: TuningOptions;
}

/** The part of a call record the tuner reads. */
export type TuningRecord = Pick<CallRecord, 'operation' | 'cached'> & { readonly attempts: readonly TuningAttempt[] };
export type TuningAttempt = Pick<AttemptRecord, 'provider' | 'model' | 'outcome' | 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costUsd'>;

/** Attempt outcomes that carry a reply from the model (the gateway judged its content). */
const REPLY = new Set(['ok', 'repair_ok', 'invalid_output']);
const SUCCESS = new Set(['ok', 'repair_ok']);

const isCloud = (a: TuningAttempt): boolean => a.provider !== 'local';
const isReply = (a: TuningAttempt): boolean => isCloud(a) && REPLY.has(a.outcome);
/** Sent to the provider: a reply or a failure of the attempt itself (not skipped before sending, not the request's own 4xx). */
const isSent = (a: TuningAttempt): boolean => isCloud(a) && !a.outcome.startsWith('skipped:') && a.outcome !== 'bad_request';

/**
 * Preset changes the recorded calls argue for, per operation (sorted by operation, then maxTokens, temperature,
 * model). Pure and deterministic: the same records, presets and models give the same suggestions.
 *
 * - `maxTokens`: the `quantile` of output tokens of successful replies plus `margin`, rounded up to a round number,
 *   when it differs from today's by `minChange` or more; raised by `capRaise` when more than `capHitRate` of replies
 *   reached today's cap (a reply at the cap was cut short). Needs `minSamples` successful replies.
 * - `temperature`: `temperatureStep` lower when more than `invalidRate` of calls had an invalid reply (repaired or
 *   rejected). Needs `minSamples` calls with a reply.
 * - `model`: prefer a model at least `minSaving` cheaper per call than the one answering most calls today, when both
 *   answered `modelMinCalls` calls and the cheaper one's validity and availability are within tolerance.
 *
 * `presetOf` gives the preset an operation ran with; `models` the registry (prices, when records carry no cost).
 */
export function suggestTuning(records: readonly TuningRecord[], presetOf: (operation: string) => OperationPreset, models: readonly Pick<ModelInfo, 'id' | 'price'>[] = [], options: Partial<TuningOptions> = {}): TuningReport {
  const o: TuningOptions = { ...DEFAULT_TUNING, ...options };
  const byOp = new Map<string, TuningRecord[]>();
  for (const r of records) {
    const list = byOp.get(r.operation);
    if (list) list.push(r);
    else byOp.set(r.operation, [r]);
  }
  const prices = new Map(models.map((m) => [m.id, m]));
  const suggestions: Suggestion[] = [];
  const operations: OperationSummary[] = [];
  for (const op of [...byOp.keys()].sort()) {
    const recs = byOp.get(op) as TuningRecord[];
    const preset = presetOf(op);
    const notes: string[] = [];
    const live = recs.filter((r) => !r.cached);
    const answered = live.filter((r) => r.attempts.some(isReply));
    for (const rule of [maxTokensRule, temperatureRule, modelRule]) {
      const r = rule(op, live, answered, preset, prices, o);
      if ('note' in r) notes.push(r.note);
      else suggestions.push(r);
    }
    operations.push({ operation: op, calls: recs.length, cloudCalls: answered.length, notes });
  }
  return { records: records.length, suggestions, operations, options: o };
}

type RuleResult = Suggestion | { readonly note: string };
type Rule = (op: string, live: readonly TuningRecord[], answered: readonly TuningRecord[], preset: OperationPreset, prices: ReadonlyMap<string, Pick<ModelInfo, 'id' | 'price'>>, o: TuningOptions) => RuleResult;

const maxTokensRule: Rule = (operation, live, _answered, preset, _prices, o) => {
  const replies = live.flatMap((r) => r.attempts.filter((a) => isReply(a) && a.outputTokens !== undefined));
  const ok = replies.filter((a) => SUCCESS.has(a.outcome)).map((a) => a.outputTokens as number).sort((a, b) => a - b);
  const current = preset.maxTokens;
  if (ok.length < o.minSamples) return { note: `maxTokens: ${ok.length} successful replies, ${o.minSamples} needed` };
  const atQ = quantile(ok, o.quantile);
  const capHits = replies.filter((a) => (a.outputTokens as number) >= current).length;
  const capRate = capHits / replies.length;
  const fit = Math.max(preset.minOutputTokens, roundUpNice(atQ * (1 + o.margin)));
  const q = `p${fmtNum(o.quantile * 100)}`;
  const evidence: Evidence = { samples: ok.length, quantile: o.quantile, atQuantile: atQ, p50: quantile(ok, 0.5), max: ok[ok.length - 1] as number, replies: replies.length, capHits, capHitRate: round4(capRate) };
  if (capRate > o.capHitRate) {
    const suggested = Math.max(fit, roundUpNice(current * o.capRaise));
    return { operation, field: 'maxTokens', current, suggested, evidence, rationale: `${capHits} of ${replies.length} replies (${pct(capRate)}) reached the cap of ${current} tokens and were cut short; raise it to ${suggested}` };
  }
  if (capHits > 0 && fit < current) return { note: `maxTokens: ${capHits} of ${replies.length} replies reached the cap of ${current} tokens; not lowering it` };
  if (Math.abs(fit - current) / current < o.minChange) return { note: `maxTokens: ${q} of ${ok.length} successful replies is ${atQ} tokens; ${current} fits` };
  const rationale = fit < current
    ? `${q} of ${ok.length} successful replies is ${atQ} tokens (longest ${evidence.max as number}); ${fit} leaves ${pct(o.margin)} headroom, and a lower cap shrinks every reservation and cost estimate`
    : `${q} of ${ok.length} successful replies is ${atQ} tokens, within ${pct(o.margin)} of the cap of ${current}; ${fit} leaves that headroom`;
  return { operation, field: 'maxTokens', current, suggested: fit, evidence, rationale };
};

const temperatureRule: Rule = (operation, _live, answered, preset, _prices, o) => {
  const n = answered.length;
  if (n < o.minSamples) return { note: `temperature: ${n} calls with a reply, ${o.minSamples} needed` };
  let invalid = 0;
  let repaired = 0;
  let rejected = 0;
  for (const r of answered) {
    const cloud = r.attempts.filter(isReply);
    if (!cloud.some((a) => a.outcome === 'invalid_output')) continue;
    invalid++;
    if (cloud.some((a) => a.outcome === 'repair_ok')) repaired++;
    else if (!cloud.some((a) => SUCCESS.has(a.outcome))) rejected++;
  }
  const rate = invalid / n;
  const current = preset.temperature;
  const evidence: Evidence = { samples: n, invalidCalls: invalid, invalidRate: round4(rate), repairRate: round4(repaired / n), rejectionRate: round4(rejected / n) };
  if (rate <= o.invalidRate) return { note: `temperature: invalid replies in ${pct(rate)} of ${n} calls (threshold ${pct(o.invalidRate)})` };
  if (current <= 0) return { note: `temperature: invalid replies in ${pct(rate)} of ${n} calls, but it is 0 already (look at the prompt or the schema)` };
  const suggested = Math.max(0, Math.round((current - o.temperatureStep) * 100) / 100);
  return {
    operation, field: 'temperature', current, suggested, evidence,
    rationale: `${invalid} of ${n} calls (${pct(rate)}, above ${pct(o.invalidRate)}) had an invalid reply: ${repaired} repaired, ${rejected} rejected after repair; a lower temperature makes the output steadier`,
  };
};

/** One model's record on one operation. */
interface ModelFigures {
  readonly id: string;
  /** Calls in which it replied. */
  calls: number;
  /** …with a valid first reply (no repair). */
  valid: number;
  /** Attempts sent, and those that got a reply. */
  sent: number;
  replied: number;
  costUsd: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

const modelRule: Rule = (operation, live, _answered, preset, prices, o) => {
  const figs = new Map<string, ModelFigures>();
  for (const r of live) {
    const seen = new Set<string>();
    for (const a of r.attempts) {
      if (!isSent(a)) continue;
      const id = `${a.provider}:${a.model}`;
      let f = figs.get(id);
      if (!f) figs.set(id, (f = { id, calls: 0, valid: 0, sent: 0, replied: 0, costUsd: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 }));
      f.sent++;
      f.costUsd += a.costUsd ?? 0;
      f.inputTokens += a.inputTokens ?? 0;
      f.cachedInputTokens += a.cachedInputTokens ?? 0;
      f.outputTokens += a.outputTokens ?? 0;
      if (!REPLY.has(a.outcome)) continue;
      f.replied++;
      if (seen.has(id)) continue; // a repair: the first reply decides validity
      seen.add(id);
      f.calls++;
      if (a.outcome === 'ok') f.valid++;
    }
  }
  const ranked = [...figs.values()].sort((a, b) => b.calls - a.calls || (a.id < b.id ? -1 : 1));
  const top = (preset.model !== undefined ? figs.get(preset.model) : undefined) ?? ranked[0];
  if (!top) return { note: 'model: no cloud replies' };
  const others = ranked.filter((f) => f !== top);
  if (others.length === 0) return { note: `model: only ${top.id} answered` };
  if (top.calls < o.modelMinCalls) return { note: `model: ${top.id} answered ${top.calls} calls, ${o.modelMinCalls} needed to compare` };
  const topCost = perCall(top, prices);
  if (topCost === undefined) return { note: `model: no cost known for ${top.id}` };
  const validity = (f: ModelFigures): number => f.valid / f.calls;
  const availability = (f: ModelFigures): number => (f.sent ? f.replied / f.sent : 0);
  const qualified = others
    .filter((f) => f.calls >= o.modelMinCalls)
    .map((f) => ({ f, cost: perCall(f, prices) }))
    .filter((x): x is { f: ModelFigures; cost: number } => x.cost !== undefined && x.cost <= topCost * (1 - o.minSaving))
    .filter((x) => validity(x.f) >= validity(top) - o.qualityTolerance - 1e-12 && availability(x.f) >= availability(top) - o.availabilityTolerance - 1e-12)
    .sort((a, b) => a.cost - b.cost || validity(b.f) - validity(a.f) || (a.f.id < b.f.id ? -1 : 1));
  const best = qualified[0];
  if (!best) {
    const enough = others.filter((f) => f.calls >= o.modelMinCalls);
    if (enough.length === 0) return { note: `model: no other model answered ${o.modelMinCalls} calls (most: ${others[0]?.id} with ${others[0]?.calls})` };
    return { note: `model: no model at least ${pct(o.minSaving)} cheaper than ${top.id} kept its validity (${pct(validity(top))}) and availability (${pct(availability(top))})` };
  }
  const b = best.f;
  return {
    operation, field: 'model', current: preset.model ?? null, suggested: b.id,
    evidence: {
      samples: b.calls, validity: round4(validity(b)), availability: round4(availability(b)), costPerCallUsd: round8(best.cost),
      compared: top.id, comparedSamples: top.calls, comparedValidity: round4(validity(top)), comparedAvailability: round4(availability(top)), comparedCostPerCallUsd: round8(topCost),
    },
    rationale: `${b.id} answered ${b.calls} calls valid without repair in ${pct(validity(b))} (vs ${pct(validity(top))} for ${top.id} over ${top.calls}) at ${pct(1 - best.cost / topCost)} less per call ($${best.cost.toPrecision(3)} vs $${topCost.toPrecision(3)}); prefer it, ${top.id} and the rest stay as fallbacks`,
  };
};

/** USD per call in which the model replied: what the records say it cost, else its registry price for the tokens it used. */
function perCall(f: ModelFigures, prices: ReadonlyMap<string, Pick<ModelInfo, 'id' | 'price'>>): number | undefined {
  if (f.calls === 0) return undefined;
  if (f.costUsd > 0) return f.costUsd / f.calls;
  const m = prices.get(f.id);
  return m ? costUsd(m, { inputTokens: f.inputTokens, cachedInputTokens: f.cachedInputTokens, outputTokens: f.outputTokens }) / f.calls : undefined;
}

/** Nearest-rank quantile of an ascending list. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Up to a round number: 1 significant step of half a decade (47 → 50, 187 → 200, 660 → 700, 1234 → 1500). */
export function roundUpNice(x: number): number {
  if (x <= 10) return Math.max(1, Math.ceil(x));
  const step = 10 ** Math.floor(Math.log10(x)) / 2;
  return Math.ceil(x / step - 1e-9) * step;
}

function pct(x: number): string {
  return `${fmtNum(Math.round(x * 1000) / 10)}%`;
}

function fmtNum(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 10) / 10);
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;

const AttemptSchema = z.object({
  provider: z.string().min(1),
  model: z.string(),
  outcome: z.string().min(1),
  inputTokens: z.number().min(0).optional(),
  outputTokens: z.number().min(0).optional(),
  cachedInputTokens: z.number().min(0).optional(),
  costUsd: z.number().min(0).optional(),
});

const RecordSchema = z.object({
  operation: z.string().min(1),
  cached: z.boolean(),
  attempts: z.array(AttemptSchema).max(1000),
});

/** Most records a file may hold. */
export const MAX_TUNING_RECORDS = 1_000_000;

/**
 * Call records from JSON (an array of telemetry records, or `{ records: [...] }`), checked for the fields the tuner
 * reads; other fields are ignored. Throws a {@link ValidationError} naming each bad field (the first 20).
 */
export function parseTuningRecords(raw: unknown, source: string): TuningRecord[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null && Array.isArray((raw as { records?: unknown }).records) ? (raw as { records: unknown[] }).records : undefined;
  if (!list) throw new ValidationError(source, [{ path: [], message: 'expected an array of call records, or { records: [...] }' }]);
  const r = z.array(RecordSchema).max(MAX_TUNING_RECORDS).safeParse(list);
  if (!r.success) throw new ValidationError(source, r.error.issues.slice(0, 20).map((i) => ({ path: Array.isArray(raw) ? i.path : ['records', ...i.path], message: i.message })));
  return r.data;
}
