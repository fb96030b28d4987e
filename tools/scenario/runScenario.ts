import { checkOutcome, coordinatorSpawn, defaultRegistry, parseEventLog, parseScenario, planScenario, resolveSite, Simulation } from '../../actors/index.ts';
import type { BehaviourRegistry, EventLog, Mind, MindRequest, Outcome, ReplyInput, Scenario, ScenarioPlan, StepReport } from '../../actors/index.ts';
import type { LlmGateway, ProviderStatus } from '../../llm/index.ts';
import { createWorldGen } from '../../procgen/index.ts';
import type { WorldGen } from '../../procgen/index.ts';
import { DecisionLog } from '../../rooms/index.ts';
import { stableHash } from '../../shared/index.ts';
import { LlmTally } from './llmTally.ts';
import { buildRunReport } from './runReport.ts';
import { RunTimeline } from './runTimeline.ts';
import type { RunReport } from './runReport.ts';

/** What a recorded run stores as its setup: enough to rebuild the world for a replay, and to tell which run it was. */
export interface ScenarioRunSetup {
  readonly kind: 'lairmind-scenario-run';
  readonly scenario: Scenario;
  /** {@link scenarioHash} of `scenario`; a replay refuses a log whose scenario no longer hashes to it. */
  readonly scenarioHash: string;
  /** The seed the run used (the scenario's, or the `--seed` override). */
  readonly seed: string | number;
  /** The most steps the run was allowed (`--ticks`); it ran fewer when a win or lose condition ended it. */
  readonly ticks: number;
}

/** A recorded run read back: its log, its setup, how many ticks it ran and the final hash it ended with. */
export interface RecordedRun {
  readonly log: EventLog;
  readonly scenario: Scenario;
  readonly scenarioHash: string;
  readonly seed: string | number;
  /** Ticks the run stepped. */
  readonly ran: number;
  /** The step limit it was given; null for logs recorded before the setup kept it. */
  readonly limit: number | null;
  readonly finalHash: string | null;
}

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Steps to run at most (a win or lose condition may end the run sooner). */
  readonly ticks: number;
  /** Overrides the scenario's world seed. */
  readonly seed?: string | number;
  /** Minds by port (`personality`, `think`, `chat`, `plan`); a port without one gets error replies. */
  readonly minds?: Readonly<Record<string, Mind | undefined>>;
  /** The gateway behind the `plan` mind, for LLM calls and cost in the report. */
  readonly llm?: LlmGateway;
  /** How `llm` was configured (`scenario run --llm`): the config file and each provider's status, for the report. */
  readonly llmSetup?: { readonly source: string; readonly providers: readonly ProviderStatus[] };
  /** Keep the event log (default true). */
  readonly record?: boolean;
  /**
   * Replay this log instead of planning and asking minds: scenario, seed, ticks, inputs and replies all come from it
   * (`ticks` and `seed` are ignored, and the scenario given must be the recorded one).
   */
  readonly replay?: EventLog;
  /** With `replay`: stop after this tick instead of the recorded last one (the final hash is then not compared). */
  readonly until?: number;
  /** Behaviours (default: the built-in registry). */
  readonly registry?: BehaviourRegistry;
  /** Adds the room-level actors a room would spawn, once before the first step (default: the coordinator). */
  readonly setupWorld?: (sim: Simulation, scenario: Scenario) => void;
  /** Called after each step. */
  readonly onStep?: (report: StepReport, sim: Simulation) => void;
}

/** A finished run. */
export interface ScenarioRun {
  readonly sim: Simulation;
  readonly report: RunReport;
  /** The event log with the final hash (null when not recording). */
  readonly log: (EventLog & { finalHash: string }) | null;
}

/** The procedural world a scenario runs in. */
export function scenarioWorld(scenario: Scenario, seed: string | number = scenario.world.seed): WorldGen {
  const chunks = Math.ceil(scenario.world.size / 64) + 2;
  return createWorldGen({ seed, spawns: { densityScale: scenario.world.monsterDensity, packRadius: 4 }, cache: { maxChunks: chunks * chunks + 256 } });
}

/**
 * Run a scenario headless, with no network: the world from its seed, its spawns, triggers and simulated players,
 * minds answering each step's requests before the next step (so a run is a pure function of the scenario, the seed
 * and the minds), until a win or lose condition holds or `ticks` steps ran. Every input and mind reply goes through
 * the Simulation and is recorded, so {@link runScenario} with `replay` reproduces the final state hash bit for bit.
 */
