import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import { hopZone, readZoneMove } from './zoneHop.ts';

/** Where the connection stands, for the status banner. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** What the page hears from the connection. */
export interface ConnectionEvents {
  status(status: ConnectionStatus, detail?: string): void;
  /** A patch was applied to `room.state`. */
  state(room: Room): void;
  message(type: string, body: unknown): void;
  /** The server refused something we sent (e.g. an invalid message); `message` names what was wrong. */
  error(code: number, message: string): void;
  /** The room came back (restarted, or moved to another process) and we are in it again, in a fresh state. */
  rejoined?(room: Room): void;
  /** Our avatar is walking into the next zone: the old room will show it no more. */
  movingZone?(): void;
  /** Our avatar walked into the next zone and we are in that zone's room now (entities keep their ids). */
  movedZone?(room: Room, zone: { x: number; y: number }): void;
}

/** How long a dropped player keeps trying to get back into its room after the server went away, ms. */
const REJOIN_WITHIN_MS = 30_000;

/** How to join: a room id to join, or none to join-or-create (the server chooses the world). */
export interface JoinRequest {
  readonly name: string;
  readonly roomId?: string;
  /** The room type to join or create when no id is given: `world` (one room) or `zone` (a world in zones). */
  readonly roomName?: 'world' | 'zone';
  /** A player token from the game's account service; without one the player joins as a guest. */
  readonly token?: string;
}

/**
 * The page's link to a `world` room through the Colyseus SDK, with the SDK's automatic reconnection on: when
 * the socket drops the room keeps its state and the SDK retries with backoff; the page shows why.
 */
export class GameConnection {
  room: Room | undefined;
  private readonly client: Client;
  /** The key that takes our avatar back if the room restarts or moves (sent by the room after the join). */
  private resume: { roomId: string; key: string } | null = null;
  private leaving = false;

  constructor(readonly endpoint: string, private readonly events: ConnectionEvents) {
    this.client = new Client(endpoint);
  }

  async join(req: JoinRequest): Promise<Room> {
    this.events.status('connecting');
    const options: Record<string, unknown> = { name: req.name };
    // The SDK sends it as `Authorization: Bearer <token>` with the matchmaking request.
    this.client.auth.token = req.token ?? ''; // empty: no header (and no token left over from storage)
    let room: Room;
    try {
      room = req.roomId ? await this.client.joinById(req.roomId, options) : await this.client.joinOrCreate(req.roomName ?? 'world', options);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.events.status('disconnected', `could not join: ${message}`);
      throw err;
    }
    this.bind(room, req);
    this.events.status('connected');
    return room;
  }

  private bind(room: Room, req: JoinRequest): void {
    this.room = room;
    room.reconnection.maxRetries = 30;
    room.reconnection.minUptime = 0;
    room.onStateChange(() => {
      if (this.room === room) this.events.state(room);
    });
    room.onMessage('zone', (body: unknown) => {
      if (this.room === room) void this.moveZone(room, body, req);
    });
    room.onMessage('resume', (body: { roomId?: unknown; key?: unknown }) => {
      if (typeof body?.roomId === 'string' && typeof body.key === 'string') this.resume = { roomId: body.roomId, key: body.key };
    });
    room.onMessage('*', (type, body) => {
      if (this.room === room) this.events.message(String(type), body);
    });
    room.onError((code, message) => this.events.error(code, String(message ?? '')));
    room.onDrop((code, reason) => this.events.status('reconnecting', `connection lost (${code}${reason ? ': ' + reason : ''}); reconnecting…`));
    room.onReconnect(() => this.events.status('connected', 'reconnected'));
    room.onLeave((code, reason) => {
      if (this.room !== room) return;
      this.room = undefined;
      // The room's process went away (a restart, or it died and another took the room over): the room comes back
      // from its snapshot and takes our avatar back with the key it gave us.
      if (!this.leaving && this.resume && code !== 1000 && code !== 4429) {
        void this.rejoin(req, code);
        return;
      }
      this.events.status('disconnected', `disconnected (${code}${reason ? ': ' + reason : ''})`);
    });
  }

  /**
   * Follow our avatar into the next zone: take the seat reserved there, keep drawing this room (which passes on
   * what we send meanwhile) until the next one shows us, then switch and leave this one.
   */
  private async moveZone(from: Room, body: unknown, req: JoinRequest): Promise<void> {
    const move = readZoneMove(body);
    if ('error' in move) {
      this.events.error(0, `could not move to the next zone: ${move.error}`);
      return;
    }
    this.events.movingZone?.();
    try {
      const next = await hopZone(this.client, move);
      if (this.leaving) {
        await next.leave(true);
        return;
      }
      this.bind(next, req);
      if (this.resume) this.resume = { roomId: next.roomId, key: this.resume.key };
      this.events.movedZone?.(next, move.zone);
      await from.leave(true).catch(() => {});
    } catch (err) {
      // The seat was lost (it expired, or the zone moved to another process): join the zone with the resume key.
      const resume = this.resume;
      if (resume && !this.leaving) {
        try {
          const next = await this.client.joinById(move.roomId, { name: req.name, resume: resume.key });
          this.bind(next, req);
          this.resume = { roomId: next.roomId, key: resume.key };
          this.events.movedZone?.(next, move.zone);
          await from.leave(true).catch(() => {});
          return;
        } catch {
          // reported below
        }
      }
      this.events.error(0, `could not move to the next zone: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async rejoin(req: JoinRequest, code: number): Promise<void> {
    const resume = this.resume as { roomId: string; key: string };
    this.events.status('reconnecting', `the server went away (${code}); rejoining the world…`);
    const deadline = performance.now() + REJOIN_WITHIN_MS;
    let last = '';
    while (!this.leaving && performance.now() < deadline) {
      try {
        const room = await this.client.joinById(resume.roomId, { name: req.name, resume: resume.key });
        this.bind(room, req);
        this.events.rejoined?.(room);
        this.events.status('connected', 'reconnected');
        return;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    if (!this.leaving) this.events.status('disconnected', `could not get back into the world (${last})`);
  }

  send(type: string, payload: unknown): void {
    this.room?.send(type, payload);
  }

  async leave(): Promise<void> {
    this.leaving = true;
    await this.room?.leave(true);
  }
}
