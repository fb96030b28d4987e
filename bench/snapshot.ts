// `npm run bench:snapshot`: world snapshots of a procedurally generated world (idle, wandering monsters with
// their personalities, and a coordinator): the capture on the tick, the encoding off it in slices, the restore, the size per actor, and the
// same image through JSON as a baseline. Every restore is checked against the original's state hash.
import { brotliCompressSync, constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { Packr } from 'msgpackr';
import {
  captureWorld, coordinatorSpawn, decodeSnapshot, defaultRegistry, encodeSnapshot, MIND_PORTS, packSpawns, Simulation, ACTORS_PER_CHUNK,
} from '../actors/index.ts';
import type { PersonalityRequest, WorldImage } from '../actors/index.ts';
import { teacherPersonality, traitsObject } from '../minds/personalityModel.ts';
import { createWorldGen } from '../procgen/index.ts';
import type { WorldGen } from '../procgen/index.ts';
import { fromStored, toStored } from '../rooms/index.ts';
import { baselineMs, gc, quantile, round } from './stats.ts';

const SEED = 'bench-snapshot';
/** Spawn density: about 11.5 monsters per 1000 tiles (one per ~90 tiles, as dense as the actors bench). */
const DENSITY = 10;
const MONSTERS_PER_TILE = 0.0115;
/** Ticks stepped before the first capture: states, timers and mailboxes as a running room has them. */
const SETTLE_TICKS = 100;

/** The targets of the snapshot issue, judged on the 10,000-actor world. */
const TARGETS = { captureMs: 5, bytesPerActor: 200, restoreMs: 200, at: 10_000 } as const;

/** Actor fields in the order the codec packs them (see actorRow in actors/snapshot/codec.ts). */

/** The codec's MessagePack settings, to size parts of an image the way the codec would. */
function packer(): Packr {
  return new Packr({ useRecords: true, moreTypes: false, bundleStrings: false });
}

interface Built {
  readonly sim: Simulation;
  readonly gen: WorldGen;
}

/** A generated world with exactly `n` monsters (the first `n` of the packs of a square region) and a coordinator. */
function buildWorld(n: number): Built {
  let side = Math.ceil(Math.sqrt(n / MONSTERS_PER_TILE) * 1.1);
  for (;;) {
    const chunks = Math.ceil(side / 64) + 2;
    const gen = createWorldGen({ seed: SEED, spawns: { densityScale: DENSITY, packRadius: 4 }, cache: { maxChunks: chunks * chunks + 256 } });
    const half = Math.floor(side / 2);
    const spawns = packSpawns(gen.spawnsInRegion(-half, -half, side, side));
    if (spawns.length < n) {
      side = Math.ceil(side * 1.2);
      continue;
    }
    const sim = new Simulation({ seed: SEED, registry: defaultRegistry(), terrain: gen, record: false, setup: { seed: SEED, worldSize: side } });
    for (const input of spawns.slice(0, n)) sim.input(input);
    sim.input(coordinatorSpawn({ room: 'bench' }));
    // Personalities arrive as in a live room (the mind service's own fallback, the model's teacher, answers them
    // a step later); other asks go unanswered and time out, as with a slow mind.
    sim.run(SETTLE_TICKS, (report) => {
      for (const r of report.requests) {
        if (r.port !== MIND_PORTS.personality) continue;
        const p = teacherPersonality(r.payload as PersonalityRequest);
        sim.reply({ requestId: r.requestId, ok: true, value: { traits: traitsObject(p.traits), temperament: p.temperament, voice: p.voice } });
      }
    });
    return { sim, gen };
  }
}

/** The image as JSON can hold it: typed arrays as plain arrays. */
function toJsonable(image: WorldImage): unknown {
  return { ...image, bodies: Array.from(image.bodies), alive: Array.from(image.alive), bodyFaction: Array.from(image.bodyFaction) };
}

function fromJsonable(raw: Record<string, unknown>): WorldImage {
  return {
    ...raw,
    bodies: Float64Array.from(raw.bodies as number[]),
    alive: Uint8Array.from(raw.alive as number[]),
    bodyFaction: Uint16Array.from(raw.bodyFaction as number[]),
  } as unknown as WorldImage;
}

/** Run the slices of one encoding; the total and the longest slice between two yields, ms. */
function timedEncode(image: WorldImage): { bytes: Uint8Array; totalMs: number; sliceMaxMs: number; slices: number } {
  const it = encodeSnapshot(image, { bench: SEED });
  let total = 0;
  let sliceMax = 0;
  let slices = 0;
  for (;;) {
    const t = performance.now();
    const r = it.next();
    const d = performance.now() - t;
    total += d;
    slices++;
    if (d > sliceMax) sliceMax = d;
    if (r.done) return { bytes: r.value, totalMs: total, sliceMaxMs: sliceMax, slices };
  }
}

/** Packed size of `value` in slices of {@link ACTORS_PER_CHUNK} (as the codec packs actor rows). */
function chunkedSize(values: unknown[]): number {
  let bytes = 0;
  for (let i = 0; i < values.length; i += ACTORS_PER_CHUNK) bytes += packer().pack(values.slice(i, i + ACTORS_PER_CHUNK)).length;
  return bytes;
}

/**
 * Where the bytes of a snapshot go: each actor field packed alone, as a column of chunks (so shared record
 * definitions are counted once per chunk, as in the codec), each world-level part alone, and the fields of the
 * monsters' behaviour states one by one.
 */
function breakdown(image: WorldImage): { parts: Record<string, number>; stateFields: Record<string, number> } {
  const parts: Record<string, number> = {};
  const columns = ['tags', 'states', 'mailboxes', 'children', 'restarts', 'asks', 'timerKeys'] as const;
  for (const f of columns) parts[`actor.${f}`] = chunkedSize(image[f] as unknown[]);
  const typed = ['ids', 'kind', 'behaviour', 'status', 'params', 'parent', 'incarnation', 'failures', 'far', 'bodyRow', 'rngs', 'hasRng', 'bodies', 'alive', 'bodyFaction'] as const;
  for (const f of typed) parts[`column.${f}`] = (image[f] as ArrayBufferView).byteLength;
  const skip = new Set<string>([...columns, ...typed]);
  for (const [k, v] of Object.entries(image)) if (!skip.has(k)) parts[k] = packer().pack(v).length;
  const stateFields: Record<string, number> = {};
  const monsterIdx = image.names.indexOf('monster');
  const states = image.states.filter((_s, i) => image.behaviour[i] === monsterIdx) as Record<string, unknown>[];
  for (const k of Object.keys(states[0] ?? {})) stateFields[k] = chunkedSize(states.map((s) => s[k]));
  return { parts, stateFields };
}


/** What a store could add on top of the codec: general-purpose compression of the finished bytes (size, ms). */
function compressed(bytes: Uint8Array): { brotli1: number; brotli1Ms: number; deflate1: number; deflate1Ms: number } {
  let t = performance.now();
  const brotli1 = brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } }).length;
  const brotli1Ms = performance.now() - t;
  t = performance.now();
  const deflate1 = deflateRawSync(bytes, { level: 1 }).length;
  return { brotli1, brotli1Ms, deflate1, deflate1Ms: performance.now() - t };
}

