import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTORS_PER_CHUNK, captureWorld, decodeSnapshot, defaultRegistry, encodeSnapshot, encodeSnapshotNow, readSnapshotHeader, restoreWorld, Simulation, SnapshotError, SNAPSHOT_VERSION,
} from '../../actors/index.ts';
import type { LogEntry, Mind, PlayerMemory, WorldImage } from '../../actors/index.ts';
import { LlmGateway } from '../../llm/index.ts';
import type { MindService } from '../../minds/index.ts';
import { loadScenarioFile } from '../../server/scenarioFiles.ts';
import { headlessMinds } from '../../tools/scenario/headlessMinds.ts';
import { runScenario, scenarioWorld } from '../../tools/scenario/runScenario.ts';
import { quietService } from '../minds/helpers.ts';

const WORKER = join(import.meta.dirname, 'fixtures', 'restoreWorker.ts');
const dir = mkdtempSync(join(tmpdir(), 'lairmind-snap-'));

function restoreElsewhere(bytes: Uint8Array, window: LogEntry[], until: number): Promise<{ restoredHash: string; tick: number; hash: string }> {
  const snap = join(dir, `s${Math.random().toString(36).slice(2)}.bin`);
  const win = `${snap}.json`;
  writeFileSync(snap, bytes);
  writeFileSync(win, JSON.stringify(window));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', WORKER, snap, win, String(until)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { restoredHash: string; tick: number; hash: string }) : reject(new Error(`restore worker exited ${code}: ${err}`))));
  });
}

let service: MindService;
beforeAll(async () => {
  service = (await quietService()).service;
}, 60_000);
afterAll(async () => {
  await service?.close?.();
});

function minds(): Record<string, Mind | undefined> {
  return headlessMinds(service, new LlmGateway({ providers: {} }));
}

/** A player (spawned once) says `text` to the first NPC of the world. */
function talk(sim: Simulation, text: string): void {
  const actors = [...sim.world.actors.values()];
  const npc = actors.find((a) => a.kind === 'npc');
  if (!npc) return;
  let player = actors.find((a) => a.kind === 'player');
  if (!player) {
    sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: npc.body?.x ?? 0, y: (npc.body?.y ?? 0) + 1, faction: 'players', speed: 4 }, tags: { name: 'Mira' } } });
    sim.input({ type: 'send', to: npc.id, message: { type: 'signal', topic: 'talk', from: sim.world.nextId, data: { text, name: 'Mira' } } });
    return;
  }
  sim.input({ type: 'send', to: npc.id, message: { type: 'signal', topic: 'talk', from: player.id, data: { text, name: 'Mira' } } });
}

