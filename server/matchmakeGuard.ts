import { createRouter, matchMaker } from '@colyseus/core';
import type { Router } from '@colyseus/core';
import { DEFAULT_SEAT_RESERVATION_SECONDS } from '../rooms/index.ts';
import { addressKey, forwardedAddress, isLoopback } from './clientAddress.ts';
import { checkMatchmakeBody, DEFAULT_MATCHMAKE_OPTION_LIMITS } from './matchmakeOptions.ts';
import type { MatchmakeOptionLimits } from './matchmakeOptions.ts';
import { requestPeer } from './peerAddress.ts';

/** What one client address may ask of matchmaking. */
export interface MatchmakeLimits extends MatchmakeOptionLimits {
  /** Matchmaking requests an address may make, sustained, per second. */
  readonly perSecond: number;
  /** ... and at once. */
  readonly burst: number;
  /** What one `create` counts against that budget (it builds a whole world). */
  readonly createCost: number;
  /** Seats reserved for an address whose clients have not connected yet, at any one time. */
  readonly pendingSeats: number;
  /** How long a reserved seat counts against its address unless its client connects: the rooms' seat reservation time. */
  readonly seatSeconds: number;
  /** Addresses remembered at once; past this the least recently seen are forgotten. */
  readonly addresses: number;
}

export const DEFAULT_MATCHMAKE_LIMITS: MatchmakeLimits = {
  ...DEFAULT_MATCHMAKE_OPTION_LIMITS,
  perSecond: 2,
  burst: 20,
  createCost: 5,
  pendingSeats: 4,
  seatSeconds: DEFAULT_SEAT_RESERVATION_SECONDS,
  addresses: 20_000,
};

export interface MatchmakeGuardOptions {
  readonly limits?: Partial<MatchmakeLimits>;
  /** Whether requests from this machine (127.0.0.0/8, ::1) are limited (default: no; load tests run from here). */
  readonly limitLoopback?: boolean;
  /** Proxies in front of the server: the client's address is taken that many hops from the right of X-Forwarded-For. */
  readonly trustProxy?: number;
  /** The socket address of the current request (default: {@link requestPeer}). */
  readonly peer?: () => string | undefined;
  /** Milliseconds (default: performance.now). */
  readonly now?: () => number;
}

/** Matchmaking methods that reserve a new seat (`reconnect` takes back the caller's own). */
const SEAT_METHODS = new Set(['joinOrCreate', 'create', 'join', 'joinById']);

const MATCHMAKE_PATH = /^\/matchmake\/([^/]+)\/([^/]+)$/;

interface Seat {
  readonly key: string;
  readonly expiresAt: number;
  sessionId?: string;
  done: boolean;
}

interface AddressState {
  tokens: number;
  last: number;
  /** Seats reserved and not yet taken, oldest first. */
  seats: Seat[];
}

type InvokeMethod = (method: string, roomName: string, clientOptions?: unknown, authOptions?: { req?: unknown }) => Promise<unknown>;

/**
 * Guards Colyseus' matchmaking route (`POST /matchmake/<method>/<room>`), for every transport:
 * - per client address, a token bucket over matchmaking requests (429 with Retry-After), checked before the body is
 *   parsed; a `create` costs more;
 * - the options checked before Colyseus touches them (size, JSON, depth, no prototype-reaching keys, only what a
 *   player may set; 400, 413 or 415 with the reason), and passed on re-serialised, with nothing else in them;
 * - per client address, a bound on seats reserved and not yet taken (429), so that one address cannot fill a room
 *   with phantom seats: a seat stops counting when its client connects, or when the reservation expires.
 * Install with {@link routes} (the server's `routes`) and {@link install} (after the rooms are defined).
 */
export class MatchmakeGuard {
  readonly limits: MatchmakeLimits;
  private readonly addresses = new Map<string, AddressState>();
  private readonly seatsBySession = new Map<string, Seat>();
  /** Seats held for requests on their way to Colyseus, by the request Colyseus will be handed. */
  private readonly seatsByRequest = new WeakMap<Request, Seat>();
  private readonly peer: () => string | undefined;
  private readonly now: () => number;
  private uninstall: (() => void) | undefined;

