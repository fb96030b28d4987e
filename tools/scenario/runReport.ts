import type { CoordinatorState, Outcome, Scenario, ScenarioPlan, Simulation } from '../../actors/index.ts';
import type { LlmGateway, ProviderStatus } from '../../llm/index.ts';
import type { DecisionLog } from '../../rooms/index.ts';
import type { LlmTally } from './llmTally.ts';
import type { RunStats } from './runScenario.ts';
import type { PackSurvivors, PlayerEndState, RunSeries, RunTimeline, TimelineEntry } from './runTimeline.ts';
import { detailLines } from './timelineText.ts';
import { outcomeWords } from './outcomeWords.ts';

/** The JSON report of a headless scenario run (`--report OUT.json`). Times in milliseconds, money in USD. */
export interface RunReport {
  readonly format: 'lairmind-scenario-report';
  readonly scenario: string;
  readonly seed: string | number;
  readonly ticks: number;
  /** Simulated seconds. */
  readonly seconds: number;
  readonly outcome: { readonly result: 'win' | 'lose' | 'none'; readonly reason: string; readonly tick: number };
  readonly finalHash: string;
  /**
   * Present for replays: the hash the recorded run ended with, the ticks it ran, and whether this run matched it
   * (null when there was nothing to compare: no recorded hash, or the replay stopped early at `until`).
   */
  readonly replay?: { readonly expectedHash: string | null; readonly recordedTicks: number; readonly until?: number; readonly matches: boolean | null };
  /** Actors spawned over the run, alive at the end (in all and by kind), and the scenario's planned counts. */
  readonly actors: { readonly spawned: number; readonly alive: number; readonly aliveByKind: Record<string, number>; readonly planned: ScenarioPlan['counts'] };
  readonly deaths: { readonly total: number; readonly byFaction: Record<string, number>; readonly bySpecies: Record<string, number> };
  readonly damage: { readonly total: number; readonly byFaction: Record<string, number>; readonly takenByFaction: Record<string, number> };
  /** Mind answers by port and source; `plans` is the `plan` port's (the coordinator's tactics: provider or local). */
  readonly decisions: Record<string, Record<string, number>>;
  readonly plans: { readonly total: number; readonly bySource: Record<string, number> };
  readonly llm: LlmReport;
  readonly timing: { readonly stepMs: { p50: number; p95: number; p99: number; max: number; mean: number }; readonly mindMs: number; readonly wallMs: number };
  readonly problems: Record<string, number>;
  /**
   * What happened, in tick order, with actors and packs named in words: deaths (with the killer), triggers fired,
   * plans adopted (pack, source) and the outcome. At most 5,000 entries; `timelineDropped` counts the rest.
   */
  readonly timeline: readonly TimelineEntry[];
  readonly timelineDropped: number;
  /** Every pack of the run: members alive of all it had, hp left. */
  readonly survivors: readonly PackSurvivors[];
  /** The simulated players' end state. */
  readonly players: readonly PlayerEndState[];
  /** Living actors and damage dealt (cumulative) per side over the run's ticks, sampled (at most 600 points). */
  readonly series: RunSeries;
  /** The first speech lines (narrator, NPCs, barks). */
  readonly events: readonly { tick: number; actor: number; kind: string; text: string }[];
}

/** What layer 4 did in a run: the coordinator's cloud asks and what became of them, and the gateway's calls and spend. */
export interface LlmReport {
  /** `offline`: no network, the local tactician answers; `live`: the gateway built from the config file (`--llm`). */
  readonly mode: 'offline' | 'live';
  /** The config file (or `embedded default`) of a live run, and each provider's status (`on`, `no key`, `not selected`, `disabled`). */
  readonly config?: string;
  readonly providers?: Record<string, string>;
  /** Gateway calls (cloud or local). */
  readonly calls: number;
  /** The coordinator's `plan` asks: accepted (applied), rejected (failed validation), stale (the battle moved on), failed (error replies), local (the gateway answered with the tactician). */
  readonly cloud: { readonly asked: number; readonly accepted: number; readonly rejected: number; readonly stale: number; readonly failed: number; readonly local: number };
  /** Attempts sent to cloud providers. */
  readonly attempts: number;
  /** Failed cloud attempts plus failed calls, and by kind (`openai:timeout`, `call:error`). */
  readonly errors: number;
  readonly errorsByKind: Record<string, number>;
  /** Calls answered by the local handler (the tactician), and why. */
  readonly fallbacks: { readonly total: number; readonly reasons: Record<string, number> };
  readonly costUsd: number;
  readonly tokens: { input: number; output: number };
  /** Spend by provider and by `provider:model`, USD. */
  readonly byProvider: Record<string, number>;
  readonly byModel: Record<string, number>;
}