describe('snapshots', () => {
  for (const file of ['scenarios/wolf-ambush.yaml', 'scenarios/village.yaml']) {
    it(`${file}: snapshot at tick N, restore in a fresh process, step both M more ticks: the same state hash`, async () => {
      const scenario = loadScenarioFile(file);
      const N = 240;
      const M = 260;
      let bytes: Uint8Array | null = null;
      let hashAtN = '';
      let window: LogEntry[] = [];
      const run = await runScenario(scenario, {
        ticks: N + M,
        minds: minds(),
        onStep: (_report, sim) => {
          // Someone talks to the village's people before and after the snapshot (their memories are saved).
          if (sim.world.tick === 100 || sim.world.tick === N + 60) talk(sim, sim.world.tick === 100 ? 'Hello there, I am Mira.' : 'Where can I find the inn?');
          if (sim.world.tick === N) {
            bytes = encodeSnapshotNow(captureWorld(sim.world), { scenarioFile: file, seed: scenario.world.seed });
            hashAtN = sim.hash();
          }
        },
      });
      const sim = run.sim;
      expect(sim.world.tick).toBe(N + M); // the battle was still on: no early outcome cut it short
      window = (sim.log?.entries ?? []).filter((e) => e.tick > N);
      expect(window.length).toBeGreaterThan(0); // the scenario's players and the minds kept sending after the snapshot
      if (file.includes('wolf')) expect(window.some((e) => 'reply' in e)).toBe(true); // the pack's plans came after it
      const world = sim.world;
      const coordinator = [...world.actors.values()].find((a) => a.kind === 'coordinator');
      expect(coordinator).toBeDefined();
      if (file.includes('village')) {
        // What the NPC heard and said, and the name Mira gave, are in the snapshot itself.
        const image = decodeSnapshot(bytes as unknown as Uint8Array).image;
        const restored = restoreWorld(image, { registry: defaultRegistry(), terrain: scenarioWorld(scenario) });
        const npc = [...restored.actors.values()].find((a) => a.kind === 'npc' && Object.keys((a.state as { memory: object }).memory).length > 0);
        const memory = Object.values((npc?.state as { memory: Record<string, PlayerMemory> }).memory)[0]!;
        expect(memory.givenName).toBe('Mira');
        expect(memory.lines.map((l) => l.who)).toEqual(['player', 'self']);
        expect(memory.lines[0]!.text).toBe('Hello there, I am Mira.');
      }
      const other = await restoreElsewhere(bytes as unknown as Uint8Array, window, N + M);
      expect(other.restoredHash).toBe(hashAtN);
      expect(other.tick).toBe(N + M);
      expect(other.hash).toBe(sim.hash());
    }, 120_000);
  }

  it('a capture taken on the tick and encoded later says what the world was at capture', async () => {
    const scenario = loadScenarioFile('scenarios/wolf-ambush.yaml');
    let image: WorldImage | null = null;
    let now: Uint8Array | null = null;
    let later: Uint8Array | null = null;
    await runScenario(scenario, {
      ticks: 400,
      minds: minds(),
      onStep: (_r, sim) => {
        if (sim.world.tick === 200) {
          image = captureWorld(sim.world);
          now = encodeSnapshotNow(captureWorld(sim.world), null);
        }
        // 200 more ticks of fighting mutate everything the world holds; the capture must not see any of it.
        if (sim.world.tick === 400) later = encodeSnapshotNow(image as unknown as WorldImage, null);
      },
    });
    expect(Buffer.from(later as unknown as Uint8Array).equals(Buffer.from(now as unknown as Uint8Array))).toBe(true);
  }, 60_000);

  it('in-flight path searches and exact numbers (-0, NaN) survive', () => {
    const scenario = loadScenarioFile('scenarios/goblin-lair.yaml');
    const terrain = scenarioWorld(scenario);
    const sim = new Simulation({ seed: 'paths', registry: defaultRegistry(), terrain, pathExpansionsPerStep: 5 });
    sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: 0.5, y: 0.5, faction: 'players', speed: 4 } } });
    sim.step();
    // A search as a monster's findPath effect queues it, spread over steps by the budget of 50 nodes a step.
    const w = sim.world;
    const job = w.paths.requestPath({ x: 0, y: 0 }, { x: 20, y: 2 });
    w.pathJobs.set(job, { actor: 1, incarnation: 0 });
    w.pathOf.set(1, job);
    sim.run(2);
    expect(w.paths.pending).toBe(1); // mid-way now
    expect(w.paths.save().jobs[0]?.spent).toBeGreaterThan(0);
    const body = sim.world.actors.get(1)?.body;
    if (!body) throw new Error('no body');
    body.vx = -0;
    const copy = Simulation.fromImage(decodeSnapshot(encodeSnapshotNow(captureWorld(sim.world), null)).image, { registry: defaultRegistry(), terrain, record: false });
    expect(Object.is(copy.world.actors.get(1)?.body?.vx, -0)).toBe(true);
    expect(copy.hash()).toBe(sim.hash());
    const delivered = (x: Simulation): unknown => {
      for (let i = 0; i < 200 && x.world.paths.pending > 0 || i < 3; i++) x.step();
      return x.world.actors.get(1)?.state;
    };
    expect(delivered(copy)).toEqual(delivered(sim));
    expect(copy.world.tick).toBe(sim.world.tick); // the restored search needed exactly the steps the original did
    expect(copy.hash()).toBe(sim.hash());
  });

  it('slices: the encoder yields once per chunk of actors and gives the same bytes as in one go', () => {
    const sim = new Simulation({ seed: 'slices', registry: defaultRegistry(), terrain: scenarioWorld(loadScenarioFile('scenarios/goblin-lair.yaml')) });
    for (let i = 0; i < 4500; i++) sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', body: { x: (i % 60) + 0.5, y: Math.floor(i / 60) + 0.5, faction: 'wolves', speed: 3 } } });
    sim.step();
    const image = captureWorld(sim.world);
    const it = encodeSnapshot(image, { a: 1 });
    let yields = 0;
    let r = it.next();
    while (!r.done) {
      yields++;
      r = it.next();
    }
    expect(yields).toBe(Math.ceil(4500 / ACTORS_PER_CHUNK) + 1); // a slice per chunk of actors, one for the rest
    expect(Buffer.from(r.value).equals(Buffer.from(encodeSnapshotNow(image, { a: 1 })))).toBe(true);
    expect(readSnapshotHeader(r.value)).toMatchObject({ format: 'lairmind-snapshot', version: SNAPSHOT_VERSION, tick: 1, actors: 4500, meta: { a: 1 } });
  });

  it('damaged, truncated, foreign and newer snapshots are refused with a reason', () => {
    const sim = new Simulation({ seed: 'bad', registry: defaultRegistry(), terrain: scenarioWorld(loadScenarioFile('scenarios/goblin-lair.yaml')) });
    sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', body: { x: 0.5, y: 0.5, faction: 'wolves', speed: 3 } } });
    sim.step();
    const good = encodeSnapshotNow(captureWorld(sim.world), null);
    const expectError = (bytes: Uint8Array, code: SnapshotError['code'], message: RegExp): void => {
      let err: unknown;
      try {
        decodeSnapshot(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SnapshotError);
      expect((err as SnapshotError).code).toBe(code);
      expect((err as Error).message).toMatch(message);
    };
    expectError(good.subarray(0, good.length - 10), 'truncated', /truncated/);
    expectError(good.subarray(0, 10), 'truncated', /only 10 bytes/);
    const flipped = good.slice();
    const mid = Math.floor(flipped.length / 2);
    flipped[mid] = (flipped[mid] as number) ^ 0x40;
    expectError(flipped, 'corrupt', /checksum mismatch/);
    expectError(new TextEncoder().encode('{"format":"lairmind-event-log","version":1}'), 'not-a-snapshot', /not a Lairmind snapshot/);
    const newer = good.slice();
    new DataView(newer.buffer).setUint16(6, SNAPSHOT_VERSION + 1);
    expectError(newer, 'newer-format', new RegExp(`version ${SNAPSHOT_VERSION + 1} is newer than this server reads \\(${SNAPSHOT_VERSION}\\)`));
    expect(decodeSnapshot(good).image.count).toBe(1);
  });
});
