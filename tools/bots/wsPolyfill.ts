import WebSocket from 'ws';

/** Node 20 has no global WebSocket; the SDK needs one (its reconnect path uses the global). Idempotent. */
export function installWebSocket(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
}