export interface ReportInputs {
  readonly scenario: Scenario;
  readonly seed: string | number;
  readonly sim: Simulation;
  readonly stats: RunStats;
  readonly timeline: RunTimeline;
  readonly decisions: DecisionLog;
  readonly outcome: Outcome | null;
  readonly finalHash: string;
  readonly plan: ScenarioPlan;
  readonly llm: LlmGateway | undefined;
  readonly llmTally: LlmTally;
  readonly llmSetup: { readonly source: string; readonly providers: readonly ProviderStatus[] } | undefined;
  readonly mindMs: number;
  readonly wallMs: number;
  readonly replay: { readonly expectedHash: string | undefined; readonly recordedTicks: number; readonly until?: number } | undefined;
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

/** Assemble the report of a finished run. */
export function buildRunReport(i: ReportInputs): RunReport {
  const w = i.sim.world;
  let alive = 0;
  const aliveByKind: Record<string, number> = {};
  for (const a of w.actors.values()) {
    if (!a.body?.alive) continue;
    alive++;
    aliveByKind[a.kind] = (aliveByKind[a.kind] ?? 0) + 1;
  }
  const sorted = [...i.stats.stepMs].sort((a, b) => a - b);
  const decisions = i.decisions.sources();
  const plans = decisions.plan ?? {};
  const problems: Record<string, number> = {};
  for (const [k, v] of Object.entries(w.stats.problems)) if (v > 0) problems[k] = v;
  const outcome: RunReport['outcome'] = i.outcome ? { result: i.outcome.result, reason: i.outcome.reason, tick: i.outcome.tick } : { result: 'none', reason: 'no condition met', tick: w.tick };
  return {
    format: 'lairmind-scenario-report',
    scenario: i.scenario.name,
    seed: i.seed,
    ticks: w.tick,
    seconds: r3(w.time),
    outcome,
    finalHash: i.finalHash,
    ...(i.replay && { replay: replayReport(i.replay, i.finalHash) }),
    actors: { spawned: w.stats.spawned, alive, aliveByKind, planned: i.plan.counts },
    deaths: { total: w.stats.deaths, byFaction: i.stats.deathsByFaction, bySpecies: i.stats.deathsBySpecies },
    damage: { total: r3(sum(i.stats.damageByFaction)), byFaction: i.stats.damageByFaction, takenByFaction: i.stats.damageTakenByFaction },
    decisions,
    plans: { total: sum(plans), bySource: plans },
    llm: llmReport(i),
    timing: {
      stepMs: { p50: r3(quantile(sorted, 0.5)), p95: r3(quantile(sorted, 0.95)), p99: r3(quantile(sorted, 0.99)), max: r3(sorted[sorted.length - 1] ?? 0), mean: r3(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0) },
      mindMs: r3(i.mindMs),
      wallMs: r3(i.wallMs),
    },
    problems,
    timeline: [...i.timeline.entries, outcome.result === 'none' ? { tick: outcome.tick, kind: 'outcome', result: 'none', reason: `no condition met in ${w.tick} ticks` } : { tick: outcome.tick, kind: 'outcome', result: outcome.result, reason: outcomeWords(i.scenario, outcome) }],
    timelineDropped: i.timeline.dropped,
    survivors: i.timeline.survivors(i.sim),
    players: i.timeline.players(i.sim),
    series: i.timeline.series(),
    events: i.stats.events,
  };
}

function replayReport(r: NonNullable<ReportInputs['replay']>, finalHash: string): NonNullable<RunReport['replay']> {
  const compared = r.expectedHash !== undefined && r.until === undefined;
  return {
    expectedHash: r.expectedHash ?? null,
    recordedTicks: r.recordedTicks,
    ...(r.until !== undefined && { until: r.until }),
    matches: compared ? r.expectedHash === finalHash : null,
  };
}

/** The coordinators' cloud counters, summed (a run has one coordinator unless its setup adds more). */
function coordinatorStats(sim: Simulation): LlmReport['cloud'] {
  const c = { asked: 0, accepted: 0, rejected: 0, stale: 0, failed: 0, local: 0 };
  for (const a of sim.world.actors.values()) {
    if (a.kind !== 'coordinator') continue;
    const s = (a.state as Partial<CoordinatorState> | undefined)?.stats;
    if (!s) continue;
    c.asked += s.cloudAsked;
    c.accepted += s.cloudAccepted;
    c.rejected += s.cloudRejected;
    c.stale += s.cloudStale;
    c.failed += s.cloudFailed;
    c.local += s.cloudLocal;
  }
  return c;
}

function llmReport(i: ReportInputs): LlmReport {
  const agg = i.llm?.telemetry.aggregates();
  const t = i.llmTally;
  return {
    mode: i.llmSetup ? 'live' : 'offline',
    ...(i.llmSetup && { config: i.llmSetup.source, providers: Object.fromEntries(i.llmSetup.providers.map((p) => [p.name, p.status])) }),
    calls: agg?.count ?? 0,
    cloud: coordinatorStats(i.sim),
    attempts: t.attempts,
    errors: t.errors,
    errorsByKind: { ...t.errorsByKind },
    fallbacks: { total: t.fallbacks, reasons: { ...t.fallbackReasons } },
    costUsd: agg?.costUsd.total ?? 0,
    tokens: { input: agg?.tokens.input ?? 0, output: agg?.tokens.output ?? 0 },
    byProvider: agg?.costUsd.byProvider ?? {},
    byModel: agg?.costUsd.byModel ?? {},
  };
}

const usd = (o: Record<string, number>): string => (Object.keys(o).length ? Object.entries(o).map(([k, v]) => `${k} $${v.toFixed(6)}`).join(', ') : 'none');

const fmt = (o: Record<string, number>): string => (Object.keys(o).length ? Object.entries(o).map(([k, v]) => `${k} ${Math.round(v * 100) / 100}`).join(', ') : 'none');

function llmLines(l: LlmReport): string[] {
  const c = l.cloud;
  return [
    `llm: ${l.mode === 'live' ? `live (${l.config}; providers: ${Object.entries(l.providers ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})` : 'offline (the local tactician answers)'}; ${l.calls} calls`,
    `cloud: ${c.asked} asked, ${c.accepted} accepted, ${c.rejected} rejected, ${c.stale} stale, ${c.failed} failed, ${c.local} answered locally; ${l.attempts} attempts sent, ${l.errors} errors${l.errors ? ` (${fmt(l.errorsByKind)})` : ''}`,
    `fallbacks: ${l.fallbacks.total} answered by the local tactician${l.fallbacks.total ? ` (${fmt(l.fallbacks.reasons)})` : ''}`,
    `spend: $${l.costUsd.toFixed(6)}, ${l.tokens.input} input and ${l.tokens.output} output tokens; by provider: ${usd(l.byProvider)}; by model: ${usd(l.byModel)}`,
  ];
}

/** The human summary printed after a run; with `details` (the default) the timeline, survivors and players too. */
export function formatSummary(r: RunReport, details = true): string {
  const lines = [
    `scenario ${r.scenario} (seed ${String(r.seed)}): ${r.ticks} ticks, ${r.seconds} s simulated`,
    `outcome: ${r.outcome.result}${r.outcome.result === 'none' ? '' : ` at tick ${r.outcome.tick}`} (${outcomeText(r)})`,
    `actors: ${r.actors.spawned} spawned, ${r.actors.alive} alive (planned: ${r.actors.planned.monsters} monsters, ${r.actors.planned.npcs} npcs, ${r.actors.planned.players} players)`,
    `deaths: ${r.deaths.total} (${fmt(r.deaths.byFaction)})`,
    `damage dealt: ${r.damage.total} (${fmt(r.damage.byFaction)})`,
    `plans: ${r.plans.total} (${fmt(r.plans.bySource)}); decisions: ${Object.entries(r.decisions).map(([p, s]) => `${p} ${sum(s)}`).join(', ') || 'none'}`,
    ...llmLines(r.llm),
    `tick timing: p50 ${r.timing.stepMs.p50} ms, p99 ${r.timing.stepMs.p99} ms, max ${r.timing.stepMs.max} ms; minds ${Math.round(r.timing.mindMs)} ms; wall ${Math.round(r.timing.wallMs)} ms`,
    ...(details ? detailLines(r) : []),
    r.replay?.until !== undefined ? `state hash at tick ${r.ticks}: ${r.finalHash}` : `final state hash: ${r.finalHash}`,
  ];
  if (r.replay) lines.push(replayLine(r.replay, r));
  return lines.join('\n');
}

/** The outcome's reason in words (from the timeline's last entry), or as the run recorded it. */
function outcomeText(r: RunReport): string {
  const last = r.timeline[r.timeline.length - 1];
  return last?.kind === 'outcome' ? last.reason : r.outcome.reason;
}

function replayLine(p: NonNullable<RunReport['replay']>, r: RunReport): string {
  if (p.until !== undefined) {
    const kinds = Object.entries(r.actors.aliveByKind).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    return [
      `replay: stopped at tick ${p.until} of ${p.recordedTicks} (--until); the final state hash was NOT compared with the recording's`,
      `state at tick ${r.ticks}: hash ${r.finalHash}; actors: ${r.actors.spawned} spawned, ${r.actors.alive} alive (${kinds})`,
    ].join('\n');
  }
  if (p.matches === null) return `replay: the recording holds no final hash; nothing to compare (state hash ${r.finalHash})`;
  return p.matches ? `replay: matches the recorded run (${p.recordedTicks} ticks, hash ${r.finalHash})` : `replay: DIFFERS from the recorded run: hash ${r.finalHash}, recorded ${p.expectedHash} after ${p.recordedTicks} ticks`;
}
