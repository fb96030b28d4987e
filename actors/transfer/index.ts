// Actors moving between worlds (zones of one world): released from one as plain data, adopted by the next.
export { TRANSFER_FORMAT, TRANSFER_VERSION, transferProblem } from './actorTransfer.ts';
export type { ActorTransfer, TransferBody } from './actorTransfer.ts';
export { releaseActor } from './releaseActor.ts';
export type { ReleaseResult } from './releaseActor.ts';
export { adoptActor } from './adoptActor.ts';
export type { AdoptResult } from './adoptActor.ts';
export { transferBytes, transferFromBytes, TransferError } from './transferCodec.ts';
