import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Transport } from '@colyseus/core';
import type { HttpGuard } from './httpGuard.ts';
import type { Logger } from './logger.ts';

/** Which transport runs, and whether uWebSockets.js loaded its native binary. */
export interface TransportInfo {
  readonly kind: 'uws' | 'ws';
  /** True when uWebSockets.js runs its native binary (false for ws, or if it fell back). */
  readonly native: boolean;
  readonly transport: Transport;
  /** Each open client socket: the bytes queued for it, and how to drop it. */
  bufferedAmounts(): Iterable<{ readonly bytes: number; drop(): void }>;
}

/** Bounds of what one client may cost the transport. */
export interface TransportLimits {
  /** Largest WebSocket message a client may send, in bytes (both transports). */
  readonly maxMessageBytes: number;
  /**
   * Bytes queued for a client that does not read (state patches it has not taken): past this the client is
   * dropped by the send-buffer watch; uWebSockets.js also closes at twice this by itself.
   */
  readonly sendBufferBytes: number;
}

/** HTTP timeouts of the ws transport's server (uWebSockets.js closes idle HTTP connections after 10 s itself). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The uWebSockets.js transport (default), or `ws` when asked for or when uWebSockets.js cannot load its native
 * binary on this platform. Logs which one is in use. Both run `guard` on every HTTP request before its body is
 * read, and both bound incoming messages and outgoing buffers by `limits`.
 */
export async function createTransport(kind: 'uws' | 'ws', logger: Logger, guard: HttpGuard, limits: TransportLimits): Promise<TransportInfo> {
  if (kind === 'uws') {
    try {
      const uws = (await import('uWebSockets.js')) as unknown as { default?: { App?: unknown }; App?: unknown };
      const app = uws.App ?? uws.default?.App;
      const native = typeof app === 'function' && String(app).includes('[native code]');
      if (native) {
        const { uWebSocketsTransport } = await import('@colyseus/uwebsockets-transport');
        logger.info({ transport: 'uws', native: true }, 'transport: uWebSockets.js with its native binary');
        const transport = new uWebSocketsTransport({
          maxPayloadLength: limits.maxMessageBytes,
          maxBackpressure: limits.sendBufferBytes * 2,
          closeOnBackpressureLimit: 1,
          // Added by patches/@colyseus+uwebsockets-transport+*.patch: runs before the body is read.
          requestGuard: (method: string, url: string, headers: Headers) => guard(method, url, (name) => headers.get(name) ?? undefined),
        } as ConstructorParameters<typeof uWebSocketsTransport>[0]);
        const sockets = (transport as unknown as { clients: { getBufferedAmount(): number; close(): void }[] }).clients;
        return {
          kind: 'uws',
          native: true,
          transport: transport as unknown as Transport,
          *bufferedAmounts() {
            for (const ws of [...sockets]) {
              let bytes: number;
              try {
                bytes = ws.getBufferedAmount();
              } catch {
                continue; // closed meanwhile
              }
              yield { bytes, drop: () => { try { ws.close(); } catch { /* already closed */ } } };
            }
          },
        };
      }
      logger.warn({ transport: 'ws' }, 'transport: uWebSockets.js has no native binary for this platform; falling back to ws');
    } catch (err) {
      logger.warn({ transport: 'ws', error: err instanceof Error ? err.message : String(err) }, 'transport: uWebSockets.js failed to load; falling back to ws');
    }
  }
  const { WebSocketTransport } = await import('@colyseus/ws-transport');
  if (kind === 'ws') logger.info({ transport: 'ws' }, 'transport: ws');
  const server = createHttpServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 });
  guardRequests(server, guard);
  const transport = new WebSocketTransport({ server, pingInterval: 5000, maxPayload: limits.maxMessageBytes });
  const wss = (transport as unknown as { wss: { clients: Set<{ bufferedAmount: number; terminate(): void }> } }).wss;
  return {
    kind: 'ws',
    native: false,
    transport: transport as unknown as Transport,
    *bufferedAmounts() {
      for (const ws of [...wss.clients]) yield { bytes: ws.bufferedAmount, drop: () => ws.terminate() };
    },
  };
}

/**
 * Run `guard` on every request before any other listener sees it (and so before anything reads the body): a
 * refused request is answered at once and never reaches Colyseus or Express.
 */
function guardRequests(server: HttpServer, guard: HttpGuard): void {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  // With a `checkContinue` listener Node asks before it sends `100 Continue`: a refused request gets no
  // invitation to send its body.
  server.on('checkContinue', () => {});
  server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'request' || event === 'checkContinue') {
      const req = args[0] as IncomingMessage;
      const res = args[1] as ServerResponse;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const refusal = guard(req.method ?? 'GET', q < 0 ? url : url.slice(0, q), (name) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v.join(', ') : v;
      });
      if (refusal) {
        res.writeHead(refusal.status, refusal.headers);
        res.end(refusal.body);
        return true;
      }
      if (event === 'checkContinue') {
        (args[1] as ServerResponse).writeContinue();
        return emit('request', ...args);
      }
    }
    return emit(event, ...args);
  }) as typeof server.emit;
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
