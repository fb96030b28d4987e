// Child process of bench/net.ts: a real server with an observer that records step and patch times and bytes.
// stdin: `measure <seconds>` → prints one JSON line with what was recorded in that window; `exit`.
// NET_ROOM_WIDE=1 reproduces the sync before speech, plans and player entries followed each client's view: after
// every step, each client's view is given every speech line, plan and player entry in the state (the baseline of
// the per-client bandwidth comparison). NET_SPREAD=<r> puts each new avatar, on the step it appears, at a seeded
// random spot within r tiles of the centre that a join could be given (walkable and out of every hostile monster's
// notice: SafeSpawns.isSafe; a walkable one when 100 tries find none safe), as players spread over a world
// would be: for a server that gathers all joins near the centre.
// NET_CLUSTERS=<x:y;x:y;…> puts the n-th new avatar within NET_CLUSTER_RADIUS (default 6) tiles of the (n mod count)-th
// point instead: groups of players, e.g. each around an NPC.
import { tempDataDir } from '../tools/tempDataDir.ts';
import { createInterface } from 'node:readline';
import { matchMaker } from '@colyseus/core';
import type { SpeechState, WorldRoom } from '../rooms/index.ts';
import { loadConfig, startServer, createLogger } from '../server/index.ts';
import { Rng } from '../shared/index.ts';

const roomWide = process.env.NET_ROOM_WIDE === '1';
const spread = Number(process.env.NET_SPREAD ?? 0);
const clusters = (process.env.NET_CLUSTERS ?? '').split(';').filter(Boolean).map((p) => {
  const [x, y] = p.split(':').map(Number);
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`NET_CLUSTERS: expected x:y points separated by ';', got ${JSON.stringify(p)}`);
  return { x: x as number, y: y as number };
});
const clusterRadius = Number(process.env.NET_CLUSTER_RADIUS ?? 6);
const spreadRng = Rng.create('net-bench-spread');
/** Avatars already put in place. */
const placed = new Set<number>();
const steps: number[] = [];
/** When each recorded step ended (performance.now()): the gaps show ticks that started late. */
const stepAt: number[] = [];
const patches: number[] = [];
let bytes = 0;
let recording = false;
/** Plans in the state, summed over the recorded steps. */
let plansSum = 0;
let room: WorldRoom | undefined;

/** Lines said in the room so far. */
function lastSeq(r: WorldRoom | undefined): number {
  return r?.projection.linesSaid ?? 0;
}

/** Give every client's view every speech line newer than `after`, every plan and every player entry. */
function shareRoomWide(r: WorldRoom, after: number): void {
  const fresh: SpeechState[] = [];
  if (lastSeq(r) > after) r.state.speech.forEach((line) => {
    if (line.seq > after) fresh.push(line);
  });
  for (const client of r.clients) {
    const view = client.view;
    if (!view) continue;
    for (const line of fresh) if (!view.has(line)) view.add(line);
    r.state.plans.forEach((plan) => {
      if (!view.has(plan)) view.add(plan);
    });
    r.state.players.forEach((p) => {
      if (!view.has(p)) view.add(p);
    });
  }
}

/** Tries at a random spot for one avatar. */
const SPOT_TRIES = 100;

/** Put avatars that joined since the last step at random safe spots within `spread` of the centre, or of their cluster's point. */
function spreadAvatars(r: WorldRoom): void {
  for (const client of r.clients) {
    const id = r.avatarOf(client.sessionId);
    if (!id || placed.has(id)) continue;
    const body = r.sim.world.actors.get(id)?.body;
    if (!body) continue;
    const at = clusters.length ? clusters[placed.size % clusters.length] as { x: number; y: number } : { x: 0, y: 0 };
    const within = clusters.length ? clusterRadius : spread;
    placed.add(id);
    let spot: { x: number; y: number } | undefined;
    for (let attempt = 0; attempt < SPOT_TRIES; attempt++) {
      const tx = Math.floor(at.x + spreadRng.float(-within, within)), ty = Math.floor(at.y + spreadRng.float(-within, within));
      if (!r.gen.isWalkable(tx, ty)) continue;
      spot = { x: tx + 0.5, y: ty + 0.5 };
      if (r.spawns.isSafe(spot.x, spot.y)) break;
    }
    if (!spot) continue;
    body.x = spot.x;
    body.y = spot.y;
  }
}

/**
 * Where the avatars stand: the median distance from the world's centre and the median distance from each avatar to
 * the nearest other one (0 with fewer than two), in tiles. What the run's layout really was.
 */
function layoutOf(r: WorldRoom | undefined): { fromCentre: number; spacing: number } {
  const at: { x: number; y: number }[] = [];
  for (const id of r?.sim.world.players ?? []) {
    const b = r?.sim.world.actors.get(id)?.body;
    if (b) at.push({ x: b.x, y: b.y });
  }
  const median = (xs: number[]): number => (xs.length ? (xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number) : 0);
  const nearest = at.length < 2 ? [] : at.map((p) => Math.min(...at.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y))));
  return { fromCentre: median(at.map((p) => Math.hypot(p.x, p.y))), spacing: median(nearest) };
}

let shared = 0;
const running = await startServer(loadConfig({ DATA_DIR: tempDataDir('bench'), ...process.env }), {
  logger: createLogger('silent'),
  observer: {
    step: (roomId, _world, _report, ms) => {
      room ??= matchMaker.getLocalRoomById(roomId) as unknown as WorldRoom | undefined;
      if (room && (spread > 0 || clusters.length)) spreadAvatars(room);
      if (room && roomWide) {
        shareRoomWide(room, shared);
        shared = lastSeq(room);
      }
      if (!recording) return;
      steps.push(ms);
      stepAt.push(performance.now());
      plansSum += room?.state.plans.size ?? 0;
    },
    patch: (_room, ms) => {
      if (recording) patches.push(ms);
    },
    bytesSent: (_room, n) => {
      if (recording) bytes += n;
    },
  },
});
console.log(`ready ${running.port}`);

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'measure') {
    steps.length = 0;
    stepAt.length = 0;
    patches.length = 0;
    bytes = 0;
    plansSum = 0;
    const seq0 = lastSeq(room);
    const cpu0 = process.cpuUsage();
    recording = true;
    await new Promise((r) => setTimeout(r, Number(arg) * 1000));
    recording = false;
    const cpu = process.cpuUsage(cpu0);
    const lines = lastSeq(room) - seq0;
    console.log(JSON.stringify({
      steps, stepAt, patches, bytes, rss: process.memoryUsage().rss, seconds: Number(arg), lines, plans: steps.length ? plansSum / steps.length : 0, cpuMs: (cpu.user + cpu.system) / 1000,
      layout: layoutOf(room),
    }));
  } else if (cmd === 'exit') {
    break;
  }
}
await running.close();
process.exit(0);
