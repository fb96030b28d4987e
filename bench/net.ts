import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { quantile, round } from './stats.ts';
import { freePort } from '../tools/freePort.ts';
import { ServerConfigSchema } from '../server/index.ts';

/** What bench/netServer.ts recorded in one measured window. */
export interface Window {
  steps: number[];
  /** When each step ended, ms (performance.now() of the server's process). */
  stepAt: number[];
  patches: number[];
  bytes: number;
  rss: number;
  seconds: number;
  /** Speech lines said in the window, room-wide. */
  lines: number;
  /** Plans in the state, averaged over the window's steps. */
  plans: number;
  /** CPU time the server's process used in the window (user + system), ms. */
  cpuMs: number;
  /** Where the avatars stood at the end: median distance from the centre and to the nearest other avatar, tiles. */
  layout: { fromCentre: number; spacing: number };
}

/** Where the players join: spread over the world as real players are, or gathered about one point. */
type Layout = 'spread' | 'gathered';
const LAYOUTS: readonly Layout[] = ['spread', 'gathered'];

/** The server places joins by layout itself (PLAYER_SPAWNS=spread|gather); otherwise the bench spreads the avatars. */
const SERVER_SPAWNS = 'PLAYER_SPAWNS' in ServerConfigSchema.shape;
/** The server can give clients in one cell one shared view (VIEW_SHARING=cell|client). */
const VIEW_SHARING = 'VIEW_SHARING' in ServerConfigSchema.shape;
/** Spread avatars land within this share of the world's size from the centre (the populated region). */
const SPREAD_SHARE = 0.45;

/** How a run's room and clients behave. */
interface Mode {
  /** Every client sees the whole world (view radius 4096). */
  readonly fullSync?: boolean;
  /** Each client talks to a creature about this often (seconds); 0: silent. */
  readonly talkEvery?: number;
  /** Speech, plans and player entries go to every client, as before they followed the view (the baseline). */
  readonly roomWide?: boolean;
  /** Where the players join (default spread). */
  readonly layout?: Layout;
  /** One view per client or one per cell (only with a server that has VIEW_SHARING). */
  readonly views?: 'client' | 'cell';
  /** Snapshots and the flight recorder off (the baseline of what they cost the tick). */
  readonly noSnapshots?: boolean;
}

/** A bench child process (`node --import tsx <script>`), its stdout as lines. */
export function child(script: string, args: string[], env: Record<string, string>): { proc: ChildProcess; lines: AsyncIterator<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines };
}

/** Read lines until one starts with `prefix`; throws naming `what` when the process ends first. */
export async function expectLine(lines: AsyncIterator<string>, prefix: string, what: string): Promise<string> {
  for (;;) {
    const r = await lines.next();
    if (r.done) throw new Error(`${what} ended before printing '${prefix}'`);
    if (r.value.startsWith(prefix)) return r.value;
  }
}

/** Most clients in a full-sync comparison run. */
const FULL_SYNC_CLIENTS = 10;

/** One run: a server child with a 10k-monster world, K clients in another child, a measured window. */
async function run(k: number, mode: Mode, o: { worldSize: number; density: number; warmupS: number; measureS: number }): Promise<Window> {
  const port = await freePort();
  const layout = mode.layout ?? 'spread';
  const server = child('bench/netServer.ts', [], {
    PORT: String(port), LOG_LEVEL: 'silent', WORLD_SIZE: String(o.worldSize), MONSTER_DENSITY: String(o.density),
    VIEW_RADIUS: mode.fullSync ? '4096' : '24', SEED: 'net-bench', MAX_CLIENTS: '2000', NET_ROOM_WIDE: mode.roomWide ? '1' : '0',
    PLAYER_SPAWNS: layout === 'spread' ? 'spread' : 'gather', NET_SPREAD: String(layout === 'spread' && !SERVER_SPAWNS ? Math.floor(o.worldSize * SPREAD_SHARE) : 0),
    ...(mode.views && { VIEW_SHARING: mode.views }),
    SNAPSHOTS: mode.noSnapshots ? 'off' : 'on',
    // The load generator runs on the server's machine: its hundred joins are not one abusive address.
    MATCHMAKE_LOOPBACK: 'exempt',
  });
  try {
    await expectLine(server.lines, 'ready', 'server');
    const clients = child('bench/netClients.ts', [`ws://127.0.0.1:${port}`, String(k), String(mode.talkEvery ?? 0)], {});
    try {
      await expectLine(clients.lines, 'joined', 'clients');
      await new Promise((r) => setTimeout(r, o.warmupS * 1000));
      server.proc.stdin!.write(`measure ${o.measureS}\n`);
      const line = await expectLine(server.lines, '{', 'server');
      return JSON.parse(line) as Window;
    } finally {
      clients.proc.kill('SIGKILL');
    }
  } finally {
    server.proc.stdin!.write('exit\n');
    await new Promise((r) => setTimeout(r, 300));
    server.proc.kill('SIGKILL');
  }
}