  constructor(private readonly options: MatchmakeGuardOptions = {}) {
    this.limits = { ...DEFAULT_MATCHMAKE_LIMITS, ...options.limits };
    const l = this.limits;
    if (!(l.perSecond > 0 && l.burst >= 1 && l.createCost >= 1 && l.pendingSeats >= 1 && l.seatSeconds > 0 && l.addresses >= 1)) {
      throw new RangeError('MatchmakeGuard: need perSecond > 0, burst >= 1, createCost >= 1, pendingSeats >= 1, seatSeconds > 0, addresses >= 1');
    }
    this.peer = options.peer ?? requestPeer;
    this.now = options.now ?? (() => performance.now());
  }

  /** A router for the server's `routes` option: Colyseus adds its matchmaking route to it, behind this guard. */
  routes(): Router {
    return createRouter({}, { onRequest: (request: Request) => this.onRequest(request) }) as unknown as Router;
  }

  /**
   * Count reserved seats against their addresses: wraps the matchmaking controller (to learn which request got
   * which seat) and listens for clients joining rooms (a taken seat stops counting). Undone by {@link close}.
   */
  install(): void {
    if (this.uninstall) return;
    const controller = matchMaker.controller as unknown as { invokeMethod: InvokeMethod };
    const invoke = controller.invokeMethod;
    const seats = this.seatsByRequest;
    const guard = this;
    const guarded: InvokeMethod = async function guardedInvokeMethod(this: unknown, method, roomName, clientOptions, authOptions) {
      const req = authOptions?.req;
      const seat = req instanceof Request ? seats.get(req) : undefined;
      try {
        const reservation = (await invoke.call(this, method, roomName, clientOptions, authOptions)) as { sessionId?: unknown } | undefined;
        if (seat && typeof reservation?.sessionId === 'string') guard.bindSeat(seat, reservation.sessionId);
        else if (seat) guard.releaseSeat(seat);
        return reservation;
      } catch (err) {
        if (seat) guard.releaseSeat(seat);
        throw err;
      }
    };
    controller.invokeMethod = guarded;
    const onJoin = (_room: unknown, client: { sessionId: string }): void => this.seatTaken(client.sessionId);
    const handlers = Object.values(matchMaker.getAllHandlers());
    for (const h of handlers) h.on('join', onJoin);
    this.uninstall = () => {
      if (controller.invokeMethod === guarded) controller.invokeMethod = invoke;
      for (const h of handlers) h.off('join', onJoin);
    };
  }

  close(): void {
    this.uninstall?.();
    this.uninstall = undefined;
  }

  /** Seats reserved for `address` and not yet taken (for tests and inspection). */
  pendingSeats(address: string): number {
    const s = this.addresses.get(addressKey(address));
    return s ? this.purge(s, this.now()).length : 0;
  }

  /** The router's first look at a request: refuse it here, or hand Colyseus a request with clean options. */
  async onRequest(request: Request): Promise<Request | Response | undefined> {
    if (request.method !== 'POST') return undefined;
    const match = MATCHMAKE_PATH.exec(new URL(request.url).pathname);
    if (!match) return undefined;
    const method = decodeURIComponent(match[1]!);
    const socket = this.peer() ?? 'unknown';
    const key = addressKey(forwardedAddress(socket, request.headers.get('x-forwarded-for'), this.options.trustProxy ?? 0));
    const limited = this.options.limitLoopback === true || !isLoopback(key);
    const l = this.limits;
    const now = this.now();
    const state = limited ? this.touch(key, now) : undefined;

    if (state) {
      const cost = method === 'create' ? l.createCost : 1;
      const waitMs = this.take(state, cost, now);
      if (waitMs > 0) {
        return refuse(429, `too many matchmaking requests from your address: at most ${l.burst} at once and ${l.perSecond} a second (a create counts ${l.createCost}); try again in ${seconds(waitMs)} s`, { 'Retry-After': String(seconds(waitMs)) });
      }
    }

    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > l.bodyBytes) return refuse(413, `matchmaking options of ${declared} bytes are over the limit of ${l.bodyBytes} bytes`);
    let body: Uint8Array;
    try {
      body = new Uint8Array(await request.arrayBuffer());
    } catch {
      return refuse(400, 'the request was aborted before its options arrived'); // the client is gone: nothing to log
    }
    const checked = checkMatchmakeBody(method, request.headers.get('content-type'), body, l);
    if (!checked.ok) return refuse(checked.status, checked.error);

