import { RedisPresence } from '@colyseus/redis-presence';
import { defaultRegistry, Simulation, zoneIdBase } from '../actors/index.ts';
import type { ActorId } from '../actors/index.ts';
import { ZoneLink } from '../rooms/index.ts';
import { zoneGrid, zoneKey, zoneRoomId } from '../shared/index.ts';
import type { TerrainQuery, ZoneCoord } from '../shared/index.ts';
import { Bot } from '../tools/bots/index.ts';
import type { BotBehaviour } from '../tools/bots/index.ts';
import { startServerProcess } from '../tools/loadtest/index.ts';
import type { ServerProcess } from '../tools/loadtest/index.ts';
import { startRedis } from '../tools/redisServer.ts';
import { tempDataDir } from '../tools/tempDataDir.ts';
import { quantile, round } from './stats.ts';

/**
 * `bench:zones`: one world in four zones.
 *
 * 1. The handover protocol at scale: four zone simulations linked through a real Redis (two presence connections,
 *    as two processes would hold), thousands of walkers crossing borders back and forth until 10,000 handovers;
 *    then every walker must be in exactly one zone (duplicates and losses counted).
 * 2. Real servers: two `lairmind serve` processes sharing Redis host the four zones; bots (in this process) walk
 *    back and forth across a border while others stay inside a zone, for 60 s: handovers per second, handover
 *    latency, the client's hop time, tick p99 per zone, and bandwidth per client at a border versus inside.
 */
const TOKEN = 'bench-zones-admin-token-0123456789';

/** Open ground everywhere, negative coordinates included (the four zones meet at the origin). */
const OPEN_GROUND: TerrainQuery = { tileSize: 1, isWalkable: () => true, moveCost: () => 1 };

interface ZoneSim {
  readonly coord: ZoneCoord;
  readonly sim: Simulation;
  readonly link: ZoneLink;
}

export async function protocolAtScale(redisUrl: string, smoke: boolean): Promise<Record<string, number>> {
  const grid = zoneGrid(128, 64);
  const target = smoke ? 400 : 10_000;
  const walkersPerZone = smoke ? 40 : 500;
  const presences = [new RedisPresence(redisUrl), new RedisPresence(redisUrl)];
  const coords: ZoneCoord[] = [{ x: -1, y: -1 }, { x: 0, y: -1 }, { x: -1, y: 0 }, { x: 0, y: 0 }];
  let now = 0;
  const zones: ZoneSim[] = [];
  const worldId = `bench-${Date.now()}`;
  for (const [i, coord] of coords.entries()) {
    const sim = new Simulation({ seed: 'bench-zones', registry: defaultRegistry(), terrain: OPEN_GROUND, dt: 1 / 20, idBase: zoneIdBase(coord.x, coord.y) });
    const presence = presences[i % 2] as RedisPresence;
    const link = new ZoneLink({
      roomId: zoneRoomId('bench', coord), worldId, grid, zone: coord, sim: () => sim, presence: () => presence,
      roomIdOf: (z) => zoneRoomId('bench', z), ensure: async () => {}, playerOf: () => null, avatarLeft: () => {}, avatarArrived: () => {},
      log: () => {}, now: () => now,
    });
    await link.open(null);
    zones.push({ coord, sim, link });
  }
  // Walkers stand within 6 tiles of the middle of the world (where the four zones meet) and walk out and back.
  const walkers: ActorId[] = [];
  for (const z of zones) {
    const refs: string[] = [];
    for (let i = 0; i < walkersPerZone; i++) {
      const ref = `w:${zoneKey(z.coord)}:${i}`;
      refs.push(ref);
      const sx = z.coord.x < 0 ? -1 : 1, sy = z.coord.y < 0 ? -1 : 1;
      const x = sx * (1 + ((i * 7) % 50) / 10), y = sy * (1 + ((i * 13) % 50) / 10);
      z.sim.input({ type: 'spawn', ref, spec: { kind: 'player', behaviour: 'player', params: {}, body: { x, y, faction: 'players', speed: 5, maxHp: 100 } } });
    }
    const r = z.sim.step();
    for (const { ref, id } of r.refs) if (refs.includes(ref)) walkers.push(id);
  }
  const holderOf = (id: ActorId): ZoneSim | undefined => zones.find((z) => {
    const a = z.sim.world.actors.get(id);
    return a !== undefined && a.status !== 'stopped';
  });
  const handovers = (): number => zones.reduce((s, z) => s + z.link.counters.handoversOut, 0);
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  const t0 = performance.now();
  let tick = 0;
  let maxHolders = 0;
  while (handovers() < target && tick < 20_000) {
    // Every 2 s each walker turns round (8–10 tiles out and back over the borders).
    if (tick % 40 === 0) {
      const phase = (tick / 40) % 2 === 0 ? 1 : -1;
      for (const [i, id] of walkers.entries()) {
        const z = holderOf(id);
        const dir = i % 2 === 0 ? { x: phase * (i % 4 === 0 ? 1 : -1), y: 0 } : { x: 0, y: phase * (i % 4 === 1 ? 1 : -1) };
        z?.sim.input({ type: 'send', to: id, message: { type: 'command', move: dir } });
      }
    }
    now += 50;
    tick++;
    for (const z of zones) z.link.afterStep(z.sim.step());
    await settle();
    if (tick % 50 === 0) {
      for (const id of walkers) {
        let n = 0;
        for (const z of zones) {
          const a = z.sim.world.actors.get(id);
          if (a && a.status !== 'stopped') n++;
        }
        maxHolders = Math.max(maxHolders, n);
      }
    }
  }
  // Let the last handovers land: stop everyone and step until no outbox holds anything.
  for (const id of walkers) holderOf(id)?.sim.input({ type: 'send', to: id, message: { type: 'command', move: { x: 0, y: 0 } } });
  for (let i = 0; i < 400 && zones.some((z) => z.link.outbox.size > 0); i++) {
    now += 50;
    for (const z of zones) z.link.afterStep(z.sim.step());
    await new Promise((r) => setTimeout(r, 2));
  }
  const wallS = (performance.now() - t0) / 1000;
  let duplicates = 0, losses = 0;
  for (const id of walkers) {
    let n = 0;
    for (const z of zones) {
      const a = z.sim.world.actors.get(id);
      if (a && a.status !== 'stopped') n++;
    }
    if (n === 0) losses++;
    if (n > 1) duplicates++;
  }
  const latencies = zones.flatMap((z) => z.link.counters.latencies);
  for (const z of zones) z.link.close();
  for (const p of presences) p.shutdown();
  const done = handovers();
  console.log(`protocol: ${walkers.length} walkers, ${done} handovers in ${tick} ticks (${round(wallS, 1)} s wall), duplicates ${duplicates}, losses ${losses}, most zones holding one walker at once ${maxHolders}`);
  return {
    protocol_walkers: walkers.length,
    protocol_handovers: done,
    protocol_duplicates: duplicates,
    protocol_losses: losses,
    protocol_max_holders: maxHolders,
    protocol_handovers_per_wall_s: round(done / wallS, 0),
    protocol_handover_p99_sim_ms: round(quantile(latencies, 0.99), 1),
  };
}

