import { tempDataDir } from '../../tools/tempDataDir.ts';
import { Callbacks, Client } from '@colyseus/sdk';
import type { Room as ClientRoom } from '@colyseus/sdk';
import { matchMaker } from '@colyseus/core';
import { loadConfig, startServer } from '../../server/index.ts';
import type { RunningServer } from '../../server/index.ts';
import type { WorldRoom } from '../../rooms/index.ts';
import { createLogger } from '../../server/index.ts';
import { freePort } from '../../tools/freePort.ts';

export { freePort };

/** Start a real server (real transport) on a free port with quiet logs. */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer & { url: string }> {
  const port = await freePort();
  const config = loadConfig({ PORT: String(port), LOG_LEVEL: 'silent', WORLD_SIZE: '256', SEED: 'test-world', MATCHMAKE_LOOPBACK: 'exempt', DATA_DIR: tempDataDir('test'), ...env });
  const running = await startServer(config, { logger: createLogger('silent') });
  return Object.assign(running, { url: `ws://127.0.0.1:${port}` });
}

/** Poll `check` until it returns a truthy value or `ms` pass. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A client's mirror of what it can see, kept up to date by the SDK's state callbacks. */
export interface Mirror {
  readonly entities: Map<string, { x: number; y: number; hp: number; kind: string; anim: string; name: string }>;
  readonly errors: { code: number; message: string }[];
  readonly messages: { type: string; body: unknown }[];
  leftCode: number | null;
}

export interface Joined {
  readonly room: ClientRoom;
  readonly mirror: Mirror;
  /** The avatar's actor id once the server reports it. */
  avatar(): number;
}

/** Join a `world` room by id, create a new one (`roomId` = 'new'), or join-or-create; mirror its state. */
export async function join(url: string, options: Record<string, unknown> = {}, roomId?: string): Promise<Joined> {
  const client = new Client(url);
  const room = roomId === 'new' ? await client.create('world', options) : roomId ? await client.joinById(roomId, options) : await client.joinOrCreate('world', options);
  return track(room);
}

export function track(room: ClientRoom): Joined {
  room.reconnection.enabled = false;
  const mirror: Mirror = { entities: new Map(), errors: [], messages: [], leftCode: null };
  const cb = (Callbacks.get as (r: unknown) => unknown)(room) as {
    onAdd(path: string, fn: (e: Record<string, unknown>, key: string) => void): void;
    onRemove(path: string, fn: (e: unknown, key: string) => void): void;
    onChange(e: unknown, fn: () => void): void;
  };
  cb.onAdd('entities', (e, key) => {
    const copy = () => mirror.entities.set(key, { x: e.x as number, y: e.y as number, hp: e.hp as number, kind: e.kind as string, anim: e.anim as string, name: (e.name as string | undefined) ?? '' });
    copy();
    cb.onChange(e, copy);
  });
  cb.onRemove('entities', (_e, key) => mirror.entities.delete(key));
  room.onError((code, message) => mirror.errors.push({ code, message: String(message) }));
  room.onMessage('*', (type, body) => mirror.messages.push({ type: String(type), body }));
  room.onLeave((code) => {
    mirror.leftCode = code;
  });
  const state = () => room.state as { players?: Map<string, { actor: number }> };
  return { room, mirror, avatar: () => state().players?.get(room.sessionId)?.actor ?? 0 };
}

/** The server-side room instance (same process). */
export function serverRoom(roomId: string): WorldRoom {
  const room = matchMaker.getLocalRoomById(roomId) as unknown as WorldRoom | undefined;
  if (!room) throw new Error(`no local room ${roomId}`);
  return room;
}
