import { request } from 'node:http';
import WebSocket from 'ws';
import { Client, Protocol } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import { DRILL_ADMIN_TOKEN, sleep, waitUntil } from './harness.ts';
import type { Drill, DrillContext } from './drill.ts';

/** Close code of a client disconnected for flooding (rooms/WorldRoom.ts). */
const FLOOD_CLOSE_CODE = 4429;

/** The raw socket under an SDK room (Node: a `ws` WebSocket). */
function socketOf(room: Room): { send(data: Uint8Array | string): void; _socket: { pause(): void; resume(): void } } {
  return (room as unknown as { connection: { transport: { ws: ReturnType<typeof socketOf> } } }).connection.transport.ws;
}

/** Join the watcher's room as another player, with reconnection off. */
async function joinAsPlayer(ctx: DrillContext, name: string): Promise<Room> {
  const room = await new Client(ctx.server.url).joinById(ctx.watcher.room.roomId, { name });
  room.reconnection.enabled = false;
  room.onMessage('resume', () => {});
  return room;
}

/** Players the watcher knows of, by session id. */
function playersSeenBy(ctx: DrillContext): Map<string, unknown> {
  return (ctx.watcher.room.state as { players: Map<string, unknown> }).players;
}

function flood(name: string, what: string, send: (room: Room) => void, expectCode = FLOOD_CLOSE_CODE): Drill {
  return {
    name,
    proves: `a client flooding ${what} is disconnected (${expectCode}), loses its avatar${expectCode === FLOOD_CLOSE_CODE ? ' and cannot reconnect' : ''}; others keep their patches`,
    maxGapMs: 500,
    async run(ctx) {
      const room = await joinAsPlayer(ctx, `flooder-${name}`);
      const token = room.reconnectionToken;
      const session = room.sessionId;
      await waitUntil('the flooder appears to the watcher', () => playersSeenBy(ctx).has(session), 5000);
      let left: number | null = null;
      room.onLeave((code) => {
        left = code;
      });
      const t0 = performance.now();
      let sent = 0;
      for (; sent < 10_000 && left === null; sent++) send(room);
      await waitUntil('the flooder is disconnected', () => left !== null, 5000);
      if (left !== expectCode) throw new Error(`the flooder left with code ${left}, expected ${expectCode}`);
      const kickedMs = performance.now() - t0;
      if (expectCode !== FLOOD_CLOSE_CODE) return `${sent} sent; closed with ${left} after ${kickedMs.toFixed(0)} ms`;
      await waitUntil('the flooder\'s player is removed', () => !playersSeenBy(ctx).has(session), 2000);
      const again = await new Client(ctx.server.url).reconnect(token).then(
        (r) => r,
        () => null,
      );
      if (again) {
        await again.leave();
        throw new Error('the flooder reconnected with its token after the kick');
      }
      return `${sent} sent; disconnected with ${left} after ${kickedMs.toFixed(0)} ms, avatar removed, reconnection refused`;
    },
  };
}

export const floodValid = flood('flood-valid', 'valid moves', (room) => room.send('move', { dir: { x: 1, y: 0 } }));
export const floodInvalid = flood('flood-invalid', 'invalid messages', (room) => room.send('move', { dir: 'north' }));
export const floodUnknown = flood('flood-unknown', 'unknown message types', (room) => room.send('no-such-type', { x: 1 }));
export const floodPing = flood('flood-ping', 'protocol pings', (room) => socketOf(room).send(new Uint8Array([Protocol.PING])));
// Colyseus closes a client whose frame it cannot unpack at once (4002), before any flood builds up.
export const floodGarbage = flood('flood-garbage', 'undecodable frames', (room) => socketOf(room).send(new Uint8Array([Protocol.ROOM_DATA, 0xff, 0xc1, 0x00])), 4002);

export const oversizedMessage: Drill = {
  name: 'ws-oversized-message',
  proves: 'a WebSocket message over the size limit closes that client only',
  async run(ctx) {
    const room = await joinAsPlayer(ctx, 'big-talker');
    let left: number | null = null;
    room.onLeave((code) => {
      left = code;
    });
    socketOf(room).send(new Uint8Array(256 * 1024).fill(0x41));
    await waitUntil('the sender is closed', () => left !== null, 5000);
    return `a 256 KiB message closed its sender (code ${left})`;
  },
};

