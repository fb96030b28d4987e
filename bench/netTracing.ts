// Child process of bench/net.ts: what tracing costs a room's tick. A real server in this process, one room of the
// net bench's world, paused and stepped by hand, with player avatars among the packs so battles (and the
// coordinator's asks) and layer-3 batches happen. Ticks are timed in interleaved blocks, the mode changing from
// block to block, so drift of the machine hits every mode alike:
//   off       the shipped default: no tracer provider, the room holds no tracing (what every room pays by default);
//   noop_api  the OpenTelemetry API called every tick with no provider registered (what the cached check avoids);
//   on        a provider with an in-memory exporter and TRACE_TICKS=all: a span for every tick and every batch;
//   on_asks   the same provider with TRACE_TICKS=asks (the default when on): spans for the ticks that ask, and overruns.
// Each round has two off blocks (A/A): their ratio is the noise floor the other ratios stand against.
// argv: <worldSize> <density> <rounds> <ticksPerBlock> → one JSON line on stdout.
import { tempDataDir } from '../tools/tempDataDir.ts';
import { matchMaker } from '@colyseus/core';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorldInput } from '../actors/index.ts';
import { refreshTracing } from '../llm/index.ts';
import { TickTracing } from '../rooms/index.ts';
import type { WorldRoom } from '../rooms/index.ts';
import { createLogger, loadConfig, startServer } from '../server/index.ts';
import { Rng } from '../shared/index.ts';
import { freePort } from '../tools/freePort.ts';

const [worldSize, density, blocks, ticksPerBlock] = process.argv.slice(2).map(Number) as [number, number, number, number];
type Mode = 'off' | 'noop_api' | 'on' | 'on_asks';
/** Player avatars placed among the packs. */
const AVATARS = 20;

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const running = await startServer(loadConfig({ PORT: String(await freePort()), LOG_LEVEL: 'silent', WORLD_SIZE: String(worldSize), MONSTER_DENSITY: String(density), SEED: 'net-bench', DATA_DIR: tempDataDir('bench') }), { logger: createLogger('silent') });
const listing = await matchMaker.createRoom('world', {});
const room = matchMaker.getLocalRoomById(listing.roomId) as unknown as WorldRoom;
room.pause();

// Avatars at seeded walkable spots over the populated region: packs meet them, fight, and their coordinator asks.
const rng = Rng.create('net-bench-tracing');
const avatars: WorldInput[] = [];
for (let placed = 0, tries = 0; placed < AVATARS && tries < 10_000; tries++) {
  const x = Math.floor(rng.float(-worldSize * 0.45, worldSize * 0.45)), y = Math.floor(rng.float(-worldSize * 0.45, worldSize * 0.45));
  if (!room.gen.isWalkable(x, y)) continue;
  avatars.push({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { respawnDelay: 1 }, body: { x: x + 0.5, y: y + 0.5, maxHp: 1e6, hp: 1e6, speed: 5, faction: 'players' }, tags: { name: `bench-${placed}` } } });
  placed++;
}
void room.spawnInputs(avatars);

const budgetMs = 1000 / room.config.tickRate;
function setMode(mode: Mode): void {
  trace.disable();
  if (mode === 'on' || mode === 'on_asks') trace.setGlobalTracerProvider(provider);
  refreshTracing();
  room.tracing = mode === 'off' ? undefined : new TickTracing(trace.getTracer('lairmind'), { room: room.roomId, mode: mode === 'on_asks' ? 'asks' : 'all', budgetMs });
}

/** Step `n` ticks, timing each; mind replies are let in every few ticks, as between a live room's ticks. */
async function steps(n: number, out: number[] | null): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    room.stepOnce();
    out?.push(performance.now() - t0);
    if (i % 4 === 3) await new Promise((r) => setImmediate(r));
  }
}

setMode('off');
await steps(200, null); // warm-up: avatars bound, battles under way, code optimised
// Each round runs one block of every mode (two of off), in an order that rotates from round to round; a mode's
// figure is compared with off within the same round, so drift of the world and the machine cancels out.
const BLOCKS = ['off_a', 'noop_api', 'on', 'on_asks', 'off_b'] as const;
type Block = (typeof BLOCKS)[number];
const rounds: Record<Block, number[]>[] = [];
let spans = 0;
let onTicks = 0;
let asksSpans = 0;
let asksTicks = 0;
for (let b = 0; b < blocks; b++) {
  const round = { off_a: [], noop_api: [], on: [], on_asks: [], off_b: [] } as Record<Block, number[]>;
  for (let k = 0; k < BLOCKS.length; k++) {
    const block = BLOCKS[(b + k) % BLOCKS.length] as Block;
    setMode(block === 'off_a' || block === 'off_b' ? 'off' : block);
    await steps(ticksPerBlock, round[block]);
    if (block === 'on') {
      spans += exporter.getFinishedSpans().length;
      onTicks += ticksPerBlock;
    }
    if (block === 'on_asks') {
      asksSpans += exporter.getFinishedSpans().length;
      asksTicks += ticksPerBlock;
    }
    exporter.reset();
  }
  rounds.push(round);
}
setMode('off');

// The off path on its own: the lines WorldRoom.onStep runs for tracing when it is off, on this room, against the
// same loop without them (best of several repeats, ns per tick).
const requests = room.sim.world.out.requests;
function offPathNs(withTracing: boolean): number {
  const n = 2_000_000;
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const traced = withTracing ? room.tracing?.begin(i, t0, requests) : undefined;
    sink += i & 1;
    if (withTracing) room.tracing?.end(traced, i, t0, t0, requests.length);
  }
  const ns = ((performance.now() - t0) * 1e6) / n;
  return sink < 0 ? -1 : ns;
}
let offNs = Infinity;
let bareNs = Infinity;
for (let k = 0; k < 7; k++) {
  bareNs = Math.min(bareNs, offPathNs(false));
  offNs = Math.min(offNs, offPathNs(true));
}
console.log(JSON.stringify({ rounds, offPathNs: Math.max(0, offNs - bareNs), spansPerTick: onTicks ? spans / onTicks : 0, asksSpansPerTick: asksTicks ? asksSpans / asksTicks : 0, bodies: room.sim.world.actors.size }));
await running.close();
await provider.shutdown();
process.exit(0);