/** Seconds between one client's talk lines in the talking runs (creatures answer, so speech is about twice that). */
const TALK_EVERY_S = 4;

/**
 * `npm run bench:net`: tick time and bandwidth with interest management vs full sync, 1/10/100 clients, with the
 * players spread over the world as real players join (the unsuffixed and `_spread` metrics) and gathered about one
 * point (`_gathered`: where every join landed before spawns spread); the snapshot and talk runs use the spread
 * layout; views per client vs per cell when the server has VIEW_SHARING; then, with
 * every client talking and packs planning, the bandwidth per client when speech, plans and player entries follow
 * each client's view vs when they go to every client in the room (the sync before they followed the view).
 */
export async function runNetBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const sizes = smoke ? [1, 4] : [1, 10, 100];
  // One client hears all the talk there is in either mode: the comparison starts at several.
  const talkSizes = smoke ? [4] : [10, 100];
  // 30 s windows (600 ticks at 20 Hz): p99 is then the 6th-worst tick, not a coin toss over two or three.
  const o = smoke ? { worldSize: 256, density: 2, warmupS: 1, measureS: 1.5 } : { worldSize: 1024, density: 8.4, warmupS: 2, measureS: 30 };
  const metrics: Record<string, number> = {};
  const rows: Record<string, unknown>[] = [];
  console.log(SERVER_SPAWNS
    ? 'players spread by the server (PLAYER_SPAWNS=spread) or gathered by it (PLAYER_SPAWNS=gather)'
    : `players gathered by the server (it has no PLAYER_SPAWNS: joins gather near the centre); spread by the bench: each avatar moved on its first step to a random safe spot within ${Math.floor(o.worldSize * SPREAD_SHARE)} tiles of the centre`);
  const tickTimes = (w: Window): number[] => w.steps.slice(0, w.patches.length).map((s, i) => s + (w.patches[i] ?? 0));
  for (const k of sizes) {
    // A lone player is neither spread nor gathered: one run, where it spawns spread.
    for (const layout of k > 1 ? LAYOUTS : LAYOUTS.slice(0, 1)) {
      // The spread layout (as real players join) also keeps the unsuffixed names.
      const put = (name: string, v: number): void => {
        metrics[`${name}_${layout}@${k}`] = v;
        if (layout === 'spread') metrics[`${name}@${k}`] = v;
      };
      const interest = await run(k, { layout }, o);
      // Every full-sync client receives the same patches, so bytes per client do not depend on how many there are;
      // past 10 clients the full-sync comparison run uses 10 (100 full-sync clients would need ~0.5 GB/s on loopback).
      const full = await run(Math.min(k, FULL_SYNC_CLIENTS), { fullSync: true, layout }, o);
      const ticks = tickTimes(interest);
      const down = interest.bytes / k / interest.seconds;
      const fullDown = full.bytes / Math.min(k, FULL_SYNC_CLIENTS) / full.seconds;
      put('tick_p50_ms', round(quantile(ticks, 0.5)));
      put('tick_p99_ms', round(quantile(ticks, 0.99)));
      put('down_bytes_per_client_s', Math.round(down));
      put('full_sync_bytes_per_client_s', Math.round(fullDown));
      put('interest_ratio', round(down / fullDown, 4));
      put('server_rss_mb', round(interest.rss / 2 ** 20, 1));
      put('player_centre_dist_tiles', round(interest.layout.fromCentre, 1));
      put('player_spacing_tiles', round(interest.layout.spacing, 1));
      const m = (name: string): number | undefined => metrics[`${name}_${layout}@${k}`];
      rows.push({
        clients: k, layout, 'tick p50 ms': m('tick_p50_ms'), 'tick p99 ms': m('tick_p99_ms'), 'down B/client/s': Math.round(down),
        'full-sync B/client/s': Math.round(fullDown), 'interest ratio': m('interest_ratio'), 'full-sync tick p99 ms': round(quantile(tickTimes(full), 0.99)),
        'server RSS MB': m('server_rss_mb'), 'from centre (median tiles)': m('player_centre_dist_tiles'), 'to nearest player (median tiles)': m('player_spacing_tiles'),
      });
    }
  }
  console.table(rows);
  console.log('targets (spread layout): interest_ratio@100 <= 0.1, tick_p99_ms@100 <= 25');

  // What durability costs the tick: the flight recorder on every step and a snapshot's capture every
  // SNAPSHOT_SECONDS (inside the measured step), against the same room with snapshots off. Two runs of each,
  // interleaved, so that drift in the machine's load falls on both sides.
  const kRec = sizes[sizes.length - 1] as number;
  const meanTick = (w: Window): number => w.steps.reduce((a, b) => a + b, 0) / Math.max(1, w.steps.length);
  const on: number[] = [], off: number[] = [], onAll: number[] = [], offAll: number[] = [];
  for (let rep = 0; rep < (smoke ? 1 : 2); rep++) {
    const a = await run(kRec, { noSnapshots: true }, o);
    const b = await run(kRec, {}, o);
    off.push(meanTick(a));
    on.push(meanTick(b));
    offAll.push(...a.steps);
    onAll.push(...b.steps);
  }
  const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / xs.length;
  metrics[`record_tick_mean_ms@${kRec}`] = round(mean(on), 4);
  metrics[`record_off_tick_mean_ms@${kRec}`] = round(mean(off), 4);
  metrics[`record_overhead_pct@${kRec}`] = round((mean(on) / mean(off) - 1) * 100, 2);
  metrics[`record_tick_p99_ms@${kRec}`] = round(quantile(onAll, 0.99));
  metrics[`record_off_tick_p99_ms@${kRec}`] = round(quantile(offAll, 0.99));
  console.table([
    { mode: 'snapshots off', clients: kRec, 'step mean ms': metrics[`record_off_tick_mean_ms@${kRec}`], 'step p99 ms': metrics[`record_off_tick_p99_ms@${kRec}`] },
    { mode: 'snapshots on (default)', clients: kRec, 'step mean ms': metrics[`record_tick_mean_ms@${kRec}`], 'step p99 ms': metrics[`record_tick_p99_ms@${kRec}`], 'overhead %': metrics[`record_overhead_pct@${kRec}`] },
  ]);
  console.log(`target: record_overhead_pct@${kRec} <= 3`);

  const talkRows: Record<string, unknown>[] = [];
  for (const k of talkSizes) {
    // Players spread over the populated region, as in a real game (the default layout).
    const talk = { talkEvery: TALK_EVERY_S };
    const view = await run(k, talk, o);
    const wide = await run(k, { ...talk, roomWide: true }, o);
    // The same players not talking: what the entities (and the plans of packs they meet) cost on their own.
    const silent = await run(k, {}, o);
    const down = view.bytes / k / view.seconds;
    const wideDown = wide.bytes / k / wide.seconds;
    const silentDown = silent.bytes / k / silent.seconds;
    const ticks = view.steps.slice(0, view.patches.length).map((s, i) => s + (view.patches[i] ?? 0));
    metrics[`talk_down_bytes_per_client_s@${k}`] = Math.round(down);
    metrics[`talk_room_wide_bytes_per_client_s@${k}`] = Math.round(wideDown);
    metrics[`talk_view_ratio@${k}`] = round(down / wideDown, 4);
    metrics[`talk_saved_bytes_per_client_s@${k}`] = Math.round(wideDown - down);
    metrics[`spread_silent_bytes_per_client_s@${k}`] = Math.round(silentDown);
    // What the talking runs add on top of the silent one (speech; room-wide, also every plan and player entry).
    // Each run is its own world, so these differences carry the run-to-run noise of the entity traffic.
    metrics[`talk_extra_bytes_per_client_s@${k}`] = Math.round(down - silentDown);
    metrics[`talk_room_wide_extra_bytes_per_client_s@${k}`] = Math.round(wideDown - silentDown);
    metrics[`talk_lines_per_s@${k}`] = round(view.lines / view.seconds, 1);
    metrics[`talk_room_wide_lines_per_s@${k}`] = round(wide.lines / wide.seconds, 1);
    metrics[`talk_plans_mean@${k}`] = round(view.plans, 1);
    metrics[`talk_tick_p99_ms@${k}`] = round(quantile(ticks, 0.99));
    talkRows.push({
      clients: k, 'lines/s (room)': metrics[`talk_lines_per_s@${k}`], 'plans (mean)': metrics[`talk_plans_mean@${k}`],
      'silent B/client/s': Math.round(silentDown), 'view B/client/s': Math.round(down), 'room-wide B/client/s': Math.round(wideDown),
      'view / room-wide': metrics[`talk_view_ratio@${k}`],
      'extra over silent: view': metrics[`talk_extra_bytes_per_client_s@${k}`], 'room-wide': metrics[`talk_room_wide_extra_bytes_per_client_s@${k}`],
      'baseline lines/s': metrics[`talk_room_wide_lines_per_s@${k}`], 'tick p99 ms': metrics[`talk_tick_p99_ms@${k}`],
    });
  }
  console.log(`\nclients spread over the world, each talking every ~${TALK_EVERY_S} s: speech, plans and player entries per view vs room-wide`);
  console.table(talkRows);

  Object.assign(metrics, await runViewSharing(sizes[sizes.length - 1] as number, o));
  Object.assign(metrics, await runTracing(o, smoke));
  return metrics;
}

