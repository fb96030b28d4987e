import { Packr } from 'msgpackr';
import { BODY_FIELDS } from './image.ts';
import type { WorldImage } from './image.ts';

/** First bytes of every snapshot. */
const MAGIC = [0x4c, 0x4d, 0x53, 0x4e, 0x41, 0x50]; // "LMSNAP"
/** The format this build writes; older ones are migrated on read, newer ones refused. */
export const SNAPSHOT_VERSION = 1;
/** Oldest format this build still reads. */
const OLDEST_READABLE = 1;
/** Actors packed per chunk: the encoder yields between chunks, so a large world is encoded in slices. */
export const ACTORS_PER_CHUNK = 1000;

/** What a snapshot says of itself, readable without decoding the world. */
export interface SnapshotHeader {
  readonly format: 'lairmind-snapshot';
  readonly version: number;
  readonly tick: number;
  /** Simulation seconds at capture. */
  readonly time: number;
  readonly seed: string;
  readonly actors: number;
  /** The host's own description of the world (room options, scenario name, players), opaque here. */
  readonly meta: unknown;
}

/** A snapshot that cannot be read, with the reason in words. */
export class SnapshotError extends Error {
  constructor(readonly code: 'truncated' | 'corrupt' | 'not-a-snapshot' | 'newer-format' | 'incompatible', message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function packer(): Packr {
  // Records (one key list per shape, then values only) are what keeps thousands of same-shaped states small.
  // Actor transfers use the same settings.
  return new Packr({ useRecords: true, moreTypes: false, bundleStrings: false });
}

function bytesOf(a: Float64Array | Uint16Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Copy `bytes` into fresh, aligned storage and view it as `T`. */
function viewAs<T>(bytes: unknown, Ctor: { new (b: ArrayBuffer): T; readonly BYTES_PER_ELEMENT: number }, what: string): T {
  if (!(bytes instanceof Uint8Array) || bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) throw new SnapshotError('corrupt', `snapshot: ${what} is not a whole array`);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Ctor(copy.buffer);
}

/** FNV-1a over `bytes`, continuing from `h`: catches a flipped or lost byte (the stores add no checksum of their own). */
function fnv(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The snapshot's checksum: FNV-1a over the FNV-1a of each piece, in order (each piece hashed in its own slice). */
function fold(pieces: readonly number[]): number {
  const b = new Uint8Array(pieces.length * 4);
  const v = new DataView(b.buffer);
  pieces.forEach((p, i) => v.setUint32(i * 4, p));
  return fnv(b);
}

/** Reference columns of the image, packed per chunk of actors (typed columns go whole into the world part). */
const CHUNKED = ['tags', 'states', 'mailboxes', 'children', 'restarts', 'asks', 'timerKeys'] as const;
/** Typed columns of the image, stored as their little-endian bytes. */
const TYPED = {
  ids: Uint32Array, kind: Uint16Array, behaviour: Uint16Array, status: Uint8Array, params: Uint32Array, parent: Uint32Array, incarnation: Uint32Array,
  failures: Uint32Array, far: Uint8Array, bodyRow: Int32Array, rngs: Float64Array, hasRng: Uint8Array, bodies: Float64Array, alive: Uint8Array, bodyFaction: Uint16Array,
} as const;

/**
 * Encode a captured world, in slices: each `next()` packs one chunk of actors (then one packs the rest of the
 * world), so the host can spread the work
 * over several turns of its event loop; the iterator's return value is the snapshot's bytes. Layout: "LMSNAP",
 * u16 version, then length-prefixed (u32) pieces: the header (MessagePack), the world without its per-actor
 * references (MessagePack; numeric columns as little-endian bytes, so -0 and NaN survive exactly), a u32 chunk
 * count and the chunks of per-actor references (MessagePack records), then a u32 checksum of the pieces.
 */
export function* encodeSnapshot(image: WorldImage, meta: unknown): Generator<void, Uint8Array, void> {
  if (!LITTLE_ENDIAN) throw new SnapshotError('incompatible', 'snapshot: this machine is big-endian; snapshots store little-endian numbers');
  const chunks: Uint8Array[] = [];
  const sums: number[] = [];
  for (let i = 0; i < image.count; i += ACTORS_PER_CHUNK) {
    const end = Math.min(image.count, i + ACTORS_PER_CHUNK);
    const chunk = packer().pack(CHUNKED.map((k) => image[k].slice(i, end)));
    chunks.push(chunk);
    sums.push(fnv(chunk));
    yield;
  }
  const world: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(image)) {
    if ((CHUNKED as readonly string[]).includes(k)) continue;
    world[k] = k in TYPED ? bytesOf(v as Float64Array) : v;
  }
  const head = packer().pack({ format: 'lairmind-snapshot', version: SNAPSHOT_VERSION, tick: image.tick, time: image.time, seed: image.config.seed, actors: image.count, meta } satisfies SnapshotHeader);
  const body = packer().pack(world);
  const bodySum = fnv(body);
  yield; // the world part, its checksum and the assembly below are slices of their own
  const pieces = [head, body, ...chunks];
  const size = 8 + 4 * pieces.length + 4 + pieces.reduce((n, p) => n + p.length, 0) + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(6, SNAPSHOT_VERSION);
  let at = 8;
  const put = (p: Uint8Array): void => {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  };
  put(head);
  put(body);
  view.setUint32(at, chunks.length);
  at += 4;
  for (const c of chunks) put(c);
  view.setUint32(at, fold([fnv(head), bodySum, chunks.length, ...sums]));
  return out;
}

/** Encode in one go (tests, tools, and hosts that do not need slices). */
export function encodeSnapshotNow(image: WorldImage, meta: unknown): Uint8Array {
  const it = encodeSnapshot(image, meta);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/** Split a snapshot into its pieces, checking magic, version, lengths and checksum. */
function frame(bytes: Uint8Array): { header: SnapshotHeader; body: Uint8Array; chunks: Uint8Array[] } {
  if (!(bytes instanceof Uint8Array)) throw new SnapshotError('not-a-snapshot', 'snapshot: expected bytes');
  const magic = bytes.length >= 6 && MAGIC.every((m, i) => bytes[i] === m);
  if (bytes.length < 16) throw new SnapshotError(magic ? 'truncated' : 'not-a-snapshot', `snapshot: only ${bytes.length} bytes`);
  if (!magic) throw new SnapshotError('not-a-snapshot', 'snapshot: does not start with LMSNAP; not a Lairmind snapshot');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(6);
  if (version > SNAPSHOT_VERSION) {
    throw new SnapshotError('newer-format', `snapshot: format version ${version} is newer than this server reads (${SNAPSHOT_VERSION}); restore it with a newer Lairmind`);
  }
  if (version < OLDEST_READABLE) throw new SnapshotError('incompatible', `snapshot: format version ${version} is too old for this server (oldest readable: ${OLDEST_READABLE})`);
  let at = 8;
  const truncated = (): SnapshotError => new SnapshotError('truncated', `snapshot: truncated (${bytes.length} bytes; a piece at byte ${at} runs past the end)`);
  const take = (): Uint8Array => {
    if (at + 4 > bytes.length) throw truncated();
    const len = view.getUint32(at);
    if (at + 4 + len > bytes.length) throw truncated();
    const p = bytes.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return p;
  };
  const headBytes = take();
  const body = take();
  if (at + 4 > bytes.length) throw truncated();
  const count = view.getUint32(at);
  at += 4;
  if (count > bytes.length / 4) throw new SnapshotError('corrupt', `snapshot: ${count} actor chunks cannot fit in ${bytes.length} bytes`);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) chunks.push(take());
  if (at + 4 > bytes.length) throw truncated();
  if (at + 4 < bytes.length) throw new SnapshotError('corrupt', `snapshot: ${bytes.length - at - 4} unexpected bytes after the end`);
  const sum = fold([fnv(headBytes), fnv(body), count, ...chunks.map((c) => fnv(c))]);
  if (view.getUint32(at) !== sum) throw new SnapshotError('corrupt', 'snapshot: checksum mismatch (the bytes were damaged after it was written)');
  let header: SnapshotHeader;
  try {
    header = packer().unpack(headBytes) as SnapshotHeader;
  } catch (err) {
    throw new SnapshotError('corrupt', `snapshot: header unreadable (${err instanceof Error ? err.message : String(err)})`);
  }
  if (header?.format !== 'lairmind-snapshot' || header.version !== version) throw new SnapshotError('corrupt', 'snapshot: header does not describe a Lairmind snapshot');
  return { header, body, chunks };
}

/** Read only a snapshot's header (checked in full: a damaged snapshot is refused here too). */
export function readSnapshotHeader(bytes: Uint8Array): SnapshotHeader {
  return frame(bytes).header;
}

/** Decode a snapshot into its header and world image; throws {@link SnapshotError} saying what is wrong. */
export function decodeSnapshot(bytes: Uint8Array): { header: SnapshotHeader; image: WorldImage } {
  const { header, body, chunks } = frame(bytes);
  const unpack = (b: Uint8Array, what: string): unknown => {
    try {
      return packer().unpack(b);
    } catch (err) {
      throw new SnapshotError('corrupt', `snapshot: ${what} unreadable (${err instanceof Error ? err.message : String(err)})`);
    }
  };
  const raw = unpack(body, 'world') as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object' || !Number.isInteger(raw.count)) throw new SnapshotError('corrupt', 'snapshot: the world part is malformed');
  const image: Record<string, unknown> = { ...raw };
  for (const [k, Ctor] of Object.entries(TYPED)) image[k] = viewAs(raw[k], Ctor as unknown as { new (b: ArrayBuffer): ArrayBufferView; readonly BYTES_PER_ELEMENT: number }, k);
  const columns: unknown[][] = CHUNKED.map(() => []);
  for (const chunk of chunks) {
    const parts = unpack(chunk, 'actor chunk');
    if (!Array.isArray(parts) || parts.length !== CHUNKED.length || !parts.every(Array.isArray)) throw new SnapshotError('corrupt', 'snapshot: an actor chunk has the wrong shape');
    parts.forEach((p: unknown[], j) => {
      const col = columns[j] as unknown[];
      for (const v of p) col.push(v);
    });
  }
  CHUNKED.forEach((k, j) => (image[k] = columns[j]));
  const n = raw.count as number;
  if (n !== header.actors) throw new SnapshotError('corrupt', `snapshot: header says ${header.actors} actors, body holds ${n}`);
  for (const k of CHUNKED) if ((image[k] as unknown[]).length !== n) throw new SnapshotError('corrupt', `snapshot: column ${k} holds ${(image[k] as unknown[]).length} entries for ${n} actors`);
  for (const k of ['ids', 'kind', 'behaviour', 'status', 'params', 'parent', 'incarnation', 'failures', 'far', 'bodyRow', 'hasRng'] as const) {
    if ((image[k] as ArrayLike<number>).length !== n) throw new SnapshotError('corrupt', `snapshot: column ${k} disagrees with the actor count`);
  }
  const w = image as unknown as WorldImage;
  if (w.rngs.length !== n * 4 || w.bodies.length !== w.alive.length * BODY_FIELDS || w.bodyFaction.length !== w.alive.length) throw new SnapshotError('corrupt', 'snapshot: body or random-stream columns disagree in length');
  return { header, image: w };
}
