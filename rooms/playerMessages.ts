import { ErrorCode, Protocol } from '@colyseus/core';
import type { Client } from '@colyseus/core';
import type { ActorId, Simulation, WorldInput } from '../actors/index.ts';
import { checkClientMessage, CLIENT_MESSAGE_TYPES, normaliseText } from './clientMessages.ts';
import type { ClientMessage, ClientMessageType } from './clientMessages.ts';
import type { RoomObserver } from './observer.ts';
import type { PlayerIdentity } from './playerIdentity.ts';
import type { Projection } from './projection.ts';
import type { RateLimiter } from './rateLimiter.ts';

/** Close code for a client disconnected for flooding. */
export const FLOOD_CLOSE_CODE = 4429;

/** Longest piece of client text (an unknown message type) echoed back in an error. */
const ECHO_CHARS = 40;

/** The protocol code in a frame's first byte (the upper three bits are modifiers). */
const PROTOCOL_CODE_MASK = 0x1f;

/** A player in the room, as message handling sees it. */
export interface Player {
  actor: ActorId;
  readonly name: string;
  /** Kept for the client's life, reconnections included. */
  readonly identity: PlayerIdentity;
  /** Counts every frame the client sends. */
  readonly limiter: RateLimiter;
  /** Bounds the error replies its invalid input earns. */
  readonly errorReplies: RateLimiter;
  /** SHA-256 of the key that lets this player take the avatar back in a restored room. */
  readonly resume: string;
  /** Set once the avatar was handed to another zone (its key): inputs that still arrive here are passed on. */
  movedTo?: string;
  /** Wall ms of the last seat reserved for it in that zone. */
  seatAt?: number;
}

/** What message handling needs from its room. */
export interface PlayerMessagesHost {
  roomId(): string;
  sim(): Simulation;
  /** Hand a player's input to the simulation (or on to the zone its avatar moved to). */
  input(p: Player, input: WorldInput): void;
  projection(): Projection;
  observer(): RoomObserver | undefined;
  /** The room clock's current time, ms. */
  now(): number;
  player(sessionId: string): Player | undefined;
  /** The player leaves now (its avatar, entry and view go). */
  leave(client: Client): void;
  /** Whether the player's avatar is dead (waiting to respawn). */
  dead(player: Player): boolean;
  /** Respawn a dead player's avatar at the safe point `at` (an id it was offered; absent: the default); an error or null. */
  respawn(client: Client, player: Player, at: string | undefined): string | null;
}

/**
 * The room's edge for client messages: counts every frame against the client's rate limit, validates each message,
 * refuses bad ones with an error naming what was wrong (within the client's error budget), and turns good ones
 * into simulation input for the player's avatar.
 */
export class PlayerMessages {
  constructor(private readonly host: PlayerMessagesHost) {}

  /** The handlers for the room's `messages` (one per message type, and `_` for unknown types). */
  handlers(): Record<string, (client: Client, payload: unknown) => void> {
    const out: Record<string, (client: Client, payload: unknown) => void> = {};
    for (const type of CLIENT_MESSAGE_TYPES) out[type] = (client, payload) => this.receive(client, type, payload);
    out._ = (client: Client, type: unknown) => {
      const shown = JSON.stringify(typeof type === 'string' && type.length > ECHO_CHARS ? `${type.slice(0, ECHO_CHARS)}…` : type);
      this.refuse(client, 'unknown-type', `unknown message type ${shown}; expected one of ${CLIENT_MESSAGE_TYPES.join(', ')}`);
    };
    return out;
  }

  /**
   * Count one frame from a client (any kind, before it is decoded) against its limit. Past the limit the first
   * refused frame earns a warning, later ones are dropped unread, and a client that keeps on is kicked.
   * Requests (`room.request`, `send` with a callback) are refused: this room answers none, and Colyseus would
   * answer each one, unknown types included, outside the error budget.
   */
  admitFrame(client: Client, frame: Uint8Array): boolean {
    const p = this.host.player(client.sessionId);
    if (!p) return false; // kicked, or not a player (yet): nothing it sends is read
    const decision = p.limiter.take(this.host.now());
    if (decision === 'accept') {
      if (((frame[0] ?? 0) & PROTOCOL_CODE_MASK) !== Protocol.ROOM_REQUEST) return true;
      this.refuse(client, 'request', `requests are not answered by this room; send messages (${CLIENT_MESSAGE_TYPES.join(', ')})`);
      return false;
    }
    const observer = this.host.observer();
    observer?.messageRefused?.(this.host.roomId(), 'rate');
    if (decision === 'warn') {
      client.send('warning', { message: `too many messages: over ${p.limiter.options.perSecond} per second; messages are being dropped and the connection will be closed if this goes on` });
    } else if (decision === 'disconnect') {
      observer?.log?.('warn', 'client disconnected for flooding', { room: this.host.roomId(), session: client.sessionId });
      this.kick(client, FLOOD_CLOSE_CODE, 'message flood');
    }
    return false;
  }