export async function runScenario(input: Scenario, opts: RunScenarioOptions): Promise<ScenarioRun> {
  const started = performance.now();
  const recorded = opts.replay ? readRecordedRun(opts.replay) : null;
  const log = recorded?.log ?? null;
  if (recorded && scenarioHash(input) !== recorded.scenarioHash) {
    throw new Error(`replay: scenario '${input.name}' (hash ${scenarioHash(input)}) is not the recorded scenario '${recorded.scenario.name}' (hash ${recorded.scenarioHash})`);
  }
  if (recorded && opts.until !== undefined && !(Number.isInteger(opts.until) && opts.until >= 1 && opts.until <= recorded.ran)) {
    throw new Error(`replay: until must be a tick from 1 to ${recorded.ran} (the recording ran ${recorded.ran} ticks), got ${opts.until}`);
  }
  const scenario = recorded ? recorded.scenario : input;
  const seed = recorded ? recorded.seed : (opts.seed ?? scenario.world.seed);
  const gen = scenarioWorld(scenario, seed);
  const runSetup: ScenarioRunSetup = { kind: 'lairmind-scenario-run', scenario, scenarioHash: scenarioHash(scenario), seed, ticks: recorded ? (recorded.limit ?? recorded.ran) : opts.ticks };
  const sim = new Simulation({
    seed,
    registry: opts.registry ?? defaultRegistry(),
    terrain: gen,
    dt: log ? log.dt : 1 / scenario.world.tickRate,
    record: opts.record !== false,
    setup: runSetup,
    ...(log?.world ?? {}),
  });
  const plan: ScenarioPlan = planScenario(scenario, resolveSite(scenario, gen), { seed });
  const decisions = new DecisionLog();
  const stats = new RunStats();
  const timeline = new RunTimeline(plan.packs);
  const maxTicks = recorded ? (opts.until ?? recorded.ran) : opts.ticks;
  let outcome: Outcome | null = null;
  let mindMs = 0;
  const tally = new LlmTally();
  const unsubscribe = opts.llm?.telemetry.onRecord((r) => tally.record(r));

  if (!log) {
    if (opts.setupWorld) opts.setupWorld(sim, scenario);
    else sim.input(roomCoordinator(scenario));
    for (const i of plan.inputs) sim.input(i);
  }
  let entry = 0;
  const entries = log?.entries ?? [];
  try {
    for (let tick = 1; tick <= maxTicks; tick++) {
      if (log) {
        while (entry < entries.length && (entries[entry] as { tick: number }).tick === tick) {
          const e = entries[entry++] as EventLog['entries'][number];
          if ('input' in e) sim.input(e.input);
          else sim.reply(e.reply);
        }
      }
      const t0 = performance.now();
      const report = sim.step();
      stats.step(report, sim, performance.now() - t0);
      timeline.step(report, sim);
      decisions.asked(report.requests);
      opts.onStep?.(report, sim);
      if (!log && report.requests.length) {
        const m0 = performance.now();
        const replies = await serveAll(report.requests, opts.minds ?? {});
        mindMs += performance.now() - m0;
        for (const r of replies) {
          sim.reply(r);
          decisions.replied(r, sim.world.tick);
        }
      } else if (log) {
        // Replayed replies are the ones recorded for the next tick.
        for (let k = entry; k < entries.length && (entries[k] as { tick: number }).tick === tick + 1; k++) {
          const e = entries[k] as EventLog['entries'][number];
          if ('reply' in e) decisions.replied(e.reply, sim.world.tick);
        }
      }
      outcome = checkOutcome(sim.world, plan.win, plan.lose);
      if (outcome && !log) break;
    }
  } finally {
    unsubscribe?.();
  }
  timeline.finish(sim);
  const finalHash = sim.hash();
  const kept = sim.log ? Object.assign(sim.log, { finalHash }) : null;
  const report = buildRunReport({
    scenario, seed, sim, stats, timeline, decisions, outcome, finalHash, plan,
    llm: opts.llm, llmTally: tally, llmSetup: opts.llmSetup, mindMs, wallMs: performance.now() - started,
    replay: recorded ? { expectedHash: recorded.finalHash ?? undefined, recordedTicks: recorded.ran, ...(opts.until !== undefined && { until: opts.until }) } : undefined,
  });
  return { sim, report, log: kept };
}

/** The coordinator a room created from this scenario would have (its LLM tier and budget, tactics or not). */
export function roomCoordinator(scenario: Scenario): ReturnType<typeof coordinatorSpawn> {
  const { tier, budgetUsd, tactics } = scenario.llm;
  return coordinatorSpawn({ tier, ...(budgetUsd !== undefined && { budgetUsd }), ...(tactics === false && { tactics }), room: `scenario-${scenario.name}`.slice(0, 128) });
}

/**
 * A stable hash of a validated scenario's content. Hashed as it reads back from JSON (fields left undefined are
 * absent), so the scenario loaded from its file and the one stored in a log hash alike.
 */
export function scenarioHash(scenario: Scenario): string {
  return stableHash(JSON.parse(JSON.stringify(scenario)) as unknown);
}

