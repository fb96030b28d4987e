// `npm run bench:battles`: seeded headless battles of packs against scripted player bots, in four modes:
// solo (individual minds only), tactician (the room coordinator with the local tactician), cloud (the
// coordinator asking cloud tactics through the LLM gateway against a fake provider: good, invalid and late plans;
// no response cache) and cloud_cache (the same, with the gateway's cache on: plans keyed by the quantised situation).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import {
  BehaviourRegistry, coordinatorBehaviour, coordinatorSpawn, FlatTerrain, localTactician, monsterBehaviour, PlanSchema, playerBehaviour, Simulation,
} from '../actors/index.ts';
import type { Behaviour, BattleContext, CoordinatorState, Mind, MindRequest, Plan, ReplyInput, WorldInput } from '../actors/index.ts';
import { defaultModelRegistry, LlmGateway, registryFrom } from '../llm/index.ts';
import type { ModelInfo } from '../llm/index.ts';
import { CloudTactics, MindService } from '../minds/index.ts';
import { ManualClock, Rng } from '../shared/index.ts';
import { round } from './stats.ts';

type Mode = 'solo' | 'tactician' | 'cloud' | 'cloud_cache';
const MODES: readonly Mode[] = ['solo', 'tactician', 'cloud', 'cloud_cache'];
const isCloud = (m: Mode): boolean => m === 'cloud' || m === 'cloud_cache';
const DT = 1 / 20;
/** Battles end after this many ticks (90 s); an unfinished battle is a loss for the pack. */
const MAX_TICKS = 1800;
/** Virtual latency: a reply's wall time × this = simulation time it takes (fake provider ms → game ms). */
const LATENCY_SCALE = 20;
/** Fake provider: share of late plans (delayed past the coordinator's 2 s deadline) and of invalid ones. */
const LATE = 0.15;
const INVALID = 0.15;
const LATE_MS = 150;
/** A bot's damage per hit (every 0.5 s). */
const BOT_DAMAGE = Number(process.env.BATTLES_BOT_DAMAGE ?? 5);

/** A scripted player bot: walks to the nearest monster within 40 units and hits it whenever the cooldown allows. */
interface BotState { readonly nextAttack: number }
const botBehaviour: Behaviour<BotState, { damage: number; cooldown: number; range: number }> = {
  name: 'bot',
  init: () => ({ nextAttack: 0 }),
  receive(state, message, ctx) {
    if (message.type !== 'tick') return { state };
    const me = ctx.body;
    if (!me || !me.alive) return { state };
    const t = ctx.nearest(40, (c, self) => c.faction !== self.faction);
    if (!t) return me.vx || me.vy ? { state, effects: [{ type: 'move', vx: 0, vy: 0 }] } : { state };
    const dx = t.x - me.x;
    const dy = t.y - me.y;
    const d = Math.hypot(dx, dy);
    const reach = ctx.params.range + me.radius + t.radius;
    if (d <= reach) {
      const effects: { type: 'move'; vx: number; vy: number }[] = me.vx || me.vy ? [{ type: 'move', vx: 0, vy: 0 }] : [];
      if (ctx.time >= state.nextAttack) return { state: { nextAttack: ctx.time + ctx.params.cooldown }, effects: [...effects, { type: 'attack', target: t.id, damage: ctx.params.damage, range: ctx.params.range }] };
      return { state, effects };
    }
    return { state, effects: [{ type: 'move', vx: (dx / d) * me.speed, vy: (dy / d) * me.speed }] };
  },
};

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

function registry(): BehaviourRegistry {
  return new BehaviourRegistry().register(monsterBehaviour).register(playerBehaviour).register(botBehaviour).register(timedCoordinator);
}

/** A seeded arena: 48×48 with a few wall blocks between the two sides. */
function arena(rng: Rng): FlatTerrain {
  const walls: [number, number][] = [];
  for (let k = 0; k < 4; k++) {
    const x0 = rng.int(18, 28);
    const y0 = rng.int(10, 36);
    const w = rng.int(1, 3);
    const h = rng.int(2, 5);
    for (let x = x0; x < x0 + w; x++) for (let y = y0; y < y0 + h; y++) walls.push([x, y]);
  }
  return new FlatTerrain(48, 48, walls);
}