/** Walks back and forth across the border x = 0 (from x = -12 to x = 12), turning at each end. */
const borderWalker: BotBehaviour = {
  name: 'wanderer',
  everyMs: 250,
  decide(view, _rng, memory) {
    const me = view.self();
    if (!me) return [];
    const goal = (memory.goal as number | undefined) ?? (me.x < 0 ? 12 : -12);
    memory.goal = Math.abs(me.x - goal) < 1.5 ? -goal : goal;
    return [{ type: 'move', to: { x: memory.goal as number, y: me.y } }];
  },
};

/** Walks small loops well inside its zone. */
const innerWalker: BotBehaviour = {
  name: 'wanderer',
  everyMs: 500,
  decide(view, rng) {
    const me = view.self();
    if (!me) return [];
    return [{ type: 'move', dir: { x: rng.float() * 2 - 1, y: rng.float() * 2 - 1 } }];
  },
};

interface ZoneInfo {
  readonly roomId: string;
  readonly zone: ZoneCoord;
  readonly holds?: boolean;
  readonly handovers: { readonly out: number; readonly in: number };
  readonly handoverP99Ms: number;
  readonly tickP99Ms: number;
  readonly outbox: number;
}

async function zonesOf(servers: readonly ServerProcess[], actor?: number): Promise<ZoneInfo[]> {
  const out: ZoneInfo[] = [];
  for (const s of servers) {
    const http = s.url.replace(/^ws/, 'http');
    const res = await fetch(`${http}/admin/zones${actor ? `?actor=${actor}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    out.push(...((await res.json()) as { zones: ZoneInfo[] }).zones);
  }
  return out;
}

export async function realServers(redisUrl: string, smoke: boolean): Promise<Record<string, number>> {
  const env = {
    REDIS_URL: redisUrl, SEED: 'bench-zones', WORLD_SIZE: '256', ZONE_SIZE: '128', MONSTER_DENSITY: process.env.BENCH_ZONES_DENSITY ?? (smoke ? '0.5' : '2'), MAX_CLIENTS: '2000',
    MATCHMAKE_LOOPBACK: 'exempt', ADMIN_TOKEN: TOKEN, ZONE_SLEEP_SECONDS: '600', LOG_LEVEL: 'warn',
  };
  const servers = [
    await startServerProcess({ ...env, DATA_DIR: tempDataDir('bench-zones-a') }, { publicAddress: true, captureLogs: true }),
    await startServerProcess({ ...env, DATA_DIR: tempDataDir('bench-zones-b') }, { publicAddress: true, captureLogs: true }),
  ];
  const border = smoke ? 4 : 60, inner = smoke ? 2 : 20;
  const seconds = smoke ? 8 : Number(process.env.BENCH_ZONES_SECONDS ?? 60);
  const bots: { bot: Bot; at: 'border' | 'inner' }[] = [];
  try {
    for (let i = 0; i < border + inner; i++) {
      const at = i < border ? 'border' : 'inner';
      const bot = new Bot({ url: (servers[i % 2] as ServerProcess).url, index: i, seed: 'bench-zones', room: 'zone', behaviour: at === 'border' ? borderWalker : innerWalker, pingEveryMs: 0 });
      bots.push({ bot, at });
      if (!(await bot.start())) throw new Error(`bot ${i} could not join: ${bot.errors.map((e) => e.message).join('; ')}`);
    }
    const before = await zonesOf(servers);
    const out0 = before.reduce((s, z) => s + z.handovers.out, 0);
    const bytes0 = bots.map((b) => b.bot.bytes);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const wallS = (performance.now() - t0) / 1000;
    const after = await zonesOf(servers);
    const handovers = after.reduce((s, z) => s + z.handovers.out, 0) - out0;
    const perClient = (at: 'border' | 'inner'): number => {
      const chosen = bots.map((b, i) => ({ b, i })).filter(({ b }) => b.at === at);
      return chosen.reduce((s, { b, i }) => s + (b.bot.bytes - (bytes0[i] as number)), 0) / chosen.length / wallS;
    };
    const hops = bots.flatMap((b) => b.bot.zoneMoves.map((m) => m.ms));
    // Stop walking (no crossing in flight), then ask every zone which holds each bot's avatar.
    for (const { bot } of bots) bot.room?.send('move', { dir: { x: 0, y: 0 } });
    await new Promise((r) => setTimeout(r, 2000));
    let duplicates = 0, losses = 0;
    for (const { bot } of bots) {
      const id = bot.view?.selfId() ?? 0;
      if (!id) continue;
      const held = (await zonesOf(servers, id)).filter((z) => z.holds).length;
      if (held === 0) {
        losses++;
        if (losses <= 5) console.log(`not held anywhere: actor ${id} of ${bot.name} (status ${bot.status}, room ${bot.room?.roomId}, moves ${bot.zoneMoves.length}, alive ${bot.view?.selfAlive()}, errors ${bot.errors.map((e) => e.message).join('; ') || 'none'})`);
      }
      if (held > 1) duplicates++;
    }
    const tickP99 = Math.max(...after.map((z) => z.tickP99Ms));
    const errors = bots.flatMap((b) => b.bot.errors.map((e) => `${e.kind}: ${e.message}`));
    const said = [...new Set(servers.flatMap((sv) => sv.logs.filter((l) => /"level":(40|50)/.test(l)).map((l) => l.replace(/"time":\d+,"pid":\d+,/, ''))))];
    if (said.length) console.log(`servers said (${said.length} kinds):\n${said.slice(0, 8).join('\n')}`);
    if (errors.length) console.log(`bot errors (${errors.length}): ${[...new Set(errors)].slice(0, 6).join(' | ')}`);
    console.log(`servers: ${bots.length} bots (${border} at a border, ${inner} inside) for ${round(wallS, 0)} s: ${handovers} handovers (${round(handovers / wallS, 1)}/s), zones ${after.map((z) => `${z.zone.x},${z.zone.y}: tick p99 ${z.tickP99Ms} ms`).join('; ')}`);
    return {
      handovers_per_s: round(handovers / wallS, 2),
      handover_p99_ms: round(Math.max(...after.map((z) => z.handoverP99Ms)), 1),
      client_hop_p99_ms: round(quantile(hops, 0.99), 1),
      client_hops: hops.length,
      duplicates,
      losses,
      tick_p99_ms_worst_zone: round(tickP99, 2),
      ...Object.fromEntries(after.map((z) => [`tick_p99_ms@zone_${z.zone.x}_${z.zone.y}`, round(z.tickP99Ms, 2)])),
      bytes_per_s_per_client_border: round(perClient('border'), 0),
      bytes_per_s_per_client_inner: round(perClient('inner'), 0),
      border_to_inner_bandwidth_ratio: round(perClient('border') / Math.max(1, perClient('inner')), 2),
    };
  } finally {
    await Promise.all(bots.map((b) => b.bot.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export async function runZonesBench(opts: { smoke: boolean }): Promise<Record<string, number>> {
  const redis = await startRedis();
  try {
    const protocol = await protocolAtScale(redis.url, opts.smoke);
    const servers = await realServers(redis.url, opts.smoke);
    const metrics = { ...protocol, ...servers };
    console.table(metrics);
    return metrics;
  } finally {
    await redis.stop();
  }
}
