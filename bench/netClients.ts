// Child process of bench/net.ts: K real SDK clients in one room, decoding state like a game client and walking
// about. argv: url k. Prints `joined <roomId>` once all are in; runs until killed.
import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import WebSocket from 'ws';
import { Rng } from '../shared/index.ts';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const [url, kRaw] = process.argv.slice(2);
const k = Number(kRaw);
const rng = Rng.create('net-bench-clients');
const rooms: Room[] = [];

const first = await new Client(url as string).create('world', { name: 'bot-0' });
rooms.push(first);
for (let i = 1; i < k; i++) {
  rooms.push(await new Client(url as string).joinById(first.roomId, { name: `bot-${i}` }));
  await new Promise((r) => setTimeout(r, 15)); // spread joins: each costs the server a walk of the state
}
for (const room of rooms) {
  room.reconnection.enabled = false;
  room.onMessage('*', () => {});
}
setInterval(() => {
  for (const room of rooms) {
    if (rng.chance(0.3)) room.send('move', { dir: { x: rng.float(-1, 1), y: rng.float(-1, 1) } });
  }
}, 500);
console.log(`joined ${first.roomId}`);