/**
 * One view per client against one view shared by the clients in a cell, at `k` clients in each layout (sharing
 * matters most when players crowd). Only with a server that has VIEW_SHARING; otherwise says so and measures nothing.
 */
async function runViewSharing(k: number, o: { worldSize: number; density: number; warmupS: number; measureS: number }): Promise<Record<string, number>> {
  const m: Record<string, number> = { view_sharing_measured: VIEW_SHARING ? 1 : 0 };
  if (!VIEW_SHARING) {
    console.log('\nviews per client vs per cell: not measured (this server has no VIEW_SHARING setting)');
    return m;
  }
  const rows: Record<string, unknown>[] = [];
  for (const layout of LAYOUTS) {
    for (const views of ['client', 'cell'] as const) {
      const w = await run(k, { layout, views }, o);
      const ticks = w.steps.slice(0, w.patches.length).map((s, i) => s + (w.patches[i] ?? 0));
      const key = `views_${views}_${layout}@${k}`;
      m[`tick_p50_ms_${key}`] = round(quantile(ticks, 0.5));
      m[`tick_p99_ms_${key}`] = round(quantile(ticks, 0.99));
      m[`patch_p50_ms_${key}`] = round(quantile(w.patches, 0.5));
      m[`down_bytes_per_client_s_${key}`] = Math.round(w.bytes / k / w.seconds);
      rows.push({ clients: k, layout, views, 'tick p50 ms': m[`tick_p50_ms_${key}`], 'tick p99 ms': m[`tick_p99_ms_${key}`], 'patch p50 ms': m[`patch_p50_ms_${key}`], 'down B/client/s': m[`down_bytes_per_client_s_${key}`] });
    }
  }
  console.log('\nviews per client vs one per cell (VIEW_SHARING)');
  console.table(rows);
  return m;
}