interface Timings {
  capture: number[];
  encode: number[];
  sliceMax: number[];
  decode: number[];
  restore: number[];
  jsonEncode: number[];
  jsonRestore: number[];
}

/** `npm run bench:snapshot`: capture, encode, restore and size of snapshots of 1,000 to 50,000 actors. */
export async function runSnapshotBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const sizes = smoke ? [1000] : [1000, 10_000, 50_000];
  const base = quantile([baselineMs(), baselineMs(), baselineMs()], 0.5);
  const metrics: Record<string, number> = { baseline_ms: round(base) };
  const rows: Record<string, unknown>[] = [];
  const jsonRows: Record<string, unknown>[] = [];
  const targetRows: Record<string, unknown>[] = [];
  const zRows: Record<string, unknown>[] = [];
  let shown: { n: number; actors: number; bytes: number; parts: Record<string, number>; stateFields: Record<string, number>; monsters: number } | null = null;
  for (const n of sizes) {
    const reps = smoke ? 3 : n >= 50_000 ? 5 : 9;
    gc();
    const t0 = performance.now();
    const { sim, gen } = buildWorld(n);
    const buildMs = performance.now() - t0;
    const hash = sim.hash();
    const restoreOpts = { registry: defaultRegistry(), terrain: gen, record: false } as const;
    const t: Timings = { capture: [], encode: [], sliceMax: [], decode: [], restore: [], jsonEncode: [], jsonRestore: [] };
    const compressMs: number[] = [];
    let image = captureWorld(sim.world);
    let bytes: Uint8Array = new Uint8Array(0);
    let stored: Uint8Array = new Uint8Array(0);
    let slices = 0;
    let jsonBytes = 0;
    let jsonHashOk = true;
    // Round 0 warms the code up and is not counted; every round restores twice (binary, JSON) and checks both.
    for (let rep = 0; rep <= reps; rep++) {
      const keep = rep > 0;
      gc();
      let s = performance.now();
      image = captureWorld(sim.world);
      const captureMs = performance.now() - s;
      gc();
      const enc = timedEncode(image);
      bytes = enc.bytes;
      slices = enc.slices;
      // What the store holds: the snapshot compressed (on the thread pool, off the event loop).
      s = performance.now();
      stored = await toStored(bytes);
      if (keep) compressMs.push(performance.now() - s);
      gc();
      s = performance.now();
      const decoded = decodeSnapshot(fromStored(stored)).image;
      const decodeMs = performance.now() - s;
      const restored = Simulation.fromImage(decoded, restoreOpts);
      const restoreMs = performance.now() - s;
      const restoredHash = restored.hash();
      if (restoredHash !== hash) throw new Error(`snapshot bench: the world of ${n} actors restored with state hash ${restoredHash}, the original has ${hash}`);
      gc();
      s = performance.now();
      const json = JSON.stringify(toJsonable(image));
      const jsonEncodeMs = performance.now() - s;
      jsonBytes = Buffer.byteLength(json);
      gc();
      s = performance.now();
      const fromJson = Simulation.fromImage(fromJsonable(JSON.parse(json) as Record<string, unknown>), restoreOpts);
      const jsonRestoreMs = performance.now() - s;
      // JSON cannot hold -0, NaN or Infinity: its restore is timed, and whether it came back exact is reported.
      if (fromJson.hash() !== hash) jsonHashOk = false;
      if (keep) {
        t.capture.push(captureMs);
        t.encode.push(enc.totalMs);
        t.sliceMax.push(enc.sliceMaxMs);
        t.decode.push(decodeMs);
        t.restore.push(restoreMs);
        t.jsonEncode.push(jsonEncodeMs);
        t.jsonRestore.push(jsonRestoreMs);
      }
    }
    const actors = image.count;
    const med = (xs: number[]): number => quantile(xs, 0.5);
    const max = (xs: number[]): number => Math.max(...xs);
    const put = (name: string, xs: number[]): void => {
      metrics[`${name}_${n}`] = round(med(xs));
      metrics[`${name}_max_${n}`] = round(max(xs));
    };
    metrics[`actors_${n}`] = actors;
    put('capture_ms', t.capture);
    put('encode_ms', t.encode);
    put('encode_slice_max_ms', t.sliceMax);
    metrics[`encode_slices_${n}`] = slices;
    put('decode_ms', t.decode);
    put('restore_ms', t.restore);
    metrics[`bytes_${n}`] = bytes.length;
    metrics[`bytes_per_actor_${n}`] = round(bytes.length / actors, 1);
    metrics[`stored_bytes_${n}`] = stored.length;
    metrics[`stored_bytes_per_actor_${n}`] = round(stored.length / actors, 1);
    metrics[`compress_ms_${n}`] = round(quantile(compressMs, 0.5));
    put('json_encode_ms', t.jsonEncode);
    put('json_restore_ms', t.jsonRestore);
    metrics[`json_bytes_${n}`] = jsonBytes;
    metrics[`size_ratio_json_${n}`] = round(bytes.length / jsonBytes);
    metrics[`encode_speedup_vs_json_${n}`] = round(med(t.jsonEncode) / med(t.encode), 2);
    metrics[`restore_speedup_vs_json_${n}`] = round(med(t.jsonRestore) / med(t.restore), 2);
    metrics[`hash_ok_${n}`] = 1;
    metrics[`json_hash_ok_${n}`] = jsonHashOk ? 1 : 0;
    const z = compressed(bytes);
    metrics[`bytes_per_actor_brotli1_${n}`] = round(z.brotli1 / actors, 1);
    metrics[`brotli1_ms_${n}`] = round(z.brotli1Ms);
    metrics[`bytes_per_actor_deflate1_${n}`] = round(z.deflate1 / actors, 1);
    metrics[`deflate1_ms_${n}`] = round(z.deflate1Ms);
    const { parts, stateFields } = breakdown(image);
    for (const [k, v] of Object.entries(parts)) metrics[`part_bytes_per_actor_${k.replace(/[^a-zA-Z0-9]+/g, '_').replace(/_$/, '')}_${n}`] = round(v / actors, 1);
    const monsters = Array.from(image.behaviour).filter((b) => image.names[b] === 'monster').length;
    if (n === TARGETS.at || (smoke && n === sizes[0])) shown = { n, actors, bytes: bytes.length, parts, stateFields, monsters };
    rows.push({
      N: n, actors, 'build s': round(buildMs / 1000, 1),
      'capture ms p50/max': `${round(med(t.capture), 2)} / ${round(max(t.capture), 2)}`,
      'encode ms p50/max': `${round(med(t.encode), 1)} / ${round(max(t.encode), 1)}`,
      'slice max ms p50/max': `${round(med(t.sliceMax), 1)} / ${round(max(t.sliceMax), 1)}`,
      slices,
      'decode ms p50': round(med(t.decode), 1),
      'restore ms p50/max': `${round(med(t.restore), 1)} / ${round(max(t.restore), 1)}`,
      bytes: bytes.length, 'B/actor': round(bytes.length / actors, 1), hash: 'ok',
    });
    jsonRows.push({
      N: n, 'json encode ms p50': round(med(t.jsonEncode), 1), 'json restore ms p50': round(med(t.jsonRestore), 1), 'json bytes': jsonBytes,
      'json B/actor': round(jsonBytes / actors, 1), 'size (snap/json)': metrics[`size_ratio_json_${n}`], 'encode speedup ×': metrics[`encode_speedup_vs_json_${n}`],
      'restore speedup ×': metrics[`restore_speedup_vs_json_${n}`], 'json exact': jsonHashOk ? 'yes' : 'no',
    });
    zRows.push({
      N: n, 'snapshot B/actor': round(bytes.length / actors, 1), 'stored B/actor': metrics[`stored_bytes_per_actor_${n}`], 'brotli q1 B/actor': metrics[`bytes_per_actor_brotli1_${n}`], 'brotli q1 ms': round(z.brotli1Ms, 1),
      'deflate 1 B/actor': metrics[`bytes_per_actor_deflate1_${n}`], 'deflate 1 ms': round(z.deflate1Ms, 1),
    });
    if (n === TARGETS.at || smoke) {
      const judge = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
      targetRows.push(
        { N: n, target: `capture (on the tick) p50 <= ${TARGETS.captureMs} ms`, value: `${round(med(t.capture), 2)} ms (max ${round(max(t.capture), 2)})`, verdict: judge(med(t.capture) <= TARGETS.captureMs) },
        { N: n, target: `bytes per idle actor <= ${TARGETS.bytesPerActor} (as stored)`, value: `${round(stored.length / actors, 1)} (uncompressed ${round(bytes.length / actors, 1)})`, verdict: judge(stored.length / actors <= TARGETS.bytesPerActor) },
        { N: n, target: `restore (decompress + decode + fromImage) p50 <= ${TARGETS.restoreMs} ms`, value: `${round(med(t.restore), 1)} ms (max ${round(max(t.restore), 1)})`, verdict: judge(med(t.restore) <= TARGETS.restoreMs) },
      );
    }
  }
  console.log(`CPU baseline loop: ${round(base, 1)} ms (compare runs on different machines by it)`);
  console.table(rows);
  console.log('JSON baseline (the same image; typed arrays as plain arrays): size (snap/json) = snapshot bytes ÷ JSON bytes; speedup = JSON ms ÷ snapshot ms');
  console.table(jsonRows);
  console.log('the finished bytes compressed by a store (node:zlib, off the event loop when run async):');
  console.table(zRows);
  console.log(`targets (judged at ${smoke ? sizes[0] : TARGETS.at} actors${smoke ? ', smoke: the 10,000 target applied to 1,000' : ''}):`);
  console.table(targetRows);
  if (shown) {
    const s = shown;
    console.log(`where the bytes go, ${s.actors} actors (${s.monsters} monsters), ${s.bytes} bytes in all: each part packed alone`);
    console.table(Object.entries(s.parts).sort((a, b) => b[1] - a[1]).map(([part, b]) => ({ part, bytes: b, 'B/actor': round(b / s.actors, 1), share: `${round((100 * b) / s.bytes, 1)}%` })));
    console.log('monster behaviour state, field by field (B per monster):');
    console.table(Object.entries(s.stateFields).sort((a, b) => b[1] - a[1]).map(([field, b]) => ({ field, bytes: b, 'B/monster': round(b / Math.max(1, s.monsters), 1) })));
  }
  return metrics;
}
