import { createServer as createNetServer } from 'node:net';
import type { Transport } from '@colyseus/core';
import type { Logger } from './logger.ts';

/** Which transport runs, and whether uWebSockets.js loaded its native binary. */
export interface TransportInfo {
  readonly kind: 'uws' | 'ws';
  /** True when uWebSockets.js runs its native binary (false for ws, or if it fell back). */
  readonly native: boolean;
  readonly transport: Transport;
}

/**
 * The uWebSockets.js transport (default), or `ws` when asked for or when uWebSockets.js cannot load its native
 * binary on this platform. Logs which one is in use.
 */
export async function createTransport(kind: 'uws' | 'ws', logger: Logger): Promise<TransportInfo> {
  if (kind === 'uws') {
    try {
      const uws = (await import('uWebSockets.js')) as unknown as { default?: { App?: unknown }; App?: unknown };
      const app = uws.App ?? uws.default?.App;
      const native = typeof app === 'function' && String(app).includes('[native code]');
      if (native) {
        const { uWebSocketsTransport } = await import('@colyseus/uwebsockets-transport');
        logger.info({ transport: 'uws', native: true }, 'transport: uWebSockets.js with its native binary');
        return { kind: 'uws', native: true, transport: new uWebSocketsTransport({ maxPayloadLength: 16 * 1024 }) as unknown as Transport };
      }
      logger.warn({ transport: 'ws' }, 'transport: uWebSockets.js has no native binary for this platform; falling back to ws');
    } catch (err) {
      logger.warn({ transport: 'ws', error: err instanceof Error ? err.message : String(err) }, 'transport: uWebSockets.js failed to load; falling back to ws');
    }
  }
  const { WebSocketTransport } = await import('@colyseus/ws-transport');
  if (kind === 'ws') logger.info({ transport: 'ws' }, 'transport: ws');
  return { kind: 'ws', native: false, transport: new WebSocketTransport({ pingInterval: 5000 }) as unknown as Transport };
}

/**
 * Fail early when the port is taken. uWebSockets.js listens with SO_REUSEPORT, so a second server on the same
 * port would start silently and share its connections; a plain socket probe refuses instead.
 */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${port} is already in use (set PORT to another port)` : `cannot listen on port ${port}: ${err.message}`, { cause: err })),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
