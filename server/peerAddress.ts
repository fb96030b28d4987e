import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Transport } from '@colyseus/core';

const peers = new AsyncLocalStorage<string>();

/**
 * The network address of the client whose HTTP request is being handled (as the socket sees it: a proxy's, behind
 * one), while it is handled; undefined outside a request or when {@link trackPeerAddresses} is not installed.
 */
export function requestPeer(): string | undefined {
  return peers.getStore();
}

interface UwsResponse {
  getRemoteAddressAsText(): ArrayBuffer;
}
type UwsHandler = (res: UwsResponse, req: unknown) => unknown;
interface UwsApp {
  any(pattern: string, handler: UwsHandler): unknown;
}
interface TransportShape {
  server?: HttpServer;
  app?: UwsApp;
  bindRouter?: (router: unknown) => void;
}

/**
 * Make {@link requestPeer} answer for every HTTP request that reaches Colyseus' router (matchmaking among them).
 * Colyseus builds a fetch `Request` for its router, which carries no socket, so the address travels beside it in
 * async context. Call before the server listens:
 * - ws transport (a Node HTTP server): each `request` event runs inside the context;
 * - uWebSockets.js: the catch-all route the transport registers when Colyseus binds its router runs inside it.
 */
export function trackPeerAddresses(transport: Transport): void {
  const t = transport as unknown as TransportShape;
  if (t.server) {
    const server = t.server;
    const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
    server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
      if (event !== 'request') return emit(event, ...args);
      const address = (args[0] as IncomingMessage).socket.remoteAddress ?? '';
      return peers.run(address, () => emit(event, ...args));
    }) as typeof server.emit;
    return;
  }
  const app = t.app, bindRouter = t.bindRouter;
  if (app && bindRouter) {
    t.bindRouter = (router: unknown): void => {
      const any = app.any;
      app.any = (pattern, handler) =>
        any.call(app, pattern, (res, req) => peers.run(Buffer.from(res.getRemoteAddressAsText()).toString(), () => handler(res, req)));
      try {
        bindRouter.call(t, router);
      } finally {
        app.any = any;
      }
    };
    return;
  }
  throw new Error('trackPeerAddresses: the transport is neither a Node HTTP server (ws) nor uWebSockets.js; client addresses cannot be known');
}