  /**
   * Disconnect a client for good: its avatar, player entry and view go now (not when the socket finally closes),
   * and it gets no reconnection grace, so its reconnection token stops working. Colyseus still calls
   * onDrop/onLeave when the socket closes; onDrop sees the player gone and allows no reconnection.
   */
  kick(client: Client, code: number, reason: string): void {
    this.host.leave(client);
    client.view = undefined; // closed with the player: until the socket is gone it gets no more of the world
    client.leave(code, reason);
  }

  /** Refuse a client message: counted, and answered with an error while the client's error budget lasts. */
  refuse(client: Client, reason: string, error: string): void {
    this.host.observer()?.messageRefused?.(this.host.roomId(), reason);
    const p = this.host.player(client.sessionId);
    if (!p) return;
    switch (p.errorReplies.take(this.host.now())) {
      case 'accept':
        client.error(ErrorCode.INVALID_PAYLOAD, error);
        return;
      case 'warn':
        client.send('warning', { message: `too many invalid messages: further ones are dropped without an error while more than ${p.errorReplies.options.perSecond} a second arrive` });
        return;
      default:
        return; // silent: invalid input never earns more replies than the budget
    }
  }

  /** Validate and apply one client message; a bad one gets an error naming what was wrong and changes nothing. */
  receive<K extends ClientMessageType>(client: Client, type: K, payload: unknown): void {
    const p = this.host.player(client.sessionId);
    if (!p) return;
    const checked = checkClientMessage(type, payload);
    if (!checked.ok) {
      this.refuse(client, 'invalid', checked.error);
      return;
    }
    if (type === 'ping') {
      client.send('pong', { t: (checked.value as ClientMessage<'ping'>).t, tick: this.host.sim().world.tick });
      return;
    }
    if (!p.actor) {
      this.refuse(client, 'not-ready', `${type}: your avatar has not spawned yet; try again after the next patch`);
      return;
    }
    const dead = this.host.dead(p);
    if (type === 'respawn') {
      if (!dead) {
        this.refuse(client, 'invalid', 'respawn: you are alive; respawn is only for a dead avatar');
        return;
      }
      const error = this.host.respawn(client, p, (checked.value as ClientMessage<'respawn'>).at);
      if (error) this.refuse(client, 'invalid', error);
      return;
    }
    if (dead) {
      this.refuse(client, 'dead', `${type}: you are dead; choose where to respawn first`);
      return;
    }
    const error = this.apply(p, type, checked.value);
    if (error) this.refuse(client, 'invalid', error);
  }

  /** Turn a valid message into simulation input; returns an error when it names something that is not there. */
  private apply<K extends ClientMessageType>(p: Player, type: K, value: ClientMessage<K>): string | null {
    const sim = this.host.sim();
    switch (type) {
      case 'move': {
        const m = value as ClientMessage<'move'>;
        const message = m.dir ? { type: 'command' as const, move: m.dir } : { type: 'command' as const, goto: m.to };
        this.host.input(p, { type: 'send', to: p.actor, message });
        return null;
      }
      case 'attack': {
        const { target } = value as ClientMessage<'attack'>;
        if (target === p.actor) return 'attack.target: cannot attack yourself';
        // A ghost (an actor of the next zone seen across the border) may be attacked: the blow is sent to its zone.
        if (!sim.world.actors.get(target)?.body && !sim.world.ghosts.get(target)) return `attack.target: no entity ${target}`;
        this.host.input(p, { type: 'send', to: p.actor, message: { type: 'command', attack: target } });
        return null;
      }
      case 'talk': {
        const m = value as ClientMessage<'talk'>;
        const to = sim.world.actors.get(m.to);
        if ((!to?.body && !sim.world.ghosts.get(m.to)) || m.to === p.actor) return `talk.to: no one to talk to with id ${m.to}`;
        const text = normaliseText(m.text);
        if (!text) return 'talk.text: nothing left to say after removing control characters and spaces';
        this.host.projection().say(p.actor, 'say', text);
        this.host.input(p, { type: 'send', to: m.to, message: { type: 'signal', topic: 'talk', from: p.actor, data: { text, name: p.name } } });
        return null;
      }
      default:
        return `${type}: not handled`;
    }
  }
}
