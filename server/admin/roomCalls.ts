import { matchMaker, requestFromIPC, subscribeIPC } from '@colyseus/core';
import { WorldRoom } from '../../rooms/index.ts';
import type { Issue } from '../../shared/index.ts';
import { withDeadline } from '../deadline.ts';
import { AdminError, adminErrorOf } from './adminErrors.ts';
import type { AdminStatus } from './adminErrors.ts';
import type { RoomMethodArgs, RoomMethodName, RoomMethodResult, RoomMethods } from './roomMethods.ts';

/** How long a call waits for the process hosting a room, ms, by default. */
export const ROOM_CALL_DEADLINE_MS = 2000;

/** What crosses back over presence: the method's plain data, or the error to answer with. */
type Reply =
  | { readonly ok: true; readonly value?: unknown }
  | { readonly ok: false; readonly status: AdminStatus; readonly message: string; readonly issues?: readonly Issue[] };

const STATUSES: readonly AdminStatus[] = [400, 401, 404, 409, 413, 500, 503, 504];

type AnyMethod = (room: WorldRoom, args: unknown) => unknown;

/** Where a room lives: here (the room itself) or on another process (its id). */
export type RoomHost = { readonly local: WorldRoom } | { readonly processId: string };

export interface RoomCallsOptions {
  /** How long a call waits for another process, ms (default {@link ROOM_CALL_DEADLINE_MS}). */
  readonly deadlineMs?: number;
  /** The room type the admin API serves (default `world`). */
  readonly roomName?: string;
}

/**
 * Runs a named room method (see roomMethods.ts) on the process that hosts the room, whichever process the request
 * reached. A room here is called directly (no presence hop); a room elsewhere is found through the matchmaker's
 * listings and called over presence pub/sub (Colyseus' IPC request/reply, on a channel per process), with a deadline:
 * - no listing for the room anywhere: 404;
 * - the hosting process does not answer in time (dead, or its event loop stuck): 504 naming the room and the process;
 * - the method's own errors (404 actor, 409 running, 400 bad scenario …) come back as they would locally.
 * Only the method name, the room id and the method's plain-data arguments cross; never a token or a header.
 */
export class RoomCalls {
  readonly deadlineMs: number;
  private readonly roomName: string;

  constructor(private readonly methods: RoomMethods, opts: RoomCallsOptions = {}) {
    this.deadlineMs = opts.deadlineMs ?? ROOM_CALL_DEADLINE_MS;
    this.roomName = opts.roomName ?? 'world';
  }

  /** The presence channel a process answers room calls on. */
  static channel(processId: string): string {
    return `lairmind:rooms:${processId}`;
  }

  /** Answer calls from other processes for the rooms of this one (once the matchmaker is set up). */
  async listen(): Promise<void> {
    await subscribeIPC(matchMaker.presence, RoomCalls.channel(matchMaker.processId), (method: unknown, args: unknown) => this.answer(method, args));
  }

  /** Run room method `method` with `args` on room `roomId`, wherever it is; throws an {@link AdminError}. */
  async call<K extends RoomMethodName>(roomId: string, method: K, args: RoomMethodArgs<K>, deadlineMs = this.deadlineMs): Promise<RoomMethodResult<K>> {
    const host = await this.hostOf(roomId);
    if ('local' in host) return (await this.method(method)(host.local, args)) as RoomMethodResult<K>;
    const reply = await this.ask(host.processId, roomId, method, args, deadlineMs);
    if (reply.ok) return reply.value as RoomMethodResult<K>;
    throw new AdminError(STATUSES.includes(reply.status) ? reply.status : 500, reply.message, reply.issues ?? []);
  }

  /** Where room `roomId` lives; a 404 when no process lists it. */
  async hostOf(roomId: string): Promise<RoomHost> {
    const local = localRoom(roomId);
    if (local) return { local };
    let listing: Awaited<ReturnType<typeof matchMaker.getRoomById>> | undefined;
    try {
      listing = await matchMaker.getRoomById(roomId); // the local driver answers synchronously, Redis's with a promise
    } catch (err) {
      throw new AdminError(503, `room '${roomId}' is not on this process, and which process hosts it cannot be known now: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!listing || (listing.name !== this.roomName && listing.name !== 'zone')) throw new AdminError(404, `no room '${roomId}' on any server process`);
    if (listing.processId === matchMaker.processId) throw new AdminError(404, `no room '${roomId}' on any server process (it is closing)`);
    return { processId: listing.processId };
  }

  private method(name: RoomMethodName): AnyMethod {
    return this.methods[name] as AnyMethod;
  }

  private async ask(processId: string, roomId: string, method: RoomMethodName, args: unknown, ms: number): Promise<Reply> {
    const late = (): AdminError => new AdminError(504, `room '${roomId}' is hosted by process '${processId}', which did not answer '${method}' within ${ms} ms (the process may be down or overloaded)`);
    try {
      // The IPC request waits for its reply channel's subscription before its own timer starts: the outer deadline bounds both.
      const request = requestFromIPC<Reply>(matchMaker.presence, RoomCalls.channel(processId), method, [roomId, args], ms);
      return await withDeadline(`room '${roomId}'`, request, ms);
    } catch (err) {
      if (err instanceof Error && (err.name === 'DeadlineError' || err.message === 'ipc_timeout')) throw late();
      throw new AdminError(503, `room '${roomId}' is hosted by process '${processId}', which could not be asked '${method}': ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A call from another process: run the method on the local room; every outcome is a {@link Reply}. */
  private async answer(method: unknown, args: unknown): Promise<Reply> {
    const [roomId, methodArgs] = Array.isArray(args) ? (args as [unknown, unknown]) : [undefined, undefined];
    if (typeof roomId !== 'string') return { ok: false, status: 400, message: 'room call: expected [roomId, args]' };
    if (typeof method !== 'string' || !Object.hasOwn(this.methods, method)) {
      return { ok: false, status: 400, message: `room call: no method '${String(method)}' (methods: ${Object.keys(this.methods).join(', ')})` };
    }
    const room = localRoom(roomId);
    if (!room) return { ok: false, status: 404, message: `no room '${roomId}' on process '${matchMaker.processId}'` };
    try {
      return { ok: true, value: await this.method(method as RoomMethodName)(room, methodArgs ?? {}) };
    } catch (err) {
      const e = adminErrorOf(err);
      return { ok: false, status: e.status, message: e.message, ...(e.issues.length && { issues: e.issues }) };
    }
  }
}

/** The world room on this process, if any. */
function localRoom(roomId: string): WorldRoom | undefined {
  const r = matchMaker.getLocalRoomById(roomId) as unknown;
  return r instanceof WorldRoom ? r : undefined;
}
