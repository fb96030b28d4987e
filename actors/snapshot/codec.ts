import { Packr } from 'msgpackr';
import type { ActorImage, WorldImage } from './image.ts';

/** First bytes of every snapshot. */
const MAGIC = [0x4c, 0x4d, 0x53, 0x4e, 0x41, 0x50]; // "LMSNAP"
/** The format this build writes; older ones are migrated on read, newer ones refused. */
export const SNAPSHOT_VERSION = 1;
/** Oldest format this build still reads. */
const OLDEST_READABLE = 1;
/** Actors packed per chunk: the encoder yields between chunks, so a large world is encoded in slices. */
export const ACTORS_PER_CHUNK = 2000;

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

function packer(): Packr {
  // Records (one key list per shape, then values only) are what keeps thousands of same-shaped states small.
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

/** FNV-1a over bytes: catches a flipped or lost byte (the stores add no checksum of their own). */
function checksum(bytes: Uint8Array, end: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < end; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Encode a captured world, in slices: each `next()` packs one chunk of actors, so the host can spread the work
 * over several turns of its event loop; the iterator's return value is the snapshot's bytes. Layout: "LMSNAP",
 * u16 version, u32 header length, header (MessagePack), u32 body length, body (MessagePack), u32 FNV-1a of
 * everything before it. Numbers are exact (bodies as little-endian float64 columns, so -0 and NaN survive).
 */
export function* encodeSnapshot(image: WorldImage, meta: unknown): Generator<void, Uint8Array, void> {
  if (!LITTLE_ENDIAN) throw new SnapshotError('incompatible', 'snapshot: this machine is big-endian; snapshots store little-endian numbers');
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < image.actors.length; i += ACTORS_PER_CHUNK) {
    chunks.push(packer().pack(image.actors.slice(i, i + ACTORS_PER_CHUNK).map(actorRow)));
    yield;
  }
  const { actors: _actors, bodies, alive, bodyFaction, ...rest } = image;
  const body = packer().pack({ ...rest, bodies: bytesOf(bodies), alive: bytesOf(alive), bodyFaction: bytesOf(bodyFaction), chunks });
  const header: SnapshotHeader = { format: 'lairmind-snapshot', version: SNAPSHOT_VERSION, tick: image.tick, time: image.time, seed: image.config.seed, actors: image.actors.length, meta };
  const head = packer().pack(header);
  const out = new Uint8Array(6 + 2 + 4 + head.length + 4 + body.length + 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(6, SNAPSHOT_VERSION);
  view.setUint32(8, head.length);
  out.set(head, 12);
  view.setUint32(12 + head.length, body.length);
  out.set(body, 16 + head.length);
  view.setUint32(out.length - 4, checksum(out, out.length - 4));
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

/** Actor fields in a fixed order: an array per actor packs smaller than an object and needs no record. */
function actorRow(a: ActorImage): unknown[] {
  return [a.id, a.kind, a.behaviour, a.params, a.tags, a.parent, a.children, a.incarnation, a.status, a.state, a.mailbox, a.rng, a.restarts, a.asks, a.timerKeys, a.failures, a.far, a.body];
}

function rowActor(r: unknown): ActorImage {
  if (!Array.isArray(r) || r.length !== 18) throw new SnapshotError('corrupt', 'snapshot: an actor record has the wrong shape');
  const [id, kind, behaviour, params, tags, parent, children, incarnation, status, state, mailbox, rng, restarts, asks, timerKeys, failures, far, body] = r as [
    number, string, string, number, ActorImage['tags'], number, number[] | null, number, ActorImage['status'], unknown, ActorImage['mailbox'], ActorImage['rng'],
    number[] | null, ActorImage['asks'], ActorImage['timerKeys'], number, boolean, number,
  ];
  if (!Number.isInteger(id) || typeof kind !== 'string' || typeof behaviour !== 'string' || !Number.isInteger(body)) {
    throw new SnapshotError('corrupt', `snapshot: actor record ${JSON.stringify(id)} is malformed`);
  }
  return { id, kind, behaviour, params, tags, parent, children, incarnation, status, state, mailbox, rng, restarts, asks, timerKeys, failures, far, body };
}

/** Split a snapshot into header and body bytes, checking magic, version and checksum. */
function frame(bytes: Uint8Array): { header: SnapshotHeader; body: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) throw new SnapshotError('not-a-snapshot', 'snapshot: expected bytes');
  if (bytes.length < 16) throw new SnapshotError(bytes.length >= 6 && MAGIC.every((m, i) => bytes[i] === m) ? 'truncated' : 'not-a-snapshot', `snapshot: only ${bytes.length} bytes`);
  if (!MAGIC.every((m, i) => bytes[i] === m)) throw new SnapshotError('not-a-snapshot', 'snapshot: does not start with LMSNAP; not a Lairmind snapshot');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(6);
  if (version > SNAPSHOT_VERSION) {
    throw new SnapshotError('newer-format', `snapshot: format version ${version} is newer than this server reads (${SNAPSHOT_VERSION}); restore it with a newer Lairmind`);
  }
  if (version < OLDEST_READABLE) throw new SnapshotError('incompatible', `snapshot: format version ${version} is too old for this server (oldest readable: ${OLDEST_READABLE})`);
  const headLen = view.getUint32(8);
  const bodyAt = 12 + headLen;
  if (bodyAt + 4 > bytes.length) throw new SnapshotError('truncated', `snapshot: truncated (${bytes.length} bytes; the header alone needs ${bodyAt + 4})`);
  const bodyLen = view.getUint32(bodyAt);
  const end = bodyAt + 4 + bodyLen;
  if (end + 4 > bytes.length) throw new SnapshotError('truncated', `snapshot: truncated (${bytes.length} bytes of ${end + 4})`);
  if (end + 4 < bytes.length) throw new SnapshotError('corrupt', `snapshot: ${bytes.length - end - 4} unexpected bytes after the end`);
  const sum = view.getUint32(end);
  if (sum !== checksum(bytes, end)) throw new SnapshotError('corrupt', 'snapshot: checksum mismatch (the bytes were damaged after it was written)');
  let header: SnapshotHeader;
  try {
    header = packer().unpack(bytes.subarray(12, bodyAt)) as SnapshotHeader;
  } catch (err) {
    throw new SnapshotError('corrupt', `snapshot: header unreadable (${err instanceof Error ? err.message : String(err)})`);
  }
  if (header?.format !== 'lairmind-snapshot' || header.version !== version) throw new SnapshotError('corrupt', 'snapshot: header does not describe a Lairmind snapshot');
  return { header, body: bytes.subarray(bodyAt + 4, end) };
}

/** Read only a snapshot's header (checked in full: a damaged snapshot is refused here too). */
export function readSnapshotHeader(bytes: Uint8Array): SnapshotHeader {
  return frame(bytes).header;
}

/** Decode a snapshot into its header and world image; throws {@link SnapshotError} saying what is wrong. */
export function decodeSnapshot(bytes: Uint8Array): { header: SnapshotHeader; image: WorldImage } {
  const { header, body } = frame(bytes);
  let raw: Record<string, unknown>;
  try {
    raw = packer().unpack(body) as Record<string, unknown>;
  } catch (err) {
    throw new SnapshotError('corrupt', `snapshot: body unreadable (${err instanceof Error ? err.message : String(err)})`);
  }
  if (raw === null || typeof raw !== 'object' || !Array.isArray(raw.chunks)) throw new SnapshotError('corrupt', 'snapshot: body has no actors');
  const actors: ActorImage[] = [];
  for (const chunk of raw.chunks as unknown[]) {
    if (!(chunk instanceof Uint8Array)) throw new SnapshotError('corrupt', 'snapshot: an actor chunk is not binary');
    let rows: unknown;
    try {
      rows = packer().unpack(chunk);
    } catch (err) {
      throw new SnapshotError('corrupt', `snapshot: actor chunk unreadable (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!Array.isArray(rows)) throw new SnapshotError('corrupt', 'snapshot: an actor chunk is not a list');
    for (const r of rows) actors.push(rowActor(r));
  }
  if (actors.length !== header.actors) throw new SnapshotError('corrupt', `snapshot: header says ${header.actors} actors, body holds ${actors.length}`);
  const { chunks: _chunks, bodies, alive, bodyFaction, ...rest } = raw;
  const image = {
    ...rest,
    actors,
    bodies: viewAs(bodies, Float64Array, 'bodies'),
    alive: viewAs(alive, Uint8Array, 'alive'),
    bodyFaction: viewAs(bodyFaction, Uint16Array, 'bodyFaction'),
  } as unknown as WorldImage;
  if (image.bodies.length !== image.alive.length * 12 || image.bodyFaction.length !== image.alive.length) throw new SnapshotError('corrupt', 'snapshot: body columns disagree in length');
  return { header, image };
}