export const slowReader: Drill = {
  name: 'ws-slow-reader',
  proves: 'a client that stops reading is dropped once 64 KiB is queued for it; others are unaffected',
  // A crowded view, so that there is a lot to send; a small bound, so that the drill is quick.
  env: { SEND_BUFFER_KB: '64', VIEW_RADIUS: '64' },
  maxGapMs: 1500,
  async run(ctx) {
    // A crowd around the players, so that there is a lot to send.
    const crowd = { name: 'crowd', spawns: [{ pack: { id: 'crowd', species: 'wolf', size: 20, count: 100, region: { x: -40, y: -40, w: 80, h: 80 }, spread: 8 } }] };
    const spawned = await fetch(`${ctx.server.http}/admin/rooms/${ctx.watcher.room.roomId}/spawn`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${DRILL_ADMIN_TOKEN}` }, body: JSON.stringify({ scenario: crowd }), signal: AbortSignal.timeout(10_000),
    });
    if (spawned.status !== 200) throw new Error(`spawning the crowd answered ${spawned.status}: ${await spawned.text()}`);
    const reader = await rawPlayer(ctx, 'slow-reader');
    await sleep(2000);
    ctx.watcher.reset(); // the crowd's arrival is not what is measured
    const before = await ctx.server.metric('lairmind_slow_clients_dropped_total');
    const clients = await ctx.server.metric('lairmind_clients');
    const t0 = performance.now();
    reader.pause();
    // Dropped by the send-buffer bound, or earlier by the transport's keep-alive (a client that reads nothing
    // answers no ping either): either way the server stops buffering for it.
    let how = '';
    await waitUntil('the server drops the slow reader', async () => {
      if ((await ctx.server.metric('lairmind_slow_clients_dropped_total')) > before) how = 'its send buffer passed the bound';
      else if ((await ctx.server.metric('lairmind_clients')) < clients) how = 'it answered no keep-alive ping';
      return how !== '';
    }, 150_000);
    const ms = performance.now() - t0;
    reader.resume();
    await waitUntil('the slow reader sees its connection end', () => reader.closed(), 10_000);
    return `dropped ${(ms / 1000).toFixed(1)} s after it stopped reading: ${how}`;
  },
};

export const matchmakingFlood: Drill = {
  name: 'matchmaking-flood',
  proves: 'a burst of anonymous seat requests cannot lock a room, and hostile options are refused at once',
  async run(ctx) {
    const roomId = ctx.watcher.room.roomId;
    const post = (path: string, body: string, from: string) => postFrom(ctx.server.port, `/matchmake/${path}`, body, from);
    // The flood comes from one address (127.0.0.2); the real player from another (127.0.0.1).
    const burst = await Promise.all(Array.from({ length: 199 }, () => post(`joinById/${roomId}`, '{}', '127.0.0.2')));
    const refused = burst.filter((r) => r.status !== 200).length;
    const t0 = performance.now();
    const real = await new Client(ctx.server.url).joinById(roomId, { name: 'real-player' });
    const joinMs = performance.now() - t0;
    await real.leave();
    const hostile: [string, string, number, number?][] = [
      ['hasOwnProperty', '{"hasOwnProperty": 1}', 400],
      ['__proto__', '{"__proto__": {"admin": true}}', 400],
      ['deep nesting', '['.repeat(1500) + ']'.repeat(1500), 400],
      ['deep object', '{"a":'.repeat(600) + '1' + '}'.repeat(600), 400],
      ['unknown option', '{"llmTier": "whale"}', 400],
      ['huge options', JSON.stringify({ name: 'x'.repeat(1 << 20) }), 413, 200],
    ];
    const refusals: string[] = [];
    for (const [i, [what, body, want, bodyAfterMs]] of hostile.entries()) {
      const t = performance.now();
      const r = await postFrom(ctx.server.port, '/matchmake/create/world', body, `127.0.0.${10 + i}`, bodyAfterMs);
      const ms = performance.now() - t;
      if (r.status !== want) throw new Error(`create with ${what} answered ${r.status} (${r.text.slice(0, 120)})`);
      if (ms > 1000) throw new Error(`create with ${what} took ${ms.toFixed(0)} ms to refuse`);
      if (bodyAfterMs !== undefined && ms >= bodyAfterMs) throw new Error(`create with ${what} was refused only after its body was sent (${ms.toFixed(0)} ms): the refusal must come on the headers alone`);
      refusals.push(`${what} ${r.status}`);
    }
    return `199 joinById: ${refused} refused; a real join then took ${joinMs.toFixed(0)} ms; refused: ${refusals.join(', ')}`;
  },
};

/**
 * POST `body` from the local address `from` (a loopback alias), with a 5 s deadline. With `bodyAfterMs`, the headers
 * go first and the body only after that pause unless the server has answered by then, as a careful client does
 * with a large body: a server that refuses on the headers alone (413) may close before reading a body still being
 * written, and a client that writes it all at once can lose the answer to EPIPE.
 */
function postFrom(port: number, path: string, body: string, from: string, bodyAfterMs = 0): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: { status: number; text: string }): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', localAddress: from, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
      res.on('close', () => done({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out after 5 s')));
    req.on('error', (e) => done({ status: 0, text: e.message }));
    if (bodyAfterMs <= 0) {
      req.end(body);
      return;
    }
    req.flushHeaders();
    setTimeout(() => {
      if (!settled) req.end(body);
    }, bodyAfterMs);
  });
}

/**
 * A player on a bare `ws` socket (whatever WebSocket the SDK would pick on this Node), so that the drill can stop
 * reading: seat reserved over HTTP, then the join acknowledged as the SDK does.
 */
async function rawPlayer(ctx: DrillContext, name: string): Promise<{ pause(): void; resume(): void; closed(): boolean }> {
  const res = await fetch(`${ctx.server.http}/matchmake/joinById/${ctx.watcher.room.roomId}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }), signal: AbortSignal.timeout(5000),
  });
  const seat = (await res.json()) as { sessionId?: string; processId?: string; roomId?: string; error?: string };
  if (!seat.sessionId) throw new Error(`no seat for ${name}: ${res.status} ${seat.error ?? ''}`);
  const ws = new WebSocket(`${ctx.server.url}/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}`);
  let closed = false;
  let joined = false;
  ws.on('close', () => {
    closed = true;
  });
  ws.on('error', () => {
    closed = true;
  });
  ws.on('message', (data: Buffer) => {
    if (!joined && data[0] === Protocol.JOIN_ROOM) {
      joined = true;
      ws.send(new Uint8Array([Protocol.JOIN_ROOM]));
    }
  });
  await waitUntil(`${name} joins`, () => joined || closed, 5000);
  if (!joined) throw new Error(`${name} was closed before it joined`);
  const socket = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { pause: () => socket.pause(), resume: () => socket.resume(), closed: () => closed };
}