/** Pack of 4 wolves (40 hp, 10 damage per 1 s: 160 hp, 40 dps) against 2 bots (100 hp, 5 damage per 0.5 s: 200 hp, 20 dps); both sides need ~5–8 s. */
function spawns(rng: Rng): WorldInput[] {
  const out: WorldInput[] = [];
  const params = { perception: 8, damage: 10, cooldown: 1, respawnDelay: 3600, activation: 20 };
  for (let i = 0; i < 4; i++) {
    out.push({
      type: 'spawn',
      spec: { kind: 'monster', behaviour: 'monster', params, body: { x: 10 + rng.float(-3, 3), y: 24 + rng.float(-6, 6), maxHp: 40, speed: 3, faction: 'wild' }, tags: { species: 'wolf', biome: 'forest', pack: 'p', name: `wolf${i}` } },
    });
  }
  for (let i = 0; i < 2; i++) {
    out.push({ type: 'spawn', spec: { kind: 'player', behaviour: 'bot', params: { damage: BOT_DAMAGE, cooldown: 0.5, range: 0.8 }, body: { x: 38 + rng.float(-2, 2), y: 24 + rng.float(-6, 6), maxHp: 100, speed: 3.5, faction: 'players' }, tags: { name: `bot${i}` } } });
  }
  return out;
}

interface BattleResult { win: boolean; dealt: number; taken: number; ticks: number; coordinatorTicks: number; stats: CoordinatorState['stats'] | null }

/**
 * One battle. `clock` (the gateway's, in the cloud modes) advances with simulation time: breaker cooldowns and the
 * cache's lifetime (30 s for tactics) count game seconds, as they would in a room running in real time, and
 * battles run one after another share the cache as rooms of one deployment would.
 */
