/** Kinds of bot errors, as counted in load-test reports. */
export type BotErrorKind =
  /** The matchmaking request or the WebSocket connection failed. */
  | 'join'
  /** The server sent an error message (e.g. a refused client message). */
  | 'server-error'
  /** The connection closed without the bot asking. */
  | 'disconnect'
  /** The server warned the bot that it sends too much. */
  | 'rate-warning'
  /** An exception in the bot's own code or the SDK's decoder. */
  | 'exception';

/** Where a bot reports what happens to it (a load-test worker aggregates these per second). */
export interface BotSink {
  /** The bot is in the room; `ms` from request to joined (matchmaking, WebSocket, handshake). */
  joined(ms: number): void;
  error(kind: BotErrorKind, message: string): void;
  /** A ping came back after `ms` (round trip through the room's message handler). */
  rtt(ms: number): void;
  /** A state patch (or full state) was decoded. */
  patch(): void;
  /** A frame of `bytes` arrived from the server. */
  received(bytes: number): void;
  /** A message of `type` was sent. */
  sent(type: string): void;
  /** The bot left the room (asked to, or dropped). */
  left(): void;
}

/** A sink that records nothing. */
export const NULL_SINK: BotSink = { joined() {}, error() {}, rtt() {}, patch() {}, received() {}, sent() {}, left() {} };
