// `npm run bench:battles`: seeded headless battles (tools/train/arena.ts) on 200 held-out seeds the training never
// saw, drawn from the full curriculum (every species, pack sizes 2–6, walls, slow ground, cover). Monster minds:
// the hand-written rules, the model distilled from them, the model learned in the simulator (npm run models:train)
// and the learned model under the room coordinator's tactician; packs without a tactician keep their rosters (help
// calls, target reports), and a run without any pack communication shows what communication alone is worth. The
// cloud modes ask cloud tactics through the LLM gateway against a fake provider (good, invalid and late plans),
// without and with the gateway's cache.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { coordinatorBehaviour, localTactician, PlanSchema } from '../actors/index.ts';
import type { Behaviour, BattleContext, CoordinatorState, Mind, MindRequest, Plan } from '../actors/index.ts';
import { defaultModelRegistry, LlmGateway, registryFrom } from '../llm/index.ts';
import type { ModelInfo } from '../llm/index.ts';
import { BUILTIN_MODELS_DIR, CloudTactics, MindService, ThinkMind } from '../minds/index.ts';
import { ManualClock, Rng } from '../shared/index.ts';
import { MAX_TICKS, runBattle } from '../tools/train/arena.ts';
import type { BattleResult, PackVoice } from '../tools/train/arena.ts';
import { battleSpec, FULL_STAGE, heldOutSeed } from '../tools/train/curriculum.ts';
import { join } from 'node:path';
import { round } from './stats.ts';

type Mind4 = 'rules' | 'distilled' | 'learned';
interface ModeSpec { readonly name: string; readonly mind: Mind4; readonly voice: PackVoice; readonly cache?: boolean }
const MODES: readonly ModeSpec[] = [
  { name: 'rules', mind: 'rules', voice: 'roster' },
  { name: 'distilled', mind: 'distilled', voice: 'roster' },
  { name: 'learned', mind: 'learned', voice: 'roster' },
  { name: 'learned_coordinator', mind: 'learned', voice: 'tactician' },
  { name: 'rules_coordinator', mind: 'rules', voice: 'tactician' },
  { name: 'learned_nocomm', mind: 'learned', voice: 'none' },
  { name: 'cloud', mind: 'learned', voice: 'cloud', cache: false },
  { name: 'cloud_cache', mind: 'learned', voice: 'cloud', cache: true },
];
/** Virtual latency: a reply's wall time × this = simulation time it takes (fake provider ms → game ms). */
const LATENCY_SCALE = 20;
/** Fake provider: share of late plans (delayed past the coordinator's 2 s deadline) and of invalid ones. */
const LATE = 0.15;
const INVALID = 0.15;
const LATE_MS = 150;
/** Think batch sizes at which decisions per second are measured: a quiet tick, a busy one, a crowded room's. */
const BATCHES = [1, 16, 256] as const;

/** Time spent in the coordinator's receive, ms. */
let coordinatorMs = 0;
const timedCoordinator: Behaviour<CoordinatorState, never> = {
  ...(coordinatorBehaviour as unknown as Behaviour<CoordinatorState, never>),
  receive(state, message, ctx) {
    const t = performance.now();
    const r = coordinatorBehaviour.receive(state, message, ctx as never);
    coordinatorMs += performance.now() - t;
    return r;
  },
};

/** Wilson 95% interval of k successes in n. */
function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96, p = k / n, d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d, h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/** Mean and 95% interval of the per-seed differences a − b (paired: the same seeds). */
function pairedGain(a: readonly boolean[], b: readonly boolean[]): { mean: number; low: number; high: number } {
  const d = a.map((x, i) => (x ? 1 : 0) - (b[i] ? 1 : 0));
  const n = d.length, mean = d.reduce((s, x) => s + x, 0) / Math.max(1, n);
  const sd = n > 1 ? Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const h = n > 1 ? (1.96 * sd) / Math.sqrt(n) : 1;
  return { mean, low: mean - h, high: mean + h };
}

/** Decisions per second of `mind` serving batches of `size` drawn from `pool` (think requests seen in the battles). */
async function decisionsPerSecond(mind: Mind, pool: readonly MindRequest[], size: number): Promise<number> {
  const batches: MindRequest[][] = [];
  for (let k = 0; k < 16; k++) batches.push(Array.from({ length: size }, (_, i) => ({ ...(pool[(k * size + i) % pool.length] as MindRequest), requestId: i })));
  for (let i = 0; i < 30; i++) await mind.serve(batches[i % 16] as MindRequest[]);
  const reps = Math.max(40, Math.round(40_000 / size));
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await mind.serve(batches[i % 16] as MindRequest[]);
  return (reps * size) / ((performance.now() - t0) / 1000);
}

