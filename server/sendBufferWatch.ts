import type { TransportInfo } from './transport.ts';

/** How often the send buffers are looked at. */
const EVERY_MS = 100;

/**
 * Drops clients whose socket has more than `boundBytes` queued: a client that stopped reading would otherwise
 * make the server buffer its state patches without end (ws) or lose patches silently (uWebSockets.js drops past
 * its backpressure limit, and a lost delta patch corrupts the client's state). A dropped client may reconnect
 * within the room's grace period and gets a fresh full state. Returns a function that stops the watch.
 */
export function watchSendBuffers(transport: TransportInfo, boundBytes: number, onDrop: (bytes: number) => void): () => void {
  const timer = setInterval(() => {
    for (const socket of transport.bufferedAmounts()) {
      if (socket.bytes <= boundBytes) continue;
      socket.drop();
      onDrop(socket.bytes);
    }
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