async function battle(seed: string, mode: Mode, minds: Record<string, Mind>, clock?: ManualClock): Promise<BattleResult> {
  const rng = Rng.create(seed);
  const terrain = arena(rng.fork('arena'));
  const sim = new Simulation({ seed, registry: registry(), terrain, record: false });
  for (const s of spawns(rng.fork('spawns'))) sim.input(s);
  if (mode !== 'solo') sim.input(coordinatorSpawn({ askCloud: isCloud(mode), tier: 'whale', budgetUsd: 10, room: seed, planTimeout: 2, cloudEvery: 4, engageRange: 16 }));
  const later = new Map<number, ReplyInput[]>();
  let dealt = 0;
  let taken = 0;
  let win = false;
  let tick = 0;
  const monsters: number[] = [];
  const players: number[] = [];
  for (; tick < MAX_TICKS; tick++) {
    for (const r of later.get(tick) ?? []) sim.reply(r);
    later.delete(tick);
    clock?.advance(DT * 1000);
    const report = sim.step();
    if (tick === 0) {
      for (const a of sim.world.actors.values()) (a.kind === 'monster' ? monsters : a.kind === 'player' ? players : []).push(a.id);
    }
    for (const a of report.attacks) {
      if (monsters.includes(a.attacker)) dealt += a.damage;
      else if (monsters.includes(a.target)) taken += a.damage;
    }
    const byPort = new Map<string, MindRequest[]>();
    for (const q of report.requests) byPort.set(q.port, [...(byPort.get(q.port) ?? []), q]);
    for (const [port, batch] of byPort) {
      const mind = minds[port];
      if (!mind) continue;
      const t0 = performance.now();
      const replies = await mind.serve(batch);
      // Cloud answers take virtual time (wall latency × LATENCY_SCALE); local minds answer on the next tick.
      const at = port === 'plan' ? tick + 1 + Math.ceil(((performance.now() - t0) * LATENCY_SCALE) / 1000 / DT) : tick + 1;
      later.set(at, [...(later.get(at) ?? []), ...replies]);
    }
    const alive = (ids: number[]): boolean => ids.some((id) => sim.world.actors.get(id)?.body?.alive);
    if (!alive(players)) {
      win = true;
      break;
    }
    if (!alive(monsters)) break;
  }
  const coordinator = [...sim.world.actors.values()].find((a) => a.kind === 'coordinator');
  return { win, dealt, taken, ticks: tick + 1, coordinatorTicks: coordinator ? tick + 1 : 0, stats: coordinator ? (coordinator.state as CoordinatorState).stats : null };
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

/** Run the battles benchmark; returns flat metrics (bench/results/battles.json) and prints a table. */
export async function runBattlesBench(opts: { smoke: boolean }): Promise<Record<string, number>> {
  const n = opts.smoke ? 3 : Number(process.env.BATTLES_N ?? 100);
  const service = await MindService.create({ logger: () => {} });
  const fake = await fakeTactics('bench-battles-fake');
  try {
    const { id: _id, ...entry } = defaultModelRegistry().models.find((m) => m.id === 'openai:gpt-4o-mini') as ModelInfo;
    const clocks: Partial<Record<Mode, ManualClock>> = { cloud: new ManualClock(1_700_000_000_000), cloud_cache: new ManualClock(1_700_000_000_000) };
    const gatewayWith = (cache: boolean, clock: ManualClock): LlmGateway => {
      const gw = new LlmGateway({
        registry: registryFrom({ models: [{ ...entry, rpm: 0, tpm: 0 }] }), providers: { openai: { apiKey: 'sk-bench-battles', baseURL: fake.baseURL } },
        retry: { maxRetries: 0 }, cache: { enabled: cache }, rng: Rng.create('bench-battles'), clock,
      });
      gw.registerLocal('tactics', ({ input }) => localTactician(input as BattleContext));
      return gw;
    };
    const gateways: Partial<Record<Mode, LlmGateway>> = { cloud: gatewayWith(false, clocks.cloud as ManualClock), cloud_cache: gatewayWith(true, clocks.cloud_cache as ManualClock) };
    const clouds: Partial<Record<Mode, CloudTactics>> = {
      cloud: new CloudTactics({ gateway: gateways.cloud as LlmGateway, schema: PlanSchema }),
      cloud_cache: new CloudTactics({ gateway: gateways.cloud_cache as LlmGateway, schema: PlanSchema }),
    };
    const out: Record<string, number> = {};
    const rows: Record<string, unknown>[] = [];
    let coordTicks = 0;
    let coordMs = 0;
    for (const mode of MODES) {
      const cloud = clouds[mode];
      const gateway = gateways[mode];
      const minds: Record<string, Mind> = { personality: service.personality, think: service.think, ...(cloud && { plan: cloud }) };
      let wins = 0, dealt = 0, taken = 0, killTicks = 0;
      const totals = { cloudAccepted: 0, cloudRejected: 0, cloudStale: 0, cloudFailed: 0, cloudLocal: 0, cloudAsked: 0, tacticianPlans: 0, repairs: 0 };
      fake.reset();
      const callsBefore = fake.calls();
      coordinatorMs = 0;
      for (let i = 0; i < n; i++) {
        const r = await battle(`battle-${i}`, mode, minds, clocks[mode]);
        if (r.win) {
          wins++;
          killTicks += r.ticks;
        }
        dealt += r.dealt;
        taken += r.taken;
        if (r.stats) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r.stats[k];
        if (mode !== 'solo') coordTicks += r.coordinatorTicks;
      }
      if (mode !== 'solo') coordMs += coordinatorMs;
      out[`win_rate_${mode}`] = round(wins / n, 3);
      out[`damage_ratio_${mode}`] = round(dealt / Math.max(1, taken), 3);
      out[`ticks_to_kill_${mode}`] = wins ? round(killTicks / wins, 1) : MAX_TICKS;
      if (cloud && gateway) {
        // Of the plans asked for, the share that arrived in time, passed validation (possibly repaired) and was applied.
        out[`plan_valid_rate_${mode}`] = round(totals.cloudAsked ? totals.cloudAccepted / totals.cloudAsked : 0, 3);
        out[`llm_calls_per_battle_${mode}`] = round((fake.calls() - callsBefore) / n, 2);
        out[`cost_usd_per_battle_${mode}`] = round(gateway.telemetry.aggregates().costUsd.total / n, 6);
        // Repairs the coordinator made per plan it applied (tactician and cloud): cached plans were made for another battle.
        out[`repairs_per_plan_${mode}`] = round((totals.repairs) / Math.max(1, totals.cloudAccepted + totals.tacticianPlans), 3);
      }
      if (mode === 'cloud_cache' && cloud) {
        // Of the plan asks, the share served from the cache (a plan made for a battle like this one).
        out.cache_hit_rate_cloud = round(cloud.stats.requests ? cloud.stats.cached / cloud.stats.requests : 0, 3);
      }
      rows.push({ mode, win_rate: out[`win_rate_${mode}`], damage_ratio: out[`damage_ratio_${mode}`], ticks_to_kill: out[`ticks_to_kill_${mode}`], ...(mode !== 'solo' && totals), ...(cloud && { cached: cloud.stats.cached }) });
    }

    out.coordinator_ms_per_tick = round(coordTicks ? coordMs / coordTicks : 0, 4);
    out.win_rate_gain_tactician = round((out.win_rate_tactician as number) - (out.win_rate_solo as number), 3);
    // The same seeds with and without the cache.
    out.win_rate_cloud_nocache = out.win_rate_cloud as number;
    out.win_rate_cache_delta_cloud = round((out.win_rate_cloud_cache as number) - (out.win_rate_cloud as number), 3);
    console.table(rows);
    console.table(out);
    return out;
  } finally {
    await new Promise<void>((r) => {
      fake.server.closeAllConnections();
      fake.server.close(() => r());
    });
    await service.close();
  }
}
