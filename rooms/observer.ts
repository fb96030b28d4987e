import type { StepReport, World } from '../actors/index.ts';

/** Where a room reports what it does (metrics and logs live in server/; rooms only call these). */
export interface RoomObserver {
  /** After each simulation step. `durationMs` is the wall time of the step and projection. */
  step?(roomId: string, world: World, report: StepReport, durationMs: number): void;
  /** After the state patches were encoded and sent. */
  patch?(roomId: string, durationMs: number): void;
  /** Bytes sent to a client (patches and messages). */
  bytesSent?(roomId: string, bytes: number): void;
  /** A client message refused: `invalid`, `unknown-type`, `undecodable`, `request`, `rate`, `not-ready`. */
  messageRefused?(roomId: string, reason: string): void;
  /** The room is gone. */
  disposed?(roomId: string): void;
  /** Structured log lines. */
  log?(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}