/**
 * Read a recorded scenario run (the parsed JSON of a `--record` file). The error names what is wrong: not an event
 * log, not a scenario run's, a stored scenario that no longer validates or no longer matches its hash. Logs recorded
 * before the setup kept the scenario's hash and the step limit are read too (the hash is taken from the scenario
 * they hold; the limit is unknown).
 */
export function readRecordedRun(raw: unknown): RecordedRun {
  const log = parseEventLog(raw);
  const s = log.setup as Partial<Record<keyof ScenarioRunSetup, unknown>> | null;
  if (!s || typeof s !== 'object' || s.kind !== 'lairmind-scenario-run') {
    throw new Error('event log: setup is not a scenario run (record one with `lairmind scenario run FILE --record LOG`)');
  }
  if (s.scenario === undefined) throw new Error('event log: setup.scenario is missing (the recorded scenario is needed to replay it)');
  if (typeof s.seed !== 'string' && typeof s.seed !== 'number') throw new Error('event log: setup.seed is missing or not a string or number');
  if (s.scenarioHash !== undefined && typeof s.scenarioHash !== 'string') throw new Error('event log: setup.scenarioHash is not a string');
  if (s.ticks !== undefined && !(Number.isInteger(s.ticks) && (s.ticks as number) >= log.ticks)) {
    throw new Error(`event log: setup.ticks must be an integer of at least ${log.ticks} (the ticks the log holds), got ${JSON.stringify(s.ticks)}`);
  }
  const scenario = parseScenario(s.scenario);
  const hash = scenarioHash(scenario);
  if (s.scenarioHash !== undefined && s.scenarioHash !== hash) {
    throw new Error(`event log: setup.scenario hashes to ${hash}, not to the recorded setup.scenarioHash ${s.scenarioHash as string} (the log was edited)`);
  }
  const finalHash = (raw as { finalHash?: unknown }).finalHash;
  if (finalHash !== undefined && typeof finalHash !== 'string') throw new Error('event log: finalHash is not a string');
  return { log, scenario, scenarioHash: hash, seed: s.seed, ran: log.ticks, limit: (s.ticks as number | undefined) ?? null, finalHash: finalHash ?? null };
}

/** Serve one step's requests: each port's batch to its mind; ports without a mind, and failures, get error replies. */
async function serveAll(requests: readonly MindRequest[], minds: Readonly<Record<string, Mind | undefined>>): Promise<ReplyInput[]> {
  const byPort = new Map<string, MindRequest[]>();
  for (const r of requests) {
    const list = byPort.get(r.port);
    if (list) list.push(r);
    else byPort.set(r.port, [r]);
  }
  const out: ReplyInput[] = [];
  for (const [port, batch] of byPort) {
    const mind = minds[port];
    let replies: ReplyInput[];
    if (!mind) replies = batch.map((r) => ({ requestId: r.requestId, ok: false, error: `no mind serves port '${port}'` }));
    else {
      try {
        replies = await mind.serve(batch);
      } catch (err) {
        replies = batch.map((r) => ({ requestId: r.requestId, ok: false, error: `mind '${port}' failed: ${err instanceof Error ? err.message : String(err)}` }));
      }
      const answered = new Set(replies.map((r) => r.requestId));
      for (const r of batch) if (!answered.has(r.requestId)) replies.push({ requestId: r.requestId, ok: false, error: `mind '${port}' gave no answer` });
    }
    out.push(...replies);
  }
  return out;
}

/** Running tallies of a run: step times, deaths and damage by side. */
export class RunStats {
  readonly stepMs: number[] = [];
  readonly deathsByFaction: Record<string, number> = {};
  readonly deathsBySpecies: Record<string, number> = {};
  readonly damageByFaction: Record<string, number> = {};
  readonly damageTakenByFaction: Record<string, number> = {};
  readonly events: { tick: number; actor: number; kind: string; text: string }[] = [];

  step(report: StepReport, sim: Simulation, ms: number): void {
    this.stepMs.push(ms);
    const actors = sim.world.actors;
    const killed = new Set<number>();
    for (const a of report.attacks) {
      const att = actors.get(a.attacker);
      const tgt = actors.get(a.target);
      const af = att?.body?.faction ?? '?';
      const tf = tgt?.body?.faction ?? '?';
      this.damageByFaction[af] = (this.damageByFaction[af] ?? 0) + a.damage;
      this.damageTakenByFaction[tf] = (this.damageTakenByFaction[tf] ?? 0) + a.damage;
      if (tgt?.body && !tgt.body.alive && !killed.has(a.target)) {
        killed.add(a.target);
        this.deathsByFaction[tf] = (this.deathsByFaction[tf] ?? 0) + 1;
        const sp = String(tgt.tags?.species ?? tgt.kind);
        this.deathsBySpecies[sp] = (this.deathsBySpecies[sp] ?? 0) + 1;
      }
    }
    for (const e of report.events) if (this.events.length < 200) this.events.push({ tick: sim.world.tick, actor: e.actor, kind: e.event.kind, text: e.event.text });
  }
}
