import type { Outcome, Scenario, ScenarioPlan, Simulation } from '../../actors/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import type { DecisionLog } from '../../rooms/index.ts';
import type { RunStats } from './runScenario.ts';

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
  /** Present for replays: the hash the recorded run ended with, and whether this run matched it. */
  readonly replay?: { readonly expectedHash: string | null; readonly matches: boolean | null };
  readonly actors: { readonly spawned: number; readonly alive: number; readonly planned: ScenarioPlan['counts'] };
  readonly deaths: { readonly total: number; readonly byFaction: Record<string, number>; readonly bySpecies: Record<string, number> };
  readonly damage: { readonly total: number; readonly byFaction: Record<string, number>; readonly takenByFaction: Record<string, number> };
  /** Mind answers by port and source; `plans` is the `plan` port's (the coordinator's tactics: provider or local). */
  readonly decisions: Record<string, Record<string, number>>;
  readonly plans: { readonly total: number; readonly bySource: Record<string, number> };
  readonly llm: { readonly calls: number; readonly errors: number; readonly costUsd: number; readonly tokens: { input: number; output: number }; readonly byProvider: Record<string, number> };
  readonly timing: { readonly stepMs: { p50: number; p95: number; p99: number; max: number; mean: number }; readonly mindMs: number; readonly wallMs: number };
  readonly problems: Record<string, number>;
  /** The first speech lines (narrator, NPCs, barks). */
  readonly events: readonly { tick: number; actor: number; kind: string; text: string }[];
}

export interface ReportInputs {
  readonly scenario: Scenario;
  readonly seed: string | number;
  readonly sim: Simulation;
  readonly stats: RunStats;
  readonly decisions: DecisionLog;
  readonly outcome: Outcome | null;
  readonly finalHash: string;
  readonly plan: ScenarioPlan;
  readonly llm: LlmGateway | undefined;
  readonly mindMs: number;
  readonly wallMs: number;
  readonly replay: { readonly expectedHash: string | undefined } | undefined;
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
  for (const a of w.actors.values()) if (a.body?.alive) alive++;
  const sorted = [...i.stats.stepMs].sort((a, b) => a - b);
  const decisions = i.decisions.sources();
  const plans = decisions.plan ?? {};
  const agg = i.llm?.telemetry.aggregates();
  const problems: Record<string, number> = {};
  for (const [k, v] of Object.entries(w.stats.problems)) if (v > 0) problems[k] = v;
  return {
    format: 'lairmind-scenario-report',
    scenario: i.scenario.name,
    seed: i.seed,
    ticks: w.tick,
    seconds: r3(w.time),
    outcome: i.outcome ? { result: i.outcome.result, reason: i.outcome.reason, tick: i.outcome.tick } : { result: 'none', reason: 'no condition met', tick: w.tick },
    finalHash: i.finalHash,
    ...(i.replay && { replay: { expectedHash: i.replay.expectedHash ?? null, matches: i.replay.expectedHash === undefined ? null : i.replay.expectedHash === i.finalHash } }),
    actors: { spawned: w.stats.spawned, alive, planned: i.plan.counts },
    deaths: { total: w.stats.deaths, byFaction: i.stats.deathsByFaction, bySpecies: i.stats.deathsBySpecies },
    damage: { total: r3(sum(i.stats.damageByFaction)), byFaction: i.stats.damageByFaction, takenByFaction: i.stats.damageTakenByFaction },
    decisions,
    plans: { total: sum(plans), bySource: plans },
    llm: agg
      ? { calls: agg.count, errors: agg.errors, costUsd: agg.costUsd.total, tokens: { input: agg.tokens.input, output: agg.tokens.output }, byProvider: agg.costUsd.byProvider }
      : { calls: 0, errors: 0, costUsd: 0, tokens: { input: 0, output: 0 }, byProvider: {} },
    timing: {
      stepMs: { p50: r3(quantile(sorted, 0.5)), p95: r3(quantile(sorted, 0.95)), p99: r3(quantile(sorted, 0.99)), max: r3(sorted[sorted.length - 1] ?? 0), mean: r3(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0) },
      mindMs: r3(i.mindMs),
      wallMs: r3(i.wallMs),
    },
    problems,
    events: i.stats.events,
  };
}

const fmt = (o: Record<string, number>): string => (Object.keys(o).length ? Object.entries(o).map(([k, v]) => `${k} ${Math.round(v * 100) / 100}`).join(', ') : 'none');

/** The human summary printed after a run. */
export function formatSummary(r: RunReport): string {
  const lines = [
    `scenario ${r.scenario} (seed ${String(r.seed)}): ${r.ticks} ticks, ${r.seconds} s simulated`,
    `outcome: ${r.outcome.result}${r.outcome.result === 'none' ? '' : ` at tick ${r.outcome.tick}`} (${r.outcome.reason})`,
    `actors: ${r.actors.spawned} spawned, ${r.actors.alive} alive (planned: ${r.actors.planned.monsters} monsters, ${r.actors.planned.npcs} npcs, ${r.actors.planned.players} players)`,
    `deaths: ${r.deaths.total} (${fmt(r.deaths.byFaction)})`,
    `damage dealt: ${r.damage.total} (${fmt(r.damage.byFaction)})`,
    `plans: ${r.plans.total} (${fmt(r.plans.bySource)}); decisions: ${Object.entries(r.decisions).map(([p, s]) => `${p} ${sum(s)}`).join(', ') || 'none'}`,
    `llm: ${r.llm.calls} calls, ${r.llm.errors} errors, $${r.llm.costUsd.toFixed(6)}`,
    `tick timing: p50 ${r.timing.stepMs.p50} ms, p99 ${r.timing.stepMs.p99} ms, max ${r.timing.stepMs.max} ms; minds ${Math.round(r.timing.mindMs)} ms; wall ${Math.round(r.timing.wallMs)} ms`,
    `final state hash: ${r.finalHash}`,
  ];
  if (r.replay) lines.push(`replay: ${r.replay.matches === null ? 'no recorded hash to compare' : r.replay.matches ? 'matches the recorded run' : `DIFFERS from the recorded run (${r.replay.expectedHash})`}`);
  return lines.join('\n');
}
