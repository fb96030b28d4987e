// Child process of bench/net.ts: K real SDK clients in one room, decoding state like a game client and walking
// about. argv: url k [talkEverySeconds]. With talkEverySeconds > 0 each client also talks, about that often, to
// the creature nearest to it in its view (creatures answer: more speech).
// Prints `joined <roomId>` once all are in; runs until killed.
import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import WebSocket from 'ws';
import { Rng } from '../shared/index.ts';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const LINES = ['Hello there!', 'What are you guarding?', 'Which way to the river?', 'Stand aside, beast.', 'Have you seen a wolf pack?'];

const [url, kRaw, talkRaw] = process.argv.slice(2);
const k = Number(kRaw);
const talkEvery = Number(talkRaw ?? 0);
if (!url || !(k >= 1) || !(talkEvery >= 0)) {
  console.error(`usage: netClients.ts <url> <clients ≥ 1> [talkEverySeconds ≥ 0]; got ${process.argv.slice(2).join(' ')}`);
  process.exit(2);
}
const rng = Rng.create('net-bench-clients');
const rooms: Room[] = [];

interface SeenState {
  players?: { get(key: string): { actor: number } | undefined };
  entities?: { forEach(cb: (e: { id: number; kind: string; x: number; y: number }) => void): void };
}

/** The creature nearest to this client's avatar in its view, or 0. */
function nearestCreature(room: Room): number {
  const state = room.state as SeenState;
  const self = state.players?.get(room.sessionId)?.actor ?? 0;
  let me: { x: number; y: number } | undefined;
  state.entities?.forEach((e) => {
    if (e.id === self) me = e;
  });
  if (!me) return 0;
  const at = me;
  let best = 0, bestD = Infinity;
  state.entities?.forEach((e) => {
    if (e.id === self || e.kind === 'player') return;
    const d = (e.x - at.x) ** 2 + (e.y - at.y) ** 2;
    if (d < bestD) {
      best = e.id;
      bestD = d;
    }
  });
  return best;
}

/** A joined client that ignores the room's messages (listening from the start: the resume key comes at once). */
function quiet(room: Room): Room {
  room.reconnection.enabled = false;
  room.onMessage('*', () => {});
  return room;
}

const first = quiet(await new Client(url).create('world', { name: 'bot-0' }));
rooms.push(first);
for (let i = 1; i < k; i++) {
  rooms.push(quiet(await new Client(url).joinById(first.roomId, { name: `bot-${i}` })));
  await new Promise((r) => setTimeout(r, 15)); // spread joins: each costs the server a walk of the state
}
setInterval(() => {
  for (const room of rooms) {
    if (rng.chance(0.3)) room.send('move', { dir: { x: rng.float(-1, 1), y: rng.float(-1, 1) } });
    // Every 500 ms: talk with probability 0.5 / talkEvery, i.e. about once per talkEvery seconds.
    if (talkEvery > 0 && rng.chance(Math.min(1, 0.5 / talkEvery))) {
      const to = nearestCreature(room);
      if (to) room.send('talk', { to, text: rng.pick(LINES) });
    }
  }
}, 500);
console.log(`joined ${first.roomId}`);