/**
 * What tracing costs the tick, in one process and one room (bench/netTracing.ts): rounds of short blocks of ticks with
 * tracing off (the default, twice), with the OpenTelemetry API called and no provider, on with every tick and batch a
 * span, and on as by default (the asking ticks). Each ratio is the median over rounds of a block's p50 over the same round's off block; off over off
 * is the noise floor of the run.
 */
export async function runTracing(o: { worldSize: number; density: number }, smoke: boolean): Promise<Record<string, number>> {
  const [rounds, perBlock] = smoke ? [4, 5] : [60, 10];
  const c = child('bench/netTracing.ts', [String(o.worldSize), String(o.density), String(rounds), String(perBlock)], {});
  type Block = 'off_a' | 'noop_api' | 'on' | 'on_asks' | 'off_b';
  let r: { rounds: Record<Block, number[]>[]; offPathNs: number; spansPerTick: number; asksSpansPerTick: number; bodies: number };
  try {
    r = JSON.parse(await expectLine(c.lines, '{', 'tracing bench')) as typeof r;
  } finally {
    c.proc.kill('SIGKILL');
  }
  const all = (...blocks: Block[]) => r.rounds.flatMap((x) => blocks.flatMap((b) => x[b]));
  const paired = (b: Block, base: Block) => quantile(r.rounds.map((x) => quantile(x[b], 0.5) / quantile(x[base], 0.5)), 0.5);
  const m: Record<string, number> = {
    tick_p50_ms_tracing_off: round(quantile(all('off_a', 'off_b'), 0.5), 4),
    tick_p99_ms_tracing_off: round(quantile(all('off_a', 'off_b'), 0.99), 4),
    tick_p50_ms_tracing_noop_api: round(quantile(all('noop_api'), 0.5), 4),
    tick_p50_ms_tracing_on: round(quantile(all('on'), 0.5), 4),
    tick_p99_ms_tracing_on: round(quantile(all('on'), 0.99), 4),
    tracing_off_aa_ratio: round(paired('off_b', 'off_a'), 4),
    tracing_noop_api_over_off: round(paired('noop_api', 'off_a'), 4),
    tracing_on_over_off: round(paired('on', 'off_a'), 4),
    tick_p50_ms_tracing_on_asks: round(quantile(all('on_asks'), 0.5), 4),
    tracing_on_asks_over_off: round(paired('on_asks', 'off_a'), 4),
    tracing_spans_per_tick_on: round(r.spansPerTick, 2),
    tracing_spans_per_tick_on_asks: round(r.asksSpansPerTick, 3),
    tracing_off_ns_per_tick: round(r.offPathNs, 2),
  };
  m.tracing_off_share_of_tick = Number((r.offPathNs / (quantile(all('off_a', 'off_b'), 0.5) * 1e6)).toPrecision(2));
  console.log(`\ntracing and the tick: one room of ${r.bodies} actors stepped by hand; ${rounds} rounds of ${perBlock}-tick blocks per mode (ratios: median over rounds of block p50 / off block p50)`);
  console.table([
    { mode: 'off (default)', 'tick p50 ms': m.tick_p50_ms_tracing_off, 'tick p99 ms': m.tick_p99_ms_tracing_off, 'vs off': 1, 'spans per tick': 0 },
    { mode: 'off again (noise floor)', 'tick p50 ms': round(quantile(all('off_b'), 0.5), 4), 'tick p99 ms': round(quantile(all('off_b'), 0.99), 4), 'vs off': m.tracing_off_aa_ratio, 'spans per tick': 0 },
    { mode: 'API called, no provider', 'tick p50 ms': m.tick_p50_ms_tracing_noop_api, 'tick p99 ms': round(quantile(all('noop_api'), 0.99), 4), 'vs off': m.tracing_noop_api_over_off, 'spans per tick': 0 },
    { mode: 'on, every tick (in-memory exporter)', 'tick p50 ms': m.tick_p50_ms_tracing_on, 'tick p99 ms': m.tick_p99_ms_tracing_on, 'vs off': m.tracing_on_over_off, 'spans per tick': m.tracing_spans_per_tick_on },
    { mode: 'on, asking ticks (the default)', 'tick p50 ms': m.tick_p50_ms_tracing_on_asks, 'tick p99 ms': round(quantile(all('on_asks'), 0.99), 4), 'vs off': m.tracing_on_asks_over_off, 'spans per tick': m.tracing_spans_per_tick_on_asks },
  ]);
  console.log(`the off path alone: ${m.tracing_off_ns_per_tick} ns per tick, ${m.tracing_off_share_of_tick} of the tick p50`);
  return m;
}