/**
 * A fake OpenAI-compatible provider answering with plans: the tactician's (good), garbage-filled (invalid), or late.
 * `reset` restarts its random draws, so each mode meets the same sequence of answers.
 */
async function fakeTactics(seed: string): Promise<{ baseURL: string; server: Server; calls: () => number; reset: () => void }> {
  let rng = Rng.create(seed);
  let calls = 0;
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      calls++;
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { model: string; messages: { role: string; content: string }[] };
      const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
      const json = /CONTEXT (\{.*\})\n/.exec(user)?.[1];
      const context = json ? (JSON.parse(json) as BattleContext) : null;
      const roll = rng.next();
      let plan: Plan | Record<string, unknown> = context ? localTactician(context) : { formation: 'blob' };
      if (context && roll < INVALID / 2) {
        // Members that do not exist (the gateway's slot-narrowed schema refuses them and asks once more to repair).
        plan = { ...(plan as Plan), assignments: (plan as Plan).assignments.map((a) => ({ ...a, member: a.member + 1000 })) };
      } else if (context && roll < INVALID) {
        // Invalid for the schema: a point out of range (the gateway asks once more to repair it).
        plan = { ...(plan as Plan), assignments: (plan as Plan).assignments.map((a) => ({ ...a, x: 90, y: 0 })) };
      }
      const text = JSON.stringify(plan);
      const out = JSON.stringify({
        id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text, refusal: null } }],
        usage: { prompt_tokens: Math.ceil(JSON.stringify(body).length / 4), completion_tokens: Math.ceil(text.length / 4), total_tokens: 0 },
      });
      const send = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(out);
      if (roll >= INVALID && roll < INVALID + LATE) setTimeout(send, LATE_MS);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { baseURL: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, server, calls: () => calls, reset: () => void (rng = Rng.create(seed)) };
}