    let seat: Seat | undefined;
    if (state && SEAT_METHODS.has(method)) {
      const held = this.purge(state, now);
      if (held.length >= l.pendingSeats) {
        const waitMs = Math.max(1, (held[0]?.expiresAt ?? now) - now);
        return refuse(429, `${held.length} seats reserved for your address are still waiting for their clients to connect (at most ${l.pendingSeats}); try again in ${seconds(waitMs)} s`, { 'Retry-After': String(seconds(waitMs)) });
      }
      seat = { key, expiresAt: now + l.seatSeconds * 1000, done: false };
      held.push(seat);
    }

    const headers = new Headers(request.headers);
    headers.delete('content-length');
    headers.set('content-type', 'application/json');
    const clean = new Request(request.url, { method: 'POST', headers, body: JSON.stringify(checked.options), signal: request.signal });
    if (seat) this.seatsByRequest.set(clean, seat);
    return clean;
  }

  /** The address's state, created if new; most recently seen last, the least recent forgotten past the bound. */
  private touch(key: string, now: number): AddressState {
    let s = this.addresses.get(key);
    if (s) this.addresses.delete(key);
    else s = { tokens: this.limits.burst, last: now, seats: [] };
    this.addresses.set(key, s);
    while (this.addresses.size > this.limits.addresses) {
      const oldest = this.addresses.keys().next().value as string;
      for (const seat of this.addresses.get(oldest)?.seats ?? []) this.releaseSeat(seat);
      this.addresses.delete(oldest);
    }
    return s;
  }

  /** Take `cost` tokens; 0 when granted, else the milliseconds until they would be there. */
  private take(s: AddressState, cost: number, now: number): number {
    const { perSecond, burst } = this.limits;
    s.tokens = Math.min(burst, s.tokens + ((now - s.last) / 1000) * perSecond);
    s.last = now;
    if (s.tokens >= cost) {
      s.tokens -= cost;
      return 0;
    }
    return Math.ceil(((Math.min(cost, burst) - s.tokens) / perSecond) * 1000);
  }

  /** The address's seats still held (expired and finished ones dropped). */
  private purge(s: AddressState, now: number): Seat[] {
    s.seats = s.seats.filter((seat) => {
      if (!seat.done && seat.expiresAt > now) return true;
      this.releaseSeat(seat);
      return false;
    });
    return s.seats;
  }

  private bindSeat(seat: Seat, sessionId: string): void {
    if (seat.done) return;
    seat.sessionId = sessionId;
    this.seatsBySession.set(sessionId, seat);
  }

  private releaseSeat(seat: Seat): void {
    seat.done = true;
    if (seat.sessionId !== undefined && this.seatsBySession.get(seat.sessionId) === seat) this.seatsBySession.delete(seat.sessionId);
  }

  private seatTaken(sessionId: string): void {
    const seat = this.seatsBySession.get(sessionId);
    if (!seat) return;
    this.releaseSeat(seat);
    const s = this.addresses.get(seat.key);
    if (s) s.seats = s.seats.filter((x) => x !== seat);
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** A refusal in Colyseus' own error shape (`{code, error}`), which the SDK turns into a MatchMakeError. */
function refuse(status: number, error: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ code: status, error }), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}
