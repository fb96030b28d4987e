import type { Client, Room } from '@colyseus/core';

/** Decides whether one frame a client sent goes on to Colyseus (true) or is dropped unread (false). */
export type FrameAdmission = (client: Client, frame: Uint8Array) => boolean;

/** What Colyseus calls for a frame that threw while being decoded or dispatched. */
export type FrameFailure = (client: Client, error: unknown) => void;

interface FrameEntry {
  _onMessage(client: Client, frame: Uint8Array): void;
}

/**
 * Put `admit` in front of everything a joined client sends. Colyseus hands each frame from a client's socket to
 * `Room._onMessage` (bound per client when it joins): room messages of known and unknown types, requests, byte
 * messages, protocol pings, join acknowledgements and leave requests, and garbage. `admit` sees every one of them
 * first, before anything is decoded, and only what it admits reaches Colyseus. A frame whose decoding throws is
 * reported to `failed` instead of escaping into the transport.
 *
 * `_onMessage` is private in Colyseus' typings, hence the cast; Colyseus itself wraps it the same way for its
 * simulated latency. The frame handler in force when the room is built is the one called.
 */
export function gateFrames(room: Room, admit: FrameAdmission, failed: FrameFailure): void {
  const entry = room as unknown as FrameEntry;
  const next = entry._onMessage;
  entry._onMessage = function gatedFrame(this: Room, client: Client, frame: Uint8Array): void {
    if (!admit(client, frame)) return;
    try {
      next.call(this, client, frame);
    } catch (err) {
      failed(client, err);
    }
  };
}
