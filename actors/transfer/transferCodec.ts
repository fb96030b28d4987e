import { packer } from '../snapshot/codec.ts';
import { transferProblem } from './actorTransfer.ts';
import type { ActorTransfer } from './actorTransfer.ts';

/** Bytes that are not an actor transfer this build reads, with the reason in words. */
export class TransferError extends Error {
  constructor(readonly code: 'not-bytes' | 'corrupt' | 'malformed', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransferError';
  }
}

/** An actor transfer as MessagePack bytes (the snapshot's codec settings), e.g. for a presence hash or a channel. */
export function transferBytes(transfer: ActorTransfer): Uint8Array {
  const problem = transferProblem(transfer);
  if (problem) throw new TransferError('malformed', `actor transfer: ${problem}`);
  return packer().pack(transfer);
}

/** The transfer back from {@link transferBytes}; throws a {@link TransferError} naming what is wrong. */
export function transferFromBytes(bytes: Uint8Array): ActorTransfer {
  if (!(bytes instanceof Uint8Array)) throw new TransferError('not-bytes', `actor transfer: expected bytes (Uint8Array), got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length === 0) throw new TransferError('corrupt', 'actor transfer: 0 bytes');
  let value: unknown;
  try {
    value = packer().unpack(bytes);
  } catch (err) {
    throw new TransferError('corrupt', `actor transfer: ${bytes.length} bytes are not readable MessagePack (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const problem = transferProblem(value);
  if (problem) throw new TransferError('malformed', `actor transfer: ${problem}`);
  return value as ActorTransfer;
}
