import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';

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
}

/** How to join: a room id to join, or none to join-or-create (the server chooses the world). */
export interface JoinRequest {
  readonly name: string;
  readonly roomId?: string;
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
      room = req.roomId ? await this.client.joinById(req.roomId, options) : await this.client.joinOrCreate('world', options);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.events.status('disconnected', `could not join: ${message}`);
      throw err;
    }
    this.room = room;
    room.reconnection.maxRetries = 30;
    room.reconnection.minUptime = 0;
    room.onStateChange(() => this.events.state(room));
    room.onMessage('*', (type, body) => this.events.message(String(type), body));
    room.onError((code, message) => this.events.error(code, String(message ?? '')));
    room.onDrop((code, reason) => this.events.status('reconnecting', `connection lost (${code}${reason ? ': ' + reason : ''}); reconnecting…`));
    room.onReconnect(() => this.events.status('connected', 'reconnected'));
    room.onLeave((code, reason) => {
      this.room = undefined;
      this.events.status('disconnected', `disconnected (${code}${reason ? ': ' + reason : ''})`);
    });
    this.events.status('connected');
    return room;
  }

  send(type: string, payload: unknown): void {
    this.room?.send(type, payload);
  }

  async leave(): Promise<void> {
    await this.room?.leave(true);
  }
}
