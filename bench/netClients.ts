// Child process of bench/net.ts: K real SDK clients in one room, decoding state like a game client and walking
// about. argv: url k [talkEverySeconds]. With talkEverySeconds > 0 each client also talks, about that often, to
// the creature nearest to it in its view (creatures answer: more speech).
// NET_STAY=<r>: instead of walking in random directions, each client walks to random points within r tiles of the
// creature nearest to it (a crowd about an NPC); with none in view it stands still.
// NET_AUTH_SECRET and NET_TIER: each client joins with a player token of that tier signed with the secret.
// stdin: `talk <seconds>` makes every client talk to the creature nearest to it exactly that often, the clients'
// turns spread evenly over the period (`talk 0`: silent again); `stats` prints one JSON line counting the talk
// lines sent and the streamed replies heard (`speech` messages).
// Prints `joined <roomId>` once all are in; runs until killed.
import { createInterface } from 'node:readline';
import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import WebSocket from 'ws';
import { PlayerTokens } from '../server/identity/index.ts';
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
const stay = Number(process.env.NET_STAY ?? 0);
const tier = process.env.NET_TIER;
const tokens = process.env.NET_AUTH_SECRET && tier ? new PlayerTokens({ secret: process.env.NET_AUTH_SECRET, tiers: [tier] }) : undefined;
/** Talk lines sent and streamed replies heard (by reply id, over all clients: most are heard by several). */
const heard = { talks: 0, speechMessages: 0, replies: new Set<number>(), done: new Set<number>(), replaced: new Set<number>() };

interface SeenState {
  players?: { get(key: string): { actor: number } | undefined };
  entities?: { forEach(cb: (e: { id: number; kind: string; x: number; y: number }) => void): void };
}

/** This client's avatar as it sees it. */
function self(room: Room): { id: number; x: number; y: number } | undefined {
  const state = room.state as SeenState;
  const id = state.players?.get(room.sessionId)?.actor ?? 0;
  let me: { id: number; x: number; y: number } | undefined;
  state.entities?.forEach((e) => {
    if (e.id === id) me = e;
  });
  return me;
}

/** The creature nearest to this client's avatar in its view. */
function nearestCreature(room: Room): { id: number; x: number; y: number } | undefined {
  const state = room.state as SeenState;
  const at = self(room);
  if (!at) return undefined;
  let best: { id: number; x: number; y: number } | undefined;
  let bestD = Infinity;
  state.entities?.forEach((e) => {
    if (e.id === at.id || e.kind === 'player') return;
    const d = (e.x - at.x) ** 2 + (e.y - at.y) ** 2;
    if (d < bestD) {
      best = { id: e.id, x: e.x, y: e.y };
      bestD = d;
    }
  });
  return best;
}

/** A joined client that ignores the room's messages but counts streamed replies (listening from the start: the resume key comes at once). */
function quiet(room: Room): Room {
  room.reconnection.enabled = false;
  room.onMessage('*', () => {});
  room.onMessage('speech', (m: { id: number; done: boolean; replaced?: boolean }) => {
    heard.speechMessages++;
    heard.replies.add(m.id);
    if (m.done) heard.done.add(m.id);
    if (m.replaced) heard.replaced.add(m.id);
  });
  return room;
}

/** A client for bot `i`, with its player token when the bots have a tier. */
async function client(i: number): Promise<Client> {
  const c = new Client(url as string);
  if (tokens) c.auth.token = (await tokens.issue({ player: `bot-${i}`, tier })).token;
  return c;
}

const first = quiet(await (await client(0)).create('world', { name: 'bot-0' }));
rooms.push(first);
for (let i = 1; i < k; i++) {
  rooms.push(quiet(await (await client(i)).joinById(first.roomId, { name: `bot-${i}` })));
  await new Promise((r) => setTimeout(r, 15)); // spread joins: each costs the server a walk of the state
}
setInterval(() => {
  for (const room of rooms) {
    if (stay > 0) {
      const near = rng.chance(0.3) ? nearestCreature(room) : undefined;
      if (near) room.send('move', { to: { x: near.x + rng.float(-stay, stay), y: near.y + rng.float(-stay, stay) } });
    } else if (rng.chance(0.3)) room.send('move', { dir: { x: rng.float(-1, 1), y: rng.float(-1, 1) } });
    // Every 500 ms: talk with probability 0.5 / talkEvery, i.e. about once per talkEvery seconds.
    if (talkEvery > 0 && rng.chance(Math.min(1, 0.5 / talkEvery))) {
      const to = nearestCreature(room)?.id;
      if (to) room.send('talk', { to, text: rng.pick(LINES) });
    }
  }
}, 500);

/** Each client's talking timers while `talk <seconds>` holds. */
let talkTimers: NodeJS.Timeout[] = [];
function talkEveryExactly(seconds: number): void {
  for (const t of talkTimers) clearTimeout(t);
  talkTimers = [];
  if (!(seconds > 0)) return;
  rooms.forEach((room, i) => {
    const say = (): void => {
      const to = nearestCreature(room)?.id;
      if (!to) return;
      room.send('talk', { to, text: rng.pick(LINES) });
      heard.talks++;
    };
    talkTimers.push(setTimeout(() => {
      say();
      talkTimers.push(setInterval(say, seconds * 1000));
    }, (i / rooms.length) * seconds * 1000));
  });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'talk') talkEveryExactly(Number(arg));
  else if (cmd === 'stats') {
    console.log(`stats ${JSON.stringify({ talks: heard.talks, speechMessages: heard.speechMessages, replies: heard.replies.size, done: heard.done.size, replaced: heard.replaced.size })}`);
  }
});
console.log(`joined ${first.roomId}`);
