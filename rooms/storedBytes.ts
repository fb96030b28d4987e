import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants } from 'node:zlib';
import { SnapshotError } from '../actors/index.ts';

/** First bytes of a snapshot as stored: "LMBR", then the snapshot compressed with Brotli. */
const STORED = [0x4c, 0x4d, 0x42, 0x52];
/** Largest snapshot a stored one may expand to (a damaged length field must not exhaust memory). */
const MAX_SNAPSHOT_BYTES = 1 << 30;

const compress = promisify(brotliCompress);

/**
 * A snapshot as it goes to the store: Brotli at quality 1 (a third of the size for a few milliseconds per 10,000
 * actors, on libuv's thread pool, so the event loop does not wait for it). Snapshots compress well: thousands of
 * actors of a few species share most of their bytes.
 */
export async function toStored(snapshot: Uint8Array): Promise<Uint8Array> {
  const packed = await compress(snapshot, { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: snapshot.length } });
  const out = new Uint8Array(STORED.length + packed.length);
  out.set(STORED, 0);
  out.set(packed, STORED.length);
  return out;
}

/** The snapshot inside stored bytes (an uncompressed snapshot passes as it is); throws SnapshotError when damaged. */
export function fromStored(stored: Uint8Array): Uint8Array {
  if (!STORED.every((b, i) => stored[i] === b)) return stored;
  try {
    return new Uint8Array(brotliDecompressSync(stored.subarray(STORED.length), { maxOutputLength: MAX_SNAPSHOT_BYTES }));
  } catch (err) {
    throw new SnapshotError('corrupt', `snapshot: its compressed bytes are damaged (${err instanceof Error ? err.message : String(err)})`);
  }
}