/** Run the battles benchmark; returns flat metrics (bench/results/battles.json) and prints tables. */
export async function runBattlesBench(opts: { smoke: boolean }): Promise<Record<string, number>> {
  const n = opts.smoke ? 3 : Number(process.env.BATTLES_N ?? 200);
  const learned = await MindService.create({ logger: () => {} });
  const distilled = await MindService.create({ logger: () => {}, config: { models: { policy: join(BUILTIN_MODELS_DIR, 'policy') } } });
  const thinkers: Record<Mind4, Mind> = { rules: ThinkMind.rules(), distilled: distilled.think, learned: learned.think };
  const fake = await fakeTactics('bench-battles-fake');
  try {
    const { id: _id, ...entry } = defaultModelRegistry().models.find((m) => m.id === 'openai:gpt-4o-mini') as ModelInfo;
    const gatewayWith = (cache: boolean, clock: ManualClock): LlmGateway => {
      const gw = new LlmGateway({
        registry: registryFrom({ models: [{ ...entry, rpm: 0, tpm: 0 }] }), providers: { openai: { apiKey: 'sk-bench-battles', baseURL: fake.baseURL } },
        retry: { maxRetries: 0 }, cache: { enabled: cache }, rng: Rng.create('bench-battles'), clock,
      });
      gw.registerLocal('tactics', ({ input }) => localTactician(input as BattleContext));
      return gw;
    };
    const out: Record<string, number> = {};
    const rows: Record<string, unknown>[] = [];
    const wins: Record<string, boolean[]> = {};
    const samples: MindRequest[] = [];
    let coordTicks = 0, coordMs = 0;
    for (const mode of MODES) {
      const clock = new ManualClock(1_700_000_000_000);
      const gateway = mode.voice === 'cloud' ? gatewayWith(mode.cache ?? false, clock) : undefined;
      const cloud = gateway ? new CloudTactics({ gateway, schema: PlanSchema }) : undefined;
      const minds: Record<string, Mind> = { personality: learned.personality, think: thinkers[mode.mind], ...(cloud && { plan: cloud }) };
      const results: BattleResult[] = [];
      fake.reset();
      const callsBefore = fake.calls();
      coordinatorMs = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        results.push(await runBattle(battleSpec(heldOutSeed(i), FULL_STAGE), minds, {
          voice: mode.voice, clock, latencyScale: LATENCY_SCALE, coordinator: timedCoordinator,
          ...(mode.name === 'learned' && samples.length < 4096 && { onThink: (b: readonly MindRequest[]) => void samples.push(...b) }),
        }));
      }
      const wall = performance.now() - t0;
      if (mode.voice !== 'none') {
        coordMs += coordinatorMs;
        coordTicks += results.reduce((s, r) => s + r.ticks, 0);
      }
      const k = results.filter((r) => r.win).length;
      const [lo, hi] = wilson(k, n);
      const dealt = results.reduce((s, r) => s + r.dealt, 0), taken = results.reduce((s, r) => s + r.taken, 0);
      const won = results.filter((r) => r.win);
      wins[mode.name] = results.map((r) => r.win);
      out[`win_rate_${mode.name}`] = round(k / n, 3);
      out[`win_rate_${mode.name}_ci_low`] = round(lo, 3);
      out[`win_rate_${mode.name}_ci_high`] = round(hi, 3);
      out[`damage_ratio_${mode.name}`] = round(dealt / Math.max(1, taken), 3);
      out[`ticks_to_kill_${mode.name}`] = won.length ? round(won.reduce((s, r) => s + r.ticks, 0) / won.length, 1) : MAX_TICKS;
      out[`survivors_${mode.name}`] = round(results.reduce((s, r) => s + r.survivors / r.packSize, 0) / n, 3);
      out[`battle_ms_${mode.name}`] = round(wall / n, 2);
      const totals = { cloudAccepted: 0, cloudAsked: 0, tacticianPlans: 0, repairs: 0 };
      for (const r of results) if (r.stats) for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += r.stats[key];
      if (cloud && gateway) {
        out[`plan_valid_rate_${mode.name}`] = round(totals.cloudAsked ? totals.cloudAccepted / totals.cloudAsked : 0, 3);
        out[`llm_calls_per_battle_${mode.name}`] = round((fake.calls() - callsBefore) / n, 2);
        out[`cost_usd_per_battle_${mode.name}`] = round(gateway.telemetry.aggregates().costUsd.total / n, 6);
        if (mode.cache) out.cache_hit_rate_cloud = round(cloud.stats.requests ? cloud.stats.cached / cloud.stats.requests : 0, 3);
      }
      rows.push({ mode: mode.name, mind: mode.mind, voice: mode.voice, win_rate: out[`win_rate_${mode.name}`], ci95: `${round(lo, 3)}–${round(hi, 3)}`, damage_ratio: out[`damage_ratio_${mode.name}`], survivors: out[`survivors_${mode.name}`], tactician_plans: totals.tacticianPlans });
    }
    const gain = (a: string, b: string, name: string): void => {
      const g = pairedGain(wins[a] ?? [], wins[b] ?? []);
      out[name] = round(g.mean, 3);
      out[`${name}_ci_low`] = round(g.low, 3);
      out[`${name}_ci_high`] = round(g.high, 3);
    };
    gain('learned', 'rules', 'learned_gain');
    gain('distilled', 'rules', 'distilled_gain');
    // The tactician's gain by tactics alone (both sides keep rosters), and with the communication it used to bring.
    gain('learned_coordinator', 'learned', 'tactician_gain');
    gain('learned_coordinator', 'learned_nocomm', 'tactician_gain_with_communication');
    gain('rules_coordinator', 'rules', 'tactician_gain_rules');
    gain('learned', 'learned_nocomm', 'communication_gain');
    out.coordinator_ms_per_tick = round(coordTicks ? coordMs / coordTicks : 0, 4);
    out.win_rate_cache_delta_cloud = round((out.win_rate_cloud_cache as number) - (out.win_rate_cloud as number), 3);
    // Speed per decision: the same think requests (seen in the battles), the same ThinkMind path, at each batch size.
    const speed: Record<string, unknown>[] = [];
    for (const size of BATCHES) {
      const row: Record<string, unknown> = { batch: size };
      for (const m of ['rules', 'distilled', 'learned'] as const) {
        const dps = Math.round(await decisionsPerSecond(thinkers[m], samples, size));
        out[`decisions_per_s_${m}@${size}`] = dps;
        row[m] = dps;
      }
      out[`learned_vs_rules_speed@${size}`] = round((out[`decisions_per_s_learned@${size}`] as number) / (out[`decisions_per_s_rules@${size}`] as number), 3);
      speed.push(row);
    }
    // The headline figures: a crowded room's tick (256 decisions), and the worst ratio over all batch sizes.
    out.decisions_per_s_learned = out['decisions_per_s_learned@256'] as number;
    out.decisions_per_s_rules = out['decisions_per_s_rules@256'] as number;
    out.learned_vs_rules_speed_min = Math.min(...BATCHES.map((b) => out[`learned_vs_rules_speed@${b}`] as number));
    console.table(rows);
    console.table(speed);
    console.table(Object.fromEntries(Object.entries(out).filter(([k]) => /gain|speed_min|decisions_per_s_(learned|rules)$/.test(k))));
    return out;
  } finally {
    await new Promise<void>((r) => {
      fake.server.closeAllConnections();
      fake.server.close(() => r());
    });
    await learned.close();
    await distilled.close();
  }
}
